import type { AutoScalingModel } from './autoscaling.js';
import type { Ec2Model } from './ec2.js';
import type { Elbv2Model } from './elbv2.js';
import type { EventsModel } from './events.js';
import type { IamModel } from './iam.js';
import type { LambdaModel } from './lambda.js';
import type { LogsModel } from './logs.js';
import type { MirroringModel } from './mirroring.js';
import { Ids } from './ids.js';
import type { SsmModel } from './ssm.js';
import { SimClock } from './time.js';

/** Simulated delays (milliseconds of SIMULATED time; see time.ts). */
export interface Delays {
  /** Load balancer `provisioning` -> `active`. */
  lbActiveMs: number;
  /** After DeleteLoadBalancer, its network interfaces (and so its security groups) stay in use this long. */
  lbDeleteMs: number;
  /** EC2 instance `pending` -> `running`. */
  instanceRunningMs: number;
  /** Auto Scaling instance `Pending` -> `InService` (measured from launch); the ASG registers it in its target groups then. */
  instanceInServiceMs: number;
  /** Registered target `initial` -> `healthy` (measured from the latest of registration, LB active, listener created). */
  targetHealthyMs: number;
  /** Instance `Terminating`/`shutting-down` -> gone from the group / `terminated`. */
  instanceTerminateMs: number;
  /** How long a terminated instance stays visible in DescribeInstances. */
  terminatedVisibleMs: number;
  /** Deleted Auto Scaling group shows Status `Delete in progress` this long (at least until its instances are gone). */
  asgDeleteMs: number;
  /** After a failed launch (bad launch template) the group retries after this long. */
  launchRetryMs: number;
  /** A new IAM instance profile cannot be used to launch instances for this long (IAM propagation). */
  iamPropagationMs: number;
  /** A new IAM role cannot be assumed by Lambda for this long: CreateFunction answers "The role defined for the function cannot be assumed by Lambda". */
  lambdaRolePropagationMs: number;
  /** A new Lambda function is `Pending` this long, then `Active`. */
  lambdaActiveMs: number;
  /** A Lambda code or configuration update is `InProgress` this long; another update meanwhile is a ResourceConflictException. */
  lambdaUpdateMs: number;
}

export const DEFAULT_DELAYS: Delays = {
  lbActiveMs: 180_000,
  lbDeleteMs: 60_000,
  instanceRunningMs: 30_000,
  instanceInServiceMs: 90_000,
  targetHealthyMs: 30_000,
  instanceTerminateMs: 30_000,
  terminatedVisibleMs: 3_600_000,
  asgDeleteMs: 30_000,
  launchRetryMs: 10_000,
  iamPropagationMs: 0,
  lambdaRolePropagationMs: 8_000,
  lambdaActiveMs: 2_000,
  lambdaUpdateMs: 2_000,
};

/** State shared by the service models: identity, ids, time, eventual consistency bookkeeping. */
export class World {
  readonly time: SimClock;
  readonly ids: Ids;
  region: string;
  accountId: string;
  delays: Delays;

  ec2!: Ec2Model;
  elbv2!: Elbv2Model;
  autoscaling!: AutoScalingModel;
  ssm!: SsmModel;
  iam!: IamModel;
  mirroring!: MirroringModel;
  lambda!: LambdaModel;
  events!: EventsModel;
  logs!: LogsModel;

  /** Eventual consistency: how many lookups of a fresh id answer NotFound (0 = off). */
  consistencyLag = 0;
  private readonly fresh = new Map<string, number>();
  /** Ids already charged during the current call (a call that names an id twice pays once). */
  private readonly chargedThisCall = new Set<string>();
  /** Whether the current call is subject to eventual consistency (reads, Authorize/Revoke, CreateTags). */
  lagApplies = false;

  constructor(opts: { region: string; accountId: string; seed: number; delays: Delays }) {
    this.region = opts.region;
    this.accountId = opts.accountId;
    this.delays = opts.delays;
    this.ids = new Ids(opts.seed);
    this.time = new SimClock();
  }

  now(): number {
    return this.time.now();
  }

  /** Records a freshly created resource id (or name) for eventual consistency. */
  created(...keys: string[]): void {
    if (this.consistencyLag <= 0) return;
    for (const k of keys) this.fresh.set(k, this.consistencyLag);
  }

  /** True when a lookup of `key` by this call must not see the resource yet. */
  hidden(key: string): boolean {
    if (!this.lagApplies) return false;
    const left = this.fresh.get(key);
    if (!left) return false;
    if (!this.chargedThisCall.has(key)) {
      this.chargedThisCall.add(key);
      if (left <= 1) this.fresh.delete(key);
      else this.fresh.set(key, left - 1);
    }
    return true;
  }

  beginCall(lagApplies: boolean): void {
    this.chargedThisCall.clear();
    this.lagApplies = lagApplies;
  }

  clearLag(): void {
    this.consistencyLag = 0;
    this.fresh.clear();
  }

  /** Brings every lazily computed transition up to now (instances, deletions, refreshes). */
  settle(): void {
    const now = this.now();
    this.autoscaling.settle(now);
    this.ec2.settle(now);
    this.mirroring.settle();
  }
}
