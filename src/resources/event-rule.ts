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
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  type EventBridgeClient,
  type Rule,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { AddPermissionCommand, GetPolicyCommand, RemovePermissionCommand } from '@aws-sdk/client-lambda';

import { hasCode } from '../aws/errors.js';
import { allPages } from '../aws/pages.js';
import { isNotFoundOf } from './not-found.js';
import { AwsError } from '../errors.js';
import { allowsRule, EVENTS_PRINCIPAL, statementsOf, type PolicyStatement } from './lambda-permission.js';
import { verifyNameTakeover } from './ownership.js';
import type { EventRuleProps, Live, ReadBatch, ResourceContext, ResourceHandler, Tagged } from './types.js';
import { TAG_DEPLOYMENT, TAG_LOGICAL_ID } from './types.js';
import { canonicalJson, comparableTags, findByNames, guard, tagChanges, tagRecord } from './util.js';
import { anyResource, created, forList, scoped, type IamGrants } from '../iam/grants.js';

/** The rule's one target. */
const TARGET_ID = 'wallarm-oob-follower';
export const rulePrefix = (deployment: string) => `wallarm-oob-${deployment}-`;

async function describe(events: EventBridgeClient, name: string): Promise<RuleSummary | undefined> {
  try {
    return await events.send(new DescribeRuleCommand({ Name: name }));
  } catch (error) {
    if (isNotFoundOf('event-rule', error)) return undefined;
    throw error;
  }
}

function targets(events: EventBridgeClient, name: string): Promise<Target[]> {
  return allPages(async (token) => {
    const page = await events.send(new ListTargetsByRuleCommand({ Rule: name, NextToken: token }));
    return { items: page.Targets, next: page.NextToken };
  });
}

/** The rules whose names start with `prefix` (ListRules: every field the props compare, no tags). */
function rulesByPrefix(events: EventBridgeClient, prefix: string): Promise<Rule[]> {
  return allPages(async (token) => {
    const page = await events.send(new ListRulesCommand({ NamePrefix: prefix, NextToken: token }));
    return { items: page.Rules, next: page.NextToken };
  });
}

