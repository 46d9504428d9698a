/**
 * A throw-away sandbox for running the rendered native node bootstrap without root or network: stubs for
 * apt-get (which "installs" the aws stub), aws, curl (serves fixtures by the URL's last path segment) and sleep
 * on a PATH holding nothing else besides a few real tools (sha256sum really checks the downloaded bytes), a
 * temp TMPDIR, and a WALLARM_CLOUD_INIT_PREFIX standing in for /.
 */
import { AWS_STUB, BASH, RECORD, ScriptSandbox } from './script-sandbox.js';

export { sha256, type Call, type RunResult } from './script-sandbox.js';

const TOOLS = ['mktemp', 'rm', 'chmod', 'cat', 'cp', 'mkdir', 'basename', 'sha256sum', 'cut', 'grep', 'env'];

const STUBS: Record<string, string> = {
  sleep: `${RECORD}\n`,
  aws: AWS_STUB,
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

export class NativeNodeSandbox extends ScriptSandbox {
  constructor() {
    super({ name: 'native', stubs: STUBS, onPath: ['sleep', 'apt-get', 'curl'], tools: TOOLS });
  }
}
