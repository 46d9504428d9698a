import { afterEach, describe, expect, it } from 'vitest';
import { AwsError, WallarmOobError } from '../../src/errors.js';
import { NODE_MARKETPLACE_PAGE } from '../../src/resources/launch-failures.js';
import { world, type World } from './harness.js';

let w: World | undefined;
afterEach(() => w?.done());

/** Polls of the capacity wait: each reads the group's scaling activities once, before anything else. */
const activityReads = (v: World) => v.fake.callsTo('DescribeScalingActivities', { succeeded: true }).length;

/** The node-asg step's error, after checking the user sees its message and its advice in apply's error. */
async function applyError(v: World): Promise<AwsError> {
  const error = await v.apply().then(
    () => new Error('apply succeeded'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WallarmOobError);
  const step = (error as WallarmOobError).cause;
  expect(step).toBeInstanceOf(AwsError);
  expect((error as WallarmOobError).message).toContain((step as AwsError).message);
  expect((error as WallarmOobError).actions.slice(0, -1)).toEqual((step as AwsError).actions);
  return step as AwsError;
}

describe('a launch AWS reports as failed stops apply at once', () => {
  it('OptInRequired (no Marketplace subscription): AWS message and the product page to subscribe on, within one poll', async () => {
    w = await world();
    w.fake.failLaunches('OptInRequired');
    const error = await applyError(w);

    expect(error.code).toBe('AWS_LAUNCH_FAILED');
    expect(error.message).toMatch(/node-asg: Auto Scaling group wallarm-oob-shop-oob-nodes cannot launch instances: the AWS Marketplace subscription is missing \(OptInRequired\)/);
    expect(error.message).toContain('AWS reported: In order to use this AWS Marketplace product you need to accept terms and subscribe.');
    expect(error.actions[0]).toContain(NODE_MARKETPLACE_PAGE);
    expect(error.actions.join('\n')).toContain('describe-scaling-activities --auto-scaling-group-name wallarm-oob-shop-oob-nodes');
    // the first poll saw it: no health-wait timeout, no second poll
    expect(activityReads(w)).toBe(1);
    expect(error.message).not.toMatch(/Timed out/);

    // subscribed: the next apply converges
    w.fake.clearFaults();
    await w.apply();
    expect([...w.fake.autoscaling.groups.values()][0]!.instances.size).toBe(1);
  });

  it('InsufficientInstanceCapacity: the capacity message naming the zone, and what to change', async () => {
    w = await world();
    w.fake.failLaunches('InsufficientInstanceCapacity');
    const error = await applyError(w);
    expect(error.message).toMatch(/EC2 has no capacity for the instance type \(InsufficientInstanceCapacity\)\. AWS reported: We currently do not have sufficient t3\.medium capacity in the Availability Zone you requested \(eu-west-1[ab]\)/);
    expect(error.actions[0]).toMatch(/another nodes\.instanceType/);
    expect(activityReads(w)).toBe(1);
  });

  it('an instance type not offered in a zone of the group, and a key pair that does not exist', async () => {
    w = await world({ config: { nodes: { instanceType: 't3.medium' } } });
    w.fake.setInstanceTypeOffered('t3.medium', 'eu-west-1a', false);
    w.fake.setInstanceTypeOffered('t3.medium', 'eu-west-1b', false);
    const notOffered = await applyError(w);
    expect(notOffered.message).toMatch(/the instance type is not offered in an Availability Zone of the group\. AWS reported: Your requested instance type \(t3\.medium\) is not supported in your requested Availability Zone/);

    w.done();
    w = await world({ config: { nodes: { keyName: 'ops-key' } } });
    const noKey = await applyError(w);
    expect(noKey.message).toMatch(/the key pair does not exist\. AWS reported: The key pair 'ops-key' does not exist\. Launching EC2 instance failed\./);
    expect(noKey.actions[0]).toMatch(/nodes\.keyName/);
  });
});
