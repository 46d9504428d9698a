import type { StateSession } from '../state/store.js';
import type { OrphanState } from '../state/document.js';
import { PlanError } from '../errors.js';
import { changedProps } from './compare.js';
import { dependenciesOf, topologicalOrder } from './graph.js';
import { propHashes } from './diff.js';
import type { Live, ResourceContext, ResourceHandler } from './handler.js';
import type { DeleteAction, PlannedAction } from './plan.js';
import type { Graph, Props, ResourceKind, ResourceNode } from './types.js';
import { containsUnknown, lookupIn, resolveValue } from './values.js';
import { verifyOwnership, type FoundThrough } from './ownership.js';
import { clearPending, markPending } from '../state/pending.js';
import { debugLog } from '../util/debug-log.js';

export type StepEvent =
  | { type: 'start'; action: PlannedAction }
  | { type: 'log'; action: PlannedAction; message: string }
  | { type: 'done'; action: PlannedAction; elapsedMs: number; physicalId?: string }
  | { type: 'failed'; action: PlannedAction; elapsedMs: number; error: unknown }
  | { type: 'skipped'; action: PlannedAction; reason: string };

export interface ExecutorOptions {
  parallelism: number;
  loadHandler: (kind: ResourceKind) => Promise<ResourceHandler<Props>>;
  context: (logicalId: string, log: (message: string) => void) => ResourceContext;
  onEvent: (event: StepEvent) => void;
  /** First Ctrl-C: no new step starts; running steps finish and are saved. */
  signal?: AbortSignal;
}

export interface StepFailure {
  action: PlannedAction;
  error: unknown;
}

export interface ExecutionResult {
  failures: StepFailure[];
  /** Steps never started (a dependency failed, or the run was interrupted). */
  skipped: PlannedAction[];
  interrupted: boolean;
}

/**
 * Runs a plan: creates/updates/replacements in dependency order, independent steps in parallel (at most
 * `parallelism` at once), then deletions in reverse dependency order. State is committed after every
 * completed step, so an interrupted run resumes where it stopped.
 */
export async function execute(plan: { actions: PlannedAction[]; graph: Graph }, session: StateSession, options: ExecutorOptions): Promise<ExecutionResult> {
  const result: ExecutionResult = { failures: [], skipped: [], interrupted: false };
  const nodes = new Map(topologicalOrder(plan.graph).map((n) => [n.id, n]));
  // Unchanged resources are already in state with their outputs: nothing to call, nothing to save.
  const forward = plan.actions.filter((a) => a.action !== 'delete' && a.action !== 'noop' && nodes.has(a.id));
  const deletes = plan.actions.filter((a): a is DeleteAction => a.action === 'delete');

  await runScheduled(
    forward,
    (a) => dependenciesOf(nodes.get(a.id)!),
    (a) => recordingPending(a, session, options, () => applyNode(a, nodes.get(a.id)!, session, options)),
    options,
    result,
  );
  if (result.failures.length > 0 || result.interrupted) {
    result.skipped.push(...deletes);
    return result;
  }
  // Replacements made just now left their old copies behind: delete them with the rest.
  const planned = new Set(deletes.filter((a) => a.orphan).map((a) => a.physicalId));
  for (const orphan of session.doc.orphans.filter((o) => !planned.has(o.id))) {
    deletes.push({ id: orphan.logicalId, kind: orphan.kind, action: 'delete', physicalId: orphan.id, orphan: true, reasons: ['replaced by a new resource'], changes: [] });
  }
  // A resource is deleted only once everything that referenced it is gone.
  const depsOf = new Map(deletes.map((a) => [a, depsOfDeleted(a, session)]));
  const waitsForDelete = (b: DeleteAction) => deletes.filter((a) => a !== b && depsOf.get(a)!.includes(b.id)).map(keyOf);
  await runScheduled<DeleteAction>(
    deletes,
    waitsForDelete,
    (a) => deleteNode(a, session, options),
    options,
    result,
    keyOf,
  );
  // A complete run leaves nothing pending (an entry whose resource needed no change this time included).
  if (result.failures.length === 0 && !result.interrupted && session.doc.pending) await session.commit((doc) => void delete doc.pending);
  return result;
}

/** A step's result: the physical id, and what it still waits for after its dependents may start (Live.ready). */
interface StepOutcome {
  physicalId?: string;
  ready?: () => Promise<void>;
}

const keyOf = (a: PlannedAction) => (a.leftover ? `leftover:${a.physicalId}` : a.orphan ? `orphan:${a.physicalId}` : a.id);

function depsOfDeleted(action: DeleteAction, session: StateSession): string[] {
  if (action.leftover) return action.dependsOn ?? [];
  if (action.orphan) return session.doc.orphans.find((o) => o.id === action.physicalId)?.deps ?? [];
  return session.doc.resources[action.id]?.deps ?? [];
}

