import {
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  ListTagsForResourceCommand,
  PutRetentionPolicyCommand,
  TagResourceCommand,
  UntagResourceCommand,
  paginateDescribeLogGroups,
  type CloudWatchLogsClient,
  type LogGroup,
} from '@aws-sdk/client-cloudwatch-logs';

import { hasCode } from '../aws/errors.js';
import { isNotFoundOf } from './not-found.js';
import { verifyNameTakeover } from './ownership.js';
import type { Live, LogGroupProps, ResourceContext, ResourceHandler, Tagged } from './types.js';
import { TAG_LOGICAL_ID } from './types.js';
import { comparableTags, findByNames, guard, tagChanges } from './util.js';
import { anyResource, forList, scoped, type IamGrants } from '../iam/grants.js';

/** Log groups of the deployment's functions: Lambda's default name, /aws/lambda/<function>. */
export const logGroupPrefix = (deployment: string) => `/aws/lambda/wallarm-oob-${deployment}-`;

async function find(logs: CloudWatchLogsClient, name: string): Promise<LogGroup | undefined> {
  for await (const page of paginateDescribeLogGroups({ client: logs }, { logGroupNamePrefix: name })) {
    const group = page.logGroups?.find((g) => g.logGroupName === name);
    if (group) return group;
  }
  return undefined;
}

/** The ARN the tagging APIs take: DescribeLogGroups' `logGroupArn` (its `arn` ends with `:*`). */
const taggingArn = (g: LogGroup) => g.logGroupArn ?? (g.arn ?? '').replace(/:\*$/, '');

async function tagsOf(logs: CloudWatchLogsClient, g: LogGroup): Promise<Record<string, string>> {
  return (await logs.send(new ListTagsForResourceCommand({ resourceArn: taggingArn(g) }))).tags ?? {};
}

async function toLive(logs: CloudWatchLogsClient, g: LogGroup): Promise<Live<LogGroupProps>> {
  const name = g.logGroupName ?? '';
  return {
    physicalId: name,
    props: { name, retentionInDays: g.retentionInDays ?? 0, tags: comparableTags(await tagsOf(logs, g)) },
    // No outputs: nothing refers to the group, and state stays small.
    outputs: {},
  };
}

async function create(ctx: ResourceContext, props: LogGroupProps): Promise<Live<LogGroupProps>> {
  return guard(ctx, `creating log group ${props.name}`, async () => {
    const logs = await ctx.aws.logs();
    try {
      await logs.send(new CreateLogGroupCommand({ logGroupName: props.name, tags: { ...ctx.tags } }));
    } catch (error) {
      if (!hasCode(error, 'ResourceAlreadyExistsException')) throw error;
      // Created just before a crash (or by Lambda itself on a first invocation): adopt it only if it is ours.
      const existing = await find(logs, props.name);
      verifyNameTakeover(ctx, 'a log group', props.name, existing ? await tagsOf(logs, existing) : undefined, error);
    }
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: props.name, retentionInDays: props.retentionInDays }));
    const group = await find(logs, props.name);
    if (!group) throw new Error(`log group ${props.name} is not visible after its creation`);
    return toLive(logs, group);
  });
}

async function read(ctx: ResourceContext, physicalId: string): Promise<Live<LogGroupProps> | undefined> {
  return guard(ctx, `reading log group ${physicalId}`, async () => {
    const logs = await ctx.aws.logs();
    const group = await find(logs, physicalId);
    return group ? toLive(logs, group) : undefined;
  });
}

/**
 * One DescribeLogGroups (paginated) for all the groups, by their common name prefix, then each group's tags
 * (DescribeLogGroups carries none: ListTagsForResource per group). Without a common prefix, one look-up per group.
 */
async function readMany(ctx: ResourceContext, physicalIds: readonly string[]): Promise<Map<string, Live<LogGroupProps> | undefined>> {
  return guard(ctx, `reading log groups ${physicalIds.join(', ')}`, async () => {
    const logs = await ctx.aws.logs();
    const found = await findByNames(
      physicalIds,
      async (prefix) => {
        const groups = new Map<string, LogGroup>();
        for await (const page of paginateDescribeLogGroups({ client: logs }, { logGroupNamePrefix: prefix })) for (const g of page.logGroups ?? []) if (g.logGroupName) groups.set(g.logGroupName, g);
        return groups;
      },
      (name) => find(logs, name),
      // A group missing from the listing is missing: the look-up by name is the same listing.
      { confirmMissing: false },
    );
    const lives = await Promise.all([...found.values()].map((g) => toLive(logs, g)));
    const byName = new Map(lives.map((l) => [l.physicalId, l]));
    return new Map(physicalIds.map((id) => [id, byName.get(id)]));
  });
}

async function update(ctx: ResourceContext, live: Live<LogGroupProps>, desired: LogGroupProps): Promise<Live<LogGroupProps>> {
  return guard(ctx, `updating log group ${desired.name}`, async () => {
    const logs = await ctx.aws.logs();
    if (live.props.retentionInDays !== desired.retentionInDays) {
      await logs.send(new PutRetentionPolicyCommand({ logGroupName: desired.name, retentionInDays: desired.retentionInDays }));
    }
    const group = await find(logs, desired.name);
    if (!group) throw new Error(`log group ${desired.name} disappeared during its update`);
    if (desired.tags) {
      const { set, remove } = tagChanges(live.props.tags, desired.tags);
      const arn = taggingArn(group);
      if (Object.keys(set).length > 0) await logs.send(new TagResourceCommand({ resourceArn: arn, tags: set }));
      if (remove.length > 0) await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: remove }));
    }
    return toLive(logs, (await find(logs, desired.name)) ?? group);
  });
}

/** Deletes the group (the engine checked it is this deployment's before calling: src/engine/executor.ts). */
async function destroy(ctx: ResourceContext, physicalId: string): Promise<void> {
  await guard(ctx, `deleting log group ${physicalId}`, async () => {
    const logs = await ctx.aws.logs();
    try {
      await logs.send(new DeleteLogGroupCommand({ logGroupName: physicalId }));
    } catch (error) {
      if (!isNotFoundOf('log-group', error)) throw error;
    }
  });
}

async function list(ctx: ResourceContext): Promise<Tagged[]> {
  return guard(ctx, 'listing log groups', async () => {
    const logs = await ctx.aws.logs();
    const out: Tagged[] = [];
    for await (const page of paginateDescribeLogGroups({ client: logs }, { logGroupNamePrefix: logGroupPrefix(ctx.deployment) })) {
      for (const g of page.logGroups ?? []) {
        const tags = await tagsOf(logs, g);
        if (tags['wallarm-oob:deployment'] === ctx.deployment) out.push({ physicalId: g.logGroupName!, logicalId: tags[TAG_LOGICAL_ID], tags });
      }
    }
    return out;
  });
}

/** The function's log group, by name (/aws/lambda/<function>). */
export const iam: IamGrants = [
  forList(anyResource('logs:DescribeLogGroups')),
  forList(scoped('logs:deployment-log-group', 'logs:ListTagsForResource')),
  scoped('logs:deployment-log-group', 'logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteLogGroup', 'logs:ListTagsForResource', 'logs:TagResource', 'logs:UntagResource'),
];

export const handler: ResourceHandler<LogGroupProps> = {
  kind: 'log-group',
  iam,
  replaceOn: ['name'],
  create,
  read,
  readMany,
  update,
  delete: destroy,
  list,
};
