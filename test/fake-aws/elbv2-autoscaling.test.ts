import {
  CreateAutoScalingGroupCommand,
  DeleteAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribeScalingActivitiesCommand,
  EnableMetricsCollectionCommand,
  PutScalingPolicyCommand,
  StartInstanceRefreshCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetHealthCommand,
  ModifyLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clock } from '../../src/util/clock.js';
import { ASSUME_EC2, codeOf, fakeEnv, type FakeEnv } from './helpers.js';

const tags = [{ Key: 'wallarm-oob:deployment', Value: 'd1' }];

async function alb(env: FakeEnv, name = 'wallarm-oob-d1-alb') {
  const ec2 = await env.aws.ec2();
  const elb = await env.aws.elbv2();
  const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `${name}-sg`, Description: 'lb', VpcId: env.net.vpcId }));
  const lb = await elb.send(
    new CreateLoadBalancerCommand({ Name: name, Type: 'application', Scheme: 'internal', Subnets: env.net.privateSubnetIds, SecurityGroups: [sg.GroupId!], Tags: tags }),
  );
  return { sgId: sg.GroupId!, lb: lb.LoadBalancers![0]! };
}

async function targetGroup(env: FakeEnv, name = 'wallarm-oob-d1-tg') {
  const elb = await env.aws.elbv2();
  const out = await elb.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: 'HTTP',
      Port: 8445,
      VpcId: env.net.vpcId,
      TargetType: 'instance',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: '9445',
      HealthCheckPath: '/-/healthcheck',
      HealthCheckIntervalSeconds: 5,
      HealthCheckTimeoutSeconds: 3,
      HealthyThresholdCount: 3,
      UnhealthyThresholdCount: 3,
      Tags: tags,
    }),
  );
  return out.TargetGroups![0]!;
}

async function nodeTemplate(env: FakeEnv, opts: { imageId?: string; profile?: boolean } = {}) {
  const ec2 = await env.aws.ec2();
  const iam = await env.aws.iam();
  let profileArn: string | undefined;
  if (opts.profile !== false) {
    await iam.send(new CreateRoleCommand({ RoleName: 'node-role', AssumeRolePolicyDocument: ASSUME_EC2 }));
    const ip = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'node-profile' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'node-profile', RoleName: 'node-role' }));
    profileArn = ip.InstanceProfile!.Arn;
  }
  const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'node-sg', Description: 'node', VpcId: env.net.vpcId }));
  const lt = await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: 'node-lt',
      LaunchTemplateData: {
        ImageId: opts.imageId ?? env.net.images.wallarm48,
        InstanceType: 't3.medium',
        IamInstanceProfile: { Arn: profileArn ?? 'arn:aws:iam::123456789012:instance-profile/missing' },
        NetworkInterfaces: [{ DeviceIndex: 0, Groups: [sg.GroupId!] }],
        MetadataOptions: { HttpTokens: 'required' },
      },
    }),
  );
  return { ltId: lt.LaunchTemplate!.LaunchTemplateId!, nodeSgId: sg.GroupId! };
}

