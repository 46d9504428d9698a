/** EC2 launch templates and their versions. */
import type * as E from '@aws-sdk/client-ec2';
import { ClientTokens, tagsFromSpecs } from './ec2-common.js';
import { awsError } from './errors.js';
import type { World } from './world.js';
import { applyEc2Filters, paginate, required, tagList, type Tags } from './util.js';

type Out<T> = Omit<T, '$metadata'>;

export interface LaunchTemplateVersionRec {
  number: number;
  description?: string;
  data: E.RequestLaunchTemplateData;
  createdAt: number;
}
export interface LaunchTemplateRec {
  id: string;
  name: string;
  createdAt: number;
  defaultVersion: number;
  latestVersion: number;
  versions: Map<number, LaunchTemplateVersionRec>;
  tags: Tags;
}

/** The security groups a template's instances get: instance-level or on its network interfaces. */
export function templateGroupIds(data: E.RequestLaunchTemplateData): string[] {
  return [...(data.SecurityGroupIds ?? []), ...(data.NetworkInterfaces?.flatMap((n) => n.Groups ?? []) ?? [])];
}

/** Launch templates: versions, the default version, and what they are checked for at creation (AWS checks the rest at launch). */
export class LaunchTemplateModel {
  readonly launchTemplates = new Map<string, LaunchTemplateRec>();
  private readonly tokens = new ClientTokens();

  constructor(private readonly w: World) {}

