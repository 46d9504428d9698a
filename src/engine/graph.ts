import { PlanError } from '../errors.js';
import { isRef, type Graph, type Ref, type ResourceNode, type Value } from './types.js';

/** Every ref inside a value, depth first. */
export function refsIn(value: Value | undefined): Ref[] {
  if (value === null || value === undefined || typeof value !== 'object') return [];
  if (isRef(value)) return [value];
  const children: Value[] = Array.isArray(value) ? value : Object.values(value as { [key: string]: Value });
  return children.flatMap((child) => refsIn(child));
}

/** Logical ids a node depends on (from its refs), without duplicates. */
export function dependenciesOf(node: ResourceNode): string[] {
  return [...new Set([...refsIn(node.props).map((r) => r.$ref), ...(node.dependsOn ?? [])])];
}

/**
 * Checks ids are unique and refs point at existing nodes, then orders the nodes so every node comes after
 * the nodes it references. A cycle is a PlanError naming the nodes on it.
 */
export function topologicalOrder(graph: Graph): ResourceNode[] {
  const byId = new Map<string, ResourceNode>();
  for (const node of graph.nodes) {
    if (byId.has(node.id)) throw new PlanError('GRAPH_DUPLICATE_ID', `Two resources share the logical id "${node.id}".`);
    byId.set(node.id, node);
  }
  for (const node of graph.nodes) {
    for (const dep of dependenciesOf(node)) {
      if (!byId.has(dep)) throw new PlanError('GRAPH_DANGLING_REF', `Resource "${node.id}" references "${dep}", which is not in the plan.`);
    }
  }
  const ordered: ResourceNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: ResourceNode, path: string[]) => {
    const mark = state.get(node.id);
    if (mark === 'done') return;
    if (mark === 'visiting') {
      const cycle = [...path.slice(path.indexOf(node.id)), node.id].join(' -> ');
      throw new PlanError('GRAPH_CYCLE', `The resource graph has a cycle: ${cycle}.`);
    }
    state.set(node.id, 'visiting');
    for (const dep of dependenciesOf(node)) visit(byId.get(dep)!, [...path, node.id]);
    state.set(node.id, 'done');
    ordered.push(node);
  };
  for (const node of graph.nodes) visit(node, []);
  return ordered;
}
