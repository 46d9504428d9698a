import type * as E from '@aws-sdk/client-ec2';
import { awsError } from './errors.js';
import type { World } from './world.js';
import {
  applyEc2Filters,
  cidrSize,
  intToIp,
  paginate,
  parseCidr,
  required,
  stableJson,
  tagList,
  type TagLike,
  type Tags,
} from './util.js';

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
export interface ImageRec {
  id: string;
  name: string;
  ownerId: string;
  architecture: string;
  virtualizationType: string;
  state: string;
  creationDate: string;
  description?: string;
  public: boolean;
  tags: Tags;
}
export interface SgRule {
  ruleId: string;
  egress: boolean;
  protocol: string;
  from: number;
  to: number;
  cidr?: string;
  cidrV6?: string;
  groupId?: string;
  prefixListId?: string;
  description?: string;
  tags: Tags;
}
export interface SecurityGroupRec {
  id: string;
  name: string;
  description: string;
  vpcId: string;
  rules: SgRule[];
  tags: Tags;
}
export interface LaunchTemplateVersionRec {
  number: number;
  description?: string;
  data: E.RequestLaunchTemplateData;
  createdAt: number;
}
export interface LaunchTemplateRec {
  id: string;
  name: string;
  createdAt: number;
  defaultVersion: number;
  latestVersion: number;
  versions: Map<number, LaunchTemplateVersionRec>;
  tags: Tags;
}
export interface InstanceRec {
  id: string;
  reservationId: string;
  imageId: string;
  instanceType: string;
  subnetId: string;
  vpcId: string;
  az: string;
  privateIp: string;
  sgIds: string[];
  tags: Tags;
  launchedAt: number;
  runningAt: number;
  terminatingAt?: number;
  terminatedAt?: number;
  eniId: string;
  launchTemplate?: { id: string; name: string; version: string };
  iamInstanceProfileArn?: string;
  keyName?: string;
  /** Whether the instance would pass a load balancer health check (tests can flip it). */
  healthy: boolean;
}
export interface KeyPairRec {
  id: string;
  name: string;
  type: 'rsa' | 'ed25519';
  fingerprint: string;
  createdAt: number;
  tags: Tags;
}
/** Launch failures AWS reports for reasons the model does not simulate by itself (see failLaunches). */
export type LaunchFailureCode = 'OptInRequired' | 'InsufficientInstanceCapacity';
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

/** A small catalogue of instance types (t2 is Xen: not a traffic-mirroring source). */
const INSTANCE_TYPES: Record<string, { vcpus: number; memMiB: number; arch: string; hypervisor: string }> = {
  't2.micro': { vcpus: 1, memMiB: 1024, arch: 'x86_64', hypervisor: 'xen' },
  't2.medium': { vcpus: 2, memMiB: 4096, arch: 'x86_64', hypervisor: 'xen' },
  't3.micro': { vcpus: 2, memMiB: 1024, arch: 'x86_64', hypervisor: 'nitro' },
  't3.small': { vcpus: 2, memMiB: 2048, arch: 'x86_64', hypervisor: 'nitro' },
  't3.medium': { vcpus: 2, memMiB: 4096, arch: 'x86_64', hypervisor: 'nitro' },
  't3.large': { vcpus: 2, memMiB: 8192, arch: 'x86_64', hypervisor: 'nitro' },
  't3.xlarge': { vcpus: 4, memMiB: 16384, arch: 'x86_64', hypervisor: 'nitro' },
  'm5.large': { vcpus: 2, memMiB: 8192, arch: 'x86_64', hypervisor: 'nitro' },
  'm5.xlarge': { vcpus: 4, memMiB: 16384, arch: 'x86_64', hypervisor: 'nitro' },
  'c5.large': { vcpus: 2, memMiB: 4096, arch: 'x86_64', hypervisor: 'nitro' },
  'c5.xlarge': { vcpus: 4, memMiB: 8192, arch: 'x86_64', hypervisor: 'nitro' },
  'c6i.large': { vcpus: 2, memMiB: 4096, arch: 'x86_64', hypervisor: 'nitro' },
  't4g.medium': { vcpus: 2, memMiB: 4096, arch: 'arm64', hypervisor: 'nitro' },
  'm6g.large': { vcpus: 2, memMiB: 8192, arch: 'arm64', hypervisor: 'nitro' },
};

function injectedLaunchMessage(code: LaunchFailureCode, type: string, az: string, zones: string[]): string {
  if (code === 'OptInRequired') {
    return 'In order to use this AWS Marketplace product you need to accept terms and subscribe. To do so please visit https://aws.amazon.com/marketplace/pp?sku=cvb8y4k7g3hmbvld5vkw2m7m9';
  }
  const other = zones.find((z) => z !== az) ?? az;
  return `We currently do not have sufficient ${type} capacity in the Availability Zone you requested (${az}). Our system will be working on provisioning additional capacity. You can currently get ${type} capacity by not specifying an Availability Zone in your request or choosing ${other}.`;
}

const WELL_KNOWN_OWNERS: Record<string, string> = { amazon: '137112412989', 'aws-marketplace': '679593333241' };
const SG_RULE_LIMIT = 60;
const TAG_LIMIT = 50;

function protoName(p: string | undefined): string {
  const v = (p ?? '').toLowerCase();
  if (v === '6') return 'tcp';
  if (v === '17') return 'udp';
  if (v === '1') return 'icmp';
  if (v === 'all') return '-1';
  return v;
}

function assertAsciiDescription(value: string, param: string): void {
  if (!/^[\x20-\x7e]*$/.test(value)) {
    throw awsError('InvalidParameterValue', `Value (${value}) for parameter ${param} is invalid. Character sets beyond ASCII are not supported.`);
  }
}

export class Ec2Model {
  readonly vpcs = new Map<string, VpcRec>();
  readonly subnets = new Map<string, SubnetRec>();
  readonly routeTables = new Map<string, RouteTableRec>();
  /** Whether instances launched from now on pass load balancer health checks (FakeAws.setLaunchHealthy). */
  launchHealthy = true;
  readonly internetGateways = new Map<string, InternetGatewayRec>();
  readonly images = new Map<string, ImageRec>();
  readonly securityGroups = new Map<string, SecurityGroupRec>();
  readonly launchTemplates = new Map<string, LaunchTemplateRec>();
  readonly keyPairs = new Map<string, KeyPairRec>();
  /** `<type>@<az>` pairs EC2 does not offer (every type of INSTANCE_TYPES is offered in every AZ otherwise). */
  readonly unoffered = new Set<string>();
  /** Launch failures tests queued (failLaunches): consumed one per failed launch attempt. */
  readonly launchFailures: { code: LaunchFailureCode; remaining: number }[] = [];
  readonly instances = new Map<string, InstanceRec>();
  readonly networkInterfaces = new Map<string, EniRec>();
  /** ENIs with a deletion time (settle() looks only at these, so a call costs O(dying), not O(all ENIs)). */
  private readonly dyingEnis = new Set<string>();
  /** ENIs settle() removed since the mirroring model last asked (their sessions go too). */
  private removedEnis: string[] = [];
  /** Instances being terminated (settle() drops them once no longer visible). */
  private readonly terminating = new Set<string>();
  /** ClientToken -> (operation, request fingerprint, result) for idempotent creates. */
  private readonly tokens = new Map<string, { op: string; fingerprint: string; result: unknown }>();

  constructor(private readonly w: World) {}

  // ------------------------------------------------------------------ helpers (not API operations)

  private now(): number {
    return this.w.now();
  }

  private arn(type: string, id: string): string {
    return `arn:aws:ec2:${this.w.region}:${this.w.accountId}:${type}/${id}`;
  }

  instanceState(i: InstanceRec, now = this.now()): { Code: number; Name: E.InstanceStateName } {
    if (i.terminatedAt !== undefined && now >= i.terminatedAt) return { Code: 48, Name: 'terminated' };
    if (i.terminatingAt !== undefined && now >= i.terminatingAt) return { Code: 32, Name: 'shutting-down' };
    if (now >= i.runningAt) return { Code: 16, Name: 'running' };
    return { Code: 0, Name: 'pending' };
  }

  instanceAlive(i: InstanceRec, now = this.now()): boolean {
    return i.terminatedAt === undefined || now < i.terminatedAt;
  }

