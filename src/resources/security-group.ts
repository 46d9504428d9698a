import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  paginateDescribeSecurityGroups,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  UpdateSecurityGroupRuleDescriptionsEgressCommand,
  UpdateSecurityGroupRuleDescriptionsIngressCommand,
  type EC2Client,
  type IpPermission,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';

import { awsMessage, hasCode, isDependencyViolation } from '../aws/errors.js';
import { isNotFound, isNotFoundOf, unlessNotFound } from './not-found.js';
import { AwsError } from '../errors.js';
import type { Live, ResourceContext, ResourceHandler, SecurityGroupProps, SecurityGroupRule, Tagged } from './types.js';
import { TAG_DEPLOYMENT } from './types.js';
import { syncEc2Tags } from './tagging.js';
import { canonicalSet, comparableTags, describeByIds, ec2TagSpec, FILTER_VALUES_MAX, formatDuration, guard, MINUTE, retryWhile, SECOND, tagRecord, ownedItem } from './util.js';
import { verifyNameTakeover } from './ownership.js';
import { anyResource, forList, created, owned, scoped, ec2TagOnCreate, type IamGrants } from '../iam/grants.js';

/** Right after CreateSecurityGroup, Describe/Authorize may still answer InvalidGroup.NotFound. */
const CREATE_CONSISTENCY_WINDOW_MS = 2 * MINUTE;
/** ENIs of terminating instances and deleted load balancers take minutes to release the group. */
const DEPENDENCY_WINDOW_MS = 15 * MINUTE;
const DEPENDENCY_INTERVAL_MS = 10 * SECOND;

type Direction = 'ingress' | 'egress';

const PROTOCOL_NUMBERS: Record<string, string> = { '6': 'tcp', '17': 'udp', all: '-1' };

function ruleKey(r: SecurityGroupRule): string {
  return `${r.protocol}|${r.fromPort}|${r.toPort}|${r.cidr}`;
}

function compareRules(a: SecurityGroupRule, b: SecurityGroupRule): number {
  return (
    a.protocol.localeCompare(b.protocol) ||
    a.fromPort - b.fromPort ||
    a.toPort - b.toPort ||
    a.cidr.localeCompare(b.cidr) ||
    a.description.localeCompare(b.description)
  );
}

/** AWS permissions -> one rule per CIDR, sorted. Rules referencing groups or prefix lists are not modelled and are left alone. */
export function normaliseRules(permissions: readonly IpPermission[] | undefined): SecurityGroupRule[] {
  const rules: SecurityGroupRule[] = [];
  for (const p of permissions ?? []) {
    const raw = (p.IpProtocol ?? '-1').toLowerCase();
    const protocol = (PROTOCOL_NUMBERS[raw] ?? raw) as SecurityGroupRule['protocol'];
    const all = protocol === '-1';
    const fromPort = all ? -1 : (p.FromPort ?? -1);
    const toPort = all ? -1 : (p.ToPort ?? -1);
    for (const r of p.IpRanges ?? []) if (r.CidrIp) rules.push({ protocol, fromPort, toPort, cidr: r.CidrIp, description: r.Description ?? '' });
    for (const r of p.Ipv6Ranges ?? []) if (r.CidrIpv6) rules.push({ protocol, fromPort, toPort, cidr: r.CidrIpv6, description: r.Description ?? '' });
  }
  return sortRules(rules);
}

function isRule(value: unknown): value is SecurityGroupRule {
  const r = value as SecurityGroupRule;
  return !!r && typeof r === 'object' && typeof r.protocol === 'string' && typeof r.fromPort === 'number' && typeof r.toPort === 'number' && typeof r.cidr === 'string';
}

/** Rules in canonical order, duplicates (same protocol, ports and CIDR) dropped. */
export function sortRules(rules: readonly SecurityGroupRule[]): SecurityGroupRule[] {
  if (!rules.every(isRule)) return canonicalSet(rules); // unresolved values inside: still deterministic
  const byKey = new Map<string, SecurityGroupRule>();
  for (const rule of rules) {
    const r = rule.protocol === '-1' ? { ...rule, fromPort: -1, toPort: -1 } : rule;
    byKey.set(ruleKey(r), { ...r, description: r.description ?? '' });
  }
  return [...byKey.values()].sort(compareRules);
}

