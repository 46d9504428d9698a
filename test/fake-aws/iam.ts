import type * as I from '@aws-sdk/client-iam';
import { awsError } from './errors.js';
import type { World } from './world.js';
import { paginate, required, tagList, type Tags } from './util.js';

type Out<T> = Omit<T, '$metadata'>;

export interface RoleRec {
  name: string;
  path: string;
  id: string;
  createdAt: number;
  assumeRolePolicy: string;
  description?: string;
  maxSessionDuration: number;
  inlinePolicies: Map<string, string>;
  attachedPolicies: string[];
  tags: Tags;
}
export interface InstanceProfileRec {
  name: string;
  path: string;
  id: string;
  createdAt: number;
  roles: string[];
  tags: Tags;
}

const NAME_RE = /^[\w+=,.@-]+$/;
const INLINE_POLICY_LIMIT = 10240;

/** IAM returns policy documents URL-encoded (RFC 3986), as the SDK passes them through. */
export function iamEncode(doc: string): string {
  return encodeURIComponent(doc);
}

export class IamModel {
  /** Keyed by lower-case name: IAM names are unique case-insensitively. */
  readonly roles = new Map<string, RoleRec>();
  readonly instanceProfiles = new Map<string, InstanceProfileRec>();

  constructor(private readonly w: World) {}

  // ------------------------------------------------------------------ helpers

  roleArn(r: RoleRec): string {
    return `arn:aws:iam::${this.w.accountId}:role${r.path}${r.name}`;
  }
  instanceProfileArn(p: InstanceProfileRec): string {
    return `arn:aws:iam::${this.w.accountId}:instance-profile${p.path}${p.name}`;
  }

  findInstanceProfile(arn: string | undefined, name: string | undefined): InstanceProfileRec | undefined {
    if (name) return this.instanceProfiles.get(name.toLowerCase());
    if (arn) return [...this.instanceProfiles.values()].find((p) => this.instanceProfileArn(p) === arn);
    return undefined;
  }

