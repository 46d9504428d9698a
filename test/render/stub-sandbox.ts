/**
 * A throw-away sandbox for running the rendered node script without root: stub executables on a PATH that
 * holds nothing else (so a real `aws` on the developer's machine is never reached), a temp TMPDIR, and a
 * WALLARM_CLOUD_INIT_PREFIX under which the stub cloud-init.py is placed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

export interface Call {
  /** The stub's full path ($0). */
  path: string;
  /** Its file name. */
  name: string;
  args: string[];
}

export const CLOUD_INIT_4_10 = 'opt/wallarm/usr/share/wallarm-common/cloud-init.py';
export const CLOUD_INIT_4_8 = 'usr/share/wallarm-common/cloud-init.py';

function which(command: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new Error(`${command} not found on PATH; the stub-run tests need it`);
}

const BASH = which('bash');
// Real tools the script (and the stubs) use besides shell builtins.
const TOOLS = ['mktemp', 'rm', 'chmod', 'cat'];

// Each call is recorded as NUL-terminated fields: argv[0], argc, args. NUL cannot occur in an argument.
const RECORD = 'printf \'%s\\0\' "$0" "$#" "$@" >>"${STUB_LOG:?}"';

const STUBS: Record<string, string> = {
  systemctl: `${RECORD}\n`,
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
  // "Installs" awscli by putting the aws stub on PATH, like the distro package would.
  'apt-get': `${RECORD}
if [[ "$1" == install ]]; then
  cat "\${STUB_LIB}/aws" >"\${STUB_BIN}/aws"
  chmod +x "\${STUB_BIN}/aws"
fi
`,
  // Keeps a copy of each snippet file, since the script deletes its temp dir on exit.
  'cloud-init.py': `${RECORD}
while (($# > 0)); do
  case "$1" in
    --global-snippet | --http-snippet | --server-snippet)
      cat "$2" >"\${STUB_OUT}/\${1#--}.conf"
      shift 2
      ;;
    *) shift ;;
  esac
done
exit "\${STUB_CLOUD_INIT_RC:-0}"
`,
};

export interface SandboxOptions {
  /** Whether `aws` is on PATH from the start (otherwise the script must install it with apt-get). */
  aws?: boolean;
  /** Where (relative to the prefix) a Wallarm cloud-init.py exists: CLOUD_INIT_4_10 and/or CLOUD_INIT_4_8. */
  layouts?: string[];
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: Call[];
  /** Contents of the files the stubs saved (snippet copies). */
  saved: (name: string) => string | undefined;
  /** Entries left in the script's TMPDIR after it exited. */
  leftovers: () => string[];
}

export class Sandbox {
  readonly root = mkdtempSync(join(tmpdir(), 'wallarm-oob-node-'));
  readonly bin = join(this.root, 'bin');
  readonly lib = join(this.root, 'lib');
  readonly out = join(this.root, 'out');
  readonly tmp = join(this.root, 'tmp');
  readonly prefix = join(this.root, 'prefix');
  readonly log = join(this.out, 'calls');

  constructor(options: SandboxOptions = {}) {
    for (const dir of [this.bin, this.lib, this.out, this.tmp, this.prefix]) mkdirSync(dir, { recursive: true });
    for (const [name, body] of Object.entries(STUBS)) this.writeExecutable(join(this.lib, name), `#!${BASH}\n${body}`);
    for (const name of ['systemctl', 'sleep', 'apt-get', ...(options.aws === false ? [] : ['aws'])]) {
      this.writeExecutable(join(this.bin, name), readFileSync(join(this.lib, name), 'utf8'));
    }
    for (const tool of TOOLS) symlinkSync(which(tool), join(this.bin, tool));
    for (const layout of options.layouts ?? [CLOUD_INIT_4_10]) {
      const target = join(this.prefix, layout);
      mkdirSync(dirname(target), { recursive: true });
      this.writeExecutable(target, readFileSync(join(this.lib, 'cloud-init.py'), 'utf8'));
    }
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
        ...env,
      },
    });
    if (result.error) throw result.error;
    return {
      status: result.status,
      stdout: result.stdout,
      stderr: result.stderr,
      calls: existsSync(this.log) ? parseCalls(readFileSync(this.log, 'utf8')) : [],
      saved: (name) => (existsSync(join(this.out, name)) ? readFileSync(join(this.out, name), 'utf8') : undefined),
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

/** Reads the NUL-separated call log the stubs append to: path, argc, then each argument. */
export function parseCalls(log: string): Call[] {
  const fields = log.split('\0');
  const calls: Call[] = [];
  let i = 0;
  while (i < fields.length - 1) {
    const path = fields[i++] ?? '';
    const argc = Number(fields[i++]);
    calls.push({ path, name: path.split('/').pop() ?? path, args: fields.slice(i, i + argc) });
    i += argc;
  }
  return calls;
}
