import { afterEach, describe, expect, it } from 'vitest';
import { hasChanges } from '../../src/engine/plan.js';
import { inventory, world, type World } from './harness.js';

let w: World | undefined;
afterEach(() => w?.done());

/** What a complete web-server-mirror deployment holds, by tag. */
const COMPLETE = {
  'autoscaling:auto-scaling-group': 1,
  'ec2:instance': 1,
  'ec2:launch-template': 1,
  'ec2:security-group': 2,
  'elbv2:listener': 1,
  'elbv2:load-balancer': 1,
  'elbv2:target-group': 1,
  'iam:instance-profile': 1,
  'iam:role': 1,
  'ssm:parameter': 1,
};

async function mutationsOfFreshApply(): Promise<number> {
  const probe = await world();
  try {
    await probe.apply();
    return probe.fake.mutationCount;
  } finally {
    probe.done();
  }
}

/** Apply must converge after a fault: the re-run plans nothing more, and every resource exists exactly once. */
async function expectConverged(v: World) {
  await v.apply();
  expect(inventory(v)).toEqual(COMPLETE);
  expect(hasChanges(await v.plan())).toBe(false);
  // no lock left behind by the failed run
  expect(v.fake.ssm.parameters.has('/wallarm-oob/shop-oob/lock')).toBe(false);
}

describe('faults during a fresh apply', async () => {
  const total = await mutationsOfFreshApply();

  it('counts the mutating calls of a fresh apply', () => {
    expect(total).toBeGreaterThan(20);
  });

  for (const mode of ['before', 'after'] as const) {
    it(`call k fails (${mode === 'before' ? 'rejected' : 'done, but the response is lost'}), for every k: re-running apply converges without duplicates or orphans`, async () => {
      let surfaced = 0;
      for (let k = 1; k <= total; k++) {
        w = await world();
        // 'after' with a non-retryable status: the effect happened but the tool is told it failed.
        w.fake.failAtMutation(k, mode === 'before' ? { mode } : { mode, code: 'InjectedFailure', status: 400 });
        // A few faults are absorbed by the run itself (lock release retries, lock read-back); most fail the run.
        if (await w.apply().then(() => false, () => true)) surfaced += 1;
        w.fake.clearFaults();
        try {
          await expectConverged(w);
        } catch (error) {
          throw new Error(`after a fault at mutating call ${k} (${w.fake.calls.filter((c) => c.mutating)[k - 1]?.command}, ${mode}): ${(error as Error).message}`);
        }
        w.done();
        w = undefined;
      }
      expect(surfaced).toBeGreaterThan(total * 0.8);
    }, 300_000);
  }

  it('a lost response retried by the SDK itself (5xx) never duplicates a resource', async () => {
    for (let k = 1; k <= total; k++) {
      w = await world();
      w.fake.failAtMutation(k, { mode: 'after' });
      await w.apply().catch(() => undefined);
      w.fake.clearFaults();
      try {
        await expectConverged(w);
      } catch (error) {
        throw new Error(`after a lost response at mutating call ${k}: ${(error as Error).message}`);
      }
      w.done();
      w = undefined;
    }
  }, 300_000);

  it('converges with 30% of calls throttled, with no failed call left to the user', async () => {
    w = await world({ fake: { seed: 7 } });
    w.fake.throttle(0.3, { seed: 11 });
    await w.apply();
    w.fake.clearFaults();
    expect(inventory(w)).toEqual(COMPLETE);
    // the throttles really happened, and the SDK's adaptive retries absorbed every one of them
    expect(w.fake.calls.filter((c) => /^(Throttling|ThrottlingException|RequestLimitExceeded)$/.test(c.error ?? '')).length).toBeGreaterThan(10);
    expect(hasChanges(await w.plan())).toBe(false);
  }, 180_000);

  it('converges with eventual consistency (fresh resources invisible to the first reads)', async () => {
    w = await world();
    w.fake.eventualConsistency(2);
    await w.apply();
    expect(inventory(w)).toEqual(COMPLETE);
    w.fake.clearFaults();
    expect(hasChanges(await w.plan())).toBe(false);
  });
});