/**
 * Ready-pool scheduling: a step starts once every step it waits for has finished (or, for a step whose
 * resource still settles, once that resource exists), at most `parallelism` at once.
 */
async function runScheduled<A extends PlannedAction>(
  actions: A[],
  waitsFor: (a: A) => string[],
  run: (a: A) => Promise<StepOutcome>,
  options: ExecutorOptions,
  result: ExecutionResult,
  key: (a: A) => string = (a) => a.id,
): Promise<void> {
  const inPlan = new Set(actions.map(key));
  const finished = new Set<string>();
  const failed = new Set<string>();
  const pending = [...actions];
  const running = new Set<Promise<void>>();

  const blockedBy = (a: A) => waitsFor(a).filter((d) => inPlan.has(d));
  const toldBlocked = new Set<string>();
  const schedule = () => {
    for (let i = 0; i < pending.length && running.size < options.parallelism; ) {
      const action = pending[i]!;
      const deps = blockedBy(action);
      const failedDep = deps.find((d) => failed.has(d));
      if (failedDep) {
        pending.splice(i, 1);
        failed.add(key(action));
        result.skipped.push(action);
        debugLog('executor', { step: key(action), action: action.action, decision: 'skipped', because: `${failedDep} failed` });
        options.onEvent({ type: 'skipped', action, reason: `${failedDep} failed` });
        continue;
      }
      if (options.signal?.aborted) {
        if (!result.interrupted) debugLog('executor', { decision: 'interrupted', notStarted: pending.length, running: running.size });
        result.interrupted = true;
        return;
      }
      if (!deps.every((d) => finished.has(d))) {
        if (!toldBlocked.has(key(action))) {
          toldBlocked.add(key(action));
          debugLog('executor', { step: key(action), action: action.action, decision: 'blocked', waitsFor: deps.filter((d) => !finished.has(d)).join(',') });
        }
        i += 1;
        continue;
      }
      pending.splice(i, 1);
      debugLog('executor', { step: key(action), action: action.action, decision: 'ready', running: running.size + 1 });
      const started = Date.now();
      options.onEvent({ type: 'start', action });
      const fail = (error: unknown) => {
        failed.add(key(action));
        result.interrupted ||= options.signal?.aborted ?? false;
        result.failures.push({ action, error });
        options.onEvent({ type: 'failed', action, elapsedMs: Date.now() - started, error });
      };
      const track = (promise: Promise<void>) => {
        const tracked: Promise<void> = promise.finally(() => running.delete(tracked));
        running.add(tracked);
      };
      track(
        run(action).then(({ physicalId, ready }) => {
          finished.add(key(action));
          if (!ready) return options.onEvent({ type: 'done', action, elapsedMs: Date.now() - started, physicalId });
          // Dependents start now; the step itself ends when the resource has settled.
          debugLog('executor', { step: key(action), decision: 'dependents-released', settling: true });
          track(ready().then(() => options.onEvent({ type: 'done', action, elapsedMs: Date.now() - started, physicalId }), fail));
        }, fail),
      );
    }
  };

  schedule();
  while (running.size > 0) {
    await Promise.race(running);
    schedule();
  }
  if (pending.length === 0) return;
  result.interrupted ||= options.signal?.aborted ?? false;
  if (!result.interrupted) {
    // Nothing runs, nothing failed, yet steps wait: they wait for each other (or for a step that never runs).
    // Saying "complete" here would be a lie.
    const waits = pending.slice(0, 5).map((a) => `${key(a)} waits for ${blockedBy(a).filter((d) => !finished.has(d)).join(', ') || 'nothing'}`);
    throw new PlanError('EXECUTION_STALLED', `${pending.length} step(s) can never start: ${waits.join('; ')}${pending.length > 5 ? '; …' : ''}.`, {
      actions: ['This is a bug in wallarm-oob (a dependency cycle the plan did not catch): report it with the output of `wallarm-oob plan --json`. State was saved after every completed step.'],
    });
  }
  result.skipped.push(...pending);
}

