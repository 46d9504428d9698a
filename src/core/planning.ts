import type { LoadedConfig } from '../config/load.js';
import { diff, type LiveView } from '../engine/diff.js';
import type { Plan } from '../engine/plan.js';
import type { Graph } from '../engine/types.js';
import { PlanError } from '../errors.js';
import type { Inputs } from '../planners/inputs.js';
import { planVpcMirror, VPC_ID } from '../planners/vpc-mirror.js';
import { planWebServerMirror } from '../planners/web-server-mirror.js';
import { emptyState, type StateDocument } from '../state/document.js';
import { readState } from '../engine/refresh.js';
import { shortHash } from '../util/hash.js';
import { started } from '../util/pool.js';
import { verifyOwnership } from '../engine/ownership.js';
import { pendingNotes } from '../state/pending.js';
import type { Deployment } from './deployment.js';
import { offlineInputs, type Resolved } from './inputs.js';
import { deploymentTags, withTags } from './tags.js';

const PLANNERS: Record<string, ((inputs: Inputs) => Graph) | undefined> = {
  'web-server-mirror': planWebServerMirror,
  'vpc-mirror': planVpcMirror,
};

export function planGraph(inputs: Inputs): Graph {
  const planner = PLANNERS[inputs.config.topology];
  if (!planner) {
    throw new PlanError('TOPOLOGY_UNAVAILABLE', `topology "${inputs.config.topology}" is not available in this version of wallarm-oob.`, {
      actions: ['Use topology: web-server-mirror, or upgrade wallarm-oob.'],
    });
  }
  return planner(inputs);
}

export interface PlanResult {
  plan: Plan;
  resolved: Resolved;
  state: StateDocument;
}

/** Offline: what would be built from nothing, without touching AWS. */
export function planOffline(loaded: LoadedConfig, regionHint?: string): PlanResult {
  const resolved = offlineInputs(loaded, regionHint);
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
 * as state is read, side by side with input resolution (which needs only the session set's ENIs from them).
 */
export async function planOnline(deployment: Deployment, options: PlanOptions = {}): Promise<PlanResult> {
  const refresh = options.refresh ?? true;
  const { resolveInputs } = await import('./resolve.js');
  const { traitsFor } = await import('./deployment.js');
  const stateRead = started(() => deployment.store.loadOrEmpty());
  const liveRead = refresh ? started(async () => readLive(deployment, await stateRead)) : undefined;
  // Interfaces that already carry the session need no eligibility re-check (see mirror-sources.ts).
  const mirroredEnis = async (selected: readonly string[]): Promise<ReadonlySet<string>> => {
    if (!liveRead) return mirroredPerState(await stateRead, selected);
    const ids = (await liveRead).get(VPC_ID.sessions)?.props.networkInterfaceIds;
    return new Set(Array.isArray(ids) ? (ids as string[]) : []);
  };
  const resolved = await resolveInputs(deployment.loaded, deployment.aws, { mirroredEnis });
  const state = await stateRead;
  const live = liveRead ? await liveRead : 'not-read';
  const graph = withTags(planGraph(resolved.inputs), deployment.tags);
  const { checkNamesFree } = await import('./name-checks.js');
  await checkNamesFree(deployment.aws, deployment.name, deployment.loaded.config.vpcId, graph, state, deployment.loaded.path);
  const traits = await traitsFor([...graph.nodes.map((n) => n.kind), ...Object.values(state.resources).map((r) => r.kind)]);
  const actions = diff({ graph, state, live, traits });
  const plan = makePlan(resolved, graph, state, actions, false);
  plan.notes.push(...pendingNotes(state), ...deployment.warnings);
  if (!refresh && Object.keys(state.resources).length > 0) plan.notes.push(NO_REFRESH_NOTE);
  return { plan, resolved, state };
}

/**
 * --refresh=false: state keeps only a hash of the session set's ENI list. When the selected interfaces hash to
 * exactly it, every one of them carried a session at the last apply (AWS accepted them); otherwise nothing is
 * known and every interface is checked (as on a first plan).
 */
function mirroredPerState(state: StateDocument, selected: readonly string[]): ReadonlySet<string> {
  const applied = state.resources[VPC_ID.sessions]?.hashes.networkInterfaceIds;
  const ids = [...new Set(selected)].sort();
  return applied !== undefined && applied === shortHash(ids) ? new Set(ids) : new Set();
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
    ...(resolved.inputs.mirror && { mirrorSources: resolved.inputs.mirror.sources }),
  };
}
