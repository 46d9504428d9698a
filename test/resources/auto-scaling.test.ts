import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SetDesiredCapacityCommand, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { handler as groups, normalize } from '../../src/resources/auto-scaling-group.js';
import { handler as profiles } from '../../src/resources/iam-instance-profile.js';
import { handler as roles } from '../../src/resources/iam-role.js';
import { handler as templates } from '../../src/resources/launch-template.js';
import { handler as listeners } from '../../src/resources/listener.js';
import { handler as lbs } from '../../src/resources/load-balancer.js';
import { handler as policies } from '../../src/resources/scaling-policy.js';
import { handler as securityGroups } from '../../src/resources/security-group.js';
import { handler as targetGroups } from '../../src/resources/target-group.js';
import type { AutoScalingGroupProps, LaunchTemplateProps } from '../../src/resources/types.js';
import { clock } from '../../src/util/clock.js';
import type { FakeEnv } from '../fake-aws/helpers.js';
import { context, env } from './helpers.js';

interface Stack {
  template: LaunchTemplateProps & { id: string };
  targetGroupArn: string;
  props: AutoScalingGroupProps;
}

/** Everything a node group needs, built with the handlers themselves. */
async function stack(e: FakeEnv): Promise<Stack> {
  const c = (id: string) => context(e.aws, id);
  await roles.create(c('node-role'), {
    name: 'wallarm-oob-d1-node',
    path: '/wallarm-oob/d1/',
    assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    inlinePolicies: {},
  });
  const profile = await profiles.create(c('node-instance-profile'), { name: 'wallarm-oob-d1-node', path: '/wallarm-oob/d1/', roleName: 'wallarm-oob-d1-node' });
  const sg = await securityGroups.create(c('node-security-group'), {
    name: 'node',
    description: 'node',
    vpcId: e.net.vpcId,
    ingress: [{ protocol: 'tcp', fromPort: 8445, toPort: 8445, cidr: '10.0.0.0/8', description: '' }],
    egress: [],
  });
  const ltProps: LaunchTemplateProps = {
    name: 'wallarm-oob-d1-node',
    imageId: e.net.images.wallarm48,
    instanceType: 't3.medium',
    keyName: null,
    securityGroupIds: [sg.physicalId],
    instanceProfileArn: String(profile.outputs.arn),
    userData: '#!/bin/sh\necho hi\n',
    volumeSizeGiB: 30,
    volumeType: 'gp3',
    detailedMonitoring: true,
    httpTokens: 'required',
  };
  const lt = await templates.create(c('node-launch-template'), ltProps);
  const lbSg = await securityGroups.create(c('lb-security-group'), { name: 'lb', description: 'lb', vpcId: e.net.vpcId, ingress: [], egress: [] });
  const lb = await lbs.create(c('node-alb'), {
    name: 'wallarm-oob-d1-alb',
    type: 'application',
    scheme: 'internal',
    subnetIds: e.net.privateSubnetIds,
    securityGroupIds: [lbSg.physicalId],
    attributes: {},
  });
  const tg = await targetGroups.create(c('node-target-group'), {
    name: 'wallarm-oob-d1-node-8445',
    protocol: 'HTTP',
    port: 8445,
    vpcId: e.net.vpcId,
    targetType: 'instance',
    healthCheck: { protocol: 'HTTP', port: '9445', path: '/-/healthcheck', intervalSeconds: 5, timeoutSeconds: 3, healthyThreshold: 3, unhealthyThreshold: 3 },
  });
  await listeners.create(c('node-listener'), { loadBalancerArn: lb.physicalId, protocol: 'HTTP', port: 8445, targetGroupArn: tg.physicalId });
  return {
    template: { ...ltProps, id: lt.physicalId },
    targetGroupArn: tg.physicalId,
    props: {
      name: 'wallarm-oob-d1-nodes',
      launchTemplateId: lt.physicalId,
      launchTemplateVersion: String(lt.outputs.latestVersion),
      minSize: 1,
      maxSize: 3,
      desiredCapacity: 2,
      subnetIds: [...e.net.privateSubnetIds].reverse(),
      targetGroupArns: [tg.physicalId],
      healthCheckType: 'ELB',
      healthCheckGracePeriod: 180,
      metricsCollection: true,
      instanceRefresh: { minHealthyPercentage: 50, maxHealthyPercentage: 100 },
      tags: { ...c('node-asg').tags },
    },
  };
}

async function healthyTargets(e: FakeEnv, tg: string): Promise<number> {
  const out = await (await e.aws.elbv2()).send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }));
  return (out.TargetHealthDescriptions ?? []).filter((d) => d.TargetHealth?.State === 'healthy').length;
}

