import { afterEach, describe, expect, it } from 'vitest';
import { UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import Output from '../../src/commands/output.js';
import { installerSha256 } from '../../src/topologies/vpc-mirror/receivers/native-node/inputs.js';
import { hasChanges } from '../../src/engine/plan.js';
import { FAKE_INSTALLER_SHA256, installerServer, type InstallerServer } from '../vpc-mirror/installer-server.js';
import { seedSources } from '../vpc-mirror/seed.js';
import { runCommand } from './cli.js';
import { RecordingHooks, world, type World } from './harness.js';

let w: World | undefined;
let server: InstallerServer | undefined;
afterEach(async () => {
  w?.done();
  w = undefined;
  await server?.close();
  server = undefined;
});

const userDataOf = (v: World, name: string) => {
  const lt = [...v.fake.ec2.launchTemplates.values()].find((t) => t.name === name)!;
  return Buffer.from(lt.versions.get(lt.latestVersion)!.data.UserData!, 'base64').toString('utf8');
};

describe('vpc-mirror with the native-node receiver against the fake account', () => {
  it('apply builds NLB + native nodes + mirror layer, no ALB or NGINX fleet; scale-out adds a session; destroy leaves nothing', async () => {
    server = await installerServer();
    w = await world();
    const sources = seedSources(w.fake, w.net);
    await w.writeConfig({ topology: 'vpc-mirror', mirror: { sources: [{ autoScalingGroup: 'web-asg' }], ports: [80], nativeNode: { installer: { url: server.url } } } } as never);

    const hooks = new RecordingHooks();
    expect((await w.apply({}, hooks)).changed).toBe(true);
    // Trust on first use: the plan downloaded the installer once and says which checksum it pinned into the nodes.
    expect(server.hits).toEqual(['/native/aio-native-0.25.5.x86_64.sh']);
    expect(hooks.plans[0]!.notes.join('\n')).toContain(`mirror.nativeNode.installer.sha256: ${FAKE_INSTALLER_SHA256}`);

    const lbs = [...w.fake.elbv2.loadBalancers.values()];
    expect(lbs.map((lb) => lb.type).sort()).toEqual(['application', 'network']); // ours, and the seeded existing-alb
    const nlb = lbs.find((lb) => lb.type === 'network')!;
    expect(nlb).toMatchObject({ name: 'wallarm-oob-shop-oob-native-nlb', scheme: 'internal' });
    expect(nlb.attributes.get('load_balancing.cross_zone.enabled')).toBe('true');
    expect(lbs.some((lb) => lb.name === 'wallarm-oob-shop-oob-alb')).toBe(false);

    const tgs = [...w.fake.elbv2.targetGroups.values()];
    expect(tgs).toHaveLength(1);
    expect(tgs[0]).toMatchObject({ protocol: 'UDP', port: 4789, targetType: 'instance' });
    expect(tgs[0]!.healthCheck).toMatchObject({ protocol: 'HTTP', port: '8080', path: '/ready' });
    expect([...w.fake.elbv2.listeners.values()].filter((l) => l.lbArn === nlb.arn)).toMatchObject([{ protocol: 'UDP', port: 4789 }]);

    const ours = [...w.fake.autoscaling.groups.values()].filter((g) => g.name.startsWith('wallarm-oob-'));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ name: 'wallarm-oob-shop-oob-native-nodes', min: 1, max: 1, desired: 1, healthCheckType: 'ELB' });
    expect(ours[0]!.targetGroups).toEqual([tgs[0]!.arn]);

    const sg = [...w.fake.ec2.securityGroups.values()].find((g) => g.name === 'wallarm-oob-shop-oob-native-node')!;
    const ingress = sg.rules.filter((r) => !r.egress).map((r) => `${r.protocol}/${r.from}/${r.cidr}`).sort();
    expect(ingress).toEqual(['tcp/8080/10.0.0.0/16', 'udp/4789/10.0.0.0/16']);

    const userData = userDataOf(w, 'wallarm-oob-shop-oob-native-node');
    expect(userData).toContain(`readonly INSTALLER_URL='${server.url}'`);
    expect(userData).toContain(`readonly INSTALLER_SHA256='${FAKE_INSTALLER_SHA256}'`);
    expect(userData).toContain('--mode=tcp-capture-v2');
    expect(userData).toContain("readonly API_HOST='api.wallarm.com'");
    expect(userData).toContain('listen_addr: 0.0.0.0:4789');
    expect(userData).not.toContain('node-token-from-ssm');
    const lt = [...w.fake.ec2.launchTemplates.values()].find((t) => t.name === 'wallarm-oob-shop-oob-native-node')!;
    expect(lt.versions.get(lt.latestVersion)!.data.IamInstanceProfile?.Arn).toMatch(/instance-profile\/wallarm-oob\/shop-oob\/wallarm-oob-shop-oob-node$/);
    expect(lt.versions.get(lt.latestVersion)!.data.InstanceType).toBe('t3.medium');

    const target = [...w.fake.mirroring.targets.values()].find((t) => t.nlbArn === nlb.arn)!;
    const sessions = () => [...w!.fake.mirroring.sessions.values()].filter((s) => s.targetId === target.id);
    expect(sessions().map((s) => s.eniId).sort()).toEqual(sources.asgEnis);
    const filter = [...w.fake.mirroring.filters.values()].find((f) => f.id === sessions()[0]!.filterId)!;
    // Both directions: requests to port 80 and responses from it.
    expect(filter.rules.map((r) => `${r.direction}/${r.number}/${r.action}/${r.protocol ?? 'all'}`).sort()).toEqual([
      'egress/10/accept/6', 'egress/120/reject/all', 'ingress/110/reject/all', 'ingress/20/accept/6',
    ]);

    expect(hasChanges(await w.plan())).toBe(false);

    const asg = await w.aws.autoscaling();
    await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web-asg', DesiredCapacity: 3 }));
    w.fake.advance(600_000);
    // output: the receiver, its health, the sessions against what mirror.sources selects now; no mirror-config hint.
    const shown = await runCommand(Output, ['-c', w.configPath]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Receiver: native-node (Wallarm Native Node, tcp-capture-v2)');
    expect(shown.stdout).toMatch(/Receiver health: 1\/1 healthy/);
    expect(shown.stdout).toContain('Mirror sessions: 2 of 3 eligible network interfaces; 1 not mirrored yet: run `wallarm-oob apply`');
    expect(shown.stdout).not.toContain('mirror-config');
    const json = JSON.parse((await runCommand(Output, ['-c', w.configPath, '--json'])).stdout);
    expect(json).toMatchObject({ receiver: 'native-node', liveSessions: 2, eligibleNetworkInterfaces: 3, healthyTargets: 1, targets: 1 });
    expect(json).not.toHaveProperty('mirrorEndpoint');

    const plan = await w.plan();
    expect(plan.actions.filter((a) => a.action !== 'noop').map((a) => [a.id, a.action])).toEqual([['mirror-sessions', 'update']]);
    await w.apply();
    expect(sessions()).toHaveLength(3);
    expect(hasChanges(await w.plan())).toBe(false);

    await w.destroy();
    expect(w.tagged()).toEqual([]);
  });

  it('the installer sha256 pinned in the config: no download; a changed download is a changed plan when not pinned', async () => {
    server = await installerServer();
    w = await world();
    seedSources(w.fake, w.net);
    const pinned = 'c'.repeat(64);
    await w.writeConfig({ topology: 'vpc-mirror', mirror: { sources: [{ autoScalingGroup: 'web-asg' }], nativeNode: { installer: { url: server.url, sha256: pinned } } } } as never);
    await w.apply();
    expect(server.hits).toEqual([]);
    expect(userDataOf(w, 'wallarm-oob-shop-oob-native-node')).toContain(`readonly INSTALLER_SHA256='${pinned}'`);

    // Unpinned, the next plan computes the checksum of what the URL serves now: the launch template changes.
    await w.writeConfig({ topology: 'vpc-mirror', mirror: { sources: [{ autoScalingGroup: 'web-asg' }], nativeNode: { installer: { url: server.url } } } } as never);
    const plan = await w.plan();
    expect(plan.actions.filter((a) => a.action !== 'noop').map((a) => a.id)).toEqual(['native-node-launch-template', 'native-node-asg']);
  });

  it('a failed or non-https download is one clear error naming the fix', async () => {
    server = await installerServer();
    const missing = server.url.replace('/native/aio-native-0.25.5.x86_64.sh', '/missing.sh');
    await expect(installerSha256(missing, 'c.yaml: mirror.nativeNode.installer')).rejects.toMatchObject({
      code: 'INSTALLER_DOWNLOAD_FAILED',
      message: expect.stringMatching(/^c\.yaml: mirror\.nativeNode\.installer: could not compute the sha256 of the Wallarm installer .*: the server answered HTTP 404\.$/),
      actions: [expect.stringMatching(/^Pin it: set mirror\.nativeNode\.installer\.sha256/), expect.stringMatching(/reach the installer host over HTTPS/)],
    });
    await expect(installerSha256(server.url.replace(/\/native\/.*/, '/redirect-to-plain-http'), 'c.yaml')).rejects.toMatchObject({
      message: expect.stringMatching(/redirects to http:\/\/example\.invalid, which is not https/),
    });
    await expect(installerSha256('https://127.0.0.1:1/aio.sh', 'c.yaml')).rejects.toMatchObject({ code: 'INSTALLER_DOWNLOAD_FAILED' });
    expect(await installerSha256(server.url, 'c.yaml')).toBe(FAKE_INSTALLER_SHA256);
  });
});
