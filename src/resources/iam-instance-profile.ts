import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  DeleteInstanceProfileCommand,
  GetInstanceProfileCommand,
  paginateListInstanceProfileTags,
  paginateListInstanceProfiles,
  RemoveRoleFromInstanceProfileCommand,
  type IAMClient,
  type InstanceProfile,
} from '@aws-sdk/client-iam';

import { hasCode, isDependencyViolation } from '../aws/errors.js';
import { isNotFound, isNotFoundOf } from './not-found.js';
import { AwsError } from '../errors.js';
import { deploymentPath } from './iam-role.js';
import type { IamInstanceProfileProps, Live, ResourceContext, ResourceHandler, Tagged } from './types.js';
import { syncInstanceProfileTags } from './tagging.js';
import { comparableTags, guard, iamTags, MINUTE, retryWhile, SECOND, tagRecord, waitUntil, ownedItem } from './util.js';
import { verifyNameTakeover } from './ownership.js';
import { anyResource, forList, scoped, type IamGrants } from '../iam/grants.js';

/** A role created moments ago may not be visible to AddRoleToInstanceProfile yet. */
const ROLE_PROPAGATION_WINDOW_MS = 1 * MINUTE;
/** How long GetInstanceProfile may take to show the role. */
const PROFILE_READY_TIMEOUT_MS = 2 * MINUTE;
// EC2 may reject a brand-new instance profile (“Invalid IamInstanceProfile”) for a few seconds after IAM
// shows it. Nothing waits a fixed time for that here: the launch template does not check the profile, and
// Auto Scaling retries a launch that failed that way by itself; the capacity wait (auto-scaling-group.ts)
// is the check that the instances did come up.

async function findProfile(iam: IAMClient, name: string): Promise<InstanceProfile | undefined> {
  try {
    return (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name }))).InstanceProfile;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function profileTags(iam: IAMClient, name: string): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  for await (const page of paginateListInstanceProfileTags({ client: iam }, { InstanceProfileName: name })) Object.assign(tags, tagRecord(page.Tags));
  return tags;
}

function toLive(profile: InstanceProfile): Live<IamInstanceProfileProps> {
  const name = profile.InstanceProfileName ?? '';
  return {
    physicalId: name,
    props: { name, path: profile.Path ?? '/', roleName: profile.Roles?.[0]?.RoleName ?? '', tags: comparableTags(tagRecord(profile.Tags)) },
    outputs: { arn: profile.Arn ?? '', name },
  };
}

/** Makes `roleName` the profile's only role (a profile holds at most one), then waits until IAM shows it. */
async function ensureRole(ctx: ResourceContext, iam: IAMClient, name: string, roleName: string, knownRoles?: string[]): Promise<InstanceProfile> {
  let roles = knownRoles; // a profile created by this call has none (and may not be readable yet)
  if (!roles) {
    const profile = await findProfile(iam, name);
    if (!profile) throw new AwsError('AWS_NOT_FOUND', `${ctx.logicalId}: instance profile ${name} disappeared.`, { actions: ['Run the command again: it will be created.'] });
    roles = (profile.Roles ?? []).map((r) => r.RoleName ?? '');
    if (roles.length === 1 && roles[0] === roleName) return profile;
  }
  for (const other of roles.filter((r) => r !== roleName)) {
    try {
      await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: name, RoleName: other }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  if (!roles.includes(roleName)) {
    await retryWhile(
      (error) => isNotFound(error) || hasCode(error, 'LimitExceeded', 'LimitExceededException'), // role not visible yet / removal not visible yet
      () => iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: roleName })),
      { windowMs: ROLE_PROPAGATION_WINDOW_MS, intervalMs: 2 * SECOND, signal: ctx.signal },
    );
  }
  return waitUntil(
    `waiting for instance profile ${name} to show role ${roleName}`,
    async () => {
      const current = await findProfile(iam, name);
      const names = (current?.Roles ?? []).map((r) => r.RoleName);
      return current && names.length === 1 && names[0] === roleName ? current : undefined;
    },
    { intervalMs: 2 * SECOND, timeoutMs: PROFILE_READY_TIMEOUT_MS, signal: ctx.signal },
  );
}

