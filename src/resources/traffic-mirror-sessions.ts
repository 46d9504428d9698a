import {
  CreateTagsCommand,
  CreateTrafficMirrorSessionCommand,
  DeleteTagsCommand,
  DeleteTrafficMirrorSessionCommand,
  ModifyTrafficMirrorSessionCommand,
  paginateDescribeTrafficMirrorSessions,
  type EC2Client,
  type Filter,
  type ModifyTrafficMirrorSessionCommandInput,
  type TrafficMirrorSession,
} from '@aws-sdk/client-ec2';

import { EC2_FILTER_VALUES_MAX, MIRROR_SESSIONS_PER_ACCOUNT, MIRROR_SESSIONS_PER_ENI } from '../aws/limits.js';
import { awsMessage, errorCode, hasCode } from '../aws/errors.js';
import { ec2MutatingBucket } from '../aws/rate-limit.js';
import { AwsError } from '../errors.js';
import { describeTarget } from './traffic-mirror-target.js';
import { pacedEach, progressLog } from './traffic-mirror-util.js';
import type { Live, ResourceContext, ResourceHandler, Tagged, TrafficMirrorSessionsProps } from './types.js';
import { TAG_DEPLOYMENT } from './types.js';
import { canonicalSet, chunks, comparableTags, ec2Tags, ec2TagSpec, guard, MINUTE, retryWhile, SECOND, sha256, stableJson, tagChanges, tagRecord, ownedItem } from './util.js';

const PREFIX = 'sessions:';
const PAGE_SIZE = 1000;
const MAX_SESSION_NUMBER = 32766;
/** Sessions tagged per CreateTags / DeleteTags call. */
const TAG_BATCH = 200;

interface Session {
  id: string;
  eni: string;
  targetId: string;
  filterId: string;
  number: number;
  vni: number;
  description: string;
  tags: Record<string, string>;
}

interface Failure {
  eni: string;
  error: unknown;
}

function fromAws(s: TrafficMirrorSession): Session {
  return {
    id: s.TrafficMirrorSessionId ?? '',
    eni: s.NetworkInterfaceId ?? '',
    targetId: s.TrafficMirrorTargetId ?? '',
    filterId: s.TrafficMirrorFilterId ?? '',
    number: s.SessionNumber ?? 0,
    vni: s.VirtualNetworkId ?? -1,
    description: s.Description ?? '',
    tags: comparableTags(tagRecord(s.Tags)),
  };
}

async function describeSessions(ec2: EC2Client, filters: Filter[] | undefined): Promise<Session[]> {
  const out: Session[] = [];
  for await (const page of paginateDescribeTrafficMirrorSessions({ client: ec2, pageSize: PAGE_SIZE }, { ...(filters && { Filters: filters }) })) {
    for (const s of page.TrafficMirrorSessions ?? []) out.push(fromAws(s));
  }
  return out;
}

const ofTarget = (ec2: EC2Client, targetId: string) => describeSessions(ec2, [{ Name: 'traffic-mirror-target-id', Values: [targetId] }]);

function common<T>(values: readonly T[], mixed: T): T {
  return values.length > 0 && values.every((v) => v === values[0]) ? values[0]! : mixed;
}

/** The most frequent value (smallest on a tie); `none` for an empty list. */
function mostCommon(values: readonly number[], none: number): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = none;
  let bestCount = 0;
  for (const [v, n] of counts) if (n > bestCount || (n === bestCount && v < best)) [best, bestCount] = [v, n];
  return best;
}

function toLive(targetId: string, sessions: readonly Session[]): Live<TrafficMirrorSessionsProps> {
  return {
    physicalId: PREFIX + targetId,
    props: {
      targetId,
      filterId: common(sessions.map((s) => s.filterId), ''),
      vni: common(sessions.map((s) => s.vni), -1),
      sessionNumber: mostCommon(sessions.map((s) => s.number), -1),
      networkInterfaceIds: [...new Set(sessions.map((s) => s.eni))].sort(),
      description: common(sessions.map((s) => s.description), ''),
      tags: commonTags(sessions),
    },
    outputs: { count: sessions.length },
  };
}

/**
 * The set's tags: those every session carries with the same value. A session that lost a tag (or has
 * another value) makes the set differ from the desired tags, and update() re-tags the sessions that differ.
 */
