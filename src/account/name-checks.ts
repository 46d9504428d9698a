import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeLaunchTemplatesCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand, DescribeTagsCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetInstanceProfileCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import type { AwsClients } from '../aws/clients.js';
import { isNotFoundOf } from '../resources/not-found.js';
import type { Graph, ResourceKind } from '../engine/types.js';
import { ResolveError } from '../errors.js';
import { TAG_DEPLOYMENT } from '../resources/types.js';
import type { StateDocument } from '../state/document.js';
import { mapLimit } from '../util/pool.js';

type TagList = { Key?: string; Value?: string }[] | undefined;
type Found = { id: string; tags: TagList } | undefined;

const ownerOf = (tags: TagList) => tags?.find((t) => t.Key === TAG_DEPLOYMENT)?.Value;

/** How to look a resource up by the name the tool would give it; undefined when the name is free. */
const LOOKUPS: Partial<Record<ResourceKind, (aws: AwsClients, name: string, vpcId: string) => Promise<Found>>> = {
  'load-balancer': async (aws, name) => {
    const elb = await aws.elbv2();
    const lb = await elb.send(new DescribeLoadBalancersCommand({ Names: [name] })).then(
      (o) => o.LoadBalancers?.[0],
      (e: unknown) => {
        if (isNotFoundOf('load-balancer', e)) return undefined;
        throw e;
      },
    );
    if (!lb?.LoadBalancerArn) return undefined;
    const tags = (await elb.send(new DescribeTagsCommand({ ResourceArns: [lb.LoadBalancerArn] }))).TagDescriptions?.[0]?.Tags;
    return { id: lb.LoadBalancerArn, tags };
  },
  'target-group': async (aws, name) => {
    const elb = await aws.elbv2();
    const tg = await elb.send(new DescribeTargetGroupsCommand({ Names: [name] })).then(
      (o) => o.TargetGroups?.[0],
      (e: unknown) => {
        if (isNotFoundOf('target-group', e)) return undefined;
        throw e;
      },
    );
    if (!tg?.TargetGroupArn) return undefined;
    const tags = (await elb.send(new DescribeTagsCommand({ ResourceArns: [tg.TargetGroupArn] }))).TagDescriptions?.[0]?.Tags;
    return { id: tg.TargetGroupArn, tags };
  },
  'security-group': async (aws, name, vpcId) => {
    const out = await (await aws.ec2()).send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: [name] }] }));
    const g = out.SecurityGroups?.[0];
    return g?.GroupId ? { id: g.GroupId, tags: g.Tags } : undefined;
  },
  'launch-template': async (aws, name) => {
    const t = await (await aws.ec2()).send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [name] })).then(
      (o) => o.LaunchTemplates?.[0],
      (e: unknown) => {
        if (isNotFoundOf('launch-template', e)) return undefined;
        throw e;
      },
    );
    return t?.LaunchTemplateId ? { id: t.LaunchTemplateId, tags: t.Tags } : undefined;
  },
  'auto-scaling-group': async (aws, name) => {
    const g = (await (await aws.autoscaling()).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups?.[0];
    return g?.AutoScalingGroupName ? { id: g.AutoScalingGroupName, tags: g.Tags } : undefined;
  },
  'iam-role': async (aws, name) => {
    const r = await (await aws.iam()).send(new GetRoleCommand({ RoleName: name })).then(
      (o) => o.Role,
      (e: unknown) => {
        if (isNotFoundOf('iam-role', e)) return undefined;
        throw e;
      },
    );
    return r?.RoleName ? { id: r.RoleName, tags: r.Tags } : undefined;
  },
  'iam-instance-profile': async (aws, name) => {
    const p = await (await aws.iam()).send(new GetInstanceProfileCommand({ InstanceProfileName: name })).then(
      (o) => o.InstanceProfile,
      (e: unknown) => {
        if (isNotFoundOf('iam-instance-profile', e)) return undefined;
        throw e;
      },
    );
    return p?.InstanceProfileName ? { id: p.InstanceProfileName, tags: p.Tags } : undefined;
  },
};

/**
 * Before a plan creates a named resource, its name must be free or belong to this deployment (then apply
 * adopts it by its tags). A name held by something else made apply fail midway; now plan and apply stop
 * first, naming each clash.
 */
export async function checkNamesFree(aws: AwsClients, deployment: string, vpcId: string, graph: Graph, state: StateDocument, configPath: string): Promise<void> {
  const toCreate = graph.nodes.filter((n) => !state.resources[n.id] && typeof n.props.name === 'string' && LOOKUPS[n.kind]);
  const clashes = (
    await mapLimit(toCreate, 5, async (node) => {
      const found = await LOOKUPS[node.kind]!(aws, node.props.name as string, vpcId);
      const owner = found && ownerOf(found.tags);
      if (!found || owner === deployment) return undefined;
      return `${node.kind} name "${node.props.name as string}" (${node.id}) is taken by ${found.id}, ${owner ? `of deployment "${owner}"` : 'which wallarm-oob did not create (no wallarm-oob:deployment tag)'}`;
    })
  ).filter((c): c is string => c !== undefined);
  if (clashes.length === 0) return;
  throw new ResolveError('NAME_TAKEN', `${configPath}: deployment: names this deployment would create are already in use:\n  ${clashes.join('\n  ')}`, {
    actions: ['Choose another deployment name (resource names derive from it), or rename or delete the resources above if they are no longer used.'],
  });
}
