import type { Config } from '../config/schema.js';
import type { Graph } from '../engine/types.js';
import { TAGGABLE_KINDS } from '../resources/registry.js';
import { MANAGED_BY, TAG_DEPLOYMENT, TAG_LOGICAL_ID, TAG_MANAGED_BY } from '../resources/types.js';

/** Tags every resource of the deployment carries (the user's first, so ours always win). */
export function deploymentTags(config: Pick<Config, 'deployment' | 'tags'>): Record<string, string> {
  return { ...config.tags, [TAG_DEPLOYMENT]: config.deployment, [TAG_MANAGED_BY]: MANAGED_BY };
}

export function resourceTags(base: Record<string, string>, logicalId: string): Record<string, string> {
  return { ...base, [TAG_LOGICAL_ID]: logicalId };
}

/**
 * The graph with each taggable node's desired tags as its `tags` prop, so tag edits in the config show in
 * plan (`~ tags`) and are applied in place like any other property. Pure.
 */
export function withTags(graph: Graph, base: Record<string, string>): Graph {
  return {
    ...graph,
    nodes: graph.nodes.map((node) => (TAGGABLE_KINDS.has(node.kind) ? { ...node, props: { ...node.props, tags: resourceTags(base, node.id) } } : node)),
  };
}