export function normalize(props: SecurityGroupProps): SecurityGroupProps {
  return { ...props, ingress: sortRules(props.ingress ?? []), egress: sortRules(props.egress ?? []) };
}

function permission(rule: SecurityGroupRule): IpPermission {
  const range = rule.description ? { Description: rule.description } : {};
  const ports = rule.protocol === '-1' ? {} : { FromPort: rule.fromPort, ToPort: rule.toPort };
  return rule.cidr.includes(':')
    ? { IpProtocol: rule.protocol, ...ports, Ipv6Ranges: [{ CidrIpv6: rule.cidr, ...range }] }
    : { IpProtocol: rule.protocol, ...ports, IpRanges: [{ CidrIp: rule.cidr, ...range }] };
}

async function findGroup(ec2: EC2Client, groupId: string): Promise<SecurityGroup | undefined> {
  const out = await unlessNotFound(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] })));
  if (!out) return undefined;
  return out.SecurityGroups?.find((g) => g.GroupId === groupId);
}

function toLive(group: SecurityGroup): Live<SecurityGroupProps> {
  const groupId = group.GroupId ?? '';
  return {
    physicalId: groupId,
    props: {
      name: group.GroupName ?? '',
      description: group.Description ?? '',
      vpcId: group.VpcId ?? '',
      ingress: normaliseRules(group.IpPermissions),
      egress: normaliseRules(group.IpPermissionsEgress),
      tags: comparableTags(tagRecord(group.Tags)),
    },
    outputs: { groupId },
  };
}

interface RulesInput {
  GroupId: string;
  IpPermissions: IpPermission[];
}

async function authorize(ec2: EC2Client, direction: Direction, input: RulesInput): Promise<void> {
  if (direction === 'ingress') await ec2.send(new AuthorizeSecurityGroupIngressCommand(input));
  else await ec2.send(new AuthorizeSecurityGroupEgressCommand(input));
}

async function revoke(ec2: EC2Client, direction: Direction, input: RulesInput): Promise<void> {
  if (direction === 'ingress') await ec2.send(new RevokeSecurityGroupIngressCommand(input));
  else await ec2.send(new RevokeSecurityGroupEgressCommand(input));
}

async function describeRules(ec2: EC2Client, direction: Direction, input: RulesInput): Promise<void> {
  if (direction === 'ingress') await ec2.send(new UpdateSecurityGroupRuleDescriptionsIngressCommand(input));
  else await ec2.send(new UpdateSecurityGroupRuleDescriptionsEgressCommand(input));
}

/** Authorizes what is missing, updates changed descriptions, then revokes what is extra (in that order, so no traffic gap). */
async function syncRules(ctx: ResourceContext, ec2: EC2Client, groupId: string, direction: Direction, live: SecurityGroupRule[], desired: SecurityGroupRule[]): Promise<void> {
  const liveByKey = new Map(live.map((r) => [ruleKey(r), r]));
  const desiredByKey = new Map(desired.map((r) => [ruleKey(r), r]));
  const missing = [...desiredByKey.values()].filter((r) => !liveByKey.has(ruleKey(r)));
  const relabel = [...desiredByKey.values()].filter((r) => {
    const l = liveByKey.get(ruleKey(r));
    return l !== undefined && l.description !== r.description;
  });
  const extra = [...liveByKey.values()].filter((r) => !desiredByKey.has(ruleKey(r)));
  const retry = <T>(fn: () => Promise<T>) =>
    retryWhile(isNotFound, fn, { windowMs: CREATE_CONSISTENCY_WINDOW_MS, intervalMs: 2 * SECOND, signal: ctx.signal });

  if (missing.length > 0) {
    const input = { GroupId: groupId, IpPermissions: missing.map(permission) };
    await retry(async () => {
      try {
        await authorize(ec2, direction, input);
      } catch (error) {
        // A retried request that had succeeded: every rule is there already.
        if (!hasCode(error, 'InvalidPermission.Duplicate')) throw error;
        for (const p of input.IpPermissions) {
          try {
            const one = { GroupId: groupId, IpPermissions: [p] };
            await authorize(ec2, direction, one);
          } catch (inner) {
            if (!hasCode(inner, 'InvalidPermission.Duplicate')) throw inner;
          }
        }
      }
    });
  }
  if (relabel.length > 0) {
    const input = { GroupId: groupId, IpPermissions: relabel.map(permission) };
    await retry(() => describeRules(ec2, direction, input));
  }
  if (extra.length > 0) {
    const input = { GroupId: groupId, IpPermissions: extra.map((r) => permission({ ...r, description: '' })) };
    await retry(async () => {
      try {
        await revoke(ec2, direction, input);
      } catch (error) {
        if (!hasCode(error, 'InvalidPermission.NotFound')) throw error;
      }
    });
  }
}

