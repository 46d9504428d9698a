import { refsIn } from '../engine/graph.js';
import type { ActionType, Plan } from '../engine/plan.js';
import type { ResourceKind } from '../engine/types.js';

export type GraphFormat = 'dot' | 'mermaid';

export interface GraphNode {
  id: string;
  kind: ResourceKind;
  action: ActionType;
}

export interface GraphEdge {
  /** The resource depended on. */
  from: string;
  /** The resource that depends on it. */
  to: string;
  /** The outputs referenced (`arn`, `groupId`), or none for an ordering-only dependency. */
  via: string[];
}

/**
 * The plan's resource graph: every resource of the desired graph with its planned action, plus the
 * resources the plan deletes; an edge per dependency, labelled with the outputs referenced. Edges point
 * from what is created first to what uses it.
 */
export function planGraphOf(plan: Pick<Plan, 'graph' | 'actions'>): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const actionOf = new Map(plan.actions.map((a) => [a.id, a]));
  const nodes: GraphNode[] = plan.graph.nodes.map((n) => ({ id: n.id, kind: n.kind, action: actionOf.get(n.id)?.action ?? 'noop' }));
  const known = new Set(nodes.map((n) => n.id));
  for (const a of plan.actions) if (!known.has(a.id)) nodes.push({ id: a.id, kind: a.kind, action: a.action });
  const edges: GraphEdge[] = [];
  for (const node of plan.graph.nodes) {
    const via = new Map<string, Set<string>>();
    for (const r of refsIn(node.props)) via.set(r.$ref, (via.get(r.$ref) ?? new Set()).add(r.attr));
    for (const dep of node.dependsOn ?? []) if (!via.has(dep)) via.set(dep, new Set());
    for (const [from, attrs] of via) edges.push({ from, to: node.id, via: [...attrs].sort() });
  }
  return { nodes, edges };
}

const SYMBOL: Record<ActionType, string> = { create: '+', update: '~', replace: '-/+', delete: '-', noop: '' };
const COLOUR: Record<ActionType, string> = { create: 'green', update: 'orange', replace: 'red', delete: 'red', noop: 'black' };

const dotString = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function formatGraph(plan: Pick<Plan, 'graph' | 'actions' | 'deployment'>, format: GraphFormat): string {
  const { nodes, edges } = planGraphOf(plan);
  const label = (n: GraphNode) => `${SYMBOL[n.action] ? `${SYMBOL[n.action]} ` : ''}${n.id}\n${n.kind}\n${n.action === 'noop' ? 'no change' : n.action}`;
  if (format === 'dot') {
    const lines = [`digraph ${dotString(`wallarm-oob ${plan.deployment}`)} {`, '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
    // Graphviz's own line break in a label is the escape `\n`.
    const dotLabel = (n: GraphNode) => `"${label(n).split('\n').map((part) => dotString(part).slice(1, -1)).join('\\n')}"`;
    for (const n of nodes) lines.push(`  ${dotString(n.id)} [label=${dotLabel(n)}, color=${COLOUR[n.action]}${n.action === 'delete' ? ', style=dashed' : ''}];`);
    for (const e of edges) lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)}${e.via.length ? ` [label=${dotString(e.via.join(', '))}]` : ' [style=dashed]'};`);
    lines.push('}');
    return lines.join('\n');
  }
  // Mermaid ids allow no `/` or `.`: number the nodes, show the logical id in the label.
  const idOf = new Map(nodes.map((n, i) => [n.id, `n${i}`]));
  const text = (s: string) => s.replace(/"/g, '#quot;').replace(/\n/g, '<br/>');
  const lines = ['flowchart LR'];
  for (const n of nodes) lines.push(`  ${idOf.get(n.id)}["${text(label(n))}"]`);
  for (const e of edges) {
    const from = idOf.get(e.from);
    const to = idOf.get(e.to);
    if (!from || !to) continue;
    lines.push(e.via.length ? `  ${from} -->|${text(e.via.join(', '))}| ${to}` : `  ${from} -.-> ${to}`);
  }
  for (const action of ['create', 'update', 'replace', 'delete'] as const) {
    const ids = nodes.filter((n) => n.action === action).map((n) => idOf.get(n.id));
    if (ids.length) lines.push(`  classDef ${action} stroke:${COLOUR[action]}`, `  class ${ids.join(',')} ${action}`);
  }
  return lines.join('\n');
}
