import { createHash } from 'node:crypto';
import type { ActionType, Plan, PlannedAction, PropChange } from '../engine/plan.js';
import { summarize } from '../engine/plan.js';
import { isJoin, isRef, isUnknown, type Join, type ResourceNode, type Value } from '../engine/types.js';
import { paint } from './format.js';

const SYMBOL: Record<ActionType, string> = { create: '+', update: '~', replace: '-/+', delete: '-', noop: ' ' };
const STYLE = { create: 'green', update: 'yellow', replace: 'magenta', delete: 'red', noop: 'gray' } as const;
const OUTCOME: Record<ActionType, string> = { create: 'created', update: 'updated in place', replace: 'replaced', delete: 'destroyed', noop: 'kept' };

/** Extra words for changes whose effect is not obvious from the property name. */
const CONSEQUENCES: Record<string, string> = {
  'auto-scaling-group.launchTemplateVersion': 'starts a rolling instance refresh',
};

export interface PrintOptions {
  /** Print every property of resources to create (offline plans, where there is nothing else to see). */
  showProperties: boolean;
  /** Print the rendered user data scripts (offline plans). */
  showUserData: boolean;
}

export function formatPlan(plan: Plan, options: PrintOptions): string {
  const out: string[] = [];
  const nodes = new Map(plan.graph.nodes.map((n) => [n.id, n]));
  const changes = plan.actions.filter((a) => a.action !== 'noop');
  const where = `deployment ${plan.deployment}, ${plan.region || 'region from the environment'}`;
  if (changes.length === 0) {
    out.push(`No changes. The deployment (${where}) matches the configuration.`);
  } else {
    out.push(`wallarm-oob will perform these actions (${where}):`, '');
    for (const action of changes) out.push(...formatAction(action, nodes.get(action.id), options), '');
    const s = summarize(plan);
    out.push(`Plan: ${s.create} to add, ${s.update} to change, ${s.replace} to replace, ${s.delete} to destroy.`);
  }
  for (const note of plan.notes) out.push(`Note: ${note}`);
  if (options.showUserData) {
    for (const node of plan.graph.nodes) {
      const userData = node.props.userData;
      const text = typeof userData === 'string' ? userData : isJoin(userData) ? joinedText(userData) : undefined;
      if (text !== undefined) out.push('', `--- user data of ${node.id} (${Buffer.byteLength(text)} bytes) ---`, text.trimEnd(), '--- end ---');
    }
  }
  return out.join('\n');
}

function formatAction(action: PlannedAction, node: ResourceNode | undefined, options: PrintOptions): string[] {
  const orphan = action.orphan ? ' (old copy)' : '';
  const lines = [`${paint(STYLE[action.action], SYMBOL[action.action].padStart(3))} ${action.id}${orphan} ${paint('gray', `(${action.kind})`)} will be ${OUTCOME[action.action]}`];
  if (action.physicalId) lines.push(`      id: ${action.physicalId}`);
  for (const reason of action.reasons) if (reason !== 'new resource') lines.push(`      # ${reason}`);
  for (const change of action.changes) lines.push(formatChange(action, change));
  if (action.action === 'create' && options.showProperties && node) {
    for (const [prop, value] of Object.entries(node.props)) lines.push(`      ${prop}: ${show(prop, value)}`);
  }
  return lines;
}

function formatChange(action: PlannedAction, change: PropChange): string {
  const consequence = CONSEQUENCES[`${action.kind}.${change.prop}`];
  const tail = [change.forcesReplacement ? 'forces replacement' : '', consequence ?? ''].filter(Boolean).join('; ');
  return `      ~ ${change.prop}: ${show(change.prop, change.before)} -> ${show(change.prop, change.after)}${tail ? paint('gray', `  # ${tail}`) : ''}`;
}

/** One-line rendering of a value: refs and unknowns as "known after apply", long text summarised. */
export function show(prop: string, value: Value | undefined): string {
  if (value === undefined) return '(none)';
  if (isUnknown(value)) return '(known after apply)';
  if (isRef(value)) return `(known after apply: ${value.$ref}.${value.attr})`;
  if (isJoin(value)) return `(${Buffer.byteLength(joinedText(value))} bytes, with ${value.$join.filter(isRef).map((r) => `${r.$ref}.${r.attr}`).join(', ')} known after apply)`;
  if (typeof value === 'string') {
    if (prop === 'userData' || value.length > 400) return `(${Buffer.byteLength(value)} bytes, sha ${shaOf(value)})`;
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => show(prop, v)).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${show(k, v)}`).join(', ')} }`;
  }
  return String(value);
}

function shaOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** A joined string with its refs shown as `${id.attr}` placeholders. */
function joinedText(value: Join): string {
  return value.$join.map((part) => (typeof part === 'string' ? part : `\${${part.$ref}.${part.attr}}`)).join('');
}