describe('fake-aws: ELBv2', () => {
  let env: FakeEnv;
  beforeEach(() => {
    env = fakeEnv();
  });
  afterEach(() => env.done());

  it('creates an internal ALB: ARN/DNS formats, provisioning -> active after the delay (real time under clock scale)', async () => {
    clock.setScale(0.001);
    env.fake.setDelays({ lbActiveMs: 100_000 }); // 100 real ms
    const { lb } = await alb(env);
    expect(lb.LoadBalancerArn).toMatch(/^arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer\/app\/wallarm-oob-d1-alb\/[0-9a-f]{16}$/);
    expect(lb.DNSName).toMatch(/^internal-wallarm-oob-d1-alb-\d+\.eu-west-1\.elb\.amazonaws\.com$/);
    expect(lb.State?.Code).toBe('provisioning');
    const elb = await env.aws.elbv2();
    await new Promise((r) => setTimeout(r, 150));
    const later = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lb.LoadBalancerArn!] }));
    expect(later.LoadBalancers![0]!.State?.Code).toBe('active');
    const t = await elb.send(new DescribeTagsCommand({ ResourceArns: [lb.LoadBalancerArn!] }));
    expect(t.TagDescriptions![0]!.Tags).toEqual(tags);
  });

  it('validates names, subnets and uniqueness; CreateLoadBalancer is idempotent for identical settings', async () => {
    const elb = await env.aws.elbv2();
    const { lb, sgId } = await alb(env);
    const same = await elb.send(new CreateLoadBalancerCommand({ Name: lb.LoadBalancerName, Type: 'application', Scheme: 'internal', Subnets: env.net.privateSubnetIds, SecurityGroups: [sgId] }));
    expect(same.LoadBalancers![0]!.LoadBalancerArn).toBe(lb.LoadBalancerArn);
    expect(await codeOf(elb.send(new CreateLoadBalancerCommand({ Name: lb.LoadBalancerName, Type: 'application', Scheme: 'internet-facing', Subnets: env.net.publicSubnetIds })))).toBe(
      'DuplicateLoadBalancerName',
    );
    expect(await codeOf(elb.send(new CreateLoadBalancerCommand({ Name: 'x'.repeat(33), Subnets: env.net.privateSubnetIds })))).toBe('ValidationError');
    expect(await codeOf(elb.send(new CreateLoadBalancerCommand({ Name: 'one-az', Scheme: 'internal', Subnets: [env.net.privateSubnetIds[0]] })))).toBe('ValidationError');
    expect(await codeOf(elb.send(new CreateLoadBalancerCommand({ Name: 'same-az', Subnets: [env.net.privateSubnetIds[0], env.net.publicSubnetIds[0]] })))).toBe(
      'InvalidConfigurationRequest',
    );
    const nlb = await elb.send(new CreateLoadBalancerCommand({ Name: 'nlb', Type: 'network', Scheme: 'internal', Subnets: [env.net.privateSubnetIds[0]] }));
    expect(nlb.LoadBalancers![0]!.LoadBalancerArn).toContain(':loadbalancer/net/nlb/');
  });

  it('deletion protection -> OperationNotPermitted; a target group in use -> ResourceInUse; LB ENIs hold its SG for a while', async () => {
    const elb = await env.aws.elbv2();
    const ec2 = await env.aws.ec2();
    const { lb, sgId } = await alb(env);
    const tg = await targetGroup(env);
    expect(await codeOf(elb.send(new CreateTargetGroupCommand({ Name: tg.TargetGroupName, Protocol: 'HTTP', Port: 80, VpcId: env.net.vpcId })))).toBe('DuplicateTargetGroupName');
    const listener = await elb.send(
      new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 8445, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }),
    );
    expect(await codeOf(elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 8445, DefaultActions: [{ Type: 'forward', TargetGroupArn: (await targetGroup(env, 'other-tg')).TargetGroupArn }] })))).toBe('DuplicateListener');
    expect(await codeOf(elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'UDP', Port: 4789, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] })))).toBe('UnsupportedProtocol');
    expect(await codeOf(elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn })))).toBe('ResourceInUse');
    expect(await codeOf(ec2.send(new DeleteSecurityGroupCommand({ GroupId: sgId })))).toBe('DependencyViolation');

    await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn, Attributes: [{ Key: 'deletion_protection.enabled', Value: 'true' }] }));
    expect(await codeOf(elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn })))).toBe('OperationNotPermitted');
    await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn, Attributes: [{ Key: 'deletion_protection.enabled', Value: 'false' }] }));
    await elb.send(new DeleteListenerCommand({ ListenerArn: listener.Listeners![0]!.ListenerArn }));
    await elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn }));
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn })); // idempotent
    expect(await codeOf(elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lb.LoadBalancerArn!] })))).toBe('LoadBalancerNotFound');
    expect(await codeOf(ec2.send(new DeleteSecurityGroupCommand({ GroupId: sgId })))).toBe('DependencyViolation'); // ENIs linger
    env.fake.advance(env.fake.delays.lbDeleteMs);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: sgId }));
  });

  it('a target group cannot be forwarded to by two load balancers', async () => {
    const elb = await env.aws.elbv2();
    const a = await alb(env, 'lb-a');
    const b = await alb(env, 'lb-b');
    const tg = await targetGroup(env);
    const fwd = [{ Type: 'forward' as const, TargetGroupArn: tg.TargetGroupArn }];
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: a.lb.LoadBalancerArn, Protocol: 'HTTP', Port: 8445, DefaultActions: fwd }));
    expect(await codeOf(elb.send(new CreateListenerCommand({ LoadBalancerArn: b.lb.LoadBalancerArn, Protocol: 'HTTP', Port: 8445, DefaultActions: fwd })))).toBe('TargetGroupAssociationLimit');
  });
});

