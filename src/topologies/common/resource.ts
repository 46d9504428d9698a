import type { Desired, ResourceKind, ResourceNode } from '../../engine/types.js';
import type { PropsByKind } from '../../resources/types.js';

/** A graph node as a planner writes it: its props are type-checked against its kind's props (PropsByKind). */
export interface DesiredNode<K extends ResourceKind> {
  id: string;
  kind: K;
  /** A one-line description for plan output. */
  description?: string;
  /** Nodes to wait for without referencing their outputs (see ResourceNode.dependsOn). */
  dependsOn?: readonly string[];
  props: Desired<PropsByKind[K]>;
}

/**
 * The typed way to add a node to a graph: a wrong prop type, a missing prop or an unknown key does not compile
 * (test/topologies/desired.typecheck.ts). The engine then sees plain Props.
 */
export function resource<K extends ResourceKind>(node: DesiredNode<K>): ResourceNode {
  return node as unknown as ResourceNode;
}
