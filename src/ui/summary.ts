import { summarize, type Plan } from '../engine/plan.js';
import { duration } from './format.js';

export interface ChangeCounts {
  added: number;
  changed: number;
  replaced: number;
  destroyed: number;
}

export function changeCounts(plan: Pick<Plan, 'actions'>): ChangeCounts {
  const s = summarize(plan);
  return { added: s.create, changed: s.update, replaced: s.replace, destroyed: s.delete };
}

/** `Apply complete: 3 added, 1 changed in 3m12s.` (counts that are zero left out). */
export function applyCompleteLine(counts: ChangeCounts, elapsedMs: number | undefined): string {
  const parts = (Object.entries(counts) as [keyof ChangeCounts, number][]).filter(([, n]) => n > 0).map(([what, n]) => `${n} ${what}`);
  return `Apply complete: ${parts.join(', ') || 'nothing changed'}${elapsedMs === undefined ? '' : ` in ${duration(elapsedMs)}`}.`;
}

/** `Destroy complete: 10 destroyed (1 of them not in state) in 2m05s; state removed.` (`swept`: leftovers, counted in `deleted`) */
export function destroyCompleteLine(deleted: number, swept: number, elapsedMs: number | undefined): string {
  const leftovers = swept ? ` (${swept} of them not in state)` : '';
  return `Destroy complete: ${deleted} destroyed${leftovers}${elapsedMs === undefined ? '' : ` in ${duration(elapsedMs)}`}; state removed.`;
}