async function converge(ctx: ResourceContext, ec2: EC2Client, groupId: string, desired: SecurityGroupProps): Promise<Live<SecurityGroupProps>> {
  const group = await retryWhile(
    isNotFound,
    async () => {
      const out = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
      const found = out.SecurityGroups?.find((g) => g.GroupId === groupId);
      if (!found) throw Object.assign(new Error(`security group ${groupId} not visible yet`), { name: 'InvalidGroup.NotFound' });
      return found;
    },
    { windowMs: CREATE_CONSISTENCY_WINDOW_MS, intervalMs: 2 * SECOND, signal: ctx.signal },
  );
  const live = toLive(group);
  await syncRules(ctx, ec2, groupId, 'ingress', live.props.ingress, sortRules(desired.ingress));
  await syncRules(ctx, ec2, groupId, 'egress', live.props.egress, sortRules(desired.egress));
  return {
    ...live,
    props: { ...live.props, ingress: sortRules(desired.ingress), egress: sortRules(desired.egress) },
  };
}

async function findByName(ec2: EC2Client, vpcId: string, name: string): Promise<SecurityGroup | undefined> {
  const out = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: [name] }] }),
  );
  return out.SecurityGroups?.[0];
}

async function create(ctx: ResourceContext, props: SecurityGroupProps): Promise<Live<SecurityGroupProps>> {
  return guard(ctx, `creating security group ${props.name}`, async () => {
    const ec2 = await ctx.aws.ec2();
    let groupId: string | undefined;
    try {
      groupId = (
        await ec2.send(
          new CreateSecurityGroupCommand({
            GroupName: props.name,
            Description: props.description,
            VpcId: props.vpcId,
            TagSpecifications: [ec2TagSpec('security-group', ctx.tags)],
          }),
        )
      ).GroupId;
    } catch (error) {
      if (!hasCode(error, 'InvalidGroup.Duplicate')) throw error;
      // Created by an interrupted run? Adopt it only when it carries this node's tags.
      const existing = await findByName(ec2, props.vpcId, props.name);
      verifyNameTakeover(ctx, `a security group of ${props.vpcId}`, props.name, existing && tagRecord(existing.Tags), error);
      if (!existing?.GroupId) throw error;
      groupId = existing.GroupId;
    }
    if (!groupId) throw new Error('CreateSecurityGroup returned no GroupId');
    return converge(ctx, ec2, groupId, props);
  });
}

async function read(ctx: ResourceContext, physicalId: string): Promise<Live<SecurityGroupProps> | undefined> {
  return guard(ctx, `reading security group ${physicalId}`, async () => {
    const group = await findGroup(await ctx.aws.ec2(), physicalId);
    return group ? toLive(group) : undefined;
  });
}

/**
 * Every group in one DescribeSecurityGroups per 200 ids, by the documented `group-id` filter rather than
 * GroupIds: a group deleted meanwhile is simply absent instead of failing the call (InvalidGroup.NotFound).
 */
async function readMany(ctx: ResourceContext, physicalIds: readonly string[]): Promise<Map<string, Live<SecurityGroupProps> | undefined>> {
  return guard(ctx, `reading security groups ${physicalIds.join(', ')}`, async () => {
    const ec2 = await ctx.aws.ec2();
    return describeByIds(physicalIds, FILTER_VALUES_MAX, async (batch) => {
      const found = new Map<string, Live<SecurityGroupProps>>();
      let token: string | undefined;
      do {
        const out = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-id', Values: batch }], NextToken: token }));
        for (const g of out.SecurityGroups ?? []) if (g.GroupId) found.set(g.GroupId, toLive(g));
        token = out.NextToken;
      } while (token);
      return found;
    });
  });
}

