import { afterEach, describe, expect, it } from 'vitest';
import { UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { mirrorStatus } from '../../src/topologies/vpc-mirror/status.js';
import type { VpcMirrorConfig } from '../../src/config/schema.js';
import { hasChanges } from '../../src/engine/plan.js';
import { formatOutputs } from '../../src/ui/outputs.js';
import { clock } from '../../src/util/clock.js';
import { describeLastRun, lastRunParameterName, readLastRun } from '../../src/topologies/vpc-mirror/follower/last-run.js';
import { handler } from '../../src/topologies/vpc-mirror/follower/lambda.js';
import type { FollowerReport } from '../../src/topologies/vpc-mirror/follower/reconcile.js';
import { SETTINGS_VARIABLE } from '../../src/topologies/vpc-mirror/follower/settings.js';
import { DEPLOYMENT, world, type World } from '../integration/harness.js';
import { seedSources } from '../vpc-mirror/seed.js';
import { asgLaunchEvent, asgTerminateEvent, ec2RunningEvent, scheduledEvent } from './events.js';

let w: World;
afterEach(() => {
  delete process.env[SETTINGS_VARIABLE];
  w?.done();
});

const FUNCTION = `wallarm-oob-${DEPLOYMENT}-follower`;

/** Invokes the deployed function's handler in-process, with the environment apply gave it. */
async function invoke(w: World, event: unknown): Promise<FollowerReport> {
  const fn = w.fake.lambda.functions.get(FUNCTION);
  if (!fn) throw new Error('the follower function is not deployed');
  process.env[SETTINGS_VARIABLE] = fn.env[SETTINGS_VARIABLE];
  return handler(event);
}

async function scaleTo(w: World, group: string, size: number): Promise<string[]> {
  const before = new Set(w.fake.ec2.instances.keys());
  await (await w.aws.autoscaling()).send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: group, MaxSize: Math.max(size, 4), DesiredCapacity: size }));
  w.fake.advance(600_000);
  return [...w.fake.ec2.instances.keys()].filter((id) => !before.has(id));
}

