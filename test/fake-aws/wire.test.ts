import { CreateTagsCommand, DescribeNetworkInterfacesCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { CreateTargetGroupCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateRoleCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeEnv, type FakeEnv } from './helpers.js';

describe("fake-aws wire mode: answers go through the SDK's own response parsing", () => {
  let env: FakeEnv | undefined;
  afterEach(() => env?.done());

  it('EC2 query XML: lists, tags, numbers and paging survive the round trip', async () => {
    env = fakeEnv({ wiring: 'wire' });
    const eni = env.fake.addNetworkInterface({ subnetId: env.net.privateSubnetIds[0] });
    const ec2 = await env.aws.ec2();
    await ec2.send(new CreateTagsCommand({ Resources: [eni], Tags: [{ Key: 'mirror', Value: 'yes' }] }));
    const out = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }));
    expect(out.NetworkInterfaces?.[0]).toMatchObject({ NetworkInterfaceId: eni, SubnetId: env.net.privateSubnetIds[0], TagSet: [{ Key: 'mirror', Value: 'yes' }] });
    expect(out.$metadata.httpStatusCode).toBe(200);
    const vpcs = await ec2.send(new DescribeVpcsCommand({ VpcIds: [env.net.vpcId] }));
    expect(vpcs.Vpcs?.[0]?.CidrBlock).toBe('10.0.0.0/16');
  });

  it('awsQuery XML (ELBv2, IAM with dates, STS) and JSON (SSM)', async () => {
    env = fakeEnv({ wiring: 'wire' });
    const elb = await env.aws.elbv2();
    const tg = await elb.send(new CreateTargetGroupCommand({ Name: 'tg', Protocol: 'HTTP', Port: 80, VpcId: env.net.vpcId }));
    const arn = tg.TargetGroups?.[0]?.TargetGroupArn;
    expect(arn).toMatch(/^arn:aws:elasticloadbalancing:/);
    const read = await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn!] }));
    expect(read.TargetGroups?.[0]).toMatchObject({ TargetGroupName: 'tg', Port: 80, HealthCheckPath: '/' });
    const iam = await env.aws.iam();
    await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
    const role = await iam.send(new GetRoleCommand({ RoleName: 'r' }));
    expect(role.Role?.CreateDate).toBeInstanceOf(Date);
    expect((await (await env.aws.sts()).send(new GetCallerIdentityCommand({}))).Account).toBe('123456789012');
    env.fake.putParameter('/p', 'value');
    const p = await (await env.aws.ssm()).send(new GetParameterCommand({ Name: '/p' }));
    expect(p.Parameter).toMatchObject({ Name: '/p', Value: 'value', Version: 1 });
    expect(p.Parameter?.LastModifiedDate).toBeInstanceOf(Date);
  });

  it("counts the fake's own CPU apart", async () => {
    env = fakeEnv({ wiring: 'wire' });
    await (await env.aws.ec2()).send(new DescribeVpcsCommand({}));
    expect(env.fake.cpuMs).toBeGreaterThan(0);
  });
});
