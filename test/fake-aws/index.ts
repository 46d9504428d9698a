/**
 * A strict, stateful, in-memory fake of the AWS APIs wallarm-oob uses. See README.md for the behaviour spec.
 *
 *   const fake = FakeAws.install({ delays: { lbActiveMs: 1000 } });
 *   const net = fake.standardAccount();
 *   ... drive the real SDK clients (new AwsClients(...)) ...
 *   fake.uninstall();
 */
import { registerClientPlugin } from '../../src/aws/clients.js';
import { clock } from '../../src/util/clock.js';
import { AutoScalingModel } from './autoscaling.js';
import { Ec2Model } from './ec2.js';
import type { InstanceRec, LaunchFailureCode } from './ec2-instances.js';
import type { NetworkInterfaceModel } from './ec2-network-interfaces.js';
import { Elbv2Model } from './elbv2.js';
import { awsError, isAwsError, THROTTLE_ERRORS, unsupported, type AwsErrorShape } from './errors.js';
import { Faults, isMutating, type FailAtMutationOptions, type ThrottleOptions } from './faults.js';
import { EventsModel } from './events.js';
import { IamModel } from './iam.js';
import { LambdaModel } from './lambda.js';
import { LogsModel } from './logs.js';
import { fakeAwsPlugin, type FakeRequest, type FakeWiring, type RawAnswer } from './middleware.js';
import { MirroringModel } from './mirroring.js';
import { PRICING_ENDPOINT_REGIONS, PricingModel } from './pricing.js';
import { Ec2RateLimit, type Ec2RateLimitOptions } from './rate-limit.js';
import { SsmModel } from './ssm.js';
import { StsModel } from './sts.js';
import { DEFAULT_DELAYS, World, type Delays } from './world.js';
import { tagFilterMode } from './util.js';

export { awsError } from './errors.js';
export type { Delays } from './world.js';
export type { FailAtMutationOptions, ThrottleOptions } from './faults.js';
export type { Ec2RateLimitOptions } from './rate-limit.js';

export type ServiceName = 'ec2' | 'elbv2' | 'autoscaling' | 'ssm' | 'iam' | 'sts' | 'lambda' | 'events' | 'logs' | 'pricing';

const CLIENTS: Record<string, ServiceName> = {
  EC2Client: 'ec2',
  ElasticLoadBalancingV2Client: 'elbv2',
  AutoScalingClient: 'autoscaling',
  SSMClient: 'ssm',
  IAMClient: 'iam',
  STSClient: 'sts',
  LambdaClient: 'lambda',
  EventBridgeClient: 'events',
  CloudWatchLogsClient: 'logs',
  PricingClient: 'pricing',
};

export interface FakeAwsOptions {
  region?: string;
  accountId?: string;
  /** Seed for ids (and the default throttle seed). */
  seed?: number;
  delays?: Partial<Delays>;
  /** Simulated latency per call in ms: one number, or per command name with an optional `default`. */
  latency?: number | Record<string, number>;
  /**
   * 'wire': answers are encoded as AWS's HTTP response bodies and parsed by the SDK's own deserializer
   * (slower; for measuring the tool's CPU including parsing). Default 'objects'. See middleware.ts.
   */
  wiring?: FakeWiring;
}

export interface CallRecord {
  service: ServiceName;
  command: string;
  input: unknown;
  /** Simulated time the call reached the fake. */
  at: number;
  mutating: boolean;
  throttled?: boolean;
  /** Throttled by the EC2 request token bucket (`ec2RateLimit`), not by an injected fault. */
  rateLimited?: boolean;
  /** AWS error code when the call failed. */
  error?: string;
  /** Set when a fault (failAtMutation) was injected into this call. */
  injected?: 'before' | 'after';
}

export interface TaggedResource {
  service: ServiceName;
  type: string;
  id: string;
}

