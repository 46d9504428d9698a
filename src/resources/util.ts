import { createHash } from 'node:crypto';

import { awsMessage, errorCode } from '../aws/errors.js';
import { WireError } from '../aws/wire-errors.js';
import { AbortedError, AwsError, WallarmOobError } from '../errors.js';
import { clock } from '../util/clock.js';
import { chunks } from '../util/pool.js';
import { isNotFound } from './not-found.js';
import type { ResourceContext, Tagged } from './types.js';
import { TAG_DEPLOYMENT, TAG_LOGICAL_ID } from './types.js';
import { stableJson } from '../util/hash.js';

// Shared helpers of the resource handlers. No SDK imports here: tag shapes are plain objects that
// match the SDK's structural types.

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

export interface WaitOptions {
  /** Simulated ms before the second check; with maxIntervalMs, each later interval is 1.5x the previous one. */
  intervalMs: number;
  /** Cap of the growing interval (absent: checks every intervalMs). */
  maxIntervalMs?: number;
  /** Simulated ms before giving up. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** What the user should do when the wait times out. */
  actions?: string[];
  /** Called with the elapsed time (“1m20s”) at most every `progressEveryMs` (default 30 s). */
  progress?: (elapsed: string) => void;
  progressEveryMs?: number;
}

/** `90_000` -> `1m30s`. */
export function formatDuration(ms: number): string {
  const total = Math.round(ms / SECOND);
  const m = Math.floor(total / 60);
  const s = total % 60;
  if (m === 0) return `${s}s`;
  return s === 0 ? `${m}m` : `${m}m${s}s`;
}

function throwIfAborted(what: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError('INTERRUPTED', `Interrupted while ${what}.`, { actions: ['Run the command again to resume.'] });
}

/**
 * How the waits for AWS to settle poll: first after 2 s (a resource is often ready sooner than its typical
 * time), then backing off to one check every 5 s, which keeps the time lost after a resource is ready
 * under 5 s (a few percent of a load balancer's or an instance's minutes) at 12 calls a minute.
 */
export const SETTLE_POLL = { intervalMs: 2 * SECOND, maxIntervalMs: 5 * SECOND } as const;

/**
 * Polls `check` until it returns a value other than undefined. Elapsed time is counted in simulated ms as
 * the sum of the sleeps (API call time is small next to the poll interval), so scaled tests are
 * deterministic. On timeout: AwsError `AWS_TIMEOUT` naming `what`.
 */
export async function waitUntil<T>(what: string, check: () => Promise<T | undefined>, options: WaitOptions): Promise<T> {
  const every = options.progressEveryMs ?? 30 * SECOND;
  let elapsed = 0;
  let lastProgress = 0;
  let interval = options.intervalMs;
  for (;;) {
    throwIfAborted(what, options.signal);
    const value = await check();
    if (value !== undefined) return value;
    if (elapsed >= options.timeoutMs) {
      throw new AwsError('AWS_TIMEOUT', `Timed out after ${formatDuration(elapsed)} ${what}.`, {
        actions: options.actions ?? ['Check the resource in the AWS console, then run the command again to resume.'],
      });
    }
    const step = Math.min(interval, options.timeoutMs - elapsed);
    await clock.sleep(step, options.signal);
    elapsed += step;
    if (options.maxIntervalMs) interval = Math.min(options.maxIntervalMs, Math.round(interval * 1.5));
    if (options.progress && elapsed - lastProgress >= every) {
      lastProgress = elapsed;
      options.progress(formatDuration(elapsed));
    }
  }
}

export interface RetryOptions {
  /** Simulated ms during which a matching error is retried. */
  windowMs: number;
  intervalMs: number;
  signal?: AbortSignal;
  /** Called once, on the first retry. */
  onRetry?: (error: unknown) => void;
}

/**
 * Runs `fn`, retrying while it throws an error matching `predicate` and the window is not used up; then
 * the last error propagates. The named retry windows of the handlers (eventual consistency, dependency
 * violations) go through here.
 */
export async function retryWhile<T>(predicate: (error: unknown) => boolean, fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  let elapsed = 0;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      if (!predicate(error) || elapsed >= options.windowMs || options.signal?.aborted) throw error;
      if (elapsed === 0) options.onRetry?.(error);
      const step = Math.min(options.intervalMs, options.windowMs - elapsed);
      await clock.sleep(step, options.signal);
      elapsed += step;
    }
  }
}

/**
 * A read that only refines what is shown (e.g. the latest instance refresh): when the endpoint does not
 * implement it (an emulator, a proxy page), the run goes on with `fallback` and a warning naming the call.
 * A read needed for correctness does not go through here and fails with the plain wire message.
 */
