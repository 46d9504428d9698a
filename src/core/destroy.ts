import { deleteParameter, parameterIsOurs } from '../account/parameters.js';
import { destroyActions } from '../engine/diff.js';
import type { DeleteGuard } from '../engine/handler.js';
import { TAG_DEPLOYMENT, verifyOwnership } from '../engine/ownership.js';
import type { DeleteAction, Plan } from '../engine/plan.js';
import type { ResourceKind } from '../engine/types.js';
import { AbortedError, WallarmOobError } from '../errors.js';
import { SWEEP_ORDER } from '../resources/registry.js';
import { TOPOLOGY_TABLE } from '../topologies/index.js';
import type { Topology } from '../topologies/types.js';
import { mapLimit } from '../util/pool.js';
import { emptyState, type StateDocument } from '../state/document.js';
import { StateSession } from '../state/store.js';
import { handlerFor, type Deployment } from './deployment.js';
import { withLock } from './with-lock.js';
import { runActions, throwIfIncomplete, type Hooks, type RunOptions } from './run-plan.js';

export interface DestroyOptions extends RunOptions {
  autoApprove: boolean;
  /** Disable load balancer deletion protection without asking. */
  force: boolean;
  lockTimeoutMs: number;
  /** Whether a person can answer questions (TTY). */
  interactive: boolean;
}

export interface DestroyResult {
  deleted: number;
  /** Leftovers (tagged with the deployment, not in state) that were deleted with the rest. */
  swept: string[];
  /** True when there was nothing to destroy (nothing was asked or deleted). */
  nothingToDestroy?: boolean;
}

/**
 * Deletes everything the destroy plan shows, in reverse dependency order: what state records and what is
 * tagged with the deployment without being in state (leftovers of an interrupted run, looked up and shown
 * before the confirmation). Every resource's tags are checked on the client before it is deleted. Then the
 * token parameter if apply created it (state says so, or its deployment tag), and the state last.
 */
export async function destroyDeployment(deployment: Deployment, options: DestroyOptions, hooks: Hooks): Promise<DestroyResult> {
  return withLock(deployment.lock, 'destroy', options.lockTimeoutMs, async () => {
    const stored = await deployment.store.load();
    const state = stored ?? emptyState(deployment.name);
    const plan = await destroyPlan(deployment, state);
    const tokenParameter = deployment.loaded.config.wallarm.tokenParameter;
    // A lost state forgets that apply created the token parameter: its tag still says so.
    const ownsToken = state.ownsTokenParameter === true || (await parameterIsOurs(deployment.aws, tokenParameter, deployment.name));
    if (plan.actions.length === 0 && !ownsToken) {
      if (stored) await deployment.store.remove();
      hooks.info(
        `Nothing to destroy: deployment "${deployment.name}" has no resources in state and none tagged ${TAG_DEPLOYMENT}=${deployment.name} in ${plan.region || 'this region'}${stored ? ' (its empty state was removed)' : ''}.`,
      );
      return { deleted: 0, swept: [], nothingToDestroy: true };
    }
    plan.notes.push(
      ownsToken
        ? `The node token parameter ${tokenParameter} will be deleted: apply created it from WALLARM_NODE_TOKEN.`
        : `The node token parameter ${tokenParameter} is kept: wallarm-oob did not create it.`,
    );
    hooks.showPlan(plan);
    if (!options.autoApprove && !(await hooks.confirm(`Destroy every resource of deployment "${deployment.name}"? This cannot be undone.`))) {
      throw new AbortedError('DECLINED', 'Destroy cancelled: nothing was deleted.');
    }
    const session = new StateSession(state, deployment.store);
    await beforeDeletes(deployment, plan.actions.filter((a): a is DeleteAction => a.action === 'delete'), session, options, hooks);
    const result = await runActions(deployment, plan, session, options, hooks);
    await session.flush();
    throwIfIncomplete(result, 'destroy');
    const swept = plan.actions.filter((a) => a.leftover).map((a) => `${a.kind} ${a.physicalId}`);
    await verifyNothingLeft(deployment, state, hooks);
    const topology = (TOPOLOGY_TABLE as Partial<Record<string, Topology>>)[state.topology ?? deployment.loaded.config.topology];
    for (const message of (await topology?.afterDestroy?.(deployment.aws, deployment.name)) ?? []) hooks.info(message);
    if (ownsToken) {
      await deleteParameter(deployment.aws, tokenParameter);
      hooks.info(`Deleted the node token parameter ${tokenParameter} (apply had created it).`);
    }
    await deployment.store.remove();
    return { deleted: plan.actions.length, swept };
  });
}

/** Kinds a deployment of this topology can have, in the order leftovers are deleted (users before what they use). */
function kindsOf(topology: string): ResourceKind[] {
  // State may name a topology this version does not know: then every kind is looked at.
  const kinds = (TOPOLOGY_TABLE as Partial<Record<string, Topology>>)[topology]?.kinds;
  return SWEEP_ORDER.filter((k) => !kinds || kinds.includes(k));
}

