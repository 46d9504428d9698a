import type * as L from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsError } from './errors.js';
import type { World } from './world.js';
import { paginate, required, sameSet, tagList, type TagLike, type Tags } from './util.js';

type Out<T> = Omit<T, '$metadata'>;

export interface LoadBalancerRec {
  arn: string;
  name: string;
  type: 'application' | 'network';
  scheme: 'internal' | 'internet-facing';
  vpcId: string;
  subnets: string[];
  securityGroups: string[];
  /** NLBs created without security groups can never get one (AWS rule). */
  createdWithSgs: boolean;
  dnsName: string;
  createdAt: number;
  attributes: Map<string, string>;
  tags: Tags;
}
export interface TargetRec {
  id: string;
  port: number;
  registeredAt: number;
  deregisteredAt?: number;
}
export interface TargetGroupRec {
  arn: string;
  name: string;
  protocol: string;
  port: number;
  vpcId: string;
  targetType: string;
  healthCheck: {
    enabled: boolean;
    protocol: string;
    port: string;
    path?: string;
    intervalSeconds: number;
    timeoutSeconds: number;
    healthyThreshold: number;
    unhealthyThreshold: number;
    matcher?: string;
  };
  attributes: Map<string, string>;
  targets: Map<string, TargetRec>;
  tags: Tags;
}
export interface ListenerRec {
  arn: string;
  lbArn: string;
  port: number;
  protocol: string;
  defaultActions: L.Action[];
  createdAt: number;
  tags: Tags;
}

const NAME_RE = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;
const HOSTED_ZONES = { application: 'Z32O12XQLNTSW2', network: 'Z2IFOLAFXWLO4F' };
const TAG_LIMIT = 50;

const ALB_ATTRIBUTES: Record<string, string> = {
  'deletion_protection.enabled': 'false',
  'access_logs.s3.enabled': 'false',
  'access_logs.s3.bucket': '',
  'access_logs.s3.prefix': '',
  'connection_logs.s3.enabled': 'false',
  'connection_logs.s3.bucket': '',
  'connection_logs.s3.prefix': '',
  'idle_timeout.timeout_seconds': '60',
  'client_keep_alive.seconds': '3600',
  'routing.http2.enabled': 'true',
  'routing.http.drop_invalid_header_fields.enabled': 'false',
  'routing.http.desync_mitigation_mode': 'defensive',
  'routing.http.preserve_host_header.enabled': 'false',
  'routing.http.x_amzn_tls_version_and_cipher_suite.enabled': 'false',
  'routing.http.xff_client_port.enabled': 'false',
  'routing.http.xff_header_processing.mode': 'append',
  'waf.fail_open.enabled': 'false',
  'load_balancing.cross_zone.enabled': 'true',
  'zonal_shift.config.enabled': 'false',
};
const NLB_ATTRIBUTES: Record<string, string> = {
  'deletion_protection.enabled': 'false',
  'access_logs.s3.enabled': 'false',
  'access_logs.s3.bucket': '',
  'access_logs.s3.prefix': '',
  'load_balancing.cross_zone.enabled': 'false',
  'dns_record.client_routing_policy': 'any_availability_zone',
  'zonal_shift.config.enabled': 'false',
};
const TG_ATTRIBUTES: Record<string, string> = {
  'deregistration_delay.timeout_seconds': '300',
  'stickiness.enabled': 'false',
  'stickiness.type': 'lb_cookie',
  'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration',
  'target_group_health.dns_failover.minimum_healthy_targets.count': '1',
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': '1',
};

function validateAttribute(key: string, value: string, allowed: Record<string, string>, what: string): void {
  if (!(key in allowed)) throw awsError('ValidationError', `${what} attribute key '${key}' is not recognized`);
  const def = allowed[key];
  if ((def === 'true' || def === 'false') && value !== 'true' && value !== 'false') {
    throw awsError('ValidationError', `${what} attribute value '${value}' for key '${key}' is not valid; must be 'true' or 'false'`);
  }
  if (key === 'idle_timeout.timeout_seconds' && !(Number(value) >= 1 && Number(value) <= 4000)) {
    throw awsError('ValidationError', `Idle timeout must be between 1 and 4000 seconds`);
  }
  if (key === 'deregistration_delay.timeout_seconds' && !(Number(value) >= 0 && Number(value) <= 3600)) {
    throw awsError('ValidationError', `Deregistration delay must be between 0 and 3600 seconds`);
  }
}

export class Elbv2Model {
  readonly loadBalancers = new Map<string, LoadBalancerRec>();
  readonly targetGroups = new Map<string, TargetGroupRec>();
  readonly listeners = new Map<string, ListenerRec>();

  constructor(private readonly w: World) {}

  // ------------------------------------------------------------------ helpers

  private arnPrefix(): string {
    return `arn:aws:elasticloadbalancing:${this.w.region}:${this.w.accountId}`;
  }

  lbState(lb: LoadBalancerRec, now = this.w.now()): 'provisioning' | 'active' {
    return now >= lb.createdAt + this.w.delays.lbActiveMs ? 'active' : 'provisioning';
  }

  private lb(arn: string): LoadBalancerRec {
    const lb = this.loadBalancers.get(arn);
    if (!lb || this.w.hidden(arn)) throw awsError('LoadBalancerNotFound', `Load balancer '${arn}' not found`);
    return lb;
  }

