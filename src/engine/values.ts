import { isJoin, isRef, isUnknown, unknown, type Outputs, type Ref, type Value } from './types.js';

/** Looks up a ref: the output value, or Unknown when the referenced resource does not exist yet. */
export type RefLookup = (ref: Ref) => string | number | ReturnType<typeof unknown>;

/** Replaces every ref by its output (or Unknown), leaving everything else as is. */
export function resolveValue(value: Value, lookup: RefLookup): Value {
  if (value === null || typeof value !== 'object') return value;
  if (isRef(value)) return lookup(value);
  if (isUnknown(value)) return value;
  if (isJoin(value)) {
    const parts = value.$join.map((part) => (typeof part === 'string' ? part : lookup(part)));
    const missing = parts.find(isUnknown);
    return missing ?? (parts as (string | number)[]).join('');
  }
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, lookup));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, lookup)]));
}

export function containsUnknown(value: Value | undefined): boolean {
  if (value === null || value === undefined || typeof value !== 'object') return false;
  if (isUnknown(value)) return true;
  const children: Value[] = Array.isArray(value) ? value : Object.values(value as { [key: string]: Value });
  return children.some((child) => containsUnknown(child));
}

/** Lookup over a map of known outputs per logical id. */
export function lookupIn(outputs: (id: string) => Outputs | undefined): RefLookup {
  return (ref) => {
    const value = outputs(ref.$ref)?.[ref.attr];
    return value === undefined ? unknown(`${ref.$ref}.${ref.attr}`) : value;
  };
}
