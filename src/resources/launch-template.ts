import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DeleteLaunchTemplateCommand,
  DescribeImagesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  ModifyLaunchTemplateCommand,
  paginateDescribeLaunchTemplates,
  type EC2Client,
  type LaunchTemplateVersion,
  type RequestLaunchTemplateData,
} from '@aws-sdk/client-ec2';

import { hasCode } from '../aws/errors.js';
import { isNotFound, isNotFoundOf, unlessNotFound } from './not-found.js';
import type { LaunchTemplateProps, Live, ResourceContext, ResourceHandler, Tagged } from './types.js';
import { TAG_DEPLOYMENT } from './types.js';
import { syncEc2Tags } from './tagging.js';
import { canonicalSet, comparableTags, createIdempotently, describeByIds, ec2Tags, ec2TagSpec, FILTER_VALUES_MAX, guard, sha256, stableJson, tagRecord, ownedItem } from './util.js';
import { verifyNameTakeover } from './ownership.js';
import { anyResource, forList, created, owned, ec2TagOnCreate, type IamGrants } from '../iam/grants.js';

/** Used when the image cannot be described (not shared with the caller, or gone): the Amazon Linux / Debian root device. */
const DEFAULT_ROOT_DEVICE = '/dev/xvda';

/**
 * The root volume must be mapped on the image's own root device name (`/dev/xvda` on Amazon Linux and
 * Debian, `/dev/sda1` on others); mapping /dev/xvda on a /dev/sda1 image would add a second, empty volume
 * and leave the root volume at the image's size, unencrypted.
 */
async function rootDeviceName(ec2: EC2Client, imageId: string): Promise<string> {
  try {
    const out = await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
    return out.Images?.[0]?.RootDeviceName ?? DEFAULT_ROOT_DEVICE;
  } catch {
    return DEFAULT_ROOT_DEVICE;
  }
}

function templateData(props: LaunchTemplateProps, tags: Readonly<Record<string, string>>, rootDevice: string): RequestLaunchTemplateData {
  return {
    ImageId: props.imageId,
    InstanceType: props.instanceType as RequestLaunchTemplateData['InstanceType'],
    ...(props.keyName ? { KeyName: props.keyName } : {}),
    ...(props.instanceProfileArn ? { IamInstanceProfile: { Arn: props.instanceProfileArn } } : {}),
    // Security groups go on the interface (a launch template cannot carry both).
    NetworkInterfaces: [{ DeviceIndex: 0, Groups: [...props.securityGroupIds], AssociatePublicIpAddress: false, DeleteOnTermination: true }],
    BlockDeviceMappings: [
      {
        DeviceName: rootDevice,
        Ebs: { VolumeSize: props.volumeSizeGiB, VolumeType: props.volumeType as 'gp3', Encrypted: true, DeleteOnTermination: true },
      },
    ],
    Monitoring: { Enabled: props.detailedMonitoring },
    MetadataOptions: { HttpTokens: props.httpTokens, HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1 },
    UserData: Buffer.from(props.userData, 'utf8').toString('base64'),
    TagSpecifications: [
      { ResourceType: 'instance', Tags: ec2Tags(tags) },
      { ResourceType: 'volume', Tags: ec2Tags(tags) },
    ],
  };
}

/** `tags`: the template's own tags (the version's instance and volume tags are compared in update()). */
function fromVersion(version: LaunchTemplateVersion, tags?: Record<string, string>): Live<LaunchTemplateProps> {
  const data = version.LaunchTemplateData ?? {};
  const nic = data.NetworkInterfaces?.find((n) => (n.DeviceIndex ?? 0) === 0);
  const ebs = data.BlockDeviceMappings?.find((m) => m.Ebs)?.Ebs;
  const id = version.LaunchTemplateId ?? '';
  const name = version.LaunchTemplateName ?? '';
  return {
    physicalId: id,
    props: {
      name,
      imageId: data.ImageId ?? '',
      instanceType: data.InstanceType ?? '',
      keyName: data.KeyName ?? null,
      securityGroupIds: canonicalSet(nic?.Groups ?? data.SecurityGroupIds ?? []),
      instanceProfileArn: data.IamInstanceProfile?.Arn ?? null,
      userData: data.UserData ? Buffer.from(data.UserData, 'base64').toString('utf8') : '',
      volumeSizeGiB: ebs?.VolumeSize ?? 0,
      volumeType: ebs?.VolumeType ?? '',
      detailedMonitoring: data.Monitoring?.Enabled ?? false,
      httpTokens: data.MetadataOptions?.HttpTokens ?? 'optional',
      ...(tags && { tags: comparableTags(tags) }),
    },
    outputs: { id, name, latestVersion: String(version.VersionNumber ?? 1) },
  };
}

