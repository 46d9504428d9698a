import { CreateTrafficMirrorSessionCommand, DeleteTrafficMirrorSessionCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { handler as filters, normalize } from '../../src/resources/traffic-mirror-filter.js';
import { handler as targets } from '../../src/resources/traffic-mirror-target.js';
import type { TrafficMirrorFilterProps } from '../../src/resources/types.js';
import type { FakeEnv } from '../fake-aws/helpers.js';
import { context, env } from './helpers.js';
import { createNlb, FILTER_PROPS, rule } from './traffic-mirror-helpers.js';

describe('traffic-mirror-filter handler', () => {
  let e: FakeEnv;
  beforeEach(() => {
    e = env();
  });
  afterEach(() => e.done());

  it('create -> read -> update rules and services -> read -> delete', async () => {
    const ctx = context(e.aws, 'mirror-filter');
    const props: TrafficMirrorFilterProps = { ...FILTER_PROPS, networkServices: ['amazon-dns'], tags: { ...ctx.tags } };
    const created = await filters.create(ctx, props);
    expect(created.physicalId).toMatch(/^tmf-[0-9a-f]{17}$/);
    expect(created.outputs).toEqual({ filterId: created.physicalId });
    expect(created.props).toEqual(normalize(props));
    expect(created.props.rules.map((r) => `${r.direction}:${r.ruleNumber}`)).toEqual(['egress:120', 'ingress:20', 'ingress:110']);
    expect(e.fake.callsTo('CreateTrafficMirrorFilter')[0]!.input).toMatchObject({
      ClientToken: expect.stringMatching(/^[0-9a-f]{64}$/),
      TagSpecifications: [{ ResourceType: 'traffic-mirror-filter', Tags: expect.arrayContaining([{ Key: 'wallarm-oob:deployment', Value: 'd1' }]) }],
    });
    expect(await filters.read(ctx, created.physicalId)).toEqual(created);

    const desired: TrafficMirrorFilterProps = {
      ...props,
      networkServices: [],
      rules: [
        rule('ingress', 20, 'accept', { destinationPortRange: { from: 80, to: 80 }, description: 'HTTP' }), // modified in place
        rule('egress', 10, 'accept', { sourcePortRange: { from: 80, to: 80 } }), // created
        rule('egress', 120, 'reject'), // kept; ingress 110 deleted
      ],
    };
    const updated = await filters.update(ctx, created, desired);
    expect(updated.props).toEqual(normalize(desired));
    expect(await filters.read(ctx, created.physicalId)).toEqual(updated);
    expect(e.fake.callsTo('ModifyTrafficMirrorFilterRule', { succeeded: true })).toHaveLength(1);
    expect(e.fake.callsTo('DeleteTrafficMirrorFilterRule', { succeeded: true })).toHaveLength(1);
    expect(e.fake.callsTo('CreateTrafficMirrorFilterRule', { succeeded: true })).toHaveLength(4);

    const before = e.fake.mutationCount;
    await filters.update(ctx, updated, desired);
    expect(e.fake.mutationCount).toBe(before);

    expect(await filters.list(ctx)).toMatchObject([{ physicalId: created.physicalId, logicalId: 'mirror-filter', tags: expect.any(Object) }]);
    await filters.delete(ctx, created.physicalId);
    expect(await filters.read(ctx, created.physicalId)).toBeUndefined();
    await filters.delete(ctx, created.physicalId); // gone = success
  });

  it('a rule removed and added back is created again (its old client token replays a deleted rule)', async () => {
    const ctx = context(e.aws, 'mirror-filter');
    const props = { ...FILTER_PROPS, tags: { ...ctx.tags } };
    const created = await filters.create(ctx, props);
    const without = await filters.update(ctx, created, { ...props, rules: props.rules.slice(1) });
    const back = await filters.update(ctx, without, props);
    expect(back.props).toEqual(normalize(props));
  });
});

describe('traffic-mirror-target handler, and deletes refused while sessions use filter or target', () => {
  let e: FakeEnv;
  beforeEach(() => {
    e = env();
  });
  afterEach(() => e.done());

  it('create -> read -> list; delete waits for sessions, then fails clearly; succeeds once they are gone', async () => {
    const ctx = context(e.aws, 'mirror-target');
    const nlb = await createNlb(e);
    const created = await targets.create(ctx, { networkLoadBalancerArn: nlb, description: 'rebuilder NLB', tags: { ...ctx.tags } });
    expect(created).toEqual({
      physicalId: expect.stringMatching(/^tmt-/),
      props: { networkLoadBalancerArn: nlb, description: 'rebuilder NLB', tags: { ...ctx.tags } },
      outputs: { targetId: created.physicalId },
    });
    expect(await targets.read(ctx, created.physicalId)).toEqual(created);
    expect(await targets.list(ctx)).toMatchObject([{ physicalId: created.physicalId, logicalId: 'mirror-target', tags: expect.any(Object) }]);
    expect(targets.replaceOn).toContain('networkLoadBalancerArn');

    const filterCtx = context(e.aws, 'mirror-filter');
    const filter = await filters.create(filterCtx, FILTER_PROPS);
    const ec2 = await e.aws.ec2();
    const web = e.fake.addInstance({ subnetId: e.net.privateSubnetIds[0], instanceType: 'm5.large' });
    const session = await ec2.send(
      new CreateTrafficMirrorSessionCommand({ NetworkInterfaceId: web.eniId, TrafficMirrorTargetId: created.physicalId, TrafficMirrorFilterId: filter.physicalId, SessionNumber: 1 }),
    );

    await expect(targets.delete(ctx, created.physicalId)).rejects.toMatchObject({
      code: 'AWS_DEPENDENCY_VIOLATION',
      message: expect.stringContaining(`traffic mirror target ${created.physicalId} is still used by traffic mirror sessions after 5m`),
      actions: expect.arrayContaining([expect.stringContaining(`Name=traffic-mirror-target-id,Values=${created.physicalId}`)]),
    });
    expect(ctx.logs).toContain(`waiting for traffic mirror sessions to stop using traffic mirror target ${created.physicalId}`);
    expect(e.fake.callsTo('DeleteTrafficMirrorTarget').length).toBeGreaterThan(2); // retried within the window
    await expect(filters.delete(filterCtx, filter.physicalId)).rejects.toMatchObject({ code: 'AWS_DEPENDENCY_VIOLATION' });

    await ec2.send(new DeleteTrafficMirrorSessionCommand({ TrafficMirrorSessionId: session.TrafficMirrorSession!.TrafficMirrorSessionId }));
    await targets.delete(ctx, created.physicalId);
    await filters.delete(filterCtx, filter.physicalId);
    expect(await targets.read(ctx, created.physicalId)).toBeUndefined();
    expect(e.fake.resourcesTagged('wallarm-oob:deployment', 'd1')).toEqual([]);
  });

  it('a replacement target (another NLB) is a new request, not a client-token mismatch', async () => {
    const ctx = context(e.aws, 'mirror-target');
    const first = await targets.create(ctx, { networkLoadBalancerArn: await createNlb(e, 'one'), description: 'd' });
    const second = await targets.create(ctx, { networkLoadBalancerArn: await createNlb(e, 'two'), description: 'd' });
    expect(second.physicalId).not.toBe(first.physicalId);
  });
});
