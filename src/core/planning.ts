import type { AwsClients } from '../aws/clients.js';
import type { LoadedConfig } from '../config/load.js';
import { diff, type LiveView } from '../engine/diff.js';
import type { Plan } from '../engine/plan.js';
import type { Graph } from '../engine/types.js';
import { emptyState, stateTierNotes, type StateDocument } from '../state/document.js';
import { topologyOf } from '../topologies/index.js';
import type { NodeInputs, Resolved } from '../topologies/types.js';
import { readState } from '../engine/refresh.js';
import { started } from '../util/pool.js';
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

export interface PlanOptions {
  /**
   * false (`plan --refresh=false`, like Terraform's `-refresh=false`): no live read of the deployment's
   * resources; the config and the sources are compared with state alone, so drift made outside wallarm-oob
   * (a changed rule, a deleted listener) is not shown. Default true.
   */
  refresh?: boolean;
}

/** What a plan made with --refresh=false says about itself. */
export const NO_REFRESH_NOTE =
  'Planned with --refresh=false: the deployment\'s resources were not read, so changes made outside wallarm-oob (edited settings, deleted resources) are not shown. Run `wallarm-oob plan` to see them.';

/**
 * Online: resolve against the account, read state and every live resource, diff. The live reads start as soon
 * as state is read, side by side with input resolution (which asks for live props only once it needs them).
 */
export async function planOnline(deployment: Deployment, options: PlanOptions = {}): Promise<PlanResult> {
  const refresh = options.refresh ?? true;
  const { traitsFor } = await import('./deployment.js');
  const { loaded, aws } = deployment;
  const stateRead = started(() => deployment.store.loadOrEmpty());
  const liveRead = refresh ? started(async () => readLive(deployment, await stateRead)) : undefined;
  const resolved = await topologyOf(loaded.config).resolveInputs(
    loaded,
    aws,
    liveRead
      ? { liveProps: async (id) => (await liveRead).get(id)?.props }
      : { appliedHash: async (id, prop) => (await stateRead).resources[id]?.hashes[prop] },
  );
  const state = await stateRead;
  const live = liveRead ? await liveRead : 'not-read';
  const graph = withTags(planGraph(resolved.inputs), deployment.tags);
  const { checkNamesFree } = await import('../account/name-checks.js');
  await checkNamesFree(deployment.aws, deployment.name, deployment.loaded.config.vpcId, graph, state, deployment.loaded.path);
  const traits = await traitsFor([...graph.nodes.map((n) => n.kind), ...Object.values(state.resources).map((r) => r.kind)]);
  const actions = diff({ graph, state, live, traits });
  const plan = makePlan(resolved, graph, state, actions, false);
  plan.notes.push(...pendingNotes(state), ...stateTierNotes(state), ...deployment.warnings);
  if (!refresh && Object.keys(state.resources).length > 0) plan.notes.push(NO_REFRESH_NOTE);
  return { plan, resolved, state };
}

/**
 * Reads every resource in state (drift detection): one batched read per kind where the handler has one, all
 * kinds at once; then checks each is this deployment's (a plan never proposes to change what is not ours).
 */
export async function readLive(deployment: Deployment, state: StateDocument): Promise<Map<string, LiveView | undefined>> {
  const { handlerFor } = await import('./deployment.js');
  const context = (id: string) => deployment.context(id, () => undefined, { lineage: state.lineage, waitForCapacity: false });
  const live = await readState(state, { loadHandler: handlerFor, context });
  await Promise.all(
    [...live].map(async ([id, found]) => {
      const resource = state.resources[id]!;
      if (!found) return;
      const handler = await handlerFor(resource.kind);
      const tags = handler.ownerTags ? await handler.ownerTags(context(id), found) : (found.props.tags as Record<string, string> | undefined);
      verifyOwnership(deployment.name, { kind: resource.kind, logicalId: id, physicalId: resource.id, tags, checkLogicalId: !handler.ownerTags }, 'manage', 'state');
    }),
  );
  return live;
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

/**
 * Adds the estimated monthly cost to a plan that builds something (not to destroy plans). Online, prices come from
 * AWS's Price List Query API (an optional read: its failure is a note); offline, and for what the API does not
 * answer, from the table shipped with wallarm-oob.
 */
export async function addCost(plan: Plan, aws: AwsClients | undefined): Promise<void> {
  if (plan.destroy) return;
  const { estimateCost, tableLookup } = await import('../cost/estimate.js');
  const { SHIPPED_PRICES } = await import('../cost/price-table.js');
  const region = plan.region || (aws ? await aws.region().catch(() => '') : '');
  const notes = new Set<string>();
  let lookup = tableLookup(region);
  if (aws && region) {
    const { priceListLookup } = await import('../account/price-list.js');
    lookup = priceListLookup(aws, region, (n) => notes.add(n));
  } else if (!SHIPPED_PRICES.regions[region]) {
    notes.add(region ? `The shipped price table has no prices for ${region}: an online plan prices it from AWS's Price List Query API.` : 'No region is known offline: the plan is not priced (set `region` in the config).');
  }
  try {
    plan.cost = await estimateCost(plan.graph, lookup);
  } catch (error) {
    // An optional read: a price failure never fails the plan.
    notes.add(`The cost estimate failed: ${error instanceof Error ? error.message : String(error)}.`);
  }
  plan.notes.push(...notes);
}
