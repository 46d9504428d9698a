/**
 * Acceptance of the topology seam: a third topology, written here and never shipped, plans, applies and is
 * destroyed through the real core and engine against the fake account. Adding it took one module-equivalent
 * (the `toy` object: inputs, planner, checks, init part) and one table entry; nothing else knows its name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { planOffline } from '../../src/core/planning.js';
import { ref } from '../../src/engine/types.js';
import { TOPOLOGY_TABLE } from '../../src/topologies/index.js';
import { resourceName } from '../../src/topologies/common/names.js';
import { offlineNodeInputs, resolveNodeInputs } from '../../src/topologies/common/node-inputs.js';
import { resource } from '../../src/topologies/common/resource.js';
import type { NodeInputs, Topology } from '../../src/topologies/types.js';
import { inventory, world, type World } from '../integration/harness.js';

/** The "folder": a security group and a target group in the deployment's VPC, nothing else. */
const toy: Topology<NodeInputs> = {
  name: 'toy' as Config['topology'],
  offlineInputs(loaded, regionHint) {
    const node = offlineNodeInputs(loaded, regionHint, { nodeFleet: false });
    return { ...node, notes: [...node.notes, 'toy: offline'] };
  },
  async resolveInputs(loaded, aws) {
    const node = await resolveNodeInputs(loaded, aws, { nodeFleet: false });
    return { ...node, notes: [...node.notes, 'toy: resolved'] };
  },
  plan: ({ config }) => ({
    nodes: [
      resource({
        id: 'toy-security-group',
        kind: 'security-group',
        props: {
          name: resourceName(config.deployment, 'toy', 255),
          description: 'toy topology',
          vpcId: config.vpcId,
          ingress: [{ protocol: 'tcp', fromPort: 8080, toPort: 8080, cidr: '10.0.0.0/8', description: 'toy' }],
          egress: [],
        },
      }),
      resource({
        id: 'toy-target-group',
        kind: 'target-group',
        props: {
          name: resourceName(config.deployment, 'toy', 32),
          protocol: 'HTTP',
          port: 8080,
          vpcId: config.vpcId,
          targetType: 'instance',
          healthCheck: { protocol: 'HTTP', port: '8080', path: '/', intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 3, unhealthyThreshold: 3 },
        },
      }),
    ],
    outputs: { toyGroup: { from: ref('toy-security-group', 'groupId'), description: 'the toy security group' } },
  }),
  kinds: ['security-group', 'target-group'],
  resolutionChecks: [],
  init: {
    summary: 'a toy',
    required: [],
    defaulted: [],
    describe: {},
    showDefault: () => ({}),
    foreign: [],
    ask: async () => undefined,
    configSection: () => ({}),
    egress: { instances: 'Nothing' },
  },
};

let w: World;
afterEach(() => {
  delete (TOPOLOGY_TABLE as Record<string, Topology>).toy;
  w?.done();
});

describe('a third topology', () => {
  it('plans offline and online, applies and destroys through the real engine with one table entry', async () => {
    // The one table entry.
    (TOPOLOGY_TABLE as Record<string, Topology>).toy = toy;
    w = await world();
    w.loaded = { ...w.loaded, config: { ...w.loaded.config, topology: 'toy' } as unknown as Config };

    const offline = planOffline(w.loaded).plan;
    expect(offline.topology).toBe('toy');
    expect(offline.actions.map((a) => `${a.action} ${a.id}`)).toEqual(['create toy-security-group', 'create toy-target-group']);
    expect(offline.notes).toContain('toy: offline');

    const applied = await w.apply();
    expect(applied.plan.notes).toContain('toy: resolved');
    expect(applied.outputs.toyGroup).toMatch(/^sg-/);
    expect(inventory(w)).toMatchObject({ 'ec2:security-group': 1, 'elbv2:target-group': 1 });
    expect((await w.plan()).actions.every((a) => a.action === 'noop')).toBe(true);

    await w.destroy();
    expect(w.tagged()).toEqual([]);
  });
});
