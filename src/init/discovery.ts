/**
 * Read-only look-ups the wizard (and the flag checks) make: VPCs, subnets with their routing, Auto Scaling
 * groups, network interfaces with their instance and mirroring eligibility, SSM parameters. Nothing here writes.
 */
import { DescribeAutoScalingGroupsCommand, type AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import {
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type Instance,
  type NetworkInterface,
  type RouteTable,
  type Subnet,
  type Vpc,
} from '@aws-sdk/client-ec2';
import { DescribeParametersCommand } from '@aws-sdk/client-ssm';
import type { AwsClients } from '../aws/clients.js';
import { eniEligibility, type TypeSupport } from '../topologies/vpc-mirror/sources/eligibility.js';
import { describeMirroringSupport } from '../topologies/vpc-mirror/sources/resolve.js';
import { classifySubnet, instanceEgress, type Egress } from './classify.js';

export interface VpcInfo {
  id: string;
  cidr: string;
  isDefault: boolean;
  name?: string;
}

export interface SubnetInfo {
  id: string;
  vpcId: string;
  az: string;
  cidr: string;
  freeIps: number;
  name?: string;
  public: boolean;
  routeTableId?: string;
  /** How instances without a public IP (the nodes) reach the internet from here. */
  egress: Egress;
}

export interface AsgInfo {
  name: string;
  /** Instances in the group now (any state), and how many are InService. */
  instances: number;
  inService: number;
  desired: number;
}

export interface EniInfo {
  id: string;
  subnetId: string;
  az: string;
  privateIp: string;
  description: string;
  instanceId?: string;
  instanceName?: string;
  instanceType?: string;
  tags: Record<string, string>;
  /** Whether it can be a traffic mirror source; `reason` says why not (or what could not be checked). */
  eligible: boolean;
  reason?: string;
}

export interface ParameterInfo {
  exists: boolean;
  type?: string;
}

const nameTag = (tags: { Key?: string; Value?: string }[] | undefined) => tags?.find((t) => t.Key === 'Name')?.Value;
const tagMap = (tags: { Key?: string; Value?: string }[] | undefined) =>
  Object.fromEntries((tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? '']));

/** The region the SDK resolves (flag, AWS_REGION, profile), or undefined when none is configured. */
export async function profileRegion(aws: AwsClients): Promise<string | undefined> {
  try {
    return await aws.region();
  } catch {
    return undefined;
  }
}

export async function listVpcs(aws: AwsClients): Promise<VpcInfo[]> {
  const ec2 = await aws.ec2();
  const vpcs: Vpc[] = [];
  let token: string | undefined;
  do {
    const out = await ec2.send(new DescribeVpcsCommand({ NextToken: token }));
    vpcs.push(...(out.Vpcs ?? []));
    token = out.NextToken;
  } while (token);
  return vpcs
    .map((v) => ({ id: v.VpcId!, cidr: v.CidrBlock ?? '', isDefault: v.IsDefault ?? false, name: nameTag(v.Tags) }))
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || (a.name ?? '~').localeCompare(b.name ?? '~') || a.id.localeCompare(b.id));
}

/** The VPC's subnets, each classified public or private from the route table in effect for it. */
export async function listSubnets(aws: AwsClients, vpcId: string): Promise<SubnetInfo[]> {
  const ec2 = await aws.ec2();
  const filter = [{ Name: 'vpc-id', Values: [vpcId] }];
  const subnets: Subnet[] = [];
  const tables: RouteTable[] = [];
  let token: string | undefined;
  do {
    const out = await ec2.send(new DescribeSubnetsCommand({ Filters: filter, NextToken: token }));
    subnets.push(...(out.Subnets ?? []));
    token = out.NextToken;
  } while (token);
  do {
    const out = await ec2.send(new DescribeRouteTablesCommand({ Filters: filter, NextToken: token }));
    tables.push(...(out.RouteTables ?? []));
    token = out.NextToken;
  } while (token);
  return subnets
    .map((s) => {
      const routing = classifySubnet(s, tables);
      return {
        id: s.SubnetId!,
        vpcId: s.VpcId ?? vpcId,
        az: s.AvailabilityZone ?? '',
        cidr: s.CidrBlock ?? '',
        freeIps: s.AvailableIpAddressCount ?? 0,
        name: nameTag(s.Tags),
        public: routing.public,
        routeTableId: routing.routeTableId,
        egress: instanceEgress(s, tables),
      };
    })
    .sort((a, b) => Number(a.public) - Number(b.public) || a.az.localeCompare(b.az) || a.cidr.localeCompare(b.cidr, undefined, { numeric: true }));
}

