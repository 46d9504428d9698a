import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DescribeSubnetsCommand, DescribeVpcsCommand, type Subnet } from '@aws-sdk/client-ec2';
import { DescribeParametersCommand } from '@aws-sdk/client-ssm';
import type { AwsClients } from '../aws/clients.js';
import { awsMessage, errorCode } from '../aws/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { ResolveError, WallarmOobError } from '../errors.js';

export { parameterArn, WALLARM_AMI_OWNER } from './names.js';

/**
 * Read-only look-ups against the account that check what the schema cannot: who we are, the VPC and subnets
 * exist and fit together, the token parameter exists (the node AMI: node-image.ts). Each fails with a ResolveError whose
 * code `validate` maps to its check. Used by the topologies' input resolution.
 */
export async function callerIdentity(aws: AwsClients): Promise<{ account: string; arn: string }> {
  try {
    const sts = await aws.sts();
    const out = await sts.send(new GetCallerIdentityCommand({}));
    return { account: out.Account ?? '', arn: out.Arn ?? 'arn:aws:iam::unknown' };
  } catch (cause) {
    if (cause instanceof WallarmOobError) throw cause;
    const code = errorCode(cause);
    const noCredentials = code === 'CredentialsProviderError' || /credential/i.test(String((cause as Error)?.message));
    throw new ResolveError(
      noCredentials ? 'NO_CREDENTIALS' : 'IDENTITY_FAILED',
      noCredentials ? 'No AWS credentials were found.' : `Could not identify the AWS account: ${awsMessage(cause)}`,
      {
        cause,
        actions: [
          'Configure credentials the usual way (AWS_PROFILE / --profile, environment variables, SSO, instance role).',
          'Or look at what would be built without an account: wallarm-oob plan --offline',
        ],
      },
    );
  }
}

/** Checks the VPC and subnets; returns the VPC's IPv4 CIDR blocks. */
export async function checkNetwork(loaded: LoadedConfig, aws: AwsClients): Promise<string[]> {
  const { config } = loaded;
  const ec2 = await aws.ec2();
  let vpcCidrs: string[];
  try {
    const vpc = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [config.vpcId] }))).Vpcs?.[0];
    vpcCidrs = (vpc?.CidrBlockAssociationSet ?? [])
      .filter((a) => a.CidrBlockState?.State === 'associated' && a.CidrBlock)
      .map((a) => a.CidrBlock!);
    if (vpcCidrs.length === 0 && vpc?.CidrBlock) vpcCidrs = [vpc.CidrBlock];
  } catch (cause) {
    if (errorCode(cause) === 'InvalidVpcID.NotFound') {
      throw new ResolveError('VPC_NOT_FOUND', `${where(loaded, 'vpcId')}: VPC ${config.vpcId} does not exist in this account and region.`, {
        actions: ['Check the region (--region or `region:`) and the id: aws ec2 describe-vpcs', 'Or let `wallarm-oob init` pick one.'],
      });
    }
    throw cause;
  }
  const ids = [...new Set([...config.subnets.loadBalancer, ...config.subnets.instances])];
  let subnets: Subnet[];
  try {
    subnets = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: ids }))).Subnets ?? [];
  } catch (cause) {
    if (errorCode(cause) === 'InvalidSubnetID.NotFound') {
      const missing = /'([^']+)'/.exec(String((cause as Error).message))?.[1];
      throw new ResolveError('SUBNET_NOT_FOUND', `${where(loaded, 'subnets')}: subnet ${missing ?? ids.join(', ')} does not exist in this account and region.`, {
        actions: [`List the VPC's subnets: aws ec2 describe-subnets --filters Name=vpc-id,Values=${config.vpcId}`],
      });
    }
    throw cause;
  }
  const byId = new Map(subnets.map((s) => [s.SubnetId!, s]));
  for (const [key, list] of [['subnets.loadBalancer', config.subnets.loadBalancer], ['subnets.instances', config.subnets.instances]] as const) {
    for (const id of list) {
      const subnet = byId.get(id);
      if (!subnet) throw new ResolveError('SUBNET_NOT_FOUND', `${where(loaded, key)}: subnet ${id} does not exist in this account and region.`);
      if (subnet.VpcId !== config.vpcId) {
        throw new ResolveError('SUBNET_OUTSIDE_VPC', `${where(loaded, key)}: subnet ${id} belongs to ${subnet.VpcId}, not to vpcId ${config.vpcId}.`, {
          actions: ['Use subnets of the configured VPC, or change vpcId.'],
        });
      }
    }
  }
  const zones = new Set(config.subnets.loadBalancer.map((id) => byId.get(id)?.AvailabilityZone));
  if (zones.size < 2) {
    throw new ResolveError('ONE_AZ', `${where(loaded, 'subnets.loadBalancer')}: all subnets are in ${[...zones].join(', ')}; an Application Load Balancer needs subnets in at least two Availability Zones.`, {
      actions: ['Add a subnet of another Availability Zone to subnets.loadBalancer.'],
    });
  }
  return vpcCidrs;
}

export interface TokenParameterInfo {
  exists: boolean;
  type?: string;
  keyId?: string;
}

export async function describeTokenParameter(name: string, aws: AwsClients): Promise<TokenParameterInfo> {
  const ssm = await aws.ssm();
  const out = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }] }));
  const found = out.Parameters?.[0];
  return found ? { exists: true, type: found.Type, keyId: found.KeyId } : { exists: false };
}

export function where(loaded: LoadedConfig, key: string): string {
  return `${loaded.path}: ${key}`;
}
