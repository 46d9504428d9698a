import { AttachLoadBalancerTargetGroupsCommand, DetachLoadBalancerTargetGroupsCommand, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateTrafficMirrorFilterRuleCommand,
  ModifyTrafficMirrorFilterNetworkServicesCommand,
  ModifyTrafficMirrorFilterRuleCommand,
  UpdateSecurityGroupRuleDescriptionsIngressCommand,
} from '@aws-sdk/client-ec2';
import { CreateTargetGroupCommand, ModifyLoadBalancerAttributesCommand, SetSecurityGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AttachRolePolicyCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { DeleteParameterCommand } from '@aws-sdk/client-ssm';
import { strToU8, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import { addCost, planOffline, planOnline } from '../../src/core/planning.js';
import { statusReport } from '../../src/core/status-report.js';
import { statePath } from '../../src/state/names.js';
import { deploymentStatus } from '../../src/core/status.js';
import { accountChecks } from '../../src/core/validate.js';
import { grantsFor, policyFor } from '../../src/iam/assemble.js';
import { NEEDS_NO_PERMISSION } from '../../src/iam/grants.js';
import { actionsOf } from '../../src/iam/policy.js';
import { describeParameter, listAutoScalingGroups, listNetworkInterfaces, listSubnets, listVpcs } from '../../src/init/discovery.js';
import type { CallRecord } from '../fake-aws/index.js';
import { installerServer, type InstallerServer } from '../vpc-mirror/installer-server.js';
import { seedSources } from '../vpc-mirror/seed.js';
import { DEPLOYMENT, world, type World } from '../integration/harness.js';

/** The IAM service prefix of each SDK client the fake records. */
const IAM_PREFIX: Record<string, string> = { ec2: 'ec2', elbv2: 'elasticloadbalancing', autoscaling: 'autoscaling', iam: 'iam', ssm: 'ssm', sts: 'sts' };
const actionOf = (call: CallRecord) => `${IAM_PREFIX[call.service] ?? call.service}:${call.command}`;

let w: World | undefined;
let server: InstallerServer | undefined;
afterEach(async () => {
  w?.done();
  w = undefined;
  await server?.close();
  server = undefined;
  delete process.env.WALLARM_NODE_TOKEN;
});

/**
 * Everything an operator runs against one config: init's discovery, validate, apply (storing the token), a
 * no-change plan, an edit applied in place (tags: every tagging API, both directions; network ranges: rules
 * revoked and authorised; mirrored ports: filter rules), output's and status's reads, a priced plan, the repairs
 * of driftAndRepair (`retype`: the config edit that changes the instance type), destroy. Returns the actions the
 * tool made (not the changes made by hand).
 */
async function lifecycle(v: World, config: Partial<ConfigInput>, edit: Partial<ConfigInput>, retype: Partial<ConfigInput>): Promise<Set<string>> {
  process.env.WALLARM_NODE_TOKEN = 'node-token-for-the-test';
  await v.writeConfig(config);
  const vpcs = await listVpcs(v.aws);
  const subnets = await listSubnets(v.aws, vpcs.find((x) => x.id === v.net.vpcId)!.id);
  await listAutoScalingGroups(v.aws, subnets.map((s) => s.id));
  await listNetworkInterfaces(v.aws, v.net.vpcId);
  await describeParameter(v.aws, v.loaded.config.wallarm.tokenParameter);
  await accountChecks(v.loaded, v.aws);
  await v.apply();
  await v.plan();
  await v.writeConfig({ ...config, ...edit, tags: { owner: 'platform' } });
  await v.apply();
  await deploymentStatus(v.deployment());
  await statusReport(v.deployment());
  const { plan } = await planOnline(v.deployment());
  await addCost(plan, v.aws);
  const outside = await driftAndRepair(v, { ...config, ...edit, tags: { owner: 'platform' } }, retype);
  await v.destroy();
  expect(v.tagged()).toEqual([]);
  return new Set(v.fake.calls.filter((c) => !outside.has(c)).map(actionOf).filter((a) => !NEEDS_NO_PERMISSION.has(a)));
}

/**
 * What happens to a deployment between applies, each followed by the apply (or destroy) that repairs it: changes
 * made by hand in AWS (a trust policy, a rule description, an extra rule, load balancer settings, a detached or
 * extra target group, a managed policy attached to a role, an instance refresh started by someone else, filter
 * rules and network services, the follower's code), a lost state document (everything adopted by its tags), and
 * config edits that move the load balancer or change the node image. Returns the calls made by hand.
 */
async function driftAndRepair(v: World, config: Partial<ConfigInput>, retype: Partial<ConfigInput>): Promise<Set<CallRecord>> {
  const byHand = new Set<CallRecord>();
  const outside = async (change: () => Promise<unknown>) => {
    const from = v.fake.calls.length;
    await change();
    for (const c of v.fake.calls.slice(from)) byHand.add(c);
  };
  const [ec2, elb, asg, iam, lambda] = await Promise.all([v.aws.ec2(), v.aws.elbv2(), v.aws.autoscaling(), v.aws.iam(), v.aws.lambda()]);
  const tagged = (type: string) => v.tagged().filter((r) => r.type === type).map((r) => r.id);
  const role = [...v.fake.iam.instanceProfiles.values()].find((p) => tagged('instance-profile').includes(p.name))!.roles[0]!;
  const lbs = tagged('load-balancer').map((arn) => v.fake.elbv2.loadBalancers.get(arn)!);
  const group = v.fake.autoscaling.groups.get(tagged('auto-scaling-group')[0]!)!;
  const ourGroups = [...group.targetGroups];
  const sg = tagged('security-group').map((id) => v.fake.ec2.securityGroups.get(id)!).find((g) => g.rules.some((r) => !r.egress))!;
  const rule = sg.rules.find((r) => !r.egress)!;
  const defaultSg = [...v.fake.ec2.securityGroups.values()].find((g) => g.name === 'default' && g.vpcId === v.net.vpcId)!;

  await outside(async () => {
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: role, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ssm.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
    await ec2.send(new UpdateSecurityGroupRuleDescriptionsIngressCommand({ GroupId: sg.id, SecurityGroupRuleDescriptions: [{ SecurityGroupRuleId: rule.ruleId, Description: 'edited by hand' }] }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg.id, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    for (const lb of lbs) {
      await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lb.arn, Attributes: [{ Key: 'deletion_protection.enabled', Value: 'true' }] }));
      if (lb.securityGroups.length > 0) await elb.send(new SetSecurityGroupsCommand({ LoadBalancerArn: lb.arn, SecurityGroups: [defaultSg.id] }));
    }
    await asg.send(new DetachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: group.name, TargetGroupARNs: ourGroups }));
    const stray = await elb.send(new CreateTargetGroupCommand({ Name: 'stray-by-hand', Protocol: 'HTTP', Port: 80, VpcId: v.net.vpcId, TargetType: 'instance' }));
    await asg.send(new AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: group.name, TargetGroupARNs: [stray.TargetGroups![0]!.TargetGroupArn!] }));
    // someone's slow rollout (an hour of warm-up per instance), still running when apply needs its own
    await asg.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: group.name, Preferences: { InstanceWarmup: 3600 } }));
  });
  // …and, while that refresh runs, a new instance type: apply cancels the refresh it did not start and rolls its own.
  await v.writeConfig({ ...config, ...retype });
  await v.apply();

  // Filter rules and network services changed by hand (vpc-mirror), the follower's code replaced.
  const filter = v.fake.mirroring.filters.get(tagged('traffic-mirror-filter')[0] ?? '');
  const fn = v.fake.lambda.functions.get(tagged('function')[0] ?? '');
  if (filter || fn) {
    await outside(async () => {
      if (filter) {
        const first = filter.rules[0]!;
        await ec2.send(new ModifyTrafficMirrorFilterRuleCommand({ TrafficMirrorFilterRuleId: first.id, DestinationPortRange: { FromPort: 1, ToPort: 2 } }));
        await ec2.send(new CreateTrafficMirrorFilterRuleCommand({ TrafficMirrorFilterId: filter.id, TrafficDirection: 'ingress', RuleNumber: 999, RuleAction: 'accept', Protocol: 17, DestinationCidrBlock: '0.0.0.0/0', SourceCidrBlock: '0.0.0.0/0' }));
        await ec2.send(new ModifyTrafficMirrorFilterNetworkServicesCommand({ TrafficMirrorFilterId: filter.id, AddNetworkServices: ['amazon-dns'] }));
      }
      if (fn) await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: fn.name, ZipFile: zipSync({ 'index.mjs': strToU8('export const handler = async () => {};') }) }));
    });
    await v.apply();
  }

  // The state document lost: apply finds every resource by its tags and adopts it.
  await outside(async () => (await v.aws.ssm()).send(new DeleteParameterCommand({ Name: statePath(DEPLOYMENT) })));
  await v.apply();

  // The load balancer moved to other subnets; the node image changed (a new launch template version, rolled out).
  const third = v.fake.addSubnet({ vpcId: v.net.vpcId, az: `${v.fake.region}c`, cidr: '10.0.3.0/24' });
  await v.writeConfig({ ...config, ...retype, subnets: { loadBalancer: [v.net.privateSubnetIds[0], third] } });
  await v.apply();

  // A managed policy attached by hand is detached when the role is deleted (destroy follows).
  await outside(() => iam.send(new AttachRolePolicyCommand({ RoleName: role, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })));
  return byHand;
}

