/**
 * Pure rules the wizard applies to what discovery read: which subnets are public, and whether a load balancer
 * subnet selection spans enough Availability Zones. No AWS calls here (unit-tested on plain data).
 */

/** The parts of an EC2 route table the classifier reads (the SDK's RouteTable fits). */
export interface RouteTableLike {
  RouteTableId?: string;
  VpcId?: string;
  Associations?: { Main?: boolean; SubnetId?: string; AssociationState?: { State?: string } }[];
  Routes?: { DestinationCidrBlock?: string; GatewayId?: string; State?: string }[];
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
  const explicitTable = routeTables.find((t) => t.Associations?.some((a) => a.SubnetId === subnet.SubnetId && associated(a)));
  const table =
    explicitTable ?? routeTables.find((t) => (subnet.VpcId === undefined || t.VpcId === subnet.VpcId) && t.Associations?.some((a) => a.Main === true && associated(a)));
  const isPublic = Boolean(
    table?.Routes?.some((r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.GatewayId?.startsWith('igw-') && r.State !== 'blackhole'),
  );
  return { public: isPublic, routeTableId: table?.RouteTableId, explicit: explicitTable !== undefined };
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
