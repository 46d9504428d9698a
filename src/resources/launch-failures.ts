import { DescribeScalingActivitiesCommand, type Activity, type AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { AwsError } from '../errors.js';
import { anyResource, type IamGrants } from '../iam/grants.js';

/**
 * Failed launches an Auto Scaling group reports in its scaling activities (DescribeScalingActivities:
 * StatusCode `Failed`, StatusMessage = EC2's reason), turned into an error that stops a wait at once: AWS will
 * keep retrying, but none of these heal by waiting.
 */

/** IAM permissions of the look-up below (it supports no resource-level permissions). */
export const iam: IamGrants = [anyResource('autoscaling:DescribeScalingActivities')];

/** AWS Marketplace page of the Wallarm NGINX node AMI (docs.wallarm.com/installation/inline/compute-instances/aws/aws-ami/). */
export const NODE_MARKETPLACE_PAGE = 'https://aws.amazon.com/marketplace/pp/prodview-5rl4dgi4wvbfe';
/** A new instance profile can take this long to be usable by EC2 (IAM eventual consistency): failures naming it are retried. */
export const PROFILE_PROPAGATION_MS = 2 * 60_000;

interface Rule {
  kind: string;
  test: RegExp;
  actions: (group: string) => string[];
  /** Only a failure once the wait has run this long (the cause heals by itself at first). */
  afterMs?: number;
}

const RULES: Rule[] = [
  {
    kind: 'the AWS Marketplace subscription is missing (OptInRequired)',
    test: /OptInRequired|accept terms and subscribe/i,
    actions: () => [
      `Subscribe this AWS account to the Wallarm NGINX node: open ${NODE_MARKETPLACE_PAGE}, choose "Continue to Subscribe" and accept the terms, then run apply again.`,
    ],
  },
  {
    kind: 'EC2 has no capacity for the instance type (InsufficientInstanceCapacity)',
    test: /InsufficientInstanceCapacity|do not have sufficient .* capacity/i,
    actions: () => ['Choose another nodes.instanceType, or add subnets of other Availability Zones to subnets.instances, then run apply again (or retry later).'],
  },
  {
    kind: 'the instance type is not offered in an Availability Zone of the group',
    test: /instance type \(.*\) is not supported in your requested Availability Zone|Unsupported.*instance type/i,
    actions: () => [
      'Choose an instance type offered in every Availability Zone of subnets.instances (aws ec2 describe-instance-type-offerings --location-type availability-zone --filters Name=instance-type,Values=<type>), or remove the subnets of that zone.',
    ],
  },
  {
    kind: 'the key pair does not exist',
    test: /key pair .* does not exist|InvalidKeyPair/i,
    actions: () => ['Create or import the key pair in this region (aws ec2 describe-key-pairs), or fix or remove nodes.keyName, then run apply again.'],
  },
  {
    kind: 'the instance profile is not usable',
    test: /Invalid IAM Instance Profile|iamInstanceProfile/i,
    afterMs: PROFILE_PROPAGATION_MS,
    actions: () => ['Check the node instance profile exists with its role (aws iam get-instance-profile), then run apply again.'],
  },
];

/** A failed scaling activity as `status` shows it. */
export interface FailedActivity {
  activityId: string;
  /** ISO time the activity started. */
  startTime?: string;
  description: string;
  /** EC2's reason (StatusMessage). */
  statusMessage?: string;
  /** What usually causes it and how to fix it, when the reason is a known one. */
  kind?: string;
  actions?: string[];
}

export interface ScalingActivityReport {
  /** The newest failed activities among the group's last `scanned` ones, newest first (at most `limit`). */
  failed: FailedActivity[];
  /** The group's newest launch failed: the group cannot reach its capacity now. */
  launchFailing: boolean;
}

const isLaunch = (a: Activity) => /^Launching a new EC2 instance/.test(a.Description ?? '');

/** The group's last failed scaling activities (DescribeScalingActivities, newest first), explained where the reason is known. */
export async function failedScalingActivities(asg: AutoScalingClient, group: string, limit = 3): Promise<ScalingActivityReport> {
  const out = await asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: group, MaxRecords: 20 }));
  const activities = out.Activities ?? [];
  const failed = activities
    .filter((a) => a.StatusCode === 'Failed')
    .slice(0, limit)
    .map((a): FailedActivity => {
      const message = (a.StatusMessage ?? '').trim();
      const rule = RULES.find((r) => r.test.test(message || (a.Description ?? '')));
      return {
        activityId: a.ActivityId ?? '',
        ...(a.StartTime && { startTime: a.StartTime.toISOString() }),
        description: (a.Description ?? '').replace(/\s+/g, ' ').trim(),
        ...(message && { statusMessage: message }),
        ...(rule && { kind: rule.kind, actions: rule.actions(group) }),
      };
    });
  return { failed, launchFailing: activities.find(isLaunch)?.StatusCode === 'Failed' };
}

/** The id of the group's newest activity: failures at or before it belong to an earlier run. */
export async function newestActivityId(asg: AutoScalingClient, group: string): Promise<string | undefined> {
  const out = await asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: group, MaxRecords: 1 }));
  return out.Activities?.[0]?.ActivityId;
}

/**
 * Throws when the group's newest launch since `after` (an activity id; undefined = any) failed for a reason that
 * waiting will not fix. `waitedMs` is how long the wait has run, for causes that heal by themselves at first.
 */
export async function throwOnLaunchFailure(asg: AutoScalingClient, group: string, logicalId: string, after: string | undefined, waitedMs: number): Promise<void> {
  const out = await asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: group, MaxRecords: 20 }));
  const recent: Activity[] = [];
  for (const a of out.Activities ?? []) {
    if (after !== undefined && a.ActivityId === after) break;
    recent.push(a);
  }
  // Newest first: the newest launch decides (a later success means the cause went away).
  const launch = recent.find(isLaunch);
  if (!launch || launch.StatusCode !== 'Failed') return;
  const message = (launch.StatusMessage ?? launch.Description ?? 'no reason given').trim();
  const rule = RULES.find((r) => r.test.test(message));
  if (rule?.afterMs !== undefined && waitedMs < rule.afterMs) return;
  throw new AwsError(
    'AWS_LAUNCH_FAILED',
    `${logicalId}: Auto Scaling group ${group} cannot launch instances${rule ? `: ${rule.kind}` : ''}. AWS reported: ${message}`,
    {
      actions: [
        ...(rule?.actions(group) ?? ['Fix the cause AWS reports, then run apply again.']),
        `History: aws autoscaling describe-scaling-activities --auto-scaling-group-name ${group}`,
      ],
    },
  );
}
