import { stringify } from 'yaml';
import type { NativeNodeConfig } from '../config/native-node.js';
import type { WallarmMode } from '../config/schema.js';
import { GoNodeConfigSchema, type GoNodeConfig } from './go-node-schema.js';

/** UDP port AWS traffic mirroring sends VXLAN to (fixed by AWS); the node's from_vxlan listener. */
export const NATIVE_VXLAN_PORT = 4789;
/** The node's health_check listener (its documented default :8080): `/ready` answers the NLB health check. */
export const NATIVE_HEALTH_PORT = 8080;
export const NATIVE_HEALTH_PATH = '/ready';

export interface GoNodeConfigInput {
  /** VXLAN network id of the mirror sessions: the only VNI the listener accepts. */
  vni: number;
  /** mirror.ports; empty: every TCP port. */
  ports: readonly number[];
  wallarmMode: WallarmMode;
  proxyHeaders?: NativeNodeConfig['proxyHeaders'];
}

/**
 * BPF filter applied to the decapsulated packets: TCP, and only the mirrored ports when some are listed. `port`
 * matches either end, so requests (to the port) and responses (from it) both pass.
 */
export function bpfFilter(ports: readonly number[]): string {
  if (ports.length === 0) return 'tcp';
  return `tcp and (${[...ports].sort((a, b) => a - b).map((p) => `port ${p}`).join(' or ')})`;
}

/** The go-node configuration object (docs.wallarm.com/installation/native-node/all-in-one-conf/). */
export function goNodeConfig(input: GoNodeConfigInput): GoNodeConfig {
  const config: GoNodeConfig = {
    version: 4,
    mode: 'tcp-capture-v2',
    tcp_stream: {
      from_vxlan: { enabled: true, listen_addr: `0.0.0.0:${NATIVE_VXLAN_PORT}`, vni_filter: [input.vni], filter: bpfFilter(input.ports) },
    },
    tcp_reassembler: { parse_responses: true },
    // Out of band the node only monitors; `off` is the one other documented value.
    route_config: { wallarm_mode: input.wallarmMode === 'off' ? 'off' : 'monitoring' },
    ...(input.proxyHeaders && {
      proxy_headers: input.proxyHeaders.map((rule) => ({
        ...(rule.trustedNetworks && { trusted_networks: [...rule.trustedNetworks] }),
        ...(rule.originalHost && { original_host: [...rule.originalHost] }),
        ...(rule.realIp && { real_ip: [...rule.realIp] }),
      })),
    }),
    health_check: { enabled: true, listen_address: `:${NATIVE_HEALTH_PORT}` },
  };
  return GoNodeConfigSchema.parse(config);
}

/** The go-node YAML file the installer copies to /opt/wallarm/etc/wallarm/go-node.yaml. */
export function renderGoNodeConfig(input: GoNodeConfigInput): string {
  return `# Wallarm Native Node (tcp-capture-v2), rendered by wallarm-oob\n${stringify(goNodeConfig(input), { lineWidth: 0 })}`;
}
