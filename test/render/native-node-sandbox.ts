/**
 * A throw-away sandbox for running the rendered native node bootstrap without root or network: stubs for
 * apt-get (which "installs" the aws stub), aws, curl (serves fixtures by the URL's last path segment) and sleep
 * on a PATH holding nothing else besides a few real tools (sha256sum really checks the downloaded bytes), a
 * temp TMPDIR, and a WALLARM_CLOUD_INIT_PREFIX standing in for /.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseCalls, type Call } from './stub-sandbox.js';

export type { Call };

function which(command: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new Error(`${command} not found on PATH; the native node stub-run tests need it`);
}

const BASH = which('bash');
const TOOLS = ['mktemp', 'rm', 'chmod', 'cat', 'cp', 'mkdir', 'basename', 'sha256sum', 'cut', 'grep', 'env'];
const RECORD = 'printf \'%s\\0\' "$0" "$#" "$@" >>"${STUB_LOG:?}"';

const STUBS: Record<string, string> = {
  sleep: `${RECORD}\n`,
  aws: `${RECORD}
n=0
if [[ -f "\${STUB_OUT}/aws.count" ]]; then read -r n <"\${STUB_OUT}/aws.count"; fi
n=$((n + 1))
echo "$n" >"\${STUB_OUT}/aws.count"
if ((n <= \${STUB_AWS_FAILURES:-0})); then
  echo "An error occurred (AccessDeniedException) when calling the GetParameter operation" >&2
  exit 255
fi
printf '%s\\n' "\${STUB_TOKEN-}"
`,
  'apt-get': `${RECORD}
if [[ "$1" != update && " $* " == *" awscli"* ]]; then
  cat "\${STUB_LIB}/aws" >"\${STUB_BIN}/aws"
  chmod +x "\${STUB_BIN}/aws"
fi
`,
  curl: `${RECORD}
out=""
url=""
while (($# > 0)); do
  case "$1" in
    --output) out="$2"; shift 2 ;;
    --proto | --proto-redir | --retry | --retry-delay | --connect-timeout | --max-time) shift 2 ;;
    -*) shift ;;
    *) url="$1"; shift ;;
  esac
done
name="$(basename "\${url%%\\?*}")"
if [[ ! -f "\${STUB_FIXTURES}/\${name}" ]]; then
  echo "curl: (22) The requested URL returned error: 404" >&2
  exit 22
fi
cp "\${STUB_FIXTURES}/\${name}" "\${out:?}"
`,
};

/**
 * The fake all-in-one installer: records its argv like the stubs, saves the go-node config it was pointed at,
 * whether the token leaked into its environment, and WALLARM_LABELS; exits STUB_INSTALLER_RC.
 */
export const FAKE_INSTALLER = `#!${BASH}
${RECORD}
printf '%s' "\${WALLARM_LABELS-}" >"\${STUB_OUT}/labels"
if env | grep -v "^STUB_TOKEN=" | grep -q -F -- "\${STUB_TOKEN:-no-token}"; then echo yes >"\${STUB_OUT}/token-in-env"; fi
for arg in "$@"; do
  case "$arg" in
    --go-node-config=*) cp "\${arg#--go-node-config=}" "\${STUB_OUT}/go-node.yaml"; echo "\${arg#--go-node-config=}" >"\${STUB_OUT}/go-node.path" ;;
  esac
done
exit "\${STUB_INSTALLER_RC:-0}"
`;

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: Call[];
  saved: (name: string) => string | undefined;
  leftovers: () => string[];
}

export class NativeNodeSandbox {
  readonly root = mkdtempSync(join(tmpdir(), 'wallarm-oob-native-'));
  readonly bin = join(this.root, 'bin');
  readonly lib = join(this.root, 'lib');
  readonly fixtures = join(this.root, 'fixtures');
  readonly out = join(this.root, 'out');
  readonly tmp = join(this.root, 'tmp');
  readonly prefix = join(this.root, 'prefix');
  readonly log = join(this.out, 'calls');

  constructor() {
    for (const dir of [this.bin, this.lib, this.fixtures, this.out, this.tmp, this.prefix]) mkdirSync(dir, { recursive: true });
    for (const [name, body] of Object.entries(STUBS)) this.writeExecutable(join(this.lib, name), `#!${BASH}\n${body}`);
    for (const name of ['sleep', 'apt-get', 'curl']) this.writeExecutable(join(this.bin, name), readFileSync(join(this.lib, name), 'utf8'));
    for (const tool of TOOLS) symlinkSync(which(tool), join(this.bin, tool));
  }

  /** Serves `content` for any URL whose last path segment is `name`; returns its sha256. */
  fixture(name: string, content: string | Buffer): string {
    writeFileSync(join(this.fixtures, name), content);
    return sha256(content);
  }

  run(script: string, env: Record<string, string> = {}): RunResult {
    const file = join(this.root, 'user-data.sh');
    writeFileSync(file, script);
    const result = spawnSync(BASH, [file], {
      cwd: this.root,
      encoding: 'utf8',
      timeout: 30_000,
      env: {
        PATH: this.bin,
        TMPDIR: this.tmp,
        WALLARM_CLOUD_INIT_PREFIX: this.prefix,
        STUB_LOG: this.log,
        STUB_OUT: this.out,
        STUB_LIB: this.lib,
        STUB_BIN: this.bin,
        STUB_FIXTURES: this.fixtures,
        ...env,
      },
    });
    if (result.error) throw result.error;
    const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);
    return {
      status: result.status,
      stdout: result.stdout,
      stderr: result.stderr,
      calls: existsSync(this.log) ? parseCalls(readFileSync(this.log, 'utf8')) : [],
      saved: (name) => read(join(this.out, name)),
      leftovers: () => readdirSync(this.tmp),
    };
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  private writeExecutable(file: string, body: string): void {
    writeFileSync(file, body);
    chmodSync(file, 0o755);
  }
}
