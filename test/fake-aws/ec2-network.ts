/** EC2 networks as the tool finds them: VPCs, subnets (and their addresses), route tables, internet gateways, AZs. */
import type * as E from '@aws-sdk/client-ec2';
import { ec2Arn } from './ec2-common.js';
import { awsError } from './errors.js';
import type { World } from './world.js';
import { applyEc2Filters, cidrSize, intToIp, paginate, parseCidr, tagList, type Tags } from './util.js';

type Out<T> = Omit<T, '$metadata'>;

export interface VpcRec {
  id: string;
  cidr: string;
  isDefault: boolean;
  tags: Tags;
}
export interface SubnetRec {
  id: string;
  vpcId: string;
  az: string;
  azId: string;
  cidr: string;
  mapPublicIp: boolean;
  tags: Tags;
  nextIp: number;
}
export interface RouteTableRec {
  id: string;
  vpcId: string;
  main: boolean;
  subnetIds: string[];
  /** `gatewayId` (local, igw-, vgw-) or `natGatewayId`: one target per route, like AWS. */
  routes: { destination: string; gatewayId?: string; natGatewayId?: string }[];
  tags: Tags;
}
export interface InternetGatewayRec {
  id: string;
  vpcId: string;
  tags: Tags;
}

/** VPCs, subnets, route tables and internet gateways: seeded by tests, only described by the tool. */
export class NetworkModel {
  readonly vpcs = new Map<string, VpcRec>();
  readonly subnets = new Map<string, SubnetRec>();
  readonly routeTables = new Map<string, RouteTableRec>();
  readonly internetGateways = new Map<string, InternetGatewayRec>();

  constructor(private readonly w: World) {}

  subnet(id: string): SubnetRec {
    const s = this.subnets.get(id);
    if (!s) throw awsError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
    return s;
  }

  defaultVpc(): VpcRec | undefined {
    return [...this.vpcs.values()].find((v) => v.isDefault);
  }

  /** The next free private address of a subnet. */
  takeIp(subnet: SubnetRec): string {
    const c = parseCidr(subnet.cidr);
    if (!c) throw new Error(`bad subnet cidr ${subnet.cidr}`);
    const ip = intToIp(c.base + 4 + subnet.nextIp);
    subnet.nextIp++;
    return ip;
  }

  /** AZs of the region: those of the seeded subnets, else <region>a-c. */
  zones(): string[] {
    const seen = [...new Set([...this.subnets.values()].map((s) => s.az))].sort();
    return seen.length ? seen : ['a', 'b', 'c'].map((x) => `${this.w.region}${x}`);
  }

  // ------------------------------------------------------------------ seeding

  /** A VPC with its `default` security group and its main route table, as AWS creates them. */
  addVpc(o: { cidr?: string; isDefault?: boolean; tags?: Record<string, string> } = {}): VpcRec {
    const v: VpcRec = { id: this.w.ids.ec2('vpc'), cidr: o.cidr ?? '10.0.0.0/16', isDefault: o.isDefault ?? false, tags: new Map(Object.entries(o.tags ?? {})) };
    this.vpcs.set(v.id, v);
    this.w.ec2.groups.addDefaultGroup(v.id);
    const rt: RouteTableRec = { id: this.w.ids.ec2('rtb'), vpcId: v.id, main: true, subnetIds: [], routes: [{ destination: v.cidr, gatewayId: 'local' }], tags: new Map() };
    this.routeTables.set(rt.id, rt);
    return v;
  }

  addSubnet(o: { vpcId: string; az: string; cidr: string; public?: boolean; tags?: Record<string, string> }): SubnetRec {
    if (!this.vpcs.has(o.vpcId)) throw new Error(`fake-aws: no VPC ${o.vpcId}`);
    const s: SubnetRec = {
      id: this.w.ids.ec2('subnet'),
      vpcId: o.vpcId,
      az: o.az,
      azId: `euw1-az${(o.az.charCodeAt(o.az.length - 1) - 96).toString()}`,
      cidr: o.cidr,
      mapPublicIp: o.public ?? false,
      tags: new Map(Object.entries(o.tags ?? {})),
      nextIp: 0,
    };
    this.subnets.set(s.id, s);
    return s;
  }