async function check(v: World, made: Set<string>): Promise<{ missing: string[]; neverMade: string[] }> {
  const kinds = planOffline(v.loaded).plan.graph.nodes;
  const policy = await policyFor(v.loaded, kinds);
  const granted = actionsOf(policy);
  // A dependent action (ec2:RunInstances, iam:PassRole, tagging on create) is never sent by the tool: it counts
  // as exercised when a call that AWS checks it for was made.
  const dependents = new Set(
    (await grantsFor(v.loaded, kinds)).filter((g) => g.checkedBy?.some((c) => made.has(c))).flatMap((g) => g.actions),
  );
  return {
    missing: [...made].filter((a) => !granted.has(a)).sort(),
    neverMade: [...granted].filter((a) => !made.has(a) && !dependents.has(a)).sort(),
  };
}


async function expectExactCoverage(v: World, made: Set<string>): Promise<void> {
  const { missing, neverMade } = await check(v, made);
  expect(missing).toEqual([]);
  expect(neverMade).toEqual([]);
}

const NETWORK_EDIT = { network: { mirrorSourceCidrs: ['10.0.0.0/16'], nodeInboundCidrs: ['10.0.0.0/16'], nodeOutboundCidrs: ['10.0.0.0/8'] } } as Partial<ConfigInput>;

