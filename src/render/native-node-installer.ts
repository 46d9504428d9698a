/**
 * Version table of the Wallarm Native Node all-in-one installer used by the vpc-mirror `native-node` receiver.
 *
 * `tcp_stream.from_vxlan` (the UDP listener that decapsulates VXLAN itself) exists since Native Node 0.24.0
 * (docs.wallarm.com/installation/native-node/all-in-one-conf/#tcp_streamfrom_vxlan); the pinned version is the
 * newest one Wallarm's installation pages show (docs.wallarm.com/installation/oob/tcp-traffic-mirror/deployment/,
 * "Step 2: Download Wallarm installer"). Wallarm publishes no checksum for the installer, so none is recorded
 * here: the sha256 comes from `mirror.nativeNode.installer.sha256`, or is computed at plan time from the download
 * (see src/topologies/vpc-mirror/receivers/native-node/inputs.ts).
 */

/** The installer version wallarm-oob installs by default. */
export const NATIVE_NODE_INSTALLER_VERSION = '0.25.5';
/** The first version with `tcp_stream.from_vxlan`. */
export const NATIVE_NODE_MIN_VERSION = '0.24.0';
/** Only the x86_64 installer: the instances run the Debian 12 amd64 AMI (mirror.nativeNode.instanceType is x86_64). */
export const NATIVE_NODE_ARCH = 'x86_64';

/** `https://meganode.wallarm.com/native/aio-native-<version>.<arch>.sh`, the URL pattern of the docs. */
export function nativeNodeInstallerUrl(version: string = NATIVE_NODE_INSTALLER_VERSION, arch: string = NATIVE_NODE_ARCH): string {
  return `https://meganode.wallarm.com/native/aio-native-${version}.${arch}.sh`;
}

/** The installer version in a URL of the documented pattern, else undefined (a mirror of your own, say). */
export function installerVersionOf(url: string): string | undefined {
  return /\/aio-native-(\d+\.\d+\.\d+)\.[a-z0-9_]+\.sh$/.exec(new URL(url).pathname)?.[1];
}

/** Loopback hosts, the only ones an http:// installer URL may name (tests, a local cache). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
