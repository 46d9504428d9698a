/**
 * Switching a live vpc-mirror deployment from the legacy goreplay receiver to the Native Node: the new receiver
 * is built first, the mirror target moves (new target, sessions re-pointed), and only then are the rebuilders,
 * the ALB and the NGINX nodes deleted, so the sources are never mirrored to nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hasChanges } from '../../src/engine/plan.js';
import { FAKE_INSTALLER_SHA256, installerServer, type InstallerServer } from '../vpc-mirror/installer-server.js';
import { seedSources, type Sources } from '../vpc-mirror/seed.js';
import { world, type World } from './harness.js';

let w: World | undefined;
let server: InstallerServer | undefined;
afterEach(async () => {
  w?.done();
  w = undefined;
  await server?.close();
  server = undefined;
});

const SOURCES = [{ autoScalingGroup: 'web-asg' }];
// Mid-switch, state holds both receivers: with the follower too it outgrows a standard SSM parameter (4 KB), so
// this test switches a deployment without it (the follower is tested in test/follower).
const FOLLOW = { follow: false };

/** A goreplay deployment, applied; then the config switched to native-node (installer checksum pinned). */
async function liveGoreplay(url: string): Promise<{ v: World; sources: Sources }> {
  const v = await world();
  const sources = seedSources(v.fake, v.net);
  await v.writeConfig({ topology: 'vpc-mirror', mirror: { receiver: 'goreplay', sources: SOURCES, ...FOLLOW } } as never);
  await v.apply();
  await v.writeConfig({ topology: 'vpc-mirror', mirror: { sources: SOURCES, ...FOLLOW, nativeNode: { installer: { url, sha256: FAKE_INSTALLER_SHA256 } } } } as never);
  return { v, sources };
}

/** Our traffic mirror sessions by source ENI, with the NLB name their target points at. */
function sessionTargets(v: World): Record<string, string[]> {
  const nlbName = new Map([...v.fake.elbv2.loadBalancers.values()].map((lb) => [lb.arn, lb.name]));
  const targets = new Map([...v.fake.mirroring.targets.values()].map((t) => [t.id, nlbName.get(t.nlbArn ?? '') ?? 'gone']));
  const out: Record<string, string[]> = {};
  for (const s of v.fake.mirroring.sessions.values()) {
    const target = targets.get(s.targetId);
    if (target?.startsWith('wallarm-oob-')) (out[s.eniId] ??= []).push(target);
  }
  return out;
}

function expectNativeOnly(v: World, sources: Sources): void {
  expect(sessionTargets(v)).toEqual(Object.fromEntries(sources.asgEnis.map((eni) => [eni, ['wallarm-oob-shop-oob-native-nlb']])));
  const names = v.tagged().map((r) => `${r.service}:${r.type}`).sort();
  expect(names.filter((n) => n.startsWith('elbv2:load'))).toEqual(['elbv2:load-balancer']);
  const lbs = [...v.fake.elbv2.loadBalancers.values()].filter((lb) => lb.name.startsWith('wallarm-oob-')).map((lb) => lb.name);
  expect(lbs).toEqual(['wallarm-oob-shop-oob-native-nlb']);
  const groups = [...v.fake.autoscaling.groups.values()].filter((g) => g.name.startsWith('wallarm-oob-')).map((g) => g.name);
  expect(groups).toEqual(['wallarm-oob-shop-oob-native-nodes']);
}

