import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { handler as listeners } from '../../src/resources/listener.js';
import { disableDeletionProtection, handler as lbs, normalize } from '../../src/resources/load-balancer.js';
import { handler as groups } from '../../src/resources/security-group.js';
import { handler as targetGroups } from '../../src/resources/target-group.js';
import type { LoadBalancerProps, TargetGroupProps } from '../../src/resources/types.js';
import { clock } from '../../src/util/clock.js';
import type { FakeEnv } from '../fake-aws/helpers.js';
import { context, env } from './helpers.js';

async function securityGroup(e: FakeEnv, name: string): Promise<string> {
  const sg = await groups.create(context(e.aws, `sg-${name}`), { name, description: name, vpcId: e.net.vpcId, ingress: [], egress: [] });
  return sg.physicalId;
}

function albProps(e: FakeEnv, sg: string, over: Partial<LoadBalancerProps> = {}): LoadBalancerProps {
  return {
    name: 'wallarm-oob-d1-alb',
    type: 'application',
    scheme: 'internal',
    subnetIds: [...e.net.privateSubnetIds].reverse(),
    securityGroupIds: [sg],
    attributes: { 'deletion_protection.enabled': 'false' },
    ...over,
  };
}

function tgProps(e: FakeEnv, over: Partial<TargetGroupProps> = {}): TargetGroupProps {
  return {
    name: 'wallarm-oob-d1-node-8445',
    protocol: 'HTTP',
    port: 8445,
    vpcId: e.net.vpcId,
    targetType: 'instance',
    healthCheck: { protocol: 'HTTP', port: '9445', path: '/-/healthcheck', intervalSeconds: 5, timeoutSeconds: 3, healthyThreshold: 3, unhealthyThreshold: 3 },
    ...over,
  };
}

describe('load-balancer handler', () => {
  let e: FakeEnv;
  beforeEach(() => {
    e = env();
  });
  afterEach(() => e.done());

  it('create returns with ARN and DNS name while provisioning, ready() waits for active -> read -> update -> read -> delete waits until gone', async () => {
    clock.setVirtual(true); // progress lines depend on simulated time only
    const sg = await securityGroup(e, 'lb');
    const ctx = context(e.aws, 'node-alb');
    const props = { ...albProps(e, sg), tags: { ...ctx.tags } };
    const start = e.fake.now();
    const created = await lbs.create(ctx, props);
    expect(created.outputs).toMatchObject({ arn: created.physicalId, name: props.name, dnsName: expect.stringContaining('.elb.amazonaws.com') });
    expect(e.fake.elbv2.lbState(e.fake.elbv2.loadBalancers.get(created.physicalId)!)).toBe('provisioning');
    await created.ready!();
    expect(e.fake.now() - start).toBeGreaterThanOrEqual(e.fake.delays.lbActiveMs);
    expect(e.fake.elbv2.lbState(e.fake.elbv2.loadBalancers.get(created.physicalId)!)).toBe('active');
    expect(ctx.logs).toContain('waiting for load balancer to become active (46s)'); // polls after 2, 3, 4.5, 6.75, 10, 10... s
    expect(e.fake.callsTo('CreateLoadBalancer')[0]!.input).toMatchObject({ IpAddressType: 'ipv4', SecurityGroups: [sg] });
    // The attribute already has the desired value: no ModifyLoadBalancerAttributes call.
    expect(e.fake.callsTo('ModifyLoadBalancerAttributes')).toHaveLength(0);

    const live = await lbs.read(ctx, created.physicalId);
    expect(live?.props).toEqual(normalize(props));
    expect(created.props).toEqual(live?.props);

    const sg2 = await securityGroup(e, 'lb2');
    const desired = { ...albProps(e, sg2, { attributes: { 'deletion_protection.enabled': 'true' } }), tags: { ...ctx.tags } };
    const updated = await lbs.update(ctx, live!, desired);
    expect(updated.props).toEqual(normalize(desired));
    expect(e.fake.callsTo('SetSecurityGroups')).toHaveLength(1);
    expect(e.fake.callsTo('SetSubnets')).toHaveLength(0); // same set, other order

    // Delete never turns protection off by itself: destroy decides and calls the helper.
    await expect(lbs.delete(ctx, created.physicalId)).rejects.toMatchObject({ code: 'AWS_DELETION_PROTECTED' });
    await disableDeletionProtection(ctx, created.physicalId);
    await lbs.delete(ctx, created.physicalId);
    expect(await lbs.read(ctx, created.physicalId)).toBeUndefined();
    await lbs.delete(ctx, created.physicalId);
    await disableDeletionProtection(ctx, created.physicalId); // gone = fine
  });

  it('network load balancer: no security groups, cross-zone managed', async () => {
    const ctx = context(e.aws, 'rebuilder-nlb');
    const props: LoadBalancerProps = {
      name: 'wallarm-oob-d1-nlb',
      type: 'network',
      scheme: 'internal',
      subnetIds: [...e.net.privateSubnetIds],
      securityGroupIds: [],
      attributes: { 'load_balancing.cross_zone.enabled': 'true' },
      tags: { ...ctx.tags },
    };
    const created = await lbs.create(ctx, props);
    expect(e.fake.callsTo('CreateLoadBalancer')[0]!.input).not.toHaveProperty('SecurityGroups');
    expect(e.fake.callsTo('ModifyLoadBalancerAttributes')[0]!.input).toMatchObject({ Attributes: [{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }] });
    expect((await lbs.read(ctx, created.physicalId))?.props).toEqual(normalize(props));
  });

  it('times out with a message naming the load balancer', async () => {
    clock.setScale(0.0001);
    e.fake.setDelays({ lbActiveMs: 365 * 24 * 3600_000 }); // never within the test, however slow the machine
    const sg = await securityGroup(e, 'lb');
    const created = await lbs.create(context(e.aws, 'node-alb'), albProps(e, sg));
    await expect(created.ready!()).rejects.toMatchObject({
      code: 'AWS_TIMEOUT',
      message: expect.stringContaining('waiting for load balancer wallarm-oob-d1-alb to become active'),
    });
  });

  it('lists by deployment tag (DescribeTags in batches of 20)', async () => {
    const sg = await securityGroup(e, 'lb');
    e.fake.setDelays({ lbActiveMs: 0 });
    const mine: string[] = [];
    for (let i = 0; i < 22; i += 1) mine.push((await lbs.create(context(e.aws, `lb-${i}`), albProps(e, sg, { name: `d1-lb-${i}` }))).physicalId);
    await lbs.create(context(e.aws, 'lb-x', { deployment: 'd2' }), albProps(e, sg, { name: 'd2-lb' }));
    const found = await lbs.list(context(e.aws, 'any'));
    expect(found.map((t) => t.physicalId).sort()).toEqual([...mine].sort());
    expect(found.find((t) => t.physicalId === mine[3])?.logicalId).toBe('lb-3');
    expect(e.fake.callsTo('DescribeTags').every((c) => ((c.input as { ResourceArns: string[] }).ResourceArns.length <= 20))).toBe(true);
  });
});

