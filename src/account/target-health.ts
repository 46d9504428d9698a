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

/** Counts the target group's targets per health state. */
export async function targetHealth(aws: AwsClients, targetGroupArn: string): Promise<TargetHealthSummary | undefined> {
  const elb = await aws.elbv2();
  const out = await unlessNotFound(elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })), TARGET_GROUP_NOT_FOUND);
  if (!out) return undefined;
  const states: Record<string, number> = {};
  for (const t of out.TargetHealthDescriptions ?? []) {
    const state = t.TargetHealth?.State ?? 'unknown';
    states[state] = (states[state] ?? 0) + 1;
  }
  return { total: out.TargetHealthDescriptions?.length ?? 0, healthy: states.healthy ?? 0, states };
}
