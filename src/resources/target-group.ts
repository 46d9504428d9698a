import {
  CreateTargetGroupCommand,
  DeleteTargetGroupCommand,
  DescribeTargetGroupsCommand,
  ModifyTargetGroupCommand,
  paginateDescribeTargetGroups,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';

import { isDependencyViolation } from '../aws/errors.js';
import { isNotFoundOf, unlessNotFound } from './not-found.js';
import { AwsError } from '../errors.js';
import { ELB_ARNS_MAX, describeWithTags, elbTagsOf, taggedWithDeployment } from './load-balancer.js';
import { syncElbTags } from './tagging.js';
import type { Live, ReadBatch, ResourceContext, ResourceHandler, Tagged, TargetGroupProps } from './types.js';
import { comparableTags, describeByIds, elbTags, guard, MINUTE, retryWhile, SECOND } from './util.js';
import { anyResource, forList, created, owned, elbTagOnCreate, type IamGrants } from '../iam/grants.js';

/** A target group stays “in use” until the listener or Auto Scaling group that used it is fully gone. */
const IN_USE_WINDOW_MS = 5 * MINUTE;

type HealthCheck = TargetGroupProps['healthCheck'];

function healthCheckInput(h: HealthCheck) {
  return {
    HealthCheckEnabled: true,
    HealthCheckProtocol: h.protocol,
    HealthCheckPort: h.port,
    HealthCheckPath: h.path,
    HealthCheckIntervalSeconds: h.intervalSeconds,
    HealthCheckTimeoutSeconds: h.timeoutSeconds,
    HealthyThresholdCount: h.healthyThreshold,
    UnhealthyThresholdCount: h.unhealthyThreshold,
  };
}

function toLive(tg: TargetGroup, tags?: Record<string, string>): Live<TargetGroupProps> {
  const arn = tg.TargetGroupArn ?? '';
  return {
    physicalId: arn,
    props: {
      name: tg.TargetGroupName ?? '',
      protocol: (tg.Protocol ?? 'HTTP') as TargetGroupProps['protocol'],
      port: tg.Port ?? 0,
      vpcId: tg.VpcId ?? '',
      targetType: (tg.TargetType ?? 'instance') as TargetGroupProps['targetType'],
      healthCheck: {
        protocol: (tg.HealthCheckProtocol ?? 'HTTP') as HealthCheck['protocol'],
        port: tg.HealthCheckPort ?? 'traffic-port',
        path: tg.HealthCheckPath ?? '',
        intervalSeconds: tg.HealthCheckIntervalSeconds ?? 0,
        timeoutSeconds: tg.HealthCheckTimeoutSeconds ?? 0,
        healthyThreshold: tg.HealthyThresholdCount ?? 0,
        unhealthyThreshold: tg.UnhealthyThresholdCount ?? 0,
      },
      ...(tags && { tags: comparableTags(tags) }),
    },
    outputs: { arn, name: tg.TargetGroupName ?? '' },
  };
}

async function create(ctx: ResourceContext, props: TargetGroupProps): Promise<Live<TargetGroupProps>> {
  return guard(ctx, `creating target group ${props.name}`, async () => {
    const elb = await ctx.aws.elbv2();
    // Idempotent: the same name and settings return the existing target group.
    const out = await elb.send(
      new CreateTargetGroupCommand({
        Name: props.name,
        Protocol: props.protocol,
        Port: props.port,
        VpcId: props.vpcId,
        TargetType: props.targetType,
        ...healthCheckInput(props.healthCheck),
        Tags: elbTags(ctx.tags),
      }),
    );
    const tg = out.TargetGroups?.[0];
    if (!tg?.TargetGroupArn) throw new Error('CreateTargetGroup returned no target group');
    return toLive(tg, ctx.tags);
  });
}

async function read(ctx: ResourceContext, physicalId: string): Promise<Live<TargetGroupProps> | undefined> {
  return guard(ctx, `reading target group ${physicalId}`, async () => {
    const out = await unlessNotFound((await ctx.aws.elbv2()).send(new DescribeTargetGroupsCommand({ TargetGroupArns: [physicalId] })));
    if (!out) return undefined;
    const tg = out.TargetGroups?.find((t) => t.TargetGroupArn === physicalId);
    return tg ? toLive(tg, (await elbTagsOf(await ctx.aws.elbv2(), [physicalId])).get(physicalId) ?? {}) : undefined;
  });
}

/** DescribeTargetGroups by ARN list (batches of 20), with the tags (describeWithTags). */
async function readMany(ctx: ResourceContext, physicalIds: readonly string[], batch?: ReadBatch): Promise<Map<string, Live<TargetGroupProps> | undefined>> {
  return guard(ctx, `reading target groups ${physicalIds.join(', ')}`, async () => {
    const elb = await ctx.aws.elbv2();
    const [found, tags] = await describeWithTags(elb, batch, () =>
      describeByIds(physicalIds, ELB_ARNS_MAX, async (ids) => {
        const out = await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: ids }));
        return new Map((out.TargetGroups ?? []).map((tg) => [tg.TargetGroupArn ?? '', tg]));
      }),
    );
    return new Map(physicalIds.map((arn) => [arn, found.get(arn) ? toLive(found.get(arn)!, tags.get(arn) ?? {}) : undefined] as const));
  });
}

