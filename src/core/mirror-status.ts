/**
 * What `output` (and `apply`) report about a live vpc-mirror deployment besides its outputs: which receiver
 * analyses the traffic, how many traffic mirror sessions exist against how many interfaces mirror.sources
 * selects right now (an Auto Scaling group that scaled out shows up here before the next apply).
 */
import { paginateDescribeTrafficMirrorSessions } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../aws/clients.js';
import type { LoadedConfig } from '../config/load.js';
import type { MirrorReceiver } from '../config/schema.js';
import type { Outputs } from '../engine/types.js';
import { nativeNodeNlbName } from '../planners/native-node-receiver.js';
import { rebuilderNlbName } from '../planners/vpc-mirror.js';
import { resolveMirrorSources } from './mirror-sources.js';
import { anyResource, type IamGrants } from '../iam/grants.js';

/** IAM permissions of the session count. */
export const iam: IamGrants = [anyResource('ec2:DescribeTrafficMirrorSessions')];

export interface MirrorStatus {
  receiver: MirrorReceiver;
  /** Live sessions on the deployment's mirror target. */
  sessions: number;
  /** Interfaces mirror.sources selects now that can be mirrored. */
  eligible: number;
}

export async function mirrorStatus(loaded: LoadedConfig, aws: AwsClients, outputs: Outputs): Promise<MirrorStatus | undefined> {
  const { config } = loaded;
  if (config.topology !== 'vpc-mirror') return undefined;
  const receiver = config.mirror.receiver;
  const ownNlbName = (receiver === 'native-node' ? nativeNodeNlbName : rebuilderNlbName)(config.deployment);
  const resolution = await resolveMirrorSources(aws, config, { where: (key) => `${loaded.path}: ${key}`, ownNlbName });
  let sessions = 0;
  const target = outputs.mirrorTargetId;
  if (typeof target === 'string') {
    const pages = paginateDescribeTrafficMirrorSessions({ client: await aws.ec2(), pageSize: 1000 }, { Filters: [{ Name: 'traffic-mirror-target-id', Values: [target] }] });
    for await (const page of pages) sessions += page.TrafficMirrorSessions?.length ?? 0;
  }
  return { receiver, sessions, eligible: resolution.eligible.length };
}
