import type * as E from '@aws-sdk/client-ec2';
import { checkMaxResults, ClientTokens } from './ec2-common.js';
import { awsError } from './errors.js';
import type { World } from './world.js';
import { applyEc2Filters, paginate, parseCidr, required, tagList, type Tags } from './util.js';

type Out<T> = Omit<T, '$metadata'>;

export interface MirrorRuleRec {
  id: string;
  direction: 'ingress' | 'egress';
  number: number;
  action: string;
  protocol?: number;
  source: string;
  destination: string;
  sourcePorts?: { from: number; to: number };
  destinationPorts?: { from: number; to: number };
  description?: string;
}
export interface MirrorFilterRec {
  id: string;
  description?: string;
  networkServices: string[];
  rules: MirrorRuleRec[];
  tags: Tags;
}
export interface MirrorTargetRec {
  id: string;
  nlbArn?: string;
  eniId?: string;
  description?: string;
  tags: Tags;
}
export interface MirrorSessionRec {
  id: string;
  eniId: string;
  targetId: string;
  filterId: string;
  sessionNumber: number;
  vni: number;
  packetLength?: number;
  description?: string;
  tags: Tags;
}

/** AWS quotas (not adjustable). Error codes for exceeding them are best-effort (not verified against AWS). */
export const MIRROR_QUOTAS = { sessionsPerAccount: 10_000, sessionsPerEni: 3, rulesPerFilter: 10 };

const XEN_FAMILIES = new Set(['t2', 'm4', 'c4', 'r4', 'x1', 'i3', 'd2', 'h1', 'p2', 'p3', 'g3', 'f1']);

/** EC2 traffic mirroring (filters, rules, targets, sessions). Error codes for rule/number clashes are best-effort. */
export class MirroringModel {
  readonly filters = new Map<string, MirrorFilterRec>();
  readonly targets = new Map<string, MirrorTargetRec>();
  readonly sessions = new Map<string, MirrorSessionRec>();
  /** Sessions per source ENI (a session's ENI never changes): quota checks and ENI removal without a scan. */
  private readonly byEni = new Map<string, Set<MirrorSessionRec>>();
  private readonly tokens = new ClientTokens();
  /** Sessions per account (lower it in a test to reach the quota cheaply). */
  sessionQuota = MIRROR_QUOTAS.sessionsPerAccount;

  constructor(private readonly w: World) {}

  /** Sessions whose source ENI is gone (deleted, instance terminated) are gone too, as in AWS. */
  settle(): void {
    for (const eni of this.w.ec2.interfaces.takeRemovedEnis()) for (const s of this.onEni(eni)) this.removeSession(s);
  }

  private onEni(eniId: string): MirrorSessionRec[] {
    return [...(this.byEni.get(eniId) ?? [])];
  }

  private addSession(s: MirrorSessionRec): void {
    this.sessions.set(s.id, s);
    const set = this.byEni.get(s.eniId) ?? new Set();
    this.byEni.set(s.eniId, set.add(s));
  }

  private removeSession(s: MirrorSessionRec): void {
    this.sessions.delete(s.id);
    const set = this.byEni.get(s.eniId);
    set?.delete(s);
    if (set?.size === 0) this.byEni.delete(s.eniId);
  }

  /** MaxResults 5-1000; without it a page holds 1000 (callers must follow NextToken). */
  private page<T>(items: T[], input: { NextToken?: string; MaxResults?: number }): { page: T[]; next?: string } {
    checkMaxResults(input.MaxResults);
    return paginate(items, input.NextToken, input.MaxResults, 1000);
  }

  private tags(specs: E.TagSpecification[] | undefined, type: string): Tags {
    const tags: Tags = new Map();
    for (const s of specs ?? []) {
      if (s.ResourceType !== type) throw awsError('InvalidParameterValue', `'${s.ResourceType}' is not a valid taggable resource type for this operation.`);
      for (const t of s.Tags ?? []) {
        if (!t.Key || t.Key.toLowerCase().startsWith('aws:')) throw awsError('InvalidParameterValue', `Invalid tag key '${t.Key}'`);
        tags.set(t.Key, t.Value ?? '');
      }
    }
    return tags;
  }