describe('auto-scaling-group handler', () => {
  let e: FakeEnv;
  let s: Stack;
  beforeEach(async () => {
    e = env();
    s = await stack(e);
  });
  afterEach(() => e.done());

  it('create returns once the group exists; with waitForCapacity its ready() resolves once the instances are healthy in the target group', async () => {
    clock.setVirtual(true); // progress lines depend on simulated time only
    const ctx = context(e.aws, 'node-asg', { waitForCapacity: true });
    const created = await groups.create(ctx, s.props);
    expect(await healthyTargets(e, s.targetGroupArn)).toBe(0);
    await created.ready!();
    expect(await healthyTargets(e, s.targetGroupArn)).toBe(2);
    expect(ctx.logs.some((l) => /^waiting for healthy instances in wallarm-oob-d1-nodes: \d\/2 healthy \(\d+m?\d*s?\)$/.test(l))).toBe(true);
    expect(created.outputs).toEqual({ name: s.props.name, arn: expect.stringContaining(':autoScalingGroup:') });
    expect(created.props).toEqual(normalize(s.props));

    const input = e.fake.callsTo('CreateAutoScalingGroup')[0]!.input as Record<string, unknown>;
    expect(input).toMatchObject({
      LaunchTemplate: { LaunchTemplateId: s.template.id, Version: '1' },
      VPCZoneIdentifier: s.props.subnetIds.join(','),
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: 180,
      Tags: expect.arrayContaining([
        { ResourceId: s.props.name, ResourceType: 'auto-scaling-group', Key: 'Name', Value: s.props.name, PropagateAtLaunch: true },
        { ResourceId: s.props.name, ResourceType: 'auto-scaling-group', Key: 'wallarm-oob:id', Value: 'node-asg', PropagateAtLaunch: true },
      ]),
    });
    expect(e.fake.callsTo('EnableMetricsCollection')[0]!.input).toMatchObject({ Granularity: '1Minute' });
  });

  it('read -> update (sizes, metrics, target groups, new template version with a rolling refresh) -> read', async () => {
    const ctx = context(e.aws, 'node-asg', { waitForCapacity: true });
    await (await groups.create(ctx, s.props)).ready?.();
    const live = await groups.read(ctx, s.props.name);
    expect(live?.props).toEqual({ ...normalize(s.props), instanceRefresh: { minHealthyPercentage: 90, maxHealthyPercentage: 100 } }); // no refresh yet: AWS default

    const v2 = await templates.update(context(e.aws, 'node-launch-template'), (await templates.read(context(e.aws, 'node-launch-template'), s.template.id))!, {
      ...s.template,
      instanceType: 't3.large',
    });
    const tg2 = await targetGroups.create(context(e.aws, 'tg2'), { ...(await targetGroups.read(ctx, s.targetGroupArn))!.props, name: 'wallarm-oob-d1-other' });
    const [lb] = await lbs.list(ctx);
    await listeners.create(context(e.aws, 'listener-2'), { loadBalancerArn: lb!.physicalId, protocol: 'HTTP', port: 8446, targetGroupArn: tg2.physicalId });
    const desired: AutoScalingGroupProps = {
      ...s.props,
      launchTemplateVersion: String(v2.outputs.latestVersion),
      maxSize: 4,
      metricsCollection: false,
      targetGroupArns: [tg2.physicalId],
    };
    const updated = await groups.update(ctx, live!, desired);
    expect(updated.props).toEqual(normalize(desired));
    const refresh = e.fake.callsTo('StartInstanceRefresh')[0]!.input;
    expect(refresh).toMatchObject({ Preferences: { MinHealthyPercentage: 50, InstanceWarmup: 180, SkipMatching: true } });
    expect(e.fake.callsTo('AttachLoadBalancerTargetGroups')).toHaveLength(1);
    expect(e.fake.callsTo('DetachLoadBalancerTargetGroups')).toHaveLength(1);
    expect(e.fake.callsTo('DisableMetricsCollection')).toHaveLength(1);
    expect(ctx.logs.some((l) => l.startsWith('instance refresh of wallarm-oob-d1-nodes started'))).toBe(true);

    const after = await groups.read(ctx, s.props.name);
    expect(after?.props).toEqual(normalize(desired)); // refresh preferences read back from the last refresh
    // Every instance now runs version 2 and is healthy in the new target group.
    expect(await healthyTargets(e, tg2.physicalId)).toBe(2);
    const { DescribeAutoScalingGroupsCommand } = await import('@aws-sdk/client-auto-scaling');
    const group = (await (await e.aws.autoscaling()).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [s.props.name] }))).AutoScalingGroups![0]!;
    expect(group.Instances?.filter((i) => i.LifecycleState === 'InService').map((i) => i.LaunchTemplate?.Version)).toEqual(['2', '2']);
  });

  it('cancels a refresh already running before starting its own', async () => {
    const ctx = context(e.aws, 'node-asg');
    await groups.create(ctx, s.props);
    e.fake.advance(10 * 60_000);
    const asg = await e.aws.autoscaling();
    await asg.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: s.props.name }));
    const v2 = await templates.update(context(e.aws, 'node-launch-template'), (await templates.read(ctx, s.template.id))!, { ...s.template, instanceType: 't3.large' });
    await groups.update(ctx, (await groups.read(ctx, s.props.name))!, { ...s.props, launchTemplateVersion: String(v2.outputs.latestVersion) });
    expect(e.fake.callsTo('CancelInstanceRefresh', { succeeded: true })).toHaveLength(1);
    expect(e.fake.callsTo('StartInstanceRefresh', { succeeded: true })).toHaveLength(2);
  });

  it('keeps the desired capacity a scaling policy set', async () => {
    const ctx = context(e.aws, 'node-asg');
    await groups.create(ctx, s.props);
    await policies.create(context(e.aws, 'node-cpu-policy'), { name: 'cpu', autoScalingGroupName: s.props.name, metric: 'ASGAverageCPUUtilization', targetValue: 70 });
    await (await e.aws.autoscaling()).send(new SetDesiredCapacityCommand({ AutoScalingGroupName: s.props.name, DesiredCapacity: 3 }));
    const live = await groups.read(ctx, s.props.name);
    expect(groups.ignoreLiveChanges).toContain('desiredCapacity');
    const updated = await groups.update(ctx, live!, { ...s.props, healthCheckGracePeriod: 300 });
    expect(updated.props.desiredCapacity).toBe(3);
    expect(updated.props.healthCheckGracePeriod).toBe(300);
  });

  it('times out waiting for capacity with the reason', async () => {
    e.fake.setDelays({ targetHealthyMs: 365 * 24 * 3600_000 });
    clock.setScale(0.0001);
    const created = await groups.create(context(e.aws, 'node-asg', { waitForCapacity: true }), s.props);
    await expect(created.ready!()).rejects.toMatchObject({
      code: 'AWS_TIMEOUT',
      message: expect.stringMatching(/wallarm-oob-d1-nodes.*\(0\/2 healthy\)/),
      actions: [expect.stringContaining('describe-scaling-activities'), expect.any(String)],
    });
  });

  it('delete force-deletes and waits until the group is gone; list finds by tag', async () => {
    const ctx = context(e.aws, 'node-asg');
    expect((await groups.create(ctx, s.props)).ready).toBeUndefined(); // nothing to wait for without waitForCapacity
    await groups.create(context(e.aws, 'other', { deployment: 'd2' }), { ...s.props, name: 'other-nodes' });
    expect(await groups.list(ctx)).toMatchObject([{ physicalId: s.props.name, logicalId: 'node-asg', tags: expect.any(Object) }]);
    expect(await groups.create(ctx, s.props)).toMatchObject({ physicalId: s.props.name }); // adopts its own
    await expect(groups.create(context(e.aws, 'intruder'), s.props)).rejects.toMatchObject({ code: 'AWS_NAME_TAKEN' });

    await groups.delete(ctx, s.props.name);
    expect(e.fake.callsTo('DeleteAutoScalingGroup')[0]!.input).toMatchObject({ ForceDelete: true });
    expect(await groups.read(ctx, s.props.name)).toBeUndefined();
    await groups.delete(ctx, s.props.name);
  });
});