  private tg(arn: string): TargetGroupRec {
    const tg = this.targetGroups.get(arn);
    if (!tg || this.w.hidden(arn)) throw awsError('TargetGroupNotFound', `Target groups '${arn}' not found`);
    return tg;
  }

  private listener(arn: string): ListenerRec {
    const l = this.listeners.get(arn);
    if (!l || this.w.hidden(arn)) throw awsError('ListenerNotFound', `Listener '${arn}' not found`);
    return l;
  }

  private putTags(tags: Tags, list: TagLike[] | undefined): void {
    for (const t of list ?? []) {
      const key = required(t.Key, 'Tags.member.Key', 'ValidationError');
      if (key.toLowerCase().startsWith('aws:')) throw awsError('ValidationError', `Tag key '${key}' cannot start with 'aws:'`);
      tags.set(key, t.Value ?? '');
    }
    if (tags.size > TAG_LIMIT) throw awsError('TooManyTags', `The quota for the number of tags that can be assigned to a resource (${TAG_LIMIT}) has been reached`);
  }

  private validateName(name: string, what: 'Load balancer' | 'Target group'): void {
    if (name.length > 32) throw awsError('ValidationError', `${what === 'Load balancer' ? 'LoadBalancer' : 'Target group'} name cannot be longer than '32' characters`);
    if (!NAME_RE.test(name)) {
      throw awsError('ValidationError', `${what} name '${name}' can only contain characters that are alphanumeric characters or hyphens(-), and cannot begin or end with a hyphen`);
    }
    if (what === 'Load balancer' && name.toLowerCase().startsWith('internal-')) {
      throw awsError('ValidationError', `Load balancer name '${name}' cannot begin with 'internal-'`);
    }
  }

  /** Target groups a load balancer forwards to (through its listeners). */
  private lbTargetGroups(lbArn: string): Set<string> {
    const out = new Set<string>();
    for (const l of this.listeners.values()) if (l.lbArn === lbArn) for (const arn of this.actionTargetGroups(l.defaultActions)) out.add(arn);
    return out;
  }

  private actionTargetGroups(actions: L.Action[]): string[] {
    return actions.flatMap((a) => [
      ...(a.TargetGroupArn ? [a.TargetGroupArn] : []),
      ...(a.ForwardConfig?.TargetGroups?.map((t) => t.TargetGroupArn).filter((x): x is string => !!x) ?? []),
    ]);
  }

  /** Load balancers that use a target group. */
  tgLoadBalancers(tgArn: string): string[] {
    const out = new Set<string>();
    for (const l of this.listeners.values()) if (this.actionTargetGroups(l.defaultActions).includes(tgArn)) out.add(l.lbArn);
    return [...out];
  }

  private validateSubnets(type: string, subnetIds: string[]): { vpcId: string } {
    if (!subnetIds.length) throw awsError('ValidationError', 'At least one subnet must be specified');
    const subnets = subnetIds.map((id) => {
      const s = this.w.ec2.subnets.get(id);
      if (!s) throw awsError('SubnetNotFound', `The subnet ID '${id}' is not valid`);
      return s;
    });
    const vpcId = subnets[0]!.vpcId;
    if (subnets.some((s) => s.vpcId !== vpcId)) throw awsError('InvalidConfigurationRequest', 'All subnets must belong to the same VPC');
    const azs = new Set(subnets.map((s) => s.az));
    if (azs.size !== subnets.length) throw awsError('InvalidConfigurationRequest', 'A load balancer cannot be attached to multiple subnets in the same Availability Zone');
    if (type === 'application' && azs.size < 2) throw awsError('ValidationError', 'At least two subnets in two different Availability Zones must be specified');
    return { vpcId };
  }

  private validateSgs(sgIds: string[], vpcId: string): void {
    if (sgIds.length > 5) throw awsError('TooManySecurityGroups', 'You have reached the maximum number of security groups (5) for this load balancer');
    for (const id of sgIds) {
      const g = this.w.ec2.securityGroups.get(id);
      if (!g || g.vpcId !== vpcId) throw awsError('InvalidSecurityGroup', `Security group '${id}' does not exist in VPC '${vpcId}'`);
    }
  }

  private lbOut(lb: LoadBalancerRec, now: number): L.LoadBalancer {
    return {
      LoadBalancerArn: lb.arn,
      DNSName: lb.dnsName,
      CanonicalHostedZoneId: HOSTED_ZONES[lb.type],
      CreatedTime: new Date(lb.createdAt),
      LoadBalancerName: lb.name,
      Scheme: lb.scheme,
      VpcId: lb.vpcId,
      State: { Code: this.lbState(lb, now) },
      Type: lb.type,
      AvailabilityZones: lb.subnets.map((id) => ({ SubnetId: id, ZoneName: this.w.ec2.subnets.get(id)?.az, LoadBalancerAddresses: [] })),
      ...(lb.securityGroups.length || lb.type === 'application' ? { SecurityGroups: [...lb.securityGroups] } : {}),
      IpAddressType: 'ipv4',
    };
  }

