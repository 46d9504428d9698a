import { afterEach, describe, expect, it } from 'vitest';
import { ID } from '../../src/topologies/common/node-layer.js';
import { DEPLOYMENT, inventory, RecordingHooks, world, type World } from './harness.js';

let w: World | undefined;
afterEach(() => {
  w?.done();
  w = undefined;
});

const OTHER = 'other-oob';

/** Applies a second deployment in the same account, then the first; returns the second's inventory. */
async function twoDeployments(v: World): Promise<{ other: () => ReturnType<World['fake']['resourcesTagged']>; otherState: () => Promise<Record<string, { id: string }>> }> {
  v.fake.putParameter(`/wallarm-oob/${OTHER}/node-token`, 'other-token', { type: 'SecureString' });
  await v.writeConfig({ deployment: OTHER });
  await v.apply();
  const otherStore = v.deployment().store;
  await v.writeConfig();
  await v.apply();
  return {
    other: () => v.fake.resourcesTagged('wallarm-oob:deployment', OTHER),
    otherState: async () => (await otherStore.load())!.resources,
  };
}

describe('never touch what is not ours', () => {
  it("state edited to point at a second deployment's ALB, target group, security group and scaling policy: apply and destroy refuse, the second is intact", async () => {
    w = await world();
    const { other, otherState } = await twoDeployments(w);
    const theirs = await otherState();
    const before = other().map((r) => r.id).sort();
    const store = w.deployment().store;
    const doc = (await store.load())!;
    for (const id of [ID.alb, ID.targetGroup, ID.nodeSecurityGroup, ID.cpuPolicy]) doc.resources[id]!.id = theirs[id]!.id;
    await store.write(doc);

    const mark = w.fake.calls.length;
    await expect(w.apply()).rejects.toMatchObject({ code: 'NOT_OURS', message: expect.stringContaining(`belongs to deployment "${OTHER}"`) });
    const hooks = new RecordingHooks();
    await expect(w.destroy({}, hooks)).rejects.toMatchObject({ code: 'NOT_OURS' });
    expect(hooks.questions).toEqual([]); // refused before asking
    // Only the lock parameter was written and released: nothing of the second deployment was changed.
    expect(w.fake.calls.slice(mark).filter((c) => c.mutating && !/Parameter/.test(c.command))).toEqual([]);
    expect(other().map((r) => r.id).sort()).toEqual(before);
  });

  it("a scaling policy (AWS cannot tag it) is checked through its group's tags", async () => {
    w = await world();
    const { otherState } = await twoDeployments(w);
    const store = w.deployment().store;
    const doc = (await store.load())!;
    doc.resources[ID.cpuPolicy]!.id = (await otherState())[ID.cpuPolicy]!.id;
    await store.write(doc);
    await expect(w.plan()).rejects.toMatchObject({ code: 'NOT_OURS', message: expect.stringMatching(/scaling-policy wallarm-oob-other-oob-nodes\/.* belongs to deployment "other-oob"/) });
  });

  it('an endpoint that ignores tag filters: destroy deletes only its own resources', async () => {
    w = await world();
    const { other } = await twoDeployments(w);
    const before = other().map((r) => r.id).sort();
    w.fake.ignoreTagFilters(true);
    const hooks = new RecordingHooks();
    await w.destroy({}, hooks);
    expect(inventory(w)).toEqual({});
    // The token parameter was there before apply: the destroy plan says it is kept, and it is.
    expect(hooks.plans[0]!.notes).toContain(`The node token parameter /wallarm-oob/${DEPLOYMENT}/node-token is kept: wallarm-oob did not create it.`);
    expect(w.fake.ssm.parameters.has(`/wallarm-oob/${DEPLOYMENT}/node-token`)).toBe(true);
    expect(other().map((r) => r.id).sort()).toEqual(before);
  });

  it('the token parameter apply created is deleted by destroy even when the state was lost; one tagged for another deployment is kept', async () => {
    const token = `/wallarm-oob/${DEPLOYMENT}/node-token`;
    w = await world({ token: false });
    process.env.WALLARM_NODE_TOKEN = 'node-token-for-the-test';
    try {
      await w.apply();
    } finally {
      delete process.env.WALLARM_NODE_TOKEN;
    }
    await w.deployment().store.remove(); // the state document lost
    const hooks = new RecordingHooks();
    await w.destroy({}, hooks);
    expect(hooks.plans[0]!.notes).toContain(`The node token parameter ${token} will be deleted: apply created it from WALLARM_NODE_TOKEN.`);
    expect(w.fake.ssm.parameters.has(token)).toBe(false);
    expect(inventory(w)).toEqual({});
    w.done();

    w = await world({ token: false });
    w.fake.putParameter(token, 'their-token', { type: 'SecureString', tags: { 'wallarm-oob:deployment': OTHER } });
    await w.apply();
    const kept = new RecordingHooks();
    await w.destroy({}, kept);
    expect(kept.plans[0]!.notes).toContain(`The node token parameter ${token} is kept: wallarm-oob did not create it.`);
    expect(w.fake.ssm.parameters.has(token)).toBe(true);
  });

  it('a deployment with nothing to destroy says so and exits without asking', async () => {
    w = await world();
    const hooks = new RecordingHooks();
    const result = await w.destroy({ autoApprove: false }, hooks);
    expect(result.nothingToDestroy).toBe(true);
    expect(hooks.questions).toEqual([]);
    expect(hooks.messages.join('\n')).toContain(`Nothing to destroy: deployment "${DEPLOYMENT}"`);
  });
});

