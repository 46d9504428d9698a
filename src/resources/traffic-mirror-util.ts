import { awsMessage, isDependencyViolation } from '../aws/errors.js';
import { isNotFoundOf } from './not-found.js';
import type { TokenBucket } from '../aws/rate-limit.js';
import { AbortedError, AwsError } from '../errors.js';
import type { ResourceContext } from './types.js';
import { formatDuration, MINUTE, retryWhile, SECOND } from './util.js';

/** Sessions of the same deployment are deleted just before; a few minutes covers a parallel run still deleting them. */
export const IN_USE_WINDOW_MS = 5 * MINUTE;
const IN_USE_INTERVAL_MS = 10 * SECOND;

/**
 * Deletes a filter or target that sessions may still use: retries while EC2 answers a dependency
 * violation, then fails naming the sessions to look at. Already gone = success.
 */
export async function deleteWhileInUse(ctx: ResourceContext, kind: 'traffic-mirror-filter' | 'traffic-mirror-target', what: string, sessionFilter: string, del: () => Promise<unknown>): Promise<void> {
  try {
    await retryWhile(isDependencyViolation, del, {
      windowMs: IN_USE_WINDOW_MS,
      intervalMs: IN_USE_INTERVAL_MS,
      signal: ctx.signal,
      onRetry: () => ctx.log(`waiting for traffic mirror sessions to stop using ${what}`),
    });
  } catch (error) {
    if (isNotFoundOf(kind, error)) return;
    if (!isDependencyViolation(error)) throw error;
    const [name, value] = sessionFilter.split('=');
    throw new AwsError('AWS_DEPENDENCY_VIOLATION', `${ctx.logicalId}: ${what} is still used by traffic mirror sessions after ${formatDuration(IN_USE_WINDOW_MS)}: ${awsMessage(error)}`, {
      cause: error,
      actions: [
        `Find the sessions: aws ec2 describe-traffic-mirror-sessions --filters Name=${name},Values=${value}`,
        'Delete those sessions (or destroy the deployment that owns them), then run the command again.',
      ],
    });
  }
}

/** Calls in flight at once; the token bucket, not this, sets the pace. */
const CONCURRENCY = 16;

/**
 * Runs `fn` for every item, at most CONCURRENCY at once, each call first waiting for `before(item)` (if
 * given), then taking a token from `bucket`. `fn` handles its own errors. Stops starting new items when
 * the run is interrupted.
 */
export async function pacedEach<T>(
  ctx: ResourceContext,
  items: readonly T[],
  bucket: TokenBucket,
  fn: (item: T) => Promise<void>,
  progress?: (done: number, total: number) => void,
  before?: (item: T) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length && !ctx.signal?.aborted) {
      const item = items[next++]!;
      if (before) await before(item);
      await bucket.take(ctx.signal);
      if (ctx.signal?.aborted) return;
      await fn(item);
      done++;
      progress?.(done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  if (ctx.signal?.aborted) {
    throw new AbortedError('INTERRUPTED', `${ctx.logicalId}: interrupted after ${done} of ${items.length} traffic mirror session changes.`, {
      actions: ['Run the command again to resume: the sessions already changed are kept.'],
    });
  }
}

/** Progress callback for pacedEach: a log line every `every` items and at the end ("created 300/1000 sessions"). */
export function progressLog(ctx: ResourceContext, verb: string, every = 100): (done: number, total: number) => void {
  return (done, total) => {
    if (done % every === 0 || done === total) ctx.log(`${verb} ${done}/${total} sessions`);
  };
}
