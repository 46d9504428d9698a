import { afterEach, describe, expect, it } from 'vitest';
import { RemovePermissionCommand } from '@aws-sdk/client-lambda';
import type { ConfigInput } from '../../src/config/schema.js';
import { hasChanges } from '../../src/engine/plan.js';
import { FOLLOWER_ID } from '../../src/topologies/vpc-mirror/follower/plan.js';
import { formatPlan } from '../../src/ui/plan-printer.js';
import { DEPLOYMENT, RecordingHooks, world, type World } from '../integration/harness.js';
import { seedSources } from '../vpc-mirror/seed.js';

let w: World | undefined;
afterEach(() => {
  w?.done();
  w = undefined;
});

const FUNCTION = `wallarm-oob-${DEPLOYMENT}-follower`;
const FOLLOWER: Partial<ConfigInput> = { topology: 'vpc-mirror', mirror: { receiver: 'goreplay', sources: [{ autoScalingGroup: 'web-asg' }] } } as never;

describe('follower: the EventBridge invoke permission is part of the rule', () => {
  it('a permission removed by hand is drift with its reason; apply adds it back; plan is clean again', async () => {
    w = await world();
    seedSources(w.fake, w.net);
    await w.writeConfig(FOLLOWER);
    await w.apply();
    const rule = `wallarm-oob-${DEPLOYMENT}-reconcile`;
    const fn = w.fake.lambda.functions.get(FUNCTION)!;

    await (await w.aws.lambda()).send(new RemovePermissionCommand({ FunctionName: FUNCTION, StatementId: rule }));
    const plan = await w.plan();
    const changed = plan.actions.filter((a) => a.action !== 'noop');
    expect(changed.map((a) => [a.id, a.action])).toEqual([[FOLLOWER_ID.scheduleRule, 'update']]);
    expect(changed[0]!.changes).toEqual([expect.objectContaining({ prop: 'functionArn', after: fn.arn, cause: 'drift' })]);
    const text = formatPlan(plan, { showProperties: false, showUserData: false });
    expect(text).toContain(`not invokable by this rule: the function's resource policy has no statement (${rule}) allowing events.amazonaws.com`);

    const mark = w.fake.calls.length;
    await w.apply();
    const mutations = w.fake.calls.slice(mark).filter((c) => c.mutating && !c.error && !/Parameter/.test(c.command)).map((c) => c.command);
    expect(mutations).toContain('AddPermission');
    expect(mutations).not.toContain('RemoveTargets');
    expect(fn.policy.get(rule)).toMatchObject({ Principal: { Service: 'events.amazonaws.com' }, Condition: { ArnLike: { 'AWS:SourceArn': w.fake.events.rules.get(rule)!.arn } } });
    expect(hasChanges(await w.plan())).toBe(false);
  });
});

const OTHER = 'other-oob';

/** A second deployment with a follower applied in the same account, then this one; the second's state resources. */
async function twoFollowerDeployments(v: World): Promise<Record<string, { id: string }>> {
  seedSources(v.fake, v.net);
  v.fake.putParameter(`/wallarm-oob/${OTHER}/node-token`, 'other-token', { type: 'SecureString' });
  await v.writeConfig({ ...FOLLOWER, deployment: OTHER });
  await v.apply();
  const theirs = (await v.deployment().store.load())!.resources;
  await v.writeConfig(FOLLOWER);
  await v.apply();
  return theirs;
}

/** Points this deployment's state entries `ids` at the second deployment's resources (state edited or copied by hand). */
async function pointAtTheirs(v: World, theirs: Record<string, { id: string }>, ids: readonly string[]): Promise<void> {
  const store = v.deployment().store;
  const doc = (await store.load())!;
  for (const id of ids) doc.resources[id]!.id = theirs[id]!.id;
  await store.write(doc);
}

describe('follower: a resource of another deployment is never touched (the engine checks every kind before update and delete)', () => {

  it("state edited to point the follower's role, log group, function and rules at a second deployment's: apply and destroy refuse, the second is intact", async () => {
    w = await world();
    const v = w;
    const theirs = await twoFollowerDeployments(v);
    const other = () =>
      v.fake
        .resourcesTagged('wallarm-oob:deployment', OTHER)
        .map((r) => r.id)
        .sort();
    const before = other();
    const otherFunction = v.fake.lambda.functions.get(`wallarm-oob-${OTHER}-follower`)!;
    const otherPolicy = [...otherFunction.policy.keys()].sort();

    await pointAtTheirs(v, theirs, [FOLLOWER_ID.role, FOLLOWER_ID.logGroup, FOLLOWER_ID.function, FOLLOWER_ID.asgRule, FOLLOWER_ID.scheduleRule]);

    const mark = v.fake.calls.length;
    await expect(v.apply()).rejects.toMatchObject({ code: 'NOT_OURS', message: expect.stringContaining(`belongs to deployment "${OTHER}"`) });
    const hooks = new RecordingHooks();
    await expect(v.destroy({}, hooks)).rejects.toMatchObject({ code: 'NOT_OURS' });
    expect(hooks.questions).toEqual([]);
    // Only the lock parameter was written and released: nothing of the second deployment was changed.
    expect(v.fake.calls.slice(mark).filter((c) => c.mutating && !/Parameter/.test(c.command))).toEqual([]);
    expect(other()).toEqual(before);
    expect([...otherFunction.policy.keys()].sort()).toEqual(otherPolicy);
  });

  it.each([FOLLOWER_ID.role, FOLLOWER_ID.logGroup, FOLLOWER_ID.function, FOLLOWER_ID.scheduleRule])('%s pointed at the other deployment\'s: refused by name and kind', async (id) => {
    w = await world();
    const v = w;
    const theirs = await twoFollowerDeployments(v);
    await pointAtTheirs(v, theirs, [id]);
    const mark = v.fake.calls.length;
    await expect(v.destroy({}, new RecordingHooks())).rejects.toMatchObject({ code: 'NOT_OURS', message: expect.stringContaining(`${theirs[id]!.id} (${id}, found through state)`) });
    expect(v.fake.calls.slice(mark).filter((c) => c.mutating && !/Parameter/.test(c.command))).toEqual([]);
  });
});
