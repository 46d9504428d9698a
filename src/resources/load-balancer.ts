import {
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ModifyLoadBalancerAttributesCommand,
  paginateDescribeLoadBalancers,
  SetSecurityGroupsCommand,
  SetSubnetsCommand,
  type ElasticLoadBalancingV2Client,
  type LoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';

import { hasCode } from '../aws/errors.js';
import { isNotFound, isNotFoundOf, unlessNotFound } from './not-found.js';
import { AbortedError, AwsError } from '../errors.js';
import type { DeleteGuard, Live, LoadBalancerProps, ReadBatch, ResourceContext, ResourceHandler, Tagged } from './types.js';
import { syncElbTags } from './tagging.js';
import { canonicalSet, chunks, comparableTags, describeByIds, elbTags, guard, MINUTE, ownedItem, retryWhile, SECOND, SETTLE_POLL, tagRecord, waitUntil } from './util.js';
import { anyResource, forList, forPlanned, created, owned, elbTagOnCreate, serviceLinkedRole, type IamGrants } from '../iam/grants.js';

/** Provisioning usually takes 2-5 minutes; the window leaves room for a busy region. */
const ACTIVE_TIMEOUT_MS = 15 * MINUTE;
const DELETED_TIMEOUT_MS = 10 * MINUTE;
/** Right after create, reads may not see the load balancer yet. */
const CREATE_CONSISTENCY_MS = 2 * MINUTE;

export const ATTR_DELETION_PROTECTION = 'deletion_protection.enabled';
export const ATTR_CROSS_ZONE = 'load_balancing.cross_zone.enabled';
/**
 * The attributes this tool manages, with AWS's defaults: read reports these, normalize() fills the defaults
 * of those the planner leaves out. An ALB always balances across zones (the attribute cannot be turned off
 * there), so cross-zone is managed for network load balancers only.
 */
const ATTRIBUTE_DEFAULTS: Record<LoadBalancerProps['type'], Record<string, string>> = {
  application: { [ATTR_DELETION_PROTECTION]: 'false' },
  network: { [ATTR_DELETION_PROTECTION]: 'false', [ATTR_CROSS_ZONE]: 'false' },
};

export function managedAttributes(type: LoadBalancerProps['type']): string[] {
  return Object.keys(ATTRIBUTE_DEFAULTS[type] ?? ATTRIBUTE_DEFAULTS.application);
}

// ---- find / status / wait ----

export async function findLoadBalancer(elb: ElasticLoadBalancingV2Client, arn: string): Promise<LoadBalancer | undefined> {
  const out = await unlessNotFound(elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] })));
  if (!out) return undefined;
  return out.LoadBalancers?.find((lb) => lb.LoadBalancerArn === arn);
}

async function findAttributes(elb: ElasticLoadBalancingV2Client, arn: string): Promise<Record<string, string> | undefined> {
  const out = await unlessNotFound(elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn })));
  if (!out) return undefined;
  return tagRecord(out.Attributes);
}

async function waitActive(ctx: ResourceContext, elb: ElasticLoadBalancingV2Client, arn: string, name: string): Promise<LoadBalancer> {
  return waitUntil(
    `waiting for load balancer ${name} to become active`,
    async () => {
      const lb = await findLoadBalancer(elb, arn);
      if (!lb) return undefined; // eventual consistency right after create
      const state = lb.State?.Code;
      if (state === 'failed') {
        throw new AwsError('AWS_LB_FAILED', `${ctx.logicalId}: load balancer ${name} failed to provision: ${lb.State?.Reason ?? 'no reason given'}.`, {
          actions: ['Check the subnets (free IP addresses, one per Availability Zone) and security groups, delete the failed load balancer, then run the command again.'],
        });
      }
      return state === 'active' || state === 'active_impaired' ? lb : undefined;
    },
    {
      // Rarely what a run waits on (dependents start without it; targets turn healthy only after it), so
      // it backs off further than SETTLE_POLL.
      ...SETTLE_POLL,
      maxIntervalMs: 10 * SECOND,
      timeoutMs: ACTIVE_TIMEOUT_MS,
      signal: ctx.signal,
      progress: (elapsed) => ctx.log(`waiting for load balancer to become active (${elapsed})`),
      progressEveryMs: 40 * SECOND,
      actions: [`Check load balancer ${name} in the EC2 console (state and reason), then run the command again to resume.`],
    },
  );
}