export interface StandardAccount {
  vpcId: string;
  defaultSecurityGroupId: string;
  privateSubnetIds: [string, string];
  publicSubnetIds: [string, string];
  internetGatewayId: string;
  publicRouteTableId: string;
  privateRouteTableId: string;
  images: {
    /** wallarm-node-4-8, older build. */
    wallarm48Old: string;
    /** wallarm-node-4-8, newest x86_64 build: what `wallarm-node-4-8-*` must resolve to. */
    wallarm48: string;
    /** wallarm-node-4-8, an even newer arm64 build (an architecture filter must skip it). */
    wallarm48Arm: string;
    /** Same name pattern, newer, but NOT owned by Wallarm (an owner filter must skip it). */
    wallarm48Impostor: string;
    wallarm410: string;
    wallarm50: string;
    wallarm52: string;
    /** wallarm-node-6-12-0 and its patch 6.12.1, published after 7.1.0 (the newest by date, not of the newest line). */
    wallarm612: string;
    wallarm6121: string;
    /** wallarm-node-7-0-2, then 7-1-0: what `wallarm-node-7-*` (the default) must resolve to. */
    wallarm70: string;
    wallarm71: string;
    /** wallarm-node-7-1-0, a newer arm64 build (skipped by the architecture filter). */
    wallarm71Arm: string;
    debian12: string;
  };
}

export const WALLARM_AMI_OWNER = '679593333241';
export const DEBIAN_AMI_OWNER = '136693071363';

export class FakeAws {
  readonly world: World;
  readonly ec2: Ec2Model;
  readonly elbv2: Elbv2Model;
  readonly autoscaling: AutoScalingModel;
  readonly ssm: SsmModel;
  readonly iam: IamModel;
  readonly mirroring: MirroringModel;
  readonly sts: StsModel;
  readonly lambda: LambdaModel;
  readonly events: EventsModel;
  readonly logs: LogsModel;
  readonly pricing: PricingModel;
  readonly faults = new Faults();
  readonly rateLimit = new Ec2RateLimit();
  /** Every call that reached the fake (including throttled attempts and retries), in order. */
  readonly calls: CallRecord[] = [];
  /** Mutating calls that reached the model (not throttled), including ones that failed. */
  mutationCount = 0;
  /** CPU (user + system, ms) the fake itself spent: its models, cloning, and wire encoding. */
  cpuMs = 0;
  /** How answers reach the SDK (switchable at any time; see middleware.ts). */
  wiring: FakeWiring;
  private latencyMs: number | Record<string, number>;
  private readonly rawAnswers = new Map<string, RawAnswer>();
  private requestCounter = 0;
  private uninstallFn: (() => void) | undefined;

  constructor(options: FakeAwsOptions = {}) {
    this.world = new World({
      region: options.region ?? 'eu-west-1',
      accountId: options.accountId ?? '123456789012',
      seed: options.seed ?? 1,
      delays: { ...DEFAULT_DELAYS, ...options.delays },
    });
    this.ec2 = this.world.ec2 = new Ec2Model(this.world);
    this.elbv2 = this.world.elbv2 = new Elbv2Model(this.world);
    this.autoscaling = this.world.autoscaling = new AutoScalingModel(this.world);
    this.ssm = this.world.ssm = new SsmModel(this.world);
    this.iam = this.world.iam = new IamModel(this.world);
    this.mirroring = this.world.mirroring = new MirroringModel(this.world);
    this.sts = new StsModel(this.world);
    this.lambda = this.world.lambda = new LambdaModel(this.world);
    this.events = this.world.events = new EventsModel(this.world);
    this.logs = this.world.logs = new LogsModel(this.world);
    this.pricing = new PricingModel(this.world);
    this.latencyMs = options.latency ?? 0;
    this.wiring = options.wiring ?? 'objects';
  }

  /** Creates a fake and registers it for every AwsClients client created afterwards. */
  static install(options: FakeAwsOptions = {}): FakeAws {
    const fake = new FakeAws(options);
    fake.install();
    return fake;
  }

  /** Registers the plugin (clients created AFTER this call use the fake); returns the uninstall function. */
  install(): () => void {
    if (!this.uninstallFn) this.uninstallFn = registerClientPlugin(fakeAwsPlugin((req) => this.handle(req), () => this.wiring, (us) => (this.cpuMs += us / 1000)));
    return () => this.uninstall();
  }

