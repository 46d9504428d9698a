import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeleteLoadBalancerCommand, DeleteTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DeleteLaunchTemplateCommand, DeleteSecurityGroupCommand } from '@aws-sdk/client-ec2';

import { handler as asgs } from '../../src/resources/auto-scaling-group.js';
import { handler as templates } from '../../src/resources/launch-template.js';
import { handler as listeners } from '../../src/resources/listener.js';
import { handler as lbs } from '../../src/resources/load-balancer.js';
import { handler as groups } from '../../src/resources/security-group.js';
import { handler as targetGroups } from '../../src/resources/target-group.js';
import type { LaunchTemplateProps, ResourceHandler, TargetGroupProps } from '../../src/resources/types.js';
import { readState } from '../../src/engine/refresh.js';
import { loadHandler } from '../../src/resources/registry.js';
import { emptyState } from '../../src/state/document.js';
import type { FakeEnv } from '../fake-aws/helpers.js';
import { context, DEPLOYMENT, env } from './helpers.js';

// A batched read must answer exactly what read() answers for every id, in fewer calls, and a resource
// deleted outside the tool must come back as undefined without hiding the others.

async function sameAsRead<P>(handler: ResourceHandler<P>, e: FakeEnv, ids: string[]): Promise<void> {
  const ctx = context(e.aws, 'read');
  const many = await handler.readMany!(ctx, ids);
  for (const id of ids) expect(many.get(id), id).toEqual(await handler.read(ctx, id));
}

function tgProps(e: FakeEnv, name: string): TargetGroupProps {
  return {
    name,
    protocol: 'HTTP',
    port: 8445,
    vpcId: e.net.vpcId,
    targetType: 'instance',
    healthCheck: { protocol: 'HTTP', port: '8446', path: '/ready', intervalSeconds: 5, timeoutSeconds: 3, healthyThreshold: 3, unhealthyThreshold: 3 },
  };
}

