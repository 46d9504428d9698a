/**
 * EC2 request rate limiting (request token buckets): each API action has its own bucket per account and
 * region; a mutating action's bucket holds 50 tokens and refills at 5 per second. A call that finds its bucket
 * empty answers `RequestLimitExceeded`. Time is the fake's simulated clock.
 */
export interface Ec2RateLimitOptions {
  capacity: number;
  refillPerSecond: number;
  /** Mutating EC2 actions subject to the limit. Default: the traffic mirroring ones. */
  commands?: RegExp;
}

export const DEFAULT_EC2_RATE_LIMIT: Required<Ec2RateLimitOptions> = { capacity: 50, refillPerSecond: 5, commands: /TrafficMirror/ };

export class Ec2RateLimit {
  private options: Required<Ec2RateLimitOptions> | undefined = DEFAULT_EC2_RATE_LIMIT;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  configure(options: Partial<Ec2RateLimitOptions> | false): void {
    this.options = options === false ? undefined : { ...DEFAULT_EC2_RATE_LIMIT, ...options };
    this.buckets.clear();
  }

  /** Takes a token for a mutating EC2 call at simulated time `now`; false = throttled. */
  take(command: string, now: number): boolean {
    const o = this.options;
    if (!o || !o.commands.test(command)) return true;
    const b = this.buckets.get(command) ?? { tokens: o.capacity, at: now };
    b.tokens = Math.min(o.capacity, b.tokens + ((now - b.at) / 1000) * o.refillPerSecond);
    b.at = now;
    this.buckets.set(command, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
