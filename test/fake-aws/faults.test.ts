import { CreateLaunchTemplateCommand, CreateSecurityGroupCommand, DescribeSecurityGroupsCommand, AuthorizeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { CreateRoleCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ASSUME_EC2, codeOf, fakeEnv, type FakeEnv } from './helpers.js';

describe('fake-aws: fault injection', () => {
  let env: FakeEnv;
  beforeEach(() => {
    env = fakeEnv();
  });
  afterEach(() => env.done());

  it("failAtMutation 'before': the nth mutation fails without effect (and is not retried)", async () => {
    const ec2 = await env.aws.ec2();
    env.fake.failAtMutation(2, { mode: 'before' });
    await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'one', Description: 'x', VpcId: env.net.vpcId }));
    await ec2.send(new DescribeSecurityGroupsCommand({})); // reads do not count
    expect(await codeOf(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'two', Description: 'x', VpcId: env.net.vpcId })))).toBe('InjectedFailure');
    expect([...env.fake.ec2.securityGroups.values()].map((g) => g.name)).not.toContain('two');
    await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'two', Description: 'x', VpcId: env.net.vpcId }));
    expect(env.fake.mutationCount).toBe(3);
  });

  it("failAtMutation 'after': the effect happens, the response is lost (500), the SDK retry meets the effect", async () => {
    const ec2 = await env.aws.ec2();
    env.fake.failAtMutation(1, { mode: 'after' });
    // without a client token the retried create collides with the first attempt's group
    expect(await codeOf(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'lost', Description: 'x', VpcId: env.net.vpcId })))).toBe('InvalidGroup.Duplicate');
    expect(env.fake.callsTo('CreateSecurityGroup').map((c) => c.error)).toEqual(['InternalError', 'InvalidGroup.Duplicate']);
    expect([...env.fake.ec2.securityGroups.values()].filter((g) => g.name === 'lost')).toHaveLength(1);

    // with a client token the retry returns the resource the first attempt created
    env.fake.failAtMutation(1, { mode: 'after' });
    const lt = await ec2.send(
      new CreateLaunchTemplateCommand({ LaunchTemplateName: 'tokened', ClientToken: 'tok', LaunchTemplateData: { ImageId: env.net.images.wallarm48, InstanceType: 't3.micro' } }),
    );
    expect(lt.$metadata.attempts).toBe(2);
    expect(env.fake.ec2.launchTemplates.size).toBe(1);
    expect(lt.LaunchTemplate?.LaunchTemplateId).toBe([...env.fake.ec2.launchTemplates.keys()][0]);
  });

  it('eventual consistency: fresh ids are NotFound for the first k lookups, and for Authorize*', async () => {
    const ec2 = await env.aws.ec2();
    const iam = await env.aws.iam();
    env.fake.eventualConsistency(2);
    const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'fresh', Description: 'x', VpcId: env.net.vpcId }));
    const rule = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] };
    expect(await codeOf(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg.GroupId, IpPermissions: [rule] })))).toBe('InvalidGroup.NotFound');
    expect(await codeOf(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [sg.GroupId!] })))).toBe('InvalidGroup.NotFound');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: sg.GroupId, IpPermissions: [rule] }));
    await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: ASSUME_EC2 }));
    expect(await codeOf(iam.send(new GetRoleCommand({ RoleName: 'r' })))).toBe('NoSuchEntity');
    env.fake.clearFaults();
    expect((await iam.send(new GetRoleCommand({ RoleName: 'r' }))).Role?.RoleName).toBe('r');
  });

  it('throttling with a fraction is deterministic for a seed and counts nothing as a mutation', async () => {
    const ec2 = await env.aws.ec2();
    env.fake.throttle(0.3, { seed: 7, commands: ['CreateSecurityGroup'], limit: 1 });
    for (const n of ['a', 'b', 'c']) await ec2.send(new CreateSecurityGroupCommand({ GroupName: n, Description: 'x', VpcId: env.net.vpcId }));
    const attempts = env.fake.callsTo('CreateSecurityGroup');
    expect(attempts.filter((c) => !c.throttled)).toHaveLength(3);
    expect(env.fake.mutationCount).toBe(3);
  });
});
