import { targetHealth, type TargetHealthSummary } from '../account/target-health.js';
import type { Outputs } from '../engine/types.js';
import { StateError } from '../errors.js';
import { topologyOf } from '../topologies/index.js';
import type { MirrorStatus } from '../topologies/types.js';
import type { Deployment } from './deployment.js';

export interface DeploymentStatus {
  outputs: Outputs;
  /** The target group's health, when the deployment has one. */
  health?: TargetHealthSummary;
  /** What the topology reports besides (vpc-mirror: the receiver and the live sessions). */
  mirror?: MirrorStatus;
}

/** `output`: the live deployment's outputs, its target health, and the topology's status. Read-only. */
export async function deploymentStatus(deployment: Deployment): Promise<DeploymentStatus> {
  const state = await deployment.store.load();
  if (!state || Object.keys(state.outputs).length === 0) {
    throw new StateError('NOT_DEPLOYED', `Deployment "${deployment.name}" has no outputs: it has not been applied in this account and region.`, {
      actions: ['Run `wallarm-oob apply` first, or check --region / --profile.'],
    });
  }
  const tg = state.outputs.targetGroupArn;
  const health = typeof tg === 'string' ? await targetHealth(deployment.aws, tg) : undefined;
  const mirror = await topologyOf(deployment.loaded.config).status?.(deployment.loaded, deployment.aws, state.outputs);
  return { outputs: state.outputs, health, mirror };
}