async function waitDeleted(ctx: ResourceContext, elb: ElasticLoadBalancingV2Client, arn: string): Promise<void> {
  await waitUntil(`waiting for load balancer ${arn} to be deleted`, async () => ((await findLoadBalancer(elb, arn)) ? undefined : true), {
    ...SETTLE_POLL,
    timeoutMs: DELETED_TIMEOUT_MS,
    signal: ctx.signal,
    progress: (elapsed) => ctx.log(`waiting for load balancer to be deleted (${elapsed})`),
    progressEveryMs: MINUTE,
  });
}

// ---- tags (shared with target groups and listeners) ----

/** The most ARNs DescribeLoadBalancers and DescribeTags take per call (ELB API Reference). */
export const ELB_ARNS_MAX = 20;

/** Tags of ELBv2 resources (load balancers, target groups, listeners), 20 ARNs per DescribeTags call. */
export async function elbTagsOf(elb: ElasticLoadBalancingV2Client, arns: readonly string[]): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  for (const batch of chunks(arns, ELB_ARNS_MAX)) {
    let descriptions;
    try {
      descriptions = (await elb.send(new DescribeTagsCommand({ ResourceArns: batch }))).TagDescriptions ?? [];
    } catch (error) {
      if (!isNotFound(error)) throw error;
      // One of the batch was deleted meanwhile: ask one by one and skip the missing ones.
      descriptions = [];
      for (const arn of batch) {
        try {
          descriptions.push(...((await elb.send(new DescribeTagsCommand({ ResourceArns: [arn] }))).TagDescriptions ?? []));
        } catch (inner) {
          if (!isNotFound(inner)) throw inner;
        }
      }
    }
    for (const d of descriptions) if (d.ResourceArn) out.set(d.ResourceArn, tagRecord(d.Tags));
  }
  return out;
}

/** ARNs tagged with this deployment, and their logical ids. */
export async function taggedWithDeployment(elb: ElasticLoadBalancingV2Client, deployment: string, arns: readonly string[]): Promise<Tagged[]> {
  const tags = await elbTagsOf(elb, arns);
  const found: Tagged[] = [];
  for (const arn of arns) {
    const owned = ownedItem(deployment, arn, tags.get(arn));
    if (owned) found.push(owned);
  }
  return found;
}

/** Every load balancer of the deployment (also used by the listener handler). */
export async function deploymentLoadBalancers(elb: ElasticLoadBalancingV2Client, deployment: string): Promise<Tagged[]> {
  const arns: string[] = [];
  for await (const page of paginateDescribeLoadBalancers({ client: elb, pageSize: 400 }, {})) {
    for (const lb of page.LoadBalancers ?? []) if (lb.LoadBalancerArn) arns.push(lb.LoadBalancerArn);
  }
  return taggedWithDeployment(elb, deployment, arns);
}

// ---- handler ----

function toLive(lb: LoadBalancer, attributes: Record<string, string>, tags?: Record<string, string>): Live<LoadBalancerProps> {
  const arn = lb.LoadBalancerArn ?? '';
  const type = (lb.Type ?? 'application') as LoadBalancerProps['type'];
  const managed: Record<string, string> = {};
  for (const key of managedAttributes(type)) if (attributes[key] !== undefined) managed[key] = attributes[key];
  return {
    physicalId: arn,
    props: {
      name: lb.LoadBalancerName ?? '',
      type,
      scheme: (lb.Scheme ?? 'internal'),
      subnetIds: canonicalSet((lb.AvailabilityZones ?? []).map((az) => az.SubnetId ?? '').filter(Boolean)),
      securityGroupIds: canonicalSet(lb.SecurityGroups ?? []),
      attributes: managed,
      ...(tags && { tags: comparableTags(tags) }),
    },
    outputs: { arn, dnsName: lb.DNSName ?? '', name: lb.LoadBalancerName ?? '' },
  };
}