  uninstall(): void {
    tagFilterMode.ignore = false;
    this.uninstallFn?.();
    this.uninstallFn = undefined;
  }

  // ------------------------------------------------------------------ knobs

  get region(): string {
    return this.world.region;
  }
  get accountId(): string {
    return this.world.accountId;
  }
  get delays(): Delays {
    return this.world.delays;
  }
  setDelays(delays: Partial<Delays>): void {
    Object.assign(this.world.delays, delays);
  }
  setLatency(latency: number | Record<string, number>): void {
    this.latencyMs = latency;
  }
  /** Current simulated time (ms since epoch). */
  now(): number {
    return this.world.now();
  }
  /** Jumps simulated time forward (provisioning, health checks, deletions complete without waiting). */
  advance(ms: number): void {
    this.world.time.advance(ms);
    this.world.settle();
  }
  /** A `fraction` of calls answer the service's throttling error (deterministic for a seed). */
  throttle(fraction: number, opts: ThrottleOptions = {}): void {
    this.faults.throttle(fraction, opts);
  }
  /**
   * EC2 request token buckets for mutating calls (one per action; default on for the traffic mirroring
   * actions: 50 tokens, 5 per simulated second). `false` turns them off.
   */
  ec2RateLimit(options: Partial<Ec2RateLimitOptions> | false): void {
    this.rateLimit.configure(options);
  }
  /** The first k lookups naming a freshly created resource answer NotFound (0 turns it off). */
  eventualConsistency(k: number): void {
    if (k <= 0) this.world.clearLag();
    else this.world.consistencyLag = k;
  }
  /** The nth mutating call (counting from now, non-throttled attempts only) fails. */
  failAtMutation(n: number, opts: FailAtMutationOptions): void {
    this.faults.failAtMutation(n, opts);
  }
  /**
   * Every call of `command` (e.g. 'DescribeInstanceRefreshes') gets this raw HTTP answer, read by the SDK's
   * own deserializer: an emulator that lacks the call (501 + an HTML page), a proxy's error page.
   */
  answerRaw(command: string, answer: RawAnswer | undefined): void {
    if (answer) this.rawAnswers.set(command, answer);
    else this.rawAnswers.delete(command);
  }
  /** The endpoint accepts `tag:` / `tag-key` / `tag-value` filters but ignores them (an emulator or proxy that drops them). */
  ignoreTagFilters(on: boolean): void {
    tagFilterMode.ignore = on;
  }
  clearFaults(): void {
    tagFilterMode.ignore = false;
    this.rawAnswers.clear();
    this.faults.clear();
    this.ec2.compute.launchFailures.length = 0;
    this.world.clearLag();
  }
  /**
   * The next `times` (default: every, until clearFaults) Auto Scaling launch attempts fail with what AWS reports
   * for `code`: a `Failed` scaling activity with EC2's message (OptInRequired: the Marketplace subscription
   * message; InsufficientInstanceCapacity: the capacity message naming the AZ). No instance is created.
   */
  failLaunches(code: LaunchFailureCode, opts: { times?: number } = {}): void {
    this.ec2.compute.launchFailures.push({ code, remaining: opts.times ?? Infinity });
  }
  /** An EC2 key pair, as if imported by the user (launch templates may name it in KeyName). */
  addKeyPair(name: string): string {
    return this.ec2.catalog.addKeyPair(name, this.now()).id;
  }
  /** Whether EC2 offers an instance type in an AZ (all modelled types are, in every AZ, unless turned off here). */
  setInstanceTypeOffered(instanceType: string, az: string, offered: boolean): void {
    if (offered) this.ec2.catalog.unoffered.delete(`${instanceType}@${az}`);
    else this.ec2.catalog.unoffered.add(`${instanceType}@${az}`);
  }
  /** Instances launched from now on fail (false) or pass load balancer health checks: a bad node version, a broken config. */
  setLaunchHealthy(healthy: boolean): void {
    this.ec2.compute.launchHealthy = healthy;
  }
  /** Makes an instance fail (or pass) load balancer health checks from now on. */
  setInstanceHealthy(instanceId: string, healthy: boolean): void {
    const i = this.ec2.instances.get(instanceId);
    if (!i) throw new Error(`fake-aws: no instance ${instanceId}`);
    i.healthy = healthy;
  }