  addInternetGateway(vpcId: string): InternetGatewayRec {
    const g: InternetGatewayRec = { id: this.w.ids.ec2('igw'), vpcId, tags: new Map() };
    this.internetGateways.set(g.id, g);
    return g;
  }

  /** A NAT gateway id for a route (the gateway itself is not modelled: nothing here calls the NAT gateway APIs). */
  addNatGatewayId(): string {
    return this.w.ids.ec2('nat');
  }

  addRouteTable(o: { vpcId: string; subnetIds: string[]; internetGatewayId?: string; natGatewayId?: string; tags?: Record<string, string> }): RouteTableRec {
    const vpc = this.vpcs.get(o.vpcId);
    if (!vpc) throw new Error(`fake-aws: no VPC ${o.vpcId}`);
    const rt: RouteTableRec = {
      id: this.w.ids.ec2('rtb'),
      vpcId: o.vpcId,
      main: false,
      subnetIds: [...o.subnetIds],
      routes: [
        { destination: vpc.cidr, gatewayId: 'local' },
        ...(o.internetGatewayId ? [{ destination: '0.0.0.0/0', gatewayId: o.internetGatewayId }] : o.natGatewayId ? [{ destination: '0.0.0.0/0', natGatewayId: o.natGatewayId }] : []),
      ],
      tags: new Map(Object.entries(o.tags ?? {})),
    };
    this.routeTables.set(rt.id, rt);
    return rt;
  }

  // ------------------------------------------------------------------ API

