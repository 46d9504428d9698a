import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
} from '@aws-sdk/client-iam';
import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
} from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ASSUME_EC2, codeOf, fakeEnv, type FakeEnv } from './helpers.js';

describe('fake-aws: SSM Parameter Store', () => {
  let env: FakeEnv;
  beforeEach(() => {
    env = fakeEnv();
  });
  afterEach(() => env.done());

  it('PutParameter: create, Overwrite=false conflict, versions, tags only on create', async () => {
    const ssm = await env.aws.ssm();
    const tags = [{ Key: 'wallarm-oob:deployment', Value: 'd1' }];
    const first = await ssm.send(new PutParameterCommand({ Name: '/wallarm-oob/d1/state', Value: '{}', Type: 'String', Tags: tags }));
    expect(first.Version).toBe(1);
    expect(await codeOf(ssm.send(new PutParameterCommand({ Name: '/wallarm-oob/d1/state', Value: '{"a":1}', Type: 'String' })))).toBe('ParameterAlreadyExists');
    expect(await codeOf(ssm.send(new PutParameterCommand({ Name: '/wallarm-oob/d1/state', Value: '{"a":1}', Overwrite: true, Tags: tags })))).toBe('ValidationException');
    const second = await ssm.send(new PutParameterCommand({ Name: '/wallarm-oob/d1/state', Value: '{"a":1}', Overwrite: true }));
    expect(second.Version).toBe(2);
    const got = await ssm.send(new GetParameterCommand({ Name: '/wallarm-oob/d1/state' }));
    expect(got.Parameter).toMatchObject({ Value: '{"a":1}', Version: 2, Type: 'String', ARN: 'arn:aws:ssm:eu-west-1:123456789012:parameter/wallarm-oob/d1/state' });
    expect((await ssm.send(new GetParameterCommand({ Name: '/wallarm-oob/d1/state:1' }))).Parameter?.Value).toBe('{}');
    expect((await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/wallarm-oob/d1/state' }))).TagList).toEqual(tags);
  });

  it('enforces the 4096-character Standard tier limit (Advanced allows 8192)', async () => {
    const ssm = await env.aws.ssm();
    const big = 'x'.repeat(4097);
    const err = await ssm.send(new PutParameterCommand({ Name: '/big', Value: big, Type: 'String' })).then(() => new Error('no error'), (e: Error) => e);
    expect(err.name).toBe('ValidationException');
    expect(err.message).toMatch(/^Standard tier parameters support a maximum parameter value of 4096 characters/);
    expect(await codeOf(ssm.send(new PutParameterCommand({ Name: '/big', Value: big, Type: 'String', Tier: 'Standard' })))).toBe('ValidationException');
    expect((await ssm.send(new PutParameterCommand({ Name: '/big', Value: big, Type: 'String', Tier: 'Advanced' }))).Tier).toBe('Advanced');
    expect((await ssm.send(new PutParameterCommand({ Name: '/ok', Value: 'x'.repeat(4096), Type: 'String' }))).Tier).toBe('Standard');
  });

  it('SecureString needs WithDecryption; not found; DescribeParameters filters', async () => {
    const ssm = await env.aws.ssm();
    await ssm.send(new PutParameterCommand({ Name: '/wallarm-oob/d1/token', Value: 'secret', Type: 'SecureString' }));
    expect((await ssm.send(new GetParameterCommand({ Name: '/wallarm-oob/d1/token' }))).Parameter?.Value).not.toBe('secret');
    expect((await ssm.send(new GetParameterCommand({ Name: '/wallarm-oob/d1/token', WithDecryption: true }))).Parameter?.Value).toBe('secret');
    await ssm.send(new PutParameterCommand({ Name: '/wallarm-oob/d2/state', Value: 'x', Type: 'String' }));
    await ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/wallarm-oob/d2/state', Tags: [{ Key: 'k', Value: 'v' }] }));
    const byPrefix = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/wallarm-oob/d1/'] }] }));
    expect(byPrefix.Parameters?.map((p) => p.Name)).toEqual(['/wallarm-oob/d1/token']);
    const byTag = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'tag:k', Values: ['v'] }] }));
    expect(byTag.Parameters?.map((p) => p.Name)).toEqual(['/wallarm-oob/d2/state']);
    await ssm.send(new DeleteParameterCommand({ Name: '/wallarm-oob/d2/state' }));
    expect(await codeOf(ssm.send(new DeleteParameterCommand({ Name: '/wallarm-oob/d2/state' })))).toBe('ParameterNotFound');
    expect(await codeOf(ssm.send(new GetParameterCommand({ Name: '/wallarm-oob/d2/state' })))).toBe('ParameterNotFound');
  });
});