function commonTags(sessions: readonly Session[]): Record<string, string> {
  const [first, ...rest] = sessions;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first.tags).filter(([k, v]) => rest.every((s) => s.tags[k] === v)));
}

/** Brings every session's tags to exactly `desired`: sessions needing the same change share CreateTags/DeleteTags calls, paced like the creates. */
async function syncSessionTags(ctx: ResourceContext, ec2: EC2Client, sessions: readonly Session[], desired: Record<string, string>): Promise<void> {
  const groups = new Map<string, { set: Record<string, string>; remove: string[]; ids: string[] }>();
  for (const s of sessions) {
    const change = tagChanges(s.tags, desired);
    if (Object.keys(change.set).length === 0 && change.remove.length === 0) continue;
    const key = stableJson(change);
    const group = groups.get(key) ?? { ...change, ids: [] };
    groups.set(key, group);
    group.ids.push(s.id);
  }
  const calls = [...groups.values()].flatMap((g) =>
    chunks(g.ids, TAG_BATCH).flatMap((ids) => [
      ...(Object.keys(g.set).length > 0 ? [new CreateTagsCommand({ Resources: ids, Tags: ec2Tags(g.set) })] : []),
      ...(g.remove.length > 0 ? [new DeleteTagsCommand({ Resources: ids, Tags: g.remove.map((Key) => ({ Key })) })] : []),
    ]),
  );
  if (calls.length === 0) return;
  ctx.log(`updating tags of ${[...groups.values()].reduce((n, g) => n + g.ids.length, 0)} sessions`);
  await pacedEach(ctx, calls, ec2MutatingBucket(ctx.aws, 'CreateTags'), async (call) => {
    await ec2.send(call as CreateTagsCommand);
  });
  for (const s of sessions) s.tags = { ...desired };
}

export function normalize(props: TrafficMirrorSessionsProps): TrafficMirrorSessionsProps {
  const ids = props.networkInterfaceIds;
  if (!Array.isArray(ids)) return props;
  // An empty set has no filter, VNI or number to read back: compare it as toLive() reports it, or a
  // deployment with no eligible source would show a change on every plan.
  if (ids.length === 0) return { ...props, ...EMPTY_SET, networkInterfaceIds: [], ...(props.tags && { tags: {} }) };
  return { ...props, networkInterfaceIds: ids.every((id) => typeof id === 'string') ? [...new Set(ids)].sort() : canonicalSet(ids) };
}

const EMPTY_SET = { filterId: '', vni: -1, sessionNumber: -1, description: '' } as const;

/**
 * Numbers of the sessions of other targets on each ENI. Filtered lookups cost one listing per 200 ENIs;
 * listing every session of the account costs at most MIRROR_SESSIONS_PER_ACCOUNT / PAGE_SIZE = 10 pages, so beyond
 * 2,000 ENIs one full listing is cheaper.
 */
async function foreignNumbers(ec2: EC2Client, targetId: string, enis: readonly string[]): Promise<Map<string, number[]>> {
  const byEni = new Map(enis.map((e) => [e, [] as number[]]));
  if (enis.length === 0) return byEni;
  const listAll = enis.length > EC2_FILTER_VALUES_MAX * (MIRROR_SESSIONS_PER_ACCOUNT / PAGE_SIZE);
  const sessions = listAll
    ? await describeSessions(ec2, undefined)
    : (await Promise.all(chunks(enis, EC2_FILTER_VALUES_MAX).map((c) => describeSessions(ec2, [{ Name: 'network-interface-id', Values: c }])))).flat();
  for (const s of sessions) if (s.targetId !== targetId) byEni.get(s.eni)?.push(s.number);
  return byEni;
}

function freeNumber(wanted: number, used: readonly number[]): number | undefined {
  for (let n = wanted; n <= MAX_SESSION_NUMBER; n++) if (!used.includes(n)) return n;
  for (let n = 1; n < wanted; n++) if (!used.includes(n)) return n;
  return undefined;
}

interface Changes {
  deletes: Session[];
  /** Kept sessions (one per wanted ENI that has any). */
  kept: Session[];
  creates: string[];
}