describe('target-group and listener handlers', () => {
  let e: FakeEnv;
  beforeEach(() => {
    e = env();
  });
  afterEach(() => e.done());

  it('target group: create -> read -> update health check -> delete (retried while in use)', async () => {
    const ctx = context(e.aws, 'node-target-group');
    const props = { ...tgProps(e), tags: { ...ctx.tags } };
    const created = await targetGroups.create(ctx, props);
    expect(created.outputs).toEqual({ arn: created.physicalId, name: props.name });
    expect(await targetGroups.read(ctx, created.physicalId)).toEqual(created);

    const desired = { ...tgProps(e, { healthCheck: { ...props.healthCheck, intervalSeconds: 10, path: '/health' } }), tags: { ...ctx.tags } };
    const updated = await targetGroups.update(ctx, created, desired);
    expect(updated.props).toEqual(desired);
    expect((await targetGroups.read(ctx, created.physicalId))?.props).toEqual(desired);
    expect(await targetGroups.list(ctx)).toMatchObject([{ physicalId: created.physicalId, logicalId: 'node-target-group', tags: expect.any(Object) }]);

    // In use by a listener: retried, then fails after the window with the AWS error.
    const sg = await securityGroup(e, 'lb');
    e.fake.setDelays({ lbActiveMs: 0 });
    const lb = await lbs.create(context(e.aws, 'node-alb'), albProps(e, sg));
    const listener = await listeners.create(context(e.aws, 'node-listener'), { loadBalancerArn: lb.physicalId, protocol: 'HTTP', port: 8445, targetGroupArn: created.physicalId });
    const pending = targetGroups.delete(ctx, created.physicalId);
    // Free the target group only once a delete has been refused as in use.
    while (!e.fake.callsTo('DeleteTargetGroup').some((c) => c.error === 'ResourceInUse')) await new Promise((r) => setTimeout(r, 5));
    await listeners.delete(context(e.aws, 'node-listener'), listener.physicalId);
    await pending;
    expect(e.fake.callsTo('DeleteTargetGroup').some((c) => c.error === 'ResourceInUse')).toBe(true);
    expect(await targetGroups.read(ctx, created.physicalId)).toBeUndefined();
    await targetGroups.delete(ctx, created.physicalId);
  });

  it('listener: create -> read -> update -> read -> delete; read is undefined once the LB is gone', async () => {
    e.fake.setDelays({ lbActiveMs: 0 });
    const sg = await securityGroup(e, 'lb');
    const lb = await lbs.create(context(e.aws, 'node-alb'), albProps(e, sg));
    const tg1 = await targetGroups.create(context(e.aws, 'tg1'), tgProps(e));
    const tg2 = await targetGroups.create(context(e.aws, 'tg2'), tgProps(e, { name: 'wallarm-oob-d1-node-2' }));
    const ctx = context(e.aws, 'node-listener');
    const props = { loadBalancerArn: lb.physicalId, protocol: 'HTTP' as const, port: 8445, targetGroupArn: tg1.physicalId, tags: { ...ctx.tags } };

    const created = await listeners.create(ctx, props);
    expect(created.outputs).toEqual({ arn: created.physicalId });
    expect(e.fake.callsTo('CreateListener')[0]!.input).toMatchObject({ Tags: expect.arrayContaining([{ Key: 'wallarm-oob:id', Value: 'node-listener' }]) });
    expect((await listeners.read(ctx, created.physicalId))?.props).toEqual(props);

    const desired = { ...props, port: 8446, targetGroupArn: tg2.physicalId };
    expect((await listeners.update(ctx, created, desired)).props).toEqual(desired);
    expect((await listeners.read(ctx, created.physicalId))?.props).toEqual(desired);
    expect(await listeners.list(ctx)).toMatchObject([{ physicalId: created.physicalId, logicalId: 'node-listener', tags: expect.any(Object) }]);

    await listeners.delete(ctx, created.physicalId);
    expect(await listeners.read(ctx, created.physicalId)).toBeUndefined();
    await listeners.delete(ctx, created.physicalId);

    const again = await listeners.create(ctx, props);
    await lbs.delete(context(e.aws, 'node-alb'), lb.physicalId);
    expect(await listeners.read(ctx, again.physicalId)).toBeUndefined();
  });
});