  private filter(id: string | undefined): MirrorFilterRec {
    const f = this.filters.get(required(id, 'TrafficMirrorFilterId'));
    if (!f || this.w.hidden(f.id)) throw awsError('InvalidTrafficMirrorFilterId.NotFound', `The traffic mirror filter '${id}' does not exist.`);
    return f;
  }
  private target(id: string | undefined): MirrorTargetRec {
    const t = this.targets.get(required(id, 'TrafficMirrorTargetId'));
    if (!t || this.w.hidden(t.id)) throw awsError('InvalidTrafficMirrorTargetId.NotFound', `The traffic mirror target '${id}' does not exist.`);
    return t;
  }
  private session(id: string | undefined): MirrorSessionRec {
    const s = this.sessions.get(required(id, 'TrafficMirrorSessionId'));
    if (!s || this.w.hidden(s.id)) throw awsError('InvalidTrafficMirrorSessionId.NotFound', `The traffic mirror session '${id}' does not exist.`);
    return s;
  }

  private ruleOut(f: MirrorFilterRec, r: MirrorRuleRec): E.TrafficMirrorFilterRule {
    return {
      TrafficMirrorFilterRuleId: r.id,
      TrafficMirrorFilterId: f.id,
      TrafficDirection: r.direction,
      RuleNumber: r.number,
      RuleAction: r.action as E.TrafficMirrorRuleAction,
      ...(r.protocol !== undefined && { Protocol: r.protocol }),
      SourceCidrBlock: r.source,
      DestinationCidrBlock: r.destination,
      ...(r.sourcePorts && { SourcePortRange: { FromPort: r.sourcePorts.from, ToPort: r.sourcePorts.to } }),
      ...(r.destinationPorts && { DestinationPortRange: { FromPort: r.destinationPorts.from, ToPort: r.destinationPorts.to } }),
      ...(r.description !== undefined && { Description: r.description }),
    };
  }

  private filterOut(f: MirrorFilterRec): E.TrafficMirrorFilter {
    return {
      TrafficMirrorFilterId: f.id,
      Description: f.description,
      NetworkServices: [...f.networkServices] as E.TrafficMirrorNetworkService[],
      IngressFilterRules: f.rules.filter((r) => r.direction === 'ingress').sort((a, b) => a.number - b.number).map((r) => this.ruleOut(f, r)),
      EgressFilterRules: f.rules.filter((r) => r.direction === 'egress').sort((a, b) => a.number - b.number).map((r) => this.ruleOut(f, r)),
      Tags: tagList(f.tags),
    };
  }

  private targetOut(t: MirrorTargetRec): E.TrafficMirrorTarget {
    return {
      TrafficMirrorTargetId: t.id,
      ...(t.nlbArn && { NetworkLoadBalancerArn: t.nlbArn, Type: 'network-load-balancer' as const }),
      ...(t.eniId && { NetworkInterfaceId: t.eniId, Type: 'network-interface' as const }),
      Description: t.description,
      OwnerId: this.w.accountId,
      Tags: tagList(t.tags),
    };
  }

  private sessionOut(s: MirrorSessionRec): E.TrafficMirrorSession {
    return {
      TrafficMirrorSessionId: s.id,
      NetworkInterfaceId: s.eniId,
      TrafficMirrorTargetId: s.targetId,
      TrafficMirrorFilterId: s.filterId,
      SessionNumber: s.sessionNumber,
      VirtualNetworkId: s.vni,
      ...(s.packetLength !== undefined && { PacketLength: s.packetLength }),
      Description: s.description,
      OwnerId: this.w.accountId,
      Tags: tagList(s.tags),
    };
  }

