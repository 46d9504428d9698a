/**
 * What the follower function knows about its deployment (carried in its environment) and what woke it up (the
 * EventBridge event). Pure: no AWS call, no CLI import; bundled into the function.
 */
import type { MirrorSource } from '../../../config/schema.js';
import type { SessionSpec } from '../../../resources/traffic-mirror-sessions.js';

/** The environment variable holding the settings, as JSON (Lambda allows 4 KB of environment in all). */
export const SETTINGS_VARIABLE = 'WALLARM_OOB_FOLLOWER';
/** Lambda's limit on the total size of a function's environment variables. */
export const ENVIRONMENT_MAX_BYTES = 4096;

export interface FollowerSettings {
  deployment: string;
  vpcId: string;
  /** The dynamic sources of mirror.sources (autoScalingGroup, tags, eks): explicit ENI ids need no follower. */
  sources: MirrorSource[];
  /** Name of the receiver's NLB: its interfaces are the mirror target and never a source. */
  ownNlbName: string;
  /** The session set's target, filter, VNI, first number, description and tags (those of the mirror-sessions node). */
  session: SessionSpec;
  /** The mirror-sessions node's client token: the function's creates are the very creates `apply` would send. */
  clientToken: string;
  /** SSM parameter the function writes its last run to (no secret in it). */
  lastRunParameter: string;
}

export function settingsFromEnv(env: Readonly<Record<string, string | undefined>>): FollowerSettings {
  const text = env[SETTINGS_VARIABLE];
  if (!text) throw new Error(`${SETTINGS_VARIABLE} is not set: this function is deployed by wallarm-oob apply, which sets it`);
  const settings = JSON.parse(text) as FollowerSettings;
  for (const key of ['deployment', 'vpcId', 'ownNlbName', 'clientToken', 'lastRunParameter'] as const) {
    if (typeof settings[key] !== 'string' || !settings[key]) throw new Error(`${SETTINGS_VARIABLE}: ${key} is missing`);
  }
  if (!Array.isArray(settings.sources) || typeof settings.session?.targetId !== 'string') throw new Error(`${SETTINGS_VARIABLE}: sources or session missing`);
  return settings;
}

/** What an invocation is about. */
export type Trigger =
  /** An instance started: an Auto Scaling group's launch (`group` set) or an EC2 instance entering `running`. */
  | { kind: 'launch'; instanceId: string; group?: string }
  /** An Auto Scaling group terminated an instance: its sessions went with its interfaces. */
  | { kind: 'terminate'; instanceId: string; group: string }
  /** The scheduled rule (or a manual invocation): a full reconcile. */
  | { kind: 'reconcile' };

interface EventBridgeEvent {
  source?: string;
  'detail-type'?: string;
  detail?: Record<string, unknown>;
}

/**
 * Reads the events the follower's rules deliver (EventBridge event reference: Amazon EC2 Auto Scaling events,
 * "EC2 Instance Launch Successful" / "EC2 Instance Terminate Successful" with detail.AutoScalingGroupName and
 * detail.EC2InstanceId; Amazon EC2 "EC2 Instance State-change Notification" with detail.instance-id and
 * detail.state). Anything else (the scheduled event, a manual test invocation) is a full reconcile.
 */
export function triggerOf(event: unknown): Trigger {
  const e = (event ?? {}) as EventBridgeEvent;
  const detail = e.detail ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  if (e.source === 'aws.autoscaling') {
    const instanceId = str(detail.EC2InstanceId);
    const group = str(detail.AutoScalingGroupName);
    if (instanceId && group && e['detail-type'] === 'EC2 Instance Launch Successful') return { kind: 'launch', instanceId, group };
    if (instanceId && group && e['detail-type'] === 'EC2 Instance Terminate Successful') return { kind: 'terminate', instanceId, group };
  }
  if (e.source === 'aws.ec2' && e['detail-type'] === 'EC2 Instance State-change Notification') {
    const instanceId = str(detail['instance-id']);
    if (instanceId && detail.state === 'running') return { kind: 'launch', instanceId };
  }
  return { kind: 'reconcile' };
}
