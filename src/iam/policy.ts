import { TAG_DEPLOYMENT } from '../resources/types.js';
import type { IamCondition, IamGrant, IamTarget } from './grants.js';

/** What the ARNs and conditions of one deployment's policy are filled in with. */
export interface PolicyScope {
  deployment: string;
  /** A region, or `*` when the config names none. */
  region: string;
  vpcId: string;
  tokenParameter: string;
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** `aws`, `aws-cn` or `aws-us-gov`, from the region's name. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The ARN patterns of a target. The account is `*`: the policy is attached in the account it governs. */
export function resourcesOf(on: IamTarget, scope: PolicyScope): string[] {
  const p = partitionOf(scope.region);
  const r = scope.region;
  const d = scope.deployment;
  const prefix = `/wallarm-oob/${d}/`;
  switch (on) {
    case 'any':
      return ['*'];
    case 'ec2:vpc':
      return [`arn:${p}:ec2:${r}:*:vpc/${scope.vpcId}`];
    case 'ec2:security-group':
    case 'ec2:security-group-rule':
    case 'ec2:launch-template':
    case 'ec2:network-interface':
    case 'ec2:traffic-mirror-filter':
    case 'ec2:traffic-mirror-filter-rule':
    case 'ec2:traffic-mirror-target':
    case 'ec2:traffic-mirror-session':
      return [`arn:${p}:ec2:${r}:*:${on.slice('ec2:'.length)}/*`];
    case 'elasticloadbalancing:loadbalancer':
    case 'elasticloadbalancing:targetgroup':
    case 'elasticloadbalancing:listener':
      return [`arn:${p}:elasticloadbalancing:${r}:*:${on.slice('elasticloadbalancing:'.length)}/*`];
    case 'autoscaling:group':
      return [`arn:${p}:autoscaling:${r}:*:autoScalingGroup:*:autoScalingGroupName/*`];
    // IAM authorises a call on a role that does not exist (a read after it was deleted, a name check) against
    // the path-less ARN of the name it was given: the deployment's name prefix covers that case.
    case 'iam:deployment-role':
      return [`arn:${p}:iam::*:role${prefix}*`, `arn:${p}:iam::*:role/wallarm-oob-${d}-*`];
    case 'iam:deployment-instance-profile':
      return [`arn:${p}:iam::*:instance-profile${prefix}*`, `arn:${p}:iam::*:instance-profile/wallarm-oob-${d}-*`];
    case 'iam:service-linked-role':
      return [`arn:${p}:iam::*:role/aws-service-role/*`];
    case 'ssm:deployment-parameters':
      return [`arn:${p}:ssm:${r}:*:parameter${prefix}*`];
    case 'lambda:deployment-function':
      return [`arn:${p}:lambda:${r}:*:function:wallarm-oob-${d}-*`];
    case 'events:deployment-rule':
      return [`arn:${p}:events:${r}:*:rule/wallarm-oob-${d}-*`];
    case 'logs:deployment-log-group':
      return [`arn:${p}:logs:${r}:*:log-group:/aws/lambda/wallarm-oob-${d}-*`];
    case 'ssm:token-parameter': {
      // Under the deployment's prefix the token is already covered by ssm:deployment-parameters.
      if (scope.tokenParameter.startsWith(prefix)) return [`arn:${p}:ssm:${r}:*:parameter${prefix}*`];
      return [`arn:${p}:ssm:${r}:*:parameter/${scope.tokenParameter.replace(/^\//, '')}`];
    }
  }
}

function conditionOf(when: IamCondition | undefined, scope: PolicyScope): PolicyStatement['Condition'] {
  if (!when) return undefined;
  if ('tag' in when) {
    const key = when.tag === 'resource' ? `aws:ResourceTag/${TAG_DEPLOYMENT}` : `aws:RequestTag/${TAG_DEPLOYMENT}`;
    return { StringEquals: { [key]: scope.deployment } };
  }
  const values = [...new Set(when.values)].sort();
  return { StringEquals: { [when.key]: values.length === 1 ? values[0]! : values } };
}

/** Grants whose condition differs only in the values of one key merge into one grant with the union of values. */
function conditionKey(when: IamCondition | undefined): string {
  if (!when) return '';
  return 'tag' in when ? `tag:${when.tag}` : `key:${when.key}`;
}

/**
 * Assembles grants into a policy document: one statement per target and condition, actions sorted and
 * de-duplicated; statements with the same actions and condition share one statement with several resources.
 */
export function buildPolicy(grants: readonly IamGrant[], scope: PolicyScope): PolicyDocument {
  interface Group {
    on: IamTarget;
    when?: IamCondition;
    actions: Set<string>;
  }
  const groups = new Map<string, Group>();
  for (const grant of grants) {
    const key = `${grant.on}|${conditionKey(grant.when)}|${grant.actions.join(',')}`;
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { on: grant.on, ...(grant.when && { when: grant.when }), actions: new Set(grant.actions) });
      continue;
    }
    if (group.when && grant.when && !('tag' in group.when) && !('tag' in grant.when)) {
      group.when = { key: group.when.key, values: [...group.when.values, ...grant.when.values] };
    }
  }
  // Then one group per (target, condition) with all its actions.
  const byTarget = new Map<string, { resources: string[]; condition: PolicyStatement['Condition']; actions: Set<string> }>();
  for (const group of groups.values()) {
    const resources = resourcesOf(group.on, scope);
    const condition = conditionOf(group.when, scope);
    const key = JSON.stringify([resources, condition]);
    const entry = byTarget.get(key) ?? { resources, condition, actions: new Set<string>() };
    for (const action of group.actions) entry.actions.add(action);
    byTarget.set(key, entry);
  }
  // Under the deployment's tag condition, one statement per service: an action only ever applies to its own
  // resource types, so the union grants no (action, resource type) pair that was not granted already, and
  // the policy stays under IAM's 6,144-character limit. Unconditioned statements are never merged: that
  // would extend an action scoped to one type (a filter rule) to another (the filter itself).
  const merged = new Map<string, { resources: Set<string>; condition: PolicyStatement['Condition']; actions: Set<string> }>();
  for (const entry of byTarget.values()) {
    const tagged = Object.keys(entry.condition?.StringEquals ?? {}).some((k) => k.startsWith('aws:ResourceTag/') || k.startsWith('aws:RequestTag/'));
    const services = [...new Set([...entry.actions].map((a) => a.split(':')[0]))].sort().join(',');
    const key = tagged ? JSON.stringify([services, entry.condition]) : JSON.stringify([[...entry.actions].sort(), entry.resources, entry.condition]);
    const into = merged.get(key) ?? { resources: new Set<string>(), condition: entry.condition, actions: new Set<string>() };
    for (const resource of entry.resources) into.resources.add(resource);
    for (const action of entry.actions) into.actions.add(action);
    merged.set(key, into);
  }
  const statements = [...merged.values()].map((s): Omit<PolicyStatement, 'Sid'> => {
    const resources = [...s.resources].sort();
    return {
      Effect: 'Allow',
      Action: [...s.actions].sort(),
      Resource: resources.includes('*') ? '*' : resources.length === 1 ? resources[0]! : resources,
      ...(s.condition && { Condition: s.condition }),
    };
  });
  statements.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  const used = new Map<string, number>();
  const named: PolicyDocument = {
    Version: '2012-10-17',
    Statement: statements.map((s) => {
      const base = sidOf(s);
      const n = (used.get(base) ?? 0) + 1;
      used.set(base, n);
      return { Sid: n === 1 ? base : `${base}${n}`, ...s };
    }),
  };
  // Sids only help a reader: drop them when they alone would push the document over a managed policy's limit.
  if (policySize(named) <= MANAGED_POLICY_LIMIT) return named;
  const bare: PolicyDocument = { Version: '2012-10-17', Statement: statements };
  return policySize(bare) <= MANAGED_POLICY_LIMIT ? bare : named;
}