  // ------------------------------------------------------------------ filters

  CreateTrafficMirrorFilter(input: E.CreateTrafficMirrorFilterCommandInput): Out<E.CreateTrafficMirrorFilterCommandOutput> {
    return this.tokens.run('CreateTrafficMirrorFilter', input.ClientToken, input, () => {
      const f: MirrorFilterRec = { id: this.w.ids.ec2('tmf'), description: input.Description, networkServices: [], rules: [], tags: this.tags(input.TagSpecifications, 'traffic-mirror-filter') };
      this.filters.set(f.id, f);
      this.w.created(f.id);
      return { TrafficMirrorFilter: this.filterOut(f), ClientToken: input.ClientToken };
    });
  }

  ModifyTrafficMirrorFilterNetworkServices(input: E.ModifyTrafficMirrorFilterNetworkServicesCommandInput): Out<E.ModifyTrafficMirrorFilterNetworkServicesCommandOutput> {
    const f = this.filter(input.TrafficMirrorFilterId);
    for (const s of [...(input.AddNetworkServices ?? []), ...(input.RemoveNetworkServices ?? [])]) {
      if (s !== 'amazon-dns') throw awsError('InvalidParameterValue', `Invalid network service '${s as string}'`);
    }
    for (const s of input.AddNetworkServices ?? []) if (!f.networkServices.includes(s)) f.networkServices.push(s);
    f.networkServices = f.networkServices.filter((s) => !(input.RemoveNetworkServices ?? []).includes(s as E.TrafficMirrorNetworkService));
    return { TrafficMirrorFilter: this.filterOut(f) };
  }

  CreateTrafficMirrorFilterRule(input: E.CreateTrafficMirrorFilterRuleCommandInput): Out<E.CreateTrafficMirrorFilterRuleCommandOutput> {
    return this.tokens.run('CreateTrafficMirrorFilterRule', input.ClientToken, input, () => {
      const f = this.filter(input.TrafficMirrorFilterId);
      const direction = required(input.TrafficDirection, 'TrafficDirection');
      const number = required(input.RuleNumber, 'RuleNumber');
      if (number < 1 || number > 32766) throw awsError('InvalidParameterValue', 'RuleNumber must be between 1 and 32766');
      const action = required(input.RuleAction, 'RuleAction');
      const source = required(input.SourceCidrBlock, 'SourceCidrBlock');
      const destination = required(input.DestinationCidrBlock, 'DestinationCidrBlock');
      for (const c of [source, destination]) if (!parseCidr(c)) throw awsError('InvalidParameterValue', `CIDR block ${c} is malformed`);
      if (input.Protocol !== undefined && (input.Protocol < 0 || input.Protocol > 255)) throw awsError('InvalidParameterValue', 'Protocol must be between 0 and 255');
      if ((input.SourcePortRange || input.DestinationPortRange) && input.Protocol !== 6 && input.Protocol !== 17) {
        throw awsError('InvalidParameterValue', 'Port ranges can only be specified for TCP (6) or UDP (17)');
      }
      if (f.rules.some((r) => r.direction === direction && r.number === number)) {
        throw awsError('InvalidParameterValue', `A traffic mirror filter rule with rule number ${number} already exists in the ${direction} direction of ${f.id}`);
      }
      if (f.rules.length >= MIRROR_QUOTAS.rulesPerFilter) {
        throw awsError('TrafficMirrorFilterRuleLimitExceeded', `The traffic mirror filter '${f.id}' already has the maximum number of rules (${MIRROR_QUOTAS.rulesPerFilter}).`);
      }
      const ports = (p: E.TrafficMirrorPortRangeRequest | undefined) => (p ? { from: p.FromPort ?? 0, to: p.ToPort ?? 65535 } : undefined);
      const r: MirrorRuleRec = {
        id: this.w.ids.ec2('tmfr'),
        direction,
        number,
        action,
        protocol: input.Protocol,
        source,
        destination,
        sourcePorts: ports(input.SourcePortRange),
        destinationPorts: ports(input.DestinationPortRange),
        description: input.Description,
      };
      f.rules.push(r);
      return { TrafficMirrorFilterRule: this.ruleOut(f, r), ClientToken: input.ClientToken };
    });
  }

