import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { verifyOwnership } from '../../src/engine/ownership.js';
import { AwsError, StateError } from '../../src/errors.js';
import { verifyNameTakeover } from '../../src/resources/ownership.js';
import { handler as groups } from '../../src/resources/security-group.js';
import { handler as filters } from '../../src/resources/traffic-mirror-filter.js';
import { handler as targets } from '../../src/resources/traffic-mirror-target.js';
import type { FakeEnv } from '../fake-aws/helpers.js';
import { context, env } from './helpers.js';
import { createNlb, FILTER_PROPS } from './traffic-mirror-helpers.js';

describe('list() keeps only what is tagged with this deployment, checked on the client', () => {
  let e: FakeEnv;
  beforeEach(() => {
    e = env();
  });
  afterEach(() => e.done());

  it('traffic mirror filters and targets: no tag filter is sent (none is documented), tags are compared locally', async () => {
    const mine = context(e.aws, 'mirror-filter', { deployment: 'd1' });
    const theirs = context(e.aws, 'mirror-filter', { deployment: 'd2' });
    const a = await filters.create(mine, { ...FILTER_PROPS, tags: { ...mine.tags } });
    await filters.create(theirs, { ...FILTER_PROPS, tags: { ...theirs.tags } });
    expect((await filters.list(mine)).map((t) => t.physicalId)).toEqual([a.physicalId]);
    for (const call of e.fake.callsTo('DescribeTrafficMirrorFilters')) expect(JSON.stringify(call.input)).not.toContain('tag:');

    const nlbA = await createNlb(e, 'nlb-a');
    const nlbB = await createNlb(e, 'nlb-b');
    const ta = await targets.create(context(e.aws, 'mirror-target', { deployment: 'd1' }), { networkLoadBalancerArn: nlbA, description: 'a', tags: { ...context(e.aws, 'mirror-target', { deployment: 'd1' }).tags } });
    await targets.create(context(e.aws, 'mirror-target', { deployment: 'd2' }), { networkLoadBalancerArn: nlbB, description: 'b', tags: { ...context(e.aws, 'mirror-target', { deployment: 'd2' }).tags } });
    expect((await targets.list(context(e.aws, 'x', { deployment: 'd1' }))).map((t) => t.physicalId)).toEqual([ta.physicalId]);
  });

  it('an endpoint that ignores server-side tag filters still yields only our own resources', async () => {
    const props = (ctx: ReturnType<typeof context>, name: string) => ({ name, description: name, vpcId: e.net.vpcId, ingress: [], egress: [], tags: { ...ctx.tags } });
    const mine = context(e.aws, 'node-security-group', { deployment: 'd1' });
    const theirs = context(e.aws, 'node-security-group', { deployment: 'd2' });
    const a = await groups.create(mine, props(mine, 'nodes-d1'));
    await groups.create(theirs, props(theirs, 'nodes-d2'));
    e.fake.ignoreTagFilters(true);
    expect((await groups.list(mine)).map((t) => t.physicalId)).toEqual([a.physicalId]);
  });
});

describe('verifyOwnership', () => {
  const subject = (tags: Record<string, string> | undefined, logicalId = 'node-alb') => ({ kind: 'load-balancer' as const, logicalId, physicalId: 'arn:lb/x', tags, checkLogicalId: true });

  it('refuses another deployment, an untagged resource and another logical id, naming the owner and the fix', () => {
    expect(() => verifyOwnership('d1', subject({ 'wallarm-oob:deployment': 'd2', 'wallarm-oob:id': 'node-alb' }), 'delete', 'state')).toThrow(
      /Refusing to delete load-balancer arn:lb\/x \(node-alb, found through state\): it belongs to deployment "d2"/,
    );
    expect(() => verifyOwnership('d1', subject({}), 'update', 'state')).toThrow(/carries no wallarm-oob:deployment tag/);
    expect(() => verifyOwnership('d1', subject({ 'wallarm-oob:deployment': 'd1', 'wallarm-oob:id': 'node-tg' }), 'replace', 'an orphan entry of state')).toThrow(/this deployment's "node-tg"/);
    try {
      verifyOwnership('d1', subject({ 'wallarm-oob:deployment': 'd2' }), 'delete', 'state');
    } catch (error) {
      expect(error).toBeInstanceOf(StateError);
      expect((error as StateError).actions[0]).toContain('Delete the state parameter /wallarm-oob/d1/state');
    }
  });

  it('accepts its own resources and kinds AWS cannot tag', () => {
    expect(() => verifyOwnership('d1', subject({ 'wallarm-oob:deployment': 'd1', 'wallarm-oob:id': 'node-alb' }), 'delete', 'state')).not.toThrow();
    expect(() => verifyOwnership('d1', subject(undefined), 'delete', 'state')).not.toThrow();
  });
});

describe('verifyNameTakeover: a create may take over a same-named resource only when it is this very node\'s', () => {
  const ctx = context(undefined as never, 'follower-function', { deployment: 'd1' });
  const tags = (deployment?: string, id?: string) => ({ ...(deployment && { 'wallarm-oob:deployment': deployment }), ...(id && { 'wallarm-oob:id': id }) });

  it('passes for this deployment and this logical id (an apply interrupted after the create)', () => {
    expect(() => verifyNameTakeover(ctx, 'a Lambda function', 'f', tags('d1', 'follower-function'))).not.toThrow();
  });

  it('refuses, naming whose it is: another deployment, another node of this one, an untagged resource, tags unreadable', () => {
    expect(() => verifyNameTakeover(ctx, 'a Lambda function', 'f', tags('d2', 'follower-function'))).toThrow(
      'follower-function: a Lambda function named f already exists and is not managed by this deployment (it belongs to deployment "d2").',
    );
    expect(() => verifyNameTakeover(ctx, 'a Lambda function', 'f', tags('d1', 'other-node'))).toThrow(/\(it is this deployment's "other-node"\)/);
    expect(() => verifyNameTakeover(ctx, 'a Lambda function', 'f', tags('d1'))).toThrow(/\(it carries no wallarm-oob:id tag\)/);
    expect(() => verifyNameTakeover(ctx, 'a Lambda function', 'f', {})).toThrow(/named f already exists and is not managed by this deployment\.$/);
    expect(() => verifyNameTakeover(ctx, 'a Lambda function', 'f', undefined)).toThrow(AwsError);
  });
});
