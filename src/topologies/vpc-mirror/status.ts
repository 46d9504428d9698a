/**
 * What `output` (and `apply`) report about a live vpc-mirror deployment besides its outputs: which receiver
 * analyses the traffic, how many traffic mirror sessions exist against how many interfaces mirror.sources
 * selects right now (an Auto Scaling group that scaled out shows up here before the next apply).
 */
import { paginateDescribeTrafficMirrorSessions } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../aws/clients.js';
import type { LoadedConfig } from '../../config/load.js';
import type { VpcMirrorConfig } from '../../config/schema.js';
import type { Outputs } from '../../engine/types.js';
import type { MirrorStatus } from '../types.js';
import { followerStatus } from './follower/last-run.js';
import { receiverOf } from './receivers/index.js';
import { resolveMirrorSources } from './sources/resolve.js';
import { anyResource, type IamGrants } from '../../iam/grants.js';

/** IAM permissions of the session count (source resolution: sources/resolve.ts). */
export const iam: IamGrants = [anyResource('ec2:DescribeTrafficMirrorSessions')];

export async function mirrorStatus(loaded: LoadedConfig, config: VpcMirrorConfig, aws: AwsClients, outputs: Outputs): Promise<MirrorStatus> {
  const receiver = receiverOf(config);
  const resolution = await resolveMirrorSources(aws, config, { where: (key) => `${loaded.path}: ${key}`, ownNlbName: receiver.nlbName(config.deployment) });
  let sessions = 0;
  const target = outputs.mirrorTargetId;
  if (typeof target === 'string') {
    const pages = paginateDescribeTrafficMirrorSessions({ client: await aws.ec2(), pageSize: 1000 }, { Filters: [{ Name: 'traffic-mirror-target-id', Values: [target] }] });
    for await (const page of pages) sessions += page.TrafficMirrorSessions?.length ?? 0;
  }
  const follower = config.mirror.follow ? await followerStatus(aws, config.deployment) : undefined;
  return { receiver: receiver.name, sessions, eligible: resolution.eligible.length, ...(follower && { follower }) };
}
