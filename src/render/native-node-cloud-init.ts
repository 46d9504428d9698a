import { ConfigError } from '../errors.js';
import { isLoopbackHost } from './native-node-installer.js';
import { assertUserDataSize } from './node-cloud-init.js';
import { renderShellTemplate } from './template.js';

/** User data of the vpc-mirror native-node receiver (no secret in it: the token is read from SSM at boot). */
export interface NativeNodeCloudInitInput {
  region: string;
  /** SSM parameter holding the Wallarm API token (usage Node deployment/Deployment). */
  tokenParameter: string;
  /** Wallarm API host (api.wallarm.com, us1.api.wallarm.com, or wallarm.apiHost). */
  apiHost: string;
  /** Wallarm Console node group: WALLARM_LABELS='group=<group>'. */
  group: string;
  installer: { url: string; sha256: string };
  /** The rendered go-node YAML (renderGoNodeConfig). */
  goNodeConfig: string;
}

const SHA256 = /^[0-9a-f]{64}$/i;

function invalid(field: string, message: string, action: string): never {
  throw new ConfigError('NATIVE_NODE_INPUT_INVALID', `Native node cloud-init: ${field} ${message}`, { actions: [action] });
}

/** Renders the native node's bootstrap script and checks it fits in EC2 user data. */
export function renderNativeNodeCloudInit(input: NativeNodeCloudInitInput): string {
  let url: URL;
  try {
    url = new URL(input.installer.url);
  } catch {
    return invalid('installer.url', `${JSON.stringify(input.installer.url)} is not a URL.`, 'Use the https:// URL of the all-in-one installer.');
  }
  const loopbackHttp = url.protocol === 'http:' && isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    invalid('installer.url', `uses ${url.protocol}; the installer runs as root, so it is only fetched over https.`, 'Use an https:// URL.');
  }
  if (!SHA256.test(input.installer.sha256)) {
    invalid('installer.sha256', `${JSON.stringify(input.installer.sha256)} is not a sha256 (64 hex digits).`, 'Use the output of `sha256sum <installer>`.');
  }
  const script = renderShellTemplate('native-node-cloud-init.sh.eta', {
    region: input.region,
    tokenParameter: input.tokenParameter,
    apiHost: input.apiHost,
    group: input.group,
    installerUrl: input.installer.url,
    installerSha256: input.installer.sha256.toLowerCase(),
    curlProtocols: loopbackHttp ? '=http,https' : '=https',
    goNodeConfig: input.goNodeConfig,
  });
  assertUserDataSize('native node cloud-init', script, { goNodeConfig: input.goNodeConfig });
  return script;
}