  // ------------------------------------------------------------------ inspection

  /** Calls filtered by command name (e.g. 'CreateSecurityGroup'), optionally only successful ones. */
  callsTo(command: string, opts: { succeeded?: boolean } = {}): CallRecord[] {
    return this.calls.filter((c) => c.command === command && (!opts.succeeded || c.error === undefined));
  }

  /** Every live resource of any service carrying tag `key` (with `value`, when given). */
  resourcesTagged(key: string, value?: string): TaggedResource[] {
    this.world.settle();
    const now = this.now();
    const out: TaggedResource[] = [];
    const has = (tags: Map<string, string>) => tags.has(key) && (value === undefined || tags.get(key) === value);
    for (const g of this.ec2.securityGroups.values()) if (has(g.tags)) out.push({ service: 'ec2', type: 'security-group', id: g.id });
    for (const t of this.ec2.launchTemplates.values()) if (has(t.tags)) out.push({ service: 'ec2', type: 'launch-template', id: t.id });
    for (const i of this.ec2.instances.values()) {
      if (has(i.tags) && this.ec2.compute.instanceState(i, now).Name !== 'terminated') out.push({ service: 'ec2', type: 'instance', id: i.id });
    }
    for (const e of this.ec2.networkInterfaces.values()) if (has(e.tags) && this.ec2.interfaces.eniAlive(e, now)) out.push({ service: 'ec2', type: 'network-interface', id: e.id });
    for (const lb of this.elbv2.loadBalancers.values()) if (has(lb.tags)) out.push({ service: 'elbv2', type: 'load-balancer', id: lb.arn });
    for (const tg of this.elbv2.targetGroups.values()) if (has(tg.tags)) out.push({ service: 'elbv2', type: 'target-group', id: tg.arn });
    for (const l of this.elbv2.listeners.values()) if (has(l.tags)) out.push({ service: 'elbv2', type: 'listener', id: l.arn });
    for (const g of this.autoscaling.groups.values()) {
      const tags = new Map([...g.tags].map(([k, t]) => [k, t.value]));
      if (has(tags)) out.push({ service: 'autoscaling', type: 'auto-scaling-group', id: g.name });
    }
    for (const f of this.mirroring.filters.values()) if (has(f.tags)) out.push({ service: 'ec2', type: 'traffic-mirror-filter', id: f.id });
    for (const t of this.mirroring.targets.values()) if (has(t.tags)) out.push({ service: 'ec2', type: 'traffic-mirror-target', id: t.id });
    for (const m of this.mirroring.sessions.values()) if (has(m.tags)) out.push({ service: 'ec2', type: 'traffic-mirror-session', id: m.id });
    for (const r of this.iam.roles.values()) if (has(r.tags)) out.push({ service: 'iam', type: 'role', id: r.name });
    for (const p of this.iam.instanceProfiles.values()) if (has(p.tags)) out.push({ service: 'iam', type: 'instance-profile', id: p.name });
    for (const p of this.ssm.parameters.values()) if (has(p.tags)) out.push({ service: 'ssm', type: 'parameter', id: p.name });
    for (const f of this.lambda.functions.values()) if (has(f.tags)) out.push({ service: 'lambda', type: 'function', id: f.name });
    for (const r of this.events.rules.values()) if (has(r.tags)) out.push({ service: 'events', type: 'rule', id: r.name });
    for (const g of this.logs.groups.values()) if (has(g.tags)) out.push({ service: 'logs', type: 'log-group', id: g.name });
    return out;
  }

  // ------------------------------------------------------------------ seeding

