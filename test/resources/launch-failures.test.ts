import type { Activity, AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../src/errors.js';
import { PROFILE_PROPAGATION_MS, throwOnLaunchFailure } from '../../src/resources/launch-failures.js';

/** A client answering DescribeScalingActivities with these activities (newest first, as AWS). */
function client(activities: Activity[]): AutoScalingClient {
  return { send: async () => ({ Activities: activities }) } as unknown as AutoScalingClient;
}
const failed = (id: string, message: string): Activity => ({
  ActivityId: id,
  AutoScalingGroupName: 'g',
  Description: `Launching a new EC2 instance.  Status Reason: ${message}`,
  Cause: 'At 2026-11-30T00:00:00Z an instance was started in response to a difference between desired and actual capacity.',
  StartTime: new Date(),
  StatusCode: 'Failed',
  StatusMessage: message,
});
const launched = (id: string): Activity => ({ ...failed(id, ''), Description: 'Launching a new EC2 instance: i-0123', StatusCode: 'Successful', StatusMessage: undefined });
const terminated = (id: string): Activity => ({ ...launched(id), Description: 'Terminating EC2 instance: i-0456' });

const PROFILE = 'Value (arn:aws:iam::1:instance-profile/p) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name. Launching EC2 instance failed.';
const KEY = "The key pair 'ops' does not exist. Launching EC2 instance failed.";

describe('throwOnLaunchFailure', () => {
  it('reports the newest launch when it failed, and ignores it once a later launch succeeded', async () => {
    await expect(throwOnLaunchFailure(client([terminated('3'), failed('2', KEY), launched('1')]), 'g', 'node-asg', undefined, 0)).rejects.toThrow(AwsError);
    await expect(throwOnLaunchFailure(client([launched('3'), failed('2', KEY)]), 'g', 'node-asg', undefined, 0)).resolves.toBeUndefined();
  });

  it('ignores failures at or before the baseline activity (an earlier run)', async () => {
    await expect(throwOnLaunchFailure(client([terminated('3'), failed('2', KEY)]), 'g', 'node-asg', '3', 0)).resolves.toBeUndefined();
    await expect(throwOnLaunchFailure(client([failed('4', KEY), failed('2', KEY)]), 'g', 'node-asg', '2', 0)).rejects.toThrow(/key pair does not exist/);
  });

  it('waits out an instance profile failure for the IAM propagation window, then reports it', async () => {
    const activities = client([failed('1', PROFILE)]);
    await expect(throwOnLaunchFailure(activities, 'g', 'node-asg', undefined, PROFILE_PROPAGATION_MS - 1)).resolves.toBeUndefined();
    await expect(throwOnLaunchFailure(activities, 'g', 'node-asg', undefined, PROFILE_PROPAGATION_MS)).rejects.toThrow(/instance profile is not usable\. AWS reported: Value/);
  });

  it('an unknown reason is still reported, with AWS message', async () => {
    await expect(throwOnLaunchFailure(client([failed('1', 'Something new. Launching EC2 instance failed.')]), 'g', 'node-asg', undefined, 0)).rejects.toThrow(
      'node-asg: Auto Scaling group g cannot launch instances. AWS reported: Something new. Launching EC2 instance failed.',
    );
  });
});