/** Sends only the attributes whose value differs from live (an ALB refuses some it already has, e.g. cross-zone). */
async function applyAttributes(elb: ElasticLoadBalancingV2Client, arn: string, live: Record<string, string>, desired: Record<string, string>): Promise<void> {
  const changed = Object.entries(desired).filter(([k, v]) => live[k] !== v);
  if (changed.length === 0) return;
  await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: arn, Attributes: changed.map(([Key, Value]) => ({ Key, Value })) }));
}

async function create(ctx: ResourceContext, props: LoadBalancerProps): Promise<Live<LoadBalancerProps>> {
  return guard(ctx, `creating load balancer ${props.name}`, async () => {
    const elb = await ctx.aws.elbv2();
    // CreateLoadBalancer is idempotent: the same name and settings return the existing load balancer.
    const out = await elb.send(
      new CreateLoadBalancerCommand({
        Name: props.name,
        Type: props.type,
        Scheme: props.scheme,
        Subnets: [...props.subnetIds],
        ...(props.type === 'application' ? { SecurityGroups: [...props.securityGroupIds] } : {}),
        IpAddressType: 'ipv4',
        Tags: elbTags(ctx.tags),
      }),
    );
    const arn = out.LoadBalancers?.[0]?.LoadBalancerArn;
    if (!arn) throw new Error('CreateLoadBalancer returned no ARN');
    // A fresh load balancer may not be visible to the attribute calls for a moment.
    const attributes = await retryWhile(
      isNotFound,
      async () => {
        const current = await findAttributes(elb, arn);
        if (!current) throw Object.assign(new Error(`load balancer ${arn} not visible yet`), { name: 'LoadBalancerNotFound' });
        await applyAttributes(elb, arn, current, props.attributes);
        return current;
      },
      { windowMs: CREATE_CONSISTENCY_MS, intervalMs: 2 * SECOND, signal: ctx.signal },
    );
    // Dependents need only the ARN and DNS name, which exist from now on: AWS documents no load balancer
    // state requirement for CreateListener (docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html)
    // nor for CreateTrafficMirrorTarget with a NetworkLoadBalancerArn
    // (docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTrafficMirrorTarget.html), and neither lists an
    // error for a load balancer still `provisioning` (LoadBalancerState: provisioning is the initial state). So
    // they start now, while the step itself ends once the load balancer is active (or failed).
    return {
      ...toLive(out.LoadBalancers![0]!, { ...attributes, ...props.attributes }, ctx.tags),
      ready: () => guard(ctx, `waiting for load balancer ${props.name} to become active`, async () => void (await waitActive(ctx, elb, arn, props.name))),
    };
  });
}

async function read(ctx: ResourceContext, physicalId: string): Promise<Live<LoadBalancerProps> | undefined> {
  return guard(ctx, `reading load balancer ${physicalId}`, async () => {
    const elb = await ctx.aws.elbv2();
    const lb = await findLoadBalancer(elb, physicalId);
    if (!lb) return undefined;
    const attributes = await findAttributes(elb, physicalId);
    return attributes ? toLive(lb, attributes, (await elbTagsOf(elb, [physicalId])).get(physicalId) ?? {}) : undefined;
  });
}
/** The kinds whose ARNs one DescribeTags call takes together (ELB API Reference, DescribeTags). */
const ELB_TAGGED_KINDS = ['load-balancer', 'target-group', 'listener'] as const;

/**
 * A readMany()'s describe and tags. Within a full read of state (`batch`), one DescribeTags per 20 ARNs answers for
 * the load balancers, target groups and listeners of state together, started by whichever kind reads first, beside
 * its describe (a resource deleted outside the tool makes AWS fail that call: elbTagsOf then asks one by one).
 * Without one, the tags of the resources the describe found.
 */
