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

/**
 * "Does not exist" codes that belong to no managed resource kind (SSM parameters: state, lock, token; network
 * interfaces named in the config). The codes of each managed kind are in its registry entry
 * (src/resources/registry.ts, used through src/resources/not-found.ts); pass them as `codes`.
 */
const SERVICE_NOT_FOUND: ReadonlySet<string> = new Set(['ParameterNotFound', 'InvalidNetworkInterfaceID.NotFound']);

/** Auto Scaling's answer for a group that does not exist: ValidationError "AutoScalingGroup name not found - ...". */
export function isGroupNotFoundError(error: unknown): boolean {
  return hasCode(error, 'ValidationError') && /AutoScalingGroup name not found|Auto ?Scaling ?group .*(not found|does not exist)/i.test(awsMessage(error));
}

export function isNotFound(error: unknown, codes: ReadonlySet<string> = SERVICE_NOT_FOUND): boolean {
  const code = errorCode(error);
  return code !== undefined && (SERVICE_NOT_FOUND.has(code) || codes.has(code));
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
export async function unlessNotFound<T>(call: Promise<T>, codes?: ReadonlySet<string>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error, codes)) return undefined;
    throw error;
  }
}