/** Per ENI: keep the session closest to desired, delete duplicates and sessions of ENIs no longer wanted. */
function planChanges(live: readonly Session[], desired: TrafficMirrorSessionsProps): Changes {
  const want = new Set(desired.networkInterfaceIds);
  const byEni = new Map<string, Session[]>();
  for (const s of live) byEni.set(s.eni, [...(byEni.get(s.eni) ?? []), s]);
  const score = (s: Session) => Number(s.filterId === desired.filterId) + Number(s.vni === desired.vni) + Number(s.number === desired.sessionNumber);
  const changes: Changes = { deletes: [], kept: [], creates: [] };
  for (const [eni, sessions] of byEni) {
    if (!want.has(eni)) {
      changes.deletes.push(...sessions);
      continue;
    }
    const [keep, ...extra] = [...sessions].sort((a, b) => score(b) - score(a) || a.id.localeCompare(b.id));
    changes.kept.push(keep!);
    changes.deletes.push(...extra);
  }
  changes.creates = desired.networkInterfaceIds.filter((eni) => !byEni.has(eni));
  return changes;
}

function modification(s: Session, desired: TrafficMirrorSessionsProps, foreign: readonly number[]): ModifyTrafficMirrorSessionCommandInput | undefined {
  const input: ModifyTrafficMirrorSessionCommandInput = { TrafficMirrorSessionId: s.id };
  if (s.filterId !== desired.filterId) input.TrafficMirrorFilterId = desired.filterId;
  if (s.vni !== desired.vni) input.VirtualNetworkId = desired.vni;
  if (s.number !== desired.sessionNumber && !foreign.includes(desired.sessionNumber)) input.SessionNumber = desired.sessionNumber;
  if (s.description !== desired.description) {
    if (desired.description) input.Description = desired.description;
    else input.RemoveFields = ['description'];
  }
  return Object.keys(input).length > 1 ? input : undefined;
}

/** A target or filter created just before may not be visible to CreateTrafficMirrorSession yet. */
const freshParent = (error: unknown) => hasCode(error, 'InvalidTrafficMirrorTargetId.NotFound', 'InvalidTrafficMirrorFilterId.NotFound');
const CONSISTENCY_WINDOW_MS = 2 * MINUTE;
const eniGone = (error: unknown) => hasCode(error, 'InvalidNetworkInterfaceID.NotFound');
const sessionGone = (error: unknown) => hasCode(error, 'InvalidTrafficMirrorSessionId.NotFound');

async function deleteSessions(ctx: ResourceContext, ec2: EC2Client, sessions: readonly Session[], failures: Failure[]): Promise<void> {
  await deleteSessionsTracked(ctx, ec2, sessions, failures, () => undefined);
}

/** Deletes sessions paced to their EC2 bucket; `onDeleted(eni)` after each (done or failed). */
async function deleteSessionsTracked(ctx: ResourceContext, ec2: EC2Client, sessions: readonly Session[], failures: Failure[], onDeleted: (eni: string) => void): Promise<void> {
  if (sessions.length === 0) return;
  await pacedEach(
    ctx,
    sessions,
    ec2MutatingBucket(ctx.aws, 'DeleteTrafficMirrorSession'),
    async (s) => {
      try {
        await ec2.send(new DeleteTrafficMirrorSessionCommand({ TrafficMirrorSessionId: s.id }));
      } catch (error) {
        if (!sessionGone(error)) failures.push({ eni: s.eni, error });
      } finally {
        onDeleted(s.eni);
      }
    },
    progressLog(ctx, 'deleted'),
  );
}

/** The account's session quota was hit (the per-ENI one is checked before creating: see `full`). */
const accountQuota = (error: unknown) => hasCode(error, 'TrafficMirrorSessionLimitExceeded');

