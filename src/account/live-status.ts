/**
 * Live reads behind `status` (src/core/status-report.ts): a load balancer's state, an Auto Scaling group's
 * capacity, failed scaling activities and newest instance refresh, whether a traffic mirror target exists.
 */
import { DescribeAutoScalingGroupsCommand, DescribeInstanceRefreshesCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeTrafficMirrorTargetsCommand } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsClients } from '../aws/clients.js';
import { unlessNotFound } from '../aws/errors.js';
import { failedScalingActivities, type FailedActivity } from '../resources/launch-failures.js';
import { REGISTRY } from '../resources/registry.js';
import { optionalRead } from '../resources/util.js';
import { anyResource, type IamGrants } from '../iam/grants.js';

/** The live reads behind `status` (describes: no resource-level scoping). */
export const iam: IamGrants = [
  anyResource('elasticloadbalancing:DescribeLoadBalancers', 'autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeInstanceRefreshes'),
];

const LOAD_BALANCER_NOT_FOUND: ReadonlySet<string> = new Set(REGISTRY['load-balancer'].notFoundCodes);

/** Refresh states that mean "still rolling" and "did not finish" (DescribeInstanceRefreshes Status). */
export const REFRESH_ACTIVE: ReadonlySet<string> = new Set(['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking']);
export const REFRESH_FAILED: ReadonlySet<string> = new Set(['Failed', 'RollbackFailed']);

export interface LoadBalancerStatus {
  logicalId: string;
  arn: string;
  name?: string;
  type?: string;
  /** active | provisioning | active_impaired | failed; `missing` when it no longer exists. */
  state: string;
  reason?: string;
}

/** An instance refresh in progress or one that failed (the newest one of the group). */
export interface InstanceRefreshStatus {
  id: string;
  status: string;
  statusReason?: string;
  percentageComplete?: number;
  startTime?: string;
}

export interface AutoScalingGroupStatus {
  logicalId: string;
  name: string;
  exists: boolean;
  desired?: number;
  inService?: number;
  /** Instances Auto Scaling marks Unhealthy. */
  unhealthy?: string[];
  /** The last failed scaling activities, newest first. */
  failedActivities: FailedActivity[];
  /** The newest launch failed: the group cannot reach its capacity now. */
  launchFailing: boolean;
  instanceRefresh?: InstanceRefreshStatus;
}

export async function loadBalancerState(aws: AwsClients, logicalId: string, arn: string): Promise<LoadBalancerStatus> {
  const elb = await aws.elbv2();
  const out = await unlessNotFound(elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] })), LOAD_BALANCER_NOT_FOUND);
  const found = out?.LoadBalancers?.[0];
  if (!found) return { logicalId, arn, state: 'missing' };
  return {
    logicalId,
    arn,
    ...(found.LoadBalancerName && { name: found.LoadBalancerName }),
    ...(found.Type && { type: found.Type }),
    state: found.State?.Code ?? 'unknown',
    ...(found.State?.Reason && { reason: found.State.Reason }),
  };
}

/** `warn` receives what the endpoint could not tell (an optional read it does not implement). */
export async function groupState(aws: AwsClients, logicalId: string, name: string, warn: (message: string) => void): Promise<AutoScalingGroupStatus> {
  const asg = await aws.autoscaling();
  const out = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  const group = out.AutoScalingGroups?.find((x) => x.AutoScalingGroupName === name);
  if (!group || group.Status === 'Delete in progress') return { logicalId, name, exists: false, failedActivities: [], launchFailing: false };
  const instances = group.Instances ?? [];
  const activities = await failedScalingActivities(asg, name);
  const reader = { log: () => undefined, warn };
  const newest = await optionalRead(reader, 'DescribeInstanceRefreshes', 'status does not show instance refreshes', async () => (await asg.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: name, MaxRecords: 1 }))).InstanceRefreshes?.[0], undefined);
  const refresh: InstanceRefreshStatus | undefined =
    newest?.Status && (REFRESH_ACTIVE.has(newest.Status) || REFRESH_FAILED.has(newest.Status))
      ? {
          id: newest.InstanceRefreshId ?? '',
          status: newest.Status,
          ...(newest.StatusReason && { statusReason: newest.StatusReason }),
          ...(newest.PercentageComplete !== undefined && { percentageComplete: newest.PercentageComplete }),
          ...(newest.StartTime && { startTime: newest.StartTime.toISOString() }),
        }
      : undefined;
  return {
    logicalId,
    name,
    exists: true,
    desired: group.DesiredCapacity ?? 0,
    inService: instances.filter((i) => i.LifecycleState === 'InService').length,
    unhealthy: instances.filter((i) => i.HealthStatus === 'Unhealthy').map((i) => i.InstanceId ?? '').sort(),
    failedActivities: activities.failed,
    launchFailing: activities.launchFailing,
    ...(refresh && { instanceRefresh: refresh }),
  };
}

/** Whether the traffic mirror target exists (by filter: a target that is gone is an empty answer, not an error). */
export async function mirrorTargetExists(aws: AwsClients, targetId: string): Promise<boolean> {
  const ec2 = await aws.ec2();
  const out = await ec2.send(new DescribeTrafficMirrorTargetsCommand({ Filters: [{ Name: 'traffic-mirror-target-id', Values: [targetId] }] }));
  return (out.TrafficMirrorTargets ?? []).length > 0;
}
