import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { handler as groups, normalize } from '../../src/resources/security-group.js';
import type { SecurityGroupProps, SecurityGroupRule } from '../../src/resources/types.js';
import { clock } from '../../src/util/clock.js';
import type { FakeEnv } from '../fake-aws/helpers.js';
import { context, env } from './helpers.js';

const tcp = (port: number, cidr: string, description: string): SecurityGroupRule => ({ protocol: 'tcp', fromPort: port, toPort: port, cidr, description });
const all = (cidr: string, description: string): SecurityGroupRule => ({ protocol: '-1', fromPort: -1, toPort: -1, cidr, description });

describe('security-group handler', () => {
  let e: FakeEnv;
  let props: SecurityGroupProps;
  beforeEach(() => {
    e = env();
    props = {
      name: 'wallarm-oob-d1-node',
      description: 'wallarm-oob d1: Wallarm node instances',
      vpcId: e.net.vpcId,
      ingress: [tcp(9445, '10.0.0.0/8', 'health check and metrics'), tcp(8445, '10.0.0.0/8', 'mirrored requests'), tcp(8445, '172.16.0.0/12', 'mirrored requests')],
      egress: [tcp(443, '0.0.0.0/0', 'Wallarm Cloud')],
    };
  });
  afterEach(() => e.done());

  it('create -> read -> update -> read -> delete -> read', async () => {
    const ctx = context(e.aws, 'node-security-group');
    props = { ...props, tags: { ...ctx.tags } };
    const created = await groups.create(ctx, props);
    expect(created.physicalId).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(created.outputs).toEqual({ groupId: created.physicalId });
    expect(e.fake.callsTo('CreateSecurityGroup')[0]!.input).toMatchObject({
      TagSpecifications: [{ ResourceType: 'security-group', Tags: expect.arrayContaining([{ Key: 'wallarm-oob:deployment', Value: 'd1' }]) }],
    });
    // The default allow-all egress was revoked: only the desired egress remains.
    expect(e.fake.callsTo('RevokeSecurityGroupEgress', { succeeded: true })).toHaveLength(1);

    const live = await groups.read(ctx, created.physicalId);
    expect(live?.props).toEqual(normalize(props));
    expect(created.props).toEqual(live?.props);

    const desired: SecurityGroupProps = {
      ...props,
      ingress: [tcp(9445, '10.0.0.0/8', 'health check and metrics'), tcp(22, '10.0.0.0/8', 'SSH')],
      egress: [all('0.0.0.0/0', 'everything')],
    };
    const updated = await groups.update(ctx, live!, desired);
    expect(updated.props).toEqual(normalize(desired));
    expect((await groups.read(ctx, created.physicalId))?.props).toEqual(normalize(desired));

    // Nothing to change: no mutating call.
    const before = e.fake.mutationCount;
    await groups.update(ctx, updated, desired);
    expect(e.fake.mutationCount).toBe(before);

    await groups.delete(ctx, created.physicalId);
    expect(await groups.read(ctx, created.physicalId)).toBeUndefined();
    await groups.delete(ctx, created.physicalId); // already gone = success
  });

  it('keeps the default egress when it is desired', async () => {
    const ctx = context(e.aws, 'lb-security-group');
    props = { ...props, tags: { ...ctx.tags } };
    const created = await groups.create(ctx, { ...props, egress: [{ ...all('0.0.0.0/0', ''), fromPort: 0, toPort: 0 }] });
    expect(e.fake.callsTo('RevokeSecurityGroupEgress')).toHaveLength(0);
    expect(e.fake.callsTo('AuthorizeSecurityGroupEgress')).toHaveLength(0);
    expect(created.props.egress).toEqual([all('0.0.0.0/0', '')]);
  });

  it('retries rules while a fresh group is not visible yet (eventual consistency)', async () => {
    e.fake.eventualConsistency(3);
    const ctx = context(e.aws, 'node-security-group');
    props = { ...props, tags: { ...ctx.tags } };
    const created = await groups.create(ctx, props);
    expect(e.fake.callsTo('DescribeSecurityGroups').some((c) => c.error === 'InvalidGroup.NotFound')).toBe(true);
    e.fake.clearFaults();
    expect((await groups.read(ctx, created.physicalId))?.props).toEqual(normalize(props));
  });

  it('changes only a rule description in place (UpdateSecurityGroupRuleDescriptionsIngress), without revoke/authorize', async () => {
    const ctx = context(e.aws, 'node-security-group');
    props = { ...props, tags: { ...ctx.tags } };
    const created = await groups.create(ctx, props);
    const described = { ...props, ingress: props.ingress.map((r) => ({ ...r, description: `${r.description} (renamed)` })) };
    const before = e.fake.calls.length;
    const updated = await groups.update(ctx, created, described);
    const mutations = e.fake.calls.slice(before).filter((c) => c.mutating).map((c) => c.command);
    expect(new Set(mutations)).toEqual(new Set(['UpdateSecurityGroupRuleDescriptionsIngress']));
    expect(updated.props).toEqual(normalize(described));
    expect((await groups.read(ctx, created.physicalId))?.props).toEqual(normalize(described));
  });

  it('lists the groups of the deployment by tag', async () => {
    const a = await groups.create(context(e.aws, 'node-security-group'), props);
    await groups.create(context(e.aws, 'x', { deployment: 'd2' }), { ...props, name: 'other' });
    expect(await groups.list(context(e.aws, 'any'))).toMatchObject([{ physicalId: a.physicalId, logicalId: 'node-security-group', tags: expect.any(Object) }]);
  });

  it('adopts its own group on a repeated create and refuses a foreign one', async () => {
    const ctx = context(e.aws, 'node-security-group');
    props = { ...props, tags: { ...ctx.tags } };
    const first = await groups.create(ctx, props);
    await expect(groups.create(ctx, props)).resolves.toMatchObject({ physicalId: first.physicalId });
    await expect(groups.create(context(e.aws, 'intruder'), props)).rejects.toMatchObject({ code: 'AWS_NAME_TAKEN' });
  });

  it('gives up deleting a group still in use after the window, saying how to find the users', async () => {
    clock.setScale(0.0001); // a 15-minute window
    const ctx = context(e.aws, 'node-security-group');
    props = { ...props, tags: { ...ctx.tags } };
    const sg = await groups.create(ctx, props);
    e.fake.addInstance({ subnetId: e.net.privateSubnetIds[0], sgIds: [sg.physicalId] });
    await expect(groups.delete(ctx, sg.physicalId)).rejects.toMatchObject({
      code: 'AWS_DEPENDENCY_VIOLATION',
      actions: [expect.stringContaining(`Values=${sg.physicalId}`), expect.any(String)],
    });
    expect(ctx.logs.some((l) => /waiting for network interfaces to release security group/.test(l))).toBe(true);
  });

  it('waits while a deleted load balancer still holds the group', async () => {
    const { handler: lbs } = await import('../../src/resources/load-balancer.js');
    const ctx = context(e.aws, 'lb-security-group');
    props = { ...props, tags: { ...ctx.tags } };
    const sg = await groups.create(ctx, props);
    const lbCtx = context(e.aws, 'node-alb');
    const lb = await lbs.create(lbCtx, {
      name: 'wallarm-oob-d1-alb',
      type: 'application',
      scheme: 'internal',
      subnetIds: e.net.privateSubnetIds,
      securityGroupIds: [sg.physicalId],
      attributes: {},
    });
    await lbs.delete(lbCtx, lb.physicalId);
    await groups.delete(ctx, sg.physicalId);
    expect(e.fake.callsTo('DeleteSecurityGroup').some((c) => c.error === 'DependencyViolation')).toBe(true);
    expect(await groups.read(ctx, sg.physicalId)).toBeUndefined();
  });
});
