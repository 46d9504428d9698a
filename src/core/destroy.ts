import { destroyActions } from '../engine/diff.js';
import type { Plan, PlannedAction } from '../engine/plan.js';
import type { ResourceKind } from '../engine/types.js';
import { AbortedError, WallarmOobError } from '../errors.js';
import { awsMessage } from '../aws/errors.js';
import { disableDeletionProtection } from '../resources/load-balancer.js';
import type { Tagged } from '../resources/types.js';
import { emptyState, type StateDocument } from '../state/document.js';
import { StateSession } from '../state/store.js';
import { handlerFor, type Deployment } from './deployment.js';
import { withLock } from './with-lock.js';
import { runActions, throwIfIncomplete, type Hooks, type RunOptions } from './run-plan.js';
import { deleteNodeToken } from './token.js';

export interface DestroyOptions extends RunOptions {
  autoApprove: boolean;
  /** Disable load balancer deletion protection without asking. */
  force: boolean;
  lockTimeoutMs: number;
  /** Whether a person can answer questions (TTY). */
  interactive: boolean;
}

/** Kinds in the order the final sweep deletes them: users of a resource before the resource. */
export const SWEEP_ORDER: ResourceKind[] = [
  // The follower first: nothing may re-create a session while the sessions are deleted.
  'event-rule',
  'lambda-function',
  'log-group',
  'traffic-mirror-session',
  'traffic-mirror-target',
  'traffic-mirror-filter',
  'scaling-policy',
  'auto-scaling-group',
  'listener',
  'load-balancer',
  'target-group',
  'launch-template',
  'security-group',
  'iam-instance-profile',
  'iam-role',
];

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
    await allowLoadBalancerDeletion(deployment, plan.actions, session, options, hooks);
    const result = await runActions(deployment, plan, session, options, hooks);
    await session.flush();
    throwIfIncomplete(result, 'destroy');
    const swept = await sweep(deployment, session, hooks);
    if ((state.topology ?? deployment.loaded.config.topology) === 'vpc-mirror') {
      const { deleteLastRun } = await import('../topologies/vpc-mirror/follower/last-run.js');
      if (await deleteLastRun(deployment.aws, deployment.name)) hooks.info("Deleted the follower's last-run parameter.");
    }
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

/** Deletion protection is turned off only with --force or the person's explicit yes. */
async function allowLoadBalancerDeletion(deployment: Deployment, actions: PlannedAction[], session: StateSession, options: DestroyOptions, hooks: Hooks): Promise<void> {
  for (const action of actions.filter((a) => a.kind === 'load-balancer')) {
    const handler = await handlerFor('load-balancer');
    const ctx = deployment.context(action.id, () => undefined, { lineage: session.doc.lineage, waitForCapacity: false });
    const live = await handler.read(ctx, action.physicalId!);
    const attributes = live?.props.attributes as Record<string, string> | undefined;
    if (attributes?.['deletion_protection.enabled'] !== 'true') continue;
    const allowed =
      options.force ||
      (options.interactive && (await hooks.confirm(`Load balancer ${action.physicalId} has deletion protection on. Turn it off and delete it?`)));
    if (!allowed) {
      throw new AbortedError('DELETION_PROTECTED', `Load balancer ${action.physicalId} (${action.id}) has deletion protection enabled; nothing was deleted.`, {
        actions: ['Run destroy again with --force to turn deletion protection off, or answer yes when asked.'],
      });
    }
    await disableDeletionProtection(ctx, action.physicalId!);
    hooks.info(`Turned off deletion protection of ${action.physicalId}.`);
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