  addVpc(o: { cidr?: string; isDefault?: boolean; tags?: Record<string, string> } = {}): string {
    return this.ec2.network.addVpc(o).id;
  }
  addSubnet(o: { vpcId: string; az: string; cidr: string; public?: boolean; tags?: Record<string, string> }): string {
    return this.ec2.network.addSubnet(o).id;
  }
  addImage(o: { name: string; ownerId: string; architecture?: string; virtualizationType?: string; creationDate?: string; state?: string }): string {
    return this.ec2.catalog.addImage(o).id;
  }
  putParameter(name: string, value: string, opts: { type?: 'String' | 'StringList' | 'SecureString'; tags?: Record<string, string> } = {}): void {
    this.ssm.seed(name, value, opts.type ?? 'String', opts.tags);
  }
  /** A standalone network interface (see NetworkInterfaceModel.addNetworkInterface), e.g. a classic ELB's with a public IP. */
  addNetworkInterface(o: Parameters<NetworkInterfaceModel['addNetworkInterface']>[0]): string {
    return this.ec2.interfaces.addNetworkInterface(o).id;
  }
  /** Deletes a network interface now (as when its instance is gone); its traffic mirror sessions go with it. */
  deleteNetworkInterface(id: string): void {
    const eni = this.ec2.networkInterfaces.get(id);
    if (!eni) throw new Error(`fake-aws: no network interface ${id}`);
    this.ec2.interfaces.scheduleEniDeletion(eni, this.now());
    this.world.settle();
  }
  /** Terminates a (seeded) instance: `shutting-down` now, its ENI and the ENI's mirror sessions gone after `instanceTerminateMs`. */
  terminateInstance(id: string): void {
    if (!this.ec2.instances.has(id)) throw new Error(`fake-aws: no instance ${id}`);
    this.ec2.compute.terminateInstance(id, this.now());
  }
  /** A running, non-Auto Scaling instance (e.g. a web server whose ENI can be a mirror source). */
  addInstance(o: { subnetId: string; imageId?: string; instanceType?: string; sgIds?: string[]; tags?: Record<string, string> }): InstanceRec {
    const at = this.now() - this.world.delays.instanceRunningMs;
    return this.ec2.compute.launchInstance({
      imageId: o.imageId ?? [...this.ec2.images.keys()][0] ?? 'ami-00000000000000000',
      instanceType: o.instanceType ?? 't3.micro',
      subnetId: o.subnetId,
      sgIds: o.sgIds ?? [],
      tags: new Map(Object.entries(o.tags ?? {})),
      at,
    });
  }

