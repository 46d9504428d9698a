import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { bpfFilter, renderGoNodeConfig, type GoNodeConfigInput } from '../../src/render/go-node-config.js';
import { GoNodeConfigSchema } from '../../src/render/go-node-schema.js';

const BASE: GoNodeConfigInput = { vni: 1377, ports: [], wallarmMode: 'monitoring' };

const VARIANTS: Record<string, GoNodeConfigInput> = {
  'all TCP, default VNI': BASE,
  'ports 80 and 8080, VNI 42': { ...BASE, vni: 42, ports: [8080, 80] },
  'VNI 0, mode off': { ...BASE, vni: 0, wallarmMode: 'off' },
  'proxy headers': {
    ...BASE,
    ports: [80],
    proxyHeaders: [
      { trustedNetworks: ['10.0.0.0/8'], originalHost: ['X-Forwarded-Host'], realIp: ['X-Forwarded-For'] },
      { realIp: ['X-Real-IP'] },
    ],
  },
};

/** The rendered document, loosely typed so a test can break it on purpose. */
type Doc = { tcp_stream: { from_vxlan: Record<string, unknown> }; health_check: Record<string, unknown>; proxy_headers: Record<string, unknown>[]; [key: string]: unknown };

describe('go-node config', () => {
  it.each(Object.entries(VARIANTS))('%s: the rendered YAML passes the schema of documented keys', (_name, input) => {
    const yaml = parse(renderGoNodeConfig(input)) as unknown;
    expect(GoNodeConfigSchema.safeParse(yaml).error).toBeUndefined();
  });

  it('reads VXLAN on 0.0.0.0:4789 for the sessions VNI only, in tcp-capture-v2 mode, with the /ready listener on :8080', () => {
    const yaml = parse(renderGoNodeConfig({ ...BASE, vni: 42, ports: [8080, 80] }));
    expect(yaml).toEqual({
      version: 4,
      mode: 'tcp-capture-v2',
      tcp_stream: { from_vxlan: { enabled: true, listen_addr: '0.0.0.0:4789', vni_filter: [42], filter: 'tcp and (port 80 or port 8080)' } },
      tcp_reassembler: { parse_responses: true },
      route_config: { wallarm_mode: 'monitoring' },
      health_check: { enabled: true, listen_address: ':8080' },
    });
  });

  it('renders proxy headers with the documented key names only when set', () => {
    const withHeaders = parse(renderGoNodeConfig(VARIANTS['proxy headers']!));
    expect(withHeaders.proxy_headers).toEqual([
      { trusted_networks: ['10.0.0.0/8'], original_host: ['X-Forwarded-Host'], real_ip: ['X-Forwarded-For'] },
      { real_ip: ['X-Real-IP'] },
    ]);
    expect(parse(renderGoNodeConfig(BASE))).not.toHaveProperty('proxy_headers');
  });

  it('maps wallarm.mode: off stays off, every other mode monitors (an out-of-band node cannot block)', () => {
    expect(parse(renderGoNodeConfig({ ...BASE, wallarmMode: 'off' })).route_config).toEqual({ wallarm_mode: 'off' });
    expect(parse(renderGoNodeConfig({ ...BASE, wallarmMode: 'block' })).route_config).toEqual({ wallarm_mode: 'monitoring' });
  });

  it('filters TCP, on the listed ports in both directions', () => {
    expect(bpfFilter([])).toBe('tcp');
    expect(bpfFilter([443, 80])).toBe('tcp and (port 80 or port 443)');
  });

  describe('the schema catches a wrong key', () => {
    const good = () => parse(renderGoNodeConfig(VARIANTS['proxy headers']!)) as Doc;
    it.each([
      ['a misspelt from_vxlan key', (c: Doc) => { c.tcp_stream.from_vxlan.listen_address = c.tcp_stream.from_vxlan.listen_addr; delete c.tcp_stream.from_vxlan.listen_addr; }],
      ['vni_filters instead of vni_filter', (c: Doc) => { c.tcp_stream.from_vxlan.vni_filters = [1]; }],
      ['health_check.listen_addr', (c: Doc) => { c.health_check.listen_addr = ':8080'; }],
      ['proxy_headers real_ips', (c: Doc) => { c.proxy_headers[0]!.real_ips = ['X-Real-IP']; }],
      ['an unknown top-level key', (c: Doc) => { c.tcp_streams = {}; }],
      ['another mode', (c: Doc) => { c.mode = 'connector-server'; }],
    ])('%s', (_name, mutate) => {
      const config = good();
      expect(GoNodeConfigSchema.safeParse(config).success).toBe(true);
      mutate(config);
      expect(GoNodeConfigSchema.safeParse(config).success).toBe(false);
    });
  });
});
