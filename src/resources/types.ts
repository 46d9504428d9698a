import type { AwsClients } from '../aws/clients.js';
import type { ResourceContext as EngineResourceContext, ResourceHandler as EngineResourceHandler } from '../engine/handler.js';
import type { ResourceKind } from '../engine/types.js';
import type { IamGrants } from '../iam/grants.js';

/** The engine's handler contract (src/engine/handler.ts), bound to the AWS clients every handler calls. */
export type ResourceContext = EngineResourceContext<AwsClients>;
export type ResourceHandler<P> = EngineResourceHandler<P, AwsClients> & {
  /** The IAM permissions every call of this handler needs (src/iam/grants.ts); `iam-policy` assembles them. */
  readonly iam: IamGrants;
};
export type { DeleteGuard, Live, ReadBatch, Tagged } from '../engine/handler.js';

// ---- Property shapes: the contract between planners and handlers ----

export interface IamRoleProps {
  name: string;
  path: string; // `/wallarm-oob/<deployment>/`: lets list() find the deployment's roles by path prefix
  assumeRolePolicy: string; // JSON
  inlinePolicies: Record<string, string>; // policy name -> JSON document
  /** Desired tags (added by the core, see core/tags.ts withTags); read() reports live tags without `aws:*` keys. */
  tags?: Record<string, string>;
}

export interface IamInstanceProfileProps {
  name: string;
  path: string;
  roleName: string;
  /** Desired tags (added by the core, see core/tags.ts withTags); read() reports live tags without `aws:*` keys. */
  tags?: Record<string, string>;
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
}

export interface ListenerProps {
  loadBalancerArn: string;
  protocol: 'HTTP' | 'UDP' | 'TCP';
  port: number;
  targetGroupArn: string;
  /** Desired tags (added by the core, see core/tags.ts withTags); read() reports live tags without `aws:*` keys. */
  tags?: Record<string, string>;
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
}

export interface ScalingPolicyProps {
  name: string;
  autoScalingGroupName: string;
  metric: 'ASGAverageCPUUtilization';
  targetValue: number;
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
}

export interface TrafficMirrorTargetProps {
  networkLoadBalancerArn: string;
  description: string;
  /** Desired tags (added by the core, see core/tags.ts withTags); read() reports live tags without `aws:*` keys. */
  tags?: Record<string, string>;
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
}

export interface LogGroupProps {
  name: string;
  /** One of the values PutRetentionPolicy accepts (1, 3, 5, 7, 14, 30, …). */
  retentionInDays: number;
  /** Desired tags (added by the core, see core/tags.ts withTags); read() reports live tags without `aws:*` keys. */
  tags?: Record<string, string>;
}

export interface LambdaFunctionProps {
  name: string;
  roleArn: string;
  /** Runtime settings in one property (state keeps one hash per property: a small state matters, see STATE_LIMIT). */
  config: { runtime: string; handler: string; description: string; timeoutSeconds: number; memoryMiB: number };
  environment: Record<string, string>;
  /** Base64 SHA-256 of the .zip, as Lambda reports it (CodeSha256): a new bundle is an in-place code update. */
  codeSha256: string;
  /** Desired tags (added by the core, see core/tags.ts withTags); read() reports live tags without `aws:*` keys. */
  tags?: Record<string, string>;
}

/** An EventBridge rule on the default bus, its one target (a Lambda function) and the permission to invoke it. */
export interface EventRuleProps {
  name: string;
  description: string;
  /** Canonical JSON of the event pattern, or null for a scheduled rule. */
  eventPattern: string | null;
  scheduleExpression: string | null;
  functionArn: string;
  /** Desired tags (added by the core, see core/tags.ts withTags); read() reports live tags without `aws:*` keys. */
  tags?: Record<string, string>;
}

/**
 * The props of each kind: what a planner writes (as Desired<PropsByKind[kind]>) and what its handler
 * receives once refs are resolved. Every kind must have an entry (the compiler checks it below).
 */
export interface PropsByKind {
  'iam-role': IamRoleProps;
  'iam-instance-profile': IamInstanceProfileProps;
  'security-group': SecurityGroupProps;
  'launch-template': LaunchTemplateProps;
  'load-balancer': LoadBalancerProps;
  'target-group': TargetGroupProps;
  listener: ListenerProps;
  'auto-scaling-group': AutoScalingGroupProps;
  'scaling-policy': ScalingPolicyProps;
  'traffic-mirror-filter': TrafficMirrorFilterProps;
  'traffic-mirror-target': TrafficMirrorTargetProps;
  'traffic-mirror-session': TrafficMirrorSessionsProps;
  'log-group': LogGroupProps;
  'lambda-function': LambdaFunctionProps;
  'event-rule': EventRuleProps;
}
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** A kind without props, or props for a kind that does not exist, fails to compile here. */
export const PROPS_COVER_EVERY_KIND: SameKeys<keyof PropsByKind, ResourceKind> = true;

/** Tag keys every managed resource carries (defined with the engine's ownership check). */
export { MANAGED_BY, TAG_DEPLOYMENT, TAG_LOGICAL_ID, TAG_MANAGED_BY } from '../engine/ownership.js';
