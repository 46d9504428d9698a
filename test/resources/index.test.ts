import { describe, expect, it } from 'vitest';

import type { ResourceKind } from '../../src/engine/types.js';
import { implementedKinds, loadHandler } from '../../src/resources/index.js';

describe('resource handler registry', () => {
  it('loads every implemented handler lazily, each of its own kind', async () => {
    expect(implementedKinds).toHaveLength(9);
    for (const kind of implementedKinds) {
      const handler = await loadHandler(kind);
      expect(handler.kind).toBe(kind);
      for (const fn of ['create', 'read', 'update', 'delete', 'list'] as const) expect(typeof handler[fn]).toBe('function');
    }
  });

  it('names the kinds not implemented yet', async () => {
    for (const kind of ['traffic-mirror-filter', 'traffic-mirror-target', 'traffic-mirror-session'] as ResourceKind[]) {
      await expect(loadHandler(kind)).rejects.toMatchObject({ code: 'HANDLER_NOT_IMPLEMENTED', message: expect.stringContaining(kind) });
    }
  });
});
