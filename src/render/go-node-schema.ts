/**
 * The go-node configuration keys wallarm-oob writes, as documented by Wallarm
 * (docs.wallarm.com/installation/native-node/all-in-one-conf/ and
 * docs.wallarm.com/installation/oob/tcp-traffic-mirror/configuration/). Strict objects: a key that is not
 * documented (a typo) fails, so the rendered file can only hold what the node understands.
 */
import { z } from 'zod';

const listenAddress = z.string().regex(/^(\d{1,3}(\.\d{1,3}){3})?:\d{1,5}$/);

export const GoNodeConfigSchema = z.strictObject({
  version: z.literal(4),
  mode: z.literal('tcp-capture-v2'),
  tcp_stream: z.strictObject({
    // tcp_stream.from_vxlan (Native Node >= 0.24.0): enabled, listen_addr, vni_filter, filter.
    from_vxlan: z.strictObject({
      enabled: z.literal(true),
      listen_addr: listenAddress,
      vni_filter: z.array(z.number().int().min(0).max(16777215)).optional(),
      filter: z.string().min(1).optional(),
    }),
  }),
  // tcp_reassembler.parse_responses: responses feed API Discovery and vulnerability detection.
  tcp_reassembler: z.strictObject({ parse_responses: z.boolean() }).optional(),
  // route_config.wallarm_mode: monitoring or off (an out-of-band node never blocks).
  route_config: z.strictObject({ wallarm_mode: z.enum(['monitoring', 'off']) }).optional(),
  proxy_headers: z
    .array(
      z.strictObject({
        trusted_networks: z.array(z.string()).optional(),
        original_host: z.array(z.string()).optional(),
        real_ip: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  // health_check.enabled / listen_address: /live and /ready.
  health_check: z.strictObject({ enabled: z.literal(true), listen_address: listenAddress }),
});

export type GoNodeConfig = z.infer<typeof GoNodeConfigSchema>;
