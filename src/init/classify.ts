/**
 * Pure rules the wizard applies to what discovery read: which subnets are public, and whether a load balancer
 * subnet selection spans enough Availability Zones. No AWS calls here (unit-tested on plain data).
 */

import type { TopologyName } from '../config/schema.js';
import { TOPOLOGY_TABLE } from '../topologies/index.js';

/** The parts of an EC2 route table the classifier reads (the SDK's RouteTable fits). */
export interface RouteTableLike {
  RouteTableId?: string;
  VpcId?: string;
  Associations?: { Main?: boolean; SubnetId?: string; AssociationState?: { State?: string } }[];
  Routes?: RouteLike[];
}

/** The targets of a route the egress check reads (the SDK's Route fits). */
export interface RouteLike {
  DestinationCidrBlock?: string;
  GatewayId?: string;
  NatGatewayId?: string;
  InstanceId?: string;
  NetworkInterfaceId?: string;
  TransitGatewayId?: string;
  CoreNetworkArn?: string;
  LocalGatewayId?: string;
  State?: string;
}

export interface SubnetRouting {
  /** Routes 0.0.0.0/0 to an internet gateway. */
  public: boolean;
  /** The route table in effect, when one was found. */
  routeTableId?: string;
  /** False when the subnet has no association of its own and follows the VPC's main route table. */
  explicit: boolean;
}

const associated = (a: { AssociationState?: { State?: string } }) => {
  const state = a.AssociationState?.State;
  return state === undefined || state === 'associated';
};

/**
 * A subnet is public when the route table in effect for it sends 0.0.0.0/0 to an internet gateway (`igw-`).
 * The table in effect is the one explicitly associated with the subnet, else the main table of its VPC.
 * Blackhole routes (a deleted gateway) do not count.
 */
export function classifySubnet(subnet: { SubnetId?: string; VpcId?: string }, routeTables: readonly RouteTableLike[]): SubnetRouting {
  const { table, explicitTable } = tableInEffect(subnet, routeTables);
  const isPublic = Boolean(
    table?.Routes?.some((r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.GatewayId?.startsWith('igw-') && r.State !== 'blackhole'),
  );
  return { public: isPublic, routeTableId: table?.RouteTableId, explicit: explicitTable !== undefined };
}

function tableInEffect(subnet: { SubnetId?: string; VpcId?: string }, routeTables: readonly RouteTableLike[]) {
  const explicitTable = routeTables.find((t) => t.Associations?.some((a) => a.SubnetId === subnet.SubnetId && associated(a)));
  const table =
    explicitTable ?? routeTables.find((t) => (subnet.VpcId === undefined || t.VpcId === subnet.VpcId) && t.Associations?.some((a) => a.Main === true && associated(a)));
  return { table, explicitTable };
}

/**
 * How an instance without a public IPv4 address (the nodes never get one) reaches the internet from a subnet:
 * - `nat`: 0.0.0.0/0 goes to a NAT gateway, or a NAT instance / appliance (an instance or network interface);
 * - `other`: it goes somewhere that may lead out (transit gateway, VPN gateway, Cloud WAN, Outposts gateway);
 * - `igw-only`: it goes to an internet gateway, which passes no traffic for an instance without a public IP;
 * - `none`: no usable 0.0.0.0/0 route.
 */
export type Egress = 'nat' | 'other' | 'igw-only' | 'none';

export function instanceEgress(subnet: { SubnetId?: string; VpcId?: string }, routeTables: readonly RouteTableLike[]): Egress {
  const route = tableInEffect(subnet, routeTables).table?.Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.State !== 'blackhole');
  if (!route) return 'none';
  if (route.NatGatewayId || route.InstanceId || route.NetworkInterfaceId) return 'nat';
  if (route.TransitGatewayId || route.CoreNetworkArn || route.LocalGatewayId || route.GatewayId?.startsWith('vgw-')) return 'other';
  return route.GatewayId?.startsWith('igw-') ? 'igw-only' : 'none';
}

/** Availability Zones a set of subnets spans (unknown ids are ignored). */
export function zonesOf(subnetIds: readonly string[], byId: ReadonlyMap<string, { az: string }>): string[] {
  return [...new Set(subnetIds.map((id) => byId.get(id)?.az).filter((az): az is string => az !== undefined))].sort();
}

/**
 * Why a load balancer subnet selection is unusable, or undefined when it is fine: an Application Load Balancer
 * needs subnets in at least two Availability Zones.
 */
export function loadBalancerSubnetProblem(subnetIds: readonly string[], byId: ReadonlyMap<string, { az: string }>): string | undefined {
  if (subnetIds.length === 0) return 'select at least two subnets, in two different Availability Zones';
  const zones = zonesOf(subnetIds, byId);
  if (zones.length < 2) {
    return `the selection spans only ${zones.length === 1 ? `one Availability Zone (${zones[0]})` : 'no known Availability Zone'}; an Application Load Balancer needs subnets in at least two`;
  }
  return undefined;
}

/** Ports that usually carry TLS: mirrored, their traffic is encrypted and a Wallarm node cannot analyse it. */
export const TLS_PORTS: ReadonlySet<number> = new Set([443, 465, 636, 853, 989, 990, 992, 993, 995, 5061, 6443, 8443, 9443]);

/** A warning when `ports` names TLS ports, else undefined. */
export function tlsPortsWarning(ports: readonly number[]): string | undefined {
  const tls = ports.filter((p) => TLS_PORTS.has(p));
  if (!tls.length) return undefined;
  const list = tls.join(', ');
  return `port${tls.length === 1 ? '' : 's'} ${list} usually carr${tls.length === 1 ? 'ies' : 'y'} TLS: mirrored TLS traffic is encrypted, so the nodes cannot analyse it. Mirror the plain-HTTP side instead (e.g. the instances behind the load balancer that terminates TLS), or drop ${list} from mirror.ports.`;
}

/**
 * Warnings for the subnets the nodes (and rebuilders) run in when, by their route tables, an instance without a
 * public IP cannot reach the internet: the nodes must reach the Wallarm Cloud to register and report.
 */
export function egressWarnings(subnets: readonly { id: string; egress: Egress; routeTableId?: string }[], topology: TopologyName): string[] {
  const { instances, alsoReaches } = TOPOLOGY_TABLE[topology].init.egress;
  const need = `${instances} get no public IP address and must reach the Wallarm Cloud (api.wallarm.com or us1.api.wallarm.com, HTTPS)${alsoReaches ? ` and ${alsoReaches}` : ''}; add a route 0.0.0.0/0 to a NAT gateway in that route table, or choose subnets that have one (--instance-subnets).`;
  const table = (s: { routeTableId?: string }) => (s.routeTableId ? ` (route table ${s.routeTableId})` : '');
  const lines: string[] = [];
  const igw = subnets.filter((s) => s.egress === 'igw-only');
  const none = subnets.filter((s) => s.egress === 'none');
  for (const s of igw) lines.push(`${s.id}${table(s)} routes 0.0.0.0/0 to an internet gateway only, which carries no traffic for instances without a public IP.`);
  for (const s of none) lines.push(`${s.id}${table(s)} has no route to the internet (no 0.0.0.0/0 route to a NAT gateway).`);
  return lines.length ? [`${lines.join(' ')} ${need}`] : [];
}
