import { describe, expect, it } from 'vitest';
import { diff } from '../../src/engine/diff.js';
import { execute, type StepEvent } from '../../src/engine/executor.js';
import { ref, type Graph, type Props, type ResourceNode } from '../../src/engine/types.js';
import type { Live, ResourceContext, ResourceHandler, Tagged } from '../../src/resources/types.js';
import { emptyState, type StateDocument } from '../../src/state/document.js';
import { StateSession } from '../../src/state/store.js';

/** A tiny in-memory cloud: one handler for every kind, recording calls and concurrency. */
class MemoryCloud {
  resources = new Map<string, { logicalId: string; props: Props }>();
  calls: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  failCreateOf = new Set<string>();
  private next = 0;

  handler(): ResourceHandler<Props> {
    const track = async <T>(fn: () => T): Promise<T> => {
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      await new Promise((r) => setTimeout(r, 5));
      this.inFlight -= 1;
      return fn();
    };
    const live = (id: string): Live<Props> => ({ physicalId: id, props: this.resources.get(id)!.props, outputs: { id } });
    return {
      kind: 'security-group',
      replaceOn: ['fixed'],
      create: (ctx: ResourceContext, props: Props) =>
        track(() => {
          this.calls.push(`create ${ctx.logicalId}`);
          if (this.failCreateOf.has(ctx.logicalId)) throw new Error(`boom ${ctx.logicalId}`);
          const id = `phys-${this.next++}`;
          this.resources.set(id, { logicalId: ctx.logicalId, props });
          return live(id);
        }),
      read: async (_ctx, id) => (this.resources.has(id) ? live(id) : undefined),
      update: (ctx, current, desired) =>
        track(() => {
          this.calls.push(`update ${ctx.logicalId}`);
          this.resources.get(current.physicalId)!.props = desired;
          return live(current.physicalId);
        }),
      delete: (ctx, id) =>
        track(() => {
          this.calls.push(`delete ${ctx.logicalId}`);
          this.resources.delete(id);
        }),
      list: async (): Promise<Tagged[]> => [...this.resources].map(([physicalId, r]) => ({ physicalId, logicalId: r.logicalId, tags: {} })),
    };
  }
}

const node = (id: string, props: Props = {}): ResourceNode => ({ id, kind: 'security-group', props });

async function run(cloud: MemoryCloud, graph: Graph, state: StateDocument, opts: { parallelism?: number; signal?: AbortSignal; saves?: number[] } = {}) {
  const live = new Map<string, { props: Props } | undefined>();
  for (const [id, r] of Object.entries(state.resources)) live.set(id, cloud.resources.has(r.id) ? { props: cloud.resources.get(r.id)!.props } : undefined);
  const actions = diff({ graph, state, live, traits: () => ({ replaceOn: ['fixed'] }) });
  const session = new StateSession(state, { write: async (doc) => void opts.saves?.push(doc.serial) });
  const events: StepEvent[] = [];
  const handler = cloud.handler();
  const result = await execute({ actions, graph }, session, {
    parallelism: opts.parallelism ?? 10,
    signal: opts.signal,
    loadHandler: async () => handler,
    context: (logicalId, log) => ({ logicalId, log, tags: {}, deployment: 'shop', clientToken: 't', waitForCapacity: false, aws: undefined }),
    onEvent: (e) => events.push(e),
  });
  await session.flush();
  return { result, events, state: session.doc };
}

// a fan-out graph: root <- 6 leaves <- sink
const fanOut = (): Graph => ({
  nodes: [
    node('root'),
    ...Array.from({ length: 6 }, (_, i) => node(`leaf${i}`, { root: ref('root', 'id') })),
    node('sink', { leaves: Array.from({ length: 6 }, (_, i) => ref(`leaf${i}`, 'id')) }),
  ],
  outputs: {},
});