function sortKey(s: Omit<PolicyStatement, 'Sid'>): string {
  return `${s.Action[0]?.split(':')[0] ?? ''}|${JSON.stringify(s.Resource)}|${JSON.stringify(s.Condition ?? {})}|${s.Action.join(',')}`;
}

const SERVICE_SID: Record<string, string> = { ec2: 'Ec2', elasticloadbalancing: 'Elb', autoscaling: 'Asg', iam: 'Iam', ssm: 'Ssm' };

/**
 * A short readable statement id: service, resource type, scope (Sids allow only [A-Za-z0-9]; short, because
 * IAM counts them against the policy's size limit).
 */
function sidOf(s: Omit<PolicyStatement, 'Sid'>): string {
  const services = [...new Set(s.Action.map((a) => a.split(':')[0] ?? ''))];
  const service = services.length === 1 ? (SERVICE_SID[services[0]!] ?? pascal(services[0]!)) : '';
  const key = Object.keys(s.Condition?.StringEquals ?? {})[0] ?? '';
  if (s.Resource === '*') return key.endsWith(':CreateAction') ? `${service}TagOnCreate` : `${service}AnyResource`;
  const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
  const types = [...new Set(resources.map(resourceTypeOf))];
  const type = types.length === 1 ? types[0]! : '';
  const scope = key.startsWith('aws:ResourceTag/') ? 'Owned' : key.startsWith('aws:RequestTag/') ? 'Create' : '';
  return `${service}${type}${scope}` || 'Scoped';
}

