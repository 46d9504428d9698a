import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListInstanceProfilesForRole,
  paginateListRolePolicies,
  paginateListRoleTags,
  paginateListRoles,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
  type Role,
} from '@aws-sdk/client-iam';

import { hasCode, isDependencyViolation } from '../aws/errors.js';
import { isNotFound, isNotFoundOf } from './not-found.js';
import { AwsError } from '../errors.js';
import type { IamRoleProps, Live, ResourceContext, ResourceHandler, Tagged } from './types.js';
import { syncRoleTags } from './tagging.js';
import { canonicalDocument, canonicalJson, comparableTags, guard, iamTags, MINUTE, retryWhile, SECOND, tagRecord, ownedItem } from './util.js';
import { verifyNameTakeover } from './ownership.js';
import { anyResource, forList, scoped, type IamGrants } from '../iam/grants.js';

/** IAM is eventually consistent: a fresh role may be invisible to PutRolePolicy for a few seconds. */
const PROPAGATION_WINDOW_MS = 1 * MINUTE;
/** DeleteConflict while an instance profile removal propagates. */
const DELETE_CONFLICT_WINDOW_MS = 2 * MINUTE;

/** The path every role and instance profile of a deployment lives under (list() finds them by prefix). */
export function deploymentPath(deployment: string): string {
  return `/wallarm-oob/${deployment}/`;
}

/** IAM returns policy documents URL-encoded (RFC 3986). */
export function decodePolicy(document: string | undefined): string {
  if (document === undefined) return '';
  try {
    return canonicalJson(decodeURIComponent(document));
  } catch {
    return canonicalJson(document);
  }
}

async function findRole(iam: IAMClient, name: string): Promise<Role | undefined> {
  try {
    return (await iam.send(new GetRoleCommand({ RoleName: name }))).Role;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function inlinePolicyNames(iam: IAMClient, roleName: string): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListRolePolicies({ client: iam }, { RoleName: roleName })) names.push(...(page.PolicyNames ?? []));
  return names;
}

async function readInlinePolicies(iam: IAMClient, roleName: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await inlinePolicyNames(iam, roleName)).sort()) {
    try {
      const policy = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
      out[name] = decodePolicy(policy.PolicyDocument);
    } catch (error) {
      if (!isNotFound(error)) throw error; // deleted between list and get
    }
  }
  return out;
}

function toLive(role: Role, inlinePolicies: Record<string, string>): Live<IamRoleProps> {
  const name = role.RoleName ?? '';
  return {
    physicalId: name,
    props: {
      name,
      path: role.Path ?? '/',
      assumeRolePolicy: decodePolicy(role.AssumeRolePolicyDocument),
      inlinePolicies,
      tags: comparableTags(tagRecord(role.Tags)),
    },
    outputs: { arn: role.Arn ?? '', name },
  };
}

async function syncInlinePolicies(ctx: ResourceContext, iam: IAMClient, roleName: string, live: Record<string, string>, desired: Record<string, string>): Promise<void> {
  for (const [name, document] of Object.entries(desired)) {
    const doc = canonicalJson(document);
    if (live[name] === doc) continue;
    await retryWhile(isNotFound, () => iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: name, PolicyDocument: doc })), {
      windowMs: PROPAGATION_WINDOW_MS,
      intervalMs: 2 * SECOND,
      signal: ctx.signal,
    });
  }
  for (const name of Object.keys(live)) {
    if (name in desired) continue;
    try {
      await iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

async function create(ctx: ResourceContext, props: IamRoleProps): Promise<Live<IamRoleProps>> {
  return guard(ctx, `creating IAM role ${props.name}`, async () => {
    const iam = await ctx.aws.iam();
    let role: Role | undefined;
    let adopted = false;
    try {
      role = (
        await iam.send(
          new CreateRoleCommand({
            RoleName: props.name,
            Path: props.path,
            AssumeRolePolicyDocument: canonicalJson(props.assumeRolePolicy),
            Tags: iamTags(ctx.tags),
          }),
        )
      ).Role;
    } catch (error) {
      if (!hasCode(error, 'EntityAlreadyExists', 'EntityAlreadyExistsException')) throw error;
      // A create interrupted after the call: adopt the role only when it carries this node's tags.
      role = await findRole(iam, props.name);
      verifyNameTakeover(ctx, 'an IAM role', props.name, role && tagRecord(role.Tags), error);
      if (!role) throw error;
      adopted = true;
      if (decodePolicy(role.AssumeRolePolicyDocument) !== canonicalJson(props.assumeRolePolicy)) {
        await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: props.name, PolicyDocument: canonicalJson(props.assumeRolePolicy) }));
      }
    }
    if (!role) throw new Error(`CreateRole returned no role for ${props.name}`);
    // A fresh role has no inline policies (and may not be visible to List* yet).
    const livePolicies = adopted ? await readInlinePolicies(iam, props.name) : {};
    await syncInlinePolicies(ctx, iam, props.name, livePolicies, props.inlinePolicies);
    const inline: Record<string, string> = {};
    for (const [name, doc] of Object.entries(props.inlinePolicies)) inline[name] = canonicalJson(doc);
    return toLive({ ...role, AssumeRolePolicyDocument: canonicalJson(props.assumeRolePolicy) }, inline);
  });
}

async function read(ctx: ResourceContext, physicalId: string): Promise<Live<IamRoleProps> | undefined> {
  return guard(ctx, `reading IAM role ${physicalId}`, async () => {
    const iam = await ctx.aws.iam();
    const role = await findRole(iam, physicalId);
    if (!role) return undefined;
    try {
      return toLive(role, await readInlinePolicies(iam, physicalId));
    } catch (error) {
      if (isNotFound(error)) return undefined; // deleted while reading
      throw error;
    }
  });
}

