import { describe, expect, it } from 'vitest';
import { applyCompleteLine, destroyCompleteLine } from '../../src/ui/summary.js';

describe('completion lines', () => {
  it('apply: the counts that are not zero, and the time it took', () => {
    expect(applyCompleteLine({ added: 3, changed: 1, replaced: 0, destroyed: 0 }, 192_000)).toBe('Apply complete: 3 added, 1 changed in 3m12s.');
    expect(applyCompleteLine({ added: 0, changed: 0, replaced: 1, destroyed: 2 }, 9_400)).toBe('Apply complete: 1 replaced, 2 destroyed in 9s.');
  });

  it('destroy: what was deleted, how many of them were leftovers not in state, and the time', () => {
    expect(destroyCompleteLine(10, 0, 65_000)).toBe('Destroy complete: 10 destroyed in 1m05s; state removed.');
    expect(destroyCompleteLine(9, 1, 3_000)).toBe('Destroy complete: 9 destroyed (1 of them not in state) in 3s; state removed.');
  });
});
