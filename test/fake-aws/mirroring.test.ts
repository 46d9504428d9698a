import {
  CreateTrafficMirrorFilterCommand,
  CreateTrafficMirrorFilterRuleCommand,
  CreateTrafficMirrorSessionCommand,
  CreateTrafficMirrorTargetCommand,
  DeleteTrafficMirrorFilterCommand,
  DeleteTrafficMirrorSessionCommand,
  DescribeInstanceTypesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeTrafficMirrorFiltersCommand,
  DescribeTrafficMirrorSessionsCommand,
  DescribeTrafficMirrorTargetsCommand,
  ModifyTrafficMirrorFilterNetworkServicesCommand,
  ModifyTrafficMirrorFilterRuleCommand,
} from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clock } from '../../src/util/clock.js';
import { codeOf, fakeEnv, type FakeEnv } from './helpers.js';

describe('fake-aws: traffic mirroring and network interfaces', () => {
  let env: FakeEnv;
  beforeEach(() => {
    env = fakeEnv();
  });
  afterEach(() => env.done());

  it('filter + rules + NLB target + session per source ENI; in-use filter cannot be deleted', async () => {
    const ec2 = await env.aws.ec2();
    const elb = await env.aws.elbv2();
    const nlb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'mirror-nlb', Type: 'network', Scheme: 'internal', Subnets: env.net.privateSubnetIds }))).LoadBalancers![0]!;
    const lbEnis = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'description', Values: ['ELB net/mirror-nlb/*'] }] }));
    expect(lbEnis.NetworkInterfaces).toHaveLength(2);

    const f = (await ec2.send(new CreateTrafficMirrorFilterCommand({ Description: 'oob', TagSpecifications: [{ ResourceType: 'traffic-mirror-filter', Tags: [{ Key: 'wallarm-oob:deployment', Value: 'd1' }] }] })))
      .TrafficMirrorFilter!;
    expect(f.TrafficMirrorFilterId).toMatch(/^tmf-[0-9a-f]{17}$/);
    await ec2.send(new ModifyTrafficMirrorFilterNetworkServicesCommand({ TrafficMirrorFilterId: f.TrafficMirrorFilterId, AddNetworkServices: ['amazon-dns'] }));
    const rule = { TrafficMirrorFilterId: f.TrafficMirrorFilterId, TrafficDirection: 'ingress' as const, RuleNumber: 20, RuleAction: 'accept' as const, Protocol: 6, SourceCidrBlock: '0.0.0.0/0', DestinationCidrBlock: '0.0.0.0/0' };
    await ec2.send(new CreateTrafficMirrorFilterRuleCommand(rule));
    expect(await codeOf(ec2.send(new CreateTrafficMirrorFilterRuleCommand(rule)))).toBe('InvalidParameterValue');

    const t = (await ec2.send(new CreateTrafficMirrorTargetCommand({ NetworkLoadBalancerArn: nlb.LoadBalancerArn, ClientToken: 'tt' }))).TrafficMirrorTarget!;
    const again = (await ec2.send(new CreateTrafficMirrorTargetCommand({ NetworkLoadBalancerArn: nlb.LoadBalancerArn, ClientToken: 'tt' }))).TrafficMirrorTarget!;
    expect(again.TrafficMirrorTargetId).toBe(t.TrafficMirrorTargetId);

    const web = env.fake.addInstance({ subnetId: env.net.privateSubnetIds[0], instanceType: 'm5.large', tags: { Name: 'web' } });
    const xen = env.fake.addInstance({ subnetId: env.net.privateSubnetIds[0], instanceType: 't2.micro' });
    const session = { TrafficMirrorTargetId: t.TrafficMirrorTargetId, TrafficMirrorFilterId: f.TrafficMirrorFilterId, SessionNumber: 1, VirtualNetworkId: 1377 };
    const s = (await ec2.send(new CreateTrafficMirrorSessionCommand({ ...session, NetworkInterfaceId: web.eniId }))).TrafficMirrorSession!;
    expect(s).toMatchObject({ NetworkInterfaceId: web.eniId, SessionNumber: 1, VirtualNetworkId: 1377 });
    expect(await codeOf(ec2.send(new CreateTrafficMirrorSessionCommand({ ...session, NetworkInterfaceId: web.eniId })))).toBe('InvalidParameterValue');
    expect(await codeOf(ec2.send(new CreateTrafficMirrorSessionCommand({ ...session, NetworkInterfaceId: xen.eniId })))).toBe('InvalidParameterValue');
    expect(await codeOf(ec2.send(new CreateTrafficMirrorSessionCommand({ ...session, NetworkInterfaceId: lbEnis.NetworkInterfaces![0]!.NetworkInterfaceId })))).toBe('InvalidParameterValue');

    const listed = await ec2.send(new DescribeTrafficMirrorSessionsCommand({ Filters: [{ Name: 'network-interface-id', Values: [web.eniId] }] }));
    expect(listed.TrafficMirrorSessions).toHaveLength(1);
    expect(await codeOf(ec2.send(new DeleteTrafficMirrorFilterCommand({ TrafficMirrorFilterId: f.TrafficMirrorFilterId })))).toBe('DependencyViolation');
    await ec2.send(new DeleteTrafficMirrorSessionCommand({ TrafficMirrorSessionId: s.TrafficMirrorSessionId }));
    await ec2.send(new DeleteTrafficMirrorFilterCommand({ TrafficMirrorFilterId: f.TrafficMirrorFilterId }));
    expect(env.fake.resourcesTagged('wallarm-oob:deployment')).toEqual([]);
  });

  it('DescribeInstanceTypes knows Nitro vs Xen and refuses unknown types', async () => {
    const ec2 = await env.aws.ec2();
    const out = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['t2.micro', 'm5.large'] }));
    expect(out.InstanceTypes?.map((t) => [t.InstanceType, t.Hypervisor])).toEqual([
      ['t2.micro', 'xen'],
      ['m5.large', 'nitro'],
    ]);
    expect(await codeOf(ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['zz9.huge' as 't2.micro'] })))).toBe('InvalidInstanceType');
  });

  async function mirrorBasics() {
    const ec2 = await env.aws.ec2();
    const elb = await env.aws.elbv2();
    const nlb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'mirror-nlb', Type: 'network', Scheme: 'internal', Subnets: env.net.privateSubnetIds }))).LoadBalancers![0]!;
    const filterId = (await ec2.send(new CreateTrafficMirrorFilterCommand({}))).TrafficMirrorFilter!.TrafficMirrorFilterId!;
    const targetId = (await ec2.send(new CreateTrafficMirrorTargetCommand({ NetworkLoadBalancerArn: nlb.LoadBalancerArn }))).TrafficMirrorTarget!.TrafficMirrorTargetId!;
    const session = (eni: string, n = 1) => ec2.send(new CreateTrafficMirrorSessionCommand({ NetworkInterfaceId: eni, TrafficMirrorTargetId: targetId, TrafficMirrorFilterId: filterId, SessionNumber: n }));
    return { ec2, filterId, targetId, session };
  }

  it('EC2 request token bucket: mutating traffic mirroring calls beyond the burst answer RequestLimitExceeded until refilled', async () => {
    const { ec2 } = await mirrorBasics();
    env.fake.ec2RateLimit({ capacity: 3, refillPerSecond: 1 });
    // Call the model directly: the SDK would retry the throttled attempts.
    const call = () => env.fake.handle({ clientName: 'EC2Client', commandName: 'CreateTrafficMirrorFilterCommand', input: {}, hostname: undefined });
    for (let i = 0; i < 3; i++) await call();
    expect(await codeOf(call())).toBe('RequestLimitExceeded');
    expect(env.fake.calls.at(-1)).toMatchObject({ throttled: true, rateLimited: true });
    env.fake.advance(1000);
    await call();
    expect(await codeOf(call())).toBe('RequestLimitExceeded');
    // Other actions have their own bucket; describes are not limited.
    await ec2.send(new DescribeTrafficMirrorSessionsCommand({}));
    env.fake.ec2RateLimit(false);
    for (let i = 0; i < 10; i++) await call();
  });

  it('sessions: 3 per ENI, an account quota; sessions go with their ENI (deleted, or instance terminated)', async () => {
    const { ec2, session } = await mirrorBasics();
    const [a, b, c] = [0, 1, 2].map(() => env.fake.addInstance({ subnetId: env.net.privateSubnetIds[0], instanceType: 'm5.large' }));
    for (const n of [1, 2, 3]) await session(a!.eniId, n);
    expect(await codeOf(session(a!.eniId, 4))).toBe('TrafficMirrorSessionLimitExceeded');
    env.fake.mirroring.sessionQuota = 4;
    await session(b!.eniId);
    expect(await codeOf(session(c!.eniId))).toBe('TrafficMirrorSessionLimitExceeded');

    env.fake.deleteNetworkInterface(a!.eniId);
    const left = await ec2.send(new DescribeTrafficMirrorSessionsCommand({}));
    expect(left.TrafficMirrorSessions?.map((s) => s.NetworkInterfaceId)).toEqual([b!.eniId]);
    env.fake.terminateInstance(b!.id);
    env.fake.advance(env.fake.delays.instanceTerminateMs);
    expect((await ec2.send(new DescribeTrafficMirrorSessionsCommand({}))).TrafficMirrorSessions).toEqual([]);
  });

  it('DescribeTrafficMirrorSessions: MaxResults 5-1000, NextToken pages, filters by target and ENI; tag filters are not documented and are refused', async () => {
    const { ec2, session, targetId } = await mirrorBasics();
    clock.setScale(0.001);
    const enis = Array.from({ length: 7 }, () => env.fake.addInstance({ subnetId: env.net.privateSubnetIds[1], instanceType: 'c5.large' }).eniId);
    for (const eni of enis) await session(eni);
    expect(await codeOf(ec2.send(new DescribeTrafficMirrorSessionsCommand({ MaxResults: 2 })))).toBe('InvalidParameterValue');
    const first = await ec2.send(new DescribeTrafficMirrorSessionsCommand({ MaxResults: 5, Filters: [{ Name: 'traffic-mirror-target-id', Values: [targetId] }] }));
    expect(first.TrafficMirrorSessions).toHaveLength(5);
    const second = await ec2.send(new DescribeTrafficMirrorSessionsCommand({ MaxResults: 5, NextToken: first.NextToken, Filters: [{ Name: 'traffic-mirror-target-id', Values: [targetId] }] }));
    expect(second.TrafficMirrorSessions).toHaveLength(2);
    expect(second.NextToken).toBeUndefined();
    const byEni = await ec2.send(new DescribeTrafficMirrorSessionsCommand({ Filters: [{ Name: 'network-interface-id', Values: enis.slice(0, 3) }] }));
    expect(byEni.TrafficMirrorSessions).toHaveLength(3);
    const byTag = ec2.send(new DescribeTrafficMirrorSessionsCommand({ Filters: [{ Name: 'tag:wallarm-oob:deployment', Values: ['d1'] }] }));
    await expect(byTag).rejects.toMatchObject({ name: 'InvalidParameterValue', message: "The filter 'tag:wallarm-oob:deployment' is invalid" });
    for (const send of [
      () => ec2.send(new DescribeTrafficMirrorFiltersCommand({ Filters: [{ Name: 'tag-key', Values: ['x'] }] })),
      () => ec2.send(new DescribeTrafficMirrorTargetsCommand({ Filters: [{ Name: 'tag:x', Values: ['y'] }] })),
    ]) {
      expect(await codeOf(send())).toBe('InvalidParameterValue');
    }
  });

  it('filter rules: at most 10 per filter; ModifyTrafficMirrorFilterRule changes fields in place and removes optional ones', async () => {
    const { ec2, filterId } = await mirrorBasics();
    const create = (n: number) =>
      ec2.send(new CreateTrafficMirrorFilterRuleCommand({ TrafficMirrorFilterId: filterId, TrafficDirection: 'ingress', RuleNumber: n, RuleAction: 'accept', Protocol: 6, DestinationPortRange: { FromPort: 80, ToPort: 80 }, SourceCidrBlock: '0.0.0.0/0', DestinationCidrBlock: '0.0.0.0/0' }));
    const ruleId = (await create(1)).TrafficMirrorFilterRule!.TrafficMirrorFilterRuleId!;
    for (let n = 2; n <= 10; n++) await create(n);
    expect(await codeOf(create(11))).toBe('TrafficMirrorFilterRuleLimitExceeded');
    const modified = await ec2.send(new ModifyTrafficMirrorFilterRuleCommand({ TrafficMirrorFilterRuleId: ruleId, RuleAction: 'reject', RemoveFields: ['destination-port-range', 'protocol'] }));
    expect(modified.TrafficMirrorFilterRule).toMatchObject({ RuleAction: 'reject', RuleNumber: 1 });
    expect(modified.TrafficMirrorFilterRule?.Protocol).toBeUndefined();
    expect(modified.TrafficMirrorFilterRule?.DestinationPortRange).toBeUndefined();
    expect(await codeOf(ec2.send(new ModifyTrafficMirrorFilterRuleCommand({ TrafficMirrorFilterRuleId: ruleId, RuleNumber: 2 })))).toBe('InvalidParameterValue');
  });

  it('DescribeNetworkInterfaces: public-IP filter (classic ELB ENIs), MaxResults 5-1000 and not with ids', async () => {
    const ec2 = await env.aws.ec2();
    const elbEni = env.fake.addNetworkInterface({ subnetId: env.net.publicSubnetIds[0], description: 'ELB web', requesterManaged: true, instanceOwnerId: 'amazon-elb', publicIp: '203.0.113.10' });
    const found = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'addresses.association.public-ip', Values: ['203.0.113.10'] }] }));
    expect(found.NetworkInterfaces?.map((e) => [e.NetworkInterfaceId, e.Association?.PublicIp, e.Attachment?.InstanceOwnerId])).toEqual([[elbEni, '203.0.113.10', 'amazon-elb']]);
    expect(await codeOf(ec2.send(new DescribeNetworkInterfacesCommand({ MaxResults: 1001 })))).toBe('InvalidParameterValue');
    expect(await codeOf(ec2.send(new DescribeNetworkInterfacesCommand({ MaxResults: 5, NetworkInterfaceIds: [elbEni] })))).toBe('InvalidParameterCombination');
  });
});