async function findLatest(ec2: EC2Client, id: string): Promise<LaunchTemplateVersion | undefined> {
  try {
    const out = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ['$Latest'] }));
    return out.LaunchTemplateVersions?.[0];
  } catch (error) {
    if (isNotFound(error) || hasCode(error, 'InvalidLaunchTemplateId.Malformed')) return undefined;
    throw error;
  }
}

function sizeOf(text: string): string {
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

async function create(ctx: ResourceContext, props: LaunchTemplateProps): Promise<Live<LaunchTemplateProps>> {
  return guard(ctx, `creating launch template ${props.name}`, async () => {
    const ec2 = await ctx.aws.ec2();
    const data = templateData(props, props.tags ?? ctx.tags, await rootDeviceName(ec2, props.imageId));
    try {
      const send = (token: string) =>
        ec2.send(
          new CreateLaunchTemplateCommand({
            LaunchTemplateName: props.name,
            ClientToken: token,
            LaunchTemplateData: data,
            TagSpecifications: [ec2TagSpec('launch-template', ctx.tags)],
          }),
        );
      const out = await createIdempotently(ctx.clientToken, send, (o) => o.LaunchTemplate?.LaunchTemplateId, async (id) => Boolean(await findLatest(ec2, id)), ctx.signal);
      const t = out.LaunchTemplate;
      const id = t?.LaunchTemplateId ?? '';
      ctx.log(`launch template ${id} created (user data ${sizeOf(props.userData)})`);
      return {
        physicalId: id,
        props: normalize(props),
        outputs: { id, name: t?.LaunchTemplateName ?? props.name, latestVersion: String(t?.LatestVersionNumber ?? 1) },
      };
    } catch (error) {
      if (!hasCode(error, 'InvalidLaunchTemplateName.AlreadyExistsException')) throw error;
      // Created by an interrupted run with another token? Adopt it only when it carries this node's tags.
      const existing = (await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [props.name] }))).LaunchTemplates?.[0];
      verifyNameTakeover(ctx, 'a launch template', props.name, existing && tagRecord(existing.Tags), error);
      const live = existing?.LaunchTemplateId ? await findLatest(ec2, existing.LaunchTemplateId) : undefined;
      if (!live) throw error;
      return update(ctx, fromVersion(live), props);
    }
  });
}

async function read(ctx: ResourceContext, physicalId: string): Promise<Live<LaunchTemplateProps> | undefined> {
  return guard(ctx, `reading launch template ${physicalId}`, async () => {
    const ec2 = await ctx.aws.ec2();
    const version = await findLatest(ec2, physicalId);
    if (!version) return undefined;
    const template = (await unlessNotFound(ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [physicalId] }))))?.LaunchTemplates?.[0];
    return template ? fromVersion(version, tagRecord(template.Tags)) : undefined;
  });
}

/** One DescribeLaunchTemplates (tags) for all ids, then each template's latest version (no batch form for one template's version). */
async function readMany(ctx: ResourceContext, physicalIds: readonly string[]): Promise<Map<string, Live<LaunchTemplateProps> | undefined>> {
  return guard(ctx, `reading launch templates ${physicalIds.join(', ')}`, async () => {
    const ec2 = await ctx.aws.ec2();
    const templates = await describeByIds(
      physicalIds,
      FILTER_VALUES_MAX,
      async (batch) => {
        const found = new Map<string, Record<string, string>>();
        let token: string | undefined;
        do {
          const out = await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: batch, NextToken: token }));
          for (const t of out.LaunchTemplates ?? []) if (t.LaunchTemplateId) found.set(t.LaunchTemplateId, tagRecord(t.Tags));
          token = out.NextToken;
        } while (token);
        return found;
      },
      (error) => isNotFound(error) || hasCode(error, 'InvalidLaunchTemplateId.Malformed'),
    );
    const lives = await Promise.all(
      [...templates].map(async ([id, tags]) => {
        const version = tags ? await findLatest(ec2, id) : undefined;
        return [id, version && tags ? fromVersion(version, tags) : undefined] as const;
      }),
    );
    return new Map(lives);
  });
}

