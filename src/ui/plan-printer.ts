import { createHash } from 'node:crypto';
import type { CostEstimate } from '../cost/estimate.js';
import type { ActionType, MirrorSourceReport, Plan, PlannedAction, PropChange } from '../engine/plan.js';
import { NOT_READ, summarize } from '../engine/plan.js';
import { isJoin, isRef, isUnknown, type Join, type ResourceNode, type Value } from '../engine/types.js';
import { paint } from './format.js';
import { INLINE_MAX, leafChanges, renderProperty, type LeafChange } from './values.js';

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
  if (plan.mirrorSources?.length) out.push('', ...formatMirrorSources(plan.mirrorSources));
  if (plan.cost) out.push('', ...formatCost(plan.cost));
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
  const orphan = action.leftover ? ' (also tagged with this deployment, not in state)' : action.orphan ? ' (old copy)' : '';
  const lines = [`${paint(STYLE[action.action], SYMBOL[action.action].padStart(3))} ${action.id}${orphan} ${paint('gray', `(${action.kind})`)} will be ${OUTCOME[action.action]}`];
  if (action.physicalId) lines.push(`      id: ${action.physicalId}`);
  for (const reason of action.reasons) if (reason !== 'new resource') lines.push(`      # ${reason}`);
  for (const change of action.changes) lines.push(...formatChange(action, change));
  if (action.action === 'create' && options.showProperties && node) {
    for (const [prop, value] of Object.entries(node.props)) lines.push(...renderProperty(prop, value, '      ', show));
  }
  return lines;
}

/** ENI lists longer than this are cut, with "and N more". */
const ENI_LIST_MAX = 10;

/** Per `mirror.sources` item: the ENIs it resolved to, and each one skipped with its reason. */
export function formatMirrorSources(sources: readonly MirrorSourceReport[]): string[] {
  const lines = ['Mirror sources:'];
  for (const s of sources) {
    if (!s.resolved) {
      lines.push(`  ${s.label}: resolved at plan time against the account`);
      continue;
    }
    const count = `${s.eligible.length} ENI${s.eligible.length === 1 ? '' : 's'}`;
    lines.push(`  ${s.label}: ${count}${s.eligible.length ? ` (${eniList(s.eligible)})` : ''}`);
    if (s.note) lines.push(paint('gray', `      # ${s.note}`));
    for (const skipped of s.ineligible) lines.push(`    ${paint('yellow', 'skipped')} ${skipped.eni}: ${skipped.reason}`);
  }
  return lines;
}

/** `eni-a, eni-b, … and 3 more`. */
export function eniList(enis: readonly string[], max = ENI_LIST_MAX): string {
  return enis.length <= max ? enis.join(', ') : `${enis.slice(0, max).join(', ')} and ${enis.length - max} more`;
}

/** A session set's ENI change: `+2 / -1 sessions (+eni-a, +eni-b, -eni-c)` instead of two long arrays. */
export function sessionDelta(before: Value | undefined, after: Value | undefined): string | undefined {
  const list = (v: Value | undefined) => (v === undefined || v === null ? [] : Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v) : undefined);
  const was = list(before);
  const will = list(after);
  if (!was || !will) return undefined;
  const added = will.filter((id) => !was.includes(id));
  const removed = was.filter((id) => !will.includes(id));
  const ids = eniList([...added.map((id) => `+${id}`), ...removed.map((id) => `-${id}`)]);
  return `+${added.length} / -${removed.length} sessions${ids ? ` (${ids})` : ''}`;
}

/** Nested changes with more changed leaves than this print whole (before, then after). */
const LEAVES_MAX = 20;

function formatChange(action: PlannedAction, change: PropChange): string[] {
  if (change.prop === 'networkInterfaceIds') {
    const delta = sessionDelta(change.before, change.after);
    if (delta) return [`      ~ ${change.prop}: ${delta}`];
  }
  const consequence = CONSEQUENCES[`${action.kind}.${change.prop}`];
  const tail = [change.forcesReplacement ? 'forces replacement' : '', consequence ?? ''].filter(Boolean).join('; ');
  const comment = tail ? paint('gray', `  # ${tail}`) : '';
  const leaves = change.prop === 'userData' || change.before === undefined || change.after === undefined ? [] : leafChanges(change.before, change.after);
  if (leaves.length > 0 && leaves.length <= LEAVES_MAX && !(leaves.length === 1 && leaves[0]!.path === '' && leaves[0]!.kind === 'changed')) {
    return [`      ~ ${change.prop}:${comment}`, ...leaves.flatMap((leaf) => formatLeaf(change.prop, leaf))];
  }
  const line = `      ~ ${change.prop}: ${show(change.prop, change.before)} -> ${show(change.prop, change.after)}${comment}`;
  if (line.length <= INLINE_MAX * 2) return [line];
  return [
    `      ~ ${change.prop}:${comment}`,
    ...renderProperty('before', change.before, '          ', show),
    ...renderProperty('after', change.after, '          ', show),
  ];
}

