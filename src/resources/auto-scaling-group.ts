import {
  AttachLoadBalancerTargetGroupsCommand,
  CancelInstanceRefreshCommand,
  CreateAutoScalingGroupCommand,
  DeleteAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribePoliciesCommand,
  DescribeScalingActivitiesCommand,
  DetachLoadBalancerTargetGroupsCommand,
  DisableMetricsCollectionCommand,
  EnableMetricsCollectionCommand,
  paginateDescribeAutoScalingGroups,
  StartInstanceRefreshCommand,
  UpdateAutoScalingGroupCommand,
  type AutoScalingClient,
  type AutoScalingGroup,
  type InstanceRefresh,
  type UpdateAutoScalingGroupCommandInput,
} from '@aws-sdk/client-auto-scaling';
import { DescribeTargetHealthCommand, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

import { awsMessage, hasCode, isDependencyViolation, isGroupNotFoundError } from '../aws/errors.js';
import { isNotFound } from './not-found.js';
import { AwsError } from '../errors.js';
import type { AutoScalingGroupProps, Live, ResourceContext, ResourceHandler, Tagged } from './types.js';
import { TAG_DEPLOYMENT } from './types.js';
import { syncAsgTags } from './tagging.js';
import { clock } from '../util/clock.js';
import { iam as launchFailureIam, newestActivityId, throwOnLaunchFailure } from './launch-failures.js';
import { asgTags, canonicalSet, comparableTags, chunks, describeByIds, guard, MINUTE, optionalRead, ownedItem, retryWhile, sameSet, SECOND, SETTLE_POLL, tagRecord, waitUntil } from './util.js';
import { verifyNameTakeover } from './ownership.js';
import { anyResource, forList, forPlanned, created, owned, serviceLinkedRole, type IamGrants } from '../iam/grants.js';

const POLL_INTERVAL_MS = 15 * SECOND;
/** Instances boot, run cloud-init and pass the target group health check: grace period + this. */
const CAPACITY_MARGIN_MS = 15 * MINUTE;
/** Per instance replaced by a refresh: warm-up (grace period) + this, on top of a fixed base. */
const REFRESH_PER_INSTANCE_MS = 10 * MINUTE;
const REFRESH_BASE_MS = 15 * MINUTE;
/** Terminating the instances of a deleted group. */
const DELETE_TIMEOUT_MS = 20 * MINUTE;
/** Right after CreateAutoScalingGroup, Describe may not show the group yet. */
const CREATE_CONSISTENCY_MS = 1 * MINUTE;
/** AWS's own default when no refresh has run yet (the group does not store refresh preferences). */
const DEFAULT_MIN_HEALTHY_PERCENTAGE = 90;
const DEFAULT_MAX_HEALTHY_PERCENTAGE = 100;

const REFRESH_DONE = new Set(['Successful']);
const REFRESH_FAILED = new Set(['Failed', 'Cancelled', 'RollbackSuccessful', 'RollbackFailed']);
const REFRESH_ACTIVE = new Set(['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking']);

// ---- find / status ----

/** AWS answers ValidationError “... not found” for a group that does not exist. */
function isGroupNotFound(error: unknown): boolean {
  return isGroupNotFoundError(error);
}

/**
 * A launch template, instance profile or target group created moments ago may not be visible to Auto
 * Scaling yet: it answers ValidationError (“... does not exist”, “Invalid IAM Instance Profile”).
 */
function isPropagationError(error: unknown): boolean {
  return hasCode(error, 'ValidationError') && /does not exist|not found|Invalid IAM Instance Profile/i.test(awsMessage(error));
}

export async function findGroup(asg: AutoScalingClient, name: string): Promise<AutoScalingGroup | undefined> {
  try {
    const out = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
    return out.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === name);
  } catch (error) {
    if (isGroupNotFound(error)) return undefined;
    throw error;
  }
}

