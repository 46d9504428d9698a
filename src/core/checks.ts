/**
 * The account checks of `validate`, one result per check, without planning. The checks themselves are
 * resolve.ts's (run through resolveInputs, which stops at the first failure): this file only maps its coded
 * errors to checks, then adds what resolve does not look at yet (vpc-mirror sources).
 */
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeNetworkInterfacesCommand } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../aws/clients.js';
import { awsMessage, errorCode } from '../aws/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { isUnknown } from '../engine/types.js';
import { WallarmOobError } from '../errors.js';

/** `warning`: passes, but the user should act (e.g. a node line past its end of support). */
export type CheckStatus = 'ok' | 'failed' | 'skipped' | 'warning';

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found (ok), what is wrong (failed) or why it did not run (skipped). */
  detail?: string;
  code?: string;
  actions?: string[];
}

/** resolveInputs' checks in the order it runs them, with the error codes each can fail with. */
const RESOLVE_CHECKS = [
  { id: 'credentials', title: 'AWS credentials', codes: ['NO_CREDENTIALS', 'IDENTITY_FAILED'] },
  { id: 'vpc', title: 'VPC exists', codes: ['VPC_NOT_FOUND'] },
  { id: 'subnets', title: 'Subnets belong to the VPC; load balancer subnets span two Availability Zones', codes: ['SUBNET_NOT_FOUND', 'SUBNET_OUTSIDE_VPC', 'ONE_AZ', 'SAME_AZ', 'AZ_NOT_COVERED'] },
  { id: 'image', title: 'Wallarm node image available', codes: ['AMI_NOT_FOUND', 'NO_NODE_IMAGE'] },
  { id: 'token', title: 'Node token parameter', codes: ['TOKEN_PARAMETER_MISSING'] },
  // vpc-mirror: resolveInputs also resolves the sources and the rebuilder image; on success mirrorSourcesCheck reports them.
  { id: 'mirror-sources', title: 'Mirror sources exist', codes: ['MIRROR_SOURCE_NOT_FOUND', 'NO_REBUILDER_IMAGE'] },
] as const;

export async function accountChecks(loaded: LoadedConfig, aws: AwsClients): Promise<CheckResult[]> {
  const { config } = loaded;
  const { resolveInputs } = await import('./resolve.js');
  const results: CheckResult[] = [];
  try {
    const resolved = await resolveInputs(loaded, aws, { installerChecksum: false });
    const details: Record<string, string> = {
      credentials: `account ${resolved.account ?? 'unknown'}, region ${resolved.inputs.region}`,
      vpc: config.vpcId,
      subnets: [...new Set([...config.subnets.loadBalancer, ...config.subnets.instances])].join(', '),
      image: typeof resolved.inputs.nodeImageId === 'string'
        ? `${resolved.inputs.node.imageName ?? 'found'} (${resolved.inputs.nodeImageId}), node ${resolved.inputs.node.version}`
        : isUnknown(resolved.inputs.nodeImageId)
          ? `not needed: ${resolved.inputs.nodeImageId.$unknown}`
          : 'found',
      token: resolved.tokenParameterMissing
        ? `${config.wallarm.tokenParameter} does not exist yet; apply stores WALLARM_NODE_TOKEN there`
        : `${config.wallarm.tokenParameter} exists`,
    };
    for (const c of RESOLVE_CHECKS) if (c.id !== 'mirror-sources') results.push({ id: c.id, title: c.title, status: 'ok', detail: details[c.id] });
    const { nodeLaunchChecks } = await import('./node-checks.js');
    results.push(...(await nodeLaunchChecks(loaded, aws)));
  } catch (error) {
    const code = error instanceof WallarmOobError ? error.code : undefined;
    const at = RESOLVE_CHECKS.findIndex((c) => (c.codes as readonly string[]).includes(code ?? ''));
    const failed: CheckResult = {
      id: at >= 0 ? RESOLVE_CHECKS[at]!.id : 'account',
      title: at >= 0 ? RESOLVE_CHECKS[at]!.title : 'Account look-ups',
      status: 'failed',
      detail: error instanceof WallarmOobError ? error.message : awsMessage(error),
      code: code ?? errorCode(error),
      actions: error instanceof WallarmOobError ? error.actions : [],
    };
    RESOLVE_CHECKS.forEach((c, i) => {
      if (i === at) results.push(failed);
      else if (c.id === 'mirror-sources') return;
      else if (at >= 0 && i < at) results.push({ id: c.id, title: c.title, status: 'ok' });
      else results.push({ id: c.id, title: c.title, status: 'skipped', detail: 'not checked: fix the failure above first' });
    });
    if (at < 0) results.unshift(failed);
    if (at === 0 || at < 0 || failed.id === 'mirror-sources') return results;
  }
  if (config.topology === 'vpc-mirror') results.push(await mirrorSourcesCheck(loaded, aws));
  return results;
}

/** vpc-mirror: every named source exists (Auto Scaling groups, interface ids in the VPC, tags matching something). */
async function mirrorSourcesCheck(loaded: LoadedConfig, aws: AwsClients): Promise<CheckResult> {
  const { config } = loaded;
  const title = 'Mirror sources exist';
  if (config.topology !== 'vpc-mirror') return { id: 'mirror-sources', title, status: 'skipped' };
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