  eniAlive(e: EniRec, now = this.now()): boolean {
    return e.deleteAt === undefined || now < e.deleteAt;
  }

  /** Schedules an ENI's deletion at `at` (it stays visible until then). */
  scheduleEniDeletion(e: EniRec, at: number): void {
    e.deleteAt = at;
    this.dyingEnis.add(e.id);
  }

  /** ENIs removed since the last call (drained). */
  takeRemovedEnis(): string[] {
    const out = this.removedEnis;
    this.removedEnis = [];
    return out;
  }

  settle(now: number): void {
    for (const id of this.dyingEnis) {
      const e = this.networkInterfaces.get(id);
      if (e && this.eniAlive(e, now)) continue;
      this.dyingEnis.delete(id);
      if (e && this.networkInterfaces.delete(id)) this.removedEnis.push(id);
    }
    for (const id of this.terminating) {
      const i = this.instances.get(id);
      if (i && !(i.terminatedAt !== undefined && now >= i.terminatedAt + this.w.delays.terminatedVisibleMs)) continue;
      this.terminating.delete(id);
      this.instances.delete(id);
    }
  }

  private takeIp(subnet: SubnetRec): string {
    const c = parseCidr(subnet.cidr);
    if (!c) throw new Error(`bad subnet cidr ${subnet.cidr}`);
    const ip = intToIp(c.base + 4 + subnet.nextIp);
    subnet.nextIp++;
    return ip;
  }

  private usedIps(subnetId: string): number {
    let n = 0;
    for (const e of this.networkInterfaces.values()) if (e.subnetId === subnetId && this.eniAlive(e)) n++;
    return n;
  }

  private tagsFromSpecs(specs: E.TagSpecification[] | undefined, resourceType: string): Tags {
    const tags: Tags = new Map();
    for (const spec of specs ?? []) {
      if (spec.ResourceType !== resourceType) {
        throw awsError('InvalidParameterValue', `'${spec.ResourceType}' is not a valid taggable resource type for this operation.`);
      }
      for (const t of spec.Tags ?? []) this.putTag(tags, t);
    }
    return tags;
  }

  private putTag(tags: Tags, t: TagLike): void {
    const key = required(t.Key, 'Tag.Key', 'InvalidParameterValue');
    if (key.toLowerCase().startsWith('aws:')) {
      throw awsError('InvalidParameterValue', `Tag keys starting with 'aws:' are reserved for internal use`);
    }
    if (key.length > 128 || (t.Value ?? '').length > 256) throw awsError('InvalidParameterValue', `Tag key or value too long: ${key}`);
    tags.set(key, t.Value ?? '');
    if (tags.size > TAG_LIMIT) throw awsError('TagLimitExceeded', `The maximum number of tags (${TAG_LIMIT}) for a resource has been reached.`);
  }

  /** ClientToken idempotency, as EC2 does it: same token + same request -> same result; else IdempotentParameterMismatch. */
  private idempotent<T>(op: string, token: string | undefined, input: object, make: () => T): T {
    if (!token) return make();
    const fingerprint = stableJson({ ...input, ClientToken: undefined, DryRun: undefined });
    const key = `${op}:${token}`;
    const seen = this.tokens.get(key);
    if (seen) {
      if (seen.fingerprint !== fingerprint) {
        throw awsError('IdempotentParameterMismatch', `Arguments on this idempotent request are inconsistent with arguments used in previous request(s).`);
      }
      return structuredClone(seen.result) as T;
    }
    const result = make();
    this.tokens.set(key, { op, fingerprint, result: structuredClone(result) });
    return result;
  }

