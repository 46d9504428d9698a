import { isJoin, isRef, isUnknown, type Value } from '../engine/types.js';

/** A value whose one-line form is longer than this prints as an indented block. */
export const INLINE_MAX = 100;
/** A list item longer than this expands its list's items to one key per line. */
const ITEM_MAX = 120;

type Inline = (prop: string, value: Value | undefined) => string;

/** A string holding a JSON object or array (IAM policy documents): its parsed form, else undefined. */
export function jsonDocument(value: Value | undefined): Value | undefined {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return undefined;
  try {
    return JSON.parse(value) as Value;
  } catch {
    return undefined;
  }
}

const isPlain = (v: Value | undefined): v is { [key: string]: Value } => v !== null && typeof v === 'object' && !Array.isArray(v) && !isRef(v) && !isUnknown(v) && !isJoin(v);

/**
 * `prop: value` as lines: on one line when short, otherwise the value below the key, one list item or
 * object key per line (recursively), and a JSON document string as indented JSON.
 */
export function renderProperty(prop: string, value: Value | undefined, indent: string, inline: Inline): string[] {
  const doc = jsonDocument(value);
  if (doc !== undefined && typeof value === 'string' && prop !== 'userData') {
    return [`${indent}${prop}: (JSON)`, ...JSON.stringify(doc, null, 2).split('\n').map((l) => `${indent}    ${l}`)];
  }
  const one = inline(prop, value);
  if (one.length + prop.length <= INLINE_MAX || value === undefined || !(Array.isArray(value) || isPlain(value))) return [`${indent}${prop}: ${one}`];
  return [`${indent}${prop}:`, ...renderBlock(prop, value, `${indent}    `, inline)];
}

function renderBlock(prop: string, value: Value, indent: string, inline: Inline): string[] {
  if (Array.isArray(value)) {
    // items of one list print alike: all on one line each, or all expanded when one is too long
    const expand = value.some((item) => isPlain(item) && inline(prop, item).length > ITEM_MAX);
    return value.flatMap((item) => {
      const one = inline(prop, item);
      if (!expand || !isPlain(item)) return [`${indent}- ${one}`];
      const [first, ...rest] = Object.entries(item).flatMap(([k, v]) => renderProperty(k, v, `${indent}  `, inline));
      return [`${indent}- ${(first ?? '').trimStart()}`, ...rest];
    });
  }
  if (isPlain(value)) return Object.entries(value).flatMap(([k, v]) => renderProperty(k, v, indent, inline));
  return [`${indent}${inline(prop, value)}`];
}

/** One changed leaf of a nested value: `path` is relative to the property (`healthCheck.port`, `[2].fromPort`). */
export interface LeafChange {
  path: string;
  kind: 'changed' | 'added' | 'removed';
  before?: Value;
  after?: Value;
}

const same = (a: Value | undefined, b: Value | undefined) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The changed leaves between two values: objects key by key, lists of the same length item by item,
 * lists of different lengths as items added and removed (as a set), JSON document strings as their
 * parsed form. Unknown or referenced values are compared whole.
 */
export function leafChanges(before: Value | undefined, after: Value | undefined, path = ''): LeafChange[] {
  if (same(before, after)) return [];
  const docBefore = jsonDocument(before);
  const docAfter = jsonDocument(after);
  if (docBefore !== undefined && docAfter !== undefined) return leafChanges(docBefore, docAfter, path);
  if (isPlain(before) && isPlain(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => {
      const sub = `${path}${path ? '.' : ''}${k}`;
      if (!(k in before)) return [{ path: sub, kind: 'added' as const, after: after[k] }];
      if (!(k in after)) return [{ path: sub, kind: 'removed' as const, before: before[k] }];
      return leafChanges(before[k], after[k], sub);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length === after.length) return before.flatMap((b, i) => leafChanges(b, after[i], `${path}[${i}]`));
    const removed = before.filter((b) => !after.some((a) => same(a, b)));
    const added = after.filter((a) => !before.some((b) => same(a, b)));
    return [...removed.map((b) => ({ path, kind: 'removed' as const, before: b })), ...added.map((a) => ({ path, kind: 'added' as const, after: a }))];
  }
  return [{ path, kind: 'changed', before, after }];
}
