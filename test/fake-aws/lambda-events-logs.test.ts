import { afterEach, describe, expect, it } from 'vitest';
import { CreateLogGroupCommand, DeleteLogGroupCommand, DescribeLogGroupsCommand, ListTagsForResourceCommand as LogsTags, PutRetentionPolicyCommand, TagResourceCommand as LogsTag } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteRuleCommand, DescribeRuleCommand, ListRuleNamesByTargetCommand, ListRulesCommand, ListTagsForResourceCommand, ListTargetsByRuleCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { AddPermissionCommand, CreateFunctionCommand, DeleteFunctionCommand, GetFunctionCommand, GetPolicyCommand, RemovePermissionCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import { ASSUME_EC2, codeOf, fakeEnv, type FakeEnv } from './helpers.js';

let env: FakeEnv;
afterEach(() => env?.done());

const ASSUME_LAMBDA = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const ZIP = zipSync({ 'index.mjs': new TextEncoder().encode('export const handler = async () => 1;\n') });

async function role(e: FakeEnv, name: string, trust = ASSUME_LAMBDA): Promise<string> {
  const out = await (await e.aws.iam()).send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }));
  return out.Role!.Arn!;
}

const fn = (name: string, roleArn: string) => new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: roleArn, Code: { ZipFile: ZIP } });

