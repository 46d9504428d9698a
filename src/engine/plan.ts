import type { CostEstimate } from '../cost/estimate.js';
import { unknown, type Graph, type Outputs, type ResourceKind, type Unknown, type Value } from './types.js';

export type ActionType = 'create' | 'update' | 'replace' | 'delete' | 'noop';

/** Why one property differs: edited in the config, changed in AWS behind our back, or waiting on another resource. */
export type ChangeCause = 'config' | 'drift' | 'dependency';

/** The `before` of a change when live resources were not read (`plan --refresh=false`): state keeps only a hash. */
export const NOT_READ: Unknown = unknown('not read (--refresh=false)');

export interface PropChange {
  prop: string;
  before?: Value;
  after?: Value;
  cause: ChangeCause;
  forcesReplacement: boolean;
}

interface ActionCommon {
  id: string;
  kind: ResourceKind;
  reasons: string[];
  changes: PropChange[];
}

/**
 * One step of a plan. A discriminated union on `action`: every step on an existing resource carries its
 * physical id, so nothing downstream has to assume one is there.
 */
export type PlannedAction =
  /** `physicalId`: the resource state knew, deleted outside the tool (created again). */
  | (ActionCommon & { action: 'create'; physicalId?: string; orphan?: undefined; leftover?: undefined })
  | (ActionCommon & { action: 'update' | 'replace' | 'noop'; physicalId: string; orphan?: undefined; leftover?: undefined })
  | (ActionCommon & {
      action: 'delete';
      physicalId: string;
      /** A leftover of an earlier replacement (the logical id now names its successor). */
      orphan?: boolean;
      /** Destroy: tagged with this deployment but not in state (an interrupted run created it); found before the confirmation. */
      leftover?: boolean;
      /** Leftovers: logical ids of what this resource may use (their deletes wait for this one), like state's `deps`. */
      dependsOn?: string[];
    });

export type DeleteAction = Extract<PlannedAction, { action: 'delete' }>;

/** Plans are data: printed, emitted as JSON, saved with --out and applied later. */
export interface Plan {
  format: 1;
  deployment: string;
  topology: string;
  region: string;
  /** State serial the plan was computed from: apply refuses the plan once state has moved on. */
  stateSerial: number;
  createdAt: string;
  offline: boolean;
  /** Destroy plans delete everything and ignore the graph. */
  destroy: boolean;
  graph: Graph;
  actions: PlannedAction[];
  /** Things apply will do outside the graph (e.g. write the token parameter), and warnings. */
  notes: string[];
  /** Deployment outputs known now (from state); unknown ones are filled at apply. */
  outputs: Outputs;
  /** Estimated monthly cost of what the plan builds (the `plan` command adds it; apply plans carry none). */
  cost?: CostEstimate;
  /** vpc-mirror: what each `mirror.sources` item resolved to when the plan was made (ENIs, and the ones skipped). */
  mirrorSources?: MirrorSourceReport[];
}

/** One `mirror.sources` item as resolved against the account (or not resolved: offline plans). */
export interface MirrorSourceReport {
  /** e.g. `autoScalingGroup web-asg`. */
  label: string;
  /** Config key, e.g. `mirror.sources[1].autoScalingGroup`. */
  key: string;
  /** False in offline plans: the sources are resolved at plan time against the account. */
  resolved: boolean;
  /** ENIs this source contributes sessions for (sorted). */
  eligible: string[];
  /** ENIs this source selected that cannot be mirrored, each with the reason (reported and skipped, never created). */
  ineligible: { eni: string; reason: string }[];
  /** Something worth saying that is not about one ENI (e.g. "no running instance carries eks:cluster-name=prod"). */
  note?: string;
}

export interface PlanSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
}

export function summarize(plan: Pick<Plan, 'actions'>): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const a of plan.actions) if (a.action !== 'noop') summary[a.action] += 1;
  return summary;
}

export function hasChanges(plan: Pick<Plan, 'actions'>): boolean {
  return plan.actions.some((a) => a.action !== 'noop');
}