  ModifyTrafficMirrorFilterRule(input: E.ModifyTrafficMirrorFilterRuleCommandInput): Out<E.ModifyTrafficMirrorFilterRuleCommandOutput> {
    const id = required(input.TrafficMirrorFilterRuleId, 'TrafficMirrorFilterRuleId');
    const f = [...this.filters.values()].find((x) => x.rules.some((r) => r.id === id));
    if (!f) throw awsError('InvalidTrafficMirrorFilterRuleId.NotFound', `The traffic mirror filter rule '${id}' does not exist.`);
    const old = f.rules.find((r) => r.id === id)!;
    const r: MirrorRuleRec = { ...old };
    if (input.TrafficDirection !== undefined) r.direction = input.TrafficDirection;
    if (input.RuleNumber !== undefined) r.number = input.RuleNumber;
    if (input.RuleAction !== undefined) r.action = input.RuleAction;
    if (input.Protocol !== undefined) r.protocol = input.Protocol;
    if (input.SourceCidrBlock !== undefined) r.source = input.SourceCidrBlock;
    if (input.DestinationCidrBlock !== undefined) r.destination = input.DestinationCidrBlock;
    if (input.SourcePortRange) r.sourcePorts = { from: input.SourcePortRange.FromPort ?? 0, to: input.SourcePortRange.ToPort ?? 65535 };
    if (input.DestinationPortRange) r.destinationPorts = { from: input.DestinationPortRange.FromPort ?? 0, to: input.DestinationPortRange.ToPort ?? 65535 };
    if (input.Description !== undefined) r.description = input.Description;
    for (const field of input.RemoveFields ?? []) {
      if (field === 'protocol') r.protocol = undefined;
      if (field === 'source-port-range') r.sourcePorts = undefined;
      if (field === 'destination-port-range') r.destinationPorts = undefined;
      if (field === 'description') r.description = undefined;
    }
    if (r.number < 1 || r.number > 32766) throw awsError('InvalidParameterValue', 'RuleNumber must be between 1 and 32766');
    for (const c of [r.source, r.destination]) if (!parseCidr(c)) throw awsError('InvalidParameterValue', `CIDR block ${c} is malformed`);
    if (r.protocol !== undefined && (r.protocol < 0 || r.protocol > 255)) throw awsError('InvalidParameterValue', 'Protocol must be between 0 and 255');
    if ((r.sourcePorts || r.destinationPorts) && r.protocol !== 6 && r.protocol !== 17) throw awsError('InvalidParameterValue', 'Port ranges can only be specified for TCP (6) or UDP (17)');
    if (f.rules.some((x) => x.id !== id && x.direction === r.direction && x.number === r.number)) {
      throw awsError('InvalidParameterValue', `A traffic mirror filter rule with rule number ${r.number} already exists in the ${r.direction} direction of ${f.id}`);
    }
    f.rules = f.rules.map((x) => (x.id === id ? r : x));
    return { TrafficMirrorFilterRule: this.ruleOut(f, r) };
  }

  DeleteTrafficMirrorFilterRule(input: E.DeleteTrafficMirrorFilterRuleCommandInput): Out<E.DeleteTrafficMirrorFilterRuleCommandOutput> {
    const id = required(input.TrafficMirrorFilterRuleId, 'TrafficMirrorFilterRuleId');
    const f = [...this.filters.values()].find((x) => x.rules.some((r) => r.id === id));
    if (!f) throw awsError('InvalidTrafficMirrorFilterRuleId.NotFound', `The traffic mirror filter rule '${id}' does not exist.`);
    f.rules = f.rules.filter((r) => r.id !== id);
    return { TrafficMirrorFilterRuleId: id };
  }

