import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeNetworkInterfacesCommand } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../aws/clients.js';
import { awsMessage, errorCode } from '../../aws/errors.js';
import type { LoadedConfig } from '../../config/load.js';
import type { VpcMirrorConfig } from '../../config/schema.js';
import type { CheckResult } from '../types.js';

/** vpc-mirror: every named source exists (Auto Scaling groups, interface ids in the VPC, tags matching something). */
export async function mirrorSourcesCheck(loaded: LoadedConfig, config: VpcMirrorConfig, aws: AwsClients): Promise<CheckResult> {
  const title = 'Mirror sources exist';
  const found: string[] = [];
  const problems: string[] = [];
  try {
    const ec2 = await aws.ec2();
    for (const source of config.mirror.sources) {
      if ('autoScalingGroup' in source) {
        const out = await (await aws.autoscaling()).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [source.autoScalingGroup] }));
        const group = out.AutoScalingGroups?.[0];
        if (!group) problems.push(`Auto Scaling group ${source.autoScalingGroup} does not exist`);
        else found.push(`${source.autoScalingGroup} (${group.Instances?.length ?? 0} instances)`);
      } else if ('networkInterfaceIds' in source) {
        const out = await ec2
          .send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'network-interface-id', Values: source.networkInterfaceIds }] }))
          .then((o) => o.NetworkInterfaces ?? []);
        for (const id of source.networkInterfaceIds) {
          const eni = out.find((e) => e.NetworkInterfaceId === id);
          if (!eni) problems.push(`network interface ${id} does not exist`);
          else if (eni.VpcId !== config.vpcId) problems.push(`network interface ${id} is in ${eni.VpcId}, not in ${config.vpcId}`);
          else found.push(id);
        }
      } else if ('tags' in source) {
        const filters = [{ Name: 'vpc-id', Values: [config.vpcId] }, ...Object.entries(source.tags).map(([k, v]) => ({ Name: `tag:${k}`, Values: [v] }))];
        const count = (await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: filters }))).NetworkInterfaces?.length ?? 0;
        const text = Object.entries(source.tags).map(([k, v]) => `${k}=${v}`).join(',');
        if (count === 0) problems.push(`no network interface in ${config.vpcId} carries the tags ${text} (yet)`);
        else found.push(`tags ${text} (${count} interfaces)`);
      }
    }
  } catch (error) {
    return { id: 'mirror-sources', title, status: 'failed', detail: awsMessage(error), code: errorCode(error) };
  }
  if (problems.length) {
    return {
      id: 'mirror-sources',
      title,
      status: 'failed',
      detail: `${loaded.path}: mirror.sources: ${problems.join('; ')}`,
      code: 'MIRROR_SOURCE_NOT_FOUND',
      actions: ['Fix mirror.sources, or let `wallarm-oob init` list what the VPC holds.'],
    };
  }
  return { id: 'mirror-sources', title, status: 'ok', detail: found.join(', ') };
}