describe('switching vpc-mirror from goreplay to native-node', () => {
  it('creates the native receiver, moves the mirror target, then deletes rebuilders, ALB and nodes; never a session without a target', async () => {
    server = await installerServer();
    const { v, sources } = await liveGoreplay(server.url);
    w = v;
    expect(Object.values(sessionTargets(v)).flat()).toEqual(sources.asgEnis.map(() => 'wallarm-oob-shop-oob-nlb'));

    const plan = await v.plan();
    const byAction = (action: string) => plan.actions.filter((a) => a.action === action).map((a) => a.id).sort();
    // The filter too: it now also accepts the responses (egress), and its description says so.
    expect(byAction('replace')).toEqual(['mirror-filter', 'mirror-target']);
    expect(plan.actions.find((a) => a.id === 'mirror-sessions')).toMatchObject({ action: 'update', changes: expect.arrayContaining([expect.objectContaining({ prop: 'targetId' })]) });
    expect(byAction('delete')).toEqual(expect.arrayContaining(['node-alb', 'node-asg', 'rebuilder-asg', 'rebuilder-nlb']));

    const from = v.fake.calls.length;
    await v.apply();
    const calls = v.fake.calls.slice(from).filter((c) => c.mutating && !c.error);
    const at = (command: string, pick: (c: (typeof calls)[number]) => boolean = () => true) => calls.findIndex((c) => c.command === command && pick(c));
    const lastAt = (command: string) => calls.findLastIndex((c) => c.command === command);
    const nativeNlb = at('CreateLoadBalancer', (c) => (c.input as { Name?: string }).Name === 'wallarm-oob-shop-oob-native-nlb');
    const nativeAsg = at('CreateAutoScalingGroup', (c) => (c.input as { AutoScalingGroupName?: string }).AutoScalingGroupName === 'wallarm-oob-shop-oob-native-nodes');
    const newTarget = at('CreateTrafficMirrorTarget');
    const firstMove = at('ModifyTrafficMirrorSession');
    const lastMove = lastAt('ModifyTrafficMirrorSession');
    expect([nativeNlb, nativeAsg, newTarget, firstMove]).not.toContain(-1);
    // Sessions are moved in place, never deleted and re-created: each source keeps exactly one session throughout.
    expect(calls.filter((c) => /^(Create|Delete)TrafficMirrorSession$/.test(c.command))).toEqual([]);
    // The new receiver (NLB, listener, nodes) and target exist before the first session moves.
    expect(nativeNlb).toBeLessThan(newTarget);
    expect(newTarget).toBeLessThan(firstMove);
    expect(nativeAsg).toBeLessThan(firstMove);
    expect(at('CreateListener')).toBeLessThan(firstMove);
    // Nothing of the goreplay layer is deleted before every session has moved; the old target goes then.
    for (const command of ['DeleteTrafficMirrorTarget', 'DeleteLoadBalancer', 'DeleteAutoScalingGroup', 'DeleteTargetGroup', 'DeleteLaunchTemplate', 'DeleteTrafficMirrorFilter']) {
      expect(at(command), command).toBeGreaterThan(lastMove);
    }
    const nlbDeletes = calls.map((c, i) => [c, i] as const).filter(([c]) => c.command === 'DeleteLoadBalancer');
    expect(nlbDeletes).toHaveLength(2); // the rebuilder NLB and the ALB
    const rebuilderNlbDelete = nlbDeletes.find(([c]) => String((c.input as { LoadBalancerArn?: string }).LoadBalancerArn).includes('/net/'))!;
    expect(rebuilderNlbDelete[1]).toBeGreaterThan(at('DeleteTrafficMirrorTarget'));

    expectNativeOnly(v, sources);
    const after = await v.plan();
    expect(after.actions.filter((a) => a.action !== 'noop').map((a) => `${a.id} ${a.action}: ${a.changes.map((c) => c.prop).join(', ')}`)).toEqual([]);
    expect(hasChanges(after)).toBe(false);
  });

  describe('a fault at each mutating call of the switch: re-running apply converges', async () => {
    const probeServer = await installerServer();
    const probe = await liveGoreplay(probeServer.url);
    const before = probe.v.fake.mutationCount;
    await probe.v.apply();
    const total = probe.v.fake.mutationCount - before;
    const commands = probe.v.fake.calls.filter((c) => c.mutating).slice(-total).map((c) => c.command);
    probe.v.done();
    await probeServer.close();

    // before: the call fails before AWS acts; after: it took effect but the answer is lost.
    it.each(['before', 'after'] as const)(`the switch makes ${total} mutating calls; each one failing (%s AWS acted) is recovered`, async (mode) => {
      expect(total).toBeGreaterThan(10);
      for (let k = 1; k <= total; k++) {
        server = await installerServer();
        const run = await liveGoreplay(server.url);
        w = run.v;
        run.v.fake.failAtMutation(k, mode === 'before' ? { mode } : { mode, code: 'InjectedFailure', status: 400 });
        await run.v.apply().catch(() => undefined);
        run.v.fake.clearFaults();
        try {
          await run.v.apply();
          expectNativeOnly(run.v, run.sources);
          expect(hasChanges(await run.v.plan())).toBe(false);
        } catch (error) {
          throw new Error(`after a fault (${mode}) at mutating call ${k} of the switch (${commands[k - 1]}): ${(error as Error).message}`);
        }
        run.v.done();
        w = undefined;
        await server.close();
        server = undefined;
      }
    }, 900_000);
  });
});
