/** EC2 network interfaces: instances' primary ones, load balancers' ones, seeded standalone ones. */
import type * as E from '@aws-sdk/client-ec2';
import { checkMaxResults } from './ec2-common.js';
import { awsError } from './errors.js';
import type { World } from './world.js';
import { applyEc2Filters, paginate, tagList, type Tags } from './util.js';

type Out<T> = Omit<T, '$metadata'>;

export interface EniRec {
  id: string;
  subnetId: string;
  vpcId: string;
  az: string;
  privateIp: string;
  sgIds: string[];
  description: string;
  interfaceType: string;
  requesterId?: string;
  requesterManaged: boolean;
  attachment?: { id: string; instanceId?: string; instanceOwnerId: string; deviceIndex: number };
  tags: Tags;
  createdAt: number;
  /** Lazily deleted at this simulated time (instance terminated, load balancer deleted). */
  deleteAt?: number;
  loadBalancerArn?: string;
  /** Public IPv4 associated with the primary private address (e.g. a classic ELB's ENI). */
  publicIp?: string;
}

type LbShape = { arn: string; name: string; type: string; subnets: string[]; securityGroups: string[] };

/** Network interfaces, deleted lazily (`deleteAt`) when their instance terminates or their load balancer is deleted. */
export class NetworkInterfaceModel {
  readonly networkInterfaces = new Map<string, EniRec>();
  /** ENIs with a deletion time (settle() looks only at these, so a call costs O(dying), not O(all ENIs)). */
  private readonly dying = new Set<string>();
  /** ENIs settle() removed since the mirroring model last asked (their sessions go too). */
  private removed: string[] = [];

  constructor(private readonly w: World) {}

  eniAlive(e: EniRec, now = this.w.now()): boolean {
    return e.deleteAt === undefined || now < e.deleteAt;
  }

  /** Schedules an ENI's deletion at `at` (it stays visible until then). */
  scheduleEniDeletion(e: EniRec, at: number): void {
    e.deleteAt = at;
    this.dying.add(e.id);
  }

  /** ENIs removed since the last call (drained). */
  takeRemovedEnis(): string[] {
    const out = this.removed;
    this.removed = [];
    return out;
  }

  settle(now: number): void {
    for (const id of this.dying) {
      const e = this.networkInterfaces.get(id);
      if (e && this.eniAlive(e, now)) continue;
      this.dying.delete(id);
      if (e && this.networkInterfaces.delete(id)) this.removed.push(id);
    }
  }

  /** Live ENIs of a subnet: each holds one of its addresses. */
  countInSubnet(subnetId: string): number {
    let n = 0;
    for (const e of this.networkInterfaces.values()) if (e.subnetId === subnetId && this.eniAlive(e)) n++;
    return n;
  }

  /** A new ENI with the subnet's next free address; `attach` gives its attachment (id prefix, owner, device). */
  create(
    subnetId: string,
    o: Omit<EniRec, 'id' | 'subnetId' | 'vpcId' | 'az' | 'privateIp' | 'attachment'> & {
      attach?: { prefix: string; instanceId?: string; instanceOwnerId: string; deviceIndex: number };
    },
  ): EniRec {
    const subnet = this.w.ec2.network.subnet(subnetId);
    const { attach, ...rest } = o;
    const id = this.w.ids.ec2('eni');
    const privateIp = this.w.ec2.network.takeIp(subnet);
    const eni: EniRec = {
      id,
      subnetId: subnet.id,
      vpcId: subnet.vpcId,
      az: subnet.az,
      privateIp,
      ...(attach && { attachment: { id: this.w.ids.ec2(attach.prefix), instanceId: attach.instanceId, instanceOwnerId: attach.instanceOwnerId, deviceIndex: attach.deviceIndex } }),
      ...rest,
      sgIds: [...rest.sgIds],
    };
    this.networkInterfaces.set(eni.id, eni);
    return eni;
  }

  /** A standalone ENI (seeding): e.g. a classic ELB's (`amazon-elb` owner, public IP) or a detached secondary one. */
  addNetworkInterface(o: {
    subnetId: string;
    description?: string;
    interfaceType?: string;
    requesterManaged?: boolean;
    instanceOwnerId?: string;
    publicIp?: string;
    sgIds?: string[];
    tags?: Record<string, string>;
  }): EniRec {
    return this.create(o.subnetId, {
      sgIds: o.sgIds ?? [],
      description: o.description ?? '',
      interfaceType: o.interfaceType ?? 'interface',
      requesterManaged: o.requesterManaged ?? false,
      ...(o.instanceOwnerId && { attach: { prefix: 'eni-attach', instanceOwnerId: o.instanceOwnerId, deviceIndex: 1 } }),
      tags: new Map(Object.entries(o.tags ?? {})),
      createdAt: this.w.now(),
      publicIp: o.publicIp,
    });
  }

  // ------------------------------------------------------------------ load balancers' ENIs (one per subnet)

