import { clock } from '../util/clock.js';

export interface TokenBucketOptions {
  /** Burst size: tokens in a full bucket. */
  capacity: number;
  /** Tokens added per (simulated) second. */
  refillPerSecond: number;
}

/**
 * EC2's request token bucket for mutating actions (per action, per account and region): 50 tokens,
 * refilled at 5 per second. Callers that make hundreds of mutating calls pace themselves to it so the
 * run needs no throttling retries.
 */
export const EC2_MUTATING_BUCKET: TokenBucketOptions = { capacity: 50, refillPerSecond: 5 };

const simulatedNow = () => clock.now();

/**
 * Client-side token bucket in simulated time. `take()` reserves the next token in FIFO order and resolves
 * when it has accrued, so concurrent callers are spaced at exactly the refill rate once the burst is used.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly options: TokenBucketOptions,
    private readonly now: () => number = simulatedNow,
  ) {
    if (!(options.capacity >= 1) || !(options.refillPerSecond > 0)) throw new Error(`invalid token bucket ${JSON.stringify(options)}`);
    this.tokens = options.capacity;
    this.last = this.now();
  }

  /** Waits for one token; resolves early (without a token) when the signal aborts: the caller checks it. */
  async take(signal?: AbortSignal): Promise<void> {
    const now = this.now();
    this.tokens = Math.min(this.options.capacity, this.tokens + ((now - this.last) / 1000) * this.options.refillPerSecond);
    this.last = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    const readyAt = now + (-this.tokens / this.options.refillPerSecond) * 1000;
    // Timers can fire a little early: sleep again until the token is really there.
    for (let left = readyAt - now; left > 0 && !signal?.aborted; left = readyAt - this.now()) await clock.sleep(left, signal);
  }
}

/**
 * Tokens the client leaves unused: requests reach EC2 a variable time after their token was taken, and a
 * bucket that keeps `n` tokens in hand absorbs n / refillPerSecond (here 400 ms) of that jitter.
 */
const HEADROOM = 2;

const buckets = new WeakMap<object, Map<string, TokenBucket>>();

/**
 * The bucket of one EC2 mutating action, shared by everything using the same clients object (one account
 * and region), so parallel handlers draw from one budget.
 */
export function ec2MutatingBucket(clients: object, action: string): TokenBucket {
  let perAction = buckets.get(clients);
  if (!perAction) buckets.set(clients, (perAction = new Map<string, TokenBucket>()));
  let bucket = perAction.get(action);
  if (!bucket) perAction.set(action, (bucket = new TokenBucket({ ...EC2_MUTATING_BUCKET, capacity: EC2_MUTATING_BUCKET.capacity - HEADROOM })));
  return bucket;
}