/** `~ path: before -> after`, `+ path: value`, `- path: value` (an added or removed list item has no path). */
function formatLeaf(prop: string, leaf: LeafChange): string[] {
  const indent = '          ';
  if (leaf.kind === 'changed') return [`${indent}~ ${leaf.path}: ${show(prop, leaf.before)} -> ${show(prop, leaf.after)}`];
  const mark = leaf.kind === 'added' ? paint('green', '+') : paint('red', '-');
  const value = leaf.kind === 'added' ? leaf.after : leaf.before;
  if (!leaf.path) {
    const one = show(prop, value);
    if (one.length <= INLINE_MAX) return [`${indent}${mark} ${one}`];
    const [first, ...rest] = renderBlockItem(prop, value, `${indent}  `);
    return [`${indent}${mark} ${(first ?? '').trimStart()}`, ...rest];
  }
  const [first, ...rest] = renderProperty(leaf.path, value, `${indent}  `, show);
  return [`${indent}${mark} ${(first ?? '').trimStart()}`, ...rest];
}

/** A long list item: its keys one per line. */
function renderBlockItem(prop: string, value: Value | undefined, indent: string): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value) && !isRef(value) && !isUnknown(value) && !isJoin(value)) {
    return Object.entries(value).flatMap(([k, v]) => renderProperty(k, v, indent, show));
  }
  return [`${indent}${show(prop, value)}`];
}

/** One-line rendering of a value: refs and unknowns as "known after apply", long text summarised. */
export function show(prop: string, value: Value | undefined): string {
  if (value === undefined) return '(none)';
  if (isUnknown(value) && value.$unknown === NOT_READ.$unknown) return '(not read: --refresh=false)';
  if (prop === 'networkInterfaceIds' && isUnknown(value)) return '(resolved at plan time against the account)';
  if (isUnknown(value)) return '(known after apply)';
  if (isRef(value)) return `(known after apply: ${value.$ref}.${value.attr})`;
  if (isJoin(value)) return `(${Buffer.byteLength(joinedText(value))} bytes, with ${value.$join.filter(isRef).map((r) => `${r.$ref}.${r.attr}`).join(', ')} known after apply)`;
  if (typeof value === 'string') {
    if (prop === 'userData' || value.length > 400) return `(${Buffer.byteLength(value)} bytes, sha ${shaOf(value)})`;
    return JSON.stringify(value);
  }
  if (prop === 'networkInterfaceIds' && Array.isArray(value) && value.length > ENI_LIST_MAX) {
    return `${value.length} ENIs: ${eniList(value.map(String))}`;
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

const usd = (n: number) => `$${n.toFixed(2)}`;

/** `Estimated cost: $46.80/month (estimate, on-demand prices of …)`, one line per priced item, then what usage adds. */
export function formatCost(cost: CostEstimate): string[] {
  const total = cost.complete ? usd(cost.monthlyTotal) : `at least ${usd(cost.monthlyTotal)}`;
  const lines = [`Estimated cost: ${total}/month (${cost.label}; ${cost.hoursPerMonth} hours a month, ${cost.currency})`];
  for (const l of cost.lines) {
    const rate = l.hourlyPrice === undefined ? '' : ` at ${'$'}${l.hourlyPrice}/${l.unit}`;
    const perUnit = l.quantity === null && l.hourlyPrice !== undefined ? `${usd(l.hourlyPrice * cost.hoursPerMonth)}/month each; ` : '';
    lines.push(`  ${l.item}: ${l.monthly === undefined ? `${perUnit}${l.notPriced ?? 'not priced'}` : `${usd(l.monthly)}/month`}${rate}`);
  }
  for (const u of cost.usageCharges) lines.push(`  plus ${u}`);
  return lines;
}
