import { describe, expect, it } from 'vitest';
import { loadBalancerChains } from '../../src/core/status-report.js';
import type { ResourceState, StateDocument } from '../../src/state/document.js';
import type { ResourceKind } from '../../src/engine/types.js';

const r = (kind: ResourceKind, id: string, deps: string[] = []): ResourceState => ({ kind, id, hashes: {}, outputs: {}, deps });

describe('status hops', () => {
  it('goreplay: the rebuilder hop (whose instances send to the node ALB) comes before the node hop, each with its own target group and group', () => {
    const state: StateDocument = {
      format: 1, deployment: 'd', lineage: 'l', serial: 1, orphans: [], outputs: {},
      resources: {
        // Named so that alphabetical order would be the wrong one.
        'node-alb': r('load-balancer', 'arn:alb'),
        'node-target-group': r('target-group', 'arn:tg'),
        'node-listener': r('listener', 'arn:l', ['node-alb', 'node-target-group']),
        'node-asg': r('auto-scaling-group', 'nodes', ['node-target-group']),
        'rebuilder-nlb': r('load-balancer', 'arn:nlb'),
        'rebuilder-target-group': r('target-group', 'arn:rtg'),
        'rebuilder-listener': r('listener', 'arn:rl', ['rebuilder-nlb', 'rebuilder-target-group']),
        'rebuilder-launch-template': r('launch-template', 'lt-1', ['node-alb']),
        'rebuilder-asg': r('auto-scaling-group', 'rebuilders', ['rebuilder-target-group', 'rebuilder-launch-template']),
      },
    };
    const chains = loadBalancerChains(state).map((c) => ({ lb: c.lb.logicalId, tgs: c.targetGroups.map((t) => t.logicalId), groups: c.groups.map((g) => g.logicalId) }));
    expect(chains).toEqual([
      { lb: 'rebuilder-nlb', tgs: ['rebuilder-target-group'], groups: ['rebuilder-asg'] },
      { lb: 'node-alb', tgs: ['node-target-group'], groups: ['node-asg'] },
    ]);
  });
});