  DeleteTrafficMirrorFilter(input: E.DeleteTrafficMirrorFilterCommandInput): Out<E.DeleteTrafficMirrorFilterCommandOutput> {
    const f = this.filter(input.TrafficMirrorFilterId);
    if ([...this.sessions.values()].some((s) => s.filterId === f.id)) throw awsError('DependencyViolation', `The traffic mirror filter '${f.id}' is in use by a traffic mirror session.`);
    this.filters.delete(f.id);
    return { TrafficMirrorFilterId: f.id };
  }

  DescribeTrafficMirrorFilters(input: E.DescribeTrafficMirrorFiltersCommandInput): Out<E.DescribeTrafficMirrorFiltersCommandOutput> {
    let items = [...this.filters.values()];
    if (input.TrafficMirrorFilterIds?.length) {
      for (const id of input.TrafficMirrorFilterIds) this.filter(id);
      items = items.filter((f) => input.TrafficMirrorFilterIds!.includes(f.id));
    }
    // Documented filters only: description, traffic-mirror-filter-id (no tag filters, unlike most EC2 describes).
    items = applyEc2Filters(items, input.Filters, { 'traffic-mirror-filter-id': (f) => f.id, description: (f) => f.description }, undefined);
    const { page, next } = this.page(items, input);
    return { TrafficMirrorFilters: page.map((f) => this.filterOut(f)), NextToken: next };
  }

  // ------------------------------------------------------------------ targets

  CreateTrafficMirrorTarget(input: E.CreateTrafficMirrorTargetCommandInput): Out<E.CreateTrafficMirrorTargetCommandOutput> {
    return this.tokens.run('CreateTrafficMirrorTarget', input.ClientToken, input, () => {
      const kinds = [input.NetworkLoadBalancerArn, input.NetworkInterfaceId, input.GatewayLoadBalancerEndpointId].filter(Boolean);
      if (kinds.length !== 1) throw awsError('InvalidParameterCombination', 'Specify exactly one of NetworkLoadBalancerArn, NetworkInterfaceId or GatewayLoadBalancerEndpointId');
      if (input.GatewayLoadBalancerEndpointId) throw awsError('InvalidParameterValue', 'fake-aws does not model Gateway Load Balancer endpoints');
      if (input.NetworkLoadBalancerArn) {
        const lb = this.w.elbv2.loadBalancers.get(input.NetworkLoadBalancerArn);
        if (!lb) throw awsError('LoadBalancerNotFound', `Load balancer '${input.NetworkLoadBalancerArn}' not found`);
        if (lb.type !== 'network') throw awsError('InvalidParameterValue', `Load balancer '${lb.arn}' is not a Network Load Balancer`);
      }
      if (input.NetworkInterfaceId && !this.w.ec2.networkInterfaces.has(input.NetworkInterfaceId)) {
        throw awsError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${input.NetworkInterfaceId}' does not exist`);
      }
      const t: MirrorTargetRec = {
        id: this.w.ids.ec2('tmt'),
        nlbArn: input.NetworkLoadBalancerArn,
        eniId: input.NetworkInterfaceId,
        description: input.Description,
        tags: this.tags(input.TagSpecifications, 'traffic-mirror-target'),
      };
      this.targets.set(t.id, t);
      this.w.created(t.id);
      return { TrafficMirrorTarget: this.targetOut(t), ClientToken: input.ClientToken };
    });
  }

  DeleteTrafficMirrorTarget(input: E.DeleteTrafficMirrorTargetCommandInput): Out<E.DeleteTrafficMirrorTargetCommandOutput> {
    const t = this.target(input.TrafficMirrorTargetId);
    if ([...this.sessions.values()].some((s) => s.targetId === t.id)) throw awsError('DependencyViolation', `The traffic mirror target '${t.id}' is in use by a traffic mirror session.`);
    this.targets.delete(t.id);
    return { TrafficMirrorTargetId: t.id };
  }

