/**
 * Real-shaped EventBridge events (EventBridge event reference: "Amazon EC2 Auto Scaling events" and
 * "Amazon EC2 events"), as the follower's rules deliver them to the function.
 */
const base = (source: string, detailType: string, region: string, account: string, resources: string[]) => ({
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': detailType,
  source,
  account,
  time: '2026-11-30T04:00:00Z',
  region,
  resources,
});

export function asgLaunchEvent(group: string, instanceId: string, region = 'eu-west-1', account = '123456789012') {
  return {
    ...base('aws.autoscaling', 'EC2 Instance Launch Successful', region, account, [
      `arn:aws:autoscaling:${region}:${account}:autoScalingGroup:6f9e6d2c-2b7a-4b6e-9e0f-0c7d1a2b3c4d:autoScalingGroupName/${group}`,
      `arn:aws:ec2:${region}:${account}:instance/${instanceId}`,
    ]),
    detail: {
      StatusCode: 'InProgress',
      Description: `Launching a new EC2 instance: ${instanceId}`,
      AutoScalingGroupName: group,
      ActivityId: '87654321-4321-4321-4321-210987654321',
      Details: { 'Availability Zone': `${region}a`, 'Subnet ID': 'subnet-12345678' },
      RequestId: '12345678-1234-1234-1234-123456789012',
      StatusMessage: '',
      EndTime: '2026-11-30T04:00:00Z',
      EC2InstanceId: instanceId,
      StartTime: '2026-11-30T03:59:30Z',
      Cause: `At 2026-11-30T03:59:25Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 2 to 3.`,
    },
  };
}

export function asgTerminateEvent(group: string, instanceId: string, region = 'eu-west-1', account = '123456789012') {
  const e = asgLaunchEvent(group, instanceId, region, account);
  return { ...e, 'detail-type': 'EC2 Instance Terminate Successful', detail: { ...e.detail, Description: `Terminating EC2 instance: ${instanceId}` } };
}

export function ec2RunningEvent(instanceId: string, region = 'eu-west-1', account = '123456789012') {
  return {
    ...base('aws.ec2', 'EC2 Instance State-change Notification', region, account, [`arn:aws:ec2:${region}:${account}:instance/${instanceId}`]),
    detail: { 'instance-id': instanceId, state: 'running' },
  };
}

export function scheduledEvent(ruleArn: string, region = 'eu-west-1', account = '123456789012') {
  return { ...base('aws.events', 'Scheduled Event', region, account, [ruleArn]), detail: {} };
}