/** `arn:aws:ec2:r:*:launch-template/*` -> LaunchTemplate; IAM and SSM paths name what they hold. */
function resourceTypeOf(arn: string): string {
  const [, , service, , , rest = ''] = arn.split(':');
  if (service === 'iam') return rest.startsWith('role/aws-service-role/') ? 'ServiceLinkedRole' : rest.startsWith('role/') ? 'Roles' : 'InstanceProfiles';
  if (service === 'ssm') return rest.startsWith('parameter/wallarm-oob/') ? 'Parameters' : 'TokenParameter';
  if (service === 'autoscaling') return 'Group';
  return pascal(rest.split('/')[0] ?? '');
}

const pascal = (text: string) =>
  text
    .split(/[^A-Za-z0-9]+/)
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : ''))
    .join('');

/** Every action of the policy (for tests and the summary line). */
export function actionsOf(doc: PolicyDocument): Set<string> {
  return new Set(doc.Statement.flatMap((s) => s.Action));
}

/** IAM's size limit of a customer managed policy, counted without whitespace (IAM user guide, IAM and STS quotas). */
export const MANAGED_POLICY_LIMIT = 6144;

/** The size IAM counts: the document's characters without whitespace. */
export function policySize(doc: PolicyDocument): number {
  return JSON.stringify(doc).replace(/\s/g, '').length;
}

/**
 * The policy's statements packed into as few documents as fit `limit` each (first fit, largest statement first):
 * the same permissions, attachable as several customer managed policies. Statements are never cut.
 */
export function splitPolicy(doc: PolicyDocument, limit = MANAGED_POLICY_LIMIT): PolicyDocument[] {
  const parts: PolicyDocument[] = [];
  const bySize = [...doc.Statement].sort((a, b) => policySize({ ...doc, Statement: [b] }) - policySize({ ...doc, Statement: [a] }));
  for (const statement of bySize) {
    const fits = parts.find((p) => policySize({ ...p, Statement: [...p.Statement, statement] }) <= limit);
    if (fits) fits.Statement.push(statement);
    else parts.push({ ...doc, Statement: [statement] });
  }
  // Each part keeps the original statement order: easier to read and to diff.
  const order = new Map(doc.Statement.map((s, i) => [s, i]));
  for (const p of parts) p.Statement.sort((a, b) => order.get(a)! - order.get(b)!);
  return parts;
}
