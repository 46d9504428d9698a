import { afterEach, describe, expect, it } from 'vitest';
import { editMirrorSources } from '../../src/core/edit-sources.js';
import { formatPlan } from '../../src/ui/plan-printer.js';
import { RecordingHooks, world, type World } from '../integration/harness.js';
import { seedSources, type Sources } from './seed.js';

let w: World;
afterEach(() => w?.done());

/** A vpc-mirror deployment in the fake account mirroring web-asg, with the other sources of seed.ts around. */
async function vpcWorld(): Promise<{ w: World; s: Sources }> {
  w = await world({ config: { topology: 'vpc-mirror', mirror: { receiver: 'goreplay', sources: [{ autoScalingGroup: 'web-asg' }, { networkInterfaceIds: ['eni-0aaaaaaaaaaaaaaaa'] }] } } });
  const s = seedSources(w.fake, w.net);
  return { w, s };
}

describe('vpc-mirror plan and add-eni / remove-eni against the fake', () => {
  it('plan resolves the sources online and shows them, ineligible ones with the reason', async () => {
    const { s } = await vpcWorld();
    const plan = await w.plan();
    expect(plan.mirrorSources).toEqual([
      expect.objectContaining({ label: 'autoScalingGroup web-asg', resolved: true, eligible: s.asgEnis }),
      expect.objectContaining({ ineligible: [{ eni: 'eni-0aaaaaaaaaaaaaaaa', reason: 'does not exist in this account and region' }] }),
    ]);
    const sessions = plan.graph.nodes.find((n) => n.id === 'mirror-sessions')!;
    expect(sessions.props.networkInterfaceIds).toEqual(s.asgEnis);
    const text = formatPlan(plan, { showProperties: false, showUserData: false });
    expect(text).toContain(`  autoScalingGroup web-asg: 2 ENIs (${s.asgEnis.join(', ')})`);
    expect(text).toContain('skipped eni-0aaaaaaaaaaaaaaaa: does not exist in this account and region');
  });

  it('after apply, add-eni applies only the session change and edits the file; remove-eni reverses it', { timeout: 60_000 }, async () => {
    const { s } = await vpcWorld();
    await w.apply();
    const sessionsOn = (eni: string) => [...w.fake.mirroring.sessions.values()].filter((x) => x.eniId === eni && x.tags.get('wallarm-oob:deployment') === 'shop-oob');
    expect(s.asgEnis.every((eni) => sessionsOn(eni).length === 1)).toBe(true);

    const hooks = new RecordingHooks();
    const options = { configPath: w.configPath, global: {}, autoApprove: true, parallelism: 10, lockTimeoutMs: 0, wait: false };
    const added = await editMirrorSources('add-eni', { enis: [s.webEni, s.xenEni] }, options, hooks);
    expect(added.written).toBe(true);
    const plan = hooks.plans[0]!;
    expect(plan.actions.filter((a) => a.action !== 'noop').map((a) => a.id)).toEqual(['mirror-sessions']);
    expect(formatPlan(plan, { showProperties: false, showUserData: false })).toMatch(new RegExp(`networkInterfaceIds: \\+1 / -0 sessions \\(\\+${s.webEni}\\)`));
    expect(sessionsOn(s.webEni)).toHaveLength(1);
    expect(sessionsOn(s.xenEni)).toHaveLength(0); // reported and skipped, never half-created

    const removed = await editMirrorSources('remove-eni', { enis: [s.webEni, s.xenEni] }, options, new RecordingHooks());
    expect(removed.changed).toEqual([s.webEni, s.xenEni]);
    expect(sessionsOn(s.webEni)).toHaveLength(0);
    expect(s.asgEnis.every((eni) => sessionsOn(eni).length === 1)).toBe(true);
  });
});
