/**
 * Switching a live vpc-mirror deployment from the legacy goreplay receiver to the Native Node: the new receiver
 * is built first, the mirror target moves (new target, sessions re-pointed), and only then are the rebuilders,
 * the ALB and the NGINX nodes deleted, so the sources are never mirrored to nothing.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { hasChanges } from '../../src/engine/plan.js';
import { ADVANCED_STATE_LIMIT, decodeState, encodeStateForTier, STATE_LIMIT, type StateDocument } from '../../src/state/document.js';
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

/** A goreplay deployment, applied; then the config switched to native-node (installer checksum pinned). */
async function liveGoreplay(url: string): Promise<{ v: World; sources: Sources }> {
  const v = await world();
  const sources = seedSources(v.fake, v.net);
  await v.writeConfig({ topology: 'vpc-mirror', mirror: { receiver: 'goreplay', sources: SOURCES } } as never);
  await v.apply();
  await v.writeConfig({ topology: 'vpc-mirror', mirror: { sources: SOURCES, nativeNode: { installer: { url, sha256: FAKE_INSTALLER_SHA256 } } } } as never);
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

  it('keeps state in a standard SSM parameter throughout the switch with the follower on, with headroom', async () => {
    const writes = await switchStateWrites();
    expect(writes.length).toBeGreaterThan(10);
    const peak = Math.max(...writes.map((c) => c.Value.length));
    // Format 1 needed about 4,140 characters here (over the limit); format 2 about 3,320.
    expect(peak).toBeLessThanOrEqual(STATE_LIMIT * 0.85);
    expect(new Set(writes.map((c) => c.Tier))).toEqual(new Set(['Standard']));
    expect(decodeState(writes.find((c) => c.Value.length === peak)!.Value, 'state').resources['follower-function']).toBeDefined();
  });

  it('worst case: at the peak of the switch, with 10,000 sessions, every resource replaced at once fits a standard parameter; every step failing too, an advanced one', async () => {
    const writes = await switchStateWrites();
    const peak = decodeState(writes.map((c) => c.Value).reduce((a, b) => (b.length > a.length ? b : a)), 'state');
    const replaced = everythingReplaced(peak);
    // Both receivers, the follower, and an orphan of every resource (format 1: about 4,960 characters).
    const standard = encodeStateForTier(replaced);
    expect(standard.tier).toBe('Standard');
    expect(decodeState(standard.value, 'state')).toEqual({ ...replaced, format: 2 });
    // And a pending replace with its AWS error for each: beyond the standard tier even packed, within the advanced one.
    const failing = withEveryStepFailed(replaced);
    const { value, tier } = encodeStateForTier(failing);
    expect(tier).toBe('Advanced');
    expect(value.length).toBeLessThanOrEqual(ADVANCED_STATE_LIMIT * 0.75);
    expect(decodeState(value, 'state')).toEqual({ ...failing, format: 2, parameterTier: 'Advanced' });
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

/** Every write of the state parameter while a goreplay deployment (follower on) switches to the Native Node. */
async function switchStateWrites(): Promise<{ Value: string; Tier: string }[]> {
  server = await installerServer();
  const { v } = await liveGoreplay(server.url);
  w = v;
  const from = v.fake.calls.length;
  await v.apply();
  return v.fake.calls
    .slice(from)
    .filter((c) => c.command === 'PutParameter' && !c.error && (c.input as { Name: string }).Name === '/wallarm-oob/shop-oob/state')
    .map((c) => c.input as { Value: string; Tier: string });
}

const redraw = (id: string) => id.replace(/[0-9a-f]{8,}/g, (hex) => randomBytes(hex.length).toString('hex').slice(0, hex.length));

/** The document if every resource were being replaced at once (the old copies wait as orphans), 10,000 sessions. */
function everythingReplaced(peak: StateDocument): StateDocument {
  const doc = structuredClone(peak);
  doc.orphans.push(...Object.entries(doc.resources).map(([logicalId, r]) => ({ logicalId, kind: r.kind, id: redraw(r.id), deps: r.deps })));
  if (doc.resources['mirror-sessions']) doc.resources['mirror-sessions'].outputs.count = 10_000;
  return doc;
}

/** The same with every step failed: a pending replace with an AWS error of about 200 characters each. */
function withEveryStepFailed(doc: StateDocument): StateDocument {
  const since = new Date().toISOString();
  const reason = (kind: string, id: string) =>
    `User: arn:aws:sts::123456789012:assumed-role/ci/${randomBytes(8).toString('hex')} is not authorized to perform: ${kind}:Create on resource: ${redraw(id)} because no identity-based policy allows the action`;
  return { ...doc, pending: Object.fromEntries(Object.entries(doc.resources).map(([id, r]) => [id, { operation: 'replace' as const, reason: reason(r.kind, r.id), since }])) };
}
