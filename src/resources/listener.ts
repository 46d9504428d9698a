import {
  CreateListenerCommand,
  DeleteListenerCommand,
  DescribeListenersCommand,
  ModifyListenerCommand,
  paginateDescribeListeners,
  type Listener,
} from '@aws-sdk/client-elastic-load-balancing-v2';

import { isNotFound, isNotFoundOf, unlessNotFound } from './not-found.js';
import { AwsError } from '../errors.js';
import { deploymentLoadBalancers, ELB_ARNS_MAX, describeWithTags, elbTagsOf, taggedWithDeployment } from './load-balancer.js';
import { syncElbTags } from './tagging.js';
import type { ListenerProps, Live, ReadBatch, ResourceContext, ResourceHandler, Tagged } from './types.js';
import { comparableTags, describeByIds, elbTags, guard, MINUTE, retryWhile, SECOND } from './util.js';
import { anyResource, forList, owned, scoped, elbTagOnCreate, type IamGrants } from '../iam/grants.js';

/** How long a just-created load balancer or target group may be invisible to CreateListener. */
const CREATE_CONSISTENCY_MS = 1 * MINUTE;

function forward(targetGroupArn: string) {
  return [{ Type: 'forward' as const, TargetGroupArn: targetGroupArn }];
}

function toLive(listener: Listener, tags?: Record<string, string>): Live<ListenerProps> {
  const arn = listener.ListenerArn ?? '';
  const action = listener.DefaultActions?.find((a) => a.Type === 'forward');
  return {
    physicalId: arn,
    props: {
      loadBalancerArn: listener.LoadBalancerArn ?? '',
      protocol: (listener.Protocol ?? 'HTTP') as ListenerProps['protocol'],
      port: listener.Port ?? 0,
      targetGroupArn: action?.TargetGroupArn ?? action?.ForwardConfig?.TargetGroups?.[0]?.TargetGroupArn ?? '',
      ...(tags && { tags: comparableTags(tags) }),
    },
    outputs: { arn },
  };
}

async function create(ctx: ResourceContext, props: ListenerProps): Promise<Live<ListenerProps>> {
  return guard(ctx, `creating listener ${props.protocol}:${props.port}`, async () => {
    const elb = await ctx.aws.elbv2();
    // Idempotent: the same settings on the same port return the existing listener.
    // The load balancer and target group were usually created moments ago: NotFound is eventual consistency.
    const out = await retryWhile(
      isNotFound,
      () =>
        elb.send(
          new CreateListenerCommand({
            LoadBalancerArn: props.loadBalancerArn,
            Protocol: props.protocol,
            Port: props.port,
            DefaultActions: forward(props.targetGroupArn),
            Tags: elbTags(ctx.tags),
          }),
        ),
      { windowMs: CREATE_CONSISTENCY_MS, intervalMs: 2 * SECOND, signal: ctx.signal },
    );
    const listener = out.Listeners?.[0];
    if (!listener?.ListenerArn) throw new Error('CreateListener returned no listener');
    return toLive(listener, ctx.tags);
  });
}

/** The listener, or undefined when it (or its load balancer) is gone. */
async function read(ctx: ResourceContext, physicalId: string): Promise<Live<ListenerProps> | undefined> {
  return guard(ctx, `reading listener ${physicalId}`, async () => {
    const out = await unlessNotFound((await ctx.aws.elbv2()).send(new DescribeListenersCommand({ ListenerArns: [physicalId] })));
    if (!out) return undefined;
    const listener = out.Listeners?.find((l) => l.ListenerArn === physicalId);
    return listener ? toLive(listener, (await elbTagsOf(await ctx.aws.elbv2(), [physicalId])).get(physicalId) ?? {}) : undefined;
  });
}

/** DescribeListeners by ARN list (batches of 20), with the tags (describeWithTags). */
async function readMany(ctx: ResourceContext, physicalIds: readonly string[], batch?: ReadBatch): Promise<Map<string, Live<ListenerProps> | undefined>> {
  return guard(ctx, `reading listeners ${physicalIds.join(', ')}`, async () => {
    const elb = await ctx.aws.elbv2();
    const [found, tags] = await describeWithTags(elb, batch, () =>
      describeByIds(physicalIds, ELB_ARNS_MAX, async (ids) => {
        const out = await elb.send(new DescribeListenersCommand({ ListenerArns: ids }));
        return new Map((out.Listeners ?? []).map((l) => [l.ListenerArn ?? '', l]));
      }),
    );
    return new Map(physicalIds.map((arn) => [arn, found.get(arn) ? toLive(found.get(arn)!, tags.get(arn) ?? {}) : undefined] as const));
  });
}

async function update(ctx: ResourceContext, live: Live<ListenerProps>, desired: ListenerProps): Promise<Live<ListenerProps>> {
  return guard(ctx, `updating listener ${live.physicalId}`, async () => {
    if (desired.tags) await syncElbTags(await ctx.aws.elbv2(), live.physicalId, live.props.tags, desired.tags);
    const out = await (await ctx.aws.elbv2()).send(
      new ModifyListenerCommand({
        ListenerArn: live.physicalId,
        Protocol: desired.protocol,
        Port: desired.port,
        DefaultActions: forward(desired.targetGroupArn),
      }),
    );
    const listener = out.Listeners?.[0];
    if (!listener) throw new AwsError('AWS_NOT_FOUND', `${ctx.logicalId}: listener ${live.physicalId} disappeared during the update.`, { actions: ['Run the command again: it will be created.'] });
    return toLive(listener, desired.tags ?? live.props.tags);
  });
}

async function destroy(ctx: ResourceContext, physicalId: string): Promise<void> {
  await guard(ctx, `deleting listener ${physicalId}`, async () => {
    try {
      await (await ctx.aws.elbv2()).send(new DeleteListenerCommand({ ListenerArn: physicalId }));
    } catch (error) {
      if (isNotFoundOf('listener', error)) return;
      throw error;
    }
  });
}

async function list(ctx: ResourceContext): Promise<Tagged[]> {
  return guard(ctx, 'listing listeners', async () => {
    const elb = await ctx.aws.elbv2();
    const arns: string[] = [];
    for (const lb of await deploymentLoadBalancers(elb, ctx.deployment)) {
      try {
        for await (const page of paginateDescribeListeners({ client: elb }, { LoadBalancerArn: lb.physicalId })) {
          for (const l of page.Listeners ?? []) if (l.ListenerArn) arns.push(l.ListenerArn);
        }
      } catch (error) {
        if (!isNotFound(error)) throw error; // deleted meanwhile
      }
    }
    return taggedWithDeployment(elb, ctx.deployment, arns);
  });
}

/** IAM permissions of the calls above: a listener is created on the deployment's own load balancer. */
export const iam: IamGrants = [
  forList(anyResource('elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTags')),
  owned('elasticloadbalancing:loadbalancer', 'elasticloadbalancing:CreateListener'),
  scoped('elasticloadbalancing:listener', 'elasticloadbalancing:CreateListener'),
  elbTagOnCreate('CreateListener'),
  owned('elasticloadbalancing:listener', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'),
];

export const handler: ResourceHandler<ListenerProps> = {
  kind: 'listener',
  iam,
  replaceOn: ['loadBalancerArn'],
  create,
  read,
  readMany,
  update,
  delete: destroy,
  list,
};
