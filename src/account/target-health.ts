import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsClients } from '../aws/clients.js';
import { unlessNotFound } from '../aws/errors.js';
import { REGISTRY } from '../resources/registry.js';

const TARGET_GROUP_NOT_FOUND: ReadonlySet<string> = new Set(REGISTRY['target-group'].notFoundCodes);
import { anyResource, type IamGrants } from '../iam/grants.js';

/** IAM permissions of the target health read. */
export const iam: IamGrants = [anyResource('elasticloadbalancing:DescribeTargetHealth')];

export interface TargetHealthSummary {
  total: number;
  healthy: number;
  states: Record<string, number>;
}

/** One registered target as DescribeTargetHealth reports it: AWS's state, reason code and description. */
export interface TargetDetail {
  id: string;
  port?: number;
  availabilityZone?: string;
  /** initial | healthy | unhealthy | unused | draining | unavailable (TargetHealthStateEnum). */
  state: string;
  /** AWS's reason code, e.g. Target.FailedHealthChecks, Elb.InitialHealthChecking (absent when healthy). */
  reason?: string;
  description?: string;
}

/** Every target of the group with its health; undefined when the target group does not exist. */
export async function describeTargets(aws: AwsClients, targetGroupArn: string): Promise<TargetDetail[] | undefined> {
  const elb = await aws.elbv2();
  const out = await unlessNotFound(elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })), TARGET_GROUP_NOT_FOUND);
  if (!out) return undefined;
  return (out.TargetHealthDescriptions ?? []).map((t) => ({
    id: t.Target?.Id ?? '',
    ...(t.Target?.Port !== undefined && { port: t.Target.Port }),
    ...(t.Target?.AvailabilityZone && { availabilityZone: t.Target.AvailabilityZone }),
    state: t.TargetHealth?.State ?? 'unknown',
    ...(t.TargetHealth?.Reason && { reason: t.TargetHealth.Reason }),
    ...(t.TargetHealth?.Description && { description: t.TargetHealth.Description }),
  }));
}

export function summarizeTargets(targets: readonly TargetDetail[]): TargetHealthSummary {
  const states: Record<string, number> = {};
  for (const t of targets) states[t.state] = (states[t.state] ?? 0) + 1;
  return { total: targets.length, healthy: states.healthy ?? 0, states };
}

/** Counts the target group's targets per health state. */
export async function targetHealth(aws: AwsClients, targetGroupArn: string): Promise<TargetHealthSummary | undefined> {
  const targets = await describeTargets(aws, targetGroupArn);
  return targets && summarizeTargets(targets);
}
