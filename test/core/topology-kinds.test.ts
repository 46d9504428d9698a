import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { planOffline } from '../../src/core/planning.js';
import { TOPOLOGY_TABLE } from '../../src/topologies/index.js';

describe("each topology's kinds (what destroy looks for)", () => {
  for (const [topology, file] of [
    ['web-server-mirror', 'examples/web-server-mirror.yaml'],
    ['vpc-mirror', 'examples/vpc-mirror.yaml'],
  ] as const) {
    it(`lists every kind the ${topology} planner creates`, async () => {
      const { plan } = planOffline(await loadConfig(file), 'eu-west-1');
      expect(plan.topology).toBe(topology);
      const kinds = new Set(plan.graph.nodes.map((n) => n.kind));
      expect([...kinds].filter((k) => !TOPOLOGY_TABLE[topology].kinds.includes(k))).toEqual([]);
    });
  }
});