  sg(id: string, opts: { lag?: boolean } = {}): SecurityGroupRec {
    const g = this.securityGroups.get(id);
    if (!g || (opts.lag !== false && this.w.hidden(id))) {
      if (!id.startsWith('sg-')) throw awsError('InvalidGroupId.Malformed', `Invalid id: "${id}" (expecting "sg-...")`);
      throw awsError('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
    }
    return g;
  }

  subnet(id: string): SubnetRec {
    const s = this.subnets.get(id);
    if (!s) throw awsError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
    return s;
  }

  private lt(id: string | undefined, name: string | undefined): LaunchTemplateRec {
    if (id) {
      const t = this.launchTemplates.get(id);
      if (!t || this.w.hidden(id)) {
        if (!/^lt-[0-9a-f]{17}$/.test(id)) throw awsError('InvalidLaunchTemplateId.Malformed', `The specified launch template ID is malformed: ${id}`);
        throw awsError('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`);
      }
      return t;
    }
    if (name) {
      const t = [...this.launchTemplates.values()].find((x) => x.name === name);
      if (!t || this.w.hidden(t.id)) {
        throw awsError('InvalidLaunchTemplateName.NotFoundException', `The specified launch template, with template name ${name}, does not exist.`);
      }
      return t;
    }
    throw awsError('MissingParameter', 'The request must contain the parameter launchTemplateName or launchTemplateId');
  }

  /** Resolves `$Latest`, `$Default` or a number to a version record. */
  ltVersion(t: LaunchTemplateRec, version: string | undefined): LaunchTemplateVersionRec {
    const n = version === undefined || version === '$Default' ? t.defaultVersion : version === '$Latest' ? t.latestVersion : Number(version);
    const v = Number.isInteger(n) ? t.versions.get(n) : undefined;
    if (!v) {
      throw awsError('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${version} for launch template ${t.id}`);
    }
    return v;
  }

  findLaunchTemplate(id: string | undefined, name: string | undefined): LaunchTemplateRec | undefined {
    if (id) return this.launchTemplates.get(id);
    return [...this.launchTemplates.values()].find((x) => x.name === name);
  }

  private ruleKey(r: Pick<SgRule, 'egress' | 'protocol' | 'from' | 'to' | 'cidr' | 'cidrV6' | 'groupId' | 'prefixListId'>): string {
    return [r.egress, r.protocol, r.from, r.to, r.cidr ?? '', r.cidrV6 ?? '', r.groupId ?? '', r.prefixListId ?? ''].join('|');
  }

  private rulesFromPermissions(g: SecurityGroupRec, perms: E.IpPermission[] | undefined, egress: boolean): SgRule[] {
    const out: SgRule[] = [];
    for (const p of perms ?? []) {
      const protocol = protoName(required(p.IpProtocol, 'IpPermissions.IpProtocol'));
      let from = -1;
      let to = -1;
      if (protocol === 'tcp' || protocol === 'udp') {
        if (p.FromPort === undefined || p.ToPort === undefined) {
          throw awsError('InvalidParameterValue', `Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.`);
        }
        from = p.FromPort;
        to = p.ToPort;
        if (from < 0 || to > 65535 || from > to) {
          throw awsError('InvalidParameterValue', `Invalid port range: ${from}-${to}`);
        }
      } else if (protocol === 'icmp') {
        from = p.FromPort ?? -1;
        to = p.ToPort ?? -1;
      } else if (protocol !== '-1' && !/^\d+$/.test(protocol)) {
        throw awsError('InvalidParameterValue', `Invalid value '${p.IpProtocol}' for IP protocol. Unknown protocol.`);
      }
      const base = { egress, protocol, from, to, tags: new Map<string, string>() };
      for (const r of p.IpRanges ?? []) {
        const cidr = required(r.CidrIp, 'CidrIp');
        const c = parseCidr(cidr);
        if (!c) throw awsError('InvalidParameterValue', `CIDR block ${cidr} is malformed`);
        if (r.Description) assertAsciiDescription(r.Description, 'description');
        out.push({ ...base, ruleId: '', cidr, description: r.Description });
      }
      for (const r of p.Ipv6Ranges ?? []) out.push({ ...base, ruleId: '', cidrV6: r.CidrIpv6, description: r.Description });
      for (const r of p.UserIdGroupPairs ?? []) {
        const ref = this.sg(required(r.GroupId, 'GroupId'), { lag: false });
        if (ref.vpcId !== g.vpcId) throw awsError('InvalidGroup.NotFound', `You have specified a security group '${ref.id}' that is not in VPC '${g.vpcId}'`);
        out.push({ ...base, ruleId: '', groupId: ref.id, description: r.Description });
      }
      for (const r of p.PrefixListIds ?? []) out.push({ ...base, ruleId: '', prefixListId: r.PrefixListId, description: r.Description });
    }
    if (out.length === 0) throw awsError('MissingParameter', 'No IP permissions were specified (IpRanges, Ipv6Ranges, UserIdGroupPairs or PrefixListIds).');
    return out;
  }

  private permissionsOf(rules: SgRule[]): E.IpPermission[] {
    const byKey = new Map<string, E.IpPermission>();
    for (const r of rules) {
      const k = `${r.protocol}|${r.from}|${r.to}`;
      let p = byKey.get(k);
      if (!p) {
        p = { IpProtocol: r.protocol, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] };
        if (r.protocol !== '-1') {
          p.FromPort = r.from;
          p.ToPort = r.to;
        }
        byKey.set(k, p);
      }
      if (r.cidr) p.IpRanges!.push({ CidrIp: r.cidr, ...(r.description !== undefined && { Description: r.description }) });
      if (r.cidrV6) p.Ipv6Ranges!.push({ CidrIpv6: r.cidrV6, ...(r.description !== undefined && { Description: r.description }) });
      if (r.groupId) p.UserIdGroupPairs!.push({ GroupId: r.groupId, UserId: this.w.accountId, ...(r.description !== undefined && { Description: r.description }) });
      if (r.prefixListId) p.PrefixListIds!.push({ PrefixListId: r.prefixListId, ...(r.description !== undefined && { Description: r.description }) });
    }
    return [...byKey.values()];
  }

  private sgOut(g: SecurityGroupRec): E.SecurityGroup {
    return {
      GroupId: g.id,
      GroupName: g.name,
      Description: g.description,
      VpcId: g.vpcId,
      OwnerId: this.w.accountId,
      SecurityGroupArn: this.arn('security-group', g.id),
      IpPermissions: this.permissionsOf(g.rules.filter((r) => !r.egress)),
      IpPermissionsEgress: this.permissionsOf(g.rules.filter((r) => r.egress)),
      Tags: tagList(g.tags),
    };
  }

  private ruleOut(g: SecurityGroupRec, r: SgRule): E.SecurityGroupRule {
    return {
      SecurityGroupRuleId: r.ruleId,
      GroupId: g.id,
      GroupOwnerId: this.w.accountId,
      IsEgress: r.egress,
      IpProtocol: r.protocol,
      FromPort: r.from,
      ToPort: r.to,
      ...(r.cidr && { CidrIpv4: r.cidr }),
      ...(r.cidrV6 && { CidrIpv6: r.cidrV6 }),
      ...(r.prefixListId && { PrefixListId: r.prefixListId }),
      ...(r.groupId && { ReferencedGroupInfo: { GroupId: r.groupId, UserId: this.w.accountId } }),
      ...(r.description !== undefined && { Description: r.description }),
      SecurityGroupRuleArn: this.arn('security-group-rule', r.ruleId),
      Tags: tagList(r.tags),
    };
  }

  /** Whether something still uses the security group (DeleteSecurityGroup -> DependencyViolation). */
  sgDependents(id: string): string[] {
    const out: string[] = [];
    for (const e of this.networkInterfaces.values()) if (this.eniAlive(e) && e.sgIds.includes(id)) out.push(e.id);
    for (const g of this.securityGroups.values()) if (g.id !== id && g.rules.some((r) => r.groupId === id)) out.push(g.id);
    for (const lb of this.w.elbv2.loadBalancers.values()) if (lb.securityGroups.includes(id)) out.push(lb.arn);
    return out;
  }

  // ------------------------------------------------------------------ seeding / cross-service helpers

  addVpc(o: { cidr?: string; isDefault?: boolean; tags?: Record<string, string> } = {}): VpcRec {
    const v: VpcRec = { id: this.w.ids.ec2('vpc'), cidr: o.cidr ?? '10.0.0.0/16', isDefault: o.isDefault ?? false, tags: new Map(Object.entries(o.tags ?? {})) };
    this.vpcs.set(v.id, v);
    const sg: SecurityGroupRec = { id: this.w.ids.ec2('sg'), name: 'default', description: 'default VPC security group', vpcId: v.id, rules: [], tags: new Map() };
    sg.rules.push({ ruleId: this.w.ids.ec2('sgr'), egress: false, protocol: '-1', from: -1, to: -1, groupId: sg.id, tags: new Map() });
    sg.rules.push({ ruleId: this.w.ids.ec2('sgr'), egress: true, protocol: '-1', from: -1, to: -1, cidr: '0.0.0.0/0', tags: new Map() });
    this.securityGroups.set(sg.id, sg);
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

  addImage(o: { name: string; ownerId: string; architecture?: string; virtualizationType?: string; creationDate?: string; state?: string; description?: string }): ImageRec {
    const img: ImageRec = {
      id: this.w.ids.ec2('ami'),
      name: o.name,
      ownerId: o.ownerId,
      architecture: o.architecture ?? 'x86_64',
      virtualizationType: o.virtualizationType ?? 'hvm',
      state: o.state ?? 'available',
      creationDate: o.creationDate ?? new Date(this.now()).toISOString(),
      description: o.description,
      public: true,
      tags: new Map(),
    };
    this.images.set(img.id, img);
    return img;
  }

  /** Creates an EC2 instance with its primary ENI (used by Auto Scaling and by seeding). */
  launchInstance(o: {
    imageId: string;
    instanceType: string;
    subnetId: string;
    sgIds: string[];
    tags: Tags;
    at: number;
    launchTemplate?: { id: string; name: string; version: string };
    iamInstanceProfileArn?: string;
    keyName?: string;
  }): InstanceRec {
    const subnet = this.subnet(o.subnetId);
    const id = this.w.ids.ec2('i');
    const ip = this.takeIp(subnet);
    const eni: EniRec = {
      id: this.w.ids.ec2('eni'),
      subnetId: subnet.id,
      vpcId: subnet.vpcId,
      az: subnet.az,
      privateIp: ip,
      sgIds: [...o.sgIds],
      description: '',
      interfaceType: 'interface',
      requesterManaged: false,
      attachment: { id: this.w.ids.ec2('eni-attach'), instanceId: id, instanceOwnerId: this.w.accountId, deviceIndex: 0 },
      tags: new Map(),
      createdAt: o.at,
    };
    this.networkInterfaces.set(eni.id, eni);
    const inst: InstanceRec = {
      id,
      reservationId: this.w.ids.ec2('r'),
      imageId: o.imageId,
      instanceType: o.instanceType,
      subnetId: subnet.id,
      vpcId: subnet.vpcId,
      az: subnet.az,
      privateIp: ip,
      sgIds: [...o.sgIds],
      tags: new Map(o.tags),
      launchedAt: o.at,
      runningAt: o.at + this.w.delays.instanceRunningMs,
      eniId: eni.id,
      launchTemplate: o.launchTemplate,
      iamInstanceProfileArn: o.iamInstanceProfileArn,
      keyName: o.keyName,
      healthy: this.launchHealthy,
    };
    this.instances.set(id, inst);
    return inst;
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
    const subnet = this.subnet(o.subnetId);
    const eni: EniRec = {
      id: this.w.ids.ec2('eni'),
      subnetId: subnet.id,
      vpcId: subnet.vpcId,
      az: subnet.az,
      privateIp: this.takeIp(subnet),
      sgIds: [...(o.sgIds ?? [])],
      description: o.description ?? '',
      interfaceType: o.interfaceType ?? 'interface',
      requesterManaged: o.requesterManaged ?? false,
      ...(o.instanceOwnerId && { attachment: { id: this.w.ids.ec2('eni-attach'), instanceOwnerId: o.instanceOwnerId, deviceIndex: 1 } }),
      tags: new Map(Object.entries(o.tags ?? {})),
      createdAt: this.now(),
      publicIp: o.publicIp,
    };
    this.networkInterfaces.set(eni.id, eni);
    return eni;
  }

  /** Starts terminating an instance at `at`; its ENI goes away when it is terminated. */
  terminateInstance(id: string, at: number): void {
    const i = this.instances.get(id);
    if (!i || i.terminatingAt !== undefined) return;
    i.terminatingAt = at;
    i.terminatedAt = at + this.w.delays.instanceTerminateMs;
    this.terminating.add(id);
    const eni = this.networkInterfaces.get(i.eniId);
    if (eni) this.scheduleEniDeletion(eni, i.terminatedAt);
  }

  /**
   * What launching from a launch template would do: the template data, or the EC2 error message a
   * launch gets (missing AMI, security group, instance profile...), as the Auto Scaling activity reports it.
   */
  resolveLaunch(ltId: string, version: string, subnetId: string, at: number):
    | { ok: true; data: E.RequestLaunchTemplateData; version: number; lt: LaunchTemplateRec; profileArn?: string }
    | { ok: false; message: string } {
    const lt = this.launchTemplates.get(ltId);
    if (!lt) return { ok: false, message: `The specified launch template, with template ID ${ltId}, does not exist.` };
    let v: LaunchTemplateVersionRec;
    try {
      v = this.ltVersion(lt, version);
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
    const d = v.data;
    if (!d.ImageId) return { ok: false, message: 'The request must contain the parameter ImageId' };
    const img = this.images.get(d.ImageId);
    if (!img || img.state !== 'available') return { ok: false, message: `The image id '[${d.ImageId}]' does not exist` };
    if (!d.InstanceType) return { ok: false, message: 'The request must contain the parameter InstanceType' };
    if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(d.InstanceType)) return { ok: false, message: `Invalid value '${d.InstanceType}' for InstanceType.` };
    const family = d.InstanceType.split('.')[0]!;
    const typeArch = INSTANCE_TYPES[d.InstanceType]?.arch ?? (/^[a-z]+\d+g[a-z]*$/.test(family) ? 'arm64' : 'x86_64');
    if (typeArch !== img.architecture) {
      return { ok: false, message: `The architecture '${typeArch}' of the specified instance type does not match the architecture '${img.architecture}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again.` };
    }
    const subnet = this.subnets.get(subnetId);
    if (!subnet) return { ok: false, message: `The subnet ID '${subnetId}' does not exist` };
    if (!this.isOffered(d.InstanceType, subnet.az)) {
      const others = this.zones().filter((az) => az !== subnet.az && this.isOffered(d.InstanceType!, az));
      return {
        ok: false,
        message: `Your requested instance type (${d.InstanceType}) is not supported in your requested Availability Zone (${subnet.az}). Please retry your request by not specifying an Availability Zone or choosing ${others.join(', ')}.`,
      };
    }
    if (d.KeyName !== undefined && !this.keyPairs.has(d.KeyName)) return { ok: false, message: `The key pair '${d.KeyName}' does not exist` };
    const injected = this.launchFailures[0];
    if (injected) {
      if (--injected.remaining <= 0) this.launchFailures.shift();
      return { ok: false, message: injectedLaunchMessage(injected.code, d.InstanceType, subnet.az, this.zones()) };
    }
    const sgIds = [...(d.SecurityGroupIds ?? []), ...(d.NetworkInterfaces?.flatMap((n) => n.Groups ?? []) ?? [])];
    for (const sgId of sgIds) {
      const g = this.securityGroups.get(sgId);
      if (!g) return { ok: false, message: `The security group '${sgId}' does not exist` };
      if (g.vpcId !== subnet.vpcId) return { ok: false, message: `Security group ${sgId} and subnet ${subnetId} belong to different networks.` };
    }
    let profileArn: string | undefined;
    if (d.IamInstanceProfile) {
      const p = this.w.iam.findInstanceProfile(d.IamInstanceProfile.Arn, d.IamInstanceProfile.Name);
      const label = d.IamInstanceProfile.Arn ?? d.IamInstanceProfile.Name;
      if (!p || at < p.createdAt + this.w.delays.iamPropagationMs) {
        return { ok: false, message: `Value (${label}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name` };
      }
      profileArn = this.w.iam.instanceProfileArn(p);
    }
    return { ok: true, data: d, version: v.number, lt, profileArn };
  }

  createLbEnis(lb: { arn: string; name: string; type: string; subnets: string[]; securityGroups: string[] }, at: number): void {
    const kind = lb.type === 'network' ? 'net' : 'app';
    const suffix = lb.arn.split('/').slice(-1)[0];
    for (const subnetId of lb.subnets) {
      const subnet = this.subnet(subnetId);
      const eni: EniRec = {
        id: this.w.ids.ec2('eni'),
        subnetId,
        vpcId: subnet.vpcId,
        az: subnet.az,
        privateIp: this.takeIp(subnet),
        sgIds: [...lb.securityGroups],
        description: `ELB ${kind}/${lb.name}/${suffix}`,
        interfaceType: lb.type === 'network' ? 'network_load_balancer' : 'interface',
        requesterId: 'amazon-elb',
        requesterManaged: true,
        attachment: { id: this.w.ids.ec2('ela-attach'), instanceOwnerId: 'amazon-elb', deviceIndex: 1 },
        tags: new Map(),
        createdAt: at,
        loadBalancerArn: lb.arn,
      };
      this.networkInterfaces.set(eni.id, eni);
    }
  }

  releaseLbEnis(lbArn: string, at: number): void {
    for (const e of this.networkInterfaces.values()) if (e.loadBalancerArn === lbArn && e.deleteAt === undefined) this.scheduleEniDeletion(e, at);
  }

  updateLbEnis(lb: { arn: string; name: string; type: string; subnets: string[]; securityGroups: string[] }): void {
    const now = this.now();
    const existing = [...this.networkInterfaces.values()].filter((e) => e.loadBalancerArn === lb.arn && this.eniAlive(e, now));
    for (const e of existing) {
      if (!lb.subnets.includes(e.subnetId)) this.scheduleEniDeletion(e, now);
      else e.sgIds = [...lb.securityGroups];
    }
    const have = new Set(existing.map((e) => e.subnetId));
    const missing = lb.subnets.filter((s) => !have.has(s));
    if (missing.length) this.createLbEnis({ ...lb, subnets: missing }, now);
  }

  // ------------------------------------------------------------------ network look-ups

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
        SubnetArn: this.arn('subnet', s.id),
        VpcId: s.vpcId,
        AvailabilityZone: s.az,
        AvailabilityZoneId: s.azId,
        CidrBlock: s.cidr,
        AvailableIpAddressCount: cidrSize(s.cidr) - 5 - this.usedIps(s.id),
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

  // ------------------------------------------------------------------ images

  DescribeImages(input: E.DescribeImagesCommandInput): Out<E.DescribeImagesCommandOutput> {
    let items = [...this.images.values()];
    if (input.ImageIds?.length) {
      for (const id of input.ImageIds) {
        if (!/^ami-[0-9a-f]{8,17}$/.test(id)) throw awsError('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`);
        if (!this.images.has(id)) throw awsError('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`);
      }
      items = items.filter((i) => input.ImageIds!.includes(i.id));
    }
    if (input.Owners?.length) {
      const owners = input.Owners.map((o) => (o === 'self' ? this.w.accountId : (WELL_KNOWN_OWNERS[o] ?? o)));
      items = items.filter((i) => owners.includes(i.ownerId));
    }
    items = applyEc2Filters(
      items,
      input.Filters,
      {
        name: (i) => i.name,
        architecture: (i) => i.architecture,
        'virtualization-type': (i) => i.virtualizationType,
        state: (i) => i.state,
        'owner-id': (i) => i.ownerId,
        'image-id': (i) => i.id,
        'root-device-type': () => 'ebs',
        'is-public': (i) => String(i.public),
        'image-type': () => 'machine',
        description: (i) => i.description,
      },
      (i) => i.tags,
    );
    // AWS returns images in no particular order: the fake sorts by id (random hex), so callers must sort by CreationDate.
    items.sort((a, b) => a.id.localeCompare(b.id));
    const { page, next } = paginate(items, input.NextToken, input.MaxResults);
    return {
      Images: page.map((i) => ({
        ImageId: i.id,
        Name: i.name,
        OwnerId: i.ownerId,
        Architecture: i.architecture as E.ArchitectureValues,
        VirtualizationType: i.virtualizationType as E.VirtualizationType,
        State: i.state as E.ImageState,
        CreationDate: i.creationDate,
        Description: i.description,
        Public: i.public,
        ImageType: 'machine',
        RootDeviceType: 'ebs',
        RootDeviceName: '/dev/xvda',
        EnaSupport: true,
        Hypervisor: 'xen',
        PlatformDetails: 'Linux/UNIX',
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 8, VolumeType: 'gp3', DeleteOnTermination: true, SnapshotId: `snap-${i.id.slice(4)}` } }],
        Tags: tagList(i.tags),
      })),
      NextToken: next,
    };
  }

  // ------------------------------------------------------------------ instance types

  /** AZs of the region: those of the seeded subnets, else <region>a-c. */
  zones(): string[] {
    const seen = [...new Set([...this.subnets.values()].map((s) => s.az))].sort();
    return seen.length ? seen : ['a', 'b', 'c'].map((x) => `${this.w.region}${x}`);
  }

  isOffered(type: string, az: string): boolean {
    return type in INSTANCE_TYPES && !this.unoffered.has(`${type}@${az}`);
  }

  addKeyPair(name: string, at: number): KeyPairRec {
    const rec: KeyPairRec = { id: this.w.ids.ec2('key'), name, type: 'ed25519', fingerprint: 'SHA256:' + Buffer.from(name).toString('base64'), createdAt: at, tags: new Map() };
    this.keyPairs.set(name, rec);
    return rec;
  }

  DescribeKeyPairs(input: E.DescribeKeyPairsCommandInput): Out<E.DescribeKeyPairsCommandOutput> {
    let items = [...this.keyPairs.values()];
    if (input.KeyNames?.length) {
      for (const n of input.KeyNames) if (!this.keyPairs.has(n)) throw awsError('InvalidKeyPair.NotFound', `The key pair '${n}' does not exist`);
      items = items.filter((k) => input.KeyNames!.includes(k.name));
    }
    if (input.KeyPairIds?.length) {
      for (const id of input.KeyPairIds) if (!items.some((k) => k.id === id)) throw awsError('InvalidKeyPair.NotFound', `The key pair '${id}' does not exist`);
      items = items.filter((k) => input.KeyPairIds!.includes(k.id));
    }
    items = applyEc2Filters(items, input.Filters, { 'key-name': (k) => k.name, 'key-pair-id': (k) => k.id, fingerprint: (k) => k.fingerprint }, (k) => k.tags);
    return {
      KeyPairs: items.map((k) => ({
        KeyPairId: k.id,
        KeyName: k.name,
        KeyType: k.type,
        KeyFingerprint: k.fingerprint,
        CreateTime: new Date(k.createdAt),
        Tags: tagList(k.tags),
      })),
    };
  }

  /** LocationType region (default) | availability-zone | availability-zone-id; filters instance-type and location. */
  DescribeInstanceTypeOfferings(input: E.DescribeInstanceTypeOfferingsCommandInput): Out<E.DescribeInstanceTypeOfferingsCommandOutput> {
    const type = input.LocationType ?? 'region';
    if (!['region', 'availability-zone', 'availability-zone-id'].includes(type)) {
      throw awsError('InvalidParameterValue', `Value (${type}) for parameter locationType is invalid. Valid values: region, availability-zone, availability-zone-id, outpost`);
    }
    if (input.MaxResults !== undefined && (input.MaxResults < 5 || input.MaxResults > 1000)) {
      throw awsError('InvalidParameterValue', `Value (${input.MaxResults}) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
    }
    const zoneId = (az: string) => `${this.w.region.replace(/-/g, '').slice(0, 4)}-az${az.charCodeAt(az.length - 1) - 96}`;
    const rows: { t: string; loc: string }[] = [];
    for (const t of Object.keys(INSTANCE_TYPES)) {
      if (type === 'region') rows.push({ t, loc: this.w.region });
      else for (const az of this.zones()) if (this.isOffered(t, az)) rows.push({ t, loc: type === 'availability-zone' ? az : zoneId(az) });
    }
    const items = applyEc2Filters(rows, input.Filters, { 'instance-type': (r) => r.t, location: (r) => r.loc }, undefined);
    const { page, next } = paginate(items, input.NextToken, input.MaxResults);
    return {
      InstanceTypeOfferings: page.map((r) => ({ InstanceType: r.t as E._InstanceType, LocationType: type, Location: r.loc })),
      NextToken: next,
    };
  }

  DescribeInstanceTypes(input: E.DescribeInstanceTypesCommandInput): Out<E.DescribeInstanceTypesCommandOutput> {
    let items = Object.entries(INSTANCE_TYPES);
    if (input.InstanceTypes?.length) {
      if (input.InstanceTypes.length > 100) throw awsError('InvalidParameterValue', 'The maximum number of instance types is 100');
      for (const t of input.InstanceTypes) {
        if (!(t in INSTANCE_TYPES)) throw awsError('InvalidInstanceType', `The following supplied instance types do not exist: [${t}]`);
      }
      items = items.filter(([t]) => input.InstanceTypes!.includes(t as E._InstanceType));
    }
    items = applyEc2Filters(
      items,
      input.Filters,
      {
        'instance-type': ([t]) => t,
        'processor-info.supported-architecture': ([, i]) => i.arch,
        hypervisor: ([, i]) => i.hypervisor,
        'current-generation': () => 'true',
      },
      undefined,
    );
    const { page, next } = paginate(items, input.NextToken, input.MaxResults);
    return {
      InstanceTypes: page.map(([t, i]) => ({
        InstanceType: t as E._InstanceType,
        CurrentGeneration: true,
        Hypervisor: i.hypervisor as E.InstanceTypeHypervisor,
        BareMetal: false,
        ProcessorInfo: { SupportedArchitectures: [i.arch as E.ArchitectureType] },
        VCpuInfo: { DefaultVCpus: i.vcpus },
        MemoryInfo: { SizeInMiB: i.memMiB },
        NetworkInfo: { EnaSupport: 'required', MaximumNetworkInterfaces: 3 },
      })),
      NextToken: next,
    };
  }

  // ------------------------------------------------------------------ security groups

  DescribeSecurityGroups(input: E.DescribeSecurityGroupsCommandInput): Out<E.DescribeSecurityGroupsCommandOutput> {
    let items = [...this.securityGroups.values()];
    if (input.GroupIds?.length) {
      for (const id of input.GroupIds) this.sg(id);
      items = items.filter((g) => input.GroupIds!.includes(g.id));
    }
    if (input.GroupNames?.length) {
      const defaultVpc = [...this.vpcs.values()].find((v) => v.isDefault);
      for (const name of input.GroupNames) {
        if (!items.some((g) => g.name === name && g.vpcId === defaultVpc?.id)) {
          throw awsError('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${defaultVpc?.id ?? 'none'}'`);
        }
      }
      items = items.filter((g) => input.GroupNames!.includes(g.name) && g.vpcId === defaultVpc?.id);
    }
    items = applyEc2Filters(
      items,
      input.Filters,
      {
        'vpc-id': (g) => g.vpcId,
        'group-name': (g) => g.name,
        'group-id': (g) => g.id,
        description: (g) => g.description,
        'owner-id': () => this.w.accountId,
        'ip-permission.cidr': (g) => g.rules.filter((r) => !r.egress).map((r) => r.cidr ?? ''),
        'ip-permission.from-port': (g) => g.rules.filter((r) => !r.egress).map((r) => String(r.from)),
        'ip-permission.to-port': (g) => g.rules.filter((r) => !r.egress).map((r) => String(r.to)),
        'ip-permission.protocol': (g) => g.rules.filter((r) => !r.egress).map((r) => r.protocol),
      },
      (g) => g.tags,
    );
    if (input.MaxResults !== undefined && (input.GroupIds?.length || input.GroupNames?.length)) {
      throw awsError('InvalidParameterCombination', 'The parameter groupIds cannot be used with the parameter maxResults');
    }
    if (input.MaxResults !== undefined && (input.MaxResults < 5 || input.MaxResults > 1000)) {
      throw awsError('InvalidParameterValue', `Value ( ${input.MaxResults} ) for parameter maxResults is invalid. Parameter must be between 5 and 1000.`);
    }
    const { page, next } = paginate(items, input.NextToken, input.MaxResults);
    return { SecurityGroups: page.map((g) => this.sgOut(g)), NextToken: next };
  }

