import { CreateTrafficMirrorSessionCommand, CreateTrafficMirrorTargetCommand, DeleteTrafficMirrorTargetCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { handler as sessions, normalize } from '../../src/resources/traffic-mirror-sessions.js';
import type { TrafficMirrorSessionsProps } from '../../src/resources/types.js';
import { AwsClients } from '../../src/aws/clients.js';
import { clock } from '../../src/util/clock.js';
import type { FakeEnv } from '../fake-aws/helpers.js';
import { context, env } from './helpers.js';
import { mirrorSetup } from './traffic-mirror-helpers.js';

const LOGICAL = 'mirror-sessions';

describe('traffic-mirror-session handler (all sessions of a target as one set)', () => {
  let e: FakeEnv;
  let m: Awaited<ReturnType<typeof mirrorSetup>>;
  const props = (enis: string[], extra: Partial<TrafficMirrorSessionsProps> = {}): TrafficMirrorSessionsProps => ({
    targetId: m.targetId,
    filterId: m.filterId,
    vni: 1377,
    sessionNumber: 1,
    networkInterfaceIds: enis,
    description: 'wallarm-oob d1',
    tags: { ...ctx().tags },
    ...extra,
  });
  const ctx = () => context(e.aws, LOGICAL);
  const succeeded = (command: string) => e.fake.callsTo(command, { succeeded: true }).length;

  beforeEach(async () => {
    e = env();
    m = await mirrorSetup(e, 6);
  });
  afterEach(() => e.done());

  it('normalize sorts and dedupes the ENIs, leaving unresolved values alone', () => {
    expect(normalize(props(['eni-b', 'eni-a', 'eni-b'])).networkInterfaceIds).toEqual(['eni-a', 'eni-b']);
    const unresolved = { $ref: 'x' } as unknown as string[];
    expect(normalize(props(unresolved)).networkInterfaceIds).toBe(unresolved);
  });

  it('create -> read (equal) -> add/remove ENIs -> vni change (modify) -> delete', async () => {
    const c = ctx();
    const desired = props([...m.enis].reverse());
    const created = await sessions.create(c, desired);
    expect(created).toEqual({ physicalId: `sessions:${m.targetId}`, props: normalize(desired), outputs: { count: 6 } });
    expect(c.logs).toContain('created 6/6 sessions');
    expect(e.fake.callsTo('CreateTrafficMirrorSession')[0]!.input).toMatchObject({
      SessionNumber: 1,
      VirtualNetworkId: 1377,
      ClientToken: expect.stringMatching(/^[0-9a-f]{64}$/),
      TagSpecifications: [{ ResourceType: 'traffic-mirror-session', Tags: expect.arrayContaining([{ Key: 'wallarm-oob:id', Value: LOGICAL }]) }],
    });
    expect(await sessions.read(c, created.physicalId)).toEqual(created);
    // Reads go by target, never per ENI.
    expect(e.fake.callsTo('DescribeTrafficMirrorSessions').every((call) => JSON.stringify(call.input).includes('traffic-mirror-target-id') || JSON.stringify(call.input).includes('network-interface-id'))).toBe(true);
    expect(await sessions.list(c)).toMatchObject([{ physicalId: created.physicalId, logicalId: LOGICAL, tags: expect.any(Object) }]);

    const before = e.fake.mutationCount;
    await sessions.update(c, created, desired);
    expect(e.fake.mutationCount).toBe(before); // nothing to do

    const [a, b, ...rest] = m.enis;
    const more = await mirrorSetupEnis(2);
    const reshaped = props([...rest, ...more]);
    const updated = await sessions.update(c, created, reshaped);
    expect(updated.props).toEqual(normalize(reshaped));
    expect(e.fake.callsTo('DeleteTrafficMirrorSession').map((call) => call.input)).toHaveLength(2);
    expect(succeeded('CreateTrafficMirrorSession')).toBe(8);
    expect(updated.props.networkInterfaceIds).not.toContain(a);
    expect(updated.props.networkInterfaceIds).not.toContain(b);

    const vni = props([...rest, ...more], { vni: 4242, description: 'changed' });
    const modified = await sessions.update(c, updated, vni);
    expect(modified.props).toEqual(normalize(vni));
    expect(succeeded('ModifyTrafficMirrorSession')).toBe(6);
    expect(succeeded('CreateTrafficMirrorSession')).toBe(8);
    expect(succeeded('DeleteTrafficMirrorSession')).toBe(2);

    await sessions.delete(c, modified.physicalId);
    // The set lives as long as its target: empty, not gone.
    expect(await sessions.read(c, modified.physicalId)).toMatchObject({ props: { networkInterfaceIds: [] }, outputs: { count: 0 } });
    const ec2 = await e.aws.ec2();
    await ec2.send(new DeleteTrafficMirrorTargetCommand({ TrafficMirrorTargetId: m.targetId }));
    expect(await sessions.read(c, modified.physicalId)).toBeUndefined();
    await sessions.delete(c, modified.physicalId); // already gone = success
  });

  async function mirrorSetupEnis(n: number): Promise<string[]> {
    return Array.from({ length: n }, () => e.fake.addInstance({ subnetId: e.net.privateSubnetIds[0], instanceType: 'c5.large' }).eniId);
  }

  it('deletes one session by its id', async () => {
    const c = ctx();
    await sessions.create(c, props(m.enis));
    const one = [...e.fake.mirroring.sessions.values()][0]!;
    await sessions.delete(c, one.id);
    expect((await sessions.read(c, `sessions:${m.targetId}`))?.outputs).toEqual({ count: 5 });
    await sessions.delete(c, one.id); // gone = success
  });

  it('an ENI removed and added back gets its session again (a used client token is not trusted)', async () => {
    const c = ctx();
    const all = await sessions.create(c, props(m.enis));
    const fewer = await sessions.update(c, all, props(m.enis.slice(1)));
    const again = await sessions.update(c, fewer, props(m.enis));
    expect(again.props.networkInterfaceIds).toEqual([...m.enis].sort());
    expect((await sessions.read(c, all.physicalId))?.outputs).toEqual({ count: 6 });
  });

  it('skips an ENI that disappeared, and a deleted ENI takes its session with it', async () => {
    const c = ctx();
    e.fake.deleteNetworkInterface(m.enis[0]!);
    const created = await sessions.create(c, props(m.enis));
    expect(created.props.networkInterfaceIds).toEqual(m.enis.slice(1).sort());
    expect(c.logs.some((l) => l.includes('skipped 1 network interface(s) that no longer exist') && l.includes(m.enis[0]!))).toBe(true);

    e.fake.deleteNetworkInterface(m.enis[1]!);
    expect((await sessions.read(c, created.physicalId))?.outputs).toEqual({ count: 4 });
  });

  it('avoids the session numbers of foreign sessions on an ENI', async () => {
    const ec2 = await e.aws.ec2();
    const other = e.fake.addInstance({ subnetId: e.net.privateSubnetIds[0], instanceType: 'm5.large' });
    const foreignTarget = (await ec2.send(new CreateTrafficMirrorTargetCommand({ NetworkInterfaceId: other.eniId }))).TrafficMirrorTarget!.TrafficMirrorTargetId!;
    await ec2.send(new CreateTrafficMirrorSessionCommand({ NetworkInterfaceId: m.enis[0], TrafficMirrorTargetId: foreignTarget, TrafficMirrorFilterId: m.filterId, SessionNumber: 1 }));

    const created = await sessions.create(ctx(), props(m.enis));
    const numbers = [...e.fake.mirroring.sessions.values()].filter((s) => s.targetId === m.targetId).map((s) => [s.eniId, s.sessionNumber]);
    expect(new Map(numbers as [string, number][]).get(m.enis[0]!)).toBe(2);
    expect(numbers.filter(([, n]) => n === 1)).toHaveLength(5);
    expect(created.props.sessionNumber).toBe(1); // the most common number
    expect(e.fake.callsTo('CreateTrafficMirrorSession', { succeeded: false }).filter((call) => call.error)).toEqual([]);
  });

  it('reports ENIs that already have 3 sessions (the AWS maximum) clearly, and creates the others', async () => {
    const ec2 = await e.aws.ec2();
    const full = m.enis[0]!;
    for (const n of [1, 2, 3]) {
      const other = e.fake.addInstance({ subnetId: e.net.privateSubnetIds[0], instanceType: 'm5.large' });
      const t = (await ec2.send(new CreateTrafficMirrorTargetCommand({ NetworkInterfaceId: other.eniId }))).TrafficMirrorTarget!.TrafficMirrorTargetId!;
      await ec2.send(new CreateTrafficMirrorSessionCommand({ NetworkInterfaceId: full, TrafficMirrorTargetId: t, TrafficMirrorFilterId: m.filterId, SessionNumber: n }));
    }
    const seen = e.fake.calls.length;
    const failure = sessions.create(ctx(), props(m.enis));
    await expect(failure).rejects.toMatchObject({
      code: 'AWS_TRAFFIC_MIRROR_SESSION_LIMIT',
      message: expect.stringContaining(`1 network interface(s) already have 3 traffic mirror sessions, the AWS maximum per source: ${full}`),
      actions: expect.arrayContaining([expect.stringContaining(`Values=${full}`)]),
    });
    // Successful creates only: under load an early request may be throttled once and retried by the SDK.
    const creates = e.fake.calls.slice(seen).filter((call) => call.command === 'CreateTrafficMirrorSession' && !call.error);
    expect(creates.map((call) => (call.input as { NetworkInterfaceId: string }).NetworkInterfaceId)).not.toContain(full);
    expect(creates).toHaveLength(5);
    expect((await sessions.read(ctx(), `sessions:${m.targetId}`))?.outputs).toEqual({ count: 5 });
  });

  it('converges with 30% of calls throttled, no failure surfaced', async () => {
    const extra = await mirrorSetupEnis(4);
    // After a throttle the SDK's adaptive limiter slows to a real-time (unscaled) rate: a seed that throttles
    // a few calls, not a dozen, keeps this test to seconds.
    e.fake.throttle(0.3, { seed: 42 });
    const desired = props([...m.enis, ...extra]);
    const created = await sessions.create(ctx(), desired);
    e.fake.clearFaults();
    expect(created.props).toEqual(normalize(desired));
    expect(e.fake.calls.filter((c) => c.error === 'RequestLimitExceeded').length).toBeGreaterThanOrEqual(2);
    expect(e.fake.calls.filter((c) => c.error && c.error !== 'RequestLimitExceeded')).toEqual([]);
  });
});

describe('traffic-mirror-session pacing (EC2 request token bucket: 50 burst, 5 per second)', () => {
  // Larger than the usual 0.001: the handler keeps 2 tokens (400 simulated ms) of headroom for the delay between
  // taking a token and the request reaching EC2; at 0.2 that is 80 real ms of event-loop jitter, enough on a
  // loaded CI machine. How close to the bound a run gets is measured by `npm run bench`, not asserted here.
  const SCALE = 0.2;
  let e: FakeEnv;
  beforeEach(() => {
    e = env(SCALE);
  });
  afterEach(() => e.done());

  it('creates 200 sessions with no RequestLimitExceeded, never faster than the bucket allows: (200 - 50) / 5 = 30 simulated seconds', async () => {
    const m = await mirrorSetup(e, 200);
    const c = context(e.aws, LOGICAL);
    const started = e.fake.now();
    const created = await sessions.create(c, { targetId: m.targetId, filterId: m.filterId, vni: 1377, sessionNumber: 1, networkInterfaceIds: m.enis, description: '' });
    const seconds = (e.fake.now() - started) / 1000;

    expect(created.outputs).toEqual({ count: 200 });
    expect(e.fake.calls.filter((call) => call.error === 'RequestLimitExceeded')).toEqual([]);
    expect(e.fake.callsTo('CreateTrafficMirrorSession')).toHaveLength(200);
    expect(seconds).toBeGreaterThanOrEqual(30 * 0.95);
    expect(c.logs).toEqual(expect.arrayContaining(['created 100/200 sessions', 'created 200/200 sessions']));
  });

  it('moving sessions to other ENIs overlaps deletes and creates (each action has its own EC2 bucket), with no throttling', async () => {
    clock.setVirtual(true);
    const m = await mirrorSetup(e, 120);
    const [from, to] = [m.enis.slice(0, 60), m.enis.slice(60)];
    const base = { targetId: m.targetId, filterId: m.filterId, vni: 1377, sessionNumber: 1, description: '' };
    const before = await sessions.create(context(e.aws, LOGICAL), { ...base, networkInterfaceIds: from });
    e.fake.ec2RateLimit({}); // a later run after a pause: full buckets on both sides
    const fresh = new AwsClients({ region: e.fake.region });
    const first = e.fake.calls.length;
    const after = await sessions.update(context(fresh, LOGICAL), before, { ...base, networkInterfaceIds: to });

    expect(after.props.networkInterfaceIds).toEqual([...to].sort());
    const calls = e.fake.calls.slice(first).map((c) => c.command);
    expect(calls.indexOf('CreateTrafficMirrorSession')).toBeLessThan(calls.lastIndexOf('DeleteTrafficMirrorSession'));
    expect(e.fake.calls.filter((c) => c.error)).toEqual([]);
  });

  it('when the account quota is reached, a create waits for the deletes and then succeeds', async () => {
    clock.setVirtual(true);
    const m = await mirrorSetup(e, 20);
    e.fake.mirroring.sessionQuota = 10;
    const [from, to] = [m.enis.slice(0, 10), m.enis.slice(10)];
    const base = { targetId: m.targetId, filterId: m.filterId, vni: 1377, sessionNumber: 1, description: '' };
    const before = await sessions.create(context(e.aws, LOGICAL), { ...base, networkInterfaceIds: from });
    e.fake.setLatency({ DeleteTrafficMirrorSession: 2000, default: 100 }); // creates start while deletes are still running
    const after = await sessions.update(context(e.aws, LOGICAL), before, { ...base, networkInterfaceIds: to });
    expect(after.props.networkInterfaceIds).toEqual([...to].sort());
    expect(e.fake.mirroring.sessions.size).toBe(10);
    expect(e.fake.callsTo('CreateTrafficMirrorSession').some((c) => c.error === 'TrafficMirrorSessionLimitExceeded')).toBe(true); // met the quota, then retried
  });

  it('the fake really throttles an unpaced burst (the pacing above is what avoids it)', async () => {
    e.fake.ec2RateLimit({ capacity: 5, refillPerSecond: 1 });
    const m = await mirrorSetup(e, 0);
    const ec2 = await e.aws.ec2();
    const enis = Array.from({ length: 8 }, () => e.fake.addInstance({ subnetId: e.net.privateSubnetIds[0], instanceType: 'm5.large' }).eniId);
    await Promise.all(enis.map((eni) => ec2.send(new CreateTrafficMirrorSessionCommand({ NetworkInterfaceId: eni, TrafficMirrorTargetId: m.targetId, TrafficMirrorFilterId: m.filterId, SessionNumber: 1 }))));
    expect(e.fake.calls.filter((call) => call.rateLimited).length).toBeGreaterThan(0);
  });
});

describe('an empty session set', () => {
  it('compares equal to what an empty live set reads back, so a deployment with no eligible source plans no change', () => {
    const desired = normalize({ targetId: 'tmt-1', filterId: 'tmf-1', vni: 1377, sessionNumber: 1, networkInterfaceIds: [], description: 'wallarm-oob' });
    expect(desired).toEqual({ targetId: 'tmt-1', filterId: '', vni: -1, sessionNumber: -1, networkInterfaceIds: [], description: '' });
  });
});