  private tgOut(tg: TargetGroupRec): L.TargetGroup {
    return {
      TargetGroupArn: tg.arn,
      TargetGroupName: tg.name,
      Protocol: tg.protocol as L.ProtocolEnum,
      Port: tg.port,
      VpcId: tg.vpcId,
      HealthCheckEnabled: tg.healthCheck.enabled,
      HealthCheckProtocol: tg.healthCheck.protocol as L.ProtocolEnum,
      HealthCheckPort: tg.healthCheck.port,
      HealthCheckIntervalSeconds: tg.healthCheck.intervalSeconds,
      HealthCheckTimeoutSeconds: tg.healthCheck.timeoutSeconds,
      HealthyThresholdCount: tg.healthCheck.healthyThreshold,
      UnhealthyThresholdCount: tg.healthCheck.unhealthyThreshold,
      ...(tg.healthCheck.path !== undefined && { HealthCheckPath: tg.healthCheck.path }),
      ...(tg.healthCheck.matcher !== undefined && { Matcher: { HttpCode: tg.healthCheck.matcher } }),
      LoadBalancerArns: this.tgLoadBalancers(tg.arn),
      TargetType: tg.targetType as L.TargetTypeEnum,
      ...(tg.protocol === 'HTTP' || tg.protocol === 'HTTPS' ? { ProtocolVersion: 'HTTP1' } : {}),
      IpAddressType: 'ipv4',
    };
  }

  private listenerOut(l: ListenerRec): L.Listener {
    return { ListenerArn: l.arn, LoadBalancerArn: l.lbArn, Port: l.port, Protocol: l.protocol as L.ProtocolEnum, DefaultActions: structuredClone(l.defaultActions) };
  }

  /** Registers a target (Auto Scaling does this for its instances) at a given simulated time. */
  registerTarget(tgArn: string, instanceId: string, at: number, port?: number): void {
    const tg = this.targetGroups.get(tgArn);
    if (!tg) return;
    const p = port ?? tg.port;
    const key = `${instanceId}:${p}`;
    const existing = tg.targets.get(key);
    if (existing && existing.deregisteredAt === undefined) return;
    tg.targets.set(key, { id: instanceId, port: p, registeredAt: at });
  }

  deregisterTarget(tgArn: string, instanceId: string, at: number): void {
    const tg = this.targetGroups.get(tgArn);
    if (!tg) return;
    for (const t of tg.targets.values()) if (t.id === instanceId && t.deregisteredAt === undefined) t.deregisteredAt = at;
  }