async function update(ctx: ResourceContext, live: Live<IamRoleProps>, desired: IamRoleProps): Promise<Live<IamRoleProps>> {
  const name = live.physicalId;
  return guard(ctx, `updating IAM role ${name}`, async () => {
    const iam = await ctx.aws.iam();
    if (canonicalJson(live.props.assumeRolePolicy) !== canonicalJson(desired.assumeRolePolicy)) {
      await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: canonicalJson(desired.assumeRolePolicy) }));
    }
    const liveInline: Record<string, string> = {};
    for (const [k, v] of Object.entries(live.props.inlinePolicies)) liveInline[k] = canonicalJson(v);
    await syncInlinePolicies(ctx, iam, name, liveInline, desired.inlinePolicies);
    if (desired.tags) await syncRoleTags(iam, name, live.props.tags, desired.tags);
    const after = await read(ctx, name);
    if (!after) throw new AwsError('AWS_NOT_FOUND', `${ctx.logicalId}: IAM role ${name} disappeared during the update.`, { actions: ['Run the command again: the role will be created.'] });
    return after;
  });
}

async function destroy(ctx: ResourceContext, physicalId: string): Promise<void> {
  await guard(ctx, `deleting IAM role ${physicalId}`, async () => {
    const iam = await ctx.aws.iam();
    try {
      for await (const page of paginateListInstanceProfilesForRole({ client: iam }, { RoleName: physicalId })) {
        for (const profile of page.InstanceProfiles ?? []) {
          try {
            await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: profile.InstanceProfileName, RoleName: physicalId }));
          } catch (error) {
            if (!isNotFoundOf('iam-role', error)) throw error;
          }
        }
      }
      for (const name of await inlinePolicyNames(iam, physicalId)) {
        try {
          await iam.send(new DeleteRolePolicyCommand({ RoleName: physicalId, PolicyName: name }));
        } catch (error) {
          if (!isNotFoundOf('iam-role', error)) throw error;
        }
      }
      for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName: physicalId })) {
        for (const policy of page.AttachedPolicies ?? []) {
          try {
            await iam.send(new DetachRolePolicyCommand({ RoleName: physicalId, PolicyArn: policy.PolicyArn }));
          } catch (error) {
            if (!isNotFoundOf('iam-role', error)) throw error;
          }
        }
      }
      await retryWhile(isDependencyViolation, () => iam.send(new DeleteRoleCommand({ RoleName: physicalId })), {
        windowMs: DELETE_CONFLICT_WINDOW_MS,
        intervalMs: 5 * SECOND,
        signal: ctx.signal,
      });
    } catch (error) {
      if (isNotFoundOf('iam-role', error)) return;
      throw error;
    }
  });
}

async function list(ctx: ResourceContext): Promise<Tagged[]> {
  return guard(ctx, 'listing IAM roles', async () => {
    const iam = await ctx.aws.iam();
    const found: Tagged[] = [];
    for await (const page of paginateListRoles({ client: iam }, { PathPrefix: deploymentPath(ctx.deployment) })) {
      for (const role of page.Roles ?? []) {
        if (!role.RoleName) continue;
        let tags: Record<string, string>;
        try {
          tags = await roleTags(iam, role.RoleName);
        } catch (error) {
          if (isNotFound(error)) continue;
          throw error;
        }
        const owned = ownedItem(ctx.deployment, role.RoleName, tags);
        if (owned) found.push(owned);
      }
    }
    return found;
  });
}

async function roleTags(iam: IAMClient, roleName: string): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  for await (const page of paginateListRoleTags({ client: iam }, { RoleName: roleName })) Object.assign(tags, tagRecord(page.Tags));
  return tags;
}

/** Policy documents as canonical JSON text, so whitespace and key order never show as drift. */
export function normalize(props: IamRoleProps): IamRoleProps {
  const inline: Record<string, string> = {};
  for (const [name, doc] of Object.entries(props.inlinePolicies ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) inline[name] = canonicalDocument(doc);
  return { ...props, assumeRolePolicy: canonicalDocument(props.assumeRolePolicy), inlinePolicies: inline };
}

/** IAM permissions of the calls above: roles are confined to the deployment's IAM path. */
export const iam: IamGrants = [
  forList(anyResource('iam:ListRoles')),
  scoped(
    'iam:deployment-role',
    'iam:CreateRole',
    'iam:GetRole',
    'iam:DeleteRole',
    'iam:UpdateAssumeRolePolicy',
    'iam:PutRolePolicy',
    'iam:GetRolePolicy',
    'iam:DeleteRolePolicy',
    'iam:ListRolePolicies',
    'iam:ListAttachedRolePolicies',
    'iam:DetachRolePolicy',
    'iam:ListInstanceProfilesForRole',
    'iam:ListRoleTags',
    'iam:TagRole',
    'iam:UntagRole',
  ),
  // CreateRole with Tags is also authorised as iam:TagRole (IAM user guide, "Permissions required to tag IAM resources").
  { actions: ['iam:TagRole'], on: 'iam:deployment-role', checkedBy: ['iam:CreateRole'] },
  scoped('iam:deployment-instance-profile', 'iam:RemoveRoleFromInstanceProfile'),
];

export const handler: ResourceHandler<IamRoleProps> = {
  kind: 'iam-role',
  iam,
  replaceOn: ['name', 'path'],
  normalize,
  create,
  read,
  update,
  delete: destroy,
  list,
};
