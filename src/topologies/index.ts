/**
 * The topology table: one entry per `topology` of the config schema (the compiler checks none is missing).
 * Adding a topology: a folder beside these (its planner, inputs, checks, init part) and one entry here.
 */
import type { Config, TopologyName } from '../config/schema.js';
import type { Topology } from './types.js';
import { vpcMirror } from './vpc-mirror/index.js';
import { webServerMirror } from './web-server-mirror/index.js';

export const TOPOLOGY_TABLE = {
  'web-server-mirror': webServerMirror,
  'vpc-mirror': vpcMirror,
} satisfies Record<Config['topology'], Topology>;

/** The topology of a config (the implementations are typed with their own config; callers see the common contract). */
export function topologyOf(config: { topology: TopologyName }): Topology {
  return TOPOLOGY_TABLE[config.topology];
}
