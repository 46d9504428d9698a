/**
 * vpc-mirror inputs from the account: the receiver image and the resolved mirror sources, plus the notes to show
 * with the plan. (The source resolution itself, mirror-sources.ts, is also bundled into the follower function, so
 * it imports nothing of the planners' renderers.)
 */
import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../aws/clients.js';
import type { LoadedConfig } from '../config/load.js';
import { ResolveError } from '../errors.js';
import type { MirrorInputs } from '../planners/inputs.js';
import { mirrorNotes, receiverUserData } from './inputs.js';
import { resolveMirrorSources } from './mirror-sources.js';

/** Debian's official AMI publisher, and the rebuilder image name pattern. */
export const DEBIAN_AMI_OWNER = '136693071363';
export const DEBIAN_AMI_PATTERN = 'debian-12-amd64-*';

/** Newest Debian 12 amd64 image published by Debian in this region. */
export async function findDebianImage(aws: AwsClients, where: string): Promise<string> {
  const ec2 = await aws.ec2();
  const out = await ec2.send(
    new DescribeImagesCommand({
      Owners: [DEBIAN_AMI_OWNER],
      Filters: [
        { Name: 'name', Values: [DEBIAN_AMI_PATTERN] },
        { Name: 'architecture', Values: ['x86_64'] },
        { Name: 'state', Values: ['available'] },
      ],
    }),
  );
  const newest = [...(out.Images ?? [])].sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''))[0];
  if (!newest?.ImageId) {
    throw new ResolveError('NO_REBUILDER_IMAGE', `${where}: no Debian 12 image named ${DEBIAN_AMI_PATTERN} (owner ${DEBIAN_AMI_OWNER}) is available in this region for the receiver instances (native nodes or rebuilders).`, {
      actions: ['Check the region; Debian publishes its AMIs in every commercial region: https://wiki.debian.org/Cloud/AmazonEC2Image'],
    });
  }
  return newest.ImageId;
}

/** Everything vpc-mirror needs from the account, plus the notes to show with the plan. */
export async function resolveMirrorInputs(
  loaded: LoadedConfig,
  aws: AwsClients,
  ownNlbName: string,
  mirroredEnis?: ReadonlySet<string>,
  nativeNodeUserData?: MirrorInputs['nativeNodeUserData'],
): Promise<{ mirror: MirrorInputs; notes: string[] }> {
  const { config } = loaded;
  if (config.topology !== 'vpc-mirror') throw new Error('resolveMirrorInputs: not a vpc-mirror config');
  const where = (key: string) => `${loaded.path}: ${key}`;
  const debianImageId = await findDebianImage(aws, where('rebuilder'));
  const resolution = await resolveMirrorSources(aws, config, { where, ownNlbName, mirroredEnis });
  const mirror: MirrorInputs = {
    debianImageId,
    vpcCidrs: resolution.vpcCidrs,
    eligibleEnis: resolution.eligible,
    sources: resolution.sources,
    ...receiverUserData(config, nativeNodeUserData),
  };
  return { mirror, notes: mirrorNotes(config, resolution) };
}

