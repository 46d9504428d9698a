import { describe, expect, it } from 'vitest';
import { readState } from '../../src/engine/refresh.js';
import type { ResourceKind } from '../../src/engine/types.js';
import type { Live, ResourceContext, ResourceHandler } from '../../src/resources/types.js';
import { emptyState } from '../../src/state/document.js';

const live = (physicalId: string): Live<Record<string, unknown>> => ({ physicalId, props: { id: physicalId }, outputs: {} });

describe('readState', () => {
  it('reads each kind once through readMany when the handler has it, read() per resource otherwise, a gone resource as undefined', async () => {
    const state = emptyState('shop');
    state.resources['sg-a'] = { kind: 'security-group', id: 'sg-1', hashes: {}, outputs: {}, deps: [] };
    state.resources['sg-b'] = { kind: 'security-group', id: 'sg-2', hashes: {}, outputs: {}, deps: [] };
    state.resources.role = { kind: 'iam-role', id: 'role-1', hashes: {}, outputs: {}, deps: [] };
    state.resources.profile = { kind: 'iam-instance-profile', id: 'gone', hashes: {}, outputs: {}, deps: [] };
    const calls: string[] = [];
    const handlers: Partial<Record<ResourceKind, Partial<ResourceHandler<Record<string, unknown>>>>> = {
      'security-group': {
        read: async () => {
          throw new Error('not called: the kind reads in one batch');
        },
        readMany: async (ctx: ResourceContext, ids: readonly string[]) => {
          calls.push(`readMany ${ctx.logicalId}: ${ids.join(' ')}`);
          return new Map(ids.map((id) => [id, id === 'sg-2' ? undefined : live(id)]));
        },
      },
      'iam-role': { read: async (_ctx: ResourceContext, id: string) => (calls.push(`read ${id}`), live(id)) },
      'iam-instance-profile': { read: async (_ctx: ResourceContext, id: string) => (calls.push(`read ${id}`), undefined) },
    };
    const result = await readState(state, {
      loadHandler: async (kind) => handlers[kind] as ResourceHandler<Record<string, unknown>>,
      context: (logicalId) => ({ logicalId }) as ResourceContext,
    });
    expect(calls.sort()).toEqual(['read gone', 'read role-1', 'readMany sg-a, sg-b: sg-1 sg-2']);
    expect(Object.fromEntries(result)).toEqual({ 'sg-a': live('sg-1'), 'sg-b': undefined, role: live('role-1'), profile: undefined });
  });
});
