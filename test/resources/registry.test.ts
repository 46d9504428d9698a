import { describe, expect, it } from 'vitest';

import type { ResourceKind } from '../../src/engine/types.js';
import { implementedKinds, loadHandler } from '../../src/resources/registry.js';

describe('resource handler registry', () => {
  it('loads every implemented handler lazily, each of its own kind', async () => {
    expect(implementedKinds).toHaveLength(12);
    for (const kind of implementedKinds) {
      const handler = await loadHandler(kind);
      expect(handler.kind).toBe(kind);
      for (const fn of ['create', 'read', 'update', 'delete', 'list'] as const) expect(typeof handler[fn]).toBe('function');
    }
  });

  it('names a kind without a handler', async () => {
    await expect(loadHandler('no-such-kind' as ResourceKind)).rejects.toMatchObject({ code: 'HANDLER_NOT_IMPLEMENTED', message: expect.stringContaining('no-such-kind') });
  });
});
