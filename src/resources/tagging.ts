import { DeleteTagsCommand as AsgDeleteTagsCommand, CreateOrUpdateTagsCommand, type AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CreateTagsCommand, DeleteTagsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { AddTagsCommand, RemoveTagsCommand, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { TagInstanceProfileCommand, TagRoleCommand, UntagInstanceProfileCommand, UntagRoleCommand, type IAMClient } from '@aws-sdk/client-iam';

import { asgTags, ec2Tags, elbTags, iamTags, tagChanges, type TagMap } from './util.js';

// In-place tag updates, one function per tagging API. Each converges the live tag set to exactly `desired`
// (see tagChanges in util.ts) and makes no call when nothing differs. Loaded only by the handlers (lazily).

/** EC2 CreateTags / DeleteTags on one resource id. */
export async function syncEc2Tags(ec2: EC2Client, id: string, live: TagMap | undefined, desired: TagMap): Promise<void> {
  const { set, remove } = tagChanges(live, desired);
  if (Object.keys(set).length > 0) await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: ec2Tags(set) }));
  if (remove.length > 0) await ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: remove.map((Key) => ({ Key })) }));
}

/** ELBv2 AddTags / RemoveTags (load balancers, target groups, listeners). */
export async function syncElbTags(elb: ElasticLoadBalancingV2Client, arn: string, live: TagMap | undefined, desired: TagMap): Promise<void> {
  const { set, remove } = tagChanges(live, desired);
  if (Object.keys(set).length > 0) await elb.send(new AddTagsCommand({ ResourceArns: [arn], Tags: elbTags(set) }));
  if (remove.length > 0) await elb.send(new RemoveTagsCommand({ ResourceArns: [arn], TagKeys: remove }));
}

/** Auto Scaling CreateOrUpdateTags (PropagateAtLaunch, like at create) / DeleteTags. */
export async function syncAsgTags(asg: AutoScalingClient, name: string, live: TagMap | undefined, desired: TagMap): Promise<void> {
  const { set, remove } = tagChanges(live, desired);
  if (Object.keys(set).length > 0) await asg.send(new CreateOrUpdateTagsCommand({ Tags: asgTags(name, set) }));
  if (remove.length > 0) {
    const tags = remove.map((Key) => ({ ResourceId: name, ResourceType: 'auto-scaling-group' as const, Key }));
    await asg.send(new AsgDeleteTagsCommand({ Tags: tags }));
  }
}

/** IAM TagRole / UntagRole. */
export async function syncRoleTags(iam: IAMClient, roleName: string, live: TagMap | undefined, desired: TagMap): Promise<void> {
  const { set, remove } = tagChanges(live, desired);
  if (Object.keys(set).length > 0) await iam.send(new TagRoleCommand({ RoleName: roleName, Tags: iamTags(set) }));
  if (remove.length > 0) await iam.send(new UntagRoleCommand({ RoleName: roleName, TagKeys: remove }));
}

/** IAM TagInstanceProfile / UntagInstanceProfile. */
export async function syncInstanceProfileTags(iam: IAMClient, name: string, live: TagMap | undefined, desired: TagMap): Promise<void> {
  const { set, remove } = tagChanges(live, desired);
  if (Object.keys(set).length > 0) await iam.send(new TagInstanceProfileCommand({ InstanceProfileName: name, Tags: iamTags(set) }));
  if (remove.length > 0) await iam.send(new UntagInstanceProfileCommand({ InstanceProfileName: name, TagKeys: remove }));
}
