/**
 * Inputs of the vpc-mirror `native-node` receiver: the installer (URL and sha256) and the rendered bootstrap.
 *
 * Wallarm publishes no checksum for the all-in-one installer. Its sha256 comes from
 * `mirror.nativeNode.installer.sha256` (pinned like a lock file), else an online plan computes it on the
 * operator's machine by streaming the HTTPS download through sha256 (nothing is written to disk): trust on first
 * use, every instance then verifies exactly the bits the operator saw. An offline plan leaves it unknown.
 */
import { createHash } from 'node:crypto';
import type { LoadedConfig } from '../../../../config/load.js';
import { apiHostOf, type VpcMirrorConfig } from '../../../../config/schema.js';
import { unknown, type Unknown } from '../../../../engine/types.js';
import { ResolveError } from '../../../../errors.js';
import { renderGoNodeConfig, NATIVE_VXLAN_PORT, bpfFilter } from '../../../../render/go-node-config.js';
import { renderNativeNodeCloudInit } from '../../../../render/native-node-cloud-init.js';
import { installerVersionOf, isLoopbackHost, NATIVE_NODE_INSTALLER_VERSION, nativeNodeInstallerUrl } from '../../../../render/native-node-installer.js';

/** How long the checksum download may take (the installer is a few hundred MB). */
export const INSTALLER_DOWNLOAD_TIMEOUT_MS = 15 * 60_000;
const MAX_REDIRECTS = 5;

export interface InstallerChoice {
  url: string;
  /** Version read from the URL when it follows Wallarm's pattern. */
  version?: string;
  sha256?: string;
}

export function installerOf(config: VpcMirrorConfig): InstallerChoice {
  const installer = config.mirror.nativeNode?.installer;
  const url = installer?.url ?? nativeNodeInstallerUrl();
  return { url, version: installerVersionOf(url), ...(installer?.sha256 && { sha256: installer.sha256.toLowerCase() }) };
}

/** Streams `url` through sha256 without keeping it; https only (http on loopback), redirects included. */
export async function installerSha256(url: string, where: string): Promise<string> {
  const refuse = (why: string, cause?: unknown) =>
    new ResolveError('INSTALLER_DOWNLOAD_FAILED', `${where}: could not compute the sha256 of the Wallarm installer ${url}: ${why}.`, {
      cause,
      actions: [
        'Pin it: set mirror.nativeNode.installer.sha256 to the installer\'s SHA-256 (from `curl -fsSL <url> | sha256sum` on a machine you trust); then plans do not download it.',
        'Or check that this machine can reach the installer host over HTTPS (proxy, firewall, egress rules).',
      ],
    });
  // Redirects are followed here, one hop at a time, so a hop to plain http is refused before it is fetched.
  let current = new URL(url);
  let response: Response | undefined;
  for (let hop = 0; ; hop++) {
    if (current.protocol !== 'https:' && !(current.protocol === 'http:' && isLoopbackHost(current.hostname))) {
      throw refuse(hop === 0 ? `${current.protocol} is not https` : `it redirects to ${current.protocol}//${current.host}, which is not https`);
    }
    try {
      response = await fetch(current, { redirect: 'manual', signal: AbortSignal.timeout(INSTALLER_DOWNLOAD_TIMEOUT_MS) });
    } catch (cause) {
      const reason = (cause as Error & { cause?: Error }).cause?.message ?? (cause as Error).message ?? String(cause);
      throw refuse(reason, cause);
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) break;
    await response.body?.cancel();
    if (hop >= MAX_REDIRECTS) throw refuse(`more than ${MAX_REDIRECTS} redirects`);
    current = new URL(location, current);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw refuse(`the server answered HTTP ${response.status}`);
  }
  const hash = createHash('sha256');
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
  } catch (cause) {
    throw refuse(`the download broke off: ${(cause as Error).message ?? String(cause)}`, cause);
  }
  return hash.digest('hex');
}

