/**
 * A throw-away sandbox for running the rendered node script without root: stub executables on a PATH that
 * holds nothing else (so a real `aws` on the developer's machine is never reached), a temp TMPDIR, and a
 * WALLARM_CLOUD_INIT_PREFIX under which the stub cloud-init.py is placed.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_NODE_VERSION, nodeLine, type NodeLine } from '../../src/wallarm/node-versions.js';
import { AWS_STUB, BASH, RECORD, ScriptSandbox } from './script-sandbox.js';

export { parseCalls, type Call, type RunResult } from './script-sandbox.js';

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

// Real tools the script (and the stubs) use besides shell builtins.
const TOOLS = ['mktemp', 'rm', 'chmod', 'cat'];

const STUBS: Record<string, string> = {
  systemctl: `${RECORD}\n`,
  sleep: `${RECORD}\n`,
  aws: AWS_STUB,
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

export class Sandbox extends ScriptSandbox {
  constructor(options: SandboxOptions = {}) {
    super({ name: 'node', stubs: STUBS, onPath: ['systemctl', 'sleep', 'apt-get', ...(options.aws === false ? [] : ['aws'])], tools: TOOLS });
    for (const line of options.lines ?? [nodeLine(DEFAULT_NODE_VERSION)]) {
      const target = join(this.prefix, line.cloudInitPath);
      mkdirSync(dirname(target), { recursive: true });
      this.writeExecutable(target, `#!${BASH}\n${cloudInitStub(line.presets)}`);
    }
  }
}