describe('readMany: one describe per kind, deleted resources reported as gone', () => {
  let e: FakeEnv;
  beforeEach(() => {
    e = env();
  });
  afterEach(() => e.done());

  it('security groups: one DescribeSecurityGroups by the group-id filter; a deleted group is undefined, in the same single call', async () => {
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      const ctx = context(e.aws, `sg-${name}`);
      ids.push((await groups.create(ctx, { name, description: name, vpcId: e.net.vpcId, ingress: [], egress: [], tags: { ...ctx.tags } })).physicalId);
    }
    await (await e.aws.ec2()).send(new DeleteSecurityGroupCommand({ GroupId: ids[1]! }));
    const before = e.fake.callsTo('DescribeSecurityGroups').length;
    const live = await groups.readMany!(context(e.aws, 'sg-a, sg-b, sg-c'), ids);
    expect(e.fake.callsTo('DescribeSecurityGroups').slice(before)).toEqual([expect.objectContaining({ input: expect.objectContaining({ Filters: [{ Name: 'group-id', Values: ids }] }) })]);
    expect(live.get(ids[1]!)).toBeUndefined();
    expect(live.get(ids[0]!)?.props).toMatchObject({ name: 'a', tags: expect.objectContaining({ 'wallarm-oob:id': 'sg-a' }) });
    await sameAsRead(groups, e, ids);
  });

  it('load balancers: up to 20 ARNs per DescribeLoadBalancers and DescribeTags; one deleted makes AWS fail the list, so that batch is asked one by one', async () => {
    const sg = (await groups.create(context(e.aws, 'sg'), { name: 'lb', description: 'lb', vpcId: e.net.vpcId, ingress: [], egress: [] })).physicalId;
    const arns: string[] = [];
    for (let i = 0; i < 22; i++) {
      const ctx = context(e.aws, `lb-${i}`);
      const props = { name: `lb-${i}`, type: 'network' as const, scheme: 'internal' as const, subnetIds: [...e.net.privateSubnetIds], securityGroupIds: [], attributes: {}, tags: { ...ctx.tags } };
      arns.push((await lbs.create(ctx, i === 0 ? { ...props, type: 'application', securityGroupIds: [sg] } : props)).physicalId);
    }
    const calls = (command: string, from: number) => e.fake.callsTo(command).slice(from);
    let marks = ['DescribeLoadBalancers', 'DescribeTags'].map((c) => e.fake.callsTo(c).length);
    const live = await lbs.readMany!(context(e.aws, 'lbs'), arns);
    expect(calls('DescribeLoadBalancers', marks[0]!).map((c) => (c.input as { LoadBalancerArns: string[] }).LoadBalancerArns.length)).toEqual([20, 2]);
    expect(calls('DescribeTags', marks[1]!).map((c) => (c.input as { ResourceArns: string[] }).ResourceArns.length)).toEqual([20, 2]);
    expect([...live.values()].every((l) => l?.props.tags?.['wallarm-oob:id']?.startsWith('lb-'))).toBe(true);

    await (await e.aws.elbv2()).send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arns[21]! }));
    marks = ['DescribeLoadBalancers', 'DescribeTags'].map((c) => e.fake.callsTo(c).length);
    const after = await lbs.readMany!(context(e.aws, 'lbs'), arns);
    expect(after.get(arns[21]!)).toBeUndefined();
    expect(after.get(arns[20]!)?.props.name).toBe('lb-20');
    expect([...after.values()].filter(Boolean)).toHaveLength(21);
    // first batch of 20 in one call; the failed batch of 2 asked again one by one
    expect(calls('DescribeLoadBalancers', marks[0]!).map((c) => (c.input as { LoadBalancerArns: string[] }).LoadBalancerArns.length)).toEqual([20, 2, 1, 1]);
    await sameAsRead(lbs, e, [arns[0]!, arns[1]!, arns[21]!]);
  });

  it('target groups and listeners: one describe and one DescribeTags each; a deleted target group is undefined', async () => {
    const tgs: string[] = [];
    for (const name of ['tg-a', 'tg-b']) {
      const ctx = context(e.aws, name);
      tgs.push((await targetGroups.create(ctx, { ...tgProps(e, name), tags: { ...ctx.tags } })).physicalId);
    }
    const lbCtx = context(e.aws, 'nlb');
    const nlb = await lbs.create(lbCtx, { name: 'nlb', type: 'network', scheme: 'internal', subnetIds: [...e.net.privateSubnetIds], securityGroupIds: [], attributes: {} });
    const tgUdp = await targetGroups.create(context(e.aws, 'tg-udp'), { ...tgProps(e, 'tg-udp'), protocol: 'UDP', port: 4789 });
    const listener = await listeners.create(context(e.aws, 'listener'), { loadBalancerArn: nlb.physicalId, protocol: 'UDP', port: 4789, targetGroupArn: tgUdp.physicalId });
    await (await e.aws.elbv2()).send(new DeleteTargetGroupCommand({ TargetGroupArn: tgs[1]! }));

    const marks = ['DescribeTargetGroups', 'DescribeListeners', 'DescribeTags'].map((c) => e.fake.callsTo(c).length);
    const liveTgs = await targetGroups.readMany!(context(e.aws, 'tgs'), [...tgs, tgUdp.physicalId]);
    const liveListeners = await listeners.readMany!(context(e.aws, 'listeners'), [listener.physicalId]);
    expect(liveTgs.get(tgs[1]!)).toBeUndefined();
    expect(liveTgs.get(tgs[0]!)?.props).toMatchObject({ name: 'tg-a', tags: expect.objectContaining({ 'wallarm-oob:id': 'tg-a' }) });
    expect(liveListeners.get(listener.physicalId)?.props).toMatchObject({ port: 4789, targetGroupArn: tgUdp.physicalId });
    expect(e.fake.callsTo('DescribeListeners').length - marks[1]!).toBe(1);
    expect(e.fake.callsTo('DescribeTags').length - marks[2]!).toBe(2); // one per kind
    await sameAsRead(targetGroups, e, [...tgs, tgUdp.physicalId]);
    await sameAsRead(listeners, e, [listener.physicalId]);
  });

  it('a full read of state (readState): one DescribeTags answers for the load balancer, target groups and listener together, beside their describes', async () => {
    const lbCtx = context(e.aws, 'nlb');
    const nlb = await lbs.create(lbCtx, { name: 'nlb', type: 'network', scheme: 'internal', subnetIds: [...e.net.privateSubnetIds], securityGroupIds: [], attributes: {}, tags: { ...lbCtx.tags } });
    const tgCtx = context(e.aws, 'tg-udp');
    const tg = await targetGroups.create(tgCtx, { ...tgProps(e, 'tg-udp'), protocol: 'UDP', port: 4789, tags: { ...tgCtx.tags } });
    const gone = await targetGroups.create(context(e.aws, 'tg-gone'), tgProps(e, 'tg-gone'));
    const listener = await listeners.create(context(e.aws, 'listener'), { loadBalancerArn: nlb.physicalId, protocol: 'UDP', port: 4789, targetGroupArn: tg.physicalId });
    const state = emptyState(DEPLOYMENT);
    state.resources.nlb = { kind: 'load-balancer', id: nlb.physicalId, hashes: {}, outputs: {}, deps: [] };
    state.resources['tg-udp'] = { kind: 'target-group', id: tg.physicalId, hashes: {}, outputs: {}, deps: [] };
    state.resources.listener = { kind: 'listener', id: listener.physicalId, hashes: {}, outputs: {}, deps: [] };
    const options = { loadHandler, context: (logicalId: string) => context(e.aws, logicalId) };

    const mark = e.fake.callsTo('DescribeTags').length;
    const live = await readState(state, options);
    const tagCalls = e.fake.callsTo('DescribeTags').slice(mark);
    expect(tagCalls.map((c) => (c.input as { ResourceArns: string[] }).ResourceArns.sort())).toEqual([[nlb.physicalId, tg.physicalId, listener.physicalId].sort()]);
    expect(live.get('nlb')).toEqual(await lbs.read(lbCtx, nlb.physicalId));
    expect(live.get('tg-udp')).toEqual(await targetGroups.read(tgCtx, tg.physicalId));
    expect(live.get('listener')).toEqual(await listeners.read(context(e.aws, 'listener'), listener.physicalId));

    // One of them deleted outside the tool: AWS fails the shared call, so it is asked one by one; the gone one is undefined.
    state.resources['tg-gone'] = { kind: 'target-group', id: gone.physicalId, hashes: {}, outputs: {}, deps: [] };
    await (await e.aws.elbv2()).send(new DeleteTargetGroupCommand({ TargetGroupArn: gone.physicalId }));
    const after = await readState(state, options);
    expect(after.get('tg-gone')).toBeUndefined();
    expect(after.get('tg-udp')).toEqual(live.get('tg-udp'));
  });

  it('launch templates: one DescribeLaunchTemplates for all, the latest version of each; a deleted template is undefined', async () => {
    const sg = (await groups.create(context(e.aws, 'sg'), { name: 'lt', description: 'lt', vpcId: e.net.vpcId, ingress: [], egress: [] })).physicalId;
    const ids: string[] = [];
    for (const name of ['lt-a', 'lt-b', 'lt-c']) {
      const ctx = context(e.aws, name);
      const props: LaunchTemplateProps = {
        name,
        imageId: e.fake.ec2.images.values().next().value!.id,
        instanceType: 't3.medium',
        keyName: null,
        securityGroupIds: [sg],
        instanceProfileArn: null,
        userData: `#!/bin/sh\necho ${name}\n`,
        volumeSizeGiB: 30,
        volumeType: 'gp3',
        detailedMonitoring: true,
        httpTokens: 'required',
        tags: { ...ctx.tags },
      };
      ids.push((await templates.create(ctx, props)).physicalId);
    }
    await (await e.aws.ec2()).send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: ids[2]! }));
    const before = e.fake.callsTo('DescribeLaunchTemplates').length;
    const live = await templates.readMany!(context(e.aws, 'lts'), ids);
    expect(live.get(ids[2]!)).toBeUndefined();
    expect(live.get(ids[0]!)?.props).toMatchObject({ name: 'lt-a', userData: '#!/bin/sh\necho lt-a\n', tags: expect.objectContaining({ 'wallarm-oob:id': 'lt-a' }) });
    // the id list failed on the deleted template, then one call per id
    expect(e.fake.callsTo('DescribeLaunchTemplates').slice(before).map((c) => (c.input as { LaunchTemplateIds: string[] }).LaunchTemplateIds.length)).toEqual([3, 1, 1, 1]);
    await sameAsRead(templates, e, ids);
  });

  it('Auto Scaling groups: one DescribeAutoScalingGroups for the names (a missing one is left out by AWS)', async () => {
    const live = await asgs.readMany!(context(e.aws, 'asgs'), ['no-such-group-a', 'no-such-group-b']);
    expect([...live]).toEqual([
      ['no-such-group-a', undefined],
      ['no-such-group-b', undefined],
    ]);
    expect(e.fake.callsTo('DescribeAutoScalingGroups')).toHaveLength(1);
  });
});
