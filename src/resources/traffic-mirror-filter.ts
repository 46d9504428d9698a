import {
  CreateTrafficMirrorFilterCommand,
  CreateTrafficMirrorFilterRuleCommand,
  DeleteTrafficMirrorFilterCommand,
  DeleteTrafficMirrorFilterRuleCommand,
  DescribeTrafficMirrorFiltersCommand,
  ModifyTrafficMirrorFilterNetworkServicesCommand,
  ModifyTrafficMirrorFilterRuleCommand,
  paginateDescribeTrafficMirrorFilters,
  type EC2Client,
  type TrafficMirrorFilter,
  type TrafficMirrorFilterRule as AwsRule,
  type TrafficMirrorFilterRuleField,
  type TrafficMirrorNetworkService,
} from '@aws-sdk/client-ec2';

import { hasCode } from '../aws/errors.js';
import { isNotFound, unlessNotFound } from './not-found.js';
import type { Live, ResourceContext, ResourceHandler, Tagged, TrafficMirrorFilterProps, TrafficMirrorFilterRule } from './types.js';
import { syncEc2Tags } from './tagging.js';
import { canonicalSet, comparableTags, createIdempotently, ec2TagSpec, guard, MINUTE, retryWhile, SECOND, sha256, stableJson, tagRecord, ownedItem } from './util.js';
import { deleteWhileInUse } from './traffic-mirror-util.js';

/** Right after CreateTrafficMirrorFilter, calls naming it may still answer NotFound. */
const CONSISTENCY_WINDOW_MS = 2 * MINUTE;

const ruleKey = (r: Pick<TrafficMirrorFilterRule, 'direction' | 'ruleNumber'>) => `${r.direction}|${r.ruleNumber}`;

function isRule(value: unknown): value is TrafficMirrorFilterRule {
  const r = value as TrafficMirrorFilterRule;
  return !!r && typeof r === 'object' && typeof r.direction === 'string' && typeof r.ruleNumber === 'number';
}

/** Rules by direction then number (egress before ingress), missing description as ''. */
export function sortRules(rules: readonly TrafficMirrorFilterRule[]): TrafficMirrorFilterRule[] {
  if (!rules.every(isRule)) return canonicalSet(rules);
  return rules
    .map(({ sourcePortRange, ...r }) => ({ ...r, ...(sourcePortRange && { sourcePortRange }), description: r.description ?? '' }))
    .sort((a, b) => a.direction.localeCompare(b.direction) || a.ruleNumber - b.ruleNumber);
}

export function normalize(props: TrafficMirrorFilterProps): TrafficMirrorFilterProps {
  const services = props.networkServices;
  return {
    ...props,
    networkServices: Array.isArray(services) ? canonicalSet(services) : services,
    rules: Array.isArray(props.rules) ? sortRules(props.rules) : props.rules,
  };
}

function fromAws(r: AwsRule): TrafficMirrorFilterRule {
  const ports = r.DestinationPortRange;
  const source = r.SourcePortRange;
  return {
    direction: r.TrafficDirection as TrafficMirrorFilterRule['direction'],
    ruleNumber: r.RuleNumber ?? 0,
    action: r.RuleAction as TrafficMirrorFilterRule['action'],
    protocol: r.Protocol ?? null,
    destinationPortRange: ports ? { from: ports.FromPort ?? 0, to: ports.ToPort ?? 65535 } : null,
    ...(source && { sourcePortRange: { from: source.FromPort ?? 0, to: source.ToPort ?? 65535 } }),
    sourceCidr: r.SourceCidrBlock ?? '',
    destinationCidr: r.DestinationCidrBlock ?? '',
    description: r.Description ?? '',
  };
}

function toLive(f: TrafficMirrorFilter): Live<TrafficMirrorFilterProps> {
  const filterId = f.TrafficMirrorFilterId ?? '';
  return {
    physicalId: filterId,
    props: {
      description: f.Description ?? '',
      networkServices: canonicalSet(f.NetworkServices ?? []),
      rules: sortRules([...(f.IngressFilterRules ?? []), ...(f.EgressFilterRules ?? [])].map(fromAws)),
      tags: comparableTags(tagRecord(f.Tags)),
    },
    outputs: { filterId },
  };
}

/** Rule ids by key, for modify/delete. */
function ruleIds(f: TrafficMirrorFilter): Map<string, string> {
  const ids = new Map<string, string>();
  for (const r of [...(f.IngressFilterRules ?? []), ...(f.EgressFilterRules ?? [])]) {
    if (r.TrafficMirrorFilterRuleId) ids.set(ruleKey(fromAws(r)), r.TrafficMirrorFilterRuleId);
  }
  return ids;
}