async function applyNode(action: PlannedAction, node: ResourceNode, session: StateSession, options: ExecutorOptions): Promise<StepOutcome> {
  const handler = await options.loadHandler(node.kind);
  const ctx = options.context(node.id, (message) => options.onEvent({ type: 'log', action, message }));
  const resolved = resolveValue(node.props, lookupIn((id) => session.doc.resources[id]?.outputs)) as Props;
  const desired = handler.normalize ? handler.normalize(resolved) : resolved;
  if (containsUnknown(desired)) throw new Error(`internal: ${node.id} still has unresolved references when applied`);
  const deps = dependenciesOf(node);
  const record = (live: Live<Props>) =>
    session.commit((doc) => {
      doc.resources[node.id] = { kind: node.kind, id: live.physicalId, hashes: propHashes(desired), outputs: live.outputs, deps };
      clearPending(doc, node.id);
    });

  const existing = session.doc.resources[node.id];
  if (action.action === 'replace' && existing) {
    // The old resource is kept until its dependents point at the new one, then deleted with the orphans.
    const orphan: OrphanState = { logicalId: node.id, kind: node.kind, id: existing.id, deps: existing.deps };
    await session.commit((doc) => {
      doc.orphans.push(orphan);
      delete doc.resources[node.id];
    });
  }

  if (action.action === 'replace' && existing) {
    // Checked before the replacement is created: the old copy will be deleted once dependents moved.
    const old = await handler.read(ctx, existing.id);
    if (old) await checkOwned(handler, ctx, node.id, old, 'replace', 'state');
  }
  let live = existing && action.action !== 'replace' ? await handler.read(ctx, existing.id) : undefined;
  if (live) await checkOwned(handler, ctx, node.id, live, 'update', 'state');
  if (!live) live = await adopt(handler, ctx, session, node.id);
  if (!live) {
    const created = await handler.create(ctx, desired);
    await record(created);
    return { physicalId: created.physicalId, ready: created.ready };
  }
  if (!needsUpdate(handler, live.props, desired)) {
    await record(live);
    return { physicalId: live.physicalId };
  }
  const updated = await handler.update(ctx, live, desired);
  await record(updated);
  return { physicalId: updated.physicalId, ready: updated.ready };
}

/**
 * A create that succeeded in AWS just before a crash left a tagged resource that state does not know:
 * find it by its logical-id tag and take it over instead of creating a duplicate.
 */
async function adopt(handler: ResourceHandler<Props>, ctx: ResourceContext, session: StateSession, logicalId: string): Promise<Live<Props> | undefined> {
  const leftovers = new Set(session.doc.orphans.map((o) => o.id));
  const candidates = (await handler.list(ctx)).filter((t) => t.logicalId === logicalId && !leftovers.has(t.physicalId));
  for (const candidate of candidates) {
    const live = await handler.read(ctx, candidate.physicalId);
    if (live) {
      await checkOwned(handler, ctx, logicalId, live, 'update', 'adoption');
      ctx.log(`adopting ${live.physicalId}, created by an earlier interrupted run`);
      return live;
    }
  }
  return undefined;
}

function needsUpdate(handler: ResourceHandler<Props>, live: Props, desired: Props): boolean {
  return changedProps(desired, live, handler.ignoreLiveChanges).length > 0;
}

async function deleteNode(action: DeleteAction, session: StateSession, options: ExecutorOptions): Promise<StepOutcome> {
  const handler = await options.loadHandler(action.kind);
  const ctx = options.context(action.id, (message) => options.onEvent({ type: 'log', action, message }));
  // Read first: what is deleted must still be this deployment's (tags checked on the client), and a
  // resource already gone needs no call.
  const live = await handler.read(ctx, action.physicalId);
  if (live) {
    const through: FoundThrough = action.leftover ? 'the leftover search' : action.orphan ? 'an orphan entry of state' : 'state';
    await checkOwned(handler, ctx, action.id, live, 'delete', through, !action.leftover);
    await handler.delete(ctx, action.physicalId);
  }
  if (action.leftover) return { physicalId: action.physicalId };
  await session.commit((doc) => {
    clearPending(doc, action.id);
    if (action.orphan) doc.orphans = doc.orphans.filter((o) => o.id !== action.physicalId);
    else delete doc.resources[action.id];
  });
  return { physicalId: action.physicalId };
}

/**
 * A step that fails (not one cut short by Ctrl-C), while it runs or while its resource settles, is recorded in
 * state as pending with its reason: plan shows it, apply retries it.
 */
async function recordingPending(action: PlannedAction, session: StateSession, options: ExecutorOptions, run: () => Promise<StepOutcome>): Promise<StepOutcome> {
  const recorded = async (error: unknown): Promise<never> => {
    if (!options.signal?.aborted && action.action !== 'noop') {
      await session.commit((doc) => markPending(doc, action.id, action.action as 'create' | 'update' | 'replace' | 'delete', error)).catch(() => undefined);
    }
    throw error;
  };
  const outcome = await run().catch(recorded);
  const { ready } = outcome;
  return ready ? { ...outcome, ready: () => ready().catch(recorded) } : outcome;
}

async function checkOwned(
  handler: ResourceHandler<Props>,
  ctx: ResourceContext,
  logicalId: string,
  live: Live<Props>,
  action: 'update' | 'replace' | 'delete',
  through: FoundThrough,
  checkLogicalId = true,
): Promise<void> {
  const tags = handler.ownerTags ? await handler.ownerTags(ctx, live) : (live.props.tags as Record<string, string> | undefined);
  verifyOwnership(ctx.deployment, { kind: handler.kind, logicalId, physicalId: live.physicalId, tags, checkLogicalId: checkLogicalId && !handler.ownerTags }, action, through);
}
