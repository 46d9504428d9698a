import type { AwsClients } from '../aws/clients.js';
import type { Outputs, ResourceKind } from '../engine/types.js';

/** What a handler gets for one call: clients, identity of the node, the tags to stamp, progress logging. */
export interface ResourceContext {
  readonly aws: AwsClients;
  readonly deployment: string;
  readonly logicalId: string;
  /** Full tag set: user tags + `wallarm-oob:deployment`, `wallarm-oob:id`, `managed-by=wallarm-oob`. */
  readonly tags: Readonly<Record<string, string>>;
  /** Stable idempotency token for this node's create (same across re-runs of an interrupted apply). */
  readonly clientToken: string;
  /** Whether create/update waits for readiness beyond what dependents need (ASG capacity, target health). */
  readonly waitForCapacity: boolean;
  /** Progress event for the UI (“waiting for load balancer to be active”). */
  log(message: string): void;
  /** Something the user should know that does not stop the run (a read the endpoint does not implement). */
  warn?(message: string): void;
  readonly signal?: AbortSignal;
}

/** A resource as it exists in AWS: its id, its properties in the planner's shape, its outputs. */
export interface Live<P> {
  physicalId: string;
  props: P;
  outputs: Outputs;
  /**
   * Set by a create/update that returns as soon as the resource exists (its id, ARN and DNS name are known)
   * while it still settles (a load balancer provisioning, instances turning healthy): the executor starts
   * the dependents at once and ends the step when this resolves.
   */
  ready?: () => Promise<void>;
}

/** One resource found by its deployment tag (adoption after a crash, destroy's final sweep). */
export interface Tagged {
  physicalId: string;
  logicalId: string | undefined;
  /** The tags read from AWS: list() keeps only items whose `wallarm-oob:deployment` tag is this deployment (checked here, on the client). */
  tags: Record<string, string>;
}

/**
 * One file per AWS resource kind, like a Terraform provider's resources: it knows the AWS calls, the
 * waiters, the not-found detection and which property changes need a replacement. It never decides what
 * to build: the planner does.
 */
export interface ResourceHandler<P> {
  readonly kind: ResourceKind;
  /** Properties whose change cannot be applied in place: the engine replaces the resource. */
  readonly replaceOn: readonly (keyof P & string)[];
  /** Properties AWS changes by itself (e.g. desired capacity under a scaling policy): compared with the last applied value, not with live. */
  readonly ignoreLiveChanges?: readonly (keyof P & string)[];
  /**
   * Canonical form of props for comparison (id sets sorted, JSON documents as canonical text, rules sorted).
   * read() returns props in this form; compare normalize(desired) with live props. Must leave unresolved
   * values (refs, unknowns) in place. Absent = props compare as they are.
   */
  normalize?(props: P): P;
  /** Outputs an in-place update changes (a launch template's latestVersion), so dependents see them as unknown in a plan. */
  readonly outputsChangedByUpdate?: readonly string[];
  /** Creates the resource (tagged with ctx.tags) and returns once dependents can use it (see Live.ready). */
  create(ctx: ResourceContext, props: P): Promise<Live<P>>;
  /** Reads the live resource; undefined when it no longer exists. Props are normalised to the planner's shape. */
  read(ctx: ResourceContext, physicalId: string): Promise<Live<P> | undefined>;
  /** Brings a live resource to the desired props (only called when no replaceOn prop differs). */
  update(ctx: ResourceContext, live: Live<P>, desired: P): Promise<Live<P>>;
  /** Deletes the resource and waits until it is gone; a resource already gone is success. */
  delete(ctx: ResourceContext, physicalId: string): Promise<void>;
  /**
   * Kinds AWS cannot tag: the tags that say who owns the resource (a scaling policy: its group's). The
   * ownership check uses them instead of live `tags`. Absent for taggable kinds.
   */
  ownerTags?(ctx: ResourceContext, live: Live<P>): Promise<Record<string, string> | undefined>;
  /** Every resource of this kind tagged with ctx.deployment (paginated, filtered server-side where the API allows). */
  list(ctx: ResourceContext): Promise<Tagged[]>;
}

// ---- Property shapes: the contract between planners and handlers ----

export interface IamRoleProps {
  name: string;
  path: string; // `/wallarm-oob/<deployment>/`: lets list() find the deployment's roles by path prefix
  assumeRolePolicy: string; // JSON
  inlinePolicies: Record<string, string>; // policy name -> JSON document
  /** Desired tags (added by the core, see core/tags.ts withTags); read() reports live tags without `aws:*` keys. */
  tags?: Record<string, string>;
  [key: string]: unknown;
}

export interface IamInstanceProfileProps {
  name: string;
  path: string;
  roleName: string;
  /** Desired tags (added by the core, see core/tags.ts withTags); read() reports live tags without `aws:*` keys. */
  tags?: Record<string, string>;
  [key: string]: unknown;
}

export interface SecurityGroupRule {
  protocol: 'tcp' | 'udp' | '-1';
  fromPort: number; // -1 with protocol '-1'
  toPort: number;
  cidr: string;
  description: string;
}

export interface SecurityGroupProps {
  name: string;
  description: string;
  vpcId: string;
  ingress: SecurityGroupRule[];
  egress: SecurityGroupRule[];
  /** Desired tags (added by the core, see core/tags.ts withTags); read() reports live tags without `aws:*` keys. */
  tags?: Record<string, string>;
  [key: string]: unknown;
}