/** Whether the latest version's instance/volume tags differ from `tags` (then a new version is needed). */
function versionTagsDiffer(version: LaunchTemplateVersion | undefined, tags: Readonly<Record<string, string>>): boolean {
  const specs = version?.LaunchTemplateData?.TagSpecifications ?? [];
  return ['instance', 'volume'].some((type) => stableJson(tagRecord(specs.find((s) => s.ResourceType === type)?.Tags)) !== stableJson(tags));
}

/**
 * The template's own tags in place; then, when the data or the instance/volume tags differ, a new version
 * holding the desired data, made the default (the Auto Scaling group then refreshes its instances).
 */
async function update(ctx: ResourceContext, live: Live<LaunchTemplateProps>, desired: LaunchTemplateProps): Promise<Live<LaunchTemplateProps>> {
  const id = live.physicalId;
  return guard(ctx, `updating launch template ${id}`, async () => {
    const ec2 = await ctx.aws.ec2();
    const tags = desired.tags ?? ctx.tags;
    if (desired.tags) await syncEc2Tags(ec2, id, live.props.tags, desired.tags);
    const dataChanged = stableJson({ ...normalize(desired), tags: undefined }) !== stableJson({ ...live.props, tags: undefined });
    if (!dataChanged && !versionTagsDiffer(await findLatest(ec2, id), tags)) return { ...live, props: normalize(desired) };
    const data = templateData(desired, tags, await rootDeviceName(ec2, desired.imageId));
    // Same token for a retry of this very update (same base version, same data), so it never makes two
    // versions; a later change back to earlier data starts from another base version, so it gets a new one.
    const token = sha256(`${ctx.clientToken}|${String(live.outputs.latestVersion)}|${stableJson(data)}`).slice(0, 64);
    const out = await ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, ClientToken: token, LaunchTemplateData: data }));
    const version = out.LaunchTemplateVersion?.VersionNumber;
    if (version === undefined) throw new Error('CreateLaunchTemplateVersion returned no version number');
    await ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: String(version) }));
    ctx.log(`launch template ${id}: version ${version} (user data ${sizeOf(desired.userData)})`);
    return {
      physicalId: id,
      props: normalize(desired),
      outputs: { id, name: out.LaunchTemplateVersion?.LaunchTemplateName ?? desired.name, latestVersion: String(version) },
    };
  });
}

async function destroy(ctx: ResourceContext, physicalId: string): Promise<void> {
  await guard(ctx, `deleting launch template ${physicalId}`, async () => {
    try {
      await (await ctx.aws.ec2()).send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: physicalId }));
    } catch (error) {
      if (isNotFoundOf('launch-template', error) || hasCode(error, 'InvalidLaunchTemplateId.Malformed')) return;
      throw error;
    }
  });
}

async function list(ctx: ResourceContext): Promise<Tagged[]> {
  return guard(ctx, 'listing launch templates', async () => {
    const ec2 = await ctx.aws.ec2();
    const found: Tagged[] = [];
    for await (const page of paginateDescribeLaunchTemplates({ client: ec2 }, { Filters: [{ Name: `tag:${TAG_DEPLOYMENT}`, Values: [ctx.deployment] }] })) {
      for (const t of page.LaunchTemplates ?? []) {
        const owned = t.LaunchTemplateId ? ownedItem(ctx.deployment, t.LaunchTemplateId, t.Tags) : undefined;
        if (owned) found.push(owned);
      }
    }
    return found;
  });
}

export function normalize(props: LaunchTemplateProps): LaunchTemplateProps {
  return { ...props, securityGroupIds: canonicalSet(props.securityGroupIds) };
}

/** IAM permissions of the calls above (launch templates; the image look-up supports no resource-level permissions). */
export const iam: IamGrants = [
  forList(anyResource('ec2:DescribeLaunchTemplates', 'ec2:DescribeLaunchTemplateVersions', 'ec2:DescribeImages')),
  created('ec2:launch-template', 'ec2:CreateLaunchTemplate'),
  ec2TagOnCreate('CreateLaunchTemplate'),
  owned('ec2:launch-template', 'ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate', 'ec2:DeleteLaunchTemplate', 'ec2:CreateTags', 'ec2:DeleteTags'),
];

export const handler: ResourceHandler<LaunchTemplateProps> = {
  kind: 'launch-template',
  iam,
  replaceOn: ['name'],
  normalize,
  outputsChangedByUpdate: ['latestVersion'],
  create,
  read,
  readMany,
  update,
  delete: destroy,
  list,
};