/** Auto Scaling groups with at least one subnet in the VPC, with their instance counts. */
export async function listAutoScalingGroups(aws: AwsClients, vpcSubnetIds: readonly string[]): Promise<AsgInfo[]> {
  const client = await aws.autoscaling();
  const groups: AutoScalingGroup[] = [];
  let token: string | undefined;
  do {
    const out = await client.send(new DescribeAutoScalingGroupsCommand({ NextToken: token, MaxRecords: 100 }));
    groups.push(...(out.AutoScalingGroups ?? []));
    token = out.NextToken;
  } while (token);
  const inVpc = new Set(vpcSubnetIds);
  return groups
    .filter((g) => (g.VPCZoneIdentifier ?? '').split(',').some((s) => inVpc.has(s.trim())))
    .map((g) => ({
      name: g.AutoScalingGroupName!,
      instances: g.Instances?.length ?? 0,
      inService: g.Instances?.filter((i) => i.LifecycleState === 'InService').length ?? 0,
      desired: g.DesiredCapacity ?? 0,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The VPC's network interfaces with the instance they belong to and whether they can be mirrored. */
export async function listNetworkInterfaces(aws: AwsClients, vpcId: string): Promise<EniInfo[]> {
  const ec2 = await aws.ec2();
  const enis: NetworkInterface[] = [];
  let token: string | undefined;
  do {
    const out = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }], NextToken: token }));
    enis.push(...(out.NetworkInterfaces ?? []));
    token = out.NextToken;
  } while (token);
  const instanceIds = [...new Set(enis.map((e) => e.Attachment?.InstanceId).filter((id): id is string => Boolean(id)))];
  const instances = new Map<string, Instance>();
  for (let i = 0; i < instanceIds.length; i += 100) {
    let next: string | undefined;
    do {
      const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: instanceIds.slice(i, i + 100), NextToken: next }));
      for (const r of out.Reservations ?? []) for (const inst of r.Instances ?? []) if (inst.InstanceId) instances.set(inst.InstanceId, inst);
      next = out.NextToken;
    } while (next);
  }
  const support = await mirrorSupport(aws, [...new Set([...instances.values()].map((i) => i.InstanceType as string | undefined).filter((t): t is string => Boolean(t)))]);
  return enis
    .map((e) => {
      const instance = e.Attachment?.InstanceId ? instances.get(e.Attachment.InstanceId) : undefined;
      const verdict = eniEligibility(e, instance?.InstanceType, support);
      return {
        id: e.NetworkInterfaceId!,
        subnetId: e.SubnetId ?? '',
        az: e.AvailabilityZone ?? '',
        privateIp: e.PrivateIpAddress ?? '',
        description: e.Description ?? '',
        instanceId: e.Attachment?.InstanceId,
        instanceName: nameTag(instance?.Tags),
        instanceType: instance?.InstanceType,
        tags: tagMap(e.TagSet),
        ...verdict,
      };
    })
    .sort((a, b) => Number(b.eligible) - Number(a.eligible) || (a.instanceName ?? '~').localeCompare(b.instanceName ?? '~') || a.id.localeCompare(b.id));
}

/** Instance type -> Traffic Mirroring support (undefined: could not be read). Rules: src/topologies/vpc-mirror/sources/eligibility.ts. */
async function mirrorSupport(aws: AwsClients, types: string[]): Promise<Map<string, TypeSupport> | undefined> {
  try {
    return await describeMirroringSupport(aws, types);
  } catch {
    // Eligibility is advice shown in a list: without ec2:DescribeInstanceTypes the list still works, marked unchecked.
    return undefined;
  }
}

/** Whether an SSM parameter exists (DescribeParameters: never reads its value). */
export async function describeParameter(aws: AwsClients, name: string): Promise<ParameterInfo> {
  const ssm = await aws.ssm();
  const out = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }] }));
  const found = out.Parameters?.[0];
  return found ? { exists: true, type: found.Type } : { exists: false };
}