  createLbEnis(lb: LbShape, at: number): void {
    const kind = lb.type === 'network' ? 'net' : 'app';
    const suffix = lb.arn.split('/').slice(-1)[0];
    for (const subnetId of lb.subnets) {
      this.create(subnetId, {
        sgIds: lb.securityGroups,
        description: `ELB ${kind}/${lb.name}/${suffix}`,
        interfaceType: lb.type === 'network' ? 'network_load_balancer' : 'interface',
        requesterId: 'amazon-elb',
        requesterManaged: true,
        attach: { prefix: 'ela-attach', instanceOwnerId: 'amazon-elb', deviceIndex: 1 },
        tags: new Map(),
        createdAt: at,
        loadBalancerArn: lb.arn,
      });
    }
  }

  releaseLbEnis(lbArn: string, at: number): void {
    for (const e of this.networkInterfaces.values()) if (e.loadBalancerArn === lbArn && e.deleteAt === undefined) this.scheduleEniDeletion(e, at);
  }

  updateLbEnis(lb: LbShape): void {
    const now = this.w.now();
    const existing = [...this.networkInterfaces.values()].filter((e) => e.loadBalancerArn === lb.arn && this.eniAlive(e, now));
    for (const e of existing) {
      if (!lb.subnets.includes(e.subnetId)) this.scheduleEniDeletion(e, now);
      else e.sgIds = [...lb.securityGroups];
    }
    const have = new Set(existing.map((e) => e.subnetId));
    const missing = lb.subnets.filter((s) => !have.has(s));
    if (missing.length) this.createLbEnis({ ...lb, subnets: missing }, now);
  }

  // ------------------------------------------------------------------ API

  DescribeNetworkInterfaces(input: E.DescribeNetworkInterfacesCommandInput): Out<E.DescribeNetworkInterfacesCommandOutput> {
    const now = this.w.now();
    let items = [...this.networkInterfaces.values()].filter((e) => this.eniAlive(e, now));
    if (input.MaxResults !== undefined && input.NetworkInterfaceIds?.length) {
      throw awsError('InvalidParameterCombination', 'The parameter NetworkInterfaceIds cannot be used with the parameter MaxResults');
    }
    checkMaxResults(input.MaxResults);
    if (input.NetworkInterfaceIds?.length) {
      for (const id of input.NetworkInterfaceIds) {
        if (!items.some((e) => e.id === id) || this.w.hidden(id)) throw awsError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`);
      }
      items = items.filter((e) => input.NetworkInterfaceIds!.includes(e.id));
    }
    items = applyEc2Filters(
      items,
      input.Filters,
      {
        'network-interface-id': (e) => e.id,
        'attachment.instance-id': (e) => e.attachment?.instanceId,
        'attachment.instance-owner-id': (e) => e.attachment?.instanceOwnerId,
        'attachment.status': (e) => (e.attachment ? 'attached' : undefined),
        'group-id': (e) => e.sgIds,
        'vpc-id': (e) => e.vpcId,
        'subnet-id': (e) => e.subnetId,
        'availability-zone': (e) => e.az,
        description: (e) => e.description,
        'requester-id': (e) => e.requesterId,
        'requester-managed': (e) => String(e.requesterManaged),
        'interface-type': (e) => e.interfaceType,
        status: () => 'in-use',
        'private-ip-address': (e) => e.privateIp,
        'addresses.private-ip-address': (e) => e.privateIp,
        'addresses.association.public-ip': (e) => e.publicIp,
        'association.public-ip': (e) => e.publicIp,
      },
      (e) => e.tags,
    );
    const { page, next } = paginate(items, input.NextToken, input.MaxResults);
    return {
      NetworkInterfaces: page.map((e) => ({
        NetworkInterfaceId: e.id,
        SubnetId: e.subnetId,
        VpcId: e.vpcId,
        AvailabilityZone: e.az,
        PrivateIpAddress: e.privateIp,
        PrivateIpAddresses: [{ PrivateIpAddress: e.privateIp, Primary: true, ...(e.publicIp && { Association: { PublicIp: e.publicIp } }) }],
        ...(e.publicIp && { Association: { PublicIp: e.publicIp } }),
        Groups: this.w.ec2.groups.refs(e.sgIds),
        Description: e.description,
        InterfaceType: e.interfaceType as E.NetworkInterfaceType,
        RequesterId: e.requesterId,
        RequesterManaged: e.requesterManaged,
        Status: 'in-use',
        OwnerId: this.w.accountId,
        SourceDestCheck: true,
        ...(e.attachment && {
          Attachment: {
            AttachmentId: e.attachment.id,
            InstanceId: e.attachment.instanceId,
            InstanceOwnerId: e.attachment.instanceOwnerId,
            DeviceIndex: e.attachment.deviceIndex,
            Status: 'attached' as const,
            DeleteOnTermination: true,
          },
        }),
        TagSet: tagList(e.tags),
      })),
      NextToken: next,
    };
  }
}
