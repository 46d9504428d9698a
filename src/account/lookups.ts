import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DescribeRouteTablesCommand, DescribeSubnetsCommand, DescribeVpcsCommand, type EC2Client, type Subnet } from '@aws-sdk/client-ec2';
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

/** Checks the VPC and subnets (errors: apply could not succeed); returns the VPC's IPv4 CIDR blocks and warnings (routes to the internet). */
export async function checkNetwork(loaded: LoadedConfig, aws: AwsClients): Promise<{ vpcCidrs: string[]; warnings: string[] }> {
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
  const zoneOf = (id: string) => byId.get(id)?.AvailabilityZone ?? '?';
  const zones = new Set(config.subnets.loadBalancer.map(zoneOf));
  if (zones.size < 2) {
    throw new ResolveError('ONE_AZ', `${where(loaded, 'subnets.loadBalancer')}: all subnets are in ${[...zones].join(', ')}; an Application Load Balancer needs subnets in at least two Availability Zones.`, {
      actions: ['Add a subnet of another Availability Zone to subnets.loadBalancer.'],
    });
  }
  // ELB accepts one subnet per Availability Zone (CreateLoadBalancer fails otherwise).
  const seen = new Map<string, string>();
  for (const id of config.subnets.loadBalancer) {
    const zone = zoneOf(id);
    const first = seen.get(zone);
    if (first) {
      throw new ResolveError('SAME_AZ', `${where(loaded, 'subnets.loadBalancer')}: subnets ${first} and ${id} are both in ${zone}; a load balancer takes one subnet per Availability Zone.`, {
        actions: [`Keep one of ${first} and ${id} in subnets.loadBalancer.`],
      });
    }
    seen.set(zone, id);
  }
  // Targets in a zone the load balancer is not enabled in stay "unused": apply would wait for health in vain.
  const uncovered = config.subnets.instances.filter((id) => !zones.has(zoneOf(id)));
  if (uncovered.length > 0) {
    throw new ResolveError(
      'AZ_NOT_COVERED',
      `${where(loaded, 'subnets.instances')}: ${uncovered.map((id) => `${id} (${zoneOf(id)})`).join(', ')} ${uncovered.length === 1 ? 'is in an Availability Zone' : 'are in Availability Zones'} the load balancer does not cover (${[...zones].sort().join(', ')}): its targets there would never receive traffic or pass health checks.`,
      { actions: ['Add a subnet of that Availability Zone to subnets.loadBalancer, or use instance subnets of the covered zones.'] },
    );
  }
  return { vpcCidrs, warnings: await internetRouteWarnings(loaded, ec2) };
}

/**
 * The nodes download their configuration from the Wallarm Cloud and send it what they detect: an instance
 * subnet whose route table has no default route through a NAT gateway, an internet gateway or a transit
 * gateway (or a peering/appliance route) leaves them unable to. A warning, not an error: a proxy or a
 * route added later may serve.
 */
export async function internetRouteWarnings(loaded: LoadedConfig, ec2: EC2Client): Promise<string[]> {
  const { config } = loaded;
  // Documented filters of DescribeRouteTables: vpc-id, association.subnet-id, association.main.
  const tables = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [config.vpcId] }] }))).RouteTables ?? [];
  const tableOf = (subnetId: string) =>
    tables.find((t) => t.Associations?.some((a) => a.SubnetId === subnetId)) ?? tables.find((t) => t.Associations?.some((a) => a.Main));
  const warnings: string[] = [];
  for (const id of config.subnets.instances) {
    const table = tableOf(id);
    const outbound = table?.Routes?.some(
      (r) =>
        (r.DestinationCidrBlock === '0.0.0.0/0' || r.DestinationPrefixListId !== undefined) &&
        r.State !== 'blackhole' &&
        Boolean(r.NatGatewayId || (r.GatewayId && r.GatewayId.startsWith('igw-')) || r.TransitGatewayId || r.InstanceId || r.NetworkInterfaceId || r.VpcPeeringConnectionId),
    );
    if (!outbound) {
      warnings.push(
        `${where(loaded, 'subnets.instances')}: subnet ${id} (route table ${table?.RouteTableId ?? 'none'}) has no default route to the internet (NAT gateway, internet gateway or transit gateway): the nodes there cannot reach the Wallarm Cloud unless a proxy serves them.`,
      );
    }
  }
  return warnings;
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
