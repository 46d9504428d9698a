import type { Graph, Outputs, ResourceKind, Value } from './types.js';

export type ActionType = 'create' | 'update' | 'replace' | 'delete' | 'noop';

/** Why one property differs: edited in the config, changed in AWS behind our back, or waiting on another resource. */
export type ChangeCause = 'config' | 'drift' | 'dependency';

export interface PropChange {
  prop: string;
  before?: Value;
  after?: Value;
  cause: ChangeCause;
  forcesReplacement: boolean;
}

export interface PlannedAction {
  id: string;
  kind: ResourceKind;
  action: ActionType;
  reasons: string[];
  changes: PropChange[];
  /** The existing resource (update, replace, delete, noop). */
  physicalId?: string;
  /** Deleting a leftover of an earlier replacement. */
  orphan?: boolean;
}

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