  /** Target health, computed from timestamps (see README). */
  targetHealth(tg: TargetGroupRec, t: TargetRec, now: number): L.TargetHealth {
    const drainMs = Number(tg.attributes.get('deregistration_delay.timeout_seconds') ?? '300') * 1000;
    if (t.deregisteredAt !== undefined) {
      if (now < t.deregisteredAt + drainMs) return { State: 'draining', Reason: 'Target.DeregistrationInProgress', Description: 'Target deregistration is in progress' };
      return { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' };
    }
    const inst = this.w.ec2.instances.get(t.id);
    if (!inst || this.w.ec2.compute.instanceState(inst, now).Name !== 'running') {
      return { State: 'unused', Reason: 'Target.InvalidState', Description: 'Target is in the stopped state' };
    }
    const lbs = this.tgLoadBalancers(tg.arn).map((arn) => this.loadBalancers.get(arn)).filter((x): x is LoadBalancerRec => !!x);
    if (!lbs.length) return { State: 'unused', Reason: 'Target.NotInUse', Description: 'Target group is not configured to receive traffic from the load balancer' };
    const listenerCreated = Math.min(...[...this.listeners.values()].filter((l) => this.actionTargetGroups(l.defaultActions).includes(tg.arn)).map((l) => l.createdAt));
    const lbActive = Math.min(...lbs.map((lb) => lb.createdAt + this.w.delays.lbActiveMs));
    const checkedFrom = Math.max(t.registeredAt, inst.runningAt, lbActive, listenerCreated);
    if (now < checkedFrom + this.w.delays.targetHealthyMs) {
      return { State: 'initial', Reason: 'Elb.InitialHealthChecking', Description: 'Initial health checks in progress' };
    }
    if (!inst.healthy) return { State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' };
    return { State: 'healthy' };
  }

  // ------------------------------------------------------------------ load balancers

  CreateLoadBalancer(input: L.CreateLoadBalancerCommandInput): Out<L.CreateLoadBalancerCommandOutput> {
    const name = required(input.Name, 'Name', 'ValidationError');
    this.validateName(name, 'Load balancer');
    const type = (input.Type ?? 'application') as string;
    if (type !== 'application' && type !== 'network') throw awsError('ValidationError', `Load balancer type '${type}' is not supported by fake-aws`);
    const scheme = (input.Scheme ?? 'internet-facing');
    const subnetIds = input.Subnets ?? input.SubnetMappings?.map((m) => required(m.SubnetId, 'SubnetMappings.SubnetId', 'ValidationError')) ?? [];
    const { vpcId } = this.validateSubnets(type, subnetIds);
    let sgs = input.SecurityGroups ?? [];
    if (type === 'application' && !sgs.length) {
      const def = [...this.w.ec2.securityGroups.values()].find((g) => g.vpcId === vpcId && g.name === 'default');
      sgs = def ? [def.id] : [];
    }
    this.validateSgs(sgs, vpcId);
    const existing = [...this.loadBalancers.values()].find((lb) => lb.name === name);
    if (existing) {
      // CreateLoadBalancer is idempotent: same settings -> the same load balancer; different -> duplicate.
      const same = existing.type === type && existing.scheme === scheme && sameSet(existing.subnets, subnetIds) && sameSet(existing.securityGroups, sgs);
      if (!same) throw awsError('DuplicateLoadBalancerName', `A load balancer with the same name '${name}' exists, but with different settings`);
      return { LoadBalancers: [this.lbOut(existing, this.w.now())] };
    }
    if (!scheme || (scheme !== 'internal' && scheme !== 'internet-facing')) throw awsError('ValidationError', `Scheme '${String(scheme)}' is not valid`);
    const tags: Tags = new Map();
    this.putTags(tags, input.Tags);
    const now = this.w.now();
    const id = this.w.ids.hex(16);
    const kind = type === 'network' ? 'net' : 'app';
    const arn = `${this.arnPrefix()}:loadbalancer/${kind}/${name}/${id}`;
    const dnsName =
      type === 'network'
        ? `${name}-${id}.elb.${this.w.region}.amazonaws.com`
        : `${scheme === 'internal' ? 'internal-' : ''}${name}-${this.w.ids.digits(10)}.${this.w.region}.elb.amazonaws.com`;
    const lb: LoadBalancerRec = {
      arn,
      name,
      type,
      scheme,
      vpcId,
      subnets: [...subnetIds],
      securityGroups: [...sgs],
      createdWithSgs: sgs.length > 0,
      dnsName,
      createdAt: now,
      attributes: new Map(Object.entries(type === 'network' ? NLB_ATTRIBUTES : ALB_ATTRIBUTES)),
      tags,
    };
    this.loadBalancers.set(arn, lb);
    this.w.ec2.interfaces.createLbEnis(lb, now);
    this.w.created(arn, `lbname:${name}`);
    return { LoadBalancers: [this.lbOut(lb, now)] };
  }

  DescribeLoadBalancers(input: L.DescribeLoadBalancersCommandInput): Out<L.DescribeLoadBalancersCommandOutput> {
    if (input.LoadBalancerArns?.length && input.Names?.length) throw awsError('ValidationError', 'Load balancer names and load balancer ARNs cannot be specified at the same time');
    if (input.PageSize !== undefined && (input.PageSize < 1 || input.PageSize > 400)) throw awsError('ValidationError', 'Page size must be between 1 and 400');
    let items = [...this.loadBalancers.values()];
    if (input.LoadBalancerArns?.length) {
      if (input.LoadBalancerArns.length > 20) throw awsError('ValidationError', 'A maximum of 20 load balancer ARNs can be specified');
      for (const arn of input.LoadBalancerArns) this.lb(arn);
      items = input.LoadBalancerArns.map((arn) => this.loadBalancers.get(arn)!);
    } else if (input.Names?.length) {
      items = input.Names.map((n) => {
        const lb = items.find((x) => x.name === n);
        if (!lb || this.w.hidden(`lbname:${n}`)) throw awsError('LoadBalancerNotFound', `Load balancers '[${n}]' not found`);
        return lb;
      });
    }
    const now = this.w.now();
    const { page, next } = paginate(items, input.Marker, input.PageSize, 400);
    return { LoadBalancers: page.map((lb) => this.lbOut(lb, now)), NextMarker: next };
  }

  DeleteLoadBalancer(input: L.DeleteLoadBalancerCommandInput): Out<L.DeleteLoadBalancerCommandOutput> {
    const arn = required(input.LoadBalancerArn, 'LoadBalancerArn', 'ValidationError');
    const lb = this.loadBalancers.get(arn);
    if (!lb) return {}; // deleting a load balancer that does not exist succeeds
    if (lb.attributes.get('deletion_protection.enabled') === 'true') {
      throw awsError('OperationNotPermitted', `Load balancer '${arn}' cannot be deleted because deletion protection is enabled`);
    }
    for (const [larn, l] of this.listeners) if (l.lbArn === arn) this.listeners.delete(larn);
    this.loadBalancers.delete(arn);
    this.w.ec2.interfaces.releaseLbEnis(arn, this.w.now() + this.w.delays.lbDeleteMs);
    return {};
  }

  DescribeLoadBalancerAttributes(input: L.DescribeLoadBalancerAttributesCommandInput): Out<L.DescribeLoadBalancerAttributesCommandOutput> {
    const lb = this.lb(required(input.LoadBalancerArn, 'LoadBalancerArn', 'ValidationError'));
    return { Attributes: [...lb.attributes].map(([Key, Value]) => ({ Key, Value })) };
  }

  ModifyLoadBalancerAttributes(input: L.ModifyLoadBalancerAttributesCommandInput): Out<L.ModifyLoadBalancerAttributesCommandOutput> {
    const lb = this.lb(required(input.LoadBalancerArn, 'LoadBalancerArn', 'ValidationError'));
    const allowed = lb.type === 'network' ? NLB_ATTRIBUTES : ALB_ATTRIBUTES;
    const attrs = required(input.Attributes, 'Attributes', 'ValidationError');
    for (const a of attrs) {
      validateAttribute(required(a.Key, 'Attributes.member.Key', 'ValidationError'), a.Value ?? '', allowed, 'Load balancer');
      if (lb.type === 'application' && a.Key === 'load_balancing.cross_zone.enabled' && a.Value !== 'true') {
        throw awsError('InvalidConfigurationRequest', 'Cross-zone load balancing cannot be disabled for Application Load Balancers');
      }
    }
    for (const a of attrs) lb.attributes.set(a.Key!, a.Value ?? '');
    return { Attributes: [...lb.attributes].map(([Key, Value]) => ({ Key, Value })) };
  }

  SetSecurityGroups(input: L.SetSecurityGroupsCommandInput): Out<L.SetSecurityGroupsCommandOutput> {
    const lb = this.lb(required(input.LoadBalancerArn, 'LoadBalancerArn', 'ValidationError'));
    const sgs = required(input.SecurityGroups, 'SecurityGroups', 'ValidationError');
    if (lb.type === 'network' && !lb.createdWithSgs) {
      throw awsError('InvalidConfigurationRequest', 'You cannot set security groups on a Network Load Balancer which was created without any security groups.');
    }
    if (lb.type === 'application' && !sgs.length) throw awsError('ValidationError', 'At least one security group must be specified');
    this.validateSgs(sgs, lb.vpcId);
    lb.securityGroups = [...sgs];
    this.w.ec2.interfaces.updateLbEnis(lb);
    return { SecurityGroupIds: [...sgs] };
  }

  SetSubnets(input: L.SetSubnetsCommandInput): Out<L.SetSubnetsCommandOutput> {
    const lb = this.lb(required(input.LoadBalancerArn, 'LoadBalancerArn', 'ValidationError'));
    const subnetIds = input.Subnets ?? input.SubnetMappings?.map((m) => m.SubnetId!) ?? [];
    const { vpcId } = this.validateSubnets(lb.type, subnetIds);
    if (vpcId !== lb.vpcId) throw awsError('InvalidConfigurationRequest', `Subnets must belong to the load balancer's VPC '${lb.vpcId}'`);
    lb.subnets = [...subnetIds];
    this.w.ec2.interfaces.updateLbEnis(lb);
    return { AvailabilityZones: this.lbOut(lb, this.w.now()).AvailabilityZones };
  }

  // ------------------------------------------------------------------ tags

  private taggable(arn: string): Tags {
    if (arn.includes(':loadbalancer/')) return this.lb(arn).tags;
    if (arn.includes(':targetgroup/')) return this.tg(arn).tags;
    if (arn.includes(':listener/')) return this.listener(arn).tags;
    throw awsError('ValidationError', `'${arn}' is not a valid resource ARN`);
  }

  AddTags(input: L.AddTagsCommandInput): Out<L.AddTagsCommandOutput> {
    const targets = required(input.ResourceArns, 'ResourceArns', 'ValidationError').map((arn) => this.taggable(arn));
    for (const tags of targets) this.putTags(new Map(tags), input.Tags);
    for (const tags of targets) this.putTags(tags, input.Tags);
    return {};
  }

  RemoveTags(input: L.RemoveTagsCommandInput): Out<L.RemoveTagsCommandOutput> {
    for (const arn of required(input.ResourceArns, 'ResourceArns', 'ValidationError')) {
      const tags = this.taggable(arn);
      for (const k of input.TagKeys ?? []) tags.delete(k);
    }
    return {};
  }

  DescribeTags(input: L.DescribeTagsCommandInput): Out<L.DescribeTagsCommandOutput> {
    const arns = required(input.ResourceArns, 'ResourceArns', 'ValidationError');
    if (arns.length > 20) {
      throw awsError('ValidationError', `1 validation error detected: Value '[...]' at 'resourceArns' failed to satisfy constraint: Member must have length less than or equal to 20`);
    }
    return { TagDescriptions: arns.map((arn) => ({ ResourceArn: arn, Tags: tagList(this.taggable(arn)) })) };
  }

  // ------------------------------------------------------------------ target groups

  CreateTargetGroup(input: L.CreateTargetGroupCommandInput): Out<L.CreateTargetGroupCommandOutput> {
    const name = required(input.Name, 'Name', 'ValidationError');
    this.validateName(name, 'Target group');
    const targetType = input.TargetType ?? 'instance';
    const protocol = required(input.Protocol, 'Protocol', 'ValidationError') as string;
    if (!['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP'].includes(protocol)) throw awsError('ValidationError', `Protocol '${protocol}' is not supported`);
    const port = required(input.Port, 'Port', 'ValidationError');
    if (port < 1 || port > 65535) throw awsError('ValidationError', 'Port must be between 1 and 65535');
    const vpcId = required(input.VpcId, 'VpcId', 'ValidationError');
    if (!this.w.ec2.vpcs.has(vpcId)) throw awsError('ValidationError', `The VPC ID '${vpcId}' is not found`);
    const l7 = protocol === 'HTTP' || protocol === 'HTTPS';
    const hcProtocol = (input.HealthCheckProtocol ?? (l7 ? protocol : 'TCP')) as string;
    if (hcProtocol === 'UDP' || hcProtocol === 'TCP_UDP') throw awsError('ValidationError', `Health check protocol '${hcProtocol}' is not supported`);
    const hcHttp = hcProtocol === 'HTTP' || hcProtocol === 'HTTPS';
    if (!hcHttp && (input.HealthCheckPath !== undefined || input.Matcher !== undefined)) {
      throw awsError('ValidationError', 'Health check path and matcher can only be set with HTTP or HTTPS health checks');
    }
    const interval = input.HealthCheckIntervalSeconds ?? 30;
    const timeout = input.HealthCheckTimeoutSeconds ?? (l7 ? 5 : hcHttp ? 6 : 10);
    if (interval < 5 || interval > 300) throw awsError('ValidationError', 'Health check interval must be between 5 and 300 seconds');
    if (timeout < 2 || timeout > 120) throw awsError('ValidationError', 'Health check timeout must be between 2 and 120 seconds');
    if (timeout >= interval) throw awsError('ValidationError', 'Health check timeout must be smaller than the interval');
    const healthy = input.HealthyThresholdCount ?? 5;
    const unhealthy = input.UnhealthyThresholdCount ?? (l7 ? 2 : 2);
    if (healthy < 2 || healthy > 10 || unhealthy < 2 || unhealthy > 10) throw awsError('ValidationError', 'Health check thresholds must be between 2 and 10');
    const healthCheck: TargetGroupRec['healthCheck'] = {
      enabled: input.HealthCheckEnabled ?? true,
      protocol: hcProtocol,
      port: input.HealthCheckPort ?? 'traffic-port',
      ...(hcHttp && { path: input.HealthCheckPath ?? '/', matcher: input.Matcher?.HttpCode ?? '200' }),
      intervalSeconds: interval,
      timeoutSeconds: timeout,
      healthyThreshold: healthy,
      unhealthyThreshold: unhealthy,
    };
    const existing = [...this.targetGroups.values()].find((t) => t.name === name);
    if (existing) {
      const same = existing.protocol === protocol && existing.port === port && existing.vpcId === vpcId && existing.targetType === targetType &&
        JSON.stringify(existing.healthCheck) === JSON.stringify(healthCheck);
      if (!same) throw awsError('DuplicateTargetGroupName', `A target group with the same name '${name}' exists, but with different settings`);
      return { TargetGroups: [this.tgOut(existing)] };
    }
    const tags: Tags = new Map();
    this.putTags(tags, input.Tags);
    const arn = `${this.arnPrefix()}:targetgroup/${name}/${this.w.ids.hex(16)}`;
    const tg: TargetGroupRec = {
      arn,
      name,
      protocol,
      port,
      vpcId,
      targetType,
      healthCheck,
      attributes: new Map(Object.entries(TG_ATTRIBUTES)),
      targets: new Map(),
      tags,
    };
    this.targetGroups.set(arn, tg);
    this.w.created(arn, `tgname:${name}`);
    return { TargetGroups: [this.tgOut(tg)] };
  }

  DescribeTargetGroups(input: L.DescribeTargetGroupsCommandInput): Out<L.DescribeTargetGroupsCommandOutput> {
    let items = [...this.targetGroups.values()];
    if (input.TargetGroupArns?.length) {
      for (const arn of input.TargetGroupArns) this.tg(arn);
      items = input.TargetGroupArns.map((arn) => this.targetGroups.get(arn)!);
    } else if (input.Names?.length) {
      items = input.Names.map((n) => {
        const tg = items.find((x) => x.name === n);
        if (!tg || this.w.hidden(`tgname:${n}`)) throw awsError('TargetGroupNotFound', `Target groups '[${n}]' not found`);
        return tg;
      });
    }
    if (input.LoadBalancerArn) {
      this.lb(input.LoadBalancerArn);
      const used = this.lbTargetGroups(input.LoadBalancerArn);
      items = items.filter((t) => used.has(t.arn));
    }
    const { page, next } = paginate(items, input.Marker, input.PageSize, 400);
    return { TargetGroups: page.map((t) => this.tgOut(t)), NextMarker: next };
  }

  ModifyTargetGroup(input: L.ModifyTargetGroupCommandInput): Out<L.ModifyTargetGroupCommandOutput> {
    const tg = this.tg(required(input.TargetGroupArn, 'TargetGroupArn', 'ValidationError'));
    const hc = { ...tg.healthCheck };
    if (input.HealthCheckProtocol !== undefined) hc.protocol = input.HealthCheckProtocol;
    if (input.HealthCheckPort !== undefined) hc.port = input.HealthCheckPort;
    if (input.HealthCheckPath !== undefined) hc.path = input.HealthCheckPath;
    if (input.HealthCheckEnabled !== undefined) hc.enabled = input.HealthCheckEnabled;
    if (input.HealthCheckIntervalSeconds !== undefined) hc.intervalSeconds = input.HealthCheckIntervalSeconds;
    if (input.HealthCheckTimeoutSeconds !== undefined) hc.timeoutSeconds = input.HealthCheckTimeoutSeconds;
    if (input.HealthyThresholdCount !== undefined) hc.healthyThreshold = input.HealthyThresholdCount;
    if (input.UnhealthyThresholdCount !== undefined) hc.unhealthyThreshold = input.UnhealthyThresholdCount;
    if (input.Matcher?.HttpCode !== undefined) hc.matcher = input.Matcher.HttpCode;
    if (hc.timeoutSeconds >= hc.intervalSeconds) throw awsError('ValidationError', 'Health check timeout must be smaller than the interval');
    if (hc.intervalSeconds < 5 || hc.intervalSeconds > 300) throw awsError('ValidationError', 'Health check interval must be between 5 and 300 seconds');
    if ((hc.protocol === 'HTTP' || hc.protocol === 'HTTPS') && hc.path === undefined) hc.path = '/';
    tg.healthCheck = hc;
    return { TargetGroups: [this.tgOut(tg)] };
  }

  DescribeTargetGroupAttributes(input: L.DescribeTargetGroupAttributesCommandInput): Out<L.DescribeTargetGroupAttributesCommandOutput> {
    const tg = this.tg(required(input.TargetGroupArn, 'TargetGroupArn', 'ValidationError'));
    return { Attributes: [...tg.attributes].map(([Key, Value]) => ({ Key, Value })) };
  }

  ModifyTargetGroupAttributes(input: L.ModifyTargetGroupAttributesCommandInput): Out<L.ModifyTargetGroupAttributesCommandOutput> {
    const tg = this.tg(required(input.TargetGroupArn, 'TargetGroupArn', 'ValidationError'));
    const attrs = required(input.Attributes, 'Attributes', 'ValidationError');
    for (const a of attrs) validateAttribute(required(a.Key, 'Attributes.member.Key', 'ValidationError'), a.Value ?? '', TG_ATTRIBUTES, 'Target group');
    for (const a of attrs) tg.attributes.set(a.Key!, a.Value ?? '');
    return { Attributes: [...tg.attributes].map(([Key, Value]) => ({ Key, Value })) };
  }

  DeleteTargetGroup(input: L.DeleteTargetGroupCommandInput): Out<L.DeleteTargetGroupCommandOutput> {
    const arn = required(input.TargetGroupArn, 'TargetGroupArn', 'ValidationError');
    if (!this.targetGroups.has(arn)) return {}; // idempotent, like AWS
    if (this.tgLoadBalancers(arn).length) throw awsError('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`);
    this.targetGroups.delete(arn);
    return {};
  }

  RegisterTargets(input: L.RegisterTargetsCommandInput): Out<L.RegisterTargetsCommandOutput> {
    const tg = this.tg(required(input.TargetGroupArn, 'TargetGroupArn', 'ValidationError'));
    const targets = required(input.Targets, 'Targets', 'ValidationError');
    const now = this.w.now();
    for (const t of targets) {
      const inst = this.w.ec2.instances.get(required(t.Id, 'Targets.member.Id', 'ValidationError'));
      if (!inst) throw awsError('InvalidTarget', `The following targets are not valid instances: '${t.Id}'`);
      const state = this.w.ec2.compute.instanceState(inst, now).Name;
      if (state !== 'running' && state !== 'pending') throw awsError('InvalidTarget', `The following targets are not in a running state and cannot be registered: '${t.Id}'`);
      if (inst.vpcId !== tg.vpcId) throw awsError('InvalidTarget', `The following targets are not in the target group VPC '${tg.vpcId}': '${t.Id}'`);
    }
    for (const t of targets) this.registerTarget(tg.arn, t.Id!, now, t.Port);
    return {};
  }

  DeregisterTargets(input: L.DeregisterTargetsCommandInput): Out<L.DeregisterTargetsCommandOutput> {
    const tg = this.tg(required(input.TargetGroupArn, 'TargetGroupArn', 'ValidationError'));
    const now = this.w.now();
    for (const t of required(input.Targets, 'Targets', 'ValidationError')) this.deregisterTarget(tg.arn, t.Id!, now);
    return {};
  }

  DescribeTargetHealth(input: L.DescribeTargetHealthCommandInput): Out<L.DescribeTargetHealthCommandOutput> {
    const tg = this.tg(required(input.TargetGroupArn, 'TargetGroupArn', 'ValidationError'));
    const now = this.w.now();
    const drainMs = Number(tg.attributes.get('deregistration_delay.timeout_seconds') ?? '300') * 1000;
    // forget targets whose draining finished
    for (const [k, t] of tg.targets) if (t.deregisteredAt !== undefined && now >= t.deregisteredAt + drainMs) tg.targets.delete(k);
    let targets = [...tg.targets.values()];
    if (input.Targets?.length) {
      return {
        TargetHealthDescriptions: input.Targets.map((q) => {
          const t = targets.find((x) => x.id === q.Id && (q.Port === undefined || x.port === q.Port));
          if (!t) {
            if (!this.w.ec2.instances.has(q.Id ?? '')) throw awsError('InvalidTarget', `The following targets are not valid instances: '${q.Id}'`);
            return { Target: { Id: q.Id, Port: q.Port ?? tg.port }, TargetHealth: { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' } };
          }
          return { Target: { Id: t.id, Port: t.port }, HealthCheckPort: tg.healthCheck.port === 'traffic-port' ? String(t.port) : tg.healthCheck.port, TargetHealth: this.targetHealth(tg, t, now) };
        }),
      };
    }
    targets = targets.sort((a, b) => a.registeredAt - b.registeredAt);
    return {
      TargetHealthDescriptions: targets.map((t) => ({
        Target: { Id: t.id, Port: t.port, AvailabilityZone: this.w.ec2.instances.get(t.id)?.az },
        HealthCheckPort: tg.healthCheck.port === 'traffic-port' ? String(t.port) : tg.healthCheck.port,
        TargetHealth: this.targetHealth(tg, t, now),
      })),
    };
  }

  // ------------------------------------------------------------------ listeners

  private validateListener(lb: LoadBalancerRec, protocol: string, port: number, actions: L.Action[], self?: ListenerRec): void {
    const l7 = ['HTTP', 'HTTPS'];
    const l4 = ['TCP', 'UDP', 'TLS', 'TCP_UDP'];
    if (!(lb.type === 'application' ? l7 : l4).includes(protocol)) {
      throw awsError('UnsupportedProtocol', `Protocol '${protocol}' is not supported for load balancers of type '${lb.type}'`);
    }
    if (port < 1 || port > 65535) throw awsError('ValidationError', 'Port must be between 1 and 65535');
    if (protocol === 'HTTPS' || protocol === 'TLS') throw awsError('ValidationError', `fake-aws does not model certificates (protocol ${protocol})`);
    if (!actions.length) throw awsError('ValidationError', 'At least one default action must be specified');
    for (const a of actions) {
      if (a.Type !== 'forward') throw awsError('ValidationError', `fake-aws models only 'forward' default actions, got '${a.Type}'`);
      const arns = this.actionTargetGroups([a]);
      if (!arns.length) throw awsError('ValidationError', 'A target group ARN must be specified for forward actions');
      for (const arn of arns) {
        const tg = this.tg(arn);
        const compatible = lb.type === 'application' ? l7.includes(tg.protocol) : protocol === 'TCP_UDP' ? tg.protocol === 'TCP_UDP' : tg.protocol === protocol || tg.protocol === 'TCP_UDP';
        if (!compatible) throw awsError('IncompatibleProtocols', `The listener protocol '${protocol}' is not compatible with target group protocol '${tg.protocol}'`);
        if (tg.vpcId !== lb.vpcId) throw awsError('InvalidConfigurationRequest', `Target group '${arn}' is in VPC '${tg.vpcId}', not in the load balancer's VPC '${lb.vpcId}'`);
        const others = this.tgLoadBalancers(arn).filter((x) => x !== lb.arn);
        if (others.length) throw awsError('TargetGroupAssociationLimit', `The following target groups cannot be associated with more than one load balancer: ${arn}`);
      }
    }
    const clash = [...this.listeners.values()].find((l) => l.lbArn === lb.arn && l.port === port && l !== self);
    if (clash && self) throw awsError('DuplicateListener', `A listener already exists on this port for this load balancer '${lb.arn}'`);
  }

  CreateListener(input: L.CreateListenerCommandInput): Out<L.CreateListenerCommandOutput> {
    const lb = this.lb(required(input.LoadBalancerArn, 'LoadBalancerArn', 'ValidationError'));
    const protocol = (input.Protocol ?? (lb.type === 'application' ? 'HTTP' : 'TCP')) as string;
    const port = required(input.Port, 'Port', 'ValidationError');
    const actions = required(input.DefaultActions, 'DefaultActions', 'ValidationError');
    const existing = [...this.listeners.values()].find((l) => l.lbArn === lb.arn && l.port === port);
    if (existing) {
      // CreateListener is idempotent: the same settings return the existing listener.
      const same = existing.protocol === protocol && JSON.stringify(this.actionTargetGroups(existing.defaultActions)) === JSON.stringify(this.actionTargetGroups(actions));
      if (!same) throw awsError('DuplicateListener', `A listener already exists on this port for this load balancer '${lb.arn}'`);
      return { Listeners: [this.listenerOut(existing)] };
    }
    this.validateListener(lb, protocol, port, actions);
    const tags: Tags = new Map();
    this.putTags(tags, input.Tags);
    const kind = lb.type === 'network' ? 'net' : 'app';
    const lbId = lb.arn.split('/').slice(-1)[0];
    const arn = `${this.arnPrefix()}:listener/${kind}/${lb.name}/${lbId}/${this.w.ids.hex(16)}`;
    const normalized = actions.map((a, i) => ({ ...structuredClone(a), Order: a.Order ?? i + 1 }));
    for (const a of normalized) {
      if (a.TargetGroupArn && !a.ForwardConfig) a.ForwardConfig = { TargetGroups: [{ TargetGroupArn: a.TargetGroupArn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } };
    }
    const l: ListenerRec = { arn, lbArn: lb.arn, port, protocol, defaultActions: normalized, createdAt: this.w.now(), tags };
    this.listeners.set(arn, l);
    this.w.created(arn);
    return { Listeners: [this.listenerOut(l)] };
  }

  DescribeListeners(input: L.DescribeListenersCommandInput): Out<L.DescribeListenersCommandOutput> {
    if (!input.LoadBalancerArn && !input.ListenerArns?.length) throw awsError('ValidationError', 'You must specify either listener ARNs or a load balancer ARN');
    let items: ListenerRec[];
    if (input.ListenerArns?.length) items = input.ListenerArns.map((arn) => this.listener(arn));
    else {
      const lb = this.lb(input.LoadBalancerArn!);
      items = [...this.listeners.values()].filter((l) => l.lbArn === lb.arn);
    }
    const { page, next } = paginate(items, input.Marker, input.PageSize, 400);
    return { Listeners: page.map((l) => this.listenerOut(l)), NextMarker: next };
  }

  ModifyListener(input: L.ModifyListenerCommandInput): Out<L.ModifyListenerCommandOutput> {
    const l = this.listener(required(input.ListenerArn, 'ListenerArn', 'ValidationError'));
    const lb = this.lb(l.lbArn);
    const protocol = (input.Protocol ?? l.protocol);
    const port = input.Port ?? l.port;
    const actions = input.DefaultActions ?? l.defaultActions;
    this.validateListener(lb, protocol, port, actions, l);
    l.protocol = protocol;
    l.port = port;
    if (input.DefaultActions) l.defaultActions = input.DefaultActions.map((a, i) => ({ ...structuredClone(a), Order: a.Order ?? i + 1 }));
    return { Listeners: [this.listenerOut(l)] };
  }

  DeleteListener(input: L.DeleteListenerCommandInput): Out<L.DeleteListenerCommandOutput> {
    const l = this.listener(required(input.ListenerArn, 'ListenerArn', 'ValidationError'));
    this.listeners.delete(l.arn);
    return {};
  }
}