export async function optionalRead<T>(ctx: Pick<ResourceContext, 'log' | 'warn'>, call: string, consequence: string, fn: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof WireError) || !error.notImplemented) throw error;
    (ctx.warn ?? ctx.log)(`${call} is not available at this endpoint (HTTP ${error.status ?? '?'}): ${consequence}.`);
    return fallback;
  }
}

/**
 * Runs one handler operation; an error that is not already a WallarmOobError becomes an AwsError carrying
 * the AWS code and message and naming the resource, with the SDK error as `cause`.
 */
export async function guard<T>(ctx: ResourceContext, what: string, fn: () => Promise<T>, actions?: string[]): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof WallarmOobError) throw error;
    throw awsError(ctx, what, error, actions);
  }
}

export function awsError(ctx: ResourceContext, what: string, error: unknown, actions?: string[]): AwsError {
  const code = errorCode(error);
  return new AwsError(code ? `AWS_${code}` : 'AWS_ERROR', `${ctx.logicalId}: ${what} failed: ${awsMessage(error)}`, {
    cause: error,
    actions: actions ?? defaultActions(code),
  });
}

function defaultActions(code: string | undefined): string[] {
  if (code && /AccessDenied|UnauthorizedOperation|NotAuthorized/.test(code)) {
    return ['Grant the missing permission to the credentials wallarm-oob runs with, then run the command again.'];
  }
  if (code && /LimitExceeded|QuotaExceeded|TooMany/.test(code)) {
    return ['Free capacity or request a quota increase (Service Quotas console), then run the command again.'];
  }
  return ['Fix the cause above, then run the command again: completed steps are kept and the rest resumes.'];
}

// ---- tags ----

export type TagMap = Readonly<Record<string, string>>;

