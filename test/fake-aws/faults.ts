import { Prng } from './ids.js';

export interface ThrottleOptions {
  /** PRNG seed, so the same test throttles the same calls every run. Default 1. */
  seed?: number;
  /** Only throttle these services ('ec2', 'elbv2', 'autoscaling', 'ssm', 'iam', 'sts'). */
  services?: string[];
  /** Only throttle these commands (e.g. 'DescribeLoadBalancers'). */
  commands?: string[];
  /** Throttle at most this many attempts, then stop (e.g. `throttle(1, { limit: 2 })`: the next 2 attempts are throttled). */
  limit?: number;
}

export interface FailAtMutationOptions {
  /** 'before': throws without effect; 'after': performs the effect, then throws (the response was lost). */
  mode: 'before' | 'after';
  /** Count only mutations whose command name matches (e.g. 'CreateSecurityGroup' or /^Create/). */
  match?: string | RegExp;
  /** How many consecutive matching mutations fail, starting at the nth. Default 1. */
  times?: number;
  /**
   * Error to throw. Defaults: 'before' -> InjectedFailure (400, not retried by the SDK, so the tool sees it);
   * 'after' -> InternalError (500, which the SDK retries: the retry then meets the effect of the first attempt).
   */
  code?: string;
  status?: number;
  message?: string;
}

interface FailRule extends FailAtMutationOptions {
  n: number;
  seen: number;
}

const MUTATING = /^(Create|Delete|Put|Modify|Update|Authorize|Revoke|Attach|Detach|Register|Deregister|Start|Cancel|Add|Remove|Set|Enable|Disable|Tag|Untag|Run|Terminate)/;

export function isMutating(command: string): boolean {
  return MUTATING.test(command);
}

/** Fault injection state: throttling, failing the nth mutation. Eventual consistency lives in World. */
export class Faults {
  private throttleFraction = 0;
  private throttlePrng = new Prng(1);
  private throttleOpts: ThrottleOptions = {};
  private throttled = 0;
  private failRule: FailRule | undefined;

  throttle(fraction: number, opts: ThrottleOptions = {}): void {
    if (!(fraction >= 0 && fraction <= 1)) throw new Error(`throttle fraction must be within [0, 1], got ${fraction}`);
    this.throttleFraction = fraction;
    this.throttlePrng = new Prng(opts.seed ?? 1);
    this.throttleOpts = opts;
    this.throttled = 0;
  }

  shouldThrottle(service: string, command: string): boolean {
    if (this.throttleFraction <= 0) return false;
    if (this.throttleOpts.services && !this.throttleOpts.services.includes(service)) return false;
    if (this.throttleOpts.commands && !this.throttleOpts.commands.includes(command)) return false;
    if (this.throttleOpts.limit !== undefined && this.throttled >= this.throttleOpts.limit) return false;
    const hit = this.throttlePrng.next() < this.throttleFraction;
    if (hit) this.throttled++;
    return hit;
  }

  failAtMutation(n: number, opts: FailAtMutationOptions): void {
    if (!(Number.isInteger(n) && n >= 1)) throw new Error(`failAtMutation: n must be an integer >= 1, got ${n}`);
    this.failRule = { ...opts, n, seen: 0 };
  }

  /** Called for every non-throttled mutating attempt; returns the fault to apply to it, if any. */
  onMutation(command: string): FailRule | undefined {
    const r = this.failRule;
    if (!r) return undefined;
    if (r.match !== undefined && !(typeof r.match === 'string' ? r.match === command : r.match.test(command))) return undefined;
    r.seen++;
    const times = r.times ?? 1;
    return r.seen >= r.n && r.seen < r.n + times ? r : undefined;
  }

  clear(): void {
    this.throttleFraction = 0;
    this.failRule = undefined;
  }
}
