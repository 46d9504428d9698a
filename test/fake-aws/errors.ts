/** AWS-shaped errors, as the SDK's ServiceException would surface them (name = AWS error code). */

export interface AwsErrorShape extends Error {
  name: string;
  $fault: 'client' | 'server';
  $metadata: { httpStatusCode: number; requestId?: string; attempts?: number; totalRetryDelay?: number };
  /** Marks errors thrown by the fake's fault injection (not by a service rule). */
  $injected?: boolean;
}

export function awsError(code: string, message: string, status = 400): AwsErrorShape {
  return Object.assign(new Error(message), {
    name: code,
    $fault: status >= 500 ? ('server' as const) : ('client' as const),
    $metadata: { httpStatusCode: status },
  });
}

export function isAwsError(e: unknown): e is AwsErrorShape {
  return e instanceof Error && typeof (e as Partial<AwsErrorShape>).$fault === 'string';
}

/** Throttling error each service returns (the SDK classifies all of these as throttling). */
export const THROTTLE_ERRORS: Record<string, { code: string; status: number; message: string }> = {
  ec2: { code: 'RequestLimitExceeded', status: 503, message: 'Request limit exceeded.' },
  elbv2: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
  autoscaling: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
  ssm: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
  iam: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
  sts: { code: 'Throttling', status: 400, message: 'Rate exceeded' },
  lambda: { code: 'TooManyRequestsException', status: 429, message: 'Rate exceeded' },
  events: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
  logs: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
  pricing: { code: 'ThrottlingException', status: 400, message: 'Rate exceeded' },
};

/** Gap in the fake: loud by design. */
export function unsupported(service: string, command: string): AwsErrorShape {
  return awsError('UnsupportedOperation', `fake-aws does not model ${service}:${command}; add it to test/fake-aws if the tool needs it`, 400);
}