/** Sorted for deterministic requests. */
function entries(tags: TagMap): [string, string][] {
  return Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function ec2Tags(tags: TagMap): { Key: string; Value: string }[] {
  return entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function ec2TagSpec<R extends string>(resourceType: R, tags: TagMap): { ResourceType: R; Tags: { Key: string; Value: string }[] } {
  return { ResourceType: resourceType, Tags: ec2Tags(tags) };
}

/** ELBv2 and IAM share the `{Key, Value}` shape. */
export const elbTags = ec2Tags;
export const iamTags = ec2Tags;

export function asgTags(
  groupName: string,
  tags: TagMap,
): { ResourceId: string; ResourceType: 'auto-scaling-group'; Key: string; Value: string; PropagateAtLaunch: boolean }[] {
  return entries(tags).map(([Key, Value]) => ({ ResourceId: groupName, ResourceType: 'auto-scaling-group', Key, Value, PropagateAtLaunch: true }));
}

/** Tag list (any AWS shape) -> record. */
export function tagRecord(tags: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

/**
 * The listed item if its tags say it belongs to `deployment`, else undefined. Server-side tag filters are an
 * optimisation only: an endpoint that ignores them (an emulator, a proxy) must not make the tool act on
 * another deployment's resources, so every list() passes its results through here.
 */
export function ownedItem(deployment: string, physicalId: string, tags: readonly { Key?: string; Value?: string }[] | Record<string, string> | undefined): Tagged | undefined {
  const record = Array.isArray(tags) ? tagRecord(tags) : ((tags ?? {}) as Record<string, string>);
  return record[TAG_DEPLOYMENT] === deployment ? { physicalId, logicalId: record[TAG_LOGICAL_ID], tags: record } : undefined;
}

export function logicalIdOf(tags: readonly { Key?: string; Value?: string }[] | undefined): string | undefined {
  return tagRecord(tags)[TAG_LOGICAL_ID];
}

// ---- values ----

/** One canonical text per value (object keys sorted at every level): the one implementation, in util/hash. */
export { stableJson };

/** A JSON document in canonical form (whitespace and key order never show as drift); unparsable text is returned trimmed. */
export function canonicalJson(text: string): string {
  try {
    return stableJson(JSON.parse(text));
  } catch {
    return text.trim();
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A set in canonical order (sorted by canonical JSON, duplicates dropped). Works on unresolved values
 * (refs, unknowns) too, so `normalize()` can run on plan-time props.
 */
export function canonicalSet<T>(values: readonly T[] | undefined): T[] {
  const byKey = new Map<string, T>();
  for (const v of values ?? []) byKey.set(stableJson(v), v);
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** canonicalJson for a string; anything else (an unresolved value) unchanged. */
export function canonicalDocument<T>(value: T): T {
  return (typeof value === 'string' ? canonicalJson(value) : value) as T;
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((v) => sb.has(v));
}

/** EC2 accepts up to 200 values per filter (src/aws/limits.ts). */
export { EC2_FILTER_VALUES_MAX as FILTER_VALUES_MAX } from '../aws/limits.js';

export { chunks };

/**
 * Describes resources by id for a handler's readMany(): one call per batch of `size` ids (`describe` answers a
 * batch with what it found). AWS fails a whole id-list call when one id no longer exists (…NotFound), so such a
 * batch is asked again one id at a time: a resource deleted outside the tool maps to undefined and never
 * hides the others. The fallback costs calls only when something was deleted.
 */
export async function describeByIds<T>(
  ids: readonly string[],
  size: number,
  describe: (batch: string[]) => Promise<Map<string, T>>,
  gone: (error: unknown) => boolean = isNotFound,
): Promise<Map<string, T | undefined>> {
  const out = new Map<string, T | undefined>();
  const orNone = async (batch: string[]): Promise<Map<string, T>> => {
    try {
      return await describe(batch);
    } catch (error) {
      if (!gone(error)) throw error;
      if (batch.length === 1) return new Map();
      const singles = await Promise.all(batch.map((id) => orNone([id])));
      return new Map(singles.flatMap((m) => [...m]));
    }
  };
  await Promise.all(
    chunks([...new Set(ids)], size).map(async (batch) => {
      const found = await orNone(batch);
      for (const id of batch) out.set(id, found.get(id));
    }),
  );
  return out;
}

/** The longest prefix all names share. */
export function commonPrefix(names: readonly string[]): string {
  let prefix = names[0] ?? '';
  for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/**
 * Finds resources by name for a readMany() whose API lists by name prefix (EventBridge rules, log groups): one
 * listing by the names' common prefix (`list`, paginated by the caller), then `lookUp` for each name the listing did
 * not show when `confirmMissing` (a listing may lag behind a create that a look-up by name already sees), or for every
 * name when they share no prefix. Names not found are absent from the answer.
 */
export async function findByNames<T>(
  names: readonly string[],
  list: (prefix: string) => Promise<Map<string, T>>,
  lookUp: (name: string) => Promise<T | undefined>,
  options: { confirmMissing: boolean },
): Promise<Map<string, T>> {
  const wanted = [...new Set(names)];
  const prefix = commonPrefix(wanted);
  const found = new Map<string, T>();
  if (prefix) for (const [name, item] of await list(prefix)) if (wanted.includes(name)) found.set(name, item);
  const missing = wanted.filter((name) => !found.has(name) && (!prefix || options.confirmMissing));
  await Promise.all(
    missing.map(async (name) => {
      const item = await lookUp(name);
      if (item !== undefined) found.set(name, item);
    }),
  );
  return found;
}

/** Live tags as compared with the desired `tags` prop: AWS-reserved `aws:*` keys (which no API call may touch) left out. */
export function comparableTags(tags: TagMap): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([k]) => !k.toLowerCase().startsWith('aws:')));
}

/**
 * What brings `live` tags to exactly `desired` (Terraform-like: keys not desired are removed; `aws:*` keys
 * are never touched). `set` holds the new and changed tags, `remove` the keys to delete.
 */
export function tagChanges(live: TagMap | undefined, desired: TagMap): { set: Record<string, string>; remove: string[] } {
  const current = comparableTags(live ?? {});
  const set = Object.fromEntries(Object.entries(desired).filter(([k, v]) => current[k] !== v));
  const remove = Object.keys(current)
    .filter((k) => !(k in desired))
    .sort();
  return { set, remove };
}

/**
 * Sends an idempotent EC2 create and makes sure the id it answers exists. EC2 replays the first answer for a
 * reused client token even when that resource has since been deleted (outside the tool): a dead id means
 * "create again", with a token derived from the dead id (so a retry after a crash reuses it). `exists` is
 * asked a few times before an id is called dead: a fresh resource can be invisible to reads for a moment.
 */
export async function createIdempotently<T>(
  token: string,
  send: (token: string) => Promise<T>,
  idOf: (out: T) => string | undefined,
  exists: (id: string) => Promise<boolean>,
  signal?: AbortSignal,
): Promise<T> {
  const isGone = async (id: string) => {
    for (let look = 0; look < 5; look++) {
      if (await exists(id)) return false;
      await clock.sleep(2 * SECOND, signal);
    }
    return true;
  };
  let out = await send(token);
  for (let attempt = 0; attempt < 3; attempt++) {
    const id = idOf(out);
    if (!id || !(await isGone(id))) return out;
    out = await send(`${token.slice(0, 55)}-${sha256(id).slice(0, 8)}`);
  }
  return out;
}
