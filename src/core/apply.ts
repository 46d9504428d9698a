import { hasChanges, type Plan } from '../engine/plan.js';
import { deploymentOutputs } from '../engine/outputs.js';
import type { Outputs } from '../engine/types.js';
import { AbortedError, StateError } from '../errors.js';
import { StateSession } from '../state/store.js';
import type { Deployment } from './deployment.js';
import { withLock } from './with-lock.js';
import { targetHealth, type TargetHealthSummary } from '../account/target-health.js';
import { planOnline } from './planning.js';
import { runActions, throwIfIncomplete, type Hooks, type RunOptions } from './run-plan.js';
import { storeNodeToken } from '../account/token-parameter.js';

export interface ApplyOptions extends RunOptions {
  autoApprove: boolean;
  lockTimeoutMs: number;
  /** A saved plan (`apply PLANFILE`); otherwise apply plans first. */
  savedPlan?: Plan;
}

export interface ApplyResult {
  plan: Plan;
  changed: boolean;
  outputs: Outputs;
  health?: TargetHealthSummary;
}

/** Plan (or take a saved plan), confirm, and execute it under the deployment lock. */
export async function applyDeployment(deployment: Deployment, options: ApplyOptions, hooks: Hooks): Promise<ApplyResult> {
  return withLock(deployment.lock, 'apply', options.lockTimeoutMs, async () => {
    const { plan, session } = await planUnderLock(deployment, options.savedPlan);
    hooks.showPlan(plan);
    const token = process.env.WALLARM_NODE_TOKEN;
    const changed = hasChanges(plan);
    if (changed && !options.autoApprove && !(await hooks.confirm('Apply these changes?'))) {
      throw new AbortedError('DECLINED', 'Apply cancelled: nothing was changed.');
    }
    if (token) {
      const written = await storeNodeToken(deployment.aws, deployment.loaded.config.wallarm.tokenParameter, token, deployment.tags);
      if (written !== 'unchanged') hooks.info(`Node token ${written} in SSM parameter ${deployment.loaded.config.wallarm.tokenParameter} (SecureString).`);
      if (written === 'created') await session.commit((doc) => void (doc.ownsTokenParameter = true));
    }
    if (changed) {
      await session.commit((doc) => {
        doc.topology = plan.topology;
        doc.region = plan.region;
      });
      const result = await runActions(deployment, plan, session, options, hooks);
      await saveOutputs(plan, session);
      throwIfIncomplete(result, 'apply');
    }
    const outputs = deploymentOutputs(plan.graph, (id) => session.doc.resources[id]?.outputs);
    const tg = outputs.targetGroupArn;
    const health = typeof tg === 'string' ? await targetHealth(deployment.aws, tg) : undefined;
    return { plan, changed, outputs, health };
  });
}

async function planUnderLock(deployment: Deployment, saved: Plan | undefined): Promise<{ plan: Plan; session: StateSession }> {
  if (!saved) {
    const { plan, state } = await planOnline(deployment);
    return { plan, session: new StateSession(state, deployment.store) };
  }
  if (saved.offline) {
    throw new StateError('OFFLINE_PLAN', 'This plan was made with --offline and cannot be applied: it has no AMI, ids or state.', {
      actions: ['Make a plan against the account: wallarm-oob plan --out plan.json'],
    });
  }
  if (saved.deployment !== deployment.name) {
    throw new StateError('PLAN_OTHER_DEPLOYMENT', `This plan is for deployment "${saved.deployment}", but the configuration is for "${deployment.name}".`);
  }
  const state = await deployment.store.loadOrEmpty();
  if (state.serial !== saved.stateSerial) {
    throw new StateError('STALE_PLAN', `The saved plan was made from state serial ${saved.stateSerial}, but the state is now at serial ${state.serial}: something changed the deployment since.`, {
      actions: ['Make a new plan: wallarm-oob plan --out plan.json'],
    });
  }
  return { plan: saved, session: new StateSession(state, deployment.store) };
}

async function saveOutputs(plan: Plan, session: StateSession): Promise<void> {
  const outputs = deploymentOutputs(plan.graph, (id) => session.doc.resources[id]?.outputs);
  await session.commit((doc) => void (doc.outputs = outputs));
  await session.flush();
}