  DescribeVpcs(input: E.DescribeVpcsCommandInput): Out<E.DescribeVpcsCommandOutput> {
    let items = [...this.vpcs.values()];
    if (input.VpcIds?.length) {
      for (const id of input.VpcIds) if (!this.vpcs.has(id)) throw awsError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);
      items = items.filter((v) => input.VpcIds!.includes(v.id));
    }
    items = applyEc2Filters(items, input.Filters, { 'vpc-id': (v) => v.id, 'is-default': (v) => String(v.isDefault), 'cidr-block': (v) => v.cidr, cidr: (v) => v.cidr, state: () => 'available', 'owner-id': () => this.w.accountId }, (v) => v.tags);
    const { page, next } = paginate(items, input.NextToken, input.MaxResults);
    return {
      Vpcs: page.map((v) => ({
        VpcId: v.id,
        CidrBlock: v.cidr,
        IsDefault: v.isDefault,
        State: 'available',
        OwnerId: this.w.accountId,
        InstanceTenancy: 'default',
        DhcpOptionsId: 'dopt-0123456789abcdef0',
        CidrBlockAssociationSet: [{ AssociationId: `vpc-cidr-assoc-${v.id.slice(4)}`, CidrBlock: v.cidr, CidrBlockState: { State: 'associated' } }],
        Tags: tagList(v.tags),
      })),
      NextToken: next,
    };
  }

  DescribeSubnets(input: E.DescribeSubnetsCommandInput): Out<E.DescribeSubnetsCommandOutput> {
    let items = [...this.subnets.values()];
    if (input.SubnetIds?.length) {
      for (const id of input.SubnetIds) this.subnet(id);
      items = items.filter((s) => input.SubnetIds!.includes(s.id));
    }
    items = applyEc2Filters(
      items,
      input.Filters,
      {
        'vpc-id': (s) => s.vpcId,
        'subnet-id': (s) => s.id,
        'availability-zone': (s) => s.az,
        'availability-zone-id': (s) => s.azId,
        'cidr-block': (s) => s.cidr,
        'default-for-az': () => 'false',
        'map-public-ip-on-launch': (s) => String(s.mapPublicIp),
        state: () => 'available',
      },
      (s) => s.tags,
    );
    const { page, next } = paginate(items, input.NextToken, input.MaxResults);
    return {
      Subnets: page.map((s) => ({
        SubnetId: s.id,
        SubnetArn: ec2Arn(this.w, 'subnet', s.id),
        VpcId: s.vpcId,
        AvailabilityZone: s.az,
        AvailabilityZoneId: s.azId,
        CidrBlock: s.cidr,
        AvailableIpAddressCount: cidrSize(s.cidr) - 5 - this.w.ec2.interfaces.countInSubnet(s.id),
        MapPublicIpOnLaunch: s.mapPublicIp,
        DefaultForAz: false,
        State: 'available',
        OwnerId: this.w.accountId,
        Tags: tagList(s.tags),
      })),
      NextToken: next,
    };
  }

  DescribeRouteTables(input: E.DescribeRouteTablesCommandInput): Out<E.DescribeRouteTablesCommandOutput> {
    let items = [...this.routeTables.values()];
    if (input.RouteTableIds?.length) {
      for (const id of input.RouteTableIds) if (!this.routeTables.has(id)) throw awsError('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`);
      items = items.filter((r) => input.RouteTableIds!.includes(r.id));
    }
    items = applyEc2Filters(
      items,
      input.Filters,
      {
        'vpc-id': (r) => r.vpcId,
        'route-table-id': (r) => r.id,
        'association.subnet-id': (r) => r.subnetIds,
        'association.main': (r) => String(r.main),
        'route.gateway-id': (r) => r.routes.flatMap((x) => (x.gatewayId ? [x.gatewayId] : [])),
        'route.nat-gateway-id': (r) => r.routes.flatMap((x) => (x.natGatewayId ? [x.natGatewayId] : [])),
        'route.destination-cidr-block': (r) => r.routes.map((x) => x.destination),
      },
      (r) => r.tags,
    );
    return {
      RouteTables: items.map((r) => ({
        RouteTableId: r.id,
        VpcId: r.vpcId,
        OwnerId: this.w.accountId,
        Associations: [
          ...(r.main ? [{ Main: true, RouteTableAssociationId: `rtbassoc-${r.id.slice(4)}`, RouteTableId: r.id, AssociationState: { State: 'associated' as const } }] : []),
          ...r.subnetIds.map((s, i) => ({ Main: false, SubnetId: s, RouteTableId: r.id, RouteTableAssociationId: `rtbassoc-${r.id.slice(4, 19)}${i}`, AssociationState: { State: 'associated' as const } })),
        ],
        Routes: r.routes.map((x) => ({
          DestinationCidrBlock: x.destination,
          ...(x.natGatewayId ? { NatGatewayId: x.natGatewayId } : { GatewayId: x.gatewayId }),
          State: 'active' as const,
          Origin: x.gatewayId === 'local' ? ('CreateRouteTable' as const) : ('CreateRoute' as const),
        })),
        Tags: tagList(r.tags),
      })),
    };
  }

  DescribeInternetGateways(input: E.DescribeInternetGatewaysCommandInput): Out<E.DescribeInternetGatewaysCommandOutput> {
    let items = [...this.internetGateways.values()];
    if (input.InternetGatewayIds?.length) {
      for (const id of input.InternetGatewayIds) if (!this.internetGateways.has(id)) throw awsError('InvalidInternetGatewayID.NotFound', `The internetGateway ID '${id}' does not exist`);
      items = items.filter((g) => input.InternetGatewayIds!.includes(g.id));
    }
    items = applyEc2Filters(items, input.Filters, { 'attachment.vpc-id': (g) => g.vpcId, 'internet-gateway-id': (g) => g.id, 'attachment.state': () => 'available' }, (g) => g.tags);
    return {
      InternetGateways: items.map((g) => ({ InternetGatewayId: g.id, OwnerId: this.w.accountId, Attachments: [{ VpcId: g.vpcId, State: 'available' as E.AttachmentStatus /* AWS really answers "available" for internet gateways */ }], Tags: tagList(g.tags) })),
    };
  }
}
