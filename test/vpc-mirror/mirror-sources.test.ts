import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigSchema, type MirrorSource, type VpcMirrorConfig } from '../../src/config/schema.js';
import { eniEligibility, mirrorableManagedService, mirroringSupport } from '../../src/topologies/vpc-mirror/sources/eligibility.js';
import { resolveMirrorSources } from '../../src/topologies/vpc-mirror/sources/resolve.js';
import { ResolveError } from '../../src/errors.js';
import { clock } from '../../src/util/clock.js';
import { fakeEnv, type FakeEnv } from '../fake-aws/helpers.js';
import { CLASSIC_ELB_IP, seedSources, type Sources } from './seed.js';

let e: FakeEnv;
let s: Sources;

beforeEach(() => {
  e = fakeEnv();
  clock.setScale(0.001);
  s = seedSources(e.fake, e.net);
});
afterEach(() => e.done());

function config(sources: MirrorSource[], mirror: Record<string, unknown> = {}): VpcMirrorConfig {
  return ConfigSchema.parse({
    deployment: 'shop-vpc',
    topology: 'vpc-mirror',
    vpcId: e.net.vpcId,
    subnets: { loadBalancer: [...e.net.privateSubnetIds] },
    mirror: { sources, ...mirror },
  }) as VpcMirrorConfig;
}

const resolve = (sources: MirrorSource[], mirror: Record<string, unknown> = {}) =>
  resolveMirrorSources(e.aws, config(sources, mirror), { where: (key) => `wallarm-oob.yaml: ${key}`, ownNlbName: 'wallarm-oob-shop-vpc-nlb' });

describe('resolveMirrorSources against the fake', () => {
  it('networkInterfaceIds: existing ENIs are eligible; a missing one is reported, not thrown', async () => {
    const missing = 'eni-0aaaaaaaaaaaaaaaa';
    const r = await resolve([{ networkInterfaceIds: [s.webEni, missing] }]);
    expect(r.sources).toEqual([
      {
        label: `networkInterfaceIds ${s.webEni}, ${missing}`,
        key: 'mirror.sources[0].networkInterfaceIds',
        resolved: true,
        eligible: [s.webEni],
        ineligible: [{ eni: missing, reason: 'does not exist in this account and region' }],
      },
    ]);
    expect(r.eligible).toEqual([s.webEni]);
    expect(r.vpcCidrs).toEqual(['10.0.0.0/16']);
  });

  it('autoScalingGroup: the primary ENIs of the group instances, re-read on every resolution', async () => {
    const r = await resolve([{ autoScalingGroup: 'web-asg' }]);
    expect(r.sources[0]).toMatchObject({ label: 'autoScalingGroup web-asg', eligible: s.asgEnis, ineligible: [] });
    expect(s.asgEnis).toHaveLength(2);

    e.fake.autoscaling.SetDesiredCapacity({ AutoScalingGroupName: 'web-asg', DesiredCapacity: 3 });
    e.fake.advance(60_000);
    const again = await resolve([{ autoScalingGroup: 'web-asg' }]);
    expect(again.eligible).toHaveLength(3);
    expect(again.eligible).toEqual(expect.arrayContaining(s.asgEnis));
  });

  it('autoScalingGroup that does not exist: a ResolveError naming the config key', async () => {
    const error = await resolve([{ networkInterfaceIds: [s.webEni] }, { autoScalingGroup: 'nope' }]).catch((x: unknown) => x);
    expect(error).toBeInstanceOf(ResolveError);
    expect((error as ResolveError).code).toBe('MIRROR_SOURCE_NOT_FOUND');
    expect((error as ResolveError).message).toMatch(/^wallarm-oob\.yaml: mirror\.sources\[1\]\.autoScalingGroup: the Auto Scaling group nope does not exist/);
  });

  it('tags: ENIs carrying all the tags; a Xen instance among them is skipped with the reason', async () => {
    const r = await resolve([{ tags: { role: 'web', env: 'prod' } }]);
    expect(r.sources[0]!.eligible).toEqual([s.webEni]);
    expect(r.sources[0]!.ineligible).toEqual([{ eni: s.xenEni, reason: expect.stringMatching(/t2\.medium is a Xen \(non-Nitro\) type/) }]);
    const none = await resolve([{ tags: { role: 'nothing' } }]);
    expect(none.sources[0]).toMatchObject({ eligible: [], ineligible: [], note: expect.stringMatching(/no network interface in vpc-.* carries all of these tags/) });
  });

  it('eks: the instances of the cluster, optionally of some node groups', async () => {
    const all = await resolve([{ eks: { cluster: 'prod' } }]);
    expect(all.eligible).toEqual([...s.eksWebEnis, s.eksBatchEni].sort());
    const web = await resolve([{ eks: { cluster: 'prod', nodeGroups: ['ng-web'] } }]);
    expect(web.sources[0]).toMatchObject({ label: 'eks prod (node groups ng-web)', eligible: s.eksWebEnis });
    const none = await resolve([{ eks: { cluster: 'staging' } }]);
    expect(none.sources[0]!.note).toBe('no running instance carries eks:cluster-name=staging');
  });

  it('elbPublicIps: a classic ELB interface (requester-managed) is the documented exception', async () => {
    const r = await resolve([{ elbPublicIps: [CLASSIC_ELB_IP, '198.51.100.7'] }]);
    expect(r.sources[0]).toMatchObject({ eligible: [s.classicEni], ineligible: [], note: 'no network interface has the public IP 198.51.100.7' });
  });

  it('reports every kind of ineligible ENI with its reason and keeps the eligible ones', async () => {
    const r = await resolve([{ networkInterfaceIds: [s.webEni, s.albEni, s.c6iEni, s.busyEni, s.foreignTargetEni, s.xenEni] }]);
    expect(r.eligible).toEqual([s.webEni]);
    const reasons = Object.fromEntries(r.sources[0]!.ineligible.map((i) => [i.eni, i.reason]));
    expect(reasons[s.albEni]).toMatch(/^managed by AWS \(ELB app\/existing-alb\/.*\): load balancer/);
    expect(reasons[s.c6iEni]).toMatch(/not available on the c6i family/);
    expect(reasons[s.busyEni]).toMatch(/already has 3 traffic mirror sessions of other tools \(tms-.*\); AWS allows 3 per interface/);
    expect(reasons[s.foreignTargetEni]).toMatch(/is the traffic mirror target tmt-.*: an interface cannot be both a source and a target/);
    expect(reasons[s.xenEni]).toMatch(/Xen/);
  });

  it("skips the deployment's own instances (mirroring them would loop)", async () => {
    const own = e.fake.addInstance({ subnetId: e.net.privateSubnetIds[0], instanceType: 'm5.large', tags: { 'wallarm-oob:deployment': 'shop-vpc' } }).eniId;
    const r = await resolve([{ networkInterfaceIds: [own, s.webEni] }]);
    expect(r.eligible).toEqual([s.webEni]);
    expect(r.sources[0]!.ineligible[0]!.reason).toMatch(/an instance of this deployment: mirroring it would feed the rebuilders/);
  });

  it('looks ENIs up in batches (filtered describes, at most 200 values each), never one call per ENI', async () => {
    const many = Array.from({ length: 250 }, () => e.fake.addInstance({ subnetId: e.net.privateSubnetIds[1], instanceType: 'm5.large', tags: { role: 'fleet' } }).eniId);
    e.fake.calls.length = 0;
    const r = await resolve([{ networkInterfaceIds: many }, { tags: { role: 'fleet' } }]);
    expect(r.eligible).toHaveLength(250);
    const calls = (command: string) => e.fake.calls.filter((c) => c.command === command);
    expect(calls('DescribeNetworkInterfaces').length).toBeLessThanOrEqual(4);
    for (const c of [...calls('DescribeNetworkInterfaces'), ...calls('DescribeInstances'), ...calls('DescribeTrafficMirrorSessions')]) {
      const filters = (c.input as { Filters?: { Values?: string[] }[] }).Filters ?? [];
      for (const f of filters) expect(f.Values!.length).toBeLessThanOrEqual(200);
    }
    expect(calls('DescribeInstanceTypes')).toHaveLength(1);
    expect(calls('DescribeTrafficMirrorSessions').length).toBeLessThanOrEqual(2);
    expect(e.fake.calls.every((c) => !c.mutating)).toBe(true);
  });
});