  private lt(id: string | undefined, name: string | undefined): LaunchTemplateRec {
    if (id) {
      const t = this.launchTemplates.get(id);
      if (!t || this.w.hidden(id)) {
        if (!/^lt-[0-9a-f]{17}$/.test(id)) throw awsError('InvalidLaunchTemplateId.Malformed', `The specified launch template ID is malformed: ${id}`);
        throw awsError('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`);
      }
      return t;
    }
    if (name) {
      const t = [...this.launchTemplates.values()].find((x) => x.name === name);
      if (!t || this.w.hidden(t.id)) {
        throw awsError('InvalidLaunchTemplateName.NotFoundException', `The specified launch template, with template name ${name}, does not exist.`);
      }
      return t;
    }
    throw awsError('MissingParameter', 'The request must contain the parameter launchTemplateName or launchTemplateId');
  }

  /** Resolves `$Latest`, `$Default` or a number to a version record. */
  ltVersion(t: LaunchTemplateRec, version: string | undefined): LaunchTemplateVersionRec {
    const n = version === undefined || version === '$Default' ? t.defaultVersion : version === '$Latest' ? t.latestVersion : Number(version);
    const v = Number.isInteger(n) ? t.versions.get(n) : undefined;
    if (!v) {
      throw awsError('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${version} for launch template ${t.id}`);
    }
    return v;
  }

  findLaunchTemplate(id: string | undefined, name: string | undefined): LaunchTemplateRec | undefined {
    if (id) return this.launchTemplates.get(id);
    return [...this.launchTemplates.values()].find((x) => x.name === name);
  }

  private validateLtData(data: E.RequestLaunchTemplateData): E.ValidationWarning | undefined {
    if (data.UserData !== undefined) {
      const ud = data.UserData;
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(ud) || ud.length % 4 !== 0) {
        throw awsError('InvalidUserData.Malformed', 'Invalid BASE64 encoding of user data.');
      }
      if (Buffer.from(ud, 'base64').length > 16384) throw awsError('InvalidParameterValue', 'User data is limited to 16384 bytes');
    }
    if (data.SecurityGroupIds?.length && data.NetworkInterfaces?.some((n) => n.Groups?.length)) {
      throw awsError('InvalidParameterCombination', 'Network interfaces and an instance-level security groups may not be specified on the same request');
    }
    const errors: E.ValidationError[] = [];
    if (data.ImageId && !this.w.ec2.catalog.images.has(data.ImageId)) errors.push({ Code: 'InvalidAMIID.NotFound', Message: `The image id '[${data.ImageId}]' does not exist` });
    for (const sgId of templateGroupIds(data)) {
      if (!this.w.ec2.groups.securityGroups.has(sgId)) errors.push({ Code: 'InvalidGroupId.NotFound', Message: `The security group '${sgId}' does not exist` });
    }
    return errors.length ? { Errors: errors } : undefined;
  }

  private ltOut(t: LaunchTemplateRec): E.LaunchTemplate {
    return {
      LaunchTemplateId: t.id,
      LaunchTemplateName: t.name,
      CreateTime: new Date(t.createdAt),
      CreatedBy: `arn:aws:iam::${this.w.accountId}:user/test`,
      DefaultVersionNumber: t.defaultVersion,
      LatestVersionNumber: t.latestVersion,
      Tags: tagList(t.tags),
    };
  }

  private ltVersionOut(t: LaunchTemplateRec, v: LaunchTemplateVersionRec): E.LaunchTemplateVersion {
    return {
      LaunchTemplateId: t.id,
      LaunchTemplateName: t.name,
      VersionNumber: v.number,
      VersionDescription: v.description,
      CreateTime: new Date(v.createdAt),
      CreatedBy: `arn:aws:iam::${this.w.accountId}:user/test`,
      DefaultVersion: v.number === t.defaultVersion,
      LaunchTemplateData: structuredClone(v.data),
    };
  }

  CreateLaunchTemplate(input: E.CreateLaunchTemplateCommandInput): Out<E.CreateLaunchTemplateCommandOutput> {
    return this.tokens.run('CreateLaunchTemplate', input.ClientToken, input, () => {
      const name = required(input.LaunchTemplateName, 'LaunchTemplateName');
      if (!/^[a-zA-Z0-9().\-/_]{3,128}$/.test(name)) {
        throw awsError('InvalidLaunchTemplateName.MalformedException', `The launch template name '${name}' is invalid: 3-128 characters from a-z A-Z 0-9 ( ) . - / _`);
      }
      const data = required(input.LaunchTemplateData, 'LaunchTemplateData');
      if ([...this.launchTemplates.values()].some((t) => t.name === name)) {
        throw awsError('InvalidLaunchTemplateName.AlreadyExistsException', `Launch template name already in use.`);
      }
      const warning = this.validateLtData(data);
      const now = this.w.now();
      const t: LaunchTemplateRec = {
        id: this.w.ids.ec2('lt'),
        name,
        createdAt: now,
        defaultVersion: 1,
        latestVersion: 1,
        versions: new Map([[1, { number: 1, description: input.VersionDescription, data: structuredClone(data), createdAt: now }]]),
        tags: tagsFromSpecs(input.TagSpecifications, 'launch-template'),
      };
      this.launchTemplates.set(t.id, t);
      this.w.created(t.id);
      return { LaunchTemplate: this.ltOut(t), ...(warning && { Warning: warning }) };
    });
  }

  CreateLaunchTemplateVersion(input: E.CreateLaunchTemplateVersionCommandInput): Out<E.CreateLaunchTemplateVersionCommandOutput> {
    return this.tokens.run('CreateLaunchTemplateVersion', input.ClientToken, input, () => {
      const t = this.lt(input.LaunchTemplateId, input.LaunchTemplateName);
      let data = structuredClone(required(input.LaunchTemplateData, 'LaunchTemplateData'));
      if (input.SourceVersion !== undefined) data = { ...structuredClone(this.ltVersion(t, input.SourceVersion).data), ...data };
      const warning = this.validateLtData(data);
      if (t.versions.size >= 10000) throw awsError('LaunchTemplateVersionLimitExceeded', 'Launch template version limit exceeded');
      const v: LaunchTemplateVersionRec = { number: t.latestVersion + 1, description: input.VersionDescription, data, createdAt: this.w.now() };
      t.versions.set(v.number, v);
      t.latestVersion = v.number;
      return { LaunchTemplateVersion: this.ltVersionOut(t, v), ...(warning && { Warning: warning }) };
    });
  }

  ModifyLaunchTemplate(input: E.ModifyLaunchTemplateCommandInput): Out<E.ModifyLaunchTemplateCommandOutput> {
    const t = this.lt(input.LaunchTemplateId, input.LaunchTemplateName);
    if (input.DefaultVersion !== undefined) {
      const v = t.versions.get(Number(input.DefaultVersion));
      if (!v) throw awsError('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${input.DefaultVersion} for launch template ${t.id}`);
      t.defaultVersion = v.number;
    }
    return { LaunchTemplate: this.ltOut(t) };
  }

  DescribeLaunchTemplates(input: E.DescribeLaunchTemplatesCommandInput): Out<E.DescribeLaunchTemplatesCommandOutput> {
    let items = [...this.launchTemplates.values()];
    if (input.LaunchTemplateIds?.length) {
      for (const id of input.LaunchTemplateIds) this.lt(id, undefined);
      items = items.filter((t) => input.LaunchTemplateIds!.includes(t.id));
    }
    if (input.LaunchTemplateNames?.length) {
      for (const name of input.LaunchTemplateNames) {
        const t = items.find((x) => x.name === name);
        if (!t || this.w.hidden(t.id)) {
          throw awsError('InvalidLaunchTemplateName.NotFoundException', 'At least one of the launch templates specified in the request does not exist.');
        }
      }
      items = items.filter((t) => input.LaunchTemplateNames!.includes(t.name));
    }
    items = applyEc2Filters(items, input.Filters, { 'launch-template-name': (t) => t.name, 'create-time': (t) => new Date(t.createdAt).toISOString() }, (t) => t.tags);
    const { page, next } = paginate(items, input.NextToken, input.MaxResults);
    return { LaunchTemplates: page.map((t) => this.ltOut(t)), NextToken: next };
  }

  DescribeLaunchTemplateVersions(input: E.DescribeLaunchTemplateVersionsCommandInput): Out<E.DescribeLaunchTemplateVersionsCommandOutput> {
    const t = this.lt(input.LaunchTemplateId, input.LaunchTemplateName);
    let versions: LaunchTemplateVersionRec[];
    if (input.Versions?.length) versions = input.Versions.map((v) => this.ltVersion(t, v));
    else versions = [...t.versions.values()].sort((a, b) => b.number - a.number);
    if (input.MinVersion !== undefined) versions = versions.filter((v) => v.number >= Number(input.MinVersion));
    if (input.MaxVersion !== undefined) versions = versions.filter((v) => v.number <= Number(input.MaxVersion));
    const { page, next } = paginate(versions, input.NextToken, input.MaxResults);
    return { LaunchTemplateVersions: page.map((v) => this.ltVersionOut(t, v)), NextToken: next };
  }

  DeleteLaunchTemplate(input: E.DeleteLaunchTemplateCommandInput): Out<E.DeleteLaunchTemplateCommandOutput> {
    const t = this.lt(input.LaunchTemplateId, input.LaunchTemplateName);
    this.launchTemplates.delete(t.id);
    return { LaunchTemplate: this.ltOut(t) };
  }
}
