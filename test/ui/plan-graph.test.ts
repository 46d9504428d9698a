import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/engine/plan.js';
import { ref } from '../../src/engine/types.js';
import { formatGraph, planGraphOf } from '../../src/ui/plan-graph.js';

const plan: Pick<Plan, 'graph' | 'actions' | 'deployment'> = {
  deployment: 'shop-oob',
  graph: {
    nodes: [
      { id: 'sg', kind: 'security-group', props: { name: 'x' } },
      { id: 'lb', kind: 'load-balancer', props: { securityGroups: [ref('sg', 'groupId')] } },
      { id: 'mirror-sessions', kind: 'traffic-mirror-session', props: { target: ref('lb', 'arn') }, dependsOn: ['sg'] },
    ],
    outputs: {},
  },
  actions: [
    { id: 'sg', kind: 'security-group', action: 'noop', reasons: [], changes: [], physicalId: 'sg-1' },
    { id: 'lb', kind: 'load-balancer', action: 'replace', reasons: [], changes: [], physicalId: 'arn:lb' },
    { id: 'mirror-sessions', kind: 'traffic-mirror-session', action: 'create', reasons: [], changes: [] },
    { id: 'old-tg', kind: 'target-group', action: 'delete', reasons: [], changes: [], physicalId: 'arn:tg' },
  ],
};

describe('plan graph', () => {
  it('has every planned resource with its action, deletes included, and an edge per dependency', () => {
    const { nodes, edges } = planGraphOf(plan);
    expect(nodes.map((n) => `${n.id}:${n.action}`)).toEqual(['sg:noop', 'lb:replace', 'mirror-sessions:create', 'old-tg:delete']);
    expect(edges).toEqual([
      { from: 'sg', to: 'lb', via: ['groupId'] },
      { from: 'lb', to: 'mirror-sessions', via: ['arn'] },
      { from: 'sg', to: 'mirror-sessions', via: [] },
    ]);
  });

  it('renders dot with escaped labels and dashed ordering-only edges', () => {
    const dot = formatGraph(plan, 'dot');
    expect(dot).toContain('"lb" [label="-/+ lb\\nload-balancer\\nreplace", color=red];');
    expect(dot).toContain('"old-tg" [label="- old-tg\\ntarget-group\\ndelete", color=red, style=dashed];');
    expect(dot).toContain('"sg" -> "lb" [label="groupId"];');
    expect(dot).toContain('"sg" -> "mirror-sessions" [style=dashed];');
  });

  it('renders mermaid with safe node ids', () => {
    const mermaid = formatGraph(plan, 'mermaid');
    expect(mermaid.split('\n')[0]).toBe('flowchart LR');
    expect(mermaid).toContain('n2["+ mirror-sessions<br/>traffic-mirror-session<br/>create"]');
    expect(mermaid).toContain('n1 -->|arn| n2');
    expect(mermaid).toContain('n0 -.-> n2');
  });
});
