import { DescribeScalingActivitiesCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstanceTypeOfferingsCommand, DescribeKeyPairsCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeOf, fakeEnv, type FakeEnv } from './helpers.js';

describe('fake-aws: what launches depend on (key pairs, instance type offerings) and failed-launch activities', () => {
  let env: FakeEnv;
  beforeEach(() => {
    env = fakeEnv();
  });
  afterEach(() => env.done());

  it('DescribeKeyPairs: a missing name is InvalidKeyPair.NotFound, as AWS', async () => {
    const ec2 = await env.aws.ec2();
    await expect(ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['ops'] }))).rejects.toMatchObject({ name: 'InvalidKeyPair.NotFound', message: "The key pair 'ops' does not exist" });
    const id = env.fake.addKeyPair('ops');
    const out = await ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['ops'] }));
    expect(out.KeyPairs?.map((k) => [k.KeyName, k.KeyPairId])).toEqual([['ops', id]]);
    expect((await ec2.send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'key-name', Values: ['nope'] }] }))).KeyPairs).toEqual([]);
  });

  it('DescribeInstanceTypeOfferings by availability-zone, with documented filters only', async () => {
    const ec2 = await env.aws.ec2();
    env.fake.setInstanceTypeOffered('t3.medium', 'eu-west-1b', false);
    const out = await ec2.send(
      new DescribeInstanceTypeOfferingsCommand({
        LocationType: 'availability-zone',
        Filters: [
          { Name: 'instance-type', Values: ['t3.medium'] },
          { Name: 'location', Values: ['eu-west-1a', 'eu-west-1b'] },
        ],
      }),
    );
    expect(out.InstanceTypeOfferings).toEqual([{ InstanceType: 't3.medium', LocationType: 'availability-zone', Location: 'eu-west-1a' }]);
    expect(await codeOf(ec2.send(new DescribeInstanceTypeOfferingsCommand({ Filters: [{ Name: 'vcpu', Values: ['2'] }] })))).toBe('InvalidParameterValue');
    const region = await ec2.send(new DescribeInstanceTypeOfferingsCommand({ Filters: [{ Name: 'instance-type', Values: ['t3.medium'] }] }));
    expect(region.InstanceTypeOfferings).toEqual([{ InstanceType: 't3.medium', LocationType: 'region', Location: 'eu-west-1' }]);
  });

  it('a queued OptInRequired launch failure is a Failed activity with the Marketplace message; MaxRecords is validated', async () => {
    const { fake, net } = env;
    const lt = fake.ec2.templates.CreateLaunchTemplate({ LaunchTemplateName: 'nodes', LaunchTemplateData: { ImageId: net.images.wallarm71, InstanceType: 't3.medium' } });
    fake.failLaunches('OptInRequired', { times: 1 });
    fake.autoscaling.CreateAutoScalingGroup({
      AutoScalingGroupName: 'grp',
      LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplate!.LaunchTemplateId, Version: '$Latest' },
      MinSize: 1,
      MaxSize: 1,
      DesiredCapacity: 1,
      VPCZoneIdentifier: net.privateSubnetIds.join(','),
    });
    const asg = await env.aws.autoscaling();
    const [activity] = (await asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'grp' }))).Activities ?? [];
    expect(activity).toMatchObject({
      StatusCode: 'Failed',
      StatusMessage: expect.stringMatching(/^In order to use this AWS Marketplace product you need to accept terms and subscribe\. .* Launching EC2 instance failed\.$/),
      Description: expect.stringMatching(/^Launching a new EC2 instance\. {2}Status Reason: In order to use/),
      AutoScalingGroupARN: expect.stringMatching(/^arn:aws:autoscaling:eu-west-1:/),
      Progress: 100,
    });
    expect(JSON.parse(activity!.Details!)).toMatchObject({ 'Availability Zone': expect.stringMatching(/^eu-west-1[ab]$/) });
    expect(await codeOf(asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'grp', MaxRecords: 101 })))).toBe('ValidationError');
    expect((await asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: 'missing' }))).Activities).toEqual([]);
  });
});