  private validateName(name: string, param: string, max: number): void {
    if (name.length < 1 || name.length > max) {
      throw awsError('ValidationError', `1 validation error detected: Value '${name}' at '${param}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
    }
    if (!NAME_RE.test(name)) {
      throw awsError('ValidationError', `1 validation error detected: Value '${name}' at '${param}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`);
    }
  }

  private validatePath(path: string): void {
    if (!/^\/(?:[\u0021-\u007e]*\/)?$/.test(path) || path.length > 512) {
      throw awsError('ValidationError', `The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`);
    }
  }

  private validatePolicy(doc: string | undefined): string {
    const d = required(doc, 'PolicyDocument', 'ValidationError');
    let parsed: unknown;
    try {
      parsed = JSON.parse(d);
    } catch {
      throw awsError('MalformedPolicyDocument', 'This policy contains invalid Json');
    }
    const statement = (parsed as { Statement?: unknown } | null)?.Statement;
    if (!statement || (Array.isArray(statement) && !statement.length)) throw awsError('MalformedPolicyDocument', 'Syntax errors in policy.');
    return d;
  }

  private role(name: string | undefined): RoleRec {
    const n = required(name, 'RoleName', 'ValidationError');
    const r = this.roles.get(n.toLowerCase());
    if (!r || this.w.hidden(`role:${n.toLowerCase()}`)) throw awsError('NoSuchEntity', `The role with name ${n} cannot be found.`, 404);
    return r;
  }

  private profile(name: string | undefined): InstanceProfileRec {
    const n = required(name, 'InstanceProfileName', 'ValidationError');
    const p = this.instanceProfiles.get(n.toLowerCase());
    if (!p || this.w.hidden(`ip:${n.toLowerCase()}`)) throw awsError('NoSuchEntity', `Instance Profile ${n} cannot be found.`, 404);
    return p;
  }

  private putTags(tags: Tags, list: I.Tag[] | undefined): void {
    for (const t of list ?? []) {
      const key = required(t.Key, 'Tags.member.Key', 'ValidationError');
      if (key.toLowerCase().startsWith('aws:')) throw awsError('InvalidInput', `User-defined tag keys can't start with 'aws:'`);
      tags.set(key, t.Value ?? '');
    }
    if (tags.size > 50) throw awsError('LimitExceeded', 'The number of tags has reached the maximum limit of 50.', 409);
  }

  private roleOut(r: RoleRec, opts: { tags?: boolean } = { tags: true }): I.Role {
    return {
      Path: r.path,
      RoleName: r.name,
      RoleId: r.id,
      Arn: this.roleArn(r),
      CreateDate: new Date(r.createdAt),
      AssumeRolePolicyDocument: iamEncode(r.assumeRolePolicy),
      ...(r.description !== undefined && { Description: r.description }),
      MaxSessionDuration: r.maxSessionDuration,
      ...(opts.tags && r.tags.size ? { Tags: tagList(r.tags) } : {}),
    };
  }

  private profileOut(p: InstanceProfileRec, opts: { tags?: boolean } = { tags: true }): I.InstanceProfile {
    return {
      Path: p.path,
      InstanceProfileName: p.name,
      InstanceProfileId: p.id,
      Arn: this.instanceProfileArn(p),
      CreateDate: new Date(p.createdAt),
      Roles: p.roles.map((n) => this.roles.get(n.toLowerCase())).filter((r): r is RoleRec => !!r).map((r) => this.roleOut(r, { tags: false })),
      ...(opts.tags && p.tags.size ? { Tags: tagList(p.tags) } : {}),
    };
  }

  private page<T>(items: T[], marker: string | undefined, maxItems: number | undefined): { page: T[]; IsTruncated: boolean; Marker?: string } {
    if (maxItems !== undefined && (maxItems < 1 || maxItems > 1000)) throw awsError('ValidationError', 'MaxItems must be between 1 and 1000');
    const { page, next } = paginate(items, marker, maxItems, 100);
    return { page, IsTruncated: next !== undefined, ...(next && { Marker: next }) };
  }

  // ------------------------------------------------------------------ roles

  CreateRole(input: I.CreateRoleCommandInput): Out<I.CreateRoleCommandOutput> {
    const name = required(input.RoleName, 'RoleName', 'ValidationError');
    this.validateName(name, 'roleName', 64);
    const path = input.Path ?? '/';
    this.validatePath(path);
    const doc = this.validatePolicy(input.AssumeRolePolicyDocument);
    if (this.roles.has(name.toLowerCase())) throw awsError('EntityAlreadyExists', `Role with name ${name} already exists.`, 409);
    const maxSession = input.MaxSessionDuration ?? 3600;
    if (maxSession < 3600 || maxSession > 43200) throw awsError('ValidationError', 'MaxSessionDuration must be between 3600 and 43200 seconds');
    const tags: Tags = new Map();
    this.putTags(tags, input.Tags);
    const r: RoleRec = {
      name,
      path,
      id: 'AROA' + this.w.ids.upper(17),
      createdAt: this.w.now(),
      assumeRolePolicy: doc,
      description: input.Description,
      maxSessionDuration: maxSession,
      inlinePolicies: new Map(),
      attachedPolicies: [],
      tags,
    };
    this.roles.set(name.toLowerCase(), r);
    this.w.created(`role:${name.toLowerCase()}`);
    return { Role: this.roleOut(r) };
  }

  GetRole(input: I.GetRoleCommandInput): Out<I.GetRoleCommandOutput> {
    const r = this.role(input.RoleName);
    return { Role: { ...this.roleOut(r), RoleLastUsed: {} } };
  }

  DeleteRole(input: I.DeleteRoleCommandInput): Out<I.DeleteRoleCommandOutput> {
    const r = this.role(input.RoleName);
    if (r.inlinePolicies.size) throw awsError('DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
    if (r.attachedPolicies.length) throw awsError('DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
    if ([...this.instanceProfiles.values()].some((p) => p.roles.some((n) => n.toLowerCase() === r.name.toLowerCase()))) {
      throw awsError('DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.', 409);
    }
    this.roles.delete(r.name.toLowerCase());
    return {};
  }

  UpdateAssumeRolePolicy(input: I.UpdateAssumeRolePolicyCommandInput): Out<I.UpdateAssumeRolePolicyCommandOutput> {
    const r = this.role(input.RoleName);
    r.assumeRolePolicy = this.validatePolicy(input.PolicyDocument);
    return {};
  }

  UpdateRole(input: I.UpdateRoleCommandInput): Out<I.UpdateRoleCommandOutput> {
    const r = this.role(input.RoleName);
    if (input.Description !== undefined) r.description = input.Description;
    if (input.MaxSessionDuration !== undefined) r.maxSessionDuration = input.MaxSessionDuration;
    return {};
  }

  PutRolePolicy(input: I.PutRolePolicyCommandInput): Out<I.PutRolePolicyCommandOutput> {
    const r = this.role(input.RoleName);
    const name = required(input.PolicyName, 'PolicyName', 'ValidationError');
    this.validateName(name, 'policyName', 128);
    const doc = this.validatePolicy(input.PolicyDocument);
    const others = [...r.inlinePolicies].filter(([n]) => n !== name).reduce((acc, [, d]) => acc + d.replace(/\s/g, '').length, 0);
    if (others + doc.replace(/\s/g, '').length > INLINE_POLICY_LIMIT) {
      throw awsError('LimitExceeded', `Maximum policy size of ${INLINE_POLICY_LIMIT} bytes exceeded for role ${r.name}`, 409);
    }
    r.inlinePolicies.set(name, doc);
    return {};
  }

  GetRolePolicy(input: I.GetRolePolicyCommandInput): Out<I.GetRolePolicyCommandOutput> {
    const r = this.role(input.RoleName);
    const name = required(input.PolicyName, 'PolicyName', 'ValidationError');
    const doc = r.inlinePolicies.get(name);
    if (doc === undefined) throw awsError('NoSuchEntity', `The role policy with name ${name} cannot be found.`, 404);
    return { RoleName: r.name, PolicyName: name, PolicyDocument: iamEncode(doc) };
  }

  ListRolePolicies(input: I.ListRolePoliciesCommandInput): Out<I.ListRolePoliciesCommandOutput> {
    const r = this.role(input.RoleName);
    const { page, IsTruncated, Marker } = this.page([...r.inlinePolicies.keys()].sort(), input.Marker, input.MaxItems);
    return { PolicyNames: page, IsTruncated, Marker };
  }

  DeleteRolePolicy(input: I.DeleteRolePolicyCommandInput): Out<I.DeleteRolePolicyCommandOutput> {
    const r = this.role(input.RoleName);
    const name = required(input.PolicyName, 'PolicyName', 'ValidationError');
    if (!r.inlinePolicies.delete(name)) throw awsError('NoSuchEntity', `The role policy with name ${name} cannot be found.`, 404);
    return {};
  }

  AttachRolePolicy(input: I.AttachRolePolicyCommandInput): Out<I.AttachRolePolicyCommandOutput> {
    const r = this.role(input.RoleName);
    const arn = required(input.PolicyArn, 'PolicyArn', 'ValidationError');
    if (!/^arn:aws:iam::(aws|\d{12}):policy\/.+/.test(arn)) throw awsError('InvalidInput', `ARN ${arn} is not valid.`);
    if (!arn.startsWith('arn:aws:iam::aws:policy/')) throw awsError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404);
    if (!r.attachedPolicies.includes(arn)) r.attachedPolicies.push(arn);
    if (r.attachedPolicies.length > 20) throw awsError('LimitExceeded', 'Cannot exceed quota for PoliciesPerRole: 20', 409);
    return {};
  }

  DetachRolePolicy(input: I.DetachRolePolicyCommandInput): Out<I.DetachRolePolicyCommandOutput> {
    const r = this.role(input.RoleName);
    const arn = required(input.PolicyArn, 'PolicyArn', 'ValidationError');
    if (!r.attachedPolicies.includes(arn)) throw awsError('NoSuchEntity', `Policy ${arn} was not found.`, 404);
    r.attachedPolicies = r.attachedPolicies.filter((x) => x !== arn);
    return {};
  }

  ListAttachedRolePolicies(input: I.ListAttachedRolePoliciesCommandInput): Out<I.ListAttachedRolePoliciesCommandOutput> {
    const r = this.role(input.RoleName);
    const { page, IsTruncated, Marker } = this.page(r.attachedPolicies, input.Marker, input.MaxItems);
    return { AttachedPolicies: page.map((arn) => ({ PolicyArn: arn, PolicyName: arn.split('/').slice(-1)[0] })), IsTruncated, Marker };
  }

  ListRoles(input: I.ListRolesCommandInput): Out<I.ListRolesCommandOutput> {
    const prefix = input.PathPrefix ?? '/';
    const items = [...this.roles.values()].filter((r) => r.path.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
    const { page, IsTruncated, Marker } = this.page(items, input.Marker, input.MaxItems);
    // ListRoles does not return tags (use ListRoleTags / GetRole).
    return { Roles: page.map((r) => this.roleOut(r, { tags: false })), IsTruncated, Marker };
  }

  ListRoleTags(input: I.ListRoleTagsCommandInput): Out<I.ListRoleTagsCommandOutput> {
    const r = this.role(input.RoleName);
    const { page, IsTruncated, Marker } = this.page(tagList(r.tags), input.Marker, input.MaxItems);
    return { Tags: page, IsTruncated, Marker };
  }

  TagRole(input: I.TagRoleCommandInput): Out<I.TagRoleCommandOutput> {
    const r = this.role(input.RoleName);
    const copy = new Map(r.tags);
    this.putTags(copy, required(input.Tags, 'Tags', 'ValidationError'));
    r.tags = copy;
    return {};
  }

  UntagRole(input: I.UntagRoleCommandInput): Out<I.UntagRoleCommandOutput> {
    const r = this.role(input.RoleName);
    for (const k of input.TagKeys ?? []) r.tags.delete(k);
    return {};
  }

  // ------------------------------------------------------------------ instance profiles

  CreateInstanceProfile(input: I.CreateInstanceProfileCommandInput): Out<I.CreateInstanceProfileCommandOutput> {
    const name = required(input.InstanceProfileName, 'InstanceProfileName', 'ValidationError');
    this.validateName(name, 'instanceProfileName', 128);
    const path = input.Path ?? '/';
    this.validatePath(path);
    if (this.instanceProfiles.has(name.toLowerCase())) throw awsError('EntityAlreadyExists', `Instance Profile ${name} already exists.`, 409);
    const tags: Tags = new Map();
    this.putTags(tags, input.Tags);
    const p: InstanceProfileRec = { name, path, id: 'AIPA' + this.w.ids.upper(17), createdAt: this.w.now(), roles: [], tags };
    this.instanceProfiles.set(name.toLowerCase(), p);
    this.w.created(`ip:${name.toLowerCase()}`);
    return { InstanceProfile: this.profileOut(p) };
  }

  GetInstanceProfile(input: I.GetInstanceProfileCommandInput): Out<I.GetInstanceProfileCommandOutput> {
    return { InstanceProfile: this.profileOut(this.profile(input.InstanceProfileName)) };
  }

  AddRoleToInstanceProfile(input: I.AddRoleToInstanceProfileCommandInput): Out<I.AddRoleToInstanceProfileCommandOutput> {
    const p = this.profile(input.InstanceProfileName);
    const r = this.role(input.RoleName);
    if (p.roles.length >= 1) throw awsError('LimitExceeded', 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1', 409);
    p.roles.push(r.name);
    return {};
  }

  RemoveRoleFromInstanceProfile(input: I.RemoveRoleFromInstanceProfileCommandInput): Out<I.RemoveRoleFromInstanceProfileCommandOutput> {
    const p = this.profile(input.InstanceProfileName);
    const roleName = required(input.RoleName, 'RoleName', 'ValidationError');
    const before = p.roles.length;
    p.roles = p.roles.filter((n) => n.toLowerCase() !== roleName.toLowerCase());
    if (p.roles.length === before) {
      this.role(roleName);
      throw awsError('NoSuchEntity', `The role with name ${roleName} is not associated with instance profile ${p.name}.`, 404);
    }
    return {};
  }

  DeleteInstanceProfile(input: I.DeleteInstanceProfileCommandInput): Out<I.DeleteInstanceProfileCommandOutput> {
    const p = this.profile(input.InstanceProfileName);
    if (p.roles.length) throw awsError('DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.', 409);
    this.instanceProfiles.delete(p.name.toLowerCase());
    return {};
  }

  ListInstanceProfiles(input: I.ListInstanceProfilesCommandInput): Out<I.ListInstanceProfilesCommandOutput> {
    const prefix = input.PathPrefix ?? '/';
    const items = [...this.instanceProfiles.values()].filter((p) => p.path.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
    const { page, IsTruncated, Marker } = this.page(items, input.Marker, input.MaxItems);
    return { InstanceProfiles: page.map((p) => this.profileOut(p, { tags: false })), IsTruncated, Marker };
  }

  ListInstanceProfilesForRole(input: I.ListInstanceProfilesForRoleCommandInput): Out<I.ListInstanceProfilesForRoleCommandOutput> {
    const r = this.role(input.RoleName);
    const items = [...this.instanceProfiles.values()].filter((p) => p.roles.some((n) => n.toLowerCase() === r.name.toLowerCase()));
    const { page, IsTruncated, Marker } = this.page(items, input.Marker, input.MaxItems);
    return { InstanceProfiles: page.map((p) => this.profileOut(p, { tags: false })), IsTruncated, Marker };
  }

  TagInstanceProfile(input: I.TagInstanceProfileCommandInput): Out<I.TagInstanceProfileCommandOutput> {
    const p = this.profile(input.InstanceProfileName);
    const copy = new Map(p.tags);
    this.putTags(copy, required(input.Tags, 'Tags', 'ValidationError'));
    p.tags = copy;
    return {};
  }

  UntagInstanceProfile(input: I.UntagInstanceProfileCommandInput): Out<I.UntagInstanceProfileCommandOutput> {
    const p = this.profile(input.InstanceProfileName);
    for (const k of input.TagKeys ?? []) p.tags.delete(k);
    return {};
  }

  ListInstanceProfileTags(input: I.ListInstanceProfileTagsCommandInput): Out<I.ListInstanceProfileTagsCommandOutput> {
    const p = this.profile(input.InstanceProfileName);
    const { page, IsTruncated, Marker } = this.page(tagList(p.tags), input.Marker, input.MaxItems);
    return { Tags: page, IsTruncated, Marker };
  }
}
