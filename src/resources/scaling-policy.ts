import {
  DeletePolicyCommand,
  DescribePoliciesCommand,
  paginateDescribePolicies,
  PutScalingPolicyCommand,
  type AutoScalingClient,
  type ScalingPolicy,
} from '@aws-sdk/client-auto-scaling';

import { awsMessage, hasCode, isGroupNotFoundError } from '../aws/errors.js';
import { handler as groups } from './auto-scaling-group.js';
import type { Live, ResourceContext, ResourceHandler, ScalingPolicyProps, Tagged } from './types.js';
import { guard } from './util.js';

/** Scaling policies are not taggable: the physical id names the group and the policy. */
export function policyId(groupName: string, policyName: string): string {
  return `${groupName}/${policyName}`;
}

function parseId(physicalId: string): { group: string; policy: string } {
  const i = physicalId.indexOf('/');
  if (i <= 0) throw new Error(`invalid scaling policy id ${physicalId} (expected <group>/<policy>)`);
  return { group: physicalId.slice(0, i), policy: physicalId.slice(i + 1) };
}

/** The group (and so its policies) does not exist, or the policy does not: AWS answers ValidationError naming which. */
function isGroupGone(error: unknown): boolean {
  return isGroupNotFoundError(error) || (hasCode(error, 'ValidationError') && /\bPolicy \S+ not found/i.test(awsMessage(error)));
}

async function findPolicy(asg: AutoScalingClient, group: string, policy: string): Promise<ScalingPolicy | undefined> {
  try {
    const out = await asg.send(new DescribePoliciesCommand({ AutoScalingGroupName: group, PolicyNames: [policy] }));
    return out.ScalingPolicies?.find((p) => p.PolicyName === policy);
  } catch (error) {
    if (isGroupGone(error)) return undefined;
    throw error;
  }
}

function toLive(policy: ScalingPolicy): Live<ScalingPolicyProps> {
  const group = policy.AutoScalingGroupName ?? '';
  const name = policy.PolicyName ?? '';
  const tt = policy.TargetTrackingConfiguration;
  return {
    physicalId: policyId(group, name),
    props: {
      name,
      autoScalingGroupName: group,
      metric: (tt?.PredefinedMetricSpecification?.PredefinedMetricType ?? '') as ScalingPolicyProps['metric'],
      targetValue: tt?.TargetValue ?? 0,
    },
    outputs: { arn: policy.PolicyARN ?? '' },
  };
}

async function put(ctx: ResourceContext, props: ScalingPolicyProps): Promise<Live<ScalingPolicyProps>> {
  const asg = await ctx.aws.autoscaling();
  const out = await asg.send(
    new PutScalingPolicyCommand({
      AutoScalingGroupName: props.autoScalingGroupName,
      PolicyName: props.name,
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: props.metric },
        TargetValue: props.targetValue,
      },
    }),
  );
  return {
    physicalId: policyId(props.autoScalingGroupName, props.name),
    props: { name: props.name, autoScalingGroupName: props.autoScalingGroupName, metric: props.metric, targetValue: props.targetValue },
    outputs: { arn: out.PolicyARN ?? '' },
  };
}

// PutScalingPolicy creates or replaces by name: create and update are the same call, and both idempotent.
async function create(ctx: ResourceContext, props: ScalingPolicyProps): Promise<Live<ScalingPolicyProps>> {
  return guard(ctx, `creating scaling policy ${props.name}`, () => put(ctx, props));
}

async function update(ctx: ResourceContext, _live: Live<ScalingPolicyProps>, desired: ScalingPolicyProps): Promise<Live<ScalingPolicyProps>> {
  return guard(ctx, `updating scaling policy ${desired.name}`, () => put(ctx, desired));
}

async function read(ctx: ResourceContext, physicalId: string): Promise<Live<ScalingPolicyProps> | undefined> {
  return guard(ctx, `reading scaling policy ${physicalId}`, async () => {
    const { group, policy } = parseId(physicalId);
    const found = await findPolicy(await ctx.aws.autoscaling(), group, policy);
    return found ? toLive(found) : undefined;
  });
}

async function destroy(ctx: ResourceContext, physicalId: string): Promise<void> {
  await guard(ctx, `deleting scaling policy ${physicalId}`, async () => {
    const { group, policy } = parseId(physicalId);
    try {
      await (await ctx.aws.autoscaling()).send(new DeletePolicyCommand({ AutoScalingGroupName: group, PolicyName: policy }));
    } catch (error) {
      if (isGroupGone(error)) return; // the group (and its policies) is gone
      throw error;
    }
  });
}

/** The policies of the deployment's Auto Scaling groups; policies carry no tags, so logicalId is undefined. */
async function list(ctx: ResourceContext): Promise<Tagged[]> {
  const owned = await groups.list(ctx);
  return guard(ctx, 'listing scaling policies', async () => {
    const asg = await ctx.aws.autoscaling();
    const found: Tagged[] = [];
    for (const group of owned) {
      try {
        for await (const page of paginateDescribePolicies({ client: asg }, { AutoScalingGroupName: group.physicalId })) {
          for (const p of page.ScalingPolicies ?? []) {
            // A policy has no tags of its own: it belongs to the deployment through its (owned) group.
            if (p.PolicyName) found.push({ physicalId: policyId(group.physicalId, p.PolicyName), logicalId: undefined, tags: group.tags });
          }
        }
      } catch (error) {
        if (!isGroupGone(error)) throw error;
      }
    }
    return found;
  });
}

/** A policy belongs to whoever owns its group. */
async function ownerTags(ctx: ResourceContext, live: Live<ScalingPolicyProps>): Promise<Record<string, string> | undefined> {
  const group = await groups.read(ctx, parseId(live.physicalId).group);
  return group?.props.tags ?? {};
}

export const handler: ResourceHandler<ScalingPolicyProps> = {
  ownerTags,
  kind: 'scaling-policy',
  replaceOn: ['name', 'autoScalingGroupName'],
  create,
  read,
  update,
  delete: destroy,
  list,
};

