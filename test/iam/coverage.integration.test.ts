import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import { planOffline } from '../../src/core/planning.js';
import { deploymentStatus } from '../../src/core/status.js';
import { accountChecks } from '../../src/core/validate.js';
import { grantsFor, policyFor } from '../../src/iam/assemble.js';
import { NEEDS_NO_PERMISSION } from '../../src/iam/grants.js';
import { actionsOf } from '../../src/iam/policy.js';
import { describeParameter, listAutoScalingGroups, listNetworkInterfaces, listSubnets, listVpcs } from '../../src/init/discovery.js';
import { implementedKinds } from '../../src/resources/registry.js';
import type { CallRecord } from '../fake-aws/index.js';
import { installerServer, type InstallerServer } from '../vpc-mirror/installer-server.js';
import { seedSources } from '../vpc-mirror/seed.js';
import { world, type World } from '../integration/harness.js';

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
 * revoked and authorised; mirrored ports: filter rules), output's reads, destroy.
 */
async function lifecycle(v: World, config: Partial<ConfigInput>, edit: Partial<ConfigInput>): Promise<Set<string>> {
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
  await v.destroy();
  expect(v.tagged()).toEqual([]);
  return new Set(v.fake.calls.map(actionOf).filter((a) => !NEEDS_NO_PERMISSION.has(a)));
}

async function check(v: World, made: Set<string>): Promise<{ missing: string[]; neverMade: string[] }> {
  const kinds = planOffline(v.loaded).plan.graph.nodes.map((n) => n.kind);
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

/**
 * Actions only an edit or a drift this lifecycle does not make reaches (a replaced target group re-attached,
 * a refresh cancelled by a newer one, a trust policy or managed policy changed behind our back, a load
 * balancer moved to other subnets, roles adopted after a crash). The handler tests drive those paths; here
 * they are the only granted actions allowed to go unexercised, and each must still be granted by some handler.
 */
const EDIT_OR_DRIFT_ONLY = new Set([
  // a new function bundle (a wallarm-oob upgrade): not part of one lifecycle
  'lambda:UpdateFunctionCode',
  // plan's cost estimate and status's refresh read: made by those commands, not by this lifecycle
  'pricing:GetProducts',
  'autoscaling:DescribeInstanceRefreshes',
  'autoscaling:AttachLoadBalancerTargetGroups',
  'autoscaling:CancelInstanceRefresh',
  'autoscaling:DetachLoadBalancerTargetGroups',
  'autoscaling:DisableMetricsCollection',
  'ec2:DeleteTrafficMirrorFilterRule',
  'ec2:ModifyTrafficMirrorFilterNetworkServices',
  'ec2:ModifyTrafficMirrorFilterRule',
  'ec2:RevokeSecurityGroupIngress',
  'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
  'elasticloadbalancing:ModifyLoadBalancerAttributes',
  'elasticloadbalancing:SetSecurityGroups',
  'elasticloadbalancing:SetSubnets',
  'iam:DetachRolePolicy',
  'iam:ListInstanceProfileTags',
  'iam:ListRoleTags',
  'iam:UpdateAssumeRolePolicy',
]);

async function expectExactCoverage(v: World, made: Set<string>): Promise<void> {
  const { missing, neverMade } = await check(v, made);
  expect(missing).toEqual([]);
  expect(neverMade.filter((a) => !EDIT_OR_DRIFT_ONLY.has(a))).toEqual([]);
}

const NETWORK_EDIT = { network: { mirrorSourceCidrs: ['10.0.0.0/16'], nodeInboundCidrs: ['10.0.0.0/16'], nodeOutboundCidrs: ['10.0.0.0/8'] } } as Partial<ConfigInput>;

describe('iam-policy covers exactly the calls of every topology on the fake', () => {
  it('the edit-only actions are all granted by some handler (the list above is not stale)', async () => {
    w = await world({ token: false });
    const granted = new Set((await grantsFor(w.loaded, implementedKinds)).flatMap((g) => g.actions));
    expect([...EDIT_OR_DRIFT_ONLY].filter((a) => !granted.has(a))).toEqual([]);
  });

  it('web-server-mirror', async () => {
    w = await world({ token: false });
    seedSources(w.fake, w.net);
    const made = await lifecycle(w, {}, NETWORK_EDIT);
    await expectExactCoverage(w, made);
  });

  it('vpc-mirror, native-node receiver', async () => {
    server = await installerServer();
    w = await world({ token: false });
    seedSources(w.fake, w.net);
    const made = await lifecycle(w, { topology: 'vpc-mirror', mirror: { sources: [{ autoScalingGroup: 'web-asg' }], ports: [80], nativeNode: { installer: { url: server.url } } } } as never, {
      ...NETWORK_EDIT,
      mirror: { sources: [{ autoScalingGroup: 'web-asg' }], ports: [80, 8080], nativeNode: { installer: { url: server.url } } },
    });
    await expectExactCoverage(w, made);
  });

  it('vpc-mirror, goreplay receiver', async () => {
    w = await world({ token: false });
    seedSources(w.fake, w.net);
    const made = await lifecycle(w, { topology: 'vpc-mirror', mirror: { receiver: 'goreplay', sources: [{ autoScalingGroup: 'web-asg' }] } } as never, {
      ...NETWORK_EDIT,
      mirror: { receiver: 'goreplay', sources: [{ autoScalingGroup: 'web-asg' }], ports: [80] },
    } as never);
    await expectExactCoverage(w, made);
  });
});
