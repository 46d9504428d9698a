import type { ResourceKind } from '../engine/types.js';

/** Classifies AWS SDK errors by their error code (the `name` of a ServiceException). */
export function errorCode(error: unknown): string | undefined {
  if (error && typeof error === 'object') {
    const e = error as { name?: unknown; Code?: unknown; code?: unknown };
    if (typeof e.Code === 'string') return e.Code;
    if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

export function hasCode(error: unknown, ...codes: string[]): boolean {
  const code = errorCode(error);
  return code !== undefined && codes.includes(code);
}

const NOT_FOUND = new Set([
  'InvalidGroup.NotFound',
  'InvalidGroupId.NotFound',
  'InvalidLaunchTemplateId.NotFound',
  'InvalidLaunchTemplateName.NotFoundException',
  'InvalidLaunchTemplateId.VersionNotFound',
  'LoadBalancerNotFound',
  'LoadBalancerNotFoundException',
  'TargetGroupNotFound',
  'TargetGroupNotFoundException',
  'ListenerNotFound',
  'ListenerNotFoundException',
  'NoSuchEntity',
  'NoSuchEntityException',
  'ParameterNotFound',
  'InvalidNetworkInterfaceID.NotFound',
  'InvalidTrafficMirrorSessionId.NotFound',
  'InvalidTrafficMirrorTargetId.NotFound',
  'InvalidTrafficMirrorFilterId.NotFound',
  'InvalidTrafficMirrorFilterRuleId.NotFound',
]);

/**
 * The not-found answers of each kind's own calls. A delete treats only these as "already gone": another
 * kind's NotFound (the launch template of a group, the role of a profile) means something else is missing,
 * and the resource itself may well still exist.
 */
const NOT_FOUND_BY_KIND: Record<ResourceKind, readonly string[]> = {
  'iam-role': ['NoSuchEntity', 'NoSuchEntityException'],
  'iam-instance-profile': ['NoSuchEntity', 'NoSuchEntityException'],
  'security-group': ['InvalidGroup.NotFound', 'InvalidGroupId.NotFound'],
  'launch-template': ['InvalidLaunchTemplateId.NotFound', 'InvalidLaunchTemplateName.NotFoundException'],
  'load-balancer': ['LoadBalancerNotFound', 'LoadBalancerNotFoundException'],
  'target-group': ['TargetGroupNotFound', 'TargetGroupNotFoundException'],
  listener: ['ListenerNotFound', 'ListenerNotFoundException'],
  // Auto Scaling answers ValidationError with a message naming the group: see isGroupNotFoundError.
  'auto-scaling-group': [],
  'scaling-policy': [],
  'traffic-mirror-filter': ['InvalidTrafficMirrorFilterId.NotFound'],
  'traffic-mirror-target': ['InvalidTrafficMirrorTargetId.NotFound'],
  'traffic-mirror-session': ['InvalidTrafficMirrorSessionId.NotFound'],
};

export function isNotFoundOf(kind: ResourceKind, error: unknown): boolean {
  return hasCode(error, ...NOT_FOUND_BY_KIND[kind]);
}

/** Auto Scaling's answer for a group that does not exist: ValidationError "AutoScalingGroup name not found - ...". */
export function isGroupNotFoundError(error: unknown): boolean {
  return hasCode(error, 'ValidationError') && /AutoScalingGroup name not found|Auto ?Scaling ?group .*(not found|does not exist)/i.test(awsMessage(error));
}

export function isNotFound(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && NOT_FOUND.has(code);
}

export function isDependencyViolation(error: unknown): boolean {
  return hasCode(error, 'DependencyViolation', 'ResourceInUse', 'ResourceInUseException', 'DeleteConflict', 'ResourceInUseFault');
}

/** Extracts the human message of an SDK error without its stack. */
export function awsMessage(error: unknown): string {
  if (error instanceof Error) return `${errorCode(error) ?? error.name}: ${error.message}`;
  return String(error);
}

/** The call's result, or undefined when AWS answers that what it names does not exist. */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