async function tagsOf(events: EventBridgeClient, arn: string): Promise<Record<string, string>> {
  return tagRecord((await events.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags);
}

/**
 * The function's resource-based policy statements, one GetPolicy per function however many rules invoke it
 * (a read of several rules shares the answers). Lambda answers ResourceNotFoundException for a function without a
 * policy (and for a function that is gone): no statement then.
 */
type Policies = Map<string, Promise<PolicyStatement[]>>;

function policyOf(ctx: ResourceContext, policies: Policies, functionArn: string): Promise<PolicyStatement[]> {
  let policy = policies.get(functionArn);
  if (!policy) {
    policy = (async () => {
      try {
        const out = await (await ctx.aws.lambda()).send(new GetPolicyCommand({ FunctionName: functionArn }));
        return statementsOf(out.Policy);
      } catch (error) {
        if (hasCode(error, 'ResourceNotFoundException')) return [];
        throw error;
      }
    })();
    policies.set(functionArn, policy);
  }
  return policy;
}

/** A rule as DescribeRule and ListRules answer it (ListRules carries every field the rule's props compare). */
type RuleSummary = Pick<Rule, 'Name' | 'Arn' | 'EventPattern' | 'ScheduleExpression' | 'State' | 'Description'>;

/** The function a rule invokes through our target (undefined: none). */
type TargetResolver = (rule: RuleSummary) => Promise<string | undefined>;

/** ListTargetsByRule: the ARN of the rule's target of our id. */
const byTargets =
  (events: EventBridgeClient): TargetResolver =>
  async (rule) =>
    (await targets(events, rule.Name ?? '')).find((t) => t.Id === TARGET_ID)?.Arn;

async function ruleNamesTargeting(events: EventBridgeClient, targetArn: string): Promise<Set<string>> {
  return new Set(
    await allPages(async (token) => {
      const page = await events.send(new ListRuleNamesByTargetCommand({ TargetArn: targetArn, NextToken: token }));
      return { items: page.RuleNames, next: page.NextToken };
    }),
  );
}

/** The ARN of function `name` in the rule's partition, region and account (Lambda's ARN format). */
function functionArnBeside(ruleArn: string, name: string): string | undefined {
  const m = /^arn:([\w-]+):events:([a-z0-9-]+):(\d{12}):rule\//.exec(ruleArn);
  return m ? `arn:${m[1]}:lambda:${m[2]}:${m[3]}:function:${name}` : undefined;
}

/**
 * Within a full read of state, the rules' targets are the functions of state: one ListRuleNamesByTarget per
 * function ("which of the rules can invoke a specific target", EventBridge API reference) answers for every rule
 * instead of one ListTargetsByRule each. A rule no function of state lists (its target changed outside the tool)
 * is asked with ListTargetsByRule, to show what it targets now.
 */
function byFunctionsOfState(events: EventBridgeClient, batch: ReadBatch): TargetResolver {
  const listed = new Map<string, Promise<Set<string>>>();
  const fallback = byTargets(events);
  return async (rule) => {
    for (const name of batch.idsOf('lambda-function')) {
      const functionArn = functionArnBeside(rule.Arn ?? '', name);
      if (!functionArn) continue;
      if (!listed.has(functionArn)) listed.set(functionArn, ruleNamesTargeting(events, functionArn));
      if ((await listed.get(functionArn)!).has(rule.Name ?? '')) return functionArn;
    }
    return fallback(rule);
  };
}

async function liveOf(ctx: ResourceContext, events: EventBridgeClient, rule: RuleSummary, policies: Policies, targetOf: TargetResolver = byTargets(events)): Promise<Live<EventRuleProps>> {
  const name = rule.Name ?? '';
  const ruleArn = rule.Arn ?? '';
  const [target, tags] = await Promise.all([targetOf(rule), tagsOf(events, ruleArn)]);
  // A disabled rule invokes nothing, nor one whose function does not let EventBridge invoke it for this rule:
  // both show as drift of the target (the second naming what is missing).
  let functionArn = '';
  if (rule.State === 'ENABLED' && target) {
    functionArn = allowsRule(await policyOf(ctx, policies, target), ruleArn) ? target : withoutPermission(target, name);
  }
  return {
    physicalId: name,
    props: {
      name,
      description: rule.Description ?? '',
      eventPattern: rule.EventPattern ? canonicalJson(rule.EventPattern) : null,
      scheduleExpression: rule.ScheduleExpression ?? null,
      functionArn,
      tags: comparableTags(tags),
    },
    // No outputs: nothing refers to a rule, and state stays small.
    outputs: {},
  };
}

/** The live `functionArn` of a rule whose target the function's policy does not let EventBridge invoke (how plan shows it). */
export function withoutPermission(functionArn: string, rule: string): string {
  return `${functionArn} (not invokable by this rule: the function's resource policy has no statement (${rule}) allowing events.amazonaws.com to call lambda:InvokeFunction with this rule as source)`;
}

/** The function ARN a live `functionArn` names (ARNs hold no space; withoutPermission appends its reason after one). */
const functionOf = (liveFunctionArn: string): string => liveFunctionArn.split(' ')[0] ?? '';

/**
 * Lets EventBridge invoke the function for events of this rule only (SourceArn). A statement of the same id that
 * grants something else (edited by hand) is replaced; one that is already right is kept (a resumed apply).
 */
async function permit(ctx: ResourceContext, functionArn: string, rule: string, ruleArn: string): Promise<void> {
  const lambda = await ctx.aws.lambda();
  const add = () =>
    lambda.send(new AddPermissionCommand({ FunctionName: functionArn, StatementId: rule, Action: 'lambda:InvokeFunction', Principal: EVENTS_PRINCIPAL, SourceArn: ruleArn }));
  try {
    await add();
  } catch (error) {
    if (!hasCode(error, 'ResourceConflictException')) throw error;
    const mine = (await policyOf(ctx, new Map(), functionArn)).filter((s) => s.Sid === rule);
    if (allowsRule(mine, ruleArn)) return;
    try {
      await lambda.send(new RemovePermissionCommand({ FunctionName: functionArn, StatementId: rule }));
    } catch (removeError) {
      if (!hasCode(removeError, 'ResourceNotFoundException')) throw removeError;
    }
    await add();
  }
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
  await permit(ctx, props.functionArn, props.name, ruleArn);
  const put = await events.send(new PutTargetsCommand({ Rule: props.name, Targets: [{ Id: TARGET_ID, Arn: props.functionArn }] }));
  if ((put.FailedEntryCount ?? 0) > 0) {
    const failed = put.FailedEntries?.[0];
    throw new AwsError(`AWS_${failed?.ErrorCode ?? 'ERROR'}`, `${ctx.logicalId}: PutTargets failed for rule ${props.name}: ${failed?.ErrorMessage ?? 'unknown error'}`, {
      actions: ['Fix the cause above, then run the command again.'],
    });
  }
  return ruleArn;
}

async function reread(ctx: ResourceContext, events: EventBridgeClient, name: string): Promise<Live<EventRuleProps>> {
  const rule = await describe(events, name);
  if (!rule) throw new AwsError('AWS_NOT_FOUND', `${ctx.logicalId}: EventBridge rule ${name} disappeared while it was written.`, { actions: ['Run the command again: the rule will be created.'] });
  return liveOf(ctx, events, rule, new Map());
}

async function create(ctx: ResourceContext, props: EventRuleProps): Promise<Live<EventRuleProps>> {
  return guard(ctx, `creating EventBridge rule ${props.name}`, async () => {
    const events = await ctx.aws.events();
    // PutRule on an existing name would take it over: only ours (an apply interrupted after PutRule) is reused.
    const existing = await describe(events, props.name);
    if (existing) verifyNameTakeover(ctx, 'an EventBridge rule', props.name, await tagsOf(events, existing.Arn ?? ''));
    await put(ctx, events, props, existing ? undefined : ctx.tags);
    return reread(ctx, events, props.name);
  });
}

async function read(ctx: ResourceContext, physicalId: string): Promise<Live<EventRuleProps> | undefined> {
  return guard(ctx, `reading EventBridge rule ${physicalId}`, async () => {
    const events = await ctx.aws.events();
    const rule = await describe(events, physicalId);
    return rule ? liveOf(ctx, events, rule, new Map()) : undefined;
  });
}

/**
 * One ListRules for all the rules (by their common name prefix; its answer carries every field the props compare),
 * then each rule's tags, their targets (within a full read of state: one ListRuleNamesByTarget per function of
 * state, see byFunctionsOfState), and one GetPolicy per function they target. A name ListRules does not show is
 * confirmed with DescribeRule before it counts as deleted (a rule created a moment ago may not be listed yet).
 */
async function readMany(ctx: ResourceContext, physicalIds: readonly string[], batch?: ReadBatch): Promise<Map<string, Live<EventRuleProps> | undefined>> {
  return guard(ctx, `reading EventBridge rules ${physicalIds.join(', ')}`, async () => {
    const events = await ctx.aws.events();
    const found = await findByNames(
      physicalIds,
      async (prefix) => new Map((await rulesByPrefix(events, prefix)).flatMap((r): [string, RuleSummary][] => (r.Name ? [[r.Name, r]] : []))),
      (name) => describe(events, name),
      { confirmMissing: true },
    );
    const policies: Policies = new Map();
    const targetOf = batch ? byFunctionsOfState(events, batch) : byTargets(events);
    const lives = await Promise.all([...found.values()].map((rule) => liveOf(ctx, events, rule, policies, targetOf)));
    const byName = new Map(lives.map((l) => [l.physicalId, l]));
    return new Map(physicalIds.map((id) => [id, byName.get(id)]));
  });
}

async function update(ctx: ResourceContext, live: Live<EventRuleProps>, desired: EventRuleProps): Promise<Live<EventRuleProps>> {
  return guard(ctx, `updating EventBridge rule ${desired.name}`, async () => {
    const events = await ctx.aws.events();
    const arn = (await describe(events, desired.name))?.Arn ?? '';
    const current = functionOf(live.props.functionArn);
    if (current && current !== desired.functionArn) await removeTarget(ctx, events, desired.name, current);
    await put(ctx, events, desired, undefined);
    if (desired.tags) {
      const { set, remove } = tagChanges(live.props.tags, desired.tags);
      if (Object.keys(set).length > 0) await events.send(new TagResourceCommand({ ResourceARN: arn, Tags: Object.entries(set).map(([Key, Value]) => ({ Key, Value })) }));
      if (remove.length > 0) await events.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: remove }));
    }
    return reread(ctx, events, desired.name);
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

/** Deletes the rule (the engine checked it is this deployment's before calling: src/engine/executor.ts). */
async function destroy(ctx: ResourceContext, physicalId: string): Promise<void> {
  await guard(ctx, `deleting EventBridge rule ${physicalId}`, async () => {
    const events = await ctx.aws.events();
    let all: Target[];
    try {
      all = await targets(events, physicalId);
    } catch (error) {
      if (isNotFoundOf('event-rule', error)) return;
      throw error;
    }
    // DeleteRule refuses a rule that still has targets: remove them first.
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
    for (const r of await rulesByPrefix(events, rulePrefix(ctx.deployment))) {
      const tags = await tagsOf(events, r.Arn ?? '');
      if (tags[TAG_DEPLOYMENT] === ctx.deployment) out.push({ physicalId: r.Name!, logicalId: tags[TAG_LOGICAL_ID], tags });
    }
    return out;
  });
}

export function normalize(props: EventRuleProps): EventRuleProps {
  return typeof props.eventPattern === 'string' ? { ...props, eventPattern: canonicalJson(props.eventPattern) } : props;
}

/** EventBridge rules by name prefix (tag conditions are documented for rules); the invoke permission on the function. */
export const iam: IamGrants = [
  forList(anyResource('events:ListRules')),
  // Which rules target the deployment's function (plan's read of the rules, see byFunctionsOfState).
  anyResource('events:ListRuleNamesByTarget'),
  forList(scoped('events:deployment-rule', 'events:ListTagsForResource')),
  created('events:deployment-rule', 'events:PutRule', 'events:TagResource'),
  scoped('events:deployment-rule', 'events:DescribeRule', 'events:ListTagsForResource', 'events:ListTargetsByRule', 'events:PutRule', 'events:PutTargets', 'events:RemoveTargets', 'events:DeleteRule', 'events:TagResource', 'events:UntagResource'),
  // GetPolicy: whether the function still lets EventBridge invoke it for each rule (drift of the permission).
  scoped('lambda:deployment-function', 'lambda:AddPermission', 'lambda:RemovePermission', 'lambda:GetPolicy'),
];

export const handler: ResourceHandler<EventRuleProps> = {
  kind: 'event-rule',
  iam,
  replaceOn: ['name'],
  normalize,
  create,
  read,
  readMany,
  update,
  delete: destroy,
  list,
};