  DescribeTrafficMirrorTargets(input: E.DescribeTrafficMirrorTargetsCommandInput): Out<E.DescribeTrafficMirrorTargetsCommandOutput> {
    let items = [...this.targets.values()];
    if (input.TrafficMirrorTargetIds?.length) {
      for (const id of input.TrafficMirrorTargetIds) this.target(id);
      items = items.filter((t) => input.TrafficMirrorTargetIds!.includes(t.id));
    }
    items = applyEc2Filters(
      items,
      input.Filters,
      // Documented filters only (no tag filters).
      {
        'traffic-mirror-target-id': (t) => t.id,
        'network-load-balancer-arn': (t) => t.nlbArn,
        'network-interface-id': (t) => t.eniId,
        description: (t) => t.description,
        'owner-id': () => this.w.accountId,
      },
      undefined,
    );
    const { page, next } = this.page(items, input);
    return { TrafficMirrorTargets: page.map((t) => this.targetOut(t)), NextToken: next };
  }

  // ------------------------------------------------------------------ sessions

  private validateSource(eniId: string, target: MirrorTargetRec): void {
    const eni = this.w.ec2.networkInterfaces.get(eniId);
    if (!eni || !this.w.ec2.interfaces.eniAlive(eni)) throw awsError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${eniId}' does not exist`);
    if (eni.requesterManaged || eni.loadBalancerArn) throw awsError('InvalidParameterValue', `The network interface '${eniId}' is managed by AWS and cannot be a traffic mirror source.`);
    if (target.eniId === eniId) throw awsError('InvalidParameterValue', 'The traffic mirror source and target cannot be the same network interface.');
    const inst = eni.attachment?.instanceId ? this.w.ec2.instances.get(eni.attachment.instanceId) : undefined;
    if (inst && XEN_FAMILIES.has(inst.instanceType.split('.')[0]!)) {
      throw awsError('InvalidParameterValue', `The instance type '${inst.instanceType}' of instance '${inst.id}' is not supported as a traffic mirror source (Nitro-based instances only).`);
    }
  }

  CreateTrafficMirrorSession(input: E.CreateTrafficMirrorSessionCommandInput): Out<E.CreateTrafficMirrorSessionCommandOutput> {
    return this.tokens.run('CreateTrafficMirrorSession', input.ClientToken, input, () => {
      const eniId = required(input.NetworkInterfaceId, 'NetworkInterfaceId');
      const t = this.target(input.TrafficMirrorTargetId);
      const f = this.filter(input.TrafficMirrorFilterId);
      const number = required(input.SessionNumber, 'SessionNumber');
      if (number < 1 || number > 32766) throw awsError('InvalidParameterValue', 'SessionNumber must be between 1 and 32766');
      this.validateSource(eniId, t);
      const onEni = this.onEni(eniId);
      if (onEni.some((s) => s.sessionNumber === number)) throw awsError('InvalidParameterValue', `Session number ${number} is already used by a traffic mirror session on '${eniId}'.`);
      if (onEni.length >= MIRROR_QUOTAS.sessionsPerEni) {
        throw awsError('TrafficMirrorSessionLimitExceeded', `The network interface '${eniId}' already has the maximum number of traffic mirror sessions (${MIRROR_QUOTAS.sessionsPerEni}).`);
      }
      if (this.sessions.size >= this.sessionQuota) {
        throw awsError('TrafficMirrorSessionLimitExceeded', `You have reached the maximum number of traffic mirror sessions for this account (${this.sessionQuota}).`);
      }
      const vni = input.VirtualNetworkId ?? 1 + (Number(this.w.ids.digits(7)) % 16777214);
      if (vni < 0 || vni > 16777215) throw awsError('InvalidParameterValue', 'VirtualNetworkId must be between 0 and 16777215');
      const s: MirrorSessionRec = {
        id: this.w.ids.ec2('tms'),
        eniId,
        targetId: t.id,
        filterId: f.id,
        sessionNumber: number,
        vni,
        packetLength: input.PacketLength,
        description: input.Description,
        tags: this.tags(input.TagSpecifications, 'traffic-mirror-session'),
      };
      this.addSession(s);
      this.w.created(s.id);
      return { TrafficMirrorSession: this.sessionOut(s), ClientToken: input.ClientToken };
    });
  }