describe('execute', () => {
  it('creates in dependency order, independent steps in parallel within the limit, saving state after each step', async () => {
    const cloud = new MemoryCloud();
    const saves: number[] = [];
    const { result, state } = await run(cloud, fanOut(), emptyState('shop'), { parallelism: 3, saves });
    expect(result.failures).toEqual([]);
    expect(cloud.calls[0]).toBe('create root');
    expect(cloud.calls.at(-1)).toBe('create sink');
    expect(cloud.maxInFlight).toBe(3);
    expect(Object.keys(state.resources)).toHaveLength(8);
    expect(state.resources.sink!.deps).toHaveLength(6);
    expect(saves.length).toBeGreaterThanOrEqual(2);
    expect(state.serial).toBe(8);
    // the sink got the leaves' real ids
    const sinkProps = cloud.resources.get(state.resources.sink!.id)!.props;
    expect(sinkProps.leaves).toEqual(Array.from({ length: 6 }, (_, i) => state.resources[`leaf${i}`]!.id));
  });

  it('skips the dependents of a failed step but finishes independent ones, and a re-run converges', async () => {
    const cloud = new MemoryCloud();
    cloud.failCreateOf.add('leaf2');
    const first = await run(cloud, fanOut(), emptyState('shop'));
    expect(first.result.failures.map((f) => f.action.id)).toEqual(['leaf2']);
    expect(first.result.skipped.map((a) => a.id)).toEqual(['sink']);
    expect(Object.keys(first.state.resources)).toHaveLength(6);
    cloud.failCreateOf.clear();
    const second = await run(cloud, fanOut(), first.state);
    expect(second.result.failures).toEqual([]);
    expect(cloud.resources.size).toBe(8);
  });

  it('adopts a resource that exists, tagged, but is missing from state (crash after create) instead of duplicating it', async () => {
    const cloud = new MemoryCloud();
    cloud.resources.set('phys-left', { logicalId: 'root', props: {} });
    const { state, events } = await run(cloud, { nodes: [node('root')], outputs: {} }, emptyState('shop'));
    expect(state.resources.root!.id).toBe('phys-left');
    expect(cloud.resources.size).toBe(1);
    expect(events.some((e) => e.type === 'log' && /adopting phys-left/.test(e.message))).toBe(true);
  });

  it('deletes removed resources after their dependents, in reverse order', async () => {
    const cloud = new MemoryCloud();
    const { state } = await run(cloud, fanOut(), emptyState('shop'));
    cloud.calls = [];
    const after = await run(cloud, { nodes: [], outputs: {} }, state);
    expect(after.result.failures).toEqual([]);
    expect(cloud.calls[0]).toBe('delete sink');
    expect(cloud.calls.at(-1)).toBe('delete root');
    expect(cloud.resources.size).toBe(0);
    expect(after.state.resources).toEqual({});
  });

  it('replaces create-before-destroy: new resource first, dependents updated, old one deleted last', async () => {
    const cloud = new MemoryCloud();
    const g = (fixed: string): Graph => ({ nodes: [node('a', { fixed }), node('b', { a: ref('a', 'id') })], outputs: {} });
    const { state } = await run(cloud, g('1'), emptyState('shop'));
    const oldId = state.resources.a!.id;
    cloud.calls = [];
    const second = await run(cloud, g('2'), state);
    expect(cloud.calls).toEqual(['create a', 'update b', 'delete a']);
    expect(cloud.resources.has(oldId)).toBe(false);
    expect(second.state.orphans).toEqual([]);
  });

  it('stops scheduling once interrupted, keeping what finished in state', async () => {
    const cloud = new MemoryCloud();
    const controller = new AbortController();
    const chain: Graph = { nodes: [node('a'), node('b', { a: ref('a', 'id') }), node('c', { b: ref('b', 'id') })], outputs: {} };
    const origin = cloud.handler();
    const handler = { ...origin, create: async (ctx: ResourceContext, props: Props) => { const r = await origin.create(ctx, props); controller.abort(); return r; } };
    const session = new StateSession(emptyState('shop'), { write: async () => undefined });
    const actions = diff({ graph: chain, state: session.doc, live: new Map(), traits: () => ({ replaceOn: [] }) });
    const result = await execute({ actions, graph: chain }, session, {
      parallelism: 10,
      signal: controller.signal,
      loadHandler: async () => handler,
      context: (logicalId, log) => ({ logicalId, log, tags: {}, deployment: 'shop', clientToken: 't', waitForCapacity: false, aws: undefined }),
      onEvent: () => undefined,
    });
    expect(result.interrupted).toBe(true);
    expect(Object.keys(session.doc.resources)).toEqual(['a']);
    expect(result.skipped.map((a) => a.id)).toEqual(['b', 'c']);
  });

  it('fails with a stall error instead of reporting success when steps can never start', async () => {
    const cloud = new MemoryCloud();
    cloud.resources.set('phys-a', { logicalId: 'a', props: {} });
    cloud.resources.set('phys-b', { logicalId: 'b', props: {} });
    // A state whose recorded dependencies form a cycle: neither delete may go first.
    const state = emptyState('shop');
    state.resources.a = { kind: 'security-group', id: 'phys-a', hashes: {}, outputs: {}, deps: ['b'] };
    state.resources.b = { kind: 'security-group', id: 'phys-b', hashes: {}, outputs: {}, deps: ['a'] };
    await expect(run(cloud, { nodes: [], outputs: {} }, state)).rejects.toMatchObject({ code: 'EXECUTION_STALLED', message: expect.stringContaining('a waits for b') });
    expect(cloud.calls).toEqual([]);
  });

  it('a step whose resource still settles (Live.ready) lets its dependents start at once and ends when it has settled; a settle failure fails the step', async () => {
    const cloud = new MemoryCloud();
    const base = cloud.handler();
    const order: string[] = [];
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const handler: ResourceHandler<Props> = {
      ...base,
      create: async (ctx, props) => {
        const created = await base.create(ctx, props);
        if (ctx.logicalId === 'lb') return { ...created, ready: () => settled.then(() => void order.push('lb settled')) };
        if (ctx.logicalId === 'listener') {
          order.push('listener created');
          settle();
        }
        if (ctx.logicalId === 'bad') return { ...created, ready: async () => Promise.reject(new Error('failed to provision')) };
        return created;
      },
    };
    const graph: Graph = { nodes: [node('lb'), node('listener', { lb: ref('lb', 'id') }), node('bad')], outputs: {} };
    const state = emptyState('shop');
    const actions = diff({ graph, state, live: new Map(), traits: () => ({ replaceOn: [] }) });
    const session = new StateSession(state, { write: async () => undefined });
    const events: StepEvent[] = [];
    const result = await execute({ actions, graph }, session, {
      parallelism: 10,
      loadHandler: async () => handler,
      context: (logicalId, log) => ({ logicalId, log, tags: {}, deployment: 'shop', clientToken: 't', waitForCapacity: false, aws: undefined }),
      onEvent: (e) => events.push(e),
    });
    expect(order).toEqual(['listener created', 'lb settled']);
    const at = (type: string, id: string) => events.findIndex((e) => e.type === type && e.action.id === id);
    expect(at('start', 'listener')).toBeLessThan(at('done', 'lb'));
    expect(result.failures.map((f) => f.action.id)).toEqual(['bad']);
    expect(events.find((e) => e.type === 'failed')).toMatchObject({ action: { id: 'bad' }, error: { message: 'failed to provision' } });
    expect(Object.keys(session.doc.resources).sort()).toEqual(['bad', 'lb', 'listener']); // recorded as soon as they existed
  });
});
