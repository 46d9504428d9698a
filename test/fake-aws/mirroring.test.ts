import {
  CreateTrafficMirrorFilterCommand,
  CreateTrafficMirrorFilterRuleCommand,
  CreateTrafficMirrorSessionCommand,
  CreateTrafficMirrorTargetCommand,
  DeleteTrafficMirrorFilterCommand,
  DeleteTrafficMirrorSessionCommand,
  DescribeInstanceTypesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeTrafficMirrorSessionsCommand,
  ModifyTrafficMirrorFilterNetworkServicesCommand,
} from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
});
