import { afterEach, describe, expect, it } from 'vitest';
import { DeleteTagsCommand } from '@aws-sdk/client-ec2';
import { hasChanges } from '../../src/engine/plan.js';
import { TAGGABLE_KINDS } from '../../src/resources/registry.js';
import { world, type World } from './harness.js';

let w: World;
afterEach(() => w?.done());

type Tags = Map<string, string>;

/** The live tags of one resource reported by resourcesTagged(), read from the fake's model. */
function tagsOf(w: World, r: { service: string; type: string; id: string }): Record<string, string> {
  const f = w.fake;
  const find = <T extends { tags: Tags }>(items: Iterable<T>, key: (x: T) => string) => [...items].find((x) => key(x) === r.id)?.tags;
  const byType: Record<string, () => Tags | undefined> = {
    'security-group': () => find(f.ec2.securityGroups.values(), (x) => x.id),
    'launch-template': () => find(f.ec2.launchTemplates.values(), (x) => x.id),
    instance: () => find(f.ec2.instances.values(), (x) => x.id),
    'network-interface': () => find(f.ec2.networkInterfaces.values(), (x) => x.id),
    'load-balancer': () => find(f.elbv2.loadBalancers.values(), (x) => x.arn),
    'target-group': () => find(f.elbv2.targetGroups.values(), (x) => x.arn),
    listener: () => find(f.elbv2.listeners.values(), (x) => x.arn),
    'auto-scaling-group': () => {
      const g = [...f.autoscaling.groups.values()].find((x) => x.name === r.id);
      return g && new Map([...g.tags].map(([k, t]) => [k, t.value]));
    },
    'traffic-mirror-filter': () => find(f.mirroring.filters.values(), (x) => x.id),
    'traffic-mirror-target': () => find(f.mirroring.targets.values(), (x) => x.id),
    'traffic-mirror-session': () => find(f.mirroring.sessions.values(), (x) => x.id),
    role: () => find(f.iam.roles.values(), (x) => x.name),
    'instance-profile': () => find(f.iam.instanceProfiles.values(), (x) => x.name),
  };
  const tags = byType[r.type]?.();
  if (!tags) throw new Error(`test: no tags model for ${r.service}:${r.type} ${r.id}`);
  return Object.fromEntries(tags);
}

/** Managed resources (the state parameter and the lock are stamped once, at creation: out of scope). */
const managed = (w: World) => w.tagged().filter((r) => r.service !== 'ssm');

describe('tags: edits in the config are planned and applied in place', () => {
  it('a changed `tags:` shows as `tags` updates on every taggable resource, apply converges them, then the plan is empty', async () => {
    w = await world();
    await w.apply();
    const before = Object.fromEntries((await w.plan()).graph.nodes.map((n) => [n.id, n]));

    await w.writeConfig({ tags: { team: 'security', cost: 'oob' } });
    const plan = await w.plan();
    const taggable = plan.graph.nodes.filter((n) => TAGGABLE_KINDS.has(n.kind));
    expect(taggable.length).toBeGreaterThan(5);
    for (const node of taggable) {
      const action = plan.actions.find((a) => a.id === node.id)!;
      expect(action.action, node.id).toBe('update');
      expect(action.changes.find((c) => c.prop === 'tags'), node.id).toEqual(
        expect.objectContaining({ cause: 'config', after: expect.objectContaining({ team: 'security', cost: 'oob' }) }),
      );
      // Nothing else but what a new launch template version implies (the group's template version).
      const others = action.changes.filter((c) => c.prop !== 'tags');
      if (node.kind === 'auto-scaling-group') expect(others.map((c) => [c.prop, c.cause])).toEqual([['launchTemplateVersion', 'dependency']]);
      else expect(others, node.id).toEqual([]);
    }
    for (const a of plan.actions) if (!TAGGABLE_KINDS.has(a.kind)) expect(a.action, a.id).toBe('noop');
    expect(Object.keys(before).sort()).toEqual(plan.graph.nodes.map((n) => n.id).sort());

    await w.apply();
    const resources = managed(w);
    expect(resources.length).toBeGreaterThan(taggable.length - 1);
    for (const r of resources) {
      const tags = tagsOf(w, r);
      expect(tags, `${r.type} ${r.id}`).toEqual(expect.objectContaining({ team: 'security', cost: 'oob' }));
    }
    expect(hasChanges(await w.plan())).toBe(false);

    // Removing a key removes it everywhere (the tag set converges to exactly the desired one).
    await w.writeConfig({ tags: { team: 'security' } });
    await w.apply();
    for (const r of managed(w)) expect(tagsOf(w, r), `${r.type} ${r.id}`).not.toHaveProperty('cost');
    expect(hasChanges(await w.plan())).toBe(false);
  });

  it('a tag removed outside wallarm-oob shows as drift and apply puts it back', async () => {
    w = await world();
    await w.apply();
    const sg = [...w.fake.ec2.securityGroups.values()].find((g) => g.name === 'wallarm-oob-shop-oob-alb')!;
    await (await w.aws.ec2()).send(new DeleteTagsCommand({ Resources: [sg.id], Tags: [{ Key: 'team' }] }));

    const plan = await w.plan();
    const changed = plan.actions.filter((a) => a.action !== 'noop');
    expect(changed).toHaveLength(1);
    expect(changed[0]).toEqual(
      expect.objectContaining({ action: 'update', changes: [expect.objectContaining({ prop: 'tags', cause: 'drift' })], reasons: ['`tags` was changed outside wallarm-oob'] }),
    );

    await w.apply();
    expect(sg.tags.get('team')).toBe('appsec');
    expect(hasChanges(await w.plan())).toBe(false);
  });
});