  ModifyTrafficMirrorSession(input: E.ModifyTrafficMirrorSessionCommandInput): Out<E.ModifyTrafficMirrorSessionCommandOutput> {
    const s = this.session(input.TrafficMirrorSessionId);
    const t = input.TrafficMirrorTargetId ? this.target(input.TrafficMirrorTargetId) : undefined;
    const f = input.TrafficMirrorFilterId ? this.filter(input.TrafficMirrorFilterId) : undefined;
    if (input.SessionNumber !== undefined && (input.SessionNumber < 1 || input.SessionNumber > 32766)) throw awsError('InvalidParameterValue', 'SessionNumber must be between 1 and 32766');
    if (input.VirtualNetworkId !== undefined && (input.VirtualNetworkId < 0 || input.VirtualNetworkId > 16777215)) throw awsError('InvalidParameterValue', 'VirtualNetworkId must be between 0 and 16777215');
    if (input.SessionNumber !== undefined && this.onEni(s.eniId).some((x) => x !== s && x.sessionNumber === input.SessionNumber)) {
      throw awsError('InvalidParameterValue', `Session number ${input.SessionNumber} is already used by a traffic mirror session on '${s.eniId}'.`);
    }
    if (t) s.targetId = t.id;
    if (f) s.filterId = f.id;
    if (input.SessionNumber !== undefined) s.sessionNumber = input.SessionNumber;
    if (input.VirtualNetworkId !== undefined) s.vni = input.VirtualNetworkId;
    if (input.PacketLength !== undefined) s.packetLength = input.PacketLength;
    if (input.Description !== undefined) s.description = input.Description;
    for (const field of input.RemoveFields ?? []) {
      if (field === 'packet-length') s.packetLength = undefined;
      if (field === 'description') s.description = undefined;
    }
    return { TrafficMirrorSession: this.sessionOut(s) };
  }

  DeleteTrafficMirrorSession(input: E.DeleteTrafficMirrorSessionCommandInput): Out<E.DeleteTrafficMirrorSessionCommandOutput> {
    const s = this.session(input.TrafficMirrorSessionId);
    this.removeSession(s);
    return { TrafficMirrorSessionId: s.id };
  }

  DescribeTrafficMirrorSessions(input: E.DescribeTrafficMirrorSessionsCommandInput): Out<E.DescribeTrafficMirrorSessionsCommandOutput> {
    let items = [...this.sessions.values()];
    if (input.TrafficMirrorSessionIds?.length) {
      for (const id of input.TrafficMirrorSessionIds) this.session(id);
      items = items.filter((s) => input.TrafficMirrorSessionIds!.includes(s.id));
    }
    items = applyEc2Filters(
      items,
      input.Filters,
      {
        'traffic-mirror-session-id': (s) => s.id,
        'network-interface-id': (s) => s.eniId,
        'traffic-mirror-target-id': (s) => s.targetId,
        'traffic-mirror-filter-id': (s) => s.filterId,
        'session-number': (s) => String(s.sessionNumber),
        'virtual-network-id': (s) => String(s.vni),
        description: (s) => s.description,
        'owner-id': () => this.w.accountId,
        'packet-length': (s) => (s.packetLength === undefined ? undefined : String(s.packetLength)),
      },
      // Documented filters only: no tag filters.
      undefined,
    );
    const { page, next } = this.page(items, input);
    return { TrafficMirrorSessions: page.map((s) => this.sessionOut(s)), NextToken: next };
  }
}
