import { ConfigError } from '../errors.js';
import { assertUserDataSize } from './node-cloud-init.js';
import { renderShellTemplate } from './template.js';

/** User data of the vpc-mirror traffic rebuilder: goreplay turns mirrored VXLAN packets back into HTTP requests. */
export interface RebuilderCloudInitInput {
  /** Where rebuilt HTTP requests go: the Wallarm ALB endpoint, e.g. http://internal-x.eu-west-1.elb.amazonaws.com:8445 */
  mirrorEndpoint: string;
  /** VXLAN network id of the mirror sessions (REBUILDER_DEFAULTS.vni). */
  vni: number;
  /** goreplay --input-raw-expire, a Go duration (REBUILDER_DEFAULTS.expire). */
  expire: string;
  /** goreplay --input-raw-buffer-size (REBUILDER_DEFAULTS.bufferSize). */
  bufferSize: string;
  /** Adds --output-stdout, so rebuilt requests show up in the journal. */
  debug: boolean;
  /**
   * A prebuilt goreplay artefact (a .tar.gz/.tgz holding a `gor` or `goreplay` binary, or the bare binary) and
   * its sha256. When absent, goreplay is built from source at GOREPLAY_COMMIT.
   */
  goreplay?: { url: string; sha256: string };
}

export const REBUILDER_DEFAULTS = { vni: 1377, expire: '30s', bufferSize: '256MB', debug: false } as const;

/** UDP port AWS traffic mirroring sends VXLAN to (fixed by AWS), and goreplay's --input-raw-vxlan-port. */
export const VXLAN_PORT = 4789;
/** The NLB target group's HTTP health check: nginx answers it once goreplay runs. */
export const HEALTHCHECK_PORT = 9445;
export const HEALTHCHECK_PATH = '/-/healthcheck';

export const GOREPLAY_REPOSITORY = 'https://github.com/buger/goreplay.git';
/**
 * Pinned goreplay commit for the build-from-source path. It must contain the vxlan engine (PR #1051, Feb 2022)
 * and the vxlan body fix (PR #1099, July 2022). Found in a public code index as a buger/goreplay commit whose
 * go.mod declares `go 1.19` with the 2022 dependency set of the vxlan/k8s capture rewrite, so it postdates Go
 * 1.19 (Aug 2022). Its date and file layout were inferred, not read from GitHub: verify before relying on it.
 * The reference Terraform module pinned d440b3dc8f2800b8147cd968f68aa10ec8b72e3b (with go1.18.3), which most
 * likely predates that fix. The script checks `git rev-parse HEAD` against this value and refuses to build
 * anything else, and fails if the vxlan source to patch is missing.
 */
export const GOREPLAY_COMMIT = '09f09e5cdf94a69563f35dc9cdfb131e581a6d7e';

/** Go toolchain used to build GOREPLAY_COMMIT (its go.mod asks for >= 1.19). */
export const GO_VERSION = '1.22.12';
export const GO_TARBALL_URL = `https://go.dev/dl/go${GO_VERSION}.linux-amd64.tar.gz`;
/** sha256 of GO_TARBALL_URL as published by https://go.dev/dl/?mode=json&include=all (linux-amd64 entry). */
export const GO_TARBALL_SHA256 = '4fa4f869b0f7fc6bb1eb2660e74657fbf04cdd290b5aef905585c86051b34d43';

/**
 * Where goreplay defines its vxlan read buffer, `const VxLanPacketSize = 1526 //vxlan 8 B + ethernet II 1518 B`,
 * used as `make([]byte, VxLanPacketSize)` per UDP datagram: capture/vxlan.go in 2022 trees, internal/capture/vxlan.go
 * after the later move to internal/. The first existing one is patched.
 */
export const GOREPLAY_VXLAN_SOURCES = ['capture/vxlan.go', 'internal/capture/vxlan.go'] as const;
/** Upstream buffer: fits 1500-MTU frames only; larger datagrams are truncated (issue #1134: bodies lost at MTU 9000). */
export const VXLAN_BUFFER_UPSTREAM_BYTES = 1526;
/** Patched buffer: VXLAN header (8) + inner Ethernet/802.1Q header (18) + 9001-byte EC2 jumbo MTU, rounded up. */
export const VXLAN_BUFFER_BYTES = 9216;

const ENDPOINT = /^http:\/\/[A-Za-z0-9.-]+(:\d+)?$/;
// Go time.ParseDuration without the µs unit (non-ASCII) and without a sign: 30s, 1m30s, 1.5s, 500ms.
const DURATION = /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/;
// goreplay size flags (size.Size): a byte count with an optional unit, e.g. 256MB, 1gb, 65536.
const SIZE = /^\d+([kmgt]?b)?$/i;
const SHA256 = /^[0-9a-f]{64}$/i;
const MAX_VNI = 2 ** 24 - 1;

