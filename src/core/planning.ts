import type { LoadedConfig } from '../config/load.js';
import { diff, type LiveView } from '../engine/diff.js';
import type { Plan } from '../engine/plan.js';
import type { Graph } from '../engine/types.js';
import { emptyState, type StateDocument } from '../state/document.js';
import { topologyOf } from '../topologies/index.js';
import type { NodeInputs, Resolved } from '../topologies/types.js';
import { mapLimit } from '../util/pool.js';
import { verifyOwnership } from '../engine/ownership.js';
import { pendingNotes } from '../state/pending.js';
import type { Deployment } from './deployment.js';
import { deploymentTags, withTags } from './tags.js';

/** The desired graph of resolved inputs: the topology's planner. */
export function planGraph(inputs: NodeInputs): Graph {
  return topologyOf(inputs.config).plan(inputs);
}

export interface PlanResult {
  plan: Plan;
  resolved: Resolved;
  state: StateDocument;
}

/** Offline: what would be built from nothing, without touching AWS. */
export function planOffline(loaded: LoadedConfig, regionHint?: string): PlanResult {
  const resolved = topologyOf(loaded.config).offlineInputs(loaded, regionHint);
  const graph = withTags(planGraph(resolved.inputs), deploymentTags(resolved.inputs.config));
  const state = emptyState(loaded.config.deployment);
  const actions = diff({ graph, state, live: new Map(), traits: () => ({ replaceOn: [] }) });
  return { plan: makePlan(resolved, graph, state, actions, true), resolved, state };
}

/** Online: resolve against the account, read state and every live resource, diff. */
export async function planOnline(deployment: Deployment): Promise<PlanResult> {
  const { traitsFor } = await import('./deployment.js');
  const state = await deployment.store.loadOrEmpty();
  const live = await readLive(deployment, state);
  const { loaded, aws } = deployment;
  const resolved = await topologyOf(loaded.config).resolveInputs(loaded, aws, { liveProps: (id) => live.get(id)?.props });
  const graph = withTags(planGraph(resolved.inputs), deployment.tags);
  const { checkNamesFree } = await import('../account/name-checks.js');
  await checkNamesFree(deployment.aws, deployment.name, deployment.loaded.config.vpcId, graph, state, deployment.loaded.path);
  const traits = await traitsFor([...graph.nodes.map((n) => n.kind), ...Object.values(state.resources).map((r) => r.kind)]);
  const actions = diff({ graph, state, live, traits });
  const plan = makePlan(resolved, graph, state, actions, false);
  plan.notes.push(...pendingNotes(state), ...deployment.warnings);
  return { plan, resolved, state };
}

/** Reads every resource in state (drift detection), ten at a time, and checks each is this deployment's. */
export async function readLive(deployment: Deployment, state: StateDocument): Promise<Map<string, LiveView | undefined>> {
  const entries = Object.entries(state.resources);
  const { handlerFor } = await import('./deployment.js');
  const reads = await mapLimit(entries, 10, async ([id, resource]) => {
    const handler = await handlerFor(resource.kind);
    const ctx = deployment.context(id, () => undefined, { lineage: state.lineage, waitForCapacity: false });
    const live = await handler.read(ctx, resource.id);
    // A plan never proposes to change what is not this deployment's: refuse before anything is shown.
    if (live) {
      const tags = handler.ownerTags ? await handler.ownerTags(ctx, live) : (live.props.tags as Record<string, string> | undefined);
      verifyOwnership(deployment.name, { kind: resource.kind, logicalId: id, physicalId: resource.id, tags, checkLogicalId: !handler.ownerTags }, 'manage', 'state');
    }
    return [id, live] as const;
  });
  return new Map(reads);
}

function makePlan(resolved: Resolved, graph: Graph, state: StateDocument, actions: Plan['actions'], offline: boolean): Plan {
  const { config } = resolved.inputs;
  return {
    format: 1,
    deployment: config.deployment,
    topology: config.topology,
    region: resolved.inputs.region,
    stateSerial: state.serial,
    createdAt: new Date().toISOString(),
    offline,
    destroy: false,
    graph,
    actions,
    notes: resolved.notes,
    outputs: state.outputs,
    ...topologyOf(config).report?.(resolved.inputs),
  };
}