export async function describeWithTags<T>(
  elb: ElasticLoadBalancingV2Client,
  batch: ReadBatch | undefined,
  describe: () => Promise<Map<string, T | undefined>>,
): Promise<[Map<string, T | undefined>, Map<string, Record<string, string>>]> {
  if (batch) {
    const all = [...new Set(ELB_TAGGED_KINDS.flatMap((kind) => batch.idsOf(kind)))];
    return Promise.all([describe(), batch.shared('elbv2:DescribeTags', () => elbTagsOf(elb, all))]);
  }
  const found = await describe();
  return [found, await elbTagsOf(elb, [...found].filter(([, item]) => item).map(([arn]) => arn))];
}

/** DescribeLoadBalancers takes up to 20 ARNs, with the tags (describeWithTags); attributes have no batch form. */
async function readMany(ctx: ResourceContext, physicalIds: readonly string[], batch?: ReadBatch): Promise<Map<string, Live<LoadBalancerProps> | undefined>> {
  return guard(ctx, `reading load balancers ${physicalIds.join(', ')}`, async () => {
    const elb = await ctx.aws.elbv2();
    const [found, tags] = await describeWithTags(elb, batch, () =>
      describeByIds(physicalIds, ELB_ARNS_MAX, async (ids) => {
        const out = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: ids }));
        return new Map((out.LoadBalancers ?? []).map((lb) => [lb.LoadBalancerArn ?? '', lb]));
      }),
    );
    const existing = [...found].filter(([, lb]) => lb).map(([arn]) => arn);
    const attributes = await Promise.all(existing.map(async (arn) => [arn, await findAttributes(elb, arn)] as const));
    const attributesOf = new Map(attributes);
    return new Map(
      physicalIds.map((arn) => {
        const lb = found.get(arn);
        const attrs = attributesOf.get(arn);
        return [arn, lb && attrs ? toLive(lb, attrs, tags.get(arn) ?? {}) : undefined] as const;
      }),
    );
  });
}

async function update(ctx: ResourceContext, live: Live<LoadBalancerProps>, desired: LoadBalancerProps): Promise<Live<LoadBalancerProps>> {
  const arn = live.physicalId;
  return guard(ctx, `updating load balancer ${desired.name}`, async () => {
    const elb = await ctx.aws.elbv2();
    if (desired.type === 'application' && !sameIds(live.props.securityGroupIds, desired.securityGroupIds)) {
      await elb.send(new SetSecurityGroupsCommand({ LoadBalancerArn: arn, SecurityGroups: [...desired.securityGroupIds] }));
    }
    if (!sameIds(live.props.subnetIds, desired.subnetIds)) {
      // A network load balancer only accepts added subnets; AWS says so clearly if one is removed.
      await elb.send(new SetSubnetsCommand({ LoadBalancerArn: arn, Subnets: [...desired.subnetIds] }));
    }
    await applyAttributes(elb, arn, live.props.attributes, desired.attributes);
    if (desired.tags) await syncElbTags(elb, arn, live.props.tags, desired.tags);
    const after = await read(ctx, arn);
    if (!after) throw new AwsError('AWS_NOT_FOUND', `${ctx.logicalId}: load balancer ${desired.name} disappeared during the update.`, { actions: ['Run the command again: it will be created.'] });
    return after;
  });
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return JSON.stringify(canonicalSet(a)) === JSON.stringify(canonicalSet(b));
}

async function destroy(ctx: ResourceContext, physicalId: string): Promise<void> {
  await guard(ctx, `deleting load balancer ${physicalId}`, async () => {
    const elb = await ctx.aws.elbv2();
    try {
      await elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: physicalId }));
    } catch (error) {
      if (isNotFoundOf('load-balancer', error)) return;
      if (hasCode(error, 'OperationNotPermitted', 'OperationNotPermittedException')) {
        throw new AwsError('AWS_DELETION_PROTECTED', `${ctx.logicalId}: load balancer ${physicalId} has deletion protection enabled.`, {
          cause: error,
          actions: ['Set loadBalancer.deletionProtection to false and apply, or confirm disabling it when destroy asks, then run destroy again.'],
        });
      }
      throw error;
    }
    await waitDeleted(ctx, elb, physicalId);
  });
}

