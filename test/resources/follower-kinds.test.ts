import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import { readState } from '../../src/engine/refresh.js';
import { loadHandler } from '../../src/resources/registry.js';
import { emptyState } from '../../src/state/document.js';
import { AddPermissionCommand, RemovePermissionCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { handler as rules, withoutPermission } from '../../src/resources/event-rule.js';
import { handler as roles } from '../../src/resources/iam-role.js';
import { FUNCTION_ZIP, handler as functions } from '../../src/resources/lambda-function.js';
import { handler as logGroups } from '../../src/resources/log-group.js';
import type { EventRuleProps, LambdaFunctionProps, LogGroupProps } from '../../src/resources/types.js';
import { bundleManifest } from '../../src/topologies/vpc-mirror/follower/bundle.js';
import type { FakeEnv } from '../fake-aws/helpers.js';
import { context, env as makeEnv } from './helpers.js';

let e: FakeEnv;
afterEach(() => e?.done());

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

async function deployFunction(e: FakeEnv): Promise<{ props: LambdaFunctionProps; arn: string }> {
  const role = await roles.create(context(e.aws, 'follower-role'), { name: 'wallarm-oob-d1-follower', path: '/wallarm-oob/d1/', assumeRolePolicy: TRUST, inlinePolicies: {} });
  const m = bundleManifest();
  const props: LambdaFunctionProps = {
    name: 'wallarm-oob-d1-follower',
    roleArn: String(role.outputs.arn),
    config: { runtime: m.runtime, handler: m.handler, description: 'test', timeoutSeconds: 60, memoryMiB: 256 },
    environment: { WALLARM_OOB_FOLLOWER: '{}' },
    codeSha256: m.codeSha256,
  };
  const live = await functions.create(context(e.aws, 'follower-function'), props);
  return { props, arn: String(live.outputs.arn) };
}

describe('lambda-function handler', () => {
  it('creates with the freshly made role (retrying while IAM propagates), waits for Active, reads back what it created', async () => {
    e = makeEnv();
    e.fake.setDelays({ lambdaRolePropagationMs: 60_000 });
    const { props } = await deployFunction(e);
    const creates = e.fake.callsTo('CreateFunction');
    expect(creates[0]!.error).toBe('InvalidParameterValueException'); // the role was seconds old
    expect(creates.at(-1)!.error).toBeUndefined();
    const live = (await functions.read(context(e.aws, 'follower-function'), props.name))!;
    expect(functions.normalize!(live.props)).toEqual(functions.normalize!({ ...props, tags: live.props.tags }));
    expect(live.props.codeSha256).toBe(bundleManifest().codeSha256);
    expect(e.fake.lambda.functions.get(props.name)!.code).toEqual(new Uint8Array(readFileSync(FUNCTION_ZIP)));
    expect(live.props.tags).toMatchObject({ 'wallarm-oob:deployment': 'd1', 'wallarm-oob:id': 'follower-function' });
  });

  it('drift: an environment edited in the console shows in read and is put back by update, after the function settles', async () => {
    e = makeEnv();
    const { props } = await deployFunction(e);
    await (await e.aws.lambda()).send(new UpdateFunctionConfigurationCommand({ FunctionName: props.name, Environment: { Variables: { WALLARM_OOB_FOLLOWER: '{"hacked":1}' } } }));
    const drifted = (await functions.read(context(e.aws, 'follower-function'), props.name))!;
    expect(drifted.props.environment).toEqual({ WALLARM_OOB_FOLLOWER: '{"hacked":1}' });
    // the console's update is still InProgress: update waits instead of hitting ResourceConflictException
    const after = await functions.update(context(e.aws, 'follower-function'), drifted, { ...props, tags: drifted.props.tags });
    expect(after.props.environment).toEqual(props.environment);
    expect(e.fake.callsTo('UpdateFunctionConfiguration').filter((c) => c.error)).toEqual([]);
  });

  it("never takes over a function of the same name that another deployment created (the create meets it)", async () => {
    e = makeEnv();
    const { props } = await deployFunction(e);
    const before = e.fake.lambda.functions.get(props.name)!.codeSha256;
    await expect(functions.create(context(e.aws, 'follower-function', { deployment: 'other' }), props)).rejects.toMatchObject({
      code: 'AWS_NAME_TAKEN',
      message: `follower-function: a Lambda function named ${props.name} already exists and is not managed by this deployment (it belongs to deployment "d1").`,
      actions: [`Delete or rename the Lambda function ${props.name} yourself if it is a leftover, or choose another deployment name.`],
    });
    expect(e.fake.callsTo('UpdateFunctionConfiguration')).toEqual([]);
    expect(e.fake.lambda.functions.get(props.name)!.codeSha256).toBe(before);
  });
});

describe('event-rule handler', () => {
  it('creates rule, permission (SourceArn of the rule) and target; a target removed outside is drift; delete removes targets and permission first', async () => {
    e = makeEnv();
    const { arn } = await deployFunction(e);
    const props: EventRuleProps = { name: 'wallarm-oob-d1-reconcile', description: 'backfill', eventPattern: null, scheduleExpression: 'rate(5 minutes)', functionArn: arn };
    const ctx = context(e.aws, 'follower-schedule-rule');
    const live = await rules.create(ctx, props);
    expect(live.props).toMatchObject({ ...props, tags: expect.objectContaining({ 'wallarm-oob:id': 'follower-schedule-rule' }) });
    const fn = e.fake.lambda.functions.get('wallarm-oob-d1-follower')!;
    expect(fn.policy.get(props.name)).toMatchObject({ Condition: { ArnLike: { 'AWS:SourceArn': e.fake.events.rules.get(props.name)!.arn } } });

    await (await e.aws.events()).send(new RemoveTargetsCommand({ Rule: props.name, Ids: ['wallarm-oob-follower'] }));
    const drifted = (await rules.read(ctx, props.name))!;
    expect(drifted.props.functionArn).toBe('');
    const fixed = await rules.update(ctx, drifted, { ...props, tags: drifted.props.tags });
    expect(fixed.props.functionArn).toBe(arn);

    await rules.delete(ctx, props.name);
    expect(e.fake.events.rules.has(props.name)).toBe(false);
    expect(fn.policy.has(props.name)).toBe(false);
    await rules.delete(ctx, props.name); // already gone: success
  });

  it('never takes over a rule of the same name that is not ours', async () => {
    e = makeEnv();
    await (await e.aws.events()).send(new PutRuleCommand({ Name: 'wallarm-oob-d1-reconcile', ScheduleExpression: 'rate(1 hour)' }));
    const props: EventRuleProps = { name: 'wallarm-oob-d1-reconcile', description: 'x', eventPattern: null, scheduleExpression: 'rate(5 minutes)', functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:f' };
    await expect(rules.create(context(e.aws, 'follower-schedule-rule'), props)).rejects.toMatchObject({ code: 'AWS_NAME_TAKEN', message: expect.stringContaining('an EventBridge rule named wallarm-oob-d1-reconcile already exists and is not managed by this deployment.') });
    expect(e.fake.callsTo('PutRule').filter((c) => !c.error)).toHaveLength(1); // only the rule's own creation above
    expect(e.fake.events.rules.get('wallarm-oob-d1-reconcile')!.scheduleExpression).toBe('rate(1 hour)');
  });
});

describe('event-rule handler: the invoke permission and the batched read', () => {
  async function twoRules(e: FakeEnv): Promise<{ arn: string; names: string[] }> {
    const { arn } = await deployFunction(e);
    const names = ['wallarm-oob-d1-reconcile', 'wallarm-oob-d1-asg-events'];
    await rules.create(context(e.aws, 'follower-schedule-rule'), { name: names[0]!, description: 'backfill', eventPattern: null, scheduleExpression: 'rate(5 minutes)', functionArn: arn });
    await rules.create(context(e.aws, 'follower-asg-rule'), {
      name: names[1]!,
      description: 'launches',
      eventPattern: JSON.stringify({ source: ['aws.autoscaling'], 'detail-type': ['EC2 Instance Launch Successful'] }),
      scheduleExpression: null,
      functionArn: arn,
    });
    return { arn, names };
  }

  it('a permission removed by hand (lambda RemovePermission) is drift with the reason; update adds it back', async () => {
    e = makeEnv();
    const { arn, names } = await twoRules(e);
    const ctx = context(e.aws, 'follower-schedule-rule');
    await (await e.aws.lambda()).send(new RemovePermissionCommand({ FunctionName: 'wallarm-oob-d1-follower', StatementId: names[0] }));
    const drifted = (await rules.read(ctx, names[0]!))!;
    expect(drifted.props.functionArn).toBe(withoutPermission(arn, names[0]!));
    expect(drifted.props.functionArn).toMatch(/not invokable by this rule: the function's resource policy has no statement/);
    // the other rule still may invoke the function
    expect((await rules.read(context(e.aws, 'follower-asg-rule'), names[1]!))!.props.functionArn).toBe(arn);

    const fixed = await rules.update(ctx, drifted, { name: names[0]!, description: 'backfill', eventPattern: null, scheduleExpression: 'rate(5 minutes)', functionArn: arn, tags: drifted.props.tags });
    expect(fixed.props.functionArn).toBe(arn);
    expect(e.fake.callsTo('RemoveTargets')).toEqual([]); // the target was right: only the permission was added
    expect(e.fake.lambda.functions.get('wallarm-oob-d1-follower')!.policy.get(names[0]!)).toMatchObject({ Condition: { ArnLike: { 'AWS:SourceArn': e.fake.events.rules.get(names[0]!)!.arn } } });
  });

  it('a statement of the rule\'s id that grants another source is replaced, not kept', async () => {
    e = makeEnv();
    const { arn, names } = await twoRules(e);
    const lambda = await e.aws.lambda();
    await lambda.send(new RemovePermissionCommand({ FunctionName: 'wallarm-oob-d1-follower', StatementId: names[0] }));
    await lambda.send(
      new AddPermissionCommand({ FunctionName: 'wallarm-oob-d1-follower', StatementId: names[0], Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: e.fake.events.rules.get(names[1]!)!.arn }),
    );
    const ctx = context(e.aws, 'follower-schedule-rule');
    const drifted = (await rules.read(ctx, names[0]!))!;
    expect(drifted.props.functionArn).toBe(withoutPermission(arn, names[0]!));
    const fixed = await rules.update(ctx, drifted, { name: names[0]!, description: 'backfill', eventPattern: null, scheduleExpression: 'rate(5 minutes)', functionArn: arn, tags: drifted.props.tags });
    expect(fixed.props.functionArn).toBe(arn);
  });

  it('readMany: one ListRules for all rules, their targets and tags, one GetPolicy for the function; same answers as read(); a rule deleted outside is undefined', async () => {
    e = makeEnv();
    const { names } = await twoRules(e);
    const ctx = context(e.aws, 'follower-rules');
    const singles = await Promise.all(names.map((n) => rules.read(ctx, n)));
    const mark = e.fake.calls.length;
    const many = await rules.readMany!(ctx, [...names, 'wallarm-oob-d1-gone']);
    const calls = e.fake.calls.slice(mark).map((c) => c.command);
    expect(calls.sort()).toEqual(['DescribeRule', 'GetPolicy', 'ListRules', 'ListTagsForResource', 'ListTagsForResource', 'ListTargetsByRule', 'ListTargetsByRule']);
    expect(e.fake.callsTo('ListRules').at(-1)!.input).toMatchObject({ NamePrefix: 'wallarm-oob-d1-' });
    expect(names.map((n) => many.get(n))).toEqual(singles);
    expect(many.get('wallarm-oob-d1-gone')).toBeUndefined();
    expect(many.has('wallarm-oob-d1-gone')).toBe(true);
  });
});

describe('event-rule handler within a full read of state (readState)', () => {
  it('one ListRuleNamesByTarget for the function of state instead of ListTargetsByRule per rule; a rule retargeted outside is asked alone and shows its new target', async () => {
    e = makeEnv();
    const { arn } = await deployFunction(e);
    const names = ['wallarm-oob-d1-reconcile', 'wallarm-oob-d1-ec2-events'];
    await rules.create(context(e.aws, 'follower-schedule-rule'), { name: names[0]!, description: 'backfill', eventPattern: null, scheduleExpression: 'rate(5 minutes)', functionArn: arn });
    await rules.create(context(e.aws, 'follower-ec2-rule'), { name: names[1]!, description: 'running', eventPattern: JSON.stringify({ source: ['aws.ec2'] }), scheduleExpression: null, functionArn: arn });
    const state = emptyState('d1');
    state.resources['follower-function'] = { kind: 'lambda-function', id: 'wallarm-oob-d1-follower', hashes: {}, outputs: {}, deps: [] };
    state.resources['follower-schedule-rule'] = { kind: 'event-rule', id: names[0]!, hashes: {}, outputs: {}, deps: [] };
    state.resources['follower-ec2-rule'] = { kind: 'event-rule', id: names[1]!, hashes: {}, outputs: {}, deps: [] };
    const options = { loadHandler, context: (logicalId: string) => context(e.aws, logicalId) };

    const mark = e.fake.calls.length;
    const live = await readState(state, options);
    const ruleCalls = e.fake.calls.slice(mark).filter((c) => c.service === 'events' || c.command === 'GetPolicy').map((c) => c.command);
    expect(ruleCalls.sort()).toEqual(['GetPolicy', 'ListRuleNamesByTarget', 'ListRules', 'ListTagsForResource', 'ListTagsForResource']);
    expect(live.get('follower-schedule-rule')).toEqual(await rules.read(context(e.aws, 'r'), names[0]!));
    expect(live.get('follower-ec2-rule')).toEqual(await rules.read(context(e.aws, 'r'), names[1]!));
    expect(live.get('follower-ec2-rule')!.props.functionArn).toBe(arn);

    const elsewhere = 'arn:aws:lambda:eu-west-1:123456789012:function:someone-else';
    await (await e.aws.events()).send(new PutTargetsCommand({ Rule: names[1]!, Targets: [{ Id: 'wallarm-oob-follower', Arn: elsewhere }] }));
    const after = await readState(state, options);
    expect(after.get('follower-ec2-rule')!.props.functionArn).toBe(withoutPermission(elsewhere, names[1]!));
    expect(after.get('follower-ec2-rule')).toEqual(await rules.read(context(e.aws, 'r'), names[1]!));
    expect(after.get('follower-schedule-rule')!.props.functionArn).toBe(arn);
  });
});

describe('log-group handler', () => {
  it('creates with retention and tags; a retention changed outside is drift, put back by update', async () => {
    e = makeEnv();
    const props: LogGroupProps = { name: '/aws/lambda/wallarm-oob-d1-follower', retentionInDays: 14 };
    const ctx = context(e.aws, 'follower-log-group');
    const live = await logGroups.create(ctx, props);
    expect(live.props).toMatchObject({ ...props, tags: expect.objectContaining({ 'wallarm-oob:deployment': 'd1' }) });
    e.fake.logs.groups.get(props.name)!.retentionInDays = 3;
    const drifted = (await logGroups.read(ctx, props.name))!;
    expect(drifted.props.retentionInDays).toBe(3);
    expect((await logGroups.update(ctx, drifted, { ...props, tags: drifted.props.tags })).props.retentionInDays).toBe(14);
    expect((await logGroups.list(ctx)).map((t) => t.physicalId)).toEqual([props.name]);
    await logGroups.delete(ctx, props.name);
    expect(e.fake.logs.groups.size).toBe(0);
  });

  it('readMany: one DescribeLogGroups by the common prefix, then the tags of each group; a group deleted outside is undefined', async () => {
    e = makeEnv();
    const names = ['/aws/lambda/wallarm-oob-d1-follower', '/aws/lambda/wallarm-oob-d1-other'];
    for (const name of names) await logGroups.create(context(e.aws, `log-${name.length}`), { name, retentionInDays: 14 });
    await (await e.aws.logs()).send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/someone-else' }));
    const ctx = context(e.aws, 'logs');
    const singles = await Promise.all(names.map((n) => logGroups.read(ctx, n)));
    const mark = e.fake.calls.length;
    const many = await logGroups.readMany!(ctx, [...names, '/aws/lambda/wallarm-oob-d1-gone']);
    expect(e.fake.calls.slice(mark).map((c) => c.command).sort()).toEqual(['DescribeLogGroups', 'ListTagsForResource', 'ListTagsForResource']);
    expect(e.fake.callsTo('DescribeLogGroups').at(-1)!.input).toMatchObject({ logGroupNamePrefix: '/aws/lambda/wallarm-oob-d1-' });
    expect(names.map((n) => many.get(n))).toEqual(singles);
    expect(many.get('/aws/lambda/wallarm-oob-d1-gone')).toBeUndefined();
  });

  it('never adopts a group of the same name that is not ours (created by Lambda itself on a first invocation, untagged)', async () => {
    e = makeEnv();
    const name = '/aws/lambda/wallarm-oob-d1-follower';
    await (await e.aws.logs()).send(new CreateLogGroupCommand({ logGroupName: name }));
    await expect(logGroups.create(context(e.aws, 'follower-log-group'), { name, retentionInDays: 14 })).rejects.toMatchObject({
      code: 'AWS_NAME_TAKEN',
      actions: [expect.stringContaining(`Delete or rename the log group ${name}`)],
    });
    expect(e.fake.logs.groups.get(name)!.retentionInDays).toBeUndefined();
  });
});
