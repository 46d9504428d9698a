import { afterEach, describe, expect, it } from 'vitest';
import { DeleteTrafficMirrorSessionCommand } from '@aws-sdk/client-ec2';
import { SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import Status from '../../src/commands/status.js';
import { FAKE_INSTALLER_SHA256 } from '../vpc-mirror/installer-server.js';
import { seedSources } from '../vpc-mirror/seed.js';
import { runCommand } from './cli.js';
import { world, type World } from './harness.js';

let w: World | undefined;
afterEach(() => {
  w?.done();
  w = undefined;
});

/** Ids, ARNs, names with random parts and times replaced by stable placeholders, so the JSON shape can be snapshotted. */
function normalise(json: string): unknown {
  const text = json
    .replace(/arn:aws:[a-z-]+:[a-z0-9-]*:\d*:[^"\s,)]+/g, '<arn>')
    .replace(/\b(i|eni|tms|tmt|tmf|sg|lt|subnet|vpc)-[0-9a-f]{17}\b/g, '$1-<id>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/"activityId": "[^"]+"/g, '"activityId": "<id>"')
    .replace(/"id": "[0-9a-f-]{36}"/g, '"id": "<uuid>"');
  return JSON.parse(text);
}

const status = async (v: World, json = false) => runCommand(Status, ['-c', v.configPath, ...(json ? ['--json'] : [])]);

describe('status against the fake account', () => {
  it('web-server-mirror: healthy (exit 0); an unhealthy target with its reason, a failed scaling activity (exit 3); --json shape', async () => {
    w = await world();
    await w.apply();
    w.fake.advance(600_000);

    const healthy = await status(w);
    expect(healthy.stderr).toBe('');
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toContain('Deployment shop-oob (web-server-mirror, eu-west-1): healthy');
    expect(healthy.stdout).toContain('✓ Application Load Balancer node-alb: healthy');
    expect(healthy.stdout).toContain('load balancer wallarm-oob-shop-oob-alb: active');
    expect(healthy.stdout).toMatch(/targets of node-target-group: 1\/1 healthy\n\s+i-[0-9a-f]{17}:8445 \(eu-west-1[ab]\) {2}healthy/);
    expect(healthy.stdout).toContain('Auto Scaling group wallarm-oob-shop-oob-nodes: 1/1 in service');
    expect(normalise((await status(w, true)).stdout)).toMatchSnapshot('web-server-mirror healthy');

    // One node fails its health checks: AWS's reason code and description are shown, exit 3.
    const node = [...w.fake.autoscaling.groups.values()].find((g) => g.name === 'wallarm-oob-shop-oob-nodes')!;
    const instanceId = [...node.instances.keys()][0]!;
    w.fake.setInstanceHealthy(instanceId, false);
    w.fake.advance(600_000);
    const unhealthy = await status(w);
    expect(unhealthy.code).toBe(3);
    expect(unhealthy.stdout).toContain('Deployment shop-oob (web-server-mirror, eu-west-1): degraded');
    expect(unhealthy.stdout).toContain(`! Target ${instanceId}:8445 is unhealthy (Target.FailedHealthChecks): Health checks failed.`);
    expect(unhealthy.stdout).toContain(`! Auto Scaling marks ${instanceId} of wallarm-oob-shop-oob-nodes Unhealthy.`);

    // Scaling out fails: no Marketplace subscription. The failed activity, EC2's reason and the fix.
    w.fake.setInstanceHealthy(instanceId, true);
    w.fake.failLaunches('OptInRequired');
    await (await w.aws.autoscaling()).send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'wallarm-oob-shop-oob-nodes', DesiredCapacity: 2 }));
    w.fake.advance(600_000);
    const failing = await status(w);
    expect(failing.code).toBe(3);
    expect(failing.stdout).toContain('! Auto Scaling group wallarm-oob-shop-oob-nodes has 1 of 2 instances in service.');
    expect(failing.stdout).toContain('! Auto Scaling group wallarm-oob-shop-oob-nodes cannot launch instances: the AWS Marketplace subscription is missing (OptInRequired). AWS reported: In order to use this AWS Marketplace product you need to accept terms and subscribe.');
    expect(failing.stdout).toContain('prodview-5rl4dgi4wvbfe');
    const json = await status(w, true);
    expect(json.code).toBe(3);
    expect(normalise(json.stdout)).toMatchSnapshot('web-server-mirror failed launches');
  });

  it('vpc-mirror: a missing session is named (exit 3); a session whose interface is gone is named too', async () => {
    w = await world();
    const sources = seedSources(w.fake, w.net);
    await w.writeConfig({
      topology: 'vpc-mirror',
      mirror: { sources: [{ autoScalingGroup: 'web-asg' }], ports: [80], nativeNode: { installer: { url: 'https://meganode.wallarm.com/native/aio-native-0.25.5.x86_64.sh', sha256: FAKE_INSTALLER_SHA256 } } },
    } as never);
    await w.apply();
    w.fake.advance(600_000);

    const healthy = await status(w);
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toContain('✓ Traffic mirroring: healthy');
    expect(healthy.stdout).toContain(`sessions: 2 on tmt-`);
    expect(healthy.stdout).toContain('for 2 eligible network interfaces');
    // The mirror hop comes first: traffic reaches the sessions before the NLB.
    expect(healthy.stdout.indexOf('Traffic mirroring')).toBeLessThan(healthy.stdout.indexOf('Network Load Balancer native-node-nlb'));
    expect(normalise((await status(w, true)).stdout)).toMatchSnapshot('vpc-mirror healthy');

    const [first, second] = sources.asgEnis as [string, string];
    const sessionOf = (eni: string) => [...w!.fake.mirroring.sessions.values()].find((s) => s.eniId === eni)!.id;
    await (await w.aws.ec2()).send(new DeleteTrafficMirrorSessionCommand({ TrafficMirrorSessionId: sessionOf(first) }));
    const missing = await status(w);
    expect(missing.code).toBe(3);
    expect(missing.stdout).toContain(`✗ Traffic mirroring: degraded\n    ! 1 eligible network interface is not mirrored: ${first} (run \`wallarm-oob apply\`).`);
    const json = JSON.parse((await status(w, true)).stdout) as { status: string; hops: { mirror?: { missing: string[]; sessions: number } }[] };
    expect(json.status).toBe('degraded');
    expect(json.hops[0]!.mirror).toMatchObject({ missing: [first], sessions: 1 });

    // An interface that is gone while its session stays (the fake deletes sessions with their ENI, so the ENI is
    // removed from the model behind AWS's back): status names the session and the interface.
    const stale = sessionOf(second);
    w.fake.ec2.networkInterfaces.delete(second);
    const gone = await status(w);
    expect(gone.code).toBe(3);
    expect(gone.stdout).toContain(`1 session mirrors a network interface that is gone: ${stale} (${second})`);
  });

  it('an endpoint without DescribeInstanceRefreshes (an emulator): the report goes on, with a note', async () => {
    w = await world();
    await w.apply();
    w.fake.advance(600_000);
    w.fake.answerRaw('DescribeInstanceRefreshes', { statusCode: 501, headers: { 'content-type': 'text/html' }, body: '<html><body>Not Implemented</body></html>' });
    const run = await status(w);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ Application Load Balancer node-alb: healthy');
    expect(run.stdout).toMatch(/Note: DescribeInstanceRefreshes is not available at this endpoint \(HTTP 501\): status does not show instance refreshes\./);
  });

  it('not deployed: one error, exit 1', async () => {
    w = await world();
    const run = await status(w);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Deployment "shop-oob" is not deployed in this account and region');
  });
});