function invalid(field: string, message: string, action: string): never {
  throw new ConfigError('REBUILDER_INPUT_INVALID', `Rebuilder cloud-init: ${field} ${message}`, { actions: [action] });
}

/**
 * Values end up inside a systemd unit (ExecStart is parsed by systemd, which also expands `$VAR` and `%x`), so
 * everything is validated to a plain shape here, not escaped there.
 */
function validate(input: RebuilderCloudInitInput) {
  const { mirrorEndpoint, vni, expire, bufferSize, goreplay } = input;

  const endpointPort = ENDPOINT.exec(mirrorEndpoint)?.[1];
  if (!ENDPOINT.test(mirrorEndpoint)) {
    invalid('mirrorEndpoint', `${JSON.stringify(mirrorEndpoint)} is not a plain http://host[:port] URL.`,
      'Use the Wallarm load balancer endpoint, e.g. http://internal-wallarm.eu-west-1.elb.amazonaws.com:8445 (no path, credentials, spaces or quotes).');
  }
  if (endpointPort !== undefined) {
    const port = Number(endpointPort.slice(1));
    if (port < 1 || port > 65535) {
      invalid('mirrorEndpoint', `port ${port} is out of range.`, 'Use a port between 1 and 65535.');
    }
  }
  if (!Number.isInteger(vni) || vni < 1 || vni > MAX_VNI) {
    // goreplay's --input-raw-vxlan-vni only allows VNIs > 0; 0 would silently drop every packet.
    invalid('vni', `${String(vni)} is not a VXLAN network id between 1 and ${MAX_VNI}.`,
      `Use the traffic mirror sessions' virtual network id (default ${REBUILDER_DEFAULTS.vni}).`);
  }
  if (!DURATION.test(expire)) {
    invalid('expire', `${JSON.stringify(expire)} is not a Go duration.`, `Use e.g. ${REBUILDER_DEFAULTS.expire}, 500ms or 1m30s.`);
  }
  if (!SIZE.test(bufferSize)) {
    invalid('bufferSize', `${JSON.stringify(bufferSize)} is not a size.`, `Use e.g. ${REBUILDER_DEFAULTS.bufferSize}, 1GB or 65536.`);
  }

  if (goreplay === undefined) return { artefact: undefined };

  let url: URL;
  try {
    url = new URL(goreplay.url);
  } catch {
    return invalid('goreplay.url', `${JSON.stringify(goreplay.url)} is not a URL.`, 'Use the https:// URL of the goreplay artefact.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    invalid('goreplay.url', `uses ${url.protocol}, which curl on the instance cannot fetch here.`, 'Use an https:// URL (e.g. a GitHub release asset or an S3 object URL).');
  }
  if (!SHA256.test(goreplay.sha256)) {
    invalid('goreplay.sha256', `${JSON.stringify(goreplay.sha256)} is not a sha256 (64 hex digits).`, 'Use the output of `sha256sum <artefact>`.');
  }
  const archive = /\.(tar\.gz|tgz)$/i.test(url.pathname);
  return { artefact: { url: goreplay.url, sha256: goreplay.sha256.toLowerCase(), archive } };
}

/** Renders the rebuilder's user data script and checks it fits in EC2 user data. */
export function renderRebuilderCloudInit(input: RebuilderCloudInitInput): string {
  const { artefact } = validate(input);
  const script = renderShellTemplate('rebuilder-cloud-init.sh.eta', {
    mirrorEndpoint: input.mirrorEndpoint,
    vni: input.vni,
    expire: input.expire,
    bufferSize: input.bufferSize,
    debug: input.debug,
    artefact,
    vxlanPort: VXLAN_PORT,
    healthcheckPort: HEALTHCHECK_PORT,
    healthcheckPath: HEALTHCHECK_PATH,
    goreplayRepository: GOREPLAY_REPOSITORY,
    goreplayCommit: GOREPLAY_COMMIT,
    goTarballUrl: GO_TARBALL_URL,
    goTarballSha256: GO_TARBALL_SHA256,
    vxlanSources: GOREPLAY_VXLAN_SOURCES,
    vxlanBufferFrom: VXLAN_BUFFER_UPSTREAM_BYTES,
    vxlanBufferTo: VXLAN_BUFFER_BYTES,
  });

  assertUserDataSize('rebuilder cloud-init', script, {
    mirrorEndpoint: input.mirrorEndpoint,
    'goreplay.url': input.goreplay?.url,
  });
  return script;
}