  CreateSecurityGroup(input: E.CreateSecurityGroupCommandInput): Out<E.CreateSecurityGroupCommandOutput> {
    const name = required(input.GroupName, 'GroupName');
    const description = required(input.Description, 'GroupDescription');
    if (name.length > 255) throw awsError('InvalidParameterValue', `Value (${name}) for parameter GroupName is invalid. Length exceeds 255 characters.`);
    if (description.length > 255) throw awsError('InvalidParameterValue', `Value for parameter GroupDescription is invalid. Length exceeds 255 characters.`);
    assertAsciiDescription(name, 'GroupName');
    assertAsciiDescription(description, 'GroupDescription');
    if (/^sg-/i.test(name)) throw awsError('InvalidParameterValue', `Group names may not be in the format sg-*.`);
    if (name === 'default') throw awsError('InvalidGroup.Reserved', `The security group 'default' is reserved`);
    let vpcId = input.VpcId;
    if (!vpcId) {
      const def = [...this.vpcs.values()].find((v) => v.isDefault);
      if (!def) throw awsError('VPCIdNotSpecified', 'No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.');
      vpcId = def.id;
    }
    if (!this.vpcs.has(vpcId)) throw awsError('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
    if ([...this.securityGroups.values()].some((g) => g.vpcId === vpcId && g.name === name)) {
      throw awsError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${vpcId}'`);
    }
    const tags = this.tagsFromSpecs(input.TagSpecifications, 'security-group');
    const g: SecurityGroupRec = { id: this.w.ids.ec2('sg'), name, description, vpcId, rules: [], tags };
    g.rules.push({ ruleId: this.w.ids.ec2('sgr'), egress: true, protocol: '-1', from: -1, to: -1, cidr: '0.0.0.0/0', tags: new Map() });
    this.securityGroups.set(g.id, g);
    this.w.created(g.id);
    return { GroupId: g.id, Tags: tagList(tags), SecurityGroupArn: this.arn('security-group', g.id) };
  }

  DeleteSecurityGroup(input: E.DeleteSecurityGroupCommandInput): Out<E.DeleteSecurityGroupCommandOutput> {
    let g: SecurityGroupRec | undefined;
    if (input.GroupId) g = this.sg(input.GroupId);
    else if (input.GroupName) {
      const def = [...this.vpcs.values()].find((v) => v.isDefault);
      g = [...this.securityGroups.values()].find((x) => x.name === input.GroupName && x.vpcId === def?.id);
      if (!g) throw awsError('InvalidGroup.NotFound', `The security group '${input.GroupName}' does not exist in default VPC '${def?.id ?? 'none'}'`);
    } else throw awsError('MissingParameter', 'The request must contain the parameter groupName or groupId');
    if (g.name === 'default') throw awsError('CannotDelete', `the specified group: "${g.id}" name: "default" cannot be deleted by a user`);
    const deps = this.sgDependents(g.id);
    if (deps.length) throw awsError('DependencyViolation', `resource ${g.id} has a dependent object`);
    this.securityGroups.delete(g.id);
    return { Return: true, GroupId: g.id };
  }

  private authorize(groupId: string | undefined, perms: E.IpPermission[] | undefined, specs: E.TagSpecification[] | undefined, egress: boolean) {
    const g = this.sg(required(groupId, 'GroupId'));
    const rules = this.rulesFromPermissions(g, perms, egress);
    const tags = this.tagsFromSpecs(specs, 'security-group-rule');
    const existing = new Set(g.rules.map((r) => this.ruleKey(r)));
    const seen = new Set<string>();
    for (const r of rules) {
      const k = this.ruleKey(r);
      if (existing.has(k) || seen.has(k)) {
        const peer = r.cidr ?? r.cidrV6 ?? r.groupId ?? r.prefixListId;
        const proto = r.protocol === '-1' ? 'ALL' : r.protocol.toUpperCase();
        throw awsError(
          'InvalidPermission.Duplicate',
          `the specified rule "peer: ${peer}, ${proto}, from port: ${r.from}, to port: ${r.to}, ALLOW" already exists`,
        );
      }
      seen.add(k);
    }
    if (g.rules.filter((r) => r.egress === egress).length + rules.length > SG_RULE_LIMIT) {
      throw awsError('RulesPerSecurityGroupLimitExceeded', 'The maximum number of rules per security group has been reached.');
    }
    for (const r of rules) {
      r.ruleId = this.w.ids.ec2('sgr');
      r.tags = new Map(tags);
      g.rules.push(r);
    }
    return { Return: true, SecurityGroupRules: rules.map((r) => this.ruleOut(g, r)) };
  }

  private revoke(groupId: string | undefined, perms: E.IpPermission[] | undefined, ruleIds: string[] | undefined, egress: boolean) {
    const g = this.sg(required(groupId, 'GroupId'));
    let toRemove: SgRule[];
    if (ruleIds?.length) {
      toRemove = ruleIds.map((id) => {
        const r = g.rules.find((x) => x.ruleId === id && x.egress === egress);
        if (!r) throw awsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
        return r;
      });
    } else {
      const wanted = this.rulesFromPermissions(g, perms, egress);
      toRemove = wanted.map((w) => {
        const r = g.rules.find((x) => this.ruleKey(x) === this.ruleKey(w));
        if (!r) throw awsError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
        return r;
      });
    }
    g.rules = g.rules.filter((r) => !toRemove.includes(r));
    return { Return: true, RevokedSecurityGroupRules: toRemove.map((r) => ({ SecurityGroupRuleId: r.ruleId, GroupId: g.id, IsEgress: egress, IpProtocol: r.protocol, FromPort: r.from, ToPort: r.to, CidrIpv4: r.cidr })) };
  }

  AuthorizeSecurityGroupIngress(input: E.AuthorizeSecurityGroupIngressCommandInput): Out<E.AuthorizeSecurityGroupIngressCommandOutput> {
    if (!input.IpPermissions && (input.CidrIp || input.IpProtocol)) {
      input = { ...input, IpPermissions: [{ IpProtocol: input.IpProtocol, FromPort: input.FromPort, ToPort: input.ToPort, IpRanges: input.CidrIp ? [{ CidrIp: input.CidrIp }] : [] }] };
    }
    return this.authorize(input.GroupId, input.IpPermissions, input.TagSpecifications, false);
  }
  AuthorizeSecurityGroupEgress(input: E.AuthorizeSecurityGroupEgressCommandInput): Out<E.AuthorizeSecurityGroupEgressCommandOutput> {
    return this.authorize(input.GroupId, input.IpPermissions, input.TagSpecifications, true);
  }
  RevokeSecurityGroupIngress(input: E.RevokeSecurityGroupIngressCommandInput): Out<E.RevokeSecurityGroupIngressCommandOutput> {
    return this.revoke(input.GroupId, input.IpPermissions, input.SecurityGroupRuleIds, false);
  }
  RevokeSecurityGroupEgress(input: E.RevokeSecurityGroupEgressCommandInput): Out<E.RevokeSecurityGroupEgressCommandOutput> {
    return this.revoke(input.GroupId, input.IpPermissions, input.SecurityGroupRuleIds, true);
  }

  private updateDescriptions(groupId: string | undefined, perms: E.IpPermission[] | undefined, byId: E.SecurityGroupRuleDescription[] | undefined, egress: boolean) {
    const g = this.sg(required(groupId, 'GroupId'));
    if (byId?.length) {
      for (const d of byId) {
        const r = g.rules.find((x) => x.ruleId === d.SecurityGroupRuleId && x.egress === egress);
        if (!r) throw awsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${d.SecurityGroupRuleId}' does not exist`);
        if (d.Description) assertAsciiDescription(d.Description, 'description');
      }
      for (const d of byId) g.rules.find((x) => x.ruleId === d.SecurityGroupRuleId)!.description = d.Description;
      return { Return: true };
    }
    const wanted = this.rulesFromPermissions(g, perms, egress);
    const matches = wanted.map((w) => {
      const r = g.rules.find((x) => this.ruleKey(x) === this.ruleKey(w));
      if (!r) throw awsError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
      return [r, w] as const;
    });
    for (const [r, w] of matches) r.description = w.description;
    return { Return: true };
  }

  UpdateSecurityGroupRuleDescriptionsIngress(input: E.UpdateSecurityGroupRuleDescriptionsIngressCommandInput): Out<E.UpdateSecurityGroupRuleDescriptionsIngressCommandOutput> {
    return this.updateDescriptions(input.GroupId, input.IpPermissions, input.SecurityGroupRuleDescriptions, false);
  }
  UpdateSecurityGroupRuleDescriptionsEgress(input: E.UpdateSecurityGroupRuleDescriptionsEgressCommandInput): Out<E.UpdateSecurityGroupRuleDescriptionsEgressCommandOutput> {
    return this.updateDescriptions(input.GroupId, input.IpPermissions, input.SecurityGroupRuleDescriptions, true);
  }

  DescribeSecurityGroupRules(input: E.DescribeSecurityGroupRulesCommandInput): Out<E.DescribeSecurityGroupRulesCommandOutput> {
    let items: { g: SecurityGroupRec; r: SgRule }[] = [...this.securityGroups.values()].flatMap((g) => g.rules.map((r) => ({ g, r })));
    if (input.SecurityGroupRuleIds?.length) {
      for (const id of input.SecurityGroupRuleIds) {
        if (!items.some((x) => x.r.ruleId === id)) throw awsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
      }
      items = items.filter((x) => input.SecurityGroupRuleIds!.includes(x.r.ruleId));
    }
    items = applyEc2Filters(items, input.Filters, { 'group-id': (x) => x.g.id, 'security-group-rule-id': (x) => x.r.ruleId }, (x) => x.r.tags);
    const { page, next } = paginate(items, input.NextToken, input.MaxResults);
    return { SecurityGroupRules: page.map((x) => this.ruleOut(x.g, x.r)), NextToken: next };
  }

  // ------------------------------------------------------------------ tags

  private taggable(id: string): Tags {
    const byPrefix: [string, Map<string, { tags: Tags }>, string, string][] = [
      ['sg-', this.securityGroups, 'InvalidGroup.NotFound', `The security group '${id}' does not exist`],
      ['lt-', this.launchTemplates, 'InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`],
      ['i-', this.instances, 'InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`],
      ['eni-', this.networkInterfaces, 'InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`],
      ['subnet-', this.subnets, 'InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`],
      ['vpc-', this.vpcs, 'InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`],
      ['ami-', this.images, 'InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`],
      ['igw-', this.internetGateways, 'InvalidInternetGatewayID.NotFound', `The internetGateway ID '${id}' does not exist`],
      ['rtb-', this.routeTables, 'InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`],
      ['tmf-', this.w.mirroring.filters, 'InvalidTrafficMirrorFilterId.NotFound', `The traffic mirror filter '${id}' does not exist.`],
      ['tmt-', this.w.mirroring.targets, 'InvalidTrafficMirrorTargetId.NotFound', `The traffic mirror target '${id}' does not exist.`],
      ['tms-', this.w.mirroring.sessions, 'InvalidTrafficMirrorSessionId.NotFound', `The traffic mirror session '${id}' does not exist.`],
    ];
    for (const [prefix, map, code, message] of byPrefix) {
      if (id.startsWith(prefix)) {
        const rec = map.get(id);
        if (!rec || this.w.hidden(id)) throw awsError(code, message);
        return rec.tags;
      }
    }
    const rule = [...this.securityGroups.values()].flatMap((g) => g.rules).find((r) => r.ruleId === id);
    if (rule) return rule.tags;
    throw awsError('InvalidID', `The ID '${id}' is not valid`);
  }

  CreateTags(input: E.CreateTagsCommandInput): Out<E.CreateTagsCommandOutput> {
    const resources = required(input.Resources, 'ResourceId');
    const targets = resources.map((id) => this.taggable(id));
    for (const tags of targets) {
      const copy = new Map(tags);
      for (const t of input.Tags ?? []) this.putTag(copy, t);
    }
    for (const tags of targets) for (const t of input.Tags ?? []) this.putTag(tags, t);
    return {};
  }

  DeleteTags(input: E.DeleteTagsCommandInput): Out<E.DeleteTagsCommandOutput> {
    for (const id of required(input.Resources, 'ResourceId')) {
      const tags = this.taggable(id);
      if (!input.Tags) {
        tags.clear();
        continue;
      }
      for (const t of input.Tags) {
        if (t.Key === undefined) continue;
        if (t.Value === undefined || tags.get(t.Key) === t.Value) tags.delete(t.Key);
      }
    }
    return {};
  }

  // ------------------------------------------------------------------ launch templates

  private validateLtData(data: E.RequestLaunchTemplateData): E.ValidationWarning | undefined {
    if (data.UserData !== undefined) {
      const ud = data.UserData;
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(ud) || ud.length % 4 !== 0) {
        throw awsError('InvalidUserData.Malformed', 'Invalid BASE64 encoding of user data.');
      }
      if (Buffer.from(ud, 'base64').length > 16384) throw awsError('InvalidParameterValue', 'User data is limited to 16384 bytes');
    }
    if (data.SecurityGroupIds?.length && data.NetworkInterfaces?.some((n) => n.Groups?.length)) {
      throw awsError('InvalidParameterCombination', 'Network interfaces and an instance-level security groups may not be specified on the same request');
    }
    const errors: E.ValidationError[] = [];
    if (data.ImageId && !this.images.has(data.ImageId)) errors.push({ Code: 'InvalidAMIID.NotFound', Message: `The image id '[${data.ImageId}]' does not exist` });
    for (const sgId of [...(data.SecurityGroupIds ?? []), ...(data.NetworkInterfaces?.flatMap((n) => n.Groups ?? []) ?? [])]) {
      if (!this.securityGroups.has(sgId)) errors.push({ Code: 'InvalidGroupId.NotFound', Message: `The security group '${sgId}' does not exist` });
    }
    return errors.length ? { Errors: errors } : undefined;
  }

  private ltOut(t: LaunchTemplateRec): E.LaunchTemplate {
    return {
      LaunchTemplateId: t.id,
      LaunchTemplateName: t.name,
      CreateTime: new Date(t.createdAt),
      CreatedBy: `arn:aws:iam::${this.w.accountId}:user/test`,
      DefaultVersionNumber: t.defaultVersion,
      LatestVersionNumber: t.latestVersion,
      Tags: tagList(t.tags),
    };
  }

  private ltVersionOut(t: LaunchTemplateRec, v: LaunchTemplateVersionRec): E.LaunchTemplateVersion {
    return {
      LaunchTemplateId: t.id,
      LaunchTemplateName: t.name,
      VersionNumber: v.number,
      VersionDescription: v.description,
      CreateTime: new Date(v.createdAt),
      CreatedBy: `arn:aws:iam::${this.w.accountId}:user/test`,
      DefaultVersion: v.number === t.defaultVersion,
      LaunchTemplateData: structuredClone(v.data),
    };
  }

  CreateLaunchTemplate(input: E.CreateLaunchTemplateCommandInput): Out<E.CreateLaunchTemplateCommandOutput> {
    return this.idempotent('CreateLaunchTemplate', input.ClientToken, input, () => {
      const name = required(input.LaunchTemplateName, 'LaunchTemplateName');
      if (!/^[a-zA-Z0-9().\-/_]{3,128}$/.test(name)) {
        throw awsError('InvalidLaunchTemplateName.MalformedException', `The launch template name '${name}' is invalid: 3-128 characters from a-z A-Z 0-9 ( ) . - / _`);
      }
      const data = required(input.LaunchTemplateData, 'LaunchTemplateData');
      if ([...this.launchTemplates.values()].some((t) => t.name === name)) {
        throw awsError('InvalidLaunchTemplateName.AlreadyExistsException', `Launch template name already in use.`);
      }
      const warning = this.validateLtData(data);
      const now = this.now();
      const t: LaunchTemplateRec = {
        id: this.w.ids.ec2('lt'),
        name,
        createdAt: now,
        defaultVersion: 1,
        latestVersion: 1,
        versions: new Map([[1, { number: 1, description: input.VersionDescription, data: structuredClone(data), createdAt: now }]]),
        tags: this.tagsFromSpecs(input.TagSpecifications, 'launch-template'),
      };
      this.launchTemplates.set(t.id, t);
      this.w.created(t.id);
      return { LaunchTemplate: this.ltOut(t), ...(warning && { Warning: warning }) };
    });
  }

  CreateLaunchTemplateVersion(input: E.CreateLaunchTemplateVersionCommandInput): Out<E.CreateLaunchTemplateVersionCommandOutput> {
    return this.idempotent('CreateLaunchTemplateVersion', input.ClientToken, input, () => {
      const t = this.lt(input.LaunchTemplateId, input.LaunchTemplateName);
      let data = structuredClone(required(input.LaunchTemplateData, 'LaunchTemplateData'));
      if (input.SourceVersion !== undefined) data = { ...structuredClone(this.ltVersion(t, input.SourceVersion).data), ...data };
      const warning = this.validateLtData(data);
      if (t.versions.size >= 10000) throw awsError('LaunchTemplateVersionLimitExceeded', 'Launch template version limit exceeded');
      const v: LaunchTemplateVersionRec = { number: t.latestVersion + 1, description: input.VersionDescription, data, createdAt: this.now() };
      t.versions.set(v.number, v);
      t.latestVersion = v.number;
      return { LaunchTemplateVersion: this.ltVersionOut(t, v), ...(warning && { Warning: warning }) };
    });
  }

  ModifyLaunchTemplate(input: E.ModifyLaunchTemplateCommandInput): Out<E.ModifyLaunchTemplateCommandOutput> {
    const t = this.lt(input.LaunchTemplateId, input.LaunchTemplateName);
    if (input.DefaultVersion !== undefined) {
      const v = t.versions.get(Number(input.DefaultVersion));
      if (!v) throw awsError('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${input.DefaultVersion} for launch template ${t.id}`);
      t.defaultVersion = v.number;
    }
    return { LaunchTemplate: this.ltOut(t) };
  }

  DescribeLaunchTemplates(input: E.DescribeLaunchTemplatesCommandInput): Out<E.DescribeLaunchTemplatesCommandOutput> {
    let items = [...this.launchTemplates.values()];
    if (input.LaunchTemplateIds?.length) {
      for (const id of input.LaunchTemplateIds) this.lt(id, undefined);
      items = items.filter((t) => input.LaunchTemplateIds!.includes(t.id));
    }
    if (input.LaunchTemplateNames?.length) {
      for (const name of input.LaunchTemplateNames) {
        const t = items.find((x) => x.name === name);
        if (!t || this.w.hidden(t.id)) {
          throw awsError('InvalidLaunchTemplateName.NotFoundException', 'At least one of the launch templates specified in the request does not exist.');
        }
      }
      items = items.filter((t) => input.LaunchTemplateNames!.includes(t.name));
    }
    items = applyEc2Filters(items, input.Filters, { 'launch-template-name': (t) => t.name, 'create-time': (t) => new Date(t.createdAt).toISOString() }, (t) => t.tags);
    const { page, next } = paginate(items, input.NextToken, input.MaxResults);
    return { LaunchTemplates: page.map((t) => this.ltOut(t)), NextToken: next };
  }

  DescribeLaunchTemplateVersions(input: E.DescribeLaunchTemplateVersionsCommandInput): Out<E.DescribeLaunchTemplateVersionsCommandOutput> {
    const t = this.lt(input.LaunchTemplateId, input.LaunchTemplateName);
    let versions: LaunchTemplateVersionRec[];
    if (input.Versions?.length) versions = input.Versions.map((v) => this.ltVersion(t, v));
    else versions = [...t.versions.values()].sort((a, b) => b.number - a.number);
    if (input.MinVersion !== undefined) versions = versions.filter((v) => v.number >= Number(input.MinVersion));
    if (input.MaxVersion !== undefined) versions = versions.filter((v) => v.number <= Number(input.MaxVersion));
    const { page, next } = paginate(versions, input.NextToken, input.MaxResults);
    return { LaunchTemplateVersions: page.map((v) => this.ltVersionOut(t, v)), NextToken: next };
  }

  DeleteLaunchTemplate(input: E.DeleteLaunchTemplateCommandInput): Out<E.DeleteLaunchTemplateCommandOutput> {
    const t = this.lt(input.LaunchTemplateId, input.LaunchTemplateName);
    this.launchTemplates.delete(t.id);
    return { LaunchTemplate: this.ltOut(t) };
  }

  // ------------------------------------------------------------------ instances and network interfaces

  private instanceOut(i: InstanceRec, now: number): E.Instance {
    const state = this.instanceState(i, now);
    const terminated = state.Name === 'terminated';
    const eni = this.networkInterfaces.get(i.eniId);
    return {
      InstanceId: i.id,
      ImageId: i.imageId,
      InstanceType: i.instanceType as E._InstanceType,
      LaunchTime: new Date(i.launchedAt),
      State: state,
      ...(state.Name === 'shutting-down' || terminated ? { StateTransitionReason: 'User initiated', StateReason: { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' } } : {}),
      Placement: { AvailabilityZone: i.az, Tenancy: 'default' },
      ...(terminated ? {} : { SubnetId: i.subnetId, VpcId: i.vpcId, PrivateIpAddress: i.privateIp }),
      SecurityGroups: terminated ? [] : i.sgIds.map((id) => ({ GroupId: id, GroupName: this.securityGroups.get(id)?.name })),
      NetworkInterfaces:
        terminated || !eni
          ? []
          : [
              {
                NetworkInterfaceId: eni.id,
                SubnetId: eni.subnetId,
                VpcId: eni.vpcId,
                PrivateIpAddress: eni.privateIp,
                Status: 'in-use',
                Groups: eni.sgIds.map((id) => ({ GroupId: id, GroupName: this.securityGroups.get(id)?.name })),
                Attachment: { AttachmentId: eni.attachment?.id, DeviceIndex: 0, Status: 'attached', DeleteOnTermination: true },
              },
            ],
      ...(i.iamInstanceProfileArn && { IamInstanceProfile: { Arn: i.iamInstanceProfileArn, Id: 'AIPA' + i.id.slice(2, 19).toUpperCase() } }),
      ...(i.keyName && { KeyName: i.keyName }),
      Architecture: 'x86_64',
      RootDeviceType: 'ebs',
      Tags: tagList(i.tags),
      MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', State: 'applied' },
    };
  }

  DescribeInstances(input: E.DescribeInstancesCommandInput): Out<E.DescribeInstancesCommandOutput> {
    const now = this.now();
    let items = [...this.instances.values()];
    if (input.InstanceIds?.length) {
      for (const id of input.InstanceIds) {
        if (!this.instances.has(id) || this.w.hidden(id)) throw awsError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
      }
      items = items.filter((i) => input.InstanceIds!.includes(i.id));
    }
    items = applyEc2Filters(
      items,
      input.Filters,
      {
        'instance-state-name': (i) => this.instanceState(i, now).Name,
        'instance-state-code': (i) => String(this.instanceState(i, now).Code),
        'instance-id': (i) => i.id,
        'vpc-id': (i) => i.vpcId,
        'subnet-id': (i) => i.subnetId,
        'availability-zone': (i) => i.az,
        'image-id': (i) => i.imageId,
        'instance-type': (i) => i.instanceType,
        'private-ip-address': (i) => i.privateIp,
        'instance.group-id': (i) => i.sgIds,
        'network-interface.network-interface-id': (i) => i.eniId,
        'iam-instance-profile.arn': (i) => i.iamInstanceProfileArn,
      },
      (i) => i.tags,
    );
    const { page, next } = paginate(items, input.NextToken, input.MaxResults);
    return {
      Reservations: page.map((i) => ({ ReservationId: i.reservationId, OwnerId: this.w.accountId, Instances: [this.instanceOut(i, now)] })),
      NextToken: next,
    };
  }

  DescribeNetworkInterfaces(input: E.DescribeNetworkInterfacesCommandInput): Out<E.DescribeNetworkInterfacesCommandOutput> {
    const now = this.now();
    let items = [...this.networkInterfaces.values()].filter((e) => this.eniAlive(e, now));
    if (input.MaxResults !== undefined) {
      if (input.NetworkInterfaceIds?.length) throw awsError('InvalidParameterCombination', 'The parameter NetworkInterfaceIds cannot be used with the parameter MaxResults');
      if (input.MaxResults < 5 || input.MaxResults > 1000) throw awsError('InvalidParameterValue', `Value (${input.MaxResults}) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
    }
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
        Groups: e.sgIds.map((id) => ({ GroupId: id, GroupName: this.securityGroups.get(id)?.name })),
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
