import { awsError } from './errors.js';

/** The tool's own canonical JSON: the fake fingerprints repeated requests (ClientToken) with it. */
export { stableJson } from '../../src/util/hash.js';

export type Tags = Map<string, string>;

export interface TagLike {
  Key?: string;
  Value?: string;
}

export function tagList(tags: Tags): { Key: string; Value: string }[] {
  return [...tags].map(([Key, Value]) => ({ Key, Value }));
}

/** EC2 filter values accept `*` (any run) and `?` (one char) wildcards. */
export function glob(pattern: string, value: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === value;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return re.test(value);
}

export function anyGlob(patterns: readonly string[], value: string | undefined): boolean {
  return value !== undefined && patterns.some((p) => glob(p, value));
}

/** Tag filters common to EC2 (`tag:KEY`, `tag-key`, `tag-value`); returns undefined if the filter is not a tag filter. */
export function matchTagFilter(name: string, values: readonly string[], tags: Tags): boolean | undefined {
  if (name.startsWith('tag:')) {
    const v = tags.get(name.slice(4));
    return v !== undefined && anyGlob(values, v);
  }
  if (name === 'tag-key') return [...tags.keys()].some((k) => anyGlob(values, k));
  if (name === 'tag-value') return [...tags.values()].some((v) => anyGlob(values, v));
  return undefined;
}

/**
 * Fault knob (FakeAws.ignoreTagFilters): the endpoint accepts tag filters but does not apply them, like an
 * emulator or proxy that drops them. Proves the tool checks ownership on the client.
 */
export const tagFilterMode = { ignore: false };

export interface Filter {
  Name?: string;
  Values?: string[];
}

/**
 * Applies EC2-style filters. `fields` maps a filter name to the value(s) of an item; unknown filter names
 * are rejected like EC2 does (InvalidParameterValue), so a typo in the tool's filter shows up.
 */
export function applyEc2Filters<T>(
  items: T[],
  filters: readonly Filter[] | undefined,
  fields: Record<string, (item: T) => string | string[] | undefined>,
  tagsOf: ((item: T) => Tags) | undefined,
): T[] {
  if (!filters?.length) return items;
  for (const f of filters) {
    if (!f.Name) throw awsError('InvalidParameterValue', 'The filter name must be specified');
    const known = f.Name in fields || (tagsOf && (f.Name.startsWith('tag:') || f.Name === 'tag-key' || f.Name === 'tag-value'));
    if (!known) throw awsError('InvalidParameterValue', `The filter '${f.Name}' is invalid`);
  }
  return items.filter((item) =>
    filters.every((f) => {
      const name = f.Name as string;
      const values = f.Values ?? [];
      if (tagsOf) {
        if (tagFilterMode.ignore && (name.startsWith('tag:') || name === 'tag-key' || name === 'tag-value')) return true;
        const t = matchTagFilter(name, values, tagsOf(item));
        if (t !== undefined) return t;
      }
      const get = fields[name];
      const v = get ? get(item) : undefined;
      const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
      return list.some((x) => anyGlob(values, x));
    }),
  );
}

/** Offset-based opaque pagination tokens. */
export function paginate<T>(items: T[], token: string | undefined, max: number | undefined, defaultMax = Infinity): { page: T[]; next?: string } {
  let start = 0;
  if (token) {
    const decoded = /^fake:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
    if (!decoded) throw awsError('InvalidNextToken', 'The specified token is invalid');
    start = Number(decoded[1]);
  }
  const size = max ?? defaultMax;
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return { page, next: end < items.length ? Buffer.from(`fake:${end}`).toString('base64') : undefined };
}

export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
}
export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
export function parseCidr(cidr: string): { base: number; bits: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  return { base: ipToInt(octets.join('.')), bits };
}
export function cidrSize(cidr: string): number {
  const c = parseCidr(cidr);
  return c ? 2 ** (32 - c.bits) : 0;
}

export function sameSet(a: readonly string[] = [], b: readonly string[] = []): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

export function required<T>(value: T | undefined | null, param: string, code = 'MissingParameter'): T {
  if (value === undefined || value === null || value === '') {
    throw awsError(code, `The request must contain the parameter ${param}`);
  }
  return value;
}