describe('fake-aws: Auto Scaling', () => {
  let env: FakeEnv;
  beforeEach(() => {
    env = fakeEnv();
  });
  afterEach(() => env.done());

  async function fullStack(opts: { desired?: number; imageId?: string; profile?: boolean } = {}) {
    const { lb } = await alb(env);
    const tg = await targetGroup(env);
    const elb = await env.aws.elbv2();
    await elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 8445, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }));
    const { ltId } = await nodeTemplate(env, opts);
    const asg = await env.aws.autoscaling();
    await asg.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: 'wallarm-oob-d1-nodes',
        LaunchTemplate: { LaunchTemplateId: ltId, Version: '1' },
        MinSize: 1,
        MaxSize: 3,
        DesiredCapacity: opts.desired ?? 2,
        VPCZoneIdentifier: env.net.privateSubnetIds.join(','),
        TargetGroupARNs: [tg.TargetGroupArn!],
        HealthCheckType: 'ELB',
        HealthCheckGracePeriod: 180,
        Tags: [
          { Key: 'wallarm-oob:deployment', Value: 'd1', PropagateAtLaunch: true },
          { Key: 'Name', Value: 'wallarm-node', PropagateAtLaunch: true },
        ],
      }),
    );
    return { tgArn: tg.TargetGroupArn!, ltId };
  }

  it('launches instances across AZs: Pending -> InService, registered, initial -> healthy; tags propagated', async () => {
    const { tgArn } = await fullStack();
    const asg = await env.aws.autoscaling();
    const elb = await env.aws.elbv2();
    const ec2 = await env.aws.ec2();
    let g = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['wallarm-oob-d1-nodes'] }))).AutoScalingGroups![0]!;
    expect(g.Instances?.map((i) => i.LifecycleState)).toEqual(['Pending', 'Pending']);
    expect(new Set(g.Instances?.map((i) => i.AvailabilityZone))).toEqual(new Set(['eu-west-1a', 'eu-west-1b']));
    expect(g.Instances![0]!.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
    expect((await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))).TargetHealthDescriptions).toEqual([]);

    env.fake.advance(env.fake.delays.instanceInServiceMs);
    g = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['wallarm-oob-d1-nodes'] }))).AutoScalingGroups![0]!;
    expect(g.Instances?.map((i) => i.LifecycleState)).toEqual(['InService', 'InService']);
    let health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }));
    expect(health.TargetHealthDescriptions?.map((d) => d.TargetHealth?.State)).toEqual(['initial', 'initial']);

    env.fake.advance(env.fake.delays.lbActiveMs + env.fake.delays.targetHealthyMs);
    health = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }));
    expect(health.TargetHealthDescriptions?.map((d) => d.TargetHealth?.State)).toEqual(['healthy', 'healthy']);

    const inst = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:aws:autoscaling:groupName', Values: ['wallarm-oob-d1-nodes'] }, { Name: 'instance-state-name', Values: ['running'] }] }));
    const i0 = inst.Reservations![0]!.Instances![0]!;
    expect(i0.Tags).toEqual(expect.arrayContaining([{ Key: 'wallarm-oob:deployment', Value: 'd1' }, { Key: 'Name', Value: 'wallarm-node' }]));
    expect(i0.IamInstanceProfile?.Arn).toBe('arn:aws:iam::123456789012:instance-profile/node-profile');
    expect(env.fake.resourcesTagged('wallarm-oob:deployment', 'd1').map((r) => r.type).sort()).toEqual(
      ['auto-scaling-group', 'instance', 'instance', 'load-balancer', 'target-group'].sort(),
    );
  });

  it('a launch template with a missing AMI or instance profile launches nothing and records failed activities', async () => {
    await fullStack({ imageId: 'ami-0000000000000dead', profile: false });
    const asg = await env.aws.autoscaling();
    const g = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['wallarm-oob-d1-nodes'] }))).AutoScalingGroups![0]!;
    expect(g.Instances).toEqual([]);
    const acts = await asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'wallarm-oob-d1-nodes' }));
    expect(acts.Activities![0]).toMatchObject({ StatusCode: 'Failed' });
    expect(acts.Activities![0]!.StatusMessage).toContain('does not exist');
  });

  it('refuses names twice, bad sizes and deletes without ForceDelete while instances exist', async () => {
    await fullStack();
    const asg = await env.aws.autoscaling();
    const base = { AutoScalingGroupName: 'wallarm-oob-d1-nodes', LaunchTemplate: { LaunchTemplateId: env.fake.ec2.launchTemplates.keys().next().value!, Version: '1' }, MinSize: 1, MaxSize: 1, VPCZoneIdentifier: env.net.privateSubnetIds.join(',') };
    expect(await codeOf(asg.send(new CreateAutoScalingGroupCommand(base)))).toBe('AlreadyExists');
    expect(await codeOf(asg.send(new CreateAutoScalingGroupCommand({ ...base, AutoScalingGroupName: 'x', DesiredCapacity: 5 })))).toBe('ValidationError');
    expect(await codeOf(asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'wallarm-oob-d1-nodes' })))).toBe('ScalingActivityInProgress');
    env.fake.advance(env.fake.delays.instanceInServiceMs);
    expect(await codeOf(asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'wallarm-oob-d1-nodes' })))).toBe('ResourceInUse');

    await asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'wallarm-oob-d1-nodes', ForceDelete: true }));
    const g = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['wallarm-oob-d1-nodes'] }))).AutoScalingGroups![0]!;
    expect(g.Status).toBe('Delete in progress');
    expect(g.Instances?.map((i) => i.LifecycleState)).toEqual(['Terminating', 'Terminating']);
    env.fake.advance(Math.max(env.fake.delays.asgDeleteMs, env.fake.delays.instanceTerminateMs));
    expect((await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['wallarm-oob-d1-nodes'] }))).AutoScalingGroups).toEqual([]);
    expect(env.fake.resourcesTagged('wallarm-oob:deployment', 'd1').filter((r) => r.type === 'instance')).toEqual([]);
  });

  it('scales to zero, then deletes without ForceDelete', async () => {
    await fullStack();
    const asg = await env.aws.autoscaling();
    await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'wallarm-oob-d1-nodes', MinSize: 0, DesiredCapacity: 0 }));
    env.fake.advance(env.fake.delays.instanceTerminateMs);
    await asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: 'wallarm-oob-d1-nodes' }));
  });

  it('instance refresh replaces instances onto the new template version; a second refresh is refused meanwhile', async () => {
    const { ltId } = await fullStack({ desired: 2 });
    const asg = await env.aws.autoscaling();
    const ec2 = await env.aws.ec2();
    env.fake.advance(env.fake.delays.instanceInServiceMs);
    await ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: ltId, SourceVersion: '1', LaunchTemplateData: { InstanceType: 't3.large' } }));
    await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'wallarm-oob-d1-nodes', LaunchTemplate: { LaunchTemplateId: ltId, Version: '2' } }));
    const { InstanceRefreshId } = await asg.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'wallarm-oob-d1-nodes', Preferences: { MinHealthyPercentage: 50, InstanceWarmup: 60 } }));
    expect(await codeOf(asg.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: 'wallarm-oob-d1-nodes' })))).toBe('InstanceRefreshInProgress');
    env.fake.advance(2 * (env.fake.delays.instanceInServiceMs + 60_000));
    const r = (await asg.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: 'wallarm-oob-d1-nodes', InstanceRefreshIds: [InstanceRefreshId!] }))).InstanceRefreshes![0]!;
    expect(r).toMatchObject({ Status: 'Successful', PercentageComplete: 100, InstancesToUpdate: 0 });
    const g = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['wallarm-oob-d1-nodes'] }))).AutoScalingGroups![0]!;
    const live = g.Instances!.filter((i) => i.LifecycleState !== 'Terminating');
    expect(live.map((i) => i.LaunchTemplate?.Version)).toEqual(['2', '2']);
  });

  it('metrics collection and target tracking policies (idempotent by name)', async () => {
    await fullStack({ desired: 1 });
    const asg = await env.aws.autoscaling();
    await asg.send(new EnableMetricsCollectionCommand({ AutoScalingGroupName: 'wallarm-oob-d1-nodes', Granularity: '1Minute' }));
    const policy = { AutoScalingGroupName: 'wallarm-oob-d1-nodes', PolicyName: 'cpu', PolicyType: 'TargetTrackingScaling', TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' as const }, TargetValue: 70 } };
    const a = await asg.send(new PutScalingPolicyCommand(policy));
    const b = await asg.send(new PutScalingPolicyCommand({ ...policy, TargetTrackingConfiguration: { ...policy.TargetTrackingConfiguration, TargetValue: 60 } }));
    expect(b.PolicyARN).toBe(a.PolicyARN);
    expect(a.PolicyARN).toMatch(/^arn:aws:autoscaling:eu-west-1:123456789012:scalingPolicy:[0-9a-f-]{36}:autoScalingGroupName\/wallarm-oob-d1-nodes:policyName\/cpu$/);
    const g = (await asg.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag:wallarm-oob:deployment', Values: ['d1'] }] }))).AutoScalingGroups!;
    expect(g).toHaveLength(1);
    expect(g[0]!.EnabledMetrics?.map((m) => m.Metric)).toContain('GroupInServiceInstances');
  });
});