async function describe(ec2: EC2Client, filterId: string): Promise<TrafficMirrorFilter | undefined> {
  const out = await unlessNotFound(ec2.send(new DescribeTrafficMirrorFiltersCommand({ TrafficMirrorFilterIds: [filterId] })));
  if (!out) return undefined;
  return out.TrafficMirrorFilters?.find((f) => f.TrafficMirrorFilterId === filterId);
}

function ruleFields(rule: TrafficMirrorFilterRule) {
  return {
    RuleAction: rule.action,
    SourceCidrBlock: rule.sourceCidr,
    DestinationCidrBlock: rule.destinationCidr,
    ...(rule.protocol !== null && { Protocol: rule.protocol }),
    ...(rule.destinationPortRange && { DestinationPortRange: { FromPort: rule.destinationPortRange.from, ToPort: rule.destinationPortRange.to } }),
    ...(rule.sourcePortRange && { SourcePortRange: { FromPort: rule.sourcePortRange.from, ToPort: rule.sourcePortRange.to } }),
    ...(rule.description && { Description: rule.description }),
  };
}

async function createRule(ec2: EC2Client, filterId: string, rule: TrafficMirrorFilterRule, token: string): Promise<void> {
  await ec2.send(
    new CreateTrafficMirrorFilterRuleCommand({
      TrafficMirrorFilterId: filterId,
      TrafficDirection: rule.direction,
      RuleNumber: rule.ruleNumber,
      ...ruleFields(rule),
      ClientToken: token,
    }),
  );
}

async function modifyRule(ec2: EC2Client, ruleId: string, rule: TrafficMirrorFilterRule): Promise<void> {
  const remove: TrafficMirrorFilterRuleField[] = [];
  if (rule.protocol === null) remove.push('protocol');
  if (rule.destinationPortRange === null) remove.push('destination-port-range');
  if (!rule.sourcePortRange) remove.push('source-port-range');
  if (!rule.description) remove.push('description');
  await ec2.send(new ModifyTrafficMirrorFilterRuleCommand({ TrafficMirrorFilterRuleId: ruleId, ...ruleFields(rule), ...(remove.length > 0 && { RemoveFields: remove }) }));
}

/**
 * Brings network services and rules to `desired`: deletes first (a filter holds at most 10 rules), then
 * in-place modifies (same direction and number), then creates. Returns the filter as read afterwards.
 */
async function converge(ctx: ResourceContext, ec2: EC2Client, filterId: string, desired: TrafficMirrorFilterProps): Promise<Live<TrafficMirrorFilterProps>> {
  const retry = <T>(fn: () => Promise<T>) => retryWhile(isNotFound, fn, { windowMs: CONSISTENCY_WINDOW_MS, intervalMs: 2 * SECOND, signal: ctx.signal });
  const read = () =>
    retry(async () => {
      const f = await describe(ec2, filterId);
      if (!f) throw Object.assign(new Error(`traffic mirror filter ${filterId} not visible yet`), { name: 'InvalidTrafficMirrorFilterId.NotFound' });
      return f;
    });
  const current = await read();
  const live = toLive(current);
  const want = normalize(desired);

  const add = want.networkServices.filter((s) => !live.props.networkServices.includes(s));
  const remove = live.props.networkServices.filter((s) => !want.networkServices.includes(s));
  if (add.length > 0 || remove.length > 0) {
    await retry(() =>
      ec2.send(
        new ModifyTrafficMirrorFilterNetworkServicesCommand({
          TrafficMirrorFilterId: filterId,
          ...(add.length > 0 && { AddNetworkServices: add as TrafficMirrorNetworkService[] }),
          ...(remove.length > 0 && { RemoveNetworkServices: remove as TrafficMirrorNetworkService[] }),
        }),
      ),
    );
  }

  const ids = ruleIds(current);
  const liveByKey = new Map(live.props.rules.map((r) => [ruleKey(r), r]));
  const wantByKey = new Map(want.rules.map((r) => [ruleKey(r), r]));
  for (const [key, id] of ids) {
    if (wantByKey.has(key)) continue;
    try {
      await ec2.send(new DeleteTrafficMirrorFilterRuleCommand({ TrafficMirrorFilterRuleId: id }));
    } catch (error) {
      if (!hasCode(error, 'InvalidTrafficMirrorFilterRuleId.NotFound')) throw error;
    }
  }
  const token = (rule: TrafficMirrorFilterRule, salt = '') => sha256(`${ctx.clientToken}|${filterId}|${stableJson(rule)}${salt}`).slice(0, 64);
  const missing: TrafficMirrorFilterRule[] = [];
  for (const [key, rule] of wantByKey) {
    const have = liveByKey.get(key);
    if (!have) missing.push(rule);
    else if (stableJson(have) !== stableJson(rule)) await modifyRule(ec2, ids.get(key)!, rule);
  }
  for (const rule of missing) await retry(() => createRule(ec2, filterId, rule, token(rule)));

  let after = await read();
  // A client token used before (the same rule removed and added back) replays the old answer without
  // creating anything: create those once more with a fresh token.
  const stale = missing.filter((r) => !ruleIds(after).has(ruleKey(r)));
  if (stale.length > 0) {
    for (const rule of stale) await createRule(ec2, filterId, rule, token(rule, `|${Date.now()}`));
    after = await read();
  }
  return toLive(after);
}