  /**
   * A realistic account: VPC 10.0.0.0/16 with private subnets in eu-west-1a/b (10.0.1.0/24, 10.0.2.0/24),
   * public ones (10.0.101.0/24, 10.0.102.0/24) routed to an internet gateway, Wallarm node AMIs (several
   * versions, an arm64 build and a same-named impostor from another owner) and a Debian 12 AMI.
   */
  standardAccount(): StandardAccount {
    const r = this.world.region;
    const vpc = this.ec2.network.addVpc({ cidr: '10.0.0.0/16', isDefault: false, tags: { Name: 'main' } });
    const priv = [
      this.ec2.network.addSubnet({ vpcId: vpc.id, az: `${r}a`, cidr: '10.0.1.0/24', tags: { Name: 'private-a' } }),
      this.ec2.network.addSubnet({ vpcId: vpc.id, az: `${r}b`, cidr: '10.0.2.0/24', tags: { Name: 'private-b' } }),
    ] as const;
    const pub = [
      this.ec2.network.addSubnet({ vpcId: vpc.id, az: `${r}a`, cidr: '10.0.101.0/24', public: true, tags: { Name: 'public-a' } }),
      this.ec2.network.addSubnet({ vpcId: vpc.id, az: `${r}b`, cidr: '10.0.102.0/24', public: true, tags: { Name: 'public-b' } }),
    ] as const;
    const igw = this.ec2.network.addInternetGateway(vpc.id);
    const pubRt = this.ec2.network.addRouteTable({ vpcId: vpc.id, subnetIds: pub.map((s) => s.id), internetGatewayId: igw.id, tags: { Name: 'public' } });
    const privRt = this.ec2.network.addRouteTable({ vpcId: vpc.id, subnetIds: priv.map((s) => s.id), natGatewayId: this.ec2.network.addNatGatewayId(), tags: { Name: 'private' } });
    const img = (name: string, date: string, ownerId = WALLARM_AMI_OWNER, architecture = 'x86_64') =>
      this.ec2.catalog.addImage({ name, ownerId, architecture, creationDate: date }).id;
    const images = {
      wallarm48Old: img('wallarm-node-4-8-20240101-120000', '2024-01-01T12:00:00.000Z'),
      wallarm48: img('wallarm-node-4-8-20240601-120000', '2024-06-01T12:00:00.000Z'),
      wallarm48Arm: img('wallarm-node-4-8-20240901-120000', '2024-09-01T12:00:00.000Z', WALLARM_AMI_OWNER, 'arm64'),
      wallarm48Impostor: img('wallarm-node-4-8-20250101-000000', '2025-01-01T00:00:00.000Z', '111122223333'),
      wallarm410: img('wallarm-node-4-10-20241015-080000', '2024-10-15T08:00:00.000Z'),
      wallarm50: img('wallarm-node-5-0-20250301-090000', '2025-03-01T09:00:00.000Z'),
      wallarm52: img('wallarm-node-5-2-20250801-090000', '2025-08-01T09:00:00.000Z'),
      wallarm612: img('wallarm-node-6-12-0-20260210-100000', '2026-02-10T10:00:00.000Z'),
      // Published after 7.1.0: the newest by date, but not of the newest line.
      wallarm6121: img('wallarm-node-6-12-1-20260805-100000', '2026-08-05T10:00:00.000Z'),
      wallarm70: img('wallarm-node-7-0-2-20260601-090000', '2026-06-01T09:00:00.000Z'),
      wallarm71: img('wallarm-node-7-1-0-20260722-105251', '2026-07-22T10:52:51.000Z'),
      wallarm71Arm: img('wallarm-node-7-1-0-20260722-110000', '2026-07-22T11:00:00.000Z', WALLARM_AMI_OWNER, 'arm64'),
      debian12: img('debian-12-amd64-20240717-1811', '2024-07-17T18:11:00.000Z', DEBIAN_AMI_OWNER),
    };
    this.pricing.seedStandardPrices();
    const defaultSg = [...this.ec2.securityGroups.values()].find((g) => g.vpcId === vpc.id && g.name === 'default')!;
    return {
      vpcId: vpc.id,
      defaultSecurityGroupId: defaultSg.id,
      privateSubnetIds: [priv[0].id, priv[1].id],
      publicSubnetIds: [pub[0].id, pub[1].id],
      internetGatewayId: igw.id,
      publicRouteTableId: pubRt.id,
      privateRouteTableId: privRt.id,
      images,
    };
  }

  // ------------------------------------------------------------------ dispatch

  private model(service: ServiceName, command: string): object | undefined {
    if (service === 'ec2') return this.ec2.modelFor(command);
    return { elbv2: this.elbv2, autoscaling: this.autoscaling, ssm: this.ssm, iam: this.iam, sts: this.sts, lambda: this.lambda, events: this.events, logs: this.logs, pricing: this.pricing }[service];
  }

  private latencyFor(command: string): number {
    const l = this.latencyMs;
    if (typeof l === 'number') return l;
    return l[command] ?? l.default ?? 0;
  }

  private nextRequestId(): string {
    this.requestCounter++;
    return `00000000-0000-4000-8000-${this.requestCounter.toString(16).padStart(12, '0')}`;
  }