describe('fake-aws: what a load balancer still provisioning accepts', () => {
  let env: FakeEnv;
  beforeEach(() => {
    env = fakeEnv();
  });
  afterEach(() => env.done());

  // AWS documents no state requirement (and no error for one) on CreateListener nor on
  // CreateTrafficMirrorTarget with a NetworkLoadBalancerArn: both work on a `provisioning` load balancer.
  it('CreateListener and CreateTrafficMirrorTarget succeed while the load balancer is provisioning', async () => {
    const elb = await env.aws.elbv2();
    const nlb = (await elb.send(new CreateLoadBalancerCommand({ Name: 'nlb', Type: 'network', Scheme: 'internal', Subnets: [...env.net.privateSubnetIds] }))).LoadBalancers![0]!;
    expect(nlb.State?.Code).toBe('provisioning');
    const tg = (await elb.send(new CreateTargetGroupCommand({ Name: 'tg', Protocol: 'UDP', Port: 4789, VpcId: env.net.vpcId, HealthCheckProtocol: 'TCP', HealthCheckPort: '8080' }))).TargetGroups![0]!;
    const listener = await elb.send(new CreateListenerCommand({ LoadBalancerArn: nlb.LoadBalancerArn, Protocol: 'UDP', Port: 4789, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }));
    expect(listener.Listeners?.[0]?.ListenerArn).toBeDefined();
    const { CreateTrafficMirrorTargetCommand } = await import('@aws-sdk/client-ec2');
    const target = await (await env.aws.ec2()).send(new CreateTrafficMirrorTargetCommand({ NetworkLoadBalancerArn: nlb.LoadBalancerArn }));
    expect(target.TrafficMirrorTarget?.NetworkLoadBalancerArn).toBe(nlb.LoadBalancerArn);
    const now = (await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [nlb.LoadBalancerArn!] }))).LoadBalancers![0]!;
    expect(now.State?.Code).toBe('provisioning');
  });
});
