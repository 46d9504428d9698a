import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { handler as groups } from '../../src/resources/auto-scaling-group.js';
import { handler as profiles } from '../../src/resources/iam-instance-profile.js';
import { handler as roles } from '../../src/resources/iam-role.js';
import { handler as templates } from '../../src/resources/launch-template.js';
import { handler as lbs } from '../../src/resources/load-balancer.js';
import { handler as securityGroups } from '../../src/resources/security-group.js';
import { handler as targetGroups } from '../../src/resources/target-group.js';
import { TAG_DEPLOYMENT } from '../../src/resources/types.js';
import type { FakeEnv } from '../fake-aws/helpers.js';
import { context, env } from './helpers.js';

const ASSUME = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

/**
 * A create whose response is lost (the effect happened, the SDK retries after a 500) must converge on the
 * one resource it made, never a duplicate and never an error.
 */
describe('creates survive a lost response', () => {
  let e: FakeEnv;
  beforeEach(() => {
    e = env();
  });
  afterEach(() => e.done());

  const lostAfter = (command: string) => e.fake.failAtMutation(1, { mode: 'after', match: command });

  it('iam role and instance profile', async () => {
    lostAfter('CreateRole');
    await roles.create(context(e.aws, 'node-role'), { name: 'r', path: '/wallarm-oob/d1/', assumeRolePolicy: ASSUME, inlinePolicies: { p: ASSUME } });
    lostAfter('CreateInstanceProfile');
    const p = await profiles.create(context(e.aws, 'node-profile'), { name: 'p', path: '/wallarm-oob/d1/', roleName: 'r' });
    expect(p.props.roleName).toBe('r');
    lostAfter('AddRoleToInstanceProfile');
    await profiles.update(context(e.aws, 'node-profile'), { ...p, props: { ...p.props, roleName: '' } }, p.props);
    expect(e.fake.resourcesTagged(TAG_DEPLOYMENT, 'd1').map((r) => r.type).sort()).toEqual(['instance-profile', 'role']);
  });

  it('security group and its rules', async () => {
    lostAfter('CreateSecurityGroup');
    const sg = await securityGroups.create(context(e.aws, 'sg'), {
      name: 'sg',
      description: 'sg',
      vpcId: e.net.vpcId,
      ingress: [{ protocol: 'tcp', fromPort: 8445, toPort: 8445, cidr: '10.0.0.0/8', description: 'x' }],
      egress: [],
    });
    lostAfter('AuthorizeSecurityGroupIngress');
    await securityGroups.update(context(e.aws, 'sg'), sg, {
      ...sg.props,
      ingress: [...sg.props.ingress, { protocol: 'udp', fromPort: 4789, toPort: 4789, cidr: '10.0.0.0/8', description: 'vxlan' }],
    });
    expect(e.fake.resourcesTagged(TAG_DEPLOYMENT, 'd1')).toHaveLength(1);
    expect((await securityGroups.read(context(e.aws, 'sg'), sg.physicalId))?.props.ingress).toHaveLength(2);
  });

  it('launch template (client token), load balancer, target group, Auto Scaling group', async () => {
    lostAfter('CreateLaunchTemplate');
    const lt = await templates.create(context(e.aws, 'lt'), {
      name: 'wallarm-oob-d1-node',
      imageId: e.net.images.wallarm48,
      instanceType: 't3.medium',
      keyName: null,
      securityGroupIds: [e.net.defaultSecurityGroupId],
      instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/p',
      userData: 'x',
      volumeSizeGiB: 30,
      volumeType: 'gp3',
      detailedMonitoring: false,
      httpTokens: 'required',
    });
    lostAfter('CreateLaunchTemplateVersion');
    const v2 = await templates.update(context(e.aws, 'lt'), lt, { ...(lt.props), instanceType: 't3.large' });
    expect(v2.outputs.latestVersion).toBe('2');

    e.fake.setDelays({ lbActiveMs: 0 });
    lostAfter('CreateLoadBalancer');
    await lbs.create(context(e.aws, 'nlb'), { name: 'nlb', type: 'network', scheme: 'internal', subnetIds: e.net.privateSubnetIds, securityGroupIds: [], attributes: {} });
    lostAfter('CreateTargetGroup');
    await targetGroups.create(context(e.aws, 'tg'), {
      name: 'tg',
      protocol: 'UDP',
      port: 4789,
      vpcId: e.net.vpcId,
      targetType: 'instance',
      healthCheck: { protocol: 'HTTP', port: '9445', path: '/-/healthcheck', intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 3, unhealthyThreshold: 3 },
    });
    lostAfter('CreateAutoScalingGroup');
    await groups.create(context(e.aws, 'asg'), {
      name: 'asg',
      launchTemplateId: lt.physicalId,
      launchTemplateVersion: '2',
      minSize: 0,
      maxSize: 1,
      desiredCapacity: 0,
      subnetIds: e.net.privateSubnetIds,
      targetGroupArns: [],
      healthCheckType: 'EC2',
      healthCheckGracePeriod: 60,
      metricsCollection: false,
      instanceRefresh: { minHealthyPercentage: 90, maxHealthyPercentage: 100 },
    });
    const kinds = e.fake.resourcesTagged(TAG_DEPLOYMENT, 'd1').map((r) => r.type).sort();
    expect(kinds).toEqual(['auto-scaling-group', 'launch-template', 'load-balancer', 'target-group']);
    expect((await templates.read(context(e.aws, 'lt'), lt.physicalId))?.outputs.latestVersion).toBe('2');
  });
});
