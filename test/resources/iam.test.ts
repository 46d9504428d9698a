import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { handler as profiles } from '../../src/resources/iam-instance-profile.js';
import { handler as roles, normalize } from '../../src/resources/iam-role.js';
import type { IamInstanceProfileProps, IamRoleProps } from '../../src/resources/types.js';
import { canonicalJson } from '../../src/resources/util.js';
import { context, env } from './helpers.js';
import type { FakeEnv } from '../fake-aws/helpers.js';

const ASSUME = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const READ_TOKEN = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: 'arn:aws:ssm:eu-west-1:123456789012:parameter/wallarm/token' }] });

function roleProps(over: Partial<IamRoleProps> = {}): IamRoleProps {
  return { name: 'wallarm-oob-d1-node', path: '/wallarm-oob/d1/', assumeRolePolicy: ASSUME, inlinePolicies: { 'read-node-token': READ_TOKEN }, ...over };
}

describe('iam-role handler', () => {
  let e: FakeEnv;
  beforeEach(() => {
    e = env();
  });
  afterEach(() => e.done());

  it('create -> read -> update -> read -> delete -> read', async () => {
    const ctx = context(e.aws, 'node-role');
    const props = { ...roleProps(), tags: { ...ctx.tags } };
    const created = await roles.create(ctx, props);
    expect(created.physicalId).toBe(props.name);
    expect(created.outputs).toEqual({ arn: `arn:aws:iam::123456789012:role/wallarm-oob/d1/${props.name}`, name: props.name });
    expect(e.fake.callsTo('CreateRole')[0]!.input).toMatchObject({ Path: '/wallarm-oob/d1/', Tags: expect.arrayContaining([{ Key: 'wallarm-oob:id', Value: 'node-role' }]) });

    const live = await roles.read(ctx, created.physicalId);
    expect(live?.props).toEqual(normalize(props));
    expect(live?.outputs).toEqual(created.outputs);

    // Whitespace / key order alone is not a change.
    const reformatted = { ...roleProps({ assumeRolePolicy: JSON.stringify(JSON.parse(ASSUME), null, 2) }), tags: { ...ctx.tags } };
    expect(normalize(reformatted)).toEqual(live?.props);

    const desired = roleProps({
      assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com', 'ssm.amazonaws.com'] }, Action: 'sts:AssumeRole' }] }),
      inlinePolicies: { 'other-policy': READ_TOKEN },
      tags: { ...ctx.tags },
    });
    const updated = await roles.update(ctx, live!, desired);
    expect(updated.props).toEqual(normalize(desired));
    expect(e.fake.callsTo('UpdateAssumeRolePolicy')).toHaveLength(1);
    expect(e.fake.callsTo('DeleteRolePolicy')).toHaveLength(1);
    expect((await roles.read(ctx, props.name))?.props).toEqual(normalize(desired));

    await roles.delete(ctx, props.name);
    expect(await roles.read(ctx, props.name)).toBeUndefined();
    await roles.delete(ctx, props.name); // already gone = success
  });

  it('decodes the URL-encoded documents IAM returns', async () => {
    const ctx = context(e.aws, 'node-role');
    await roles.create(ctx, roleProps());
    const raw = await (await e.aws.iam()).send(new GetRolePolicyCommand({ RoleName: 'wallarm-oob-d1-node', PolicyName: 'read-node-token' }));
    expect(raw.PolicyDocument).toMatch(/%7B|%22/); // as AWS does
    expect((await roles.read(ctx, 'wallarm-oob-d1-node'))?.props.inlinePolicies['read-node-token']).toBe(canonicalJson(READ_TOKEN));
  });

  it('lists the roles of the deployment by path and tags, and adopts its own role on a repeated create', async () => {
    const ctx = context(e.aws, 'node-role');
    await roles.create(ctx, roleProps());
    await roles.create(context(e.aws, 'other-role', { deployment: 'd2' }), roleProps({ name: 'wallarm-oob-d2-node', path: '/wallarm-oob/d2/' }));
    expect(await roles.list(ctx)).toMatchObject([{ physicalId: 'wallarm-oob-d1-node', logicalId: 'node-role', tags: expect.any(Object) }]);

    // The same node creating again (an interrupted apply) adopts; another node may not take the name.
    await expect(roles.create(ctx, roleProps())).resolves.toMatchObject({ physicalId: 'wallarm-oob-d1-node' });
    await expect(roles.create(context(e.aws, 'intruder'), roleProps())).rejects.toMatchObject({ code: 'AWS_NAME_TAKEN' });
  });

  it('delete removes the role from instance profiles and detaches managed policies first', async () => {
    const ctx = context(e.aws, 'node-role');
    await roles.create(ctx, roleProps());
    await profiles.create(context(e.aws, 'node-profile'), { name: 'wallarm-oob-d1-node', path: '/wallarm-oob/d1/', roleName: 'wallarm-oob-d1-node' });
    const { AttachRolePolicyCommand } = await import('@aws-sdk/client-iam');
    await (await e.aws.iam()).send(new AttachRolePolicyCommand({ RoleName: 'wallarm-oob-d1-node', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' }));
    await roles.delete(ctx, 'wallarm-oob-d1-node');
    expect(await roles.read(ctx, 'wallarm-oob-d1-node')).toBeUndefined();
    expect((await profiles.read(ctx, 'wallarm-oob-d1-node'))?.props.roleName).toBe('');
  });

  it('reports AWS errors as AwsError naming the resource', async () => {
    const ctx = context(e.aws, 'node-role');
    await expect(roles.create(ctx, roleProps({ assumeRolePolicy: '{not json' }))).rejects.toMatchObject({
      name: 'AwsError',
      message: expect.stringMatching(/^node-role: creating IAM role wallarm-oob-d1-node failed: MalformedPolicyDocument/),
    });
  });
});

describe('iam-instance-profile handler', () => {
  let e: FakeEnv;
  beforeEach(() => {
    e = env();
  });
  afterEach(() => e.done());

  const profileProps: IamInstanceProfileProps = { name: 'wallarm-oob-d1-node', path: '/wallarm-oob/d1/', roleName: 'wallarm-oob-d1-node' };
  const props = profileProps;

  it('create -> read -> update (other role) -> delete -> read', async () => {
    await roles.create(context(e.aws, 'node-role'), roleProps());
    await roles.create(context(e.aws, 'node-role-2'), roleProps({ name: 'wallarm-oob-d1-node-2' }));
    const ctx = context(e.aws, 'node-profile');
    const props = { ...profileProps, tags: { ...ctx.tags } };

    const created = await profiles.create(ctx, props);
    expect(created.outputs).toEqual({ arn: `arn:aws:iam::123456789012:instance-profile/wallarm-oob/d1/${props.name}`, name: props.name });
    expect(created.props).toEqual(props);
    expect(await profiles.read(ctx, props.name)).toEqual(created);

    // Idempotent: the role already there is not added again.
    await profiles.update(ctx, created, props);
    expect(e.fake.callsTo('AddRoleToInstanceProfile')).toHaveLength(1);

    const updated = await profiles.update(ctx, created, { ...props, roleName: 'wallarm-oob-d1-node-2' });
    expect(updated.props.roleName).toBe('wallarm-oob-d1-node-2');
    expect(e.fake.callsTo('RemoveRoleFromInstanceProfile')).toHaveLength(1);

    expect(await profiles.list(ctx)).toMatchObject([{ physicalId: props.name, logicalId: 'node-profile', tags: expect.any(Object) }]);
    await profiles.delete(ctx, props.name);
    expect(await profiles.read(ctx, props.name)).toBeUndefined();
    await profiles.delete(ctx, props.name);
    // The role survives the profile.
    expect(await roles.read(context(e.aws, 'node-role'), 'wallarm-oob-d1-node')).toBeDefined();
  });

  it('waits out IAM eventual consistency of a fresh role', async () => {
    e.fake.eventualConsistency(2);
    await roles.create(context(e.aws, 'node-role'), roleProps());
    const created = await profiles.create(context(e.aws, 'node-profile'), props);
    expect(created.props.roleName).toBe(props.roleName);
  });
});