/** Waits for every promise, then throws the first rejection (so no started call is left running unseen). */
async function allSettled(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Brings the sessions of desired.targetId to desired. Deletes, modifies and creates run at the same time,
 * each paced by its own EC2 token bucket: EC2 throttles each API action separately ("request rate
 * limiting: each API is evaluated individually", docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html).
 * They are ordered only where it matters: a change on an ENI waits for the deletes on that ENI (they free
 * its session numbers and its 3-session quota), and a create refused for the account's 10,000-session
 * quota is retried once every delete has finished.
 */
async function converge(ctx: ResourceContext, ec2: EC2Client, desired: TrafficMirrorSessionsProps): Promise<Live<TrafficMirrorSessionsProps>> {
  desired = normalize(desired);
  const { targetId } = desired;
  const changes = planChanges(await ofTarget(ec2, targetId), desired);
  const failures: Failure[] = [];
  const full: string[] = [];
  const gone: string[] = [];

  const renumbered = changes.kept.filter((s) => s.number !== desired.sessionNumber).map((s) => s.eni);
  const lookup = foreignNumbers(ec2, targetId, [...changes.creates, ...renumbered]);
  lookup.catch(() => undefined); // awaited below; deletes start meanwhile

  // Per ENI: resolves once the deletes on it are done.
  const deletesByEni = new Map<string, Session[]>();
  for (const s of changes.deletes) deletesByEni.set(s.eni, [...(deletesByEni.get(s.eni) ?? []), s]);
  const cleared = new Map<string, { promise: Promise<void>; left: number; resolve: () => void }>();
  for (const [eni, list] of deletesByEni) {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    cleared.set(eni, { promise, left: list.length, resolve });
  }
  const onDeleted = (eni: string) => {
    const c = cleared.get(eni);
    if (c && --c.left === 0) c.resolve();
  };
  const afterDeletesOn = async (eni: string) => cleared.get(eni)?.promise;
  const deletes = (async () => {
    try {
      await deleteSessionsTracked(ctx, ec2, changes.deletes, failures, onDeleted);
    } finally {
      for (const c of cleared.values()) c.resolve(); // a failed or interrupted delete must not hold changes forever
    }
  })();

  let foreign: Map<string, number[]>;
  try {
    foreign = await lookup;
  } catch (error) {
    await deletes.catch(() => undefined);
    throw error;
  }
  const modifies = changes.kept.flatMap((s) => modification(s, desired, foreign.get(s.eni) ?? []) ?? []);
  const eniOfSession = new Map(changes.kept.map((s) => [s.id, s.eni]));
  const modifying = pacedEach(
    ctx,
    modifies,
    ec2MutatingBucket(ctx.aws, 'ModifyTrafficMirrorSession'),
    async (input) => {
      const eni = eniOfSession.get(input.TrafficMirrorSessionId!)!;
      try {
        await ec2.send(new ModifyTrafficMirrorSessionCommand(input));
      } catch (error) {
        // The session vanished with its ENI: the ENI is gone.
        if (!sessionGone(error)) failures.push({ eni, error });
      }
    },
    progressLog(ctx, 'modified'),
    (input) => afterDeletesOn(eniOfSession.get(input.TrafficMirrorSessionId!)!),
  );

  const create = async (eni: string, salt = ''): Promise<void> => {
    const used = foreign.get(eni) ?? [];
    const number = used.length < MIRROR_SESSIONS_PER_ENI ? freeNumber(desired.sessionNumber, used) : undefined;
    if (number === undefined) {
      full.push(eni);
      return;
    }
    const params = { eni, targetId, filterId: desired.filterId, vni: desired.vni, number, description: desired.description };
    const input = {
      NetworkInterfaceId: eni,
      TrafficMirrorTargetId: targetId,
      TrafficMirrorFilterId: desired.filterId,
      SessionNumber: number,
      VirtualNetworkId: desired.vni,
      ...(desired.description && { Description: desired.description }),
      ClientToken: sha256(`${ctx.clientToken}|${JSON.stringify(params)}${salt}`).slice(0, 64),
      TagSpecifications: [ec2TagSpec('traffic-mirror-session', desired.tags ?? ctx.tags)],
    };
    const send = () =>
      retryWhile(freshParent, () => ec2.send(new CreateTrafficMirrorSessionCommand(input)), {
        windowMs: CONSISTENCY_WINDOW_MS,
        intervalMs: 2 * SECOND,
        signal: ctx.signal,
      });
    try {
      try {
        await send();
      } catch (error) {
        if (!accountQuota(error) || changes.deletes.length === 0) throw error;
        // The account is at its quota while our deletes are still freeing sessions: retry once they are done.
        await deletes.catch(() => undefined);
        await createBucket.take(ctx.signal);
        await send();
      }
    } catch (error) {
      if (eniGone(error)) gone.push(eni);
      else failures.push({ eni, error });
    }
  };
  const createBucket = ec2MutatingBucket(ctx.aws, 'CreateTrafficMirrorSession');
  const creating = pacedEach(ctx, changes.creates, createBucket, (eni) => create(eni), progressLog(ctx, 'created'), afterDeletesOn);
  await allSettled([deletes, modifying, creating]);

  let after = await ofTarget(ec2, targetId);
  // A client token used before (an ENI removed, then added back with the same settings) replays the old
  // answer without creating anything: create those once more with a fresh token.
  const present = new Set(after.map((s) => s.eni));
  const attempted = new Set([...full, ...gone, ...failures.map((f) => f.eni)]);
  const stale = changes.creates.filter((eni) => !present.has(eni) && !attempted.has(eni));
  if (stale.length > 0) {
    await pacedEach(ctx, stale, createBucket, (eni) => create(eni, `|${Date.now()}`));
    after = await ofTarget(ec2, targetId);
  }

  if (gone.length > 0) ctx.log(`skipped ${gone.length} network interface(s) that no longer exist: ${preview(gone)}`);
  if (full.length > 0 || failures.length > 0) throw failureError(ctx, full, failures);
  if (desired.tags) await syncSessionTags(ctx, ec2, after, desired.tags);
  return toLive(targetId, after);
}

function preview(ids: readonly string[], max = 5): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`;
}

function failureError(ctx: ResourceContext, full: readonly string[], failures: readonly Failure[]): AwsError {
  if (full.length > 0) {
    return new AwsError(
      'AWS_TRAFFIC_MIRROR_SESSION_LIMIT',
      `${ctx.logicalId}: ${full.length} network interface(s) already have ${MIRROR_SESSIONS_PER_ENI} traffic mirror sessions, the AWS maximum per source: ${preview(full)}` +
        (failures.length > 0 ? ` (and ${failures.length} other failure(s), first: ${awsMessage(failures[0]!.error)})` : ''),
      {
        actions: [
          `See what mirrors them: aws ec2 describe-traffic-mirror-sessions --filters Name=network-interface-id,Values=${full[0]}`,
          'Delete a session on each of them, or leave them out of the mirrored sources, then run the command again.',
        ],
      },
    );
  }
  const first = failures[0]!;
  const code = errorCode(first.error);
  return new AwsError(
    code ? `AWS_${code}` : 'AWS_ERROR',
    `${ctx.logicalId}: ${failures.length} traffic mirror session change(s) failed (${preview(failures.map((f) => f.eni))}); first: ${awsMessage(first.error)}`,
    {
      cause: first.error,
      actions: [
        code && /LimitExceeded/.test(code)
          ? 'Free traffic mirror sessions (AWS allows 10,000 per account and 3 per network interface), then run the command again.'
          : 'Fix the cause above, then run the command again: sessions already in place are kept.',
      ],
    },
  );
}

function targetIdOf(physicalId: string): string {
  return physicalId.startsWith(PREFIX) ? physicalId.slice(PREFIX.length) : physicalId;
}

async function create(ctx: ResourceContext, props: TrafficMirrorSessionsProps): Promise<Live<TrafficMirrorSessionsProps>> {
  return guard(ctx, `creating traffic mirror sessions to ${props.targetId}`, async () => converge(ctx, await ctx.aws.ec2(), props));
}

async function read(ctx: ResourceContext, physicalId: string): Promise<Live<TrafficMirrorSessionsProps> | undefined> {
  const targetId = targetIdOf(physicalId);
  return guard(ctx, `reading traffic mirror sessions of ${targetId}`, async () => {
    const ec2 = await ctx.aws.ec2();
    // The set exists as long as its target does, even with no session in it.
    const target = await describeTarget(ec2, targetId);
    if (!target) return undefined;
    const live = toLive(targetId, await ofTarget(ec2, targetId));
    // An empty set has no tags of its own: it belongs to whoever owns its target (ownership checks).
    const owner = tagRecord(target.Tags)[TAG_DEPLOYMENT];
    if (live.outputs.count === 0 && owner !== undefined) live.props.tags = { [TAG_DEPLOYMENT]: owner };
    return live;
  });
}

async function update(ctx: ResourceContext, live: Live<TrafficMirrorSessionsProps>, desired: TrafficMirrorSessionsProps): Promise<Live<TrafficMirrorSessionsProps>> {
  return guard(ctx, `updating traffic mirror sessions of ${desired.targetId}`, async () => {
    const ec2 = await ctx.aws.ec2();
    const from = targetIdOf(live.physicalId);
    if (from !== desired.targetId) await moveSessions(ctx, ec2, from, desired);
    return converge(ctx, ec2, desired);
  });
}

/**
 * A new target (another receiver): each session is re-pointed in place with ModifyTrafficMirrorSession, so every
 * source stays mirrored throughout, keeps its session number and never needs a second session slot (AWS allows 3
 * per interface). An interrupted move resumes: the sessions still on the old target are moved on the next run.
 */
async function moveSessions(ctx: ResourceContext, ec2: EC2Client, from: string, desired: TrafficMirrorSessionsProps): Promise<void> {
  const sessions = await ofTarget(ec2, from);
  if (sessions.length === 0) return;
  ctx.log(`moving ${sessions.length} sessions from ${from} to ${desired.targetId}`);
  const failures: Failure[] = [];
  await pacedEach(
    ctx,
    sessions,
    ec2MutatingBucket(ctx.aws, 'ModifyTrafficMirrorSession'),
    async (s) => {
      const input: ModifyTrafficMirrorSessionCommandInput = {
        TrafficMirrorSessionId: s.id,
        TrafficMirrorTargetId: desired.targetId,
        ...(s.filterId !== desired.filterId && { TrafficMirrorFilterId: desired.filterId }),
      };
      try {
        await retryWhile(freshParent, () => ec2.send(new ModifyTrafficMirrorSessionCommand(input)), { windowMs: CONSISTENCY_WINDOW_MS, intervalMs: 2 * SECOND, signal: ctx.signal });
      } catch (error) {
        if (!sessionGone(error)) failures.push({ eni: s.eni, error });
      }
    },
    progressLog(ctx, 'moved'),
  );
  if (failures.length > 0) throw failureError(ctx, [], failures);
}

async function destroy(ctx: ResourceContext, physicalId: string): Promise<void> {
  await guard(ctx, `deleting traffic mirror sessions ${physicalId}`, async () => {
    const ec2 = await ctx.aws.ec2();
    const failures: Failure[] = [];
    if (physicalId.startsWith('tms-')) {
      await deleteSessions(ctx, ec2, [{ id: physicalId, eni: '', targetId: '', filterId: '', number: 0, vni: 0, description: '', tags: {} }], failures);
    } else {
      // A second pass catches sessions created while the first one ran (an interrupted apply resuming).
      for (let pass = 0; pass < 2; pass++) {
        const sessions = await ofTarget(ec2, targetIdOf(physicalId));
        if (sessions.length === 0) break;
        await deleteSessions(ctx, ec2, sessions, failures);
        if (failures.length > 0) break;
      }
    }
    if (failures.length > 0) throw failureError(ctx, [], failures);
  });
}

async function list(ctx: ResourceContext): Promise<Tagged[]> {
  return guard(ctx, 'listing traffic mirror sessions', async () => {
    // DescribeTrafficMirrorSessions documents no tag filter: every session is listed and its tags checked here.
    const sets = new Map<string, Tagged>();
    for await (const page of paginateDescribeTrafficMirrorSessions({ client: await ctx.aws.ec2(), pageSize: PAGE_SIZE }, {})) {
      for (const s of page.TrafficMirrorSessions ?? []) {
        const owned = s.TrafficMirrorTargetId && !sets.has(s.TrafficMirrorTargetId) ? ownedItem(ctx.deployment, PREFIX + s.TrafficMirrorTargetId, s.Tags) : undefined;
        if (owned) sets.set(s.TrafficMirrorTargetId!, owned);
      }
    }
    return [...sets.values()];
  });
}

export const handler: ResourceHandler<TrafficMirrorSessionsProps> = {
  kind: 'traffic-mirror-session',
  // A new target is an update: the sessions are moved to it in place (see moveSessions).
  replaceOn: [],
  normalize,
  create,
  read,
  update,
  delete: destroy,
  list,
};