describe('fake Lambda', () => {
  it('refuses a role Lambda cannot assume: too new (IAM propagation), missing, or not trusting lambda.amazonaws.com', async () => {
    env = fakeEnv();
    const lambda = await env.aws.lambda();
    const fresh = await role(env, 'fresh');
    expect(await codeOf(lambda.send(fn('f1', fresh)))).toBe('InvalidParameterValueException');
    expect(env.fake.calls.at(-1)!.error).toBe('InvalidParameterValueException');
    env.fake.advance(env.fake.delays.lambdaRolePropagationMs);
    const created = await lambda.send(fn('f1', fresh));
    expect(created).toMatchObject({ State: 'Pending', Runtime: 'nodejs22.x', FunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:f1` });
    const ec2Role = await role(env, 'for-ec2', ASSUME_EC2);
    env.fake.advance(60_000);
    expect(await codeOf(lambda.send(fn('f2', ec2Role)))).toBe('InvalidParameterValueException');
    expect(await codeOf(lambda.send(fn('f3', 'arn:aws:iam::123456789012:role/missing')))).toBe('InvalidParameterValueException');
    expect(await codeOf(lambda.send(fn('f4', 'not-an-arn')))).toBe('ValidationException');
    expect(await codeOf(lambda.send(fn('f1', fresh)))).toBe('ResourceConflictException');
    expect(await codeOf(lambda.send(new CreateFunctionCommand({ FunctionName: 'f5', Runtime: 'nodejs16.x', Handler: 'index.handler', Role: fresh, Code: { ZipFile: ZIP } })))).toBe('InvalidParameterValueException');
    expect(await codeOf(lambda.send(new CreateFunctionCommand({ FunctionName: 'f6', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: fresh, Code: { ZipFile: new Uint8Array([1, 2, 3]) } })))).toBe('InvalidParameterValueException');
  });

  it('Pending -> Active; a second update while the first is InProgress is a ResourceConflictException; CodeSha256 is base64 SHA-256', async () => {
    env = fakeEnv({ delays: { lambdaRolePropagationMs: 0 } });
    const lambda = await env.aws.lambda();
    const arn = await role(env, 'r');
    await lambda.send(fn('f', arn));
    expect(await codeOf(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'f', Timeout: 30 })))).toBe('ResourceConflictException');
    env.fake.advance(env.fake.delays.lambdaActiveMs);
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'f' }))).Configuration).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'f', Timeout: 30, Environment: { Variables: { AB: '1' } } }));
    expect((await lambda.send(new GetFunctionCommand({ FunctionName: 'f' }))).Configuration!.LastUpdateStatus).toBe('InProgress');
    expect(await codeOf(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'f', ZipFile: ZIP })))).toBe('ResourceConflictException');
    env.fake.advance(env.fake.delays.lambdaUpdateMs);
    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'f', ZipFile: ZIP }));
    expect(updated.CodeSha256).toBe(Buffer.from(await crypto.subtle.digest('SHA-256', ZIP)).toString('base64'));
    expect(await codeOf(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'f', Environment: { Variables: { AWS_REGION: 'x' } } })))).toBe('ResourceConflictException');
    env.fake.advance(env.fake.delays.lambdaUpdateMs);
    expect(await codeOf(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'f', Environment: { Variables: { AWS_REGION: 'x' } } })))).toBe('InvalidParameterValueException');
    expect(await codeOf(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'f', Environment: { Variables: { BIG: 'x'.repeat(5000) } } })))).toBe('InvalidParameterValueException');
    // resource policy: one statement per id
    const perm = { FunctionName: 'f', StatementId: 'rule-1', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: 'arn:aws:events:eu-west-1:123456789012:rule/r' };
    await lambda.send(new AddPermissionCommand(perm));
    expect(await codeOf(lambda.send(new AddPermissionCommand(perm)))).toBe('ResourceConflictException');
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'f' }));
    expect(await codeOf(lambda.send(new GetFunctionCommand({ FunctionName: 'f' })))).toBe('ResourceNotFoundException');
  });
});

describe('fake Lambda resource policy', () => {
  it('GetPolicy: ResourceNotFoundException while the function has no statement; the statements AddPermission wrote; RemovePermission by statement id', async () => {
    env = fakeEnv({ delays: { lambdaRolePropagationMs: 0 } });
    const lambda = await env.aws.lambda();
    await lambda.send(fn('f', await role(env, 'r')));
    expect(await codeOf(lambda.send(new GetPolicyCommand({ FunctionName: 'f' })))).toBe('ResourceNotFoundException');
    const source = 'arn:aws:events:eu-west-1:123456789012:rule/r';
    await lambda.send(new AddPermissionCommand({ FunctionName: 'f', StatementId: 'r', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: source }));
    const out = await lambda.send(new GetPolicyCommand({ FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:f' }));
    expect(out.RevisionId).toEqual(expect.any(String));
    expect(JSON.parse(out.Policy!)).toEqual({
      Version: '2012-10-17',
      Id: 'default',
      Statement: [
        {
          Sid: 'r',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'lambda:InvokeFunction',
          Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:f',
          Condition: { ArnLike: { 'AWS:SourceArn': source } },
        },
      ],
    });
    expect(await codeOf(lambda.send(new RemovePermissionCommand({ FunctionName: 'f', StatementId: 'other' })))).toBe('ResourceNotFoundException');
    await lambda.send(new RemovePermissionCommand({ FunctionName: 'f', StatementId: 'r' }));
    expect(await codeOf(lambda.send(new GetPolicyCommand({ FunctionName: 'f' })))).toBe('ResourceNotFoundException');
    expect(await codeOf(lambda.send(new GetPolicyCommand({ FunctionName: 'missing' })))).toBe('ResourceNotFoundException');
  });
});

describe('fake EventBridge', () => {
  it('ListRules: by name prefix, pages of at most Limit (1-100), each rule with its pattern or schedule, state and description', async () => {
    env = fakeEnv();
    const events = await env.aws.events();
    await events.send(new PutRuleCommand({ Name: 'app-a', Description: 'first', ScheduleExpression: 'rate(5 minutes)' }));
    await events.send(new PutRuleCommand({ Name: 'app-b', EventPattern: '{"source":["aws.ec2"]}', State: 'DISABLED' }));
    await events.send(new PutRuleCommand({ Name: 'other', ScheduleExpression: 'rate(1 hour)' }));
    const first = await events.send(new ListRulesCommand({ NamePrefix: 'app-', Limit: 1 }));
    expect(first.Rules).toEqual([{ Name: 'app-a', Arn: 'arn:aws:events:eu-west-1:123456789012:rule/app-a', State: 'ENABLED', ScheduleExpression: 'rate(5 minutes)', Description: 'first', EventBusName: 'default' }]);
    const second = await events.send(new ListRulesCommand({ NamePrefix: 'app-', Limit: 1, NextToken: first.NextToken }));
    expect(second.Rules).toEqual([{ Name: 'app-b', Arn: 'arn:aws:events:eu-west-1:123456789012:rule/app-b', State: 'DISABLED', EventPattern: '{"source":["aws.ec2"]}', EventBusName: 'default' }]);
    expect(second.NextToken).toBeUndefined();
    expect((await events.send(new ListRulesCommand({}))).Rules!.map((r) => r.Name)).toEqual(['app-a', 'app-b', 'other']);
    expect(await codeOf(events.send(new ListRulesCommand({ Limit: 101 })))).toBe('ValidationException');
    expect(await codeOf(events.send(new ListRulesCommand({ NamePrefix: 'bad prefix' })))).toBe('ValidationException');
  });


  it('rules need a pattern or a valid schedule; a rule with targets cannot be deleted; tags only at creation', async () => {
    env = fakeEnv();
    const events = await env.aws.events();
    expect(await codeOf(events.send(new PutRuleCommand({ Name: 'r' })))).toBe('ValidationException');
    expect(await codeOf(events.send(new PutRuleCommand({ Name: 'r', ScheduleExpression: 'rate(1 minutes)' })))).toBe('ValidationException');
    expect(await codeOf(events.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source": []}' })))).toBe('InvalidEventPatternException');
    expect(await codeOf(events.send(new PutRuleCommand({ Name: 'bad name', ScheduleExpression: 'rate(5 minutes)' })))).toBe('ValidationException');
    const { RuleArn } = await events.send(new PutRuleCommand({ Name: 'r', ScheduleExpression: 'rate(5 minutes)', Tags: [{ Key: 'k', Value: 'v1' }] }));
    expect(RuleArn).toBe('arn:aws:events:eu-west-1:123456789012:rule/r');
    await events.send(new PutRuleCommand({ Name: 'r', ScheduleExpression: 'rate(10 minutes)', Tags: [{ Key: 'k', Value: 'v2' }] }));
    expect((await events.send(new DescribeRuleCommand({ Name: 'r' }))).ScheduleExpression).toBe('rate(10 minutes)');
    expect((await events.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn }))).Tags).toEqual([{ Key: 'k', Value: 'v1' }]);
    await events.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 't', Arn: 'arn:aws:lambda:eu-west-1:123456789012:function:f' }] }));
    expect(await codeOf(events.send(new DeleteRuleCommand({ Name: 'r' })))).toBe('ValidationException');
    await events.send(new RemoveTargetsCommand({ Rule: 'r', Ids: ['t'] }));
    expect((await events.send(new ListTargetsByRuleCommand({ Rule: 'r' }))).Targets).toEqual([]);
    await events.send(new DeleteRuleCommand({ Name: 'r' }));
    await events.send(new DeleteRuleCommand({ Name: 'r' })); // idempotent
    expect(await codeOf(events.send(new DescribeRuleCommand({ Name: 'r' })))).toBe('ResourceNotFoundException');
    expect(await codeOf(events.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 't', Arn: 'arn:aws:lambda:eu-west-1:1:function:f' }] })))).toBe('ResourceNotFoundException');
  });

  it('ListRuleNamesByTarget: the rules with a target of that ARN, sorted, in pages of at most Limit', async () => {
    env = fakeEnv();
    const events = await env.aws.events();
    const f = 'arn:aws:lambda:eu-west-1:123456789012:function:f';
    for (const [name, arn] of [['b', f], ['a', f], ['c', 'arn:aws:lambda:eu-west-1:123456789012:function:g']] as const) {
      await events.send(new PutRuleCommand({ Name: name, ScheduleExpression: 'rate(5 minutes)' }));
      await events.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't', Arn: arn }] }));
    }
    const first = await events.send(new ListRuleNamesByTargetCommand({ TargetArn: f, Limit: 1 }));
    expect(first.RuleNames).toEqual(['a']);
    const second = await events.send(new ListRuleNamesByTargetCommand({ TargetArn: f, Limit: 1, NextToken: first.NextToken }));
    expect(second).toMatchObject({ RuleNames: ['b'] });
    expect(second.NextToken).toBeUndefined();
    expect((await events.send(new ListRuleNamesByTargetCommand({ TargetArn: `${f}-none` }))).RuleNames).toEqual([]);
    expect(await codeOf(events.send(new ListRuleNamesByTargetCommand({ TargetArn: f, Limit: 0 })))).toBe('ValidationException');
  });

  it('matches(event) tells which targets an event pattern delivers to', async () => {
    env = fakeEnv();
    const events = await env.aws.events();
    const pattern = { source: ['aws.autoscaling'], 'detail-type': ['EC2 Instance Launch Successful'], detail: { AutoScalingGroupName: ['web'] } };
    await events.send(new PutRuleCommand({ Name: 'launch', EventPattern: JSON.stringify(pattern) }));
    await events.send(new PutTargetsCommand({ Rule: 'launch', Targets: [{ Id: 't', Arn: 'arn:aws:lambda:eu-west-1:123456789012:function:f' }] }));
    const event = { source: 'aws.autoscaling', 'detail-type': 'EC2 Instance Launch Successful', detail: { AutoScalingGroupName: 'web', EC2InstanceId: 'i-1' } };
    expect(env.fake.events.matches(event)).toEqual(['arn:aws:lambda:eu-west-1:123456789012:function:f']);
    expect(env.fake.events.matches({ ...event, detail: { AutoScalingGroupName: 'other' } })).toEqual([]);
  });
});

describe('fake CloudWatch Logs', () => {
  it('log groups: unique names, documented retention values only, tagging by ARN without :*', async () => {
    env = fakeEnv();
    const logs = await env.aws.logs();
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/f', tags: { k: 'v' } }));
    expect(await codeOf(logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/f' })))).toBe('ResourceAlreadyExistsException');
    expect(await codeOf(logs.send(new PutRetentionPolicyCommand({ logGroupName: '/aws/lambda/f', retentionInDays: 10 })))).toBe('InvalidParameterException');
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/aws/lambda/f', retentionInDays: 14 }));
    const [group] = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/' }))).logGroups!;
    expect(group).toMatchObject({ logGroupName: '/aws/lambda/f', retentionInDays: 14, arn: `${group!.logGroupArn}:*` });
    expect(await codeOf(logs.send(new LogsTags({ resourceArn: group!.arn })))).toBe('InvalidParameterException');
    await logs.send(new LogsTag({ resourceArn: group!.logGroupArn, tags: { k2: 'v2' } }));
    expect((await logs.send(new LogsTags({ resourceArn: group!.logGroupArn }))).tags).toEqual({ k: 'v', k2: 'v2' });
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/aws/lambda/f' }));
    expect(await codeOf(logs.send(new DeleteLogGroupCommand({ logGroupName: '/aws/lambda/f' })))).toBe('ResourceNotFoundException');
  });

  it('DescribeLogGroups: by name prefix, ASCII-sorted, pages of at most limit (1-50)', async () => {
    env = fakeEnv();
    const logs = await env.aws.logs();
    for (const name of ['/aws/lambda/b', '/aws/lambda/a', '/other']) await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    const first = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/', limit: 1 }));
    expect(first.logGroups!.map((g) => g.logGroupName)).toEqual(['/aws/lambda/a']);
    const second = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/', limit: 1, nextToken: first.nextToken }));
    expect(second.logGroups!.map((g) => g.logGroupName)).toEqual(['/aws/lambda/b']);
    expect(second.nextToken).toBeUndefined();
    expect(await codeOf(logs.send(new DescribeLogGroupsCommand({ limit: 51 })))).toBe('InvalidParameterException');
  });
});