describe('scaling-policy handler', () => {
  let e: FakeEnv;
  let s: Stack;
  beforeEach(async () => {
    e = env();
    s = await stack(e);
  });
  afterEach(() => e.done());

  it('create -> read -> update -> read -> delete -> read; list by the deployment groups', async () => {
    await groups.create(context(e.aws, 'node-asg'), s.props);
    const ctx = context(e.aws, 'node-cpu-policy');
    const props = { name: 'wallarm-oob-d1-cpu-target', autoScalingGroupName: s.props.name, metric: 'ASGAverageCPUUtilization' as const, targetValue: 70 };
    const created = await policies.create(ctx, props);
    expect(created.physicalId).toBe(`${s.props.name}/${props.name}`);
    expect(created.outputs.arn).toMatch(/^arn:aws:autoscaling:/);
    expect(await policies.read(ctx, created.physicalId)).toEqual(created);

    const updated = await policies.update(ctx, created, { ...props, targetValue: 55 });
    expect((await policies.read(ctx, created.physicalId))?.props.targetValue).toBe(55);
    expect(updated.outputs.arn).toBe(created.outputs.arn);

    expect(await policies.list(ctx)).toMatchObject([{ physicalId: created.physicalId, logicalId: undefined, tags: expect.any(Object) }]);

    await policies.delete(ctx, created.physicalId);
    expect(await policies.read(ctx, created.physicalId)).toBeUndefined();
    await policies.delete(ctx, created.physicalId);

    // A policy whose group is gone: read undefined, delete succeeds.
    const again = await policies.create(ctx, props);
    await groups.delete(context(e.aws, 'node-asg'), s.props.name);
    expect(await policies.read(ctx, again.physicalId)).toBeUndefined();
    await policies.delete(ctx, again.physicalId);
  });
});