/** Turns deletion protection off (the destroy command decides when); a load balancer already gone is fine. */
export async function disableDeletionProtection(ctx: ResourceContext, arn: string): Promise<void> {
  await guard(ctx, `disabling deletion protection of load balancer ${arn}`, async () => {
    const elb = await ctx.aws.elbv2();
    try {
      await elb.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: arn, Attributes: [{ Key: ATTR_DELETION_PROTECTION, Value: 'false' }] }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  });
}

/**
 * Before destroy deletes anything: a load balancer with deletion protection on is deleted only with --force or
 * the person's explicit yes (then protection is turned off); otherwise destroy stops before deleting anything.
 */
async function beforeDelete(ctx: ResourceContext, arn: string, guardian: DeleteGuard): Promise<void> {
  const live = await read(ctx, arn);
  if (live?.props.attributes[ATTR_DELETION_PROTECTION] !== 'true') return;
  const allowed = guardian.force || (await guardian.confirm(`Load balancer ${arn} has deletion protection on. Turn it off and delete it?`));
  if (!allowed) {
    throw new AbortedError('DELETION_PROTECTED', `Load balancer ${arn} (${ctx.logicalId}) has deletion protection enabled; nothing was deleted.`, {
      actions: ['Run destroy again with --force to turn deletion protection off, or answer yes when asked.'],
    });
  }
  await disableDeletionProtection(ctx, arn);
  guardian.info(`Turned off deletion protection of ${arn}.`);
}

async function list(ctx: ResourceContext): Promise<Tagged[]> {
  return guard(ctx, 'listing load balancers', async () => deploymentLoadBalancers(await ctx.aws.elbv2(), ctx.deployment));
}

export function normalize(props: LoadBalancerProps): LoadBalancerProps {
  const defaults = ATTRIBUTE_DEFAULTS[props.type] ?? ATTRIBUTE_DEFAULTS.application;
  const attributes: Record<string, string> = {};
  for (const key of Object.keys(defaults)) attributes[key] = props.attributes?.[key] ?? defaults[key]!;
  return { ...props, subnetIds: canonicalSet(props.subnetIds), securityGroupIds: canonicalSet(props.securityGroupIds), attributes };
}

/** IAM permissions of the calls above (ELBv2 Describe* support no resource-level permissions). */
export const iam: IamGrants = [
  forList(anyResource('elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeTags')),
  created('elasticloadbalancing:loadbalancer', 'elasticloadbalancing:CreateLoadBalancer'),
  elbTagOnCreate('CreateLoadBalancer'),
  serviceLinkedRole('elasticloadbalancing.amazonaws.com', ['elasticloadbalancing:CreateLoadBalancer']),
  owned(
    'elasticloadbalancing:loadbalancer',
    'elasticloadbalancing:ModifyLoadBalancerAttributes',
    'elasticloadbalancing:SetSubnets',
    'elasticloadbalancing:DeleteLoadBalancer',
    'elasticloadbalancing:AddTags',
    'elasticloadbalancing:RemoveTags',
  ),
  // A load balancer created without security groups can never get one (an NLB here): only the others need it.
  forPlanned<LoadBalancerProps>(owned('elasticloadbalancing:loadbalancer', 'elasticloadbalancing:SetSecurityGroups'), (p) => !Array.isArray(p.securityGroupIds) || p.securityGroupIds.length > 0),
];

export const handler: ResourceHandler<LoadBalancerProps> = {
  kind: 'load-balancer',
  iam,
  replaceOn: ['name', 'type', 'scheme'],
  normalize,
  create,
  read,
  readMany,
  update,
  beforeDelete,
  delete: destroy,
  list,
};