/** The bootstrap for a known installer checksum. */
export function renderNativeNodeUserData(config: VpcMirrorConfig, region: string, sha256: string): string {
  const native = config.mirror.nativeNode;
  if (!native) throw new Error('renderNativeNodeUserData: not a native-node config');
  return renderNativeNodeCloudInit({
    region,
    tokenParameter: config.wallarm.tokenParameter,
    apiHost: apiHostOf(config),
    group: native.group ?? config.deployment,
    installer: { url: installerOf(config).url, sha256 },
    goNodeConfig: renderGoNodeConfig({ vni: config.mirror.vni, ports: config.mirror.ports, wallarmMode: config.wallarm.mode, proxyHeaders: native.proxyHeaders }),
  });
}

export interface NativeNodeInputs {
  userData: string | Unknown;
  notes: string[];
}

/** Offline: the bootstrap when the checksum is pinned, else unknown. No network. */
export function offlineNativeNodeInputs(config: VpcMirrorConfig, region: string): NativeNodeInputs {
  const installer = installerOf(config);
  const userData = installer.sha256
    ? renderNativeNodeUserData(config, region, installer.sha256)
    : unknown('the native node bootstrap: it embeds the installer sha256, computed by an online plan (or pin mirror.nativeNode.installer.sha256)');
  return { userData, notes: [summary(config, installer.sha256 ?? 'unknown offline (an online plan computes it; or pin mirror.nativeNode.installer.sha256)'), ...receiverNotes(config)] };
}

/** Online: the pinned checksum, or the one computed from the download (trust on first use). */
export async function resolveNativeNodeInputs(loaded: LoadedConfig, config: VpcMirrorConfig, region: string, options: { computeChecksum?: boolean } = {}): Promise<NativeNodeInputs> {
  const installer = installerOf(config);
  // validate checks the account, it does not download the installer: plan does.
  if (!installer.sha256 && options.computeChecksum === false) return offlineNativeNodeInputs(config, region);
  const notes: string[] = [];
  let sha256 = installer.sha256;
  if (!sha256) {
    sha256 = await installerSha256(installer.url, `${loaded.path}: mirror.nativeNode.installer`);
    notes.push(
      `The installer's sha256 is not pinned: computed ${sha256} from ${installer.url} on this machine (trust on first use; every node verifies these exact bits). Pin it like a lock file so plans stop downloading it and a changed download is refused: mirror.nativeNode.installer.sha256: ${sha256}`,
    );
  }
  return { userData: renderNativeNodeUserData(config, region, sha256), notes: [summary(config, sha256), ...notes, ...receiverNotes(config)] };
}

function summary(config: VpcMirrorConfig, sha256: string): string {
  const installer = installerOf(config);
  const version = installer.version ?? `unknown (not Wallarm's URL pattern; the pinned default is ${NATIVE_NODE_INSTALLER_VERSION})`;
  return (
    `Receiver native-node: Wallarm all-in-one installer ${version} from ${installer.url} (sha256 ${sha256}), run with --mode=tcp-capture-v2 ` +
    `--host ${apiHostOf(config)}; go-node config tcp_stream.from_vxlan on 0.0.0.0:${NATIVE_VXLAN_PORT}, vni_filter [${config.mirror.vni}], filter "${bpfFilter(config.mirror.ports)}"; ` +
    `the NLB listens on UDP ${NATIVE_VXLAN_PORT}.`
  );
}

function receiverNotes(config: VpcMirrorConfig): string[] {
  const notes = [
    `The token parameter ${config.wallarm.tokenParameter} must hold a Wallarm API token with the Node deployment/Deployment usage (the Native Node installer registers with it).`,
  ];
  const count = config.mirror.nativeNode?.count ?? 1;
  if (count > 1) {
    notes.push(
      `mirror.nativeNode.count is ${count}: the NLB picks a node per UDP flow (a 5-tuple hash), and AWS does not document that both directions of a mirrored TCP flow share that tuple; a flow split over two nodes cannot be reassembled. Keep 1 unless you have measured it.`,
    );
  }
  return notes;
}