async function create(ctx: ResourceContext, props: IamInstanceProfileProps): Promise<Live<IamInstanceProfileProps>> {
  return guard(ctx, `creating instance profile ${props.name}`, async () => {
    const iam = await ctx.aws.iam();
    let fresh = true;
    try {
      await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: props.name, Path: props.path, Tags: iamTags(ctx.tags) }));
    } catch (error) {
      if (!hasCode(error, 'EntityAlreadyExists', 'EntityAlreadyExistsException')) throw error;
      verifyNameTakeover(ctx, 'an instance profile', props.name, await profileTags(iam, props.name), error);
      fresh = false; // adopted: created by an interrupted run
    }
    return toLive(await ensureRole(ctx, iam, props.name, props.roleName, fresh ? [] : undefined));
  });
}

async function read(ctx: ResourceContext, physicalId: string): Promise<Live<IamInstanceProfileProps> | undefined> {
  return guard(ctx, `reading instance profile ${physicalId}`, async () => {
    const profile = await findProfile(await ctx.aws.iam(), physicalId);
    return profile ? toLive(profile) : undefined;
  });
}

async function update(ctx: ResourceContext, live: Live<IamInstanceProfileProps>, desired: IamInstanceProfileProps): Promise<Live<IamInstanceProfileProps>> {
  return guard(ctx, `updating instance profile ${live.physicalId}`, async () => {
    const iam = await ctx.aws.iam();
    if (desired.tags) await syncInstanceProfileTags(iam, live.physicalId, live.props.tags, desired.tags);
    return toLive(await ensureRole(ctx, iam, live.physicalId, desired.roleName));
  });
}

async function destroy(ctx: ResourceContext, physicalId: string): Promise<void> {
  await guard(ctx, `deleting instance profile ${physicalId}`, async () => {
    const iam = await ctx.aws.iam();
    const profile = await findProfile(iam, physicalId);
    if (!profile) return;
    try {
      for (const role of profile.Roles ?? []) {
        try {
          await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: physicalId, RoleName: role.RoleName }));
        } catch (error) {
          if (!isNotFoundOf('iam-instance-profile', error)) throw error;
        }
      }
      await retryWhile(isDependencyViolation, () => iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: physicalId })), {
        windowMs: 2 * MINUTE,
        intervalMs: 5 * SECOND,
        signal: ctx.signal,
      });
    } catch (error) {
      if (isNotFoundOf('iam-instance-profile', error)) return;
      throw error;
    }
  });
}

async function list(ctx: ResourceContext): Promise<Tagged[]> {
  return guard(ctx, 'listing instance profiles', async () => {
    const iam = await ctx.aws.iam();
    const found: Tagged[] = [];
    for await (const page of paginateListInstanceProfiles({ client: iam }, { PathPrefix: deploymentPath(ctx.deployment) })) {
      for (const profile of page.InstanceProfiles ?? []) {
        const name = profile.InstanceProfileName;
        if (!name) continue;
        let tags: Record<string, string>;
        try {
          tags = await profileTags(iam, name);
        } catch (error) {
          if (isNotFound(error)) continue;
          throw error;
        }
        const owned = ownedItem(ctx.deployment, name, tags);
        if (owned) found.push(owned);
      }
    }
    return found;
  });
}

/** IAM permissions of the calls above: instance profiles are confined to the deployment's IAM path. */
export const iam: IamGrants = [
  forList(anyResource('iam:ListInstanceProfiles')),
  scoped(
    'iam:deployment-instance-profile',
    'iam:CreateInstanceProfile',
    'iam:GetInstanceProfile',
    'iam:DeleteInstanceProfile',
    'iam:AddRoleToInstanceProfile',
    'iam:RemoveRoleFromInstanceProfile',
    'iam:ListInstanceProfileTags',
    'iam:TagInstanceProfile',
    'iam:UntagInstanceProfile',
  ),
  { actions: ['iam:TagInstanceProfile'], on: 'iam:deployment-instance-profile', checkedBy: ['iam:CreateInstanceProfile'] },
  // AddRoleToInstanceProfile requires iam:PassRole on the role (IAM API reference, AddRoleToInstanceProfile).
  { actions: ['iam:PassRole'], on: 'iam:deployment-role', checkedBy: ['iam:AddRoleToInstanceProfile'] },
];

export const handler: ResourceHandler<IamInstanceProfileProps> = {
  kind: 'iam-instance-profile',
  iam,
  replaceOn: ['name', 'path'],
  create,
  read,
  update,
  delete: destroy,
  list,
};
