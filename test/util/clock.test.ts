import { afterEach, describe, expect, it } from 'vitest';
import { clock } from '../../src/util/clock.js';

describe('clock: virtual time (benchmarks)', () => {
  afterEach(() => clock.setVirtual(false));

  it('jumps to each sleep end once idle, in order, without waiting in real time', async () => {
    clock.setVirtual(true);
    const start = clock.now();
    const order: string[] = [];
    await Promise.all([
      clock.sleep(180_000).then(() => order.push(`lb ${Math.round(clock.now() - start)}`)),
      clock.sleep(30_000).then(() => order.push(`short ${Math.round(clock.now() - start)}`)),
      (async () => {
        await clock.sleep(10_000);
        await clock.sleep(10_000);
        order.push(`chained ${Math.round(clock.now() - start)}`);
      })(),
    ]);
    expect(order).toEqual(['chained 20000', 'short 30000', 'lb 180000']);
  });

  it('does not advance while work is pending outside promises (a file read)', async () => {
    clock.setVirtual(true);
    const start = clock.now();
    const { readFile } = await import('node:fs/promises');
    let readAt = -1;
    await Promise.all([clock.sleep(5_000), readFile(new URL(import.meta.url)).then(() => (readAt = clock.now() - start))]);
    expect(readAt).toBe(0);
  });

  it('an aborted sleep resolves at once and its timer is dropped', async () => {
    clock.setVirtual(true);
    const start = clock.now();
    const abort = new AbortController();
    const sleeping = clock.sleep(60_000, abort.signal);
    abort.abort();
    await sleeping;
    expect(clock.now() - start).toBe(0);
  });
});