describe('iam-policy covers exactly the calls of every topology on the fake', () => {
  it('web-server-mirror', async () => {
    w = await world({ token: false });
    seedSources(w.fake, w.net);
    const made = await lifecycle(w, {}, NETWORK_EDIT, { nodes: { instanceType: 't3.large' } });
    await expectExactCoverage(w, made);
  });

  it('vpc-mirror, native-node receiver', async () => {
    server = await installerServer();
    w = await world({ token: false });
    seedSources(w.fake, w.net);
    const made = await lifecycle(w, { topology: 'vpc-mirror', mirror: { sources: [{ autoScalingGroup: 'web-asg' }], ports: [80], nativeNode: { installer: { url: server.url } } } } as never, {
      ...NETWORK_EDIT,
      mirror: { sources: [{ autoScalingGroup: 'web-asg' }], ports: [80, 8080], nativeNode: { installer: { url: server.url } } },
    }, { mirror: { sources: [{ autoScalingGroup: 'web-asg' }], ports: [80, 8080], nativeNode: { installer: { url: server.url }, instanceType: 't3.large' } } });
    await expectExactCoverage(w, made);
  });

  it('vpc-mirror, goreplay receiver', async () => {
    w = await world({ token: false });
    seedSources(w.fake, w.net);
    const made = await lifecycle(w, { topology: 'vpc-mirror', mirror: { receiver: 'goreplay', sources: [{ autoScalingGroup: 'web-asg' }] } } as never, {
      ...NETWORK_EDIT,
      mirror: { receiver: 'goreplay', sources: [{ autoScalingGroup: 'web-asg' }], ports: [80] },
    } as never, { nodes: { instanceType: 't3.large' } });
    await expectExactCoverage(w, made);
  });
});
