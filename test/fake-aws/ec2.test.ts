import {
  AuthorizeSecurityGroupIngressCommand,
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateSecurityGroupCommand,
  DeleteLaunchTemplateCommand,
  DeleteSecurityGroupCommand,
  DescribeImagesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeOf, fakeEnv, type FakeEnv } from './helpers.js';
import { WALLARM_AMI_OWNER } from './index.js';

const tag = (Key: string, Value: string) => ({ Key, Value });

describe('fake-aws: EC2', () => {
  let env: FakeEnv;
  beforeEach(() => {
    env = fakeEnv();
  });
  afterEach(() => env.done());

  it('describes the standard account subnets with AZs and free addresses', async () => {
    const ec2 = await env.aws.ec2();
    const out = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: env.net.privateSubnetIds }));
    expect(out.Subnets?.map((s) => [s.AvailabilityZone, s.CidrBlock, s.AvailableIpAddressCount, s.MapPublicIpOnLaunch])).toEqual([
      ['eu-west-1a', '10.0.1.0/24', 251, false],
      ['eu-west-1b', '10.0.2.0/24', 251, false],
    ]);
    expect(await codeOf(ec2.send(new DescribeSubnetsCommand({ SubnetIds: ['subnet-0123456789abcdef0'] })))).toBe('InvalidSubnetID.NotFound');
    expect(await codeOf(ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc', Values: ['x'] }] })))).toBe('InvalidParameterValue');
  });

  it('finds images by owner + wildcard name + architecture, in no particular order', async () => {
    const ec2 = await env.aws.ec2();
    const out = await ec2.send(
      new DescribeImagesCommand({
        Owners: [WALLARM_AMI_OWNER],
        Filters: [
          { Name: 'name', Values: ['wallarm-node-4-8-*'] },
          { Name: 'architecture', Values: ['x86_64'] },
          { Name: 'virtualization-type', Values: ['hvm'] },
          { Name: 'state', Values: ['available'] },
        ],
      }),
    );
    const ids = out.Images!.map((i) => i.ImageId).sort();
    expect(ids).toEqual([env.net.images.wallarm48, env.net.images.wallarm48Old].sort());
    const newest = [...out.Images!].sort((a, b) => b.CreationDate!.localeCompare(a.CreationDate!))[0]!;
    expect(newest.ImageId).toBe(env.net.images.wallarm48);
  });

  it('security groups: unique name per VPC, default egress rule, duplicate rules refused', async () => {
    const ec2 = await env.aws.ec2();
    const created = await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: 'node',
        Description: 'node sg',
        VpcId: env.net.vpcId,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [tag('wallarm-oob:deployment', 'd1')] }],
      }),
    );
    expect(created.GroupId).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(await codeOf(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'node', Description: 'again', VpcId: env.net.vpcId })))).toBe('InvalidGroup.Duplicate');

    const rule = { IpProtocol: 'tcp', FromPort: 8445, ToPort: 8445, IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'mirror' }] };
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: created.GroupId, IpPermissions: [rule] }));
    expect(await codeOf(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: created.GroupId, IpPermissions: [rule] })))).toBe(
      'InvalidPermission.Duplicate',
    );
    const bad = { IpProtocol: 'tcp', FromPort: 10, ToPort: 5, IpRanges: [{ CidrIp: '10.0.0.0/8' }] };
    expect(await codeOf(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: created.GroupId, IpPermissions: [bad] })))).toBe('InvalidParameterValue');

    const described = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'tag:wallarm-oob:deployment', Values: ['d1'] }] }));
    const g = described.SecurityGroups![0]!;
    expect(g.IpPermissionsEgress).toEqual([{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }]);
    expect(g.IpPermissions?.[0]).toMatchObject({ IpProtocol: 'tcp', FromPort: 8445, ToPort: 8445, IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'mirror' }] });

    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: created.GroupId, IpPermissions: [rule] }));
    expect(await codeOf(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: created.GroupId, IpPermissions: [rule] })))).toBe('InvalidPermission.NotFound');
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: created.GroupId }));
    expect(await codeOf(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [created.GroupId!] })))).toBe('InvalidGroup.NotFound');
  });

  it('paginates DescribeSecurityGroups with MaxResults/NextToken', async () => {
    const ec2 = await env.aws.ec2();
    for (let i = 0; i < 7; i++) await ec2.send(new CreateSecurityGroupCommand({ GroupName: `g${i}`, Description: 'x', VpcId: env.net.vpcId }));
    const first = await ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 5 }));
    expect(first.SecurityGroups).toHaveLength(5);
    const second = await ec2.send(new DescribeSecurityGroupsCommand({ MaxResults: 5, NextToken: first.NextToken }));
    expect(second.SecurityGroups).toHaveLength(3); // 7 + the VPC's default group
    expect(second.NextToken).toBeUndefined();
  });

  it('launch templates: ClientToken idempotency, name uniqueness, versions', async () => {
    const ec2 = await env.aws.ec2();
    const data = { ImageId: env.net.images.wallarm48, InstanceType: 't3.medium' as const, UserData: Buffer.from('#!/bin/sh\necho hi\n').toString('base64') };
    const a = await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'node-lt', LaunchTemplateData: data, ClientToken: 'tok-1' }));
    const again = await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'node-lt', LaunchTemplateData: data, ClientToken: 'tok-1' }));
    expect(again.LaunchTemplate?.LaunchTemplateId).toBe(a.LaunchTemplate?.LaunchTemplateId);
    expect(a.LaunchTemplate?.LaunchTemplateId).toMatch(/^lt-[0-9a-f]{17}$/);
    expect(
      await codeOf(ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'node-lt', LaunchTemplateData: { ...data, InstanceType: 't3.large' }, ClientToken: 'tok-1' }))),
    ).toBe('IdempotentParameterMismatch');
    expect(await codeOf(ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'node-lt', LaunchTemplateData: data, ClientToken: 'tok-2' })))).toBe(
      'InvalidLaunchTemplateName.AlreadyExistsException',
    );
    expect(await codeOf(ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'raw-ud', LaunchTemplateData: { ...data, UserData: '#!/bin/sh' } })))).toBe(
      'InvalidUserData.Malformed',
    );

    const id = a.LaunchTemplate!.LaunchTemplateId!;
    const v2 = await ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, LaunchTemplateData: { ...data, InstanceType: 't3.large' }, ClientToken: 'v2' }));
    expect(v2.LaunchTemplateVersion?.VersionNumber).toBe(2);
    const v2again = await ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, LaunchTemplateData: { ...data, InstanceType: 't3.large' }, ClientToken: 'v2' }));
    expect(v2again.LaunchTemplateVersion?.VersionNumber).toBe(2);
    const latest = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ['$Latest', '$Default'] }));
    expect(latest.LaunchTemplateVersions?.map((v) => [v.VersionNumber, v.LaunchTemplateData?.InstanceType])).toEqual([
      [2, 't3.large'],
      [1, 't3.medium'],
    ]);
    await ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: id }));
    expect(await codeOf(ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id })))).toBe('InvalidLaunchTemplateId.NotFound');
  });

  it('a security group used by a launch template can be deleted; one used by a live instance cannot', async () => {
    const ec2 = await env.aws.ec2();
    const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web', VpcId: env.net.vpcId }));
    await ec2.send(
      new CreateLaunchTemplateCommand({ LaunchTemplateName: 'web', LaunchTemplateData: { ImageId: env.net.images.debian12, InstanceType: 't3.micro', SecurityGroupIds: [sg.GroupId!] } }),
    );
    const inst = env.fake.addInstance({ subnetId: env.net.privateSubnetIds[0], sgIds: [sg.GroupId!] });
    expect(await codeOf(ec2.send(new DeleteSecurityGroupCommand({ GroupId: sg.GroupId })))).toBe('DependencyViolation');
    env.fake.ec2.compute.terminateInstance(inst.id, env.fake.now());
    expect(await codeOf(ec2.send(new DeleteSecurityGroupCommand({ GroupId: sg.GroupId })))).toBe('DependencyViolation'); // still shutting down
    env.fake.advance(env.fake.delays.instanceTerminateMs);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: sg.GroupId }));
  });
});