describe('follower lifecycle on the fake account (Auto Scaling group source)', () => {
  it('apply deploys role, log group, function and rules; a launch event mirrors the new instance once; plan shows no change; destroy removes the follower first', async () => {
    w = await world();
    seedSources(w.fake, w.net);
    await w.writeConfig({ topology: 'vpc-mirror', mirror: { receiver: 'goreplay', sources: [{ autoScalingGroup: 'web-asg' }] } } as never);
    await w.apply();

    // ---- what apply deployed
    const fn = w.fake.lambda.functions.get(FUNCTION)!;
    expect(fn).toMatchObject({ runtime: 'nodejs22.x', handler: 'index.handler', timeout: 300 });
    const role = [...w.fake.iam.roles.values()].find((r) => fn.role.endsWith(`/${r.name}`))!;
    expect(JSON.parse(role.assumeRolePolicy).Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    const policy = JSON.parse([...role.inlinePolicies.values()][0]!) as { Statement: { Sid: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown }[] };
    const target = [...w.fake.mirroring.targets.values()].find((t) => t.tags.get('wallarm-oob:deployment') === DEPLOYMENT)!;
    const sid = (s: string) => policy.Statement.find((x) => x.Sid === s)!;
    expect(sid('CreateTaggedSessions').Condition).toEqual({ StringEquals: { 'aws:RequestTag/wallarm-oob:deployment': DEPLOYMENT } });
    expect(sid('SessionsOfThisFilterAndTarget').Resource).toContain(`arn:aws:ec2:*:*:traffic-mirror-target/${target.id}`);
    // least privilege: the function never deletes or modifies sessions
    expect(JSON.stringify(policy)).not.toMatch(/DeleteTrafficMirrorSession|ModifyTrafficMirrorSession|"\*"\s*,?\s*"Resource"/);
    expect(w.fake.logs.groups.get(`/aws/lambda/${FUNCTION}`)).toMatchObject({ retentionInDays: 14 });
    const rules = [...w.fake.events.rules.values()];
    expect(rules.map((r) => r.name).sort()).toEqual([`wallarm-oob-${DEPLOYMENT}-asg-events`, `wallarm-oob-${DEPLOYMENT}-reconcile`]);
    for (const r of rules) {
      expect([...r.targets.values()].map((t) => t.Arn)).toEqual([fn.arn]);
      expect(fn.policy.get(r.name)).toMatchObject({ Principal: { Service: 'events.amazonaws.com' }, Action: 'lambda:InvokeFunction', Condition: { ArnLike: { 'AWS:SourceArn': r.arn } } });
    }
    expect(rules.find((r) => r.name.endsWith('-reconcile'))!.scheduleExpression).toBe('rate(5 minutes)');
    expect(hasChanges(await w.plan())).toBe(false);

    // ---- the group scales out; EventBridge delivers the launch event to the function
    const ours = () => [...w.fake.mirroring.sessions.values()].filter((s) => s.targetId === target.id);
    const before = ours().length;
    const [instanceId] = await scaleTo(w, 'web-asg', 3);
    const eni = w.fake.ec2.instances.get(instanceId!)!.eniId;
    const event = asgLaunchEvent('web-asg', instanceId!);
    expect(w.fake.events.matches(event)).toEqual([fn.arn]); // the rule's pattern matches the real event shape
    const report = await invoke(w, event);
    expect(report).toMatchObject({ trigger: 'launch', instanceId, created: [eni], failed: [], ineligible: [] });
    expect(ours()).toHaveLength(before + 1);
    const created = ours().filter((s) => s.eniId === eni);
    expect(created).toHaveLength(1);
    expect(created[0]!.tags.get('wallarm-oob:id')).toBe('mirror-sessions');
    expect(created[0]!).toMatchObject({ vni: 1377, sessionNumber: 1 });

    // the same event again (EventBridge delivers at least once): nothing new
    expect(await invoke(w, event)).toMatchObject({ created: [], alreadyMirrored: 1 });
    expect(ours()).toHaveLength(before + 1);
    // apply's view is the same: no change to make
    expect(hasChanges(await w.plan())).toBe(false);

    // ---- the last run, for output/status
    const last = await readLastRun(w.aws, DEPLOYMENT);
    expect(last).toMatchObject({ trigger: 'launch', instanceId, created: [], alreadyMirrored: 1 });
    expect(describeLastRun(last, Date.parse(last!.at) + 120_000)).toMatch(/\(2 min ago, launch of i-[0-9a-f]+\): 0 session\(s\) created, 1 already mirrored/);
    expect(w.fake.ssm.parameters.get(lastRunParameterName(DEPLOYMENT))!.tags.get('wallarm-oob:deployment')).toBe(DEPLOYMENT);
    const status = await mirrorStatus(w.loaded, w.loaded.config as VpcMirrorConfig, w.aws, {});
    expect(status.follower).toMatch(/launch of i-[0-9a-f]+\): 0 session\(s\) created, 1 already mirrored$/);
    expect(formatOutputs({}, undefined, { topology: 'vpc-mirror', mirror: status })).toContain(`Follower last run: ${last!.at}`);

    // ---- a termination: its sessions go with the interface; the function has nothing to do
    expect(await invoke(w, asgTerminateEvent('web-asg', instanceId!))).toMatchObject({ trigger: 'terminate', created: [], failed: [] });
    expect(w.fake.callsTo('DeleteTrafficMirrorSession')).toHaveLength(0);

    // ---- destroy: rules, then the function, then the sessions; nothing of ours left, the last-run parameter included
    const callsBefore = w.fake.calls.length;
    await w.destroy();
    const order = w.fake.calls.slice(callsBefore).filter((c) => c.mutating && !c.error).map((c) => c.command);
    expect(order.lastIndexOf('RemoveTargets')).toBeLessThan(order.indexOf('DeleteRule'));
    expect(order.lastIndexOf('DeleteRule')).toBeLessThan(order.indexOf('DeleteFunction'));
    expect(order.indexOf('DeleteFunction')).toBeLessThan(order.indexOf('DeleteTrafficMirrorSession'));
    expect(w.tagged()).toEqual([]);
    expect(w.fake.ssm.parameters.has(lastRunParameterName(DEPLOYMENT))).toBe(false);
  });

  it('100 launch events delivered concurrently, twice each: 100 sessions, no duplicate, no failed call, with EC2\'s token bucket on', async () => {
    w = await world();
    seedSources(w.fake, w.net);
    await w.writeConfig({ topology: 'vpc-mirror', mirror: { receiver: 'goreplay', sources: [{ autoScalingGroup: 'web-asg' }] } } as never);
    await w.apply();
    const target = [...w.fake.mirroring.targets.values()].find((t) => t.tags.get('wallarm-oob:deployment') === DEPLOYMENT)!;
    const launched = await scaleTo(w, 'web-asg', 102);
    expect(launched).toHaveLength(100);
    const events = launched.map((id) => asgLaunchEvent('web-asg', id));
    const callsBefore = w.fake.calls.length;
    // Near real time, so EC2's bucket (50 calls, 5 per second) refills at the pace of the SDK's real back-off,
    // as it does for 200 concurrent function invocations in an account.
    clock.setScale(0.05);
    const reports = await Promise.all([...events, ...events].map((e) => invoke(w, e)));
    clock.setScale(0.0001);
    expect(reports.flatMap((r) => r.failed)).toEqual([]);
    const ours = [...w.fake.mirroring.sessions.values()].filter((s) => s.targetId === target.id);
    const launchedEnis = launched.map((id) => w.fake.ec2.instances.get(id)!.eniId).sort();
    expect(ours.filter((s) => launchedEnis.includes(s.eniId)).map((s) => s.eniId).sort()).toEqual(launchedEnis); // one each, none twice
    expect(new Set(reports.flatMap((r) => r.created)).size).toBe(100);
    // throttled attempts were retried by the SDK; none surfaced as a failure
    const creates = w.fake.calls.slice(callsBefore).filter((c) => c.command === 'CreateTrafficMirrorSession');
    expect(creates.filter((c) => c.error && !c.throttled)).toEqual([]);
    expect(creates.some((c) => c.rateLimited)).toBe(true); // the bucket did bite: 200 concurrent creates > its burst of 50
    expect(hasChanges(await w.plan())).toBe(false);
  });

  it('the scheduled reconcile re-creates a session deleted outside the tool; other sessions and ineligible interfaces are left alone and reported', async () => {
    w = await world();
    const s = seedSources(w.fake, w.net);
    // busyEni carries 3 sessions of another tool; an instance of this deployment itself is tagged like the sources
    w.fake.ec2.CreateTags({ Resources: [s.busyEni], Tags: [{ Key: 'role', Value: 'web' }] });
    const own = w.fake.addInstance({ subnetId: w.net.privateSubnetIds[0], instanceType: 'm5.large', tags: { 'wallarm-oob:deployment': DEPLOYMENT } });
    w.fake.ec2.CreateTags({ Resources: [own.eniId], Tags: [{ Key: 'role', Value: 'web' }] });
    await w.writeConfig({ topology: 'vpc-mirror', mirror: { receiver: 'goreplay', sources: [{ tags: { role: 'web' } }] } } as never);
    await w.apply();
    const target = [...w.fake.mirroring.targets.values()].find((t) => t.tags.get('wallarm-oob:deployment') === DEPLOYMENT)!;
    const ours = () => [...w.fake.mirroring.sessions.values()].filter((x) => x.targetId === target.id);
    expect(ours().map((x) => x.eniId)).toEqual([s.webEni]);
    const foreign = [...w.fake.mirroring.sessions.values()].filter((x) => x.targetId !== target.id).map((x) => ({ ...x, tags: new Map(x.tags) }));
    expect(w.fake.events.rules.has(`wallarm-oob-${DEPLOYMENT}-ec2-running`)).toBe(true);

    // someone deletes our session by hand; the next scheduled run puts it back
    const deleted = ours()[0]!.id;
    w.fake.mirroring.DeleteTrafficMirrorSession({ TrafficMirrorSessionId: deleted });
    const schedule = w.fake.events.rules.get(`wallarm-oob-${DEPLOYMENT}-reconcile`)!;
    const report = await invoke(w, scheduledEvent(schedule.arn));
    expect(report).toMatchObject({ trigger: 'reconcile', created: [s.webEni], failed: [] });
    expect(ours().map((x) => x.eniId)).toEqual([s.webEni]);
    expect(ours()[0]!.id).not.toBe(deleted);
    // ineligible interfaces: reported with the reason, never given a session
    const reasons = Object.fromEntries(report.ineligible.map((i) => [i.eni, i.reason]));
    expect(reasons[s.xenEni]).toMatch(/Xen/);
    expect(reasons[s.busyEni]).toMatch(/already has 3 traffic mirror sessions of other tools/);
    expect(reasons[own.eniId]).toMatch(/an instance of this deployment/);
    // other tools' sessions untouched
    expect([...w.fake.mirroring.sessions.values()].filter((x) => x.targetId !== target.id)).toEqual(foreign);
    expect(w.fake.callsTo('DeleteTrafficMirrorSession')).toHaveLength(0);
    expect(w.fake.callsTo('ModifyTrafficMirrorSession')).toHaveLength(0);
    expect(hasChanges(await w.plan())).toBe(false);

    // a new web server starts: the EC2 state-change event mirrors it
    const web2 = w.fake.addInstance({ subnetId: w.net.privateSubnetIds[1], instanceType: 'm5.large' });
    w.fake.ec2.CreateTags({ Resources: [web2.eniId], Tags: [{ Key: 'role', Value: 'web' }] });
    const running = ec2RunningEvent(web2.id);
    expect(w.fake.events.matches(running)).toEqual([w.fake.lambda.functions.get(FUNCTION)!.arn]);
    expect(await invoke(w, running)).toMatchObject({ trigger: 'launch', created: [web2.eniId], failed: [] });
    // an instance that is no source (untagged) starting: nothing
    const other = w.fake.addInstance({ subnetId: w.net.privateSubnetIds[1], instanceType: 'm5.large' });
    expect(await invoke(w, ec2RunningEvent(other.id))).toMatchObject({ created: [], ineligible: [], failed: [] });
    expect(ours().map((x) => x.eniId).sort()).toEqual([s.webEni, web2.eniId].sort());
  });
});