export interface LaunchTemplateProps {
  name: string;
  imageId: string;
  instanceType: string;
  keyName: string | null;
  securityGroupIds: string[];
  /** null: instances get no role (the rebuilders need none). */
  instanceProfileArn: string | null;
  /** Plain text; the handler base64-encodes it. */
  userData: string;
  volumeSizeGiB: number;
  volumeType: string;
  detailedMonitoring: boolean;
  /** IMDSv2 only. */
  httpTokens: 'required' | 'optional';
  /** Desired tags (added by the core, see core/tags.ts withTags); read() reports live tags without `aws:*` keys. */
  tags?: Record<string, string>;
  [key: string]: unknown;
}

export interface LoadBalancerProps {
  name: string;
  type: 'application' | 'network';
  scheme: 'internal' | 'internet-facing';
  subnetIds: string[];
  securityGroupIds: string[];
  /** ELBv2 attributes, e.g. deletion_protection.enabled, load_balancing.cross_zone.enabled. */
  attributes: Record<string, string>;
  /** Desired tags (added by the core, see core/tags.ts withTags); read() reports live tags without `aws:*` keys. */
  tags?: Record<string, string>;
  [key: string]: unknown;
}

export interface TargetGroupProps {
  name: string;
  protocol: 'HTTP' | 'UDP' | 'TCP';
  port: number;
  vpcId: string;
  targetType: 'instance';
  healthCheck: {
    protocol: 'HTTP';
    port: string;
    path: string;
    intervalSeconds: number;
    timeoutSeconds: number;
    healthyThreshold: number;
    unhealthyThreshold: number;
  };
  /** Desired tags (added by the core, see core/tags.ts withTags); read() reports live tags without `aws:*` keys. */
  tags?: Record<string, string>;
  [key: string]: unknown;
}

export interface ListenerProps {
  loadBalancerArn: string;
  protocol: 'HTTP' | 'UDP' | 'TCP';
  port: number;
  targetGroupArn: string;
  /** Desired tags (added by the core, see core/tags.ts withTags); read() reports live tags without `aws:*` keys. */
  tags?: Record<string, string>;
  [key: string]: unknown;
}

export interface AutoScalingGroupProps {
  name: string;
  launchTemplateId: string;
  /** Explicit version number (as a string), so a new template version is a visible change that triggers an instance refresh. */
  launchTemplateVersion: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  subnetIds: string[];
  targetGroupArns: string[];
  healthCheckType: 'ELB' | 'EC2';
  healthCheckGracePeriod: number;
  metricsCollection: boolean;
  /** Rolling instance refresh when the launch template version changes. */
  /** Min 100 with max 200 launches each replacement before terminating the old instance (no gap with one node). */
  instanceRefresh: { minHealthyPercentage: number; maxHealthyPercentage: number };
  /** Desired tags (added by the core, see core/tags.ts withTags); read() reports live tags without `aws:*` keys. */
  tags?: Record<string, string>;
  [key: string]: unknown;
}

export interface ScalingPolicyProps {
  name: string;
  autoScalingGroupName: string;
  metric: 'ASGAverageCPUUtilization';
  targetValue: number;
  [key: string]: unknown;
}

export interface TrafficMirrorFilterRule {
  direction: 'ingress' | 'egress';
  ruleNumber: number; // 1..32766
  action: 'accept' | 'reject';
  protocol: number | null; // 6 = TCP; null = all protocols
  destinationPortRange: { from: number; to: number } | null;
  /** Absent = any source port (egress rules of a port-restricted mirror set it: responses leave from the server port). */
  sourcePortRange?: { from: number; to: number };
  sourceCidr: string; // '0.0.0.0/0'
  destinationCidr: string; // '0.0.0.0/0'
  description: string;
}

export interface TrafficMirrorFilterProps {
  description: string;
  networkServices: string[]; // ['amazon-dns']
  rules: TrafficMirrorFilterRule[];
  /** Desired tags (added by the core, see core/tags.ts withTags); read() reports live tags without `aws:*` keys. */
  tags?: Record<string, string>;
  [key: string]: unknown;
}

export interface TrafficMirrorTargetProps {
  networkLoadBalancerArn: string;
  description: string;
  /** Desired tags (added by the core, see core/tags.ts withTags); read() reports live tags without `aws:*` keys. */
  tags?: Record<string, string>;
  [key: string]: unknown;
}

/** All sessions of one mirror target, managed as one set: state stays O(1) whatever the number of sessions. */
export interface TrafficMirrorSessionsProps {
  targetId: string;
  filterId: string;
  vni: number;
  /** Session number used on each ENI; when an ENI already has a (foreign) session with that number, the next free number on that ENI is used. */
  sessionNumber: number;
  networkInterfaceIds: string[]; // sorted, unique
  description: string;
  /** Desired tags (added by the core, see core/tags.ts withTags); read() reports live tags without `aws:*` keys. */
  tags?: Record<string, string>;
  [key: string]: unknown;
}

/** Tag keys every managed resource carries. */
export const TAG_DEPLOYMENT = 'wallarm-oob:deployment';
export const TAG_LOGICAL_ID = 'wallarm-oob:id';
export const TAG_MANAGED_BY = 'managed-by';
export const MANAGED_BY = 'wallarm-oob';