  /** Handles one SDK attempt (each retry comes through here again). */
  async handle(req: FakeRequest): Promise<{ output: Record<string, unknown>; requestId: string } | { raw: RawAnswer }> {
    let cpu = process.cpuUsage();
    const charge = () => {
      const used = process.cpuUsage(cpu);
      this.cpuMs += (used.user + used.system) / 1000;
    };
    const service = CLIENTS[req.clientName];
    const command = req.commandName.replace(/Command$/, '');
    const raw = this.rawAnswers.get(command);
    if (raw) {
      this.calls.push({ service: service ?? ('unknown' as ServiceName), command, input: structuredClone(req.input ?? {}), at: this.now(), mutating: false, error: `HTTP ${raw.statusCode}` });
      return { raw };
    }
    const requestId = this.nextRequestId();
    const input = structuredClone(req.input ?? {}) as Record<string, unknown>;
    const mutating = isMutating(command);
    const record: CallRecord = { service: service ?? ('unknown' as ServiceName), command, input, at: this.now(), mutating };
    this.calls.push(record);
    const latency = this.latencyFor(command);
    if (latency > 0) {
      charge();
      await clock.sleep(latency);
      cpu = process.cpuUsage();
    }
    try {
      if (!service) throw unsupported(req.clientName, command);
      const hostRegion = /^[a-z0-9-]+\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com$/.exec(req.hostname ?? '')?.[1];
      if (service === 'pricing') {
        // The Price List Query API answers only at its own endpoints, for every region's prices.
        const pricingRegion = /^api\.pricing\.([a-z0-9-]+)\.amazonaws\.com$/.exec(req.hostname ?? '')?.[1];
        if (pricingRegion && !(PRICING_ENDPOINT_REGIONS as readonly string[]).includes(pricingRegion)) {
          throw awsError('FakeAwsNoEndpoint', `The Price List Query API has no endpoint in ${pricingRegion}: use ${PRICING_ENDPOINT_REGIONS.join(', ')}`);
        }
      } else if (hostRegion && hostRegion !== this.world.region) {
        throw awsError('FakeAwsRegionMismatch', `fake-aws models region ${this.world.region}, but the ${service} client called ${hostRegion}`);
      }
      if (this.faults.shouldThrottle(service, command)) {
        record.throttled = true;
        const t = THROTTLE_ERRORS[service]!;
        throw awsError(t.code, t.message, t.status);
      }
      if (service === 'ec2' && mutating && !this.rateLimit.take(command, this.now())) {
        record.throttled = true;
        record.rateLimited = true;
        const t = THROTTLE_ERRORS.ec2!;
        throw awsError(t.code, t.message, t.status);
      }
      const model = this.model(service, command) as Record<string, unknown> | undefined;
      const fn = model && /^[A-Z]/.test(command) ? model[command] : undefined;
      if (typeof fn !== 'function') throw unsupported(service, command);
      let fault: ReturnType<Faults['onMutation']>;
      if (mutating) {
        this.mutationCount++;
        fault = this.faults.onMutation(command);
      }
      if (fault?.mode === 'before') {
        record.injected = 'before';
        throw this.injected(fault, command, 'InjectedFailure', 400);
      }
      this.world.settle();
      this.world.beginCall(/^(Describe|Get|List)/.test(command) || /^(Authorize|Revoke)SecurityGroup/.test(command) || command === 'CreateTags');
      let result: unknown;
      try {
        result = (fn as (i: unknown) => unknown).call(model, input);
      } finally {
        this.world.beginCall(false);
      }
      if (fault?.mode === 'after') {
        record.injected = 'after';
        throw this.injected(fault, command, 'InternalError', 500);
      }
      return { output: structuredClone(result) as Record<string, unknown>, requestId };
    } catch (e) {
      if (isAwsError(e)) {
        e.$metadata.requestId = requestId;
        record.error = e.name;
      } else {
        record.error = 'FakeAwsBug';
        const err = e instanceof Error ? e : new Error(String(e));
        throw Object.assign(awsError('FakeAwsBug', `fake-aws crashed in ${service}:${command}: ${err.stack ?? err.message}`, 400), { cause: e });
      }
      throw e;
    } finally {
      charge();
    }
  }

  private injected(f: FailAtMutationOptions, command: string, defCode: string, defStatus: number): AwsErrorShape {
    const code = f.code ?? defCode;
    const message = f.message ?? (f.mode === 'after' ? `We encountered an internal error. Please try again. (fake-aws: injected after ${command} took effect)` : `fake-aws: injected failure before ${command}`);
    return Object.assign(awsError(code, message, f.status ?? defStatus), { $injected: true });
  }
}