async function update(ctx: ResourceContext, live: Live<SecurityGroupProps>, desired: SecurityGroupProps): Promise<Live<SecurityGroupProps>> {
  return guard(ctx, `updating security group ${live.physicalId}`, async () => {
    const ec2 = await ctx.aws.ec2();
    if (desired.tags) await syncEc2Tags(ec2, live.physicalId, live.props.tags, desired.tags);
    return converge(ctx, ec2, live.physicalId, desired);
  });
}

async function destroy(ctx: ResourceContext, physicalId: string): Promise<void> {
  await guard(ctx, `deleting security group ${physicalId}`, async () => {
    const ec2 = await ctx.aws.ec2();
    let waited = 0;
    let lastLog = 0;
    try {
      await retryWhile(
        (error) => {
          if (!isDependencyViolation(error)) return false;
          if (waited - lastLog >= MINUTE) {
            lastLog = waited;
            ctx.log(`waiting for network interfaces to release security group ${physicalId} (${formatDuration(waited)})`);
          }
          waited += DEPENDENCY_INTERVAL_MS;
          return true;
        },
        () => ec2.send(new DeleteSecurityGroupCommand({ GroupId: physicalId })),
        { windowMs: DEPENDENCY_WINDOW_MS, intervalMs: DEPENDENCY_INTERVAL_MS, signal: ctx.signal },
      );
    } catch (error) {
      if (isNotFoundOf('security-group', error)) return;
      if (isDependencyViolation(error)) {
        throw new AwsError('AWS_DEPENDENCY_VIOLATION', `${ctx.logicalId}: security group ${physicalId} is still in use after ${formatDuration(DEPENDENCY_WINDOW_MS)}: ${awsMessage(error)}`, {
          cause: error,
          actions: [
            `Find what still uses it: aws ec2 describe-network-interfaces --filters Name=group-id,Values=${physicalId}`,
            'Delete those network interfaces or move them to another group, then run the command again.',
          ],
        });
      }
      throw error;
    }
  });
}

async function list(ctx: ResourceContext): Promise<Tagged[]> {
  return guard(ctx, 'listing security groups', async () => {
    const ec2 = await ctx.aws.ec2();
    const found: Tagged[] = [];
    for await (const page of paginateDescribeSecurityGroups({ client: ec2 }, { Filters: [{ Name: `tag:${TAG_DEPLOYMENT}`, Values: [ctx.deployment] }] })) {
      for (const g of page.SecurityGroups ?? []) {
        const owned = g.GroupId ? ownedItem(ctx.deployment, g.GroupId, g.Tags) : undefined;
        if (owned) found.push(owned);
      }
    }
    return found;
  });
}

/** IAM permissions of the calls above (Service Authorization Reference: EC2 security groups). */
export const iam: IamGrants = [
  forList(anyResource('ec2:DescribeSecurityGroups')),
  created('ec2:security-group', 'ec2:CreateSecurityGroup'),
  scoped('ec2:vpc', 'ec2:CreateSecurityGroup'),
  ec2TagOnCreate('CreateSecurityGroup'),
  owned(
    'ec2:security-group',
    'ec2:AuthorizeSecurityGroupIngress',
    'ec2:AuthorizeSecurityGroupEgress',
    'ec2:RevokeSecurityGroupIngress',
    'ec2:RevokeSecurityGroupEgress',
    'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
    'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
    'ec2:DeleteSecurityGroup',
    'ec2:CreateTags',
    'ec2:DeleteTags',
  ),
  scoped(
    'ec2:security-group-rule',
    'ec2:AuthorizeSecurityGroupIngress',
    'ec2:AuthorizeSecurityGroupEgress',
    'ec2:RevokeSecurityGroupIngress',
    'ec2:RevokeSecurityGroupEgress',
    'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
    'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
  ),
];

export const handler: ResourceHandler<SecurityGroupProps> = {
  kind: 'security-group',
  iam,
  replaceOn: ['name', 'description', 'vpcId'],
  normalize,
  create,
  read,
  readMany,
  update,
  delete: destroy,
  list,
};