describe('eligibility rules (shared with the init wizard)', () => {
  it('instance types: Nitro yes (except the listed families), bare metal no, Xen only the listed families', () => {
    expect(mirroringSupport({ InstanceType: 'm5.large', Hypervisor: 'nitro', BareMetal: false })).toEqual({ supported: true });
    expect(mirroringSupport({ InstanceType: 'm7i-flex.large', Hypervisor: 'nitro', BareMetal: false }).supported).toBe(false);
    expect(mirroringSupport({ InstanceType: 'm5.metal', BareMetal: true }).supported).toBe(false);
    expect(mirroringSupport({ InstanceType: 'm4.large', Hypervisor: 'xen' })).toEqual({ supported: true });
    expect(mirroringSupport({ InstanceType: 't2.micro', Hypervisor: 'xen' }).supported).toBe(false);
  });

  it('requester-managed: RDS, ElastiCache and classic ELB interfaces only', () => {
    expect(mirrorableManagedService({ RequesterId: 'amazon-elb', Description: 'ELB web' })).toBe('Classic Load Balancer');
    expect(mirrorableManagedService({ RequesterId: 'amazon-elb', Description: 'ELB app/web/0123456789abcdef' })).toBeUndefined();
    expect(mirrorableManagedService({ RequesterId: 'amazon-rds', Description: 'RDSNetworkInterface' })).toBe('RDS');
    expect(mirrorableManagedService({ Description: 'ElastiCache cache-001' })).toBe('ElastiCache');
    expect(eniEligibility({ RequesterManaged: true, Description: 'Interface for NAT Gateway nat-1', InterfaceType: 'natGateway' }, undefined, new Map()).eligible).toBe(false);
    expect(eniEligibility({ InterfaceType: 'network_load_balancer', Description: 'ELB net/x/1' }, undefined, new Map()).reason).toMatch(/interface type network_load_balancer/);
  });
});
