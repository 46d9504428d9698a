import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  ListRulesCommand,
  type DescribeRuleCommandOutput,
  type EventBridgeClient,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { AddPermissionCommand, RemovePermissionCommand } from '@aws-sdk/client-lambda';

import { hasCode } from '../aws/errors.js';
import { isNotFoundOf } from './not-found.js';
import { AwsError } from '../errors.js';
import { assertOurs } from './ownership.js';
import type { EventRuleProps, Live, ResourceContext, ResourceHandler, Tagged } from './types.js';
import { TAG_DEPLOYMENT, TAG_LOGICAL_ID } from './types.js';
import { canonicalJson, comparableTags, guard, tagChanges, tagRecord } from './util.js';
import { anyResource, created, forList, scoped, type IamGrants } from '../iam/grants.js';

/** The rule's one target. */
const TARGET_ID = 'wallarm-oob-follower';
export const rulePrefix = (deployment: string) => `wallarm-oob-${deployment}-`;

async function describe(events: EventBridgeClient, name: string): Promise<DescribeRuleCommandOutput | undefined> {
  try {
    return await events.send(new DescribeRuleCommand({ Name: name }));
  } catch (error) {
    if (isNotFoundOf('event-rule', error)) return undefined;
    throw error;
  }
}

async function targets(events: EventBridgeClient, name: string): Promise<Target[]> {
  const out: Target[] = [];
  let token: string | undefined;
  do {
    const page = await events.send(new ListTargetsByRuleCommand({ Rule: name, NextToken: token }));
    out.push(...(page.Targets ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

async function tagsOf(events: EventBridgeClient, arn: string): Promise<Record<string, string>> {
  return tagRecord((await events.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags);
}

async function liveOf(events: EventBridgeClient, rule: DescribeRuleCommandOutput): Promise<Live<EventRuleProps>> {
  const name = rule.Name ?? '';
  const target = (await targets(events, name)).find((t) => t.Id === TARGET_ID);
  return {
    physicalId: name,
    props: {
      name,
      description: rule.Description ?? '',
      eventPattern: rule.EventPattern ? canonicalJson(rule.EventPattern) : null,
      scheduleExpression: rule.ScheduleExpression ?? null,
      // A disabled rule invokes nothing: shown as drift of its target.
      functionArn: rule.State === 'ENABLED' ? (target?.Arn ?? '') : '',
      tags: comparableTags(await tagsOf(events, rule.Arn ?? '')),
    },
    // No outputs: nothing refers to a rule, and state stays small.
    outputs: {},
  };
}

/**
 * PutRule creates or updates the rule (tags only on creation), then EventBridge gets the permission to invoke the
 * function for events of this rule only (SourceArn), then the function becomes the rule's target.
 */
async function put(ctx: ResourceContext, events: EventBridgeClient, props: EventRuleProps, tags: Readonly<Record<string, string>> | undefined): Promise<string> {
  const out = await events.send(
    new PutRuleCommand({
      Name: props.name,
      Description: props.description,
      ...(props.eventPattern ? { EventPattern: canonicalJson(props.eventPattern) } : {}),
      ...(props.scheduleExpression ? { ScheduleExpression: props.scheduleExpression } : {}),
      State: 'ENABLED',
      ...(tags && { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }),
    }),
  );
  const ruleArn = out.RuleArn ?? '';
  const lambda = await ctx.aws.lambda();
  try {
    await lambda.send(
      new AddPermissionCommand({ FunctionName: props.functionArn, StatementId: props.name, Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: ruleArn }),
    );
  } catch (error) {
    // The statement is already there (a resumed apply): it names this rule's ARN, as the statement id says.
    if (!hasCode(error, 'ResourceConflictException')) throw error;
  }
  const put = await events.send(new PutTargetsCommand({ Rule: props.name, Targets: [{ Id: TARGET_ID, Arn: props.functionArn }] }));
  if ((put.FailedEntryCount ?? 0) > 0) {
    const failed = put.FailedEntries?.[0];
    throw new AwsError(`AWS_${failed?.ErrorCode ?? 'ERROR'}`, `${ctx.logicalId}: PutTargets failed for rule ${props.name}: ${failed?.ErrorMessage ?? 'unknown error'}`, {
      actions: ['Fix the cause above, then run the command again.'],
    });
  }
  return ruleArn;
}

async function create(ctx: ResourceContext, props: EventRuleProps): Promise<Live<EventRuleProps>> {
  return guard(ctx, `creating EventBridge rule ${props.name}`, async () => {
    const events = await ctx.aws.events();
    // PutRule on an existing name would take it over: only ours (an apply interrupted after PutRule) is reused.
    const existing = await describe(events, props.name);
    if (existing) assertOurs(ctx, `EventBridge rule ${props.name}`, await tagsOf(events, existing.Arn ?? ''));
    await put(ctx, events, props, existing ? undefined : ctx.tags);
    return liveOf(events, (await describe(events, props.name))!);
  });
}

async function read(ctx: ResourceContext, physicalId: string): Promise<Live<EventRuleProps> | undefined> {
  return guard(ctx, `reading EventBridge rule ${physicalId}`, async () => {
    const events = await ctx.aws.events();
    const rule = await describe(events, physicalId);
    return rule ? liveOf(events, rule) : undefined;
  });
}

async function update(ctx: ResourceContext, live: Live<EventRuleProps>, desired: EventRuleProps): Promise<Live<EventRuleProps>> {
  return guard(ctx, `updating EventBridge rule ${desired.name}`, async () => {
    const events = await ctx.aws.events();
    assertOurs(ctx, `EventBridge rule ${desired.name}`, live.props.tags);
    const arn = (await describe(events, desired.name))?.Arn ?? '';
    if (live.props.functionArn && live.props.functionArn !== desired.functionArn) await removeTarget(ctx, events, desired.name, live.props.functionArn);
    await put(ctx, events, desired, undefined);
    if (desired.tags) {
      const { set, remove } = tagChanges(live.props.tags, desired.tags);
      if (Object.keys(set).length > 0) await events.send(new TagResourceCommand({ ResourceARN: arn, Tags: Object.entries(set).map(([Key, Value]) => ({ Key, Value })) }));
      if (remove.length > 0) await events.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: remove }));
    }
    return liveOf(events, (await describe(events, desired.name))!);
  });
}

/** Removes the target and the function's permission for this rule (the function may be gone already). */
async function removeTarget(ctx: ResourceContext, events: EventBridgeClient, rule: string, functionArn: string): Promise<void> {
  await events.send(new RemoveTargetsCommand({ Rule: rule, Ids: [TARGET_ID] }));
  try {
    await (await ctx.aws.lambda()).send(new RemovePermissionCommand({ FunctionName: functionArn, StatementId: rule }));
  } catch (error) {
    if (!isNotFoundOf('event-rule', error)) throw error;
  }
}

async function destroy(ctx: ResourceContext, physicalId: string): Promise<void> {
  await guard(ctx, `deleting EventBridge rule ${physicalId}`, async () => {
    const events = await ctx.aws.events();
    const rule = await describe(events, physicalId);
    if (!rule) return;
    assertOurs(ctx, `EventBridge rule ${physicalId}`, await tagsOf(events, rule.Arn ?? ''));
    // DeleteRule refuses a rule that still has targets: remove them first.
    const all = await targets(events, physicalId);
    const ours = all.find((t) => t.Id === TARGET_ID);
    if (ours?.Arn) await removeTarget(ctx, events, physicalId, ours.Arn);
    const others = all.filter((t) => t.Id !== TARGET_ID).map((t) => t.Id!);
    for (let i = 0; i < others.length; i += 10) await events.send(new RemoveTargetsCommand({ Rule: physicalId, Ids: others.slice(i, i + 10) }));
    await events.send(new DeleteRuleCommand({ Name: physicalId }));
  });
}

async function list(ctx: ResourceContext): Promise<Tagged[]> {
  return guard(ctx, 'listing EventBridge rules', async () => {
    const events = await ctx.aws.events();
    const out: Tagged[] = [];
    let token: string | undefined;
    do {
      const page = await events.send(new ListRulesCommand({ NamePrefix: rulePrefix(ctx.deployment), NextToken: token }));
      for (const r of page.Rules ?? []) {
        const tags = await tagsOf(events, r.Arn ?? '');
        if (tags[TAG_DEPLOYMENT] === ctx.deployment) out.push({ physicalId: r.Name!, logicalId: tags[TAG_LOGICAL_ID], tags });
      }
      token = page.NextToken;
    } while (token);
    return out;
  });
}

export function normalize(props: EventRuleProps): EventRuleProps {
  return typeof props.eventPattern === 'string' ? { ...props, eventPattern: canonicalJson(props.eventPattern) } : props;
}

/** EventBridge rules by name prefix (tag conditions are documented for rules); the invoke permission on the function. */
export const iam: IamGrants = [
  forList(anyResource('events:ListRules')),
  forList(scoped('events:deployment-rule', 'events:ListTagsForResource')),
  created('events:deployment-rule', 'events:PutRule', 'events:TagResource'),
  scoped('events:deployment-rule', 'events:DescribeRule', 'events:ListTagsForResource', 'events:ListTargetsByRule', 'events:PutRule', 'events:PutTargets', 'events:RemoveTargets', 'events:DeleteRule', 'events:TagResource', 'events:UntagResource'),
  scoped('lambda:deployment-function', 'lambda:AddPermission', 'lambda:RemovePermission'),
];

export const handler: ResourceHandler<EventRuleProps> = {
  kind: 'event-rule',
  iam,
  replaceOn: ['name'],
  normalize,
  create,
  read,
  update,
  delete: destroy,
  list,
};
