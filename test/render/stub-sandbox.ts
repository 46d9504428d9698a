/**
 * A throw-away sandbox for running the rendered node script without root: stub executables on a PATH that
 * holds nothing else (so a real `aws` on the developer's machine is never reached), a temp TMPDIR, and a
 * WALLARM_CLOUD_INIT_PREFIX under which the stub cloud-init.py is placed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { DEFAULT_NODE_VERSION, nodeLine, type NodeLine } from '../../src/wallarm/node-versions.js';

export interface Call {
  /** The stub's full path ($0). */
  path: string;
  /** Its file name. */
  name: string;
  args: string[];
}

/**
 * A stub of Wallarm's cloud-init.py for one node line: it accepts exactly the documented argparse options of
 * that line (docs.wallarm.com/installation/cloud-platforms/cloud-init/: `-p {proxy,custom}` from 5.0 on,
 * `{proxy,mirror,custom}` on 4.x) and exits 2 with argparse's message otherwise, as the real script does.
 * It records its environment's WALLARM_LABELS and keeps a copy of each snippet file.
 */
function cloudInitStub(presets: readonly string[]): string {
  const choices = presets.map((p) => `'${p}'`).join(', ');
  return `${RECORD}
usage() { echo "usage: cloud-init.py [-h] -t TOKEN [-H HOST] [--skip-register] [-p {${presets.join(',')}}] ..." >&2; echo "cloud-init.py: error: $1" >&2; exit 2; }
token="" preset="" proxy_pass=""
while (($# > 0)); do
  case "$1" in
    -t | --token) token="$2"; shift 2 ;;
    -p | --preset) preset="$2"; shift 2 ;;
    -m | --mode)
      case "$2" in off | monitoring | safe_blocking | block) ;; *) usage "argument -m/--mode: invalid choice: '$2'" ;; esac
      shift 2 ;;
    --proxy-pass) proxy_pass="$2"; shift 2 ;;
    -H | --host | -l | --log) shift 2 ;;
    --libdetection | --skip-register) shift ;;
    --global-snippet | --http-snippet | --server-snippet)
      cat "$2" >"\${STUB_OUT}/\${1#--}.conf"
      shift 2
      ;;
    *) usage "unrecognized arguments: $1" ;;
  esac
done
[[ -n "\${token}" ]] || usage "the following arguments are required: -t/--token"
case " ${presets.join(' ')} " in *" \${preset} "*) ;; *) usage "argument -p/--preset: invalid choice: '\${preset}' (choose from ${choices})" ;; esac
if [[ "\${preset}" == proxy && -z "\${proxy_pass}" ]]; then usage "--proxy-pass is required with the proxy preset"; fi
printf 'WALLARM_LABELS=%s\\n' "\${WALLARM_LABELS-<unset>}" >"\${STUB_OUT}/cloud-init.env"
exit "\${STUB_CLOUD_INIT_RC:-0}"
`;
}

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
};

export interface SandboxOptions {
  /** Whether `aws` is on PATH from the start (otherwise the script must install it with apt-get). */
  aws?: boolean;
  /** The node lines whose cloud-init.py stub is installed (at the line's path under the prefix); default the default line. */
  lines?: readonly NodeLine[];
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
    for (const line of options.lines ?? [nodeLine(DEFAULT_NODE_VERSION)]) {
      const target = join(this.prefix, line.cloudInitPath);
      mkdirSync(dirname(target), { recursive: true });
      this.writeExecutable(target, `#!${BASH}\n${cloudInitStub(line.presets)}`);
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
