import { DescribeImagesCommand, type Image } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../aws/clients.js';
import { errorCode } from '../aws/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { ResolveError } from '../errors.js';
import type { ResolvedNode } from '../topologies/types.js';
import {
  amiNamePattern,
  compareAmiVersions,
  formatAmiVersion,
  lineOfVersion,
  parseAmiName,
  parseNodeVersion,
  requestedLine,
  supportedLines,
  type AmiVersion,
  type NodeLine,
} from '../wallarm/node-versions.js';
import { WALLARM_AMI_OWNER } from './names.js';

const MARKETPLACE_PAGE = 'https://aws.amazon.com/marketplace/pp/prodview-5rl4dgi4wvbfe';

/** The AMI and node line to deploy: nodes.amiId, or the newest Wallarm AMI matching wallarm.nodeVersion. */
export async function findNodeImage(loaded: LoadedConfig, aws: AwsClients, region: string, now = new Date()): Promise<{ imageId: string; node: ResolvedNode }> {
  const { config } = loaded;
  const request = parseNodeVersion(config.wallarm.nodeVersion);
  if (!request) throw new Error(`wallarm.nodeVersion ${config.wallarm.nodeVersion} passed the schema but does not parse`);
  const ec2 = await aws.ec2();
  if (config.nodes.amiId) {
    const out = await ec2.send(new DescribeImagesCommand({ ImageIds: [config.nodes.amiId] })).catch((cause) => {
      if (errorCode(cause) === 'InvalidAMIID.NotFound' || errorCode(cause) === 'InvalidAMIID.Unavailable') return { Images: [] };
      throw cause;
    });
    const image = out.Images?.[0];
    if (!image) {
      throw new ResolveError('AMI_NOT_FOUND', `${loaded.path}: nodes.amiId: image ${config.nodes.amiId} does not exist or is not available to this account in this region.`, {
        actions: ['AMIs are regional: copy it to this region, or remove nodes.amiId to use the newest Wallarm image.'],
      });
    }
    // A Wallarm image name tells the line (and so how to configure it); another name keeps wallarm.nodeVersion's line.
    const parsed = image.Name ? parseAmiName(image.Name) : undefined;
    const line = (parsed && lineOfVersion(parsed)) ?? requestedLine(request, now);
    return { imageId: config.nodes.amiId, node: { line, version: parsed ? formatAmiVersion(parsed) : line.id, imageName: image.Name } };
  }

  const candidates: { line: NodeLine; minor?: number }[] =
    request.kind === 'latest' ? supportedLines(now).map((line) => ({ line })) : [{ line: request.line, minor: request.kind === 'minor' ? request.minor : undefined }];
  for (const { line, minor } of candidates) {
    const found = await newestImage(aws, line, minor);
    if (found) return { imageId: found.image.ImageId!, node: { line, version: formatAmiVersion(found.version), imageName: found.image.Name } };
  }
  const patterns = candidates.map(({ line, minor }) => amiNamePattern(line, minor)).join(' or ');
  throw new ResolveError(
    'NO_NODE_IMAGE',
    `${loaded.path}: wallarm.nodeVersion: no Wallarm node image named ${patterns} (owner ${WALLARM_AMI_OWNER}, x86_64) is available in ${region}.`,
    {
      actions: [
        `Subscribe this account to the Wallarm NGINX node on AWS Marketplace (${MARKETPLACE_PAGE}), and check the version is published in ${region}.`,
        'Or pin another version (wallarm.nodeVersion, e.g. "6.x"), or set nodes.amiId to an image id.',
      ],
    },
  );
}

async function newestImage(aws: AwsClients, line: NodeLine, minor: number | undefined): Promise<{ image: Image; version: AmiVersion } | undefined> {
  const ec2 = await aws.ec2();
  const out = await ec2.send(
    new DescribeImagesCommand({
      Owners: [WALLARM_AMI_OWNER],
      Filters: [
        { Name: 'name', Values: [amiNamePattern(line, minor)] },
        { Name: 'architecture', Values: ['x86_64'] },
        { Name: 'virtualization-type', Values: ['hvm'] },
        { Name: 'state', Values: ['available'] },
      ],
    }),
  );
  // The name filter is a glob: keep only names of this line (wallarm-node-7-* would not match 7x, but be strict).
  const versions = (out.Images ?? []).flatMap((image) => {
    const version = image.Name ? parseAmiName(image.Name) : undefined;
    return image.ImageId && version && lineOfVersion(version) === line && (minor === undefined || version.minor === minor) ? [{ image, version }] : [];
  });
  return versions.sort((a, b) => compareAmiVersions(a.version, b.version) || (b.image.CreationDate ?? '').localeCompare(a.image.CreationDate ?? ''))[0];
}