async function update(ctx: ResourceContext, live: Live<TargetGroupProps>, desired: TargetGroupProps): Promise<Live<TargetGroupProps>> {
  return guard(ctx, `updating target group ${desired.name}`, async () => {
    if (desired.tags) await syncElbTags(await ctx.aws.elbv2(), live.physicalId, live.props.tags, desired.tags);
    const out = await (await ctx.aws.elbv2()).send(new ModifyTargetGroupCommand({ TargetGroupArn: live.physicalId, ...healthCheckInput(desired.healthCheck) }));
    const tg = out.TargetGroups?.[0];
    if (!tg) throw new AwsError('AWS_NOT_FOUND', `${ctx.logicalId}: target group ${desired.name} disappeared during the update.`, { actions: ['Run the command again: it will be created.'] });
    return toLive(tg, desired.tags ?? live.props.tags);
  });
}

async function destroy(ctx: ResourceContext, physicalId: string): Promise<void> {
  await guard(ctx, `deleting target group ${physicalId}`, async () => {
    const elb = await ctx.aws.elbv2();
    try {
      await retryWhile(isDependencyViolation, () => elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: physicalId })), {
        windowMs: IN_USE_WINDOW_MS,
        intervalMs: 10 * SECOND,
        signal: ctx.signal,
        onRetry: () => ctx.log('waiting for the target group to be released by its listener / Auto Scaling group'),
      });
    } catch (error) {
      if (isNotFoundOf('target-group', error)) return;
      throw error;
    }
  });
}

async function list(ctx: ResourceContext): Promise<Tagged[]> {
  return guard(ctx, 'listing target groups', async () => {
    const elb = await ctx.aws.elbv2();
    const arns: string[] = [];
    for await (const page of paginateDescribeTargetGroups({ client: elb, pageSize: 400 }, {})) {
      for (const tg of page.TargetGroups ?? []) if (tg.TargetGroupArn) arns.push(tg.TargetGroupArn);
    }
    return taggedWithDeployment(elb, ctx.deployment, arns);
  });
}

/** IAM permissions of the calls above. */
export const iam: IamGrants = [
  forList(anyResource('elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTags')),
  created('elasticloadbalancing:targetgroup', 'elasticloadbalancing:CreateTargetGroup'),
  elbTagOnCreate('CreateTargetGroup'),
  owned('elasticloadbalancing:targetgroup', 'elasticloadbalancing:ModifyTargetGroup', 'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'),
];

export const handler: ResourceHandler<TargetGroupProps> = {
  kind: 'target-group',
  iam,
  replaceOn: ['name', 'protocol', 'port', 'vpcId', 'targetType'],
  create,
  read,
  readMany,
  update,
  delete: destroy,
  list,
};