describe('destroy after an interrupted apply (no second apply)', async () => {
  const probe = await world();
  await probe.apply();
  const total = probe.fake.mutationCount;
  probe.done();

  it('for every mutating call k whose response is lost: destroy alone leaves nothing tagged; leftovers are shown before the confirmation', async () => {
    let leftovers = 0;
    for (let k = 1; k <= total; k++) {
      w = await world();
      w.fake.failAtMutation(k, { mode: 'after', code: 'InjectedFailure', status: 400 });
      await w.apply().catch(() => undefined);
      w.fake.clearFaults();
      const hooks = new RecordingHooks();
      try {
        await w.destroy({}, hooks);
        expect(inventory(w)).toEqual({});
      } catch (error) {
        throw new Error(`after a lost response at mutating call ${k} (${w.fake.calls.filter((c) => c.mutating)[k - 1]?.command}): ${(error as Error).message}`);
      }
      leftovers += hooks.plans[0]?.actions.filter((a) => a.leftover).length ?? 0;
      w.done();
      w = undefined;
    }
    expect(leftovers).toBeGreaterThan(0);
  }, 300_000);

  it('an Auto Scaling group created just before the run stopped is deleted before its target group', async () => {
    w = await world();
    w.fake.failAtMutation(1, { mode: 'after', code: 'InjectedFailure', status: 400, match: 'CreateAutoScalingGroup' });
    await expect(w.apply()).rejects.toThrow();
    w.fake.clearFaults();
    const state = (await w.deployment().store.load())!;
    expect(state.resources[ID.asg]).toBeUndefined();
    const hooks = new RecordingHooks();
    await w.destroy({}, hooks);
    const shown = hooks.plans[0]!.actions.find((a) => a.kind === 'auto-scaling-group')!;
    expect(shown).toMatchObject({ leftover: true, id: ID.asg });
    const order = w.fake.calls.filter((c) => c.mutating && c.error === undefined).map((c) => c.command);
    expect(order.indexOf('DeleteAutoScalingGroup')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('DeleteAutoScalingGroup')).toBeLessThan(order.indexOf('DeleteTargetGroup'));
    expect(inventory(w)).toEqual({});
  });
});