async function latestRefresh(ctx: ResourceContext, asg: AutoScalingClient, name: string): Promise<InstanceRefresh | undefined> {
  try {
    return await optionalRead(
      ctx,
      'DescribeInstanceRefreshes',
      `the plan cannot show instance refreshes of ${name} (in progress or failed)`,
      async () => (await asg.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: name, MaxRecords: 1 }))).InstanceRefreshes?.[0],
      undefined,
    );
  } catch (error) {
    if (isGroupNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * The older launch template version instances in service still run while no refresh is active, with why
 * (the latest refresh's status and reason, or none was started). Undefined when the rollout is complete or
 * in progress.
 */
function unrolledVersion(group: AutoScalingGroup, refresh: InstanceRefresh | undefined): { version: string; count: number; why: string } | undefined {
  const target = group.LaunchTemplate?.Version;
  if (!target || !/^\d+$/.test(target)) return undefined;
  if (refresh?.Status && REFRESH_ACTIVE.has(refresh.Status)) return undefined;
  const old = (group.Instances ?? []).filter((i) => !/^Terminat/.test(i.LifecycleState ?? '') && i.LaunchTemplate?.Version && i.LaunchTemplate.Version !== target);
  if (old.length === 0) return undefined;
  const why =
    refresh?.Status && REFRESH_FAILED.has(refresh.Status)
      ? `the last instance refresh ended ${refresh.Status}${refresh.StatusReason ? `: ${refresh.StatusReason}` : ''}`
      : 'no instance refresh replaced them';
  return { version: old[0]!.LaunchTemplate!.Version!, count: old.length, why };
}

function toLive(group: AutoScalingGroup, refresh: InstanceRefresh | undefined): Live<AutoScalingGroupProps> {
  const name = group.AutoScalingGroupName ?? '';
  const lt = group.LaunchTemplate ?? group.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
  return {
    physicalId: name,
    props: {
      name,
      launchTemplateId: lt?.LaunchTemplateId ?? '',
      launchTemplateVersion: lt?.Version ?? '',
      minSize: group.MinSize ?? 0,
      maxSize: group.MaxSize ?? 0,
      desiredCapacity: group.DesiredCapacity ?? 0,
      subnetIds: canonicalSet((group.VPCZoneIdentifier ?? '').split(',').map((s) => s.trim()).filter(Boolean)),
      targetGroupArns: canonicalSet(group.TargetGroupARNs ?? []),
      healthCheckType: (group.HealthCheckType ?? 'EC2') as AutoScalingGroupProps['healthCheckType'],
      healthCheckGracePeriod: group.HealthCheckGracePeriod ?? 0,
      metricsCollection: (group.EnabledMetrics ?? []).length > 0,
      instanceRefresh: {
        minHealthyPercentage: refresh?.Preferences?.MinHealthyPercentage ?? DEFAULT_MIN_HEALTHY_PERCENTAGE,
        maxHealthyPercentage: refresh?.Preferences?.MaxHealthyPercentage ?? DEFAULT_MAX_HEALTHY_PERCENTAGE,
      },
      tags: comparableTags(tagRecord(group.Tags)),
    },
    outputs: { name, arn: group.AutoScalingGroupARN ?? '' },
  };
}

// ---- waits ----

/** Why instances do not come up, from the latest failed scaling activity (shown on timeout). */
async function lastFailure(asg: AutoScalingClient, name: string): Promise<string | undefined> {
  try {
    const out = await asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name, MaxRecords: 10 }));
    const failed = out.Activities?.find((a) => a.StatusCode === 'Failed' || a.StatusCode === 'Cancelled');
    return failed ? `${failed.Description ?? 'scaling activity'}: ${failed.StatusMessage ?? failed.StatusCode}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Instance ids healthy in the group and in every one of its target groups. A target group whose listener
 * is still being created (its load balancer provisions in parallel) reports its targets `unused`: that
 * counts as not healthy yet, so the wait overlaps the load balancer's provisioning instead of following it.
 */
async function healthyInstances(elb: ElasticLoadBalancingV2Client, group: AutoScalingGroup): Promise<string[]> {
  let ready = (group.Instances ?? []).filter((i) => i.LifecycleState === 'InService' && i.HealthStatus === 'Healthy').map((i) => i.InstanceId ?? '');
  for (const tg of group.TargetGroupARNs ?? []) {
    if (ready.length === 0) break;
    const healthy = new Set<string>();
    for (const batch of chunks(ready, 100)) {
      const out = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg, Targets: batch.map((Id) => ({ Id })) }));
      for (const d of out.TargetHealthDescriptions ?? []) if (d.TargetHealth?.State === 'healthy' && d.Target?.Id) healthy.add(d.Target.Id);
    }
    ready = ready.filter((id) => healthy.has(id));
  }
  return ready;
}

/** `after`: the group's newest scaling activity before this run changed it (failed launches before it are old news). */
async function waitCapacity(ctx: ResourceContext, asg: AutoScalingClient, name: string, gracePeriodSeconds: number, after?: string): Promise<void> {
  const elb = await ctx.aws.elbv2();
  let status = '';
  const started = clock.now();
  try {
    await waitUntil(
      `waiting for the instances of Auto Scaling group ${name} to be in service and healthy`,
      async () => {
        // A launch AWS already reported as failed ends the wait now, with its reason.
        await throwOnLaunchFailure(asg, name, ctx.logicalId, after, clock.now() - started);
        const group = await findGroup(asg, name);
        if (!group) throw new AwsError('AWS_NOT_FOUND', `${ctx.logicalId}: Auto Scaling group ${name} disappeared while waiting for its instances.`, { actions: ['Run the command again: it will be created.'] });
        const want = group.DesiredCapacity ?? 0;
        // A target group created moments ago may not be visible to reads yet (eventual consistency).
        const ready = await healthyInstances(elb, group).catch((error: unknown) => {
          if (isNotFound(error)) return [];
          throw error;
        });
        status = `${ready.length}/${want} healthy`;
        return ready.length >= want ? true : undefined;
      },
      {
        ...SETTLE_POLL,
        timeoutMs: gracePeriodSeconds * SECOND + CAPACITY_MARGIN_MS,
        signal: ctx.signal,
        progressEveryMs: MINUTE,
        progress: (elapsed) => ctx.log(`waiting for healthy instances in ${name}: ${status} (${elapsed})`),
      },
    );
  } catch (error) {
    if (!(error instanceof AwsError) || error.code !== 'AWS_TIMEOUT') throw error;
    const why = await lastFailure(asg, name);
    throw new AwsError('AWS_TIMEOUT', `${ctx.logicalId}: ${error.message} (${status})${why ? `. Latest failed activity: ${why}` : ''}`, {
      cause: error,
      actions: [
        `See why: aws autoscaling describe-scaling-activities --auto-scaling-group-name ${name}`,
        'Check the target group health reason (aws elbv2 describe-target-health) and the instance console output (cloud-init), then run the command again.',
      ],
    });
  }
}

async function waitRefresh(ctx: ResourceContext, asg: AutoScalingClient, name: string, refreshId: string, timeoutMs: number, until: 'done' | 'stopped', after?: string): Promise<InstanceRefresh> {
  let status = '';
  const started = clock.now();
  return waitUntil(
    until === 'done' ? `waiting for the instance refresh of ${name} to finish` : `waiting for the instance refresh of ${name} to stop`,
    async () => {
      if (until === 'done') await throwOnLaunchFailure(asg, name, ctx.logicalId, after, clock.now() - started);
      const out = await asg.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: name, InstanceRefreshIds: [refreshId] }));
      const refresh = out.InstanceRefreshes?.[0];
      if (!refresh) throw new AwsError('AWS_NOT_FOUND', `${ctx.logicalId}: instance refresh ${refreshId} of ${name} not found.`, { actions: ['Run the command again.'] });
      const s = refresh.Status ?? '';
      status = `${s}, ${refresh.PercentageComplete ?? 0}% done`;
      if (until === 'stopped') return REFRESH_ACTIVE.has(s) ? undefined : refresh;
      if (REFRESH_DONE.has(s)) return refresh;
      if (REFRESH_FAILED.has(s)) {
        throw new AwsError('AWS_REFRESH_FAILED', `${ctx.logicalId}: the instance refresh of ${name} ended ${s}: ${refresh.StatusReason ?? 'no reason given'}.`, {
          actions: [`See aws autoscaling describe-instance-refreshes --auto-scaling-group-name ${name}, fix the cause (often the new instances fail their health check), then run the command again.`],
        });
      }
      return undefined;
    },
    {
      intervalMs: 5 * SECOND,
      maxIntervalMs: POLL_INTERVAL_MS,
      timeoutMs,
      signal: ctx.signal,
      progressEveryMs: MINUTE,
      progress: (elapsed) => ctx.log(`instance refresh of ${name}: ${status} (${elapsed})`),
    },
  );
}

/**
 * Starts a rolling instance refresh toward the group's current launch template version.
 *
 * A refresh already running is cancelled, then ours starts (Terraform does the same). Waiting for it
 * instead would finish a roll toward a configuration that is no longer wanted and then roll again; with
 * SkipMatching the new refresh leaves alone every instance the cancelled one already moved to the desired
 * version, so cancelling wastes nothing. It also makes a resumed apply idempotent: the refresh started by
 * an interrupted run is replaced by an equivalent one.
 */
async function startRefresh(ctx: ResourceContext, asg: AutoScalingClient, props: AutoScalingGroupProps): Promise<string> {
  const input = {
    AutoScalingGroupName: props.name,
    Strategy: 'Rolling' as const,
    Preferences: {
      MinHealthyPercentage: props.instanceRefresh.minHealthyPercentage,
      MaxHealthyPercentage: props.instanceRefresh.maxHealthyPercentage,
      InstanceWarmup: props.healthCheckGracePeriod,
      SkipMatching: true,
    },
  };
  for (let attempt = 0; ; attempt += 1) {
    try {
      const id = (await asg.send(new StartInstanceRefreshCommand(input))).InstanceRefreshId;
      if (!id) throw new Error('StartInstanceRefresh returned no id');
      ctx.log(`instance refresh of ${props.name} started (healthy ${props.instanceRefresh.minHealthyPercentage}-${props.instanceRefresh.maxHealthyPercentage}%)`);
      return id;
    } catch (error) {
      if (!hasCode(error, 'InstanceRefreshInProgress', 'InstanceRefreshInProgressFault') || attempt >= 3) throw error;
      ctx.log(`cancelling the instance refresh already running on ${props.name}`);
      await cancelRefresh(ctx, asg, props.name);
    }
  }
}

async function cancelRefresh(ctx: ResourceContext, asg: AutoScalingClient, name: string): Promise<void> {
  let id: string | undefined;
  try {
    id = (await asg.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: name }))).InstanceRefreshId;
  } catch (error) {
    if (hasCode(error, 'ActiveInstanceRefreshNotFound', 'ActiveInstanceRefreshNotFoundFault')) return;
    throw error;
  }
  if (id) await waitRefresh(ctx, asg, name, id, 30 * MINUTE, 'stopped');
}

function refreshTimeout(props: AutoScalingGroupProps): number {
  return REFRESH_BASE_MS + Math.max(1, props.desiredCapacity) * (props.healthCheckGracePeriod * SECOND + REFRESH_PER_INSTANCE_MS);
}

// ---- handler ----

async function create(ctx: ResourceContext, props: AutoScalingGroupProps): Promise<Live<AutoScalingGroupProps>> {
  return guard(ctx, `creating Auto Scaling group ${props.name}`, async () => {
    const asg = await ctx.aws.autoscaling();
    try {
      const input = {
        AutoScalingGroupName: props.name,
        LaunchTemplate: { LaunchTemplateId: props.launchTemplateId, Version: props.launchTemplateVersion },
        MinSize: props.minSize,
        MaxSize: props.maxSize,
        DesiredCapacity: props.desiredCapacity,
        VPCZoneIdentifier: props.subnetIds.join(','),
        TargetGroupARNs: [...props.targetGroupArns],
        HealthCheckType: props.healthCheckType,
        HealthCheckGracePeriod: props.healthCheckGracePeriod,
        Tags: asgTags(props.name, { ...ctx.tags, Name: ctx.tags.Name ?? props.name }),
      };
      await retryWhile(isPropagationError, () => asg.send(new CreateAutoScalingGroupCommand(input)), {
        windowMs: CREATE_CONSISTENCY_MS,
        intervalMs: 5 * SECOND,
        signal: ctx.signal,
      });
    } catch (error) {
      if (!hasCode(error, 'AlreadyExists', 'AlreadyExistsFault')) throw error;
      // Created by an interrupted run? Adopt it only when it carries this node's tags.
      const existing = await findGroup(asg, props.name);
      verifyNameTakeover(ctx, 'an Auto Scaling group', props.name, existing && tagRecord(existing.Tags), error);
      if (!existing) throw error;
      return update(ctx, toLive(existing, undefined), props);
    }
    let group = await waitUntil(`waiting for Auto Scaling group ${props.name} to be visible`, () => findGroup(asg, props.name), {
      intervalMs: 2 * SECOND,
      timeoutMs: CREATE_CONSISTENCY_MS,
      signal: ctx.signal,
    });
    if (props.metricsCollection) {
      await asg.send(new EnableMetricsCollectionCommand({ AutoScalingGroupName: props.name, Granularity: '1Minute' }));
      group = { ...group, EnabledMetrics: [{ Granularity: '1Minute' }] };
    }
    const live = toLive(group, undefined);
    return {
      ...live,
      props: { ...live.props, instanceRefresh: { ...props.instanceRefresh } },
      // Dependents (the scaling policy) need only the group's name: they start while the instances come up.
      ...(ctx.waitForCapacity && {
        ready: () => guard(ctx, `waiting for the instances of Auto Scaling group ${props.name}`, () => waitCapacity(ctx, asg, props.name, props.healthCheckGracePeriod)),
      }),
    };
  });
}

async function read(ctx: ResourceContext, physicalId: string): Promise<Live<AutoScalingGroupProps> | undefined> {
  return guard(ctx, `reading Auto Scaling group ${physicalId}`, async () => {
    const asg = await ctx.aws.autoscaling();
    const group = await findGroup(asg, physicalId);
    return group ? liveOf(ctx, asg, group) : undefined;
  });
}

/** A described group as live props, with its latest instance refresh. */
async function liveOf(ctx: ResourceContext, asg: AutoScalingClient, group: AutoScalingGroup): Promise<Live<AutoScalingGroupProps>> {
  const name = group.AutoScalingGroupName ?? '';
  const refresh = await latestRefresh(ctx, asg, name);
  const live = toLive(group, refresh);
  const lagging = unrolledVersion(group, refresh);
  if (lagging) {
    // The group points at the new version but instances still run an older one (a refresh that failed,
    // was cancelled, or never started because the run stopped after UpdateAutoScalingGroup): reported as
    // the version they run, so the plan shows the change and apply starts the refresh again.
    live.props.launchTemplateVersion = lagging.version;
    ctx.warn?.(`${ctx.logicalId}: ${lagging.count} instance(s) of ${name} still run launch template version ${lagging.version}, not ${live.props.launchTemplateId}:${group.LaunchTemplate?.Version ?? '?'} (${lagging.why}); apply starts an instance refresh.`);
  }
  return live;
}

/**
 * DescribeAutoScalingGroups takes up to 50 names per call and leaves out names that do not exist (no error);
 * the latest instance refresh (its preferences are compared) has no batch form: one call per group.
 */
async function readMany(ctx: ResourceContext, physicalIds: readonly string[]): Promise<Map<string, Live<AutoScalingGroupProps> | undefined>> {
  return guard(ctx, `reading Auto Scaling groups ${physicalIds.join(', ')}`, async () => {
    const asg = await ctx.aws.autoscaling();
    const groups = await describeByIds(
      physicalIds,
      GROUP_NAMES_MAX,
      async (batch) => {
        const found = new Map<string, AutoScalingGroup>();
        let token: string | undefined;
        do {
          const out = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: batch, NextToken: token }));
          for (const g of out.AutoScalingGroups ?? []) if (g.AutoScalingGroupName) found.set(g.AutoScalingGroupName, g);
          token = out.NextToken;
        } while (token);
        return found;
      },
      isGroupNotFound,
    );
    const lives = await Promise.all([...groups].map(async ([name, group]) => [name, group ? await liveOf(ctx, asg, group) : undefined] as const));
    return new Map(lives);
  });
}

/** Names per DescribeAutoScalingGroups call (its documented default limit). */
const GROUP_NAMES_MAX = 50;

/** Whether a scaling policy drives the group's desired capacity (then the configured value is only the initial one). */
async function hasScalingPolicy(asg: AutoScalingClient, name: string): Promise<boolean> {
  const out = await asg.send(new DescribePoliciesCommand({ AutoScalingGroupName: name, MaxRecords: 1 }));
  return (out.ScalingPolicies ?? []).length > 0;
}

async function update(ctx: ResourceContext, live: Live<AutoScalingGroupProps>, desired: AutoScalingGroupProps): Promise<Live<AutoScalingGroupProps>> {
  const name = live.physicalId;
  return guard(ctx, `updating Auto Scaling group ${name}`, async () => {
    const asg = await ctx.aws.autoscaling();
    const baseline = ctx.waitForCapacity ? await newestActivityId(asg, name) : undefined;
    const was = live.props;
    const templateChanged = was.launchTemplateId !== desired.launchTemplateId || was.launchTemplateVersion !== desired.launchTemplateVersion;

    const input: UpdateAutoScalingGroupCommandInput = { AutoScalingGroupName: name };
    if (templateChanged) input.LaunchTemplate = { LaunchTemplateId: desired.launchTemplateId, Version: desired.launchTemplateVersion };
    if (was.minSize !== desired.minSize) input.MinSize = desired.minSize;
    if (was.maxSize !== desired.maxSize) input.MaxSize = desired.maxSize;
    // Under a scaling policy the live desired capacity is the policy's; only keep it within the new bounds.
    const target = (await hasScalingPolicy(asg, name)) ? was.desiredCapacity : desired.desiredCapacity;
    const capacity = Math.min(Math.max(target, desired.minSize), desired.maxSize);
    if (capacity !== was.desiredCapacity) input.DesiredCapacity = capacity;
    if (!sameSet(was.subnetIds, desired.subnetIds)) input.VPCZoneIdentifier = desired.subnetIds.join(',');
    if (was.healthCheckType !== desired.healthCheckType) input.HealthCheckType = desired.healthCheckType;
    if (was.healthCheckGracePeriod !== desired.healthCheckGracePeriod) input.HealthCheckGracePeriod = desired.healthCheckGracePeriod;
    if (Object.keys(input).length > 1) await asg.send(new UpdateAutoScalingGroupCommand(input));
    // Before any instance refresh, so the new instances get the new tags.
    // Name is part of the tag set the group keeps (see normalize), whether or not the caller normalised.
    if (desired.tags) await syncAsgTags(asg, name, was.tags, normalize(desired).tags!);

    const attach = desired.targetGroupArns.filter((arn) => !was.targetGroupArns.includes(arn));
    const detach = was.targetGroupArns.filter((arn) => !desired.targetGroupArns.includes(arn));
    for (const batch of chunks(attach, 10)) await asg.send(new AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: name, TargetGroupARNs: batch }));
    for (const batch of chunks(detach, 10)) await asg.send(new DetachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: name, TargetGroupARNs: batch }));

    if (desired.metricsCollection && !was.metricsCollection) await asg.send(new EnableMetricsCollectionCommand({ AutoScalingGroupName: name, Granularity: '1Minute' }));
    if (!desired.metricsCollection && was.metricsCollection) await asg.send(new DisableMetricsCollectionCommand({ AutoScalingGroupName: name }));

    if (templateChanged) {
      const refreshId = await startRefresh(ctx, asg, { ...desired, name, desiredCapacity: capacity });
      if (ctx.waitForCapacity) await waitRefresh(ctx, asg, name, refreshId, refreshTimeout({ ...desired, desiredCapacity: capacity }), 'done', baseline);
    }
    if (ctx.waitForCapacity) await waitCapacity(ctx, asg, name, desired.healthCheckGracePeriod, baseline);

    const group = await findGroup(asg, name);
    if (!group) throw new AwsError('AWS_NOT_FOUND', `${ctx.logicalId}: Auto Scaling group ${name} disappeared during the update.`, { actions: ['Run the command again: it will be created.'] });
    const after = toLive(group, undefined);
    return { ...after, props: { ...after.props, instanceRefresh: { ...desired.instanceRefresh } } };
  });
}

async function destroy(ctx: ResourceContext, physicalId: string): Promise<void> {
  await guard(ctx, `deleting Auto Scaling group ${physicalId}`, async () => {
    const asg = await ctx.aws.autoscaling();
    try {
      // ForceDelete terminates the instances with the group; a scaling activity in progress is waited out.
      await retryWhile(
        (error) => isDependencyViolation(error) || hasCode(error, 'ScalingActivityInProgress', 'ScalingActivityInProgressFault'),
        () => asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: physicalId, ForceDelete: true })),
        { windowMs: 5 * MINUTE, intervalMs: 10 * SECOND, signal: ctx.signal },
      );
    } catch (error) {
      if (isGroupNotFound(error)) return;
      throw error;
    }
    await waitUntil(`waiting for Auto Scaling group ${physicalId} and its instances to be deleted`, async () => ((await findGroup(asg, physicalId)) ? undefined : true), {
      ...SETTLE_POLL,
      timeoutMs: DELETE_TIMEOUT_MS,
      signal: ctx.signal,
      progressEveryMs: MINUTE,
      progress: (elapsed) => ctx.log(`waiting for the Auto Scaling group and its instances to be deleted (${elapsed})`),
      actions: [`Check aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names ${physicalId} (instances stuck terminating, lifecycle hooks), then run the command again.`],
    });
  });
}

async function list(ctx: ResourceContext): Promise<Tagged[]> {
  return guard(ctx, 'listing Auto Scaling groups', async () => {
    const asg = await ctx.aws.autoscaling();
    const found: Tagged[] = [];
    for await (const page of paginateDescribeAutoScalingGroups({ client: asg, pageSize: 100 }, { Filters: [{ Name: `tag:${TAG_DEPLOYMENT}`, Values: [ctx.deployment] }] })) {
      for (const g of page.AutoScalingGroups ?? []) {
        const owned = g.AutoScalingGroupName ? ownedItem(ctx.deployment, g.AutoScalingGroupName, g.Tags) : undefined;
        if (owned) found.push(owned);
      }
    }
    return found;
  });
}

/**
 * The group carries a `Name` tag (the group name unless the user's tags set one, as at create): it is part
 * of the desired tags, so it is compared and kept like the others.
 */
export function normalize(props: AutoScalingGroupProps): AutoScalingGroupProps {
  const tags = props.tags && { ...props.tags, Name: props.tags.Name ?? props.name };
  return { ...props, subnetIds: canonicalSet(props.subnetIds), targetGroupArns: canonicalSet(props.targetGroupArns), ...(tags && { tags }) };
}

/** Calls with which Auto Scaling checks the caller's right to launch what the launch template describes. */
const LAUNCHES = ['autoscaling:CreateAutoScalingGroup', 'autoscaling:UpdateAutoScalingGroup'];

/**
 * IAM permissions of the calls above. Creating or updating a group with a launch template makes Auto Scaling
 * check that the caller may launch what the template describes: `ec2:RunInstances` (no scoping AWS documents
 * for that check), `iam:PassRole` on the instance profile's role, `ec2:CreateTags` for the template's tag
 * specifications, and `iam:CreateServiceLinkedRole` in an account without the Auto Scaling role yet
 * (Amazon EC2 Auto Scaling user guide, "Amazon EC2 Auto Scaling API permissions").
 */
export const iam: IamGrants = [
  forList(anyResource('autoscaling:DescribeAutoScalingGroups')),
  anyResource(
    'autoscaling:DescribeInstanceRefreshes',
    'autoscaling:DescribePolicies',
    'elasticloadbalancing:DescribeTargetHealth',
  ),
  ...launchFailureIam,
  created('autoscaling:group', 'autoscaling:CreateAutoScalingGroup'),
  owned(
    'autoscaling:group',
    'autoscaling:UpdateAutoScalingGroup',
    'autoscaling:DeleteAutoScalingGroup',
    'autoscaling:AttachLoadBalancerTargetGroups',
    'autoscaling:DetachLoadBalancerTargetGroups',
    'autoscaling:EnableMetricsCollection',
    'autoscaling:StartInstanceRefresh',
    'autoscaling:CancelInstanceRefresh',
    'autoscaling:CreateOrUpdateTags',
    'autoscaling:DeleteTags',
  ),
  forPlanned<AutoScalingGroupProps>(owned('autoscaling:group', 'autoscaling:DisableMetricsCollection'), (p) => !p.metricsCollection),
  { actions: ['ec2:RunInstances'], on: 'any', checkedBy: LAUNCHES },
  { actions: ['iam:PassRole'], on: 'iam:deployment-role', checkedBy: LAUNCHES },
  { actions: ['ec2:CreateTags'], on: 'any', when: { key: 'ec2:CreateAction', values: ['RunInstances'] }, checkedBy: LAUNCHES },
  serviceLinkedRole('autoscaling.amazonaws.com', ['autoscaling:CreateAutoScalingGroup']),
];

export const handler: ResourceHandler<AutoScalingGroupProps> = {
  kind: 'auto-scaling-group',
  iam,
  replaceOn: ['name'],
  // A scaling policy moves desired capacity; AWS does not keep refresh preferences on the group.
  ignoreLiveChanges: ['desiredCapacity', 'instanceRefresh'],
  normalize,
  create,
  read,
  readMany,
  update,
  delete: destroy,
  list,
};

