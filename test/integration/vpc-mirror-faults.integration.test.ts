import { afterEach, describe, expect, it } from 'vitest';
import { hasChanges } from '../../src/engine/plan.js';
import { seedSources, type Sources } from '../vpc-mirror/seed.js';
import { world, type World } from './harness.js';

let w: World | undefined;
afterEach(() => w?.done());

async function vpcMirrorWorld(): Promise<{ w: World; sources: Sources }> {
  const v = await world();
  const sources = seedSources(v.fake, v.net);
  await v.writeConfig({ topology: 'vpc-mirror', mirror: { receiver: 'goreplay', sources: [{ autoScalingGroup: 'web-asg' }, { tags: { role: 'web' } }] } } as never);
  return { w: v, sources };
}

/** Our sessions per source ENI: exactly one each, on exactly the eligible ENIs. */
function sessionsPerEni(v: World): Record<string, number> {
  const ours = [...v.fake.mirroring.targets.values()].find((t) => t.nlbArn)?.id;
  const counts: Record<string, number> = {};
  for (const s of v.fake.mirroring.sessions.values()) if (s.targetId === ours) counts[s.eniId] = (counts[s.eniId] ?? 0) + 1;
  return counts;
}

describe('faults during a fresh vpc-mirror apply', async () => {
  const probe = await vpcMirrorWorld();
  await probe.w.apply();
  const total = probe.w.fake.mutationCount;
  const expectedSessions = Object.fromEntries([...probe.sources.asgEnis, probe.sources.webEni].map((eni) => [eni, 1]));
  const expectedInventory = probe.w.tagged().length;
  probe.w.done();

  for (const mode of ['before', 'after'] as const) {
    it(`call k fails (${mode}) for every k: re-running apply converges with one session per eligible ENI and no orphan`, async () => {
      for (let k = 1; k <= total; k++) {
        const run = await vpcMirrorWorld();
        w = run.w;
        w.fake.failAtMutation(k, mode === 'before' ? { mode } : { mode, code: 'InjectedFailure', status: 400 });
        await w.apply().catch(() => undefined);
        w.fake.clearFaults();
        try {
          await w.apply();
          expect(sessionsPerEni(w)).toEqual(expectedSessions);
          expect(w.tagged()).toHaveLength(expectedInventory);
          expect(hasChanges(await w.plan())).toBe(false);
        } catch (error) {
          throw new Error(`after a fault at mutating call ${k} (${w.fake.calls.filter((c) => c.mutating)[k - 1]?.command}, ${mode}): ${(error as Error).message}`);
        }
        w.done();
        w = undefined;
      }
    }, 600_000);
  }

  it('for every k whose response is lost: destroy alone (no second apply) leaves nothing tagged', async () => {
    for (let k = 1; k <= total; k++) {
      const run = await vpcMirrorWorld();
      w = run.w;
      w.fake.failAtMutation(k, { mode: 'after', code: 'InjectedFailure', status: 400 });
      await w.apply().catch(() => undefined);
      w.fake.clearFaults();
      try {
        await w.destroy();
        expect(w.tagged()).toEqual([]);
      } catch (error) {
        throw new Error(`after a lost response at mutating call ${k} (${w.fake.calls.filter((c) => c.mutating)[k - 1]?.command}): ${(error as Error).message}`);
      }
      w.done();
      w = undefined;
    }
  }, 600_000);
});
