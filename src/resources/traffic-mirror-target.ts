import {
  CreateTrafficMirrorTargetCommand,
  DeleteTrafficMirrorTargetCommand,
  DescribeTrafficMirrorTargetsCommand,
  paginateDescribeTrafficMirrorTargets,
  type EC2Client,
  type TrafficMirrorTarget,
} from '@aws-sdk/client-ec2';

import { unlessNotFound } from './not-found.js';
import type { Live, ResourceContext, ResourceHandler, Tagged, TrafficMirrorTargetProps } from './types.js';
import { deleteWhileInUse } from './traffic-mirror-util.js';
import { syncEc2Tags } from './tagging.js';
import { comparableTags, createIdempotently, ec2TagSpec, guard, sha256, stableJson, tagRecord, ownedItem } from './util.js';

export async function describeTarget(ec2: EC2Client, targetId: string): Promise<TrafficMirrorTarget | undefined> {
  const out = await unlessNotFound(ec2.send(new DescribeTrafficMirrorTargetsCommand({ TrafficMirrorTargetIds: [targetId] })));
  if (!out) return undefined;
  return out.TrafficMirrorTargets?.find((t) => t.TrafficMirrorTargetId === targetId);
}

function toLive(t: TrafficMirrorTarget): Live<TrafficMirrorTargetProps> {
  const targetId = t.TrafficMirrorTargetId ?? '';
  return {
    physicalId: targetId,
    props: { networkLoadBalancerArn: t.NetworkLoadBalancerArn ?? '', description: t.Description ?? '', tags: comparableTags(tagRecord(t.Tags)) },
    outputs: { targetId },
  };
}

async function create(ctx: ResourceContext, props: TrafficMirrorTargetProps): Promise<Live<TrafficMirrorTargetProps>> {
  return guard(ctx, `creating traffic mirror target for ${props.networkLoadBalancerArn}`, async () => {
    const ec2 = await ctx.aws.ec2();
    const send = (ClientToken: string) =>
      ec2.send(
        new CreateTrafficMirrorTargetCommand({
          NetworkLoadBalancerArn: props.networkLoadBalancerArn,
          Description: props.description,
          ClientToken,
          TagSpecifications: [ec2TagSpec('traffic-mirror-target', ctx.tags)],
        }),
      );
    // The props are part of the token: a replacement (another NLB) is a new request, not a mismatch.
    // Tags are not part of it: they are updated in place.
    const token = sha256(`${ctx.clientToken}|${stableJson({ ...props, tags: undefined })}`).slice(0, 64);
    const out = await createIdempotently(token, send, (o) => o.TrafficMirrorTarget?.TrafficMirrorTargetId, async (id) => Boolean(await describeTarget(ec2, id)), ctx.signal);
    const target = out.TrafficMirrorTarget;
    if (!target?.TrafficMirrorTargetId) throw new Error('CreateTrafficMirrorTarget returned no TrafficMirrorTargetId');
    return toLive(target);
  });
}

async function read(ctx: ResourceContext, physicalId: string): Promise<Live<TrafficMirrorTargetProps> | undefined> {
  return guard(ctx, `reading traffic mirror target ${physicalId}`, async () => {
    const t = await describeTarget(await ctx.aws.ec2(), physicalId);
    return t ? toLive(t) : undefined;
  });
}

/** Both other props are in replaceOn (EC2 cannot change a target): only tags are updated in place. */
async function update(ctx: ResourceContext, live: Live<TrafficMirrorTargetProps>, desired: TrafficMirrorTargetProps): Promise<Live<TrafficMirrorTargetProps>> {
  return guard(ctx, `updating traffic mirror target ${live.physicalId}`, async () => {
    if (desired.tags) await syncEc2Tags(await ctx.aws.ec2(), live.physicalId, live.props.tags, desired.tags);
    return (await read(ctx, live.physicalId)) ?? live;
  });
}

async function destroy(ctx: ResourceContext, physicalId: string): Promise<void> {
  await guard(ctx, `deleting traffic mirror target ${physicalId}`, async () => {
    const ec2 = await ctx.aws.ec2();
    await deleteWhileInUse(ctx, 'traffic-mirror-target', `traffic mirror target ${physicalId}`, `traffic-mirror-target-id=${physicalId}`, () =>
      ec2.send(new DeleteTrafficMirrorTargetCommand({ TrafficMirrorTargetId: physicalId })),
    );
  });
}

async function list(ctx: ResourceContext): Promise<Tagged[]> {
  return guard(ctx, 'listing traffic mirror targets', async () => {
    const found: Tagged[] = [];
    const pages = paginateDescribeTrafficMirrorTargets(
      { client: await ctx.aws.ec2(), pageSize: 1000 },
      // DescribeTrafficMirrorTargets documents no tag filter: the tags are checked here.
      {},
    );
    for await (const page of pages) {
      for (const t of page.TrafficMirrorTargets ?? []) {
        const owned = t.TrafficMirrorTargetId ? ownedItem(ctx.deployment, t.TrafficMirrorTargetId, t.Tags) : undefined;
        if (owned) found.push(owned);
      }
    }
    return found;
  });
}

export const handler: ResourceHandler<TrafficMirrorTargetProps> = {
  kind: 'traffic-mirror-target',
  // EC2 has no call that modifies a traffic mirror target.
  replaceOn: ['networkLoadBalancerArn', 'description'],
  create,
  read,
  update,
  delete: destroy,
  list,
};
