/**
 * What `output`, `apply` and `status` report about a live vpc-mirror deployment besides its outputs: which
 * receiver analyses the traffic, the traffic mirror sessions on the deployment's target against the interfaces
 * mirror.sources selects right now (an Auto Scaling group that scaled out shows up here before the next apply),
 * which eligible interfaces have no session, and which sessions mirror an interface that is gone or no longer
 * selected.
 */
import { DescribeNetworkInterfacesCommand, paginateDescribeTrafficMirrorSessions } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../aws/clients.js';
import { EC2_FILTER_VALUES_MAX } from '../../aws/limits.js';
import type { LoadedConfig } from '../../config/load.js';
import type { VpcMirrorConfig } from '../../config/schema.js';
import type { Outputs } from '../../engine/types.js';
import { chunks } from '../../resources/util.js';
import type { MirrorStatus, StaleSession } from '../types.js';
import { followerStatus } from './follower/last-run.js';
import { receiverOf } from './receivers/index.js';
import { resolveMirrorSources } from './sources/resolve.js';
import { anyResource, type IamGrants } from '../../iam/grants.js';

/** IAM permissions of the session count (source resolution: sources/resolve.ts). */
export const iam: IamGrants = [anyResource('ec2:DescribeTrafficMirrorSessions', 'ec2:DescribeTrafficMirrorTargets')];

export async function mirrorStatus(loaded: LoadedConfig, config: VpcMirrorConfig, aws: AwsClients, outputs: Outputs): Promise<MirrorStatus> {
  const receiver = receiverOf(config);
  const resolution = await resolveMirrorSources(aws, config, { where: (key) => `${loaded.path}: ${key}`, ownNlbName: receiver.nlbName(config.deployment) });
  const bySession = new Map<string, string>();
  const target = outputs.mirrorTargetId;
  const ec2 = await aws.ec2();
  if (typeof target === 'string') {
    const pages = paginateDescribeTrafficMirrorSessions({ client: ec2, pageSize: 1000 }, { Filters: [{ Name: 'traffic-mirror-target-id', Values: [target] }] });
    for await (const page of pages) for (const s of page.TrafficMirrorSessions ?? []) bySession.set(s.TrafficMirrorSessionId ?? '', s.NetworkInterfaceId ?? '');
  }
  const eligible = new Set(resolution.eligible);
  const mirrored = new Set(bySession.values());
  const missing = resolution.eligible.filter((eni) => !mirrored.has(eni));
  const unselected = [...bySession].filter(([, eni]) => !eligible.has(eni));
  const existing = new Set<string>();
  for (const batch of chunks([...new Set(unselected.map(([, eni]) => eni))], EC2_FILTER_VALUES_MAX)) {
    // By filter, not by id: an id that does not exist is then simply absent instead of failing the whole call.
    let token: string | undefined;
    do {
      const page = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'network-interface-id', Values: batch }], MaxResults: 1000, NextToken: token }));
      for (const e of page.NetworkInterfaces ?? []) if (e.NetworkInterfaceId) existing.add(e.NetworkInterfaceId);
      token = page.NextToken;
    } while (token);
  }
  const stale = unselected
    .map(([sessionId, eni]): StaleSession => ({ sessionId, networkInterfaceId: eni, reason: existing.has(eni) ? 'not-selected' : 'gone' }))
    .sort((a, b) => a.networkInterfaceId.localeCompare(b.networkInterfaceId) || a.sessionId.localeCompare(b.sessionId));
  const follower = config.mirror.follow ? await followerStatus(aws, config.deployment) : undefined;
  return { receiver: receiver.name, sessions: bySession.size, eligible: resolution.eligible.length, missing, stale, ...(follower && { follower }) };
}