async function create(ctx: ResourceContext, props: TrafficMirrorFilterProps): Promise<Live<TrafficMirrorFilterProps>> {
  return guard(ctx, 'creating traffic mirror filter', async () => {
    const ec2 = await ctx.aws.ec2();
    const send = (ClientToken: string) =>
      ec2.send(new CreateTrafficMirrorFilterCommand({ Description: props.description, ClientToken, TagSpecifications: [ec2TagSpec('traffic-mirror-filter', ctx.tags)] }));
    // The props are part of the token (tags are not: they are updated in place).
    const token = sha256(`${ctx.clientToken}|${stableJson({ ...props, tags: undefined })}`).slice(0, 64);
    const out = await createIdempotently(token, send, (o) => o.TrafficMirrorFilter?.TrafficMirrorFilterId, async (id) => Boolean(await describe(ec2, id)), ctx.signal);
    const filterId = out.TrafficMirrorFilter?.TrafficMirrorFilterId;
    if (!filterId) throw new Error('CreateTrafficMirrorFilter returned no TrafficMirrorFilterId');
    return converge(ctx, ec2, filterId, props);
  });
}

async function read(ctx: ResourceContext, physicalId: string): Promise<Live<TrafficMirrorFilterProps> | undefined> {
  return guard(ctx, `reading traffic mirror filter ${physicalId}`, async () => {
    const f = await describe(await ctx.aws.ec2(), physicalId);
    return f ? toLive(f) : undefined;
  });
}

async function update(ctx: ResourceContext, live: Live<TrafficMirrorFilterProps>, desired: TrafficMirrorFilterProps): Promise<Live<TrafficMirrorFilterProps>> {
  return guard(ctx, `updating traffic mirror filter ${live.physicalId}`, async () => {
    const ec2 = await ctx.aws.ec2();
    if (desired.tags) await syncEc2Tags(ec2, live.physicalId, live.props.tags, desired.tags);
    return converge(ctx, ec2, live.physicalId, desired);
  });
}

async function destroy(ctx: ResourceContext, physicalId: string): Promise<void> {
  await guard(ctx, `deleting traffic mirror filter ${physicalId}`, async () => {
    const ec2 = await ctx.aws.ec2();
    await deleteWhileInUse(ctx, 'traffic-mirror-filter', `traffic mirror filter ${physicalId}`, `traffic-mirror-filter-id=${physicalId}`, () =>
      ec2.send(new DeleteTrafficMirrorFilterCommand({ TrafficMirrorFilterId: physicalId })),
    );
  });
}

async function list(ctx: ResourceContext): Promise<Tagged[]> {
  return guard(ctx, 'listing traffic mirror filters', async () => {
    const found: Tagged[] = [];
    const pages = paginateDescribeTrafficMirrorFilters(
      { client: await ctx.aws.ec2(), pageSize: 1000 },
      // DescribeTrafficMirrorFilters documents no tag filter (only description, traffic-mirror-filter-id).
      {},
    );
    for await (const page of pages) {
      for (const f of page.TrafficMirrorFilters ?? []) {
        const owned = f.TrafficMirrorFilterId ? ownedItem(ctx.deployment, f.TrafficMirrorFilterId, f.Tags) : undefined;
        if (owned) found.push(owned);
      }
    }
    return found;
  });
}

export const handler: ResourceHandler<TrafficMirrorFilterProps> = {
  kind: 'traffic-mirror-filter',
  // EC2 has no call that changes a filter's description.
  replaceOn: ['description'],
  normalize,
  create,
  read,
  update,
  delete: destroy,
  list,
};