describe('fake-aws: IAM', () => {
  let env: FakeEnv;
  beforeEach(() => {
    env = fakeEnv();
  });
  afterEach(() => env.done());

  it('roles: unique names, ARN with path, URL-encoded policy documents, DeleteConflict until cleaned up', async () => {
    const iam = await env.aws.iam();
    const created = await iam.send(
      new CreateRoleCommand({ RoleName: 'wallarm-oob-d1-node', Path: '/wallarm-oob/d1/', AssumeRolePolicyDocument: ASSUME_EC2, Tags: [{ Key: 'wallarm-oob:deployment', Value: 'd1' }] }),
    );
    expect(created.Role?.Arn).toBe('arn:aws:iam::123456789012:role/wallarm-oob/d1/wallarm-oob-d1-node');
    expect(await codeOf(iam.send(new CreateRoleCommand({ RoleName: 'WALLARM-OOB-D1-NODE', AssumeRolePolicyDocument: ASSUME_EC2 })))).toBe('EntityAlreadyExists');
    const got = await iam.send(new GetRoleCommand({ RoleName: 'wallarm-oob-d1-node' }));
    expect(JSON.parse(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!))).toEqual(JSON.parse(ASSUME_EC2));

    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: '*' }] });
    await iam.send(new PutRolePolicyCommand({ RoleName: 'wallarm-oob-d1-node', PolicyName: 'node', PolicyDocument: policy }));
    const doc = await iam.send(new GetRolePolicyCommand({ RoleName: 'wallarm-oob-d1-node', PolicyName: 'node' }));
    expect(doc.PolicyDocument).toBe(encodeURIComponent(policy));
    expect(await codeOf(iam.send(new PutRolePolicyCommand({ RoleName: 'wallarm-oob-d1-node', PolicyName: 'bad', PolicyDocument: '{nope' })))).toBe('MalformedPolicyDocument');

    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'wallarm-oob-d1-node', Path: '/wallarm-oob/d1/' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'wallarm-oob-d1-node', RoleName: 'wallarm-oob-d1-node' }));
    expect(await codeOf(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'wallarm-oob-d1-node', RoleName: 'wallarm-oob-d1-node' })))).toBe('LimitExceeded');
    expect(await codeOf(iam.send(new DeleteRoleCommand({ RoleName: 'wallarm-oob-d1-node' })))).toBe('DeleteConflict');
    expect(await codeOf(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'wallarm-oob-d1-node' })))).toBe('DeleteConflict');
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'wallarm-oob-d1-node', RoleName: 'wallarm-oob-d1-node' }));
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'wallarm-oob-d1-node' }));
    expect(await codeOf(iam.send(new DeleteRoleCommand({ RoleName: 'wallarm-oob-d1-node' })))).toBe('DeleteConflict'); // inline policy left
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'wallarm-oob-d1-node', PolicyName: 'node' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'wallarm-oob-d1-node' }));
    expect(await codeOf(iam.send(new GetRoleCommand({ RoleName: 'wallarm-oob-d1-node' })))).toBe('NoSuchEntity');
  });

  it('ListRoles filters by path prefix and paginates with Marker', async () => {
    const iam = await env.aws.iam();
    for (const n of ['a', 'b', 'c']) await iam.send(new CreateRoleCommand({ RoleName: n, Path: '/wallarm-oob/d1/', AssumeRolePolicyDocument: ASSUME_EC2 }));
    await iam.send(new CreateRoleCommand({ RoleName: 'other', AssumeRolePolicyDocument: ASSUME_EC2 }));
    const p1 = await iam.send(new ListRolesCommand({ PathPrefix: '/wallarm-oob/d1/', MaxItems: 2 }));
    expect(p1.Roles?.map((r) => r.RoleName)).toEqual(['a', 'b']);
    expect(p1.IsTruncated).toBe(true);
    const p2 = await iam.send(new ListRolesCommand({ PathPrefix: '/wallarm-oob/d1/', MaxItems: 2, Marker: p1.Marker }));
    expect(p2.Roles?.map((r) => r.RoleName)).toEqual(['c']);
    expect(p2.IsTruncated).toBe(false);
  });
});
