import { afterEach, describe, expect, it } from 'vitest';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { DescribeLaunchTemplateVersionsCommand } from '@aws-sdk/client-ec2';
import { hasChanges } from '../../src/engine/plan.js';
import { clock } from '../../src/util/clock.js';
import { inventory, world, type World } from './harness.js';

let w: World;
afterEach(() => w?.done());

const EXPECTED = {
  'iam:role': 1,
  'iam:instance-profile': 1,
  'ec2:security-group': 2,
  'ec2:launch-template': 1,
  'elbv2:load-balancer': 1,
  'elbv2:target-group': 1,
  'elbv2:listener': 1,
  'autoscaling:auto-scaling-group': 1,
  'ec2:instance': 1,
  'ssm:parameter': 1, // the state
};

describe('web-server-mirror lifecycle against the fake account', () => {
  it('apply builds topology 1 with the reference properties; plan is then empty; an instance type change updates the template and refreshes the group; destroy leaves nothing', async () => {
    w = await world();
    const first = await w.apply();
    expect(first.changed).toBe(true);

    // ---- every resource exists with the reference properties
    const { fake, net } = w;
    const sgs = [...fake.ec2.securityGroups.values()].filter((g) => g.name.startsWith('wallarm-oob-shop-oob'));
    expect(sgs).toHaveLength(2);
    const lbSg = sgs.find((g) => g.name.endsWith('-alb'))!;
    const nodeSg = sgs.find((g) => g.name.endsWith('-node'))!;
    const ports = (g: typeof lbSg) => [...new Set(g.rules.filter((r) => !r.egress).map((r) => r.from))].sort();
    expect(ports(lbSg)).toEqual([8445]);
    expect(ports(nodeSg)).toEqual([8445, 8446]); // mirror + the health server of node 5.0+; no SSH without a key pair

    const lb = [...fake.elbv2.loadBalancers.values()][0]!;
    expect(lb).toMatchObject({ type: 'application', scheme: 'internal' });
    expect([...lb.subnets].sort()).toEqual([...net.privateSubnetIds].sort());
    expect(lb.attributes.get('deletion_protection.enabled')).toBe('false');

    const tg = [...fake.elbv2.targetGroups.values()][0]!;
    expect(tg).toMatchObject({ protocol: 'HTTP', port: 8445, targetType: 'instance' });
    // the default line (7.x) per the version table: readiness through the tool's health server
    expect(tg.healthCheck).toMatchObject({ protocol: 'HTTP', port: '8446', path: '/ready', intervalSeconds: 5, timeoutSeconds: 3, healthyThreshold: 3, unhealthyThreshold: 3 });

    const listener = [...fake.elbv2.listeners.values()][0]!;
    expect(listener).toMatchObject({ protocol: 'HTTP', port: 8445 });

    const asg = [...fake.autoscaling.groups.values()][0]!;
    expect(asg).toMatchObject({ min: 1, max: 3, desired: 1, healthCheckType: 'ELB', grace: 180 });
    expect(asg.targetGroups).toEqual([tg.arn]);
    expect(asg.metrics?.length).toBeGreaterThan(0);
    const policy = [...fake.autoscaling.policies.values()][0]!;
    expect(policy.targetTracking).toMatchObject({ TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' } });

    const lt = [...fake.ec2.launchTemplates.values()][0]!;
    const data = lt.versions.get(lt.latestVersion)!.data;
    // newest x86_64 image of the newest line (7.1.0), not the 6.x patch published after it, nor the arm64 build
    expect(data.ImageId).toBe(net.images.wallarm71);
    const userData = Buffer.from(data.UserData ?? '', 'base64').toString('utf8');
    expect(userData).toContain('-p custom');
    expect(userData).not.toContain('-p mirror');
    expect(userData).toContain('set_real_ip_from 10.0.0.0/16;'); // the VPC, where the ALB is
    expect(data.InstanceType).toBe('t3.medium');
    expect(data.MetadataOptions?.HttpTokens).toBe('required');
    expect(data.Monitoring?.Enabled).toBe(true);
    expect(data.BlockDeviceMappings?.[0]?.Ebs).toMatchObject({ VolumeSize: 30, Encrypted: true });
    expect(data.NetworkInterfaces?.[0]?.Groups).toEqual([nodeSg.id]);

    const role = [...fake.iam.roles.values()][0]!;
    const policyDoc = JSON.parse([...role.inlinePolicies.values()][0]!);
    expect(policyDoc.Statement).toEqual([
      expect.objectContaining({ Action: 'ssm:GetParameter', Resource: `arn:aws:ssm:eu-west-1:${fake.accountId}:parameter/wallarm-oob/shop-oob/node-token` }),
    ]);

    expect(first.outputs.mirrorEndpoint).toBe(`http://${lb.dnsName}:8445`);
    expect(first.health).toMatchObject({ total: 1, healthy: 1 });
    expect(inventory(w)).toEqual(EXPECTED);

    // ---- plan against the live deployment: nothing to do
    expect(hasChanges(await w.plan())).toBe(false);

    // ---- change the instance type: the template gets a new version and the group an instance refresh
    await w.writeConfig({ nodes: { instanceType: 't3.large' } });
    const plan = await w.plan();
    const changed = plan.actions.filter((a) => a.action !== 'noop');
    expect(changed.map((a) => [a.id, a.action])).toEqual([
      ['node-launch-template', 'update'],
      ['node-asg', 'update'],
    ]);
    expect(changed[0]!.changes).toEqual([expect.objectContaining({ prop: 'instanceType', before: 't3.medium', after: 't3.large', cause: 'config' })]);
    expect(changed[1]!.changes.map((c) => c.prop)).toEqual(['launchTemplateVersion']);

    await w.apply();
    const ec2 = await w.aws.ec2();
    const latest = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: lt.id, Versions: ['$Latest'] }));
    expect(latest.LaunchTemplateVersions?.[0]).toMatchObject({ VersionNumber: 2, LaunchTemplateData: expect.objectContaining({ InstanceType: 't3.large' }) });
    const refreshes = w.fake.callsTo('StartInstanceRefresh', { succeeded: true });
    expect(refreshes).toHaveLength(1);
    // launch each replacement before terminating the old node: no gap in mirror coverage with one node
    expect(refreshes[0]!.input).toMatchObject({ Preferences: { MinHealthyPercentage: 100, MaxHealthyPercentage: 200 } });
    expect([...fake.autoscaling.groups.values()][0]!.lt).toMatchObject({ version: '2' });
    expect(hasChanges(await w.plan())).toBe(false);

    // ---- pin the 6.x line: a new template version (AMI and bootstrap) rolled out by an instance refresh
    await w.writeConfig({ nodes: { instanceType: 't3.large' }, wallarm: { cloud: 'eu', mode: 'monitoring', nodeVersion: '6.x' } });
    const pinned = await w.plan();
    expect(pinned.notes).toContainEqual(expect.stringMatching(/^Wallarm node 6\.12\.1 \(line 6\.x, from wallarm\.nodeVersion "6\.x"\): AMI wallarm-node-6-12-1-20260805-100000\./));
    const versionChange = pinned.actions.filter((a) => a.action !== 'noop');
    expect(versionChange.map((a) => [a.id, a.action])).toEqual([
      ['node-launch-template', 'update'],
      ['node-asg', 'update'],
    ]);
    expect(versionChange[0]!.changes.map((c) => c.prop).sort()).toEqual(['imageId', 'userData']);
    expect(versionChange[0]!.changes.find((c) => c.prop === 'imageId')).toMatchObject({ before: net.images.wallarm71, after: net.images.wallarm6121 });
    await w.apply();
    expect(w.fake.callsTo('StartInstanceRefresh', { succeeded: true })).toHaveLength(2);
    expect(tg.healthCheck).toMatchObject({ port: '8446', path: '/ready' });
    expect(hasChanges(await w.plan())).toBe(false);

    // ---- destroy: nothing tagged left, no state parameter
    await w.destroy();
    expect(w.tagged()).toEqual([]);
    const ssm = await w.aws.ssm();
    await expect(ssm.send(new GetParameterCommand({ Name: '/wallarm-oob/shop-oob/state' }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
    await expect(ssm.send(new GetParameterCommand({ Name: '/wallarm-oob/shop-oob/lock' }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
  });

  it('a new instance profile EC2 does not accept yet: Auto Scaling retries the launch and the apply still ends with healthy nodes', async () => {
    w = await world({ fake: { delays: { iamPropagationMs: 15_000 } } });
    clock.setVirtual(true); // simulated time only: however slow the machine, the group is created within the 15 s
    const applied = await w.apply();
    expect(applied.health).toMatchObject({ total: 1, healthy: 1 });
    const launches = w.fake.autoscaling.activities.map((a) => a.status);
    expect(launches).toContain('Failed'); // the first launch met the propagation delay; Auto Scaling retried it
  });
});
