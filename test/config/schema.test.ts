import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { API_HOSTS, apiHostOf, ConfigSchema, type ConfigInput } from '../../src/config/schema.js';

const minimal: ConfigInput = {
  deployment: 'shop-oob',
  topology: 'web-server-mirror',
  vpcId: 'vpc-0123456789abcdef0',
  subnets: { loadBalancer: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] },
};

describe('ConfigSchema defaults', () => {
  it('fills every default of a minimal web-server-mirror config', () => {
    const config = ConfigSchema.parse(minimal);
    expect(config).toEqual({
      ...minimal,
      subnets: { loadBalancer: minimal.subnets.loadBalancer, instances: minimal.subnets.loadBalancer },
      wallarm: { cloud: 'eu', tokenParameter: '/wallarm-oob/shop-oob/node-token', mode: 'monitoring', nodeVersion: '7.x', libdetection: false },
      nodes: { instanceType: 't3.medium', minSize: 1, maxSize: 3, desiredCapacity: 1, cpuTargetPercent: 70, volumeSizeGiB: 30, extraInboundPorts: [] },
      network: {
        mirrorSourceCidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'],
        nodeInboundCidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'],
        nodeOutboundCidrs: ['0.0.0.0/0'],
        sshCidrs: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'],
      },
      loadBalancer: { deletionProtection: false },
      tags: {},
    });
    expect(config).not.toHaveProperty('mirror');
    expect(config).not.toHaveProperty('rebuilder');
  });

  it('keeps explicit values over derived defaults', () => {
    const config = ConfigSchema.parse({
      ...minimal,
      subnets: { ...minimal.subnets, instances: ['subnet-0123456789abcdef2'] },
      wallarm: { tokenParameter: '/custom/token' },
      network: { nodeInboundCidrs: ['10.1.0.0/16'], sshCidrs: ['192.0.2.0/24'] },
      nodes: { cpuTargetPercent: null },
    });
    expect(config.subnets.instances).toEqual(['subnet-0123456789abcdef2']);
    expect(config.wallarm.tokenParameter).toBe('/custom/token');
    expect(config.network.sshCidrs).toEqual(['192.0.2.0/24']);
    expect(config.nodes.cpuTargetPercent).toBeNull();
  });

  it('sshCidrs default to nodeInboundCidrs as configured', () => {
    const config = ConfigSchema.parse({ ...minimal, network: { nodeInboundCidrs: ['10.1.0.0/16'] } });
    expect(config.network.sshCidrs).toEqual(['10.1.0.0/16']);
  });

  it('fills mirror and rebuilder defaults for vpc-mirror', () => {
    const config = ConfigSchema.parse({ ...minimal, topology: 'vpc-mirror', mirror: { sources: [{ tags: { role: 'web' } }] } });
    expect(config.topology).toBe('vpc-mirror');
    if (config.topology !== 'vpc-mirror') throw new Error('narrowing');
    // The default receiver is the Native Node, which needs both directions.
    expect(config.mirror).toEqual({
      receiver: 'native-node',
      sources: [{ tags: { role: 'web' } }],
      ingress: true,
      egress: true,
      ports: [],
      vni: 1377,
      firstSessionNumber: 1,
      // a tag source is dynamic: the follower is on by default
      follow: true,
      followSchedule: 'rate(5 minutes)',
      nativeNode: { instanceType: 't3.medium', count: 1, volumeSizeGiB: 30 },
    });
    expect(config.rebuilder).toEqual({ instanceType: 't3.small', count: 1 });
  });

  it('receiver goreplay keeps its defaults: requests only, no nativeNode', () => {
    const config = ConfigSchema.parse({ ...minimal, topology: 'vpc-mirror', mirror: { receiver: 'goreplay', sources: [{ tags: { role: 'web' } }] } });
    if (config.topology !== 'vpc-mirror') throw new Error('narrowing');
    expect(config.mirror).toEqual({
      receiver: 'goreplay',
      sources: [{ tags: { role: 'web' } }],
      ingress: true,
      egress: false,
      ports: [],
      vni: 1377,
      firstSessionNumber: 1,
      follow: true,
      followSchedule: 'rate(5 minutes)',
    });
  });

  it('mirror.follow: on by default only with a dynamic source; followSchedule must be an EventBridge schedule', () => {
    const vpc = (mirror: object) => ConfigSchema.safeParse({ ...minimal, topology: 'vpc-mirror', mirror });
    const follow = (mirror: object) => {
      const r = vpc(mirror);
      return r.success && r.data.topology === 'vpc-mirror' ? r.data.mirror.follow : undefined;
    };
    expect(follow({ sources: [{ networkInterfaceIds: ['eni-0123456789abcdef0'] }] })).toBe(false);
    expect(follow({ sources: [{ networkInterfaceIds: ['eni-0123456789abcdef0'] }, { autoScalingGroup: 'web' }] })).toBe(true);
    expect(follow({ sources: [{ eks: { cluster: 'prod' } }] })).toBe(true);
    expect(follow({ sources: [{ autoScalingGroup: 'web' }], follow: false })).toBe(false);
    for (const ok of ['rate(1 minute)', 'rate(10 minutes)', 'rate(2 hours)', 'cron(0/10 * * * ? *)']) expect(vpc({ sources: [{ autoScalingGroup: 'web' }], followSchedule: ok }).success).toBe(true);
    for (const bad of ['rate(1 minutes)', 'rate(5 minute)', 'every 5 minutes', 'rate(0 minutes)']) {
      const r = vpc({ sources: [{ autoScalingGroup: 'web' }], followSchedule: bad });
      expect(r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([expect.stringMatching(/^mirror\.followSchedule: must be an EventBridge schedule expression/)]);
    }
  });

  it('native-node: refuses a one-way mirror, a rebuilder section, an Arm type and a plain-http installer; pins sha256', () => {
    const vpc = (mirror: object, extra: object = {}) =>
      ConfigSchema.safeParse({ ...minimal, topology: 'vpc-mirror', mirror: { sources: [{ tags: { role: 'web' } }], ...mirror }, ...extra });
    const messages = (r: ReturnType<typeof vpc>) => r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(messages(vpc({ egress: false }))).toEqual([expect.stringMatching(/^mirror\.egress: is false, but receiver native-node .*needs both directions.*or use receiver: goreplay/)]);
    expect(messages(vpc({ ingress: false }))).toEqual([expect.stringMatching(/^mirror\.ingress: is false, but receiver native-node/)]);
    expect(messages(vpc({}, { rebuilder: { count: 1 } }))).toEqual([expect.stringMatching(/^rebuilder: only applies to mirror\.receiver: goreplay/)]);
    expect(messages(vpc({ receiver: 'goreplay', nativeNode: {} }))).toEqual([expect.stringMatching(/^mirror\.nativeNode: only applies to receiver native-node/)]);
    expect(messages(vpc({ nativeNode: { instanceType: 'm6g.large' } }))).toEqual([expect.stringMatching(/Arm \(Graviton\)/)]);
    expect(messages(vpc({ nativeNode: { installer: { url: 'http://example.com/aio.sh' } } }))).toEqual([expect.stringMatching(/not an https:\/\/ URL/)]);
    expect(messages(vpc({ nativeNode: { installer: { url: 'http://127.0.0.1:8080/aio.sh', sha256: 'A'.repeat(64) } } }))).toEqual([]);
    expect(messages(vpc({ nativeNode: { proxyHeaders: [{ trustedNetworks: ['10.0.0.0/8'] }] } }))).toEqual([expect.stringMatching(/names no header/)]);
  });

  it('accepts 8- and 17-digit ids and goreplay url + sha256 together', () => {
    const config = ConfigSchema.parse({
      ...minimal,
      vpcId: 'vpc-0123abcd',
      topology: 'vpc-mirror',
      mirror: { receiver: 'goreplay', sources: [{ networkInterfaceIds: ['eni-0123abcd'] }, { elbPublicIps: ['203.0.113.10'] }, { eks: { cluster: 'prod' } }] },
      rebuilder: { goreplay: { url: 'https://example.com/gor.tar.gz', sha256: 'a'.repeat(64) } },
    });
    expect(config.vpcId).toBe('vpc-0123abcd');
  });
});

describe('apiHostOf', () => {
  it('maps the cloud to its API host, and apiHost overrides it', () => {
    expect(API_HOSTS).toEqual({ eu: 'api.wallarm.com', us: 'us1.api.wallarm.com' });
    expect(apiHostOf(ConfigSchema.parse(minimal))).toBe('api.wallarm.com');
    expect(apiHostOf(ConfigSchema.parse({ ...minimal, wallarm: { cloud: 'us' } }))).toBe('us1.api.wallarm.com');
    expect(apiHostOf(ConfigSchema.parse({ ...minimal, wallarm: { cloud: 'us', apiHost: 'wallarm.internal.example' } }))).toBe('wallarm.internal.example');
  });
});

describe('descriptions', () => {
  type JsonSchema = { description?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[] };

  function undescribed(schema: JsonSchema, path: string): string[] {
    const missing: string[] = [];
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      const childPath = path ? `${path}.${key}` : key;
      if (!child.description) missing.push(childPath);
      missing.push(...undescribed(child, childPath));
      for (const option of child.anyOf ?? []) missing.push(...undescribed(option, childPath));
      if (child.items) missing.push(...undescribed(child.items, `${childPath}[]`));
    }
    return missing;
  }

  it('every key has a description in the generated JSON Schema', () => {
    const json = z.toJSONSchema(ConfigSchema, { io: 'input' }) as JsonSchema;
    expect(json.description).toBeTruthy();
    expect(Object.keys(json.properties ?? {})).toContain('mirror');
    expect(undescribed(json, '')).toEqual([]);
  });
});
