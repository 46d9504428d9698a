import { destroyActions } from '../engine/diff.js';
import type { DeleteGuard, Tagged } from '../engine/handler.js';
import type { DeleteAction, Plan } from '../engine/plan.js';
import { AbortedError, WallarmOobError } from '../errors.js';
import { awsMessage } from '../aws/errors.js';
import { SWEEP_ORDER } from '../resources/registry.js';
import { emptyState, type StateDocument } from '../state/document.js';
import { StateSession } from '../state/store.js';
import { handlerFor, type Deployment } from './deployment.js';
import { withLock } from './with-lock.js';
import { runActions, throwIfIncomplete, type Hooks, type RunOptions } from './run-plan.js';
import { deleteNodeToken } from '../account/token-parameter.js';

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
  swept: string[];
}

/**
 * Deletes everything in state in reverse dependency order, sweeps for anything still tagged with the
 * deployment (leftovers of a crash), deletes the token parameter if apply created it, and the state last.
 */
export async function destroyDeployment(deployment: Deployment, options: DestroyOptions, hooks: Hooks): Promise<DestroyResult> {
  return withLock(deployment.lock, 'destroy', options.lockTimeoutMs, async () => {
    const state = (await deployment.store.load()) ?? emptyState(deployment.name);
    const plan = destroyPlan(deployment, state);
    hooks.showPlan(plan);
    if (!options.autoApprove && !(await hooks.confirm(`Destroy every resource of deployment "${deployment.name}"? This cannot be undone.`))) {
      throw new AbortedError('DECLINED', 'Destroy cancelled: nothing was deleted.');
    }
    const session = new StateSession(state, deployment.store);
    await beforeDeletes(deployment, plan.actions.filter((a): a is DeleteAction => a.action === 'delete'), session, options, hooks);
    const result = await runActions(deployment, plan, session, options, hooks);
    await session.flush();
    throwIfIncomplete(result, 'destroy');
    const swept = await sweep(deployment, session, hooks);
    if (state.ownsTokenParameter) {
      await deleteNodeToken(deployment.aws, deployment.loaded.config.wallarm.tokenParameter);
      hooks.info(`Deleted the node token parameter ${deployment.loaded.config.wallarm.tokenParameter} (apply had created it).`);
    }
    await deployment.store.remove();
    return { deleted: plan.actions.length, swept };
  });
}

function destroyPlan(deployment: Deployment, state: StateDocument): Plan {
  return {
    format: 1,
    deployment: deployment.name,
    topology: state.topology ?? deployment.loaded.config.topology,
    region: state.region ?? deployment.loaded.config.region ?? '',
    stateSerial: state.serial,
    createdAt: new Date().toISOString(),
    offline: false,
    destroy: true,
    graph: { nodes: [], outputs: {} },
    actions: destroyActions(state),
    notes: [],
    outputs: state.outputs,
  };
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

/** Deletes whatever is still tagged with the deployment; fails listing what it could not delete. */
async function sweep(deployment: Deployment, session: StateSession, hooks: Hooks): Promise<string[]> {
  const swept: string[] = [];
  const failed: string[] = [];
  for (const kind of SWEEP_ORDER) {
    const handler = await handlerFor(kind).catch(() => undefined);
    if (!handler) continue;
    const ctx = deployment.context('sweep', () => undefined, { lineage: session.doc.lineage, waitForCapacity: false });
    let leftovers: Tagged[];
    try {
      leftovers = await handler.list(ctx);
    } catch (error) {
      failed.push(`${kind}: could not list (${awsMessage(error)})`);
      continue;
    }
    for (const item of leftovers) {
      try {
        await handler.delete(ctx, item.physicalId);
        swept.push(`${kind} ${item.physicalId}`);
        hooks.info(`Swept ${kind} ${item.physicalId} (${item.logicalId ?? 'untracked'}), left by an interrupted run.`);
      } catch (error) {
        failed.push(`${kind} ${item.physicalId}: ${awsMessage(error)}`);
      }
    }
  }
  if (failed.length > 0) {
    throw new WallarmOobError('SWEEP_INCOMPLETE', `Some resources tagged wallarm-oob:deployment=${deployment.name} could not be deleted:\n  ${failed.join('\n  ')}`, {
      actions: ['Run `wallarm-oob destroy` again, or delete them in the AWS console. The state parameter is kept until they are gone.'],
    });
  }
  return swept;
}
