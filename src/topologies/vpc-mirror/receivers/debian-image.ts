import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../../aws/clients.js';
import { ResolveError } from '../../../errors.js';

import { DEBIAN_AMI_OWNER, DEBIAN_AMI_PATTERN } from './debian-constants.js';

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