async function destroyPlan(deployment: Deployment, state: StateDocument): Promise<Plan> {
  const topology = state.topology ?? deployment.loaded.config.topology;
  const actions = destroyActions(state);
  await checkStateOwnership(deployment, state, actions);
  actions.push(...(await findLeftovers(deployment, state, kindsOf(topology))));
  orderLeftovers(actions);
  return {
    format: 1,
    deployment: deployment.name,
    topology,
    region: state.region ?? deployment.loaded.config.region ?? '',
    stateSerial: state.serial,
    createdAt: new Date().toISOString(),
    offline: false,
    destroy: true,
    graph: { nodes: [], outputs: {} },
    actions,
    notes: [],
    outputs: state.outputs,
  };
}

/** Reads what state points at before anything is asked: a resource that is not this deployment's stops the destroy here. */
async function checkStateOwnership(deployment: Deployment, state: StateDocument, actions: DeleteAction[]): Promise<void> {
  await mapLimit(actions, 10, async (action) => {
    const handler = await handlerFor(action.kind);
    const ctx = deployment.context(action.id, () => undefined, { lineage: state.lineage, waitForCapacity: false });
    const live = await handler.read(ctx, action.physicalId);
    if (!live) {
      action.reasons = ['already deleted outside wallarm-oob: only its state entry is removed'];
      return;
    }
    const tags = handler.ownerTags ? await handler.ownerTags(ctx, live) : (live.props.tags as Record<string, string> | undefined);
    verifyOwnership(deployment.name, { kind: action.kind, logicalId: action.id, physicalId: action.physicalId, tags, checkLogicalId: !handler.ownerTags }, 'delete', action.orphan ? 'an orphan entry of state' : 'state');
  });
}

/** Everything tagged with the deployment (checked on the client) that state does not know. */
async function findLeftovers(deployment: Deployment, state: StateDocument, kinds: ResourceKind[]): Promise<DeleteAction[]> {
  // Keyed by kind too: a role and its instance profile share one name.
  const known = new Set([...Object.values(state.resources), ...state.orphans].map((r) => `${r.kind} ${r.id}`));
  const found: DeleteAction[] = [];
  for (const kind of kinds) {
    const handler = await handlerFor(kind);
    const ctx = deployment.context('leftovers', () => undefined, { lineage: state.lineage, waitForCapacity: false });
    for (const item of await handler.list(ctx)) {
      if (known.has(`${kind} ${item.physicalId}`)) continue;
      known.add(`${kind} ${item.physicalId}`);
      found.push({
        id: item.logicalId ?? `${kind} (untracked)`,
        kind,
        action: 'delete',
        physicalId: item.physicalId,
        leftover: true,
        reasons: ['left by an interrupted run'],
        changes: [],
      });
    }
  }
  return found;
}

/**
 * A leftover has no recorded dependencies: it waits for the deletes of every kind that may use it (earlier
 * in SWEEP_ORDER), and deletes of kinds it may use wait for it. So an Auto Scaling group left outside
 * state is deleted before the target group it is attached to.
 */
function orderLeftovers(actions: DeleteAction[]): void {
  const rank = (a: DeleteAction) => SWEEP_ORDER.indexOf(a.kind);
  for (const leftover of actions.filter((a) => a.leftover)) {
    leftover.dependsOn = [...new Set(actions.filter((a) => a !== leftover && rank(a) > rank(leftover)).map((a) => a.id))];
  }
}

/** Each handler's beforeDelete hook (a load balancer's deletion protection: lifted only with --force or a yes). */
async function beforeDeletes(deployment: Deployment, actions: DeleteAction[], session: StateSession, options: DestroyOptions, hooks: Hooks): Promise<void> {
  const guard: DeleteGuard = {
    force: options.force,
    confirm: async (question) => options.interactive && (await hooks.confirm(question)),
    info: (message) => hooks.info(message),
  };
  for (const action of actions) {
    const handler = await handlerFor(action.kind);
    if (!handler.beforeDelete) continue;
    const ctx = deployment.context(action.id, () => undefined, { lineage: session.doc.lineage, waitForCapacity: false });
    await handler.beforeDelete(ctx, action.physicalId, guard);
  }
}

/**
 * After the deletes, nothing tagged with the deployment may remain. Something found now was created after
 * the plan was shown (another run?): it is reported, never deleted unseen, and the state is kept.
 */
async function verifyNothingLeft(deployment: Deployment, state: StateDocument, hooks: Hooks): Promise<void> {
  const remaining: string[] = [];
  for (const kind of kindsOf(state.topology ?? deployment.loaded.config.topology)) {
    const handler = await handlerFor(kind);
    const ctx = deployment.context('leftovers', () => undefined, { lineage: state.lineage, waitForCapacity: false });
    for (const item of await handler.list(ctx)) {
      // A listing may lag a delete that already completed: only what still reads as existing counts.
      if (await handler.read(ctx, item.physicalId)) remaining.push(`${kind} ${item.physicalId} (${item.logicalId ?? 'untracked'})`);
    }
  }
  if (remaining.length === 0) return;
  hooks.warn(`Found after the deletes, not in the destroy plan: ${remaining.join(', ')}.`);
  throw new WallarmOobError('DESTROY_INCOMPLETE', `Resources tagged ${TAG_DEPLOYMENT}=${deployment.name} appeared while destroy ran and were not deleted:\n  ${remaining.join('\n  ')}`, {
    actions: ['Make sure no other apply runs for this deployment, then run `wallarm-oob destroy` again: it shows them and deletes them. The state parameter is kept until they are gone.'],
  });
}
