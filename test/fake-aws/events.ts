import type * as E from '@aws-sdk/client-eventbridge';
import { awsError } from './errors.js';
import { paginate } from './util.js';
import type { World } from './world.js';

type Out<T> = Omit<T, '$metadata'>;

export interface RuleRec {
  name: string;
  arn: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: 'ENABLED' | 'DISABLED';
  description?: string;
  tags: Map<string, string>;
  targets: Map<string, { Id: string; Arn: string }>;
}

const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const SCHEDULE = /^(rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)|cron\(\S+ \S+ \S+ \S+ \S+ \S+\))$/;
/** Targets per rule (EventBridge quota). */
const TARGETS_MAX = 5;

const validation = (message: string) => awsError('ValidationException', message);

/**
 * EventBridge (default bus only): rules with an event pattern or a schedule, their targets (at most 5; a rule
 * with targets cannot be deleted), tags, and `matches(event)` to tell which rules an event would trigger.
 */
export class EventsModel {
  readonly rules = new Map<string, RuleRec>();

  constructor(private readonly w: World) {}

  private rule(name: string | undefined): RuleRec {
    const r = this.rules.get(name ?? '');
    if (!r || this.w.hidden(r.name)) throw awsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus default.`);
    return r;
  }

  private checkBus(bus: string | undefined): void {
    if (bus !== undefined && bus !== 'default') throw awsError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
  }

  private byArn(arn: string | undefined): RuleRec {
    const name = /^arn:aws[\w-]*:events:[a-z0-9-]+:\d{12}:rule\/([.\-_A-Za-z0-9]+)$/.exec(arn ?? '')?.[1];
    if (!name) throw validation(`Provided ARN ${arn} is not valid.`);
    return this.rule(name);
  }

  PutRule(input: E.PutRuleCommandInput): Out<E.PutRuleCommandOutput> {
    this.checkBus(input.EventBusName);
    const name = input.Name ?? '';
    if (!NAME.test(name)) throw validation(`1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+`);
    if (!input.EventPattern && !input.ScheduleExpression) throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    if (input.ScheduleExpression && !SCHEDULE.test(input.ScheduleExpression)) throw validation('Parameter ScheduleExpression is not valid.');
    if (input.EventPattern) checkPattern(input.EventPattern);
    if (input.Description && input.Description.length > 512) throw validation("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 512");
    const existing = this.rules.get(name);
    const rule: RuleRec = existing ?? { name, arn: `arn:aws:events:${this.w.region}:${this.w.accountId}:rule/${name}`, state: 'ENABLED', tags: new Map(), targets: new Map() };
    rule.eventPattern = input.EventPattern;
    rule.scheduleExpression = input.ScheduleExpression;
    rule.state = input.State === 'DISABLED' ? 'DISABLED' : 'ENABLED';
    rule.description = input.Description;
    // "If you are updating an existing rule, the tags you specify in PutRule are ignored."
    if (!existing) {
      for (const t of input.Tags ?? []) rule.tags.set(t.Key!, t.Value!);
      this.rules.set(name, rule);
      this.w.created(name);
    }
    return { RuleArn: rule.arn };
  }

  DescribeRule(input: E.DescribeRuleCommandInput): Out<E.DescribeRuleCommandOutput> {
    this.checkBus(input.EventBusName);
    const r = this.rule(input.Name);
    return {
      Name: r.name,
      Arn: r.arn,
      ...(r.eventPattern && { EventPattern: r.eventPattern }),
      ...(r.scheduleExpression && { ScheduleExpression: r.scheduleExpression }),
      State: r.state,
      ...(r.description && { Description: r.description }),
      EventBusName: 'default',
      CreatedBy: this.w.accountId,
    };
  }

  ListRules(input: E.ListRulesCommandInput): Out<E.ListRulesCommandOutput> {
    this.checkBus(input.EventBusName);
    const all = [...this.rules.values()].filter((r) => !input.NamePrefix || r.name.startsWith(input.NamePrefix)).sort((a, b) => a.name.localeCompare(b.name));
    const { page, next } = paginate(all, input.NextToken, input.Limit, 100);
    if (input.NamePrefix !== undefined && !NAME.test(input.NamePrefix)) {
      throw validation(`1 validation error detected: Value '${input.NamePrefix}' at 'namePrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+`);
    }
    if (input.Limit !== undefined && (input.Limit < 1 || input.Limit > 100)) throw validation("1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value between 1 and 100");
    // The Rule structure of the API reference: every field DescribeRule answers but CreatedBy.
    return {
      Rules: page.map((r) => ({
        Name: r.name,
        Arn: r.arn,
        State: r.state,
        ...(r.eventPattern && { EventPattern: r.eventPattern }),
        ...(r.scheduleExpression && { ScheduleExpression: r.scheduleExpression }),
        ...(r.description && { Description: r.description }),
        EventBusName: 'default',
      })),
      ...(next && { NextToken: next }),
    };
  }

  DeleteRule(input: E.DeleteRuleCommandInput): Out<E.DeleteRuleCommandOutput> {
    this.checkBus(input.EventBusName);
    const r = this.rules.get(input.Name ?? '');
    // Deleting a rule that does not exist succeeds (DeleteRule is idempotent).
    if (!r) return {};
    if (r.targets.size > 0) throw validation("Rule can't be deleted since it has targets.");
    this.rules.delete(r.name);
    return {};
  }

  PutTargets(input: E.PutTargetsCommandInput): Out<E.PutTargetsCommandOutput> {
    this.checkBus(input.EventBusName);
    const r = this.rule(input.Rule);
    const targets = input.Targets ?? [];
    if (targets.length === 0 || targets.length > 10) throw validation("1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length between 1 and 10");
    for (const t of targets) {
      if (!t.Id || !/^[.\-_A-Za-z0-9]{1,64}$/.test(t.Id)) throw validation(`1 validation error detected: Value '${t.Id}' at 'targets.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+`);
      if (!t.Arn || !/^arn:aws[\w-]*:/.test(t.Arn)) throw validation(`Parameter ${t.Arn} is not valid. Reason: Provided Arn is not in correct format.`);
    }
    const ids = new Set([...r.targets.keys(), ...targets.map((t) => t.Id!)]);
    if (ids.size > TARGETS_MAX) throw awsError('LimitExceededException', `The requested resource exceeds the maximum number allowed.`);
    for (const t of targets) r.targets.set(t.Id!, { Id: t.Id!, Arn: t.Arn! });
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  ListTargetsByRule(input: E.ListTargetsByRuleCommandInput): Out<E.ListTargetsByRuleCommandOutput> {
    this.checkBus(input.EventBusName);
    const r = this.rule(input.Rule);
    const { page, next } = paginate([...r.targets.values()], input.NextToken, input.Limit, 100);
    return { Targets: page.map((t) => ({ ...t })), ...(next && { NextToken: next }) };
  }

  /** The names of the rules with a target of this ARN ("which of the rules can invoke a specific target"), sorted, pages of at most Limit (1-100). */
  ListRuleNamesByTarget(input: E.ListRuleNamesByTargetCommandInput): Out<E.ListRuleNamesByTargetCommandOutput> {
    this.checkBus(input.EventBusName);
    if (!input.TargetArn) throw validation("1 validation error detected: Value null at 'targetArn' failed to satisfy constraint: Member must not be null");
    if (input.Limit !== undefined && (input.Limit < 1 || input.Limit > 100)) throw validation("1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value between 1 and 100");
    const names = [...this.rules.values()]
      .filter((r) => [...r.targets.values()].some((t) => t.Arn === input.TargetArn))
      .map((r) => r.name)
      .sort();
    const { page, next } = paginate(names, input.NextToken, input.Limit, 100);
    return { RuleNames: page, ...(next && { NextToken: next }) };
  }

  RemoveTargets(input: E.RemoveTargetsCommandInput): Out<E.RemoveTargetsCommandOutput> {
    this.checkBus(input.EventBusName);
    const r = this.rule(input.Rule);
    const ids = input.Ids ?? [];
    if (ids.length === 0 || ids.length > 10) throw validation("1 validation error detected: Value at 'ids' failed to satisfy constraint: Member must have length between 1 and 10");
    for (const id of ids) r.targets.delete(id);
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  TagResource(input: E.TagResourceCommandInput): Out<E.TagResourceCommandOutput> {
    const r = this.byArn(input.ResourceARN);
    for (const t of input.Tags ?? []) r.tags.set(t.Key!, t.Value!);
    return {};
  }

  UntagResource(input: E.UntagResourceCommandInput): Out<E.UntagResourceCommandOutput> {
    const r = this.byArn(input.ResourceARN);
    for (const k of input.TagKeys ?? []) r.tags.delete(k);
    return {};
  }

  ListTagsForResource(input: E.ListTagsForResourceCommandInput): Out<E.ListTagsForResourceCommandOutput> {
    const r = this.byArn(input.ResourceARN);
    return { Tags: [...r.tags].map(([Key, Value]) => ({ Key, Value })) };
  }

  /** Target ARNs of the enabled pattern rules an event matches (what EventBridge would invoke for it). */
  matches(event: Record<string, unknown>): string[] {
    return [...this.rules.values()]
      .filter((r) => r.state === 'ENABLED' && r.eventPattern && matchPattern(JSON.parse(r.eventPattern) as Pattern, event))
      .flatMap((r) => [...r.targets.values()].map((t) => t.Arn));
  }
}

type Pattern = { [key: string]: Pattern | unknown[] };

/** Event patterns: a JSON object whose leaves are arrays of values (EventBridge "Event patterns"). */
function checkPattern(text: string): void {
  let pattern: unknown;
  try {
    pattern = JSON.parse(text);
  } catch {
    throw awsError('InvalidEventPatternException', 'Event pattern is not valid. Reason: Filter is not an object');
  }
  const walk = (p: unknown): void => {
    if (typeof p !== 'object' || p === null || Array.isArray(p)) throw awsError('InvalidEventPatternException', 'Event pattern is not valid. Reason: Filter is not an object');
    for (const v of Object.values(p)) {
      if (Array.isArray(v)) {
        if (v.length === 0) throw awsError('InvalidEventPatternException', 'Event pattern is not valid. Reason: Empty arrays are not allowed');
      } else walk(v);
    }
  };
  walk(pattern);
}

/** Exact-value matching (the only pattern form the tool writes): every field of the pattern must match. */
function matchPattern(pattern: Pattern, event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = (event as Record<string, unknown>)[key];
    if (Array.isArray(expected)) return [actual].flat().some((a) => expected.includes(a));
    return matchPattern(expected, actual);
  });
}
