import { clock } from '../../src/util/clock.js';

/**
 * Simulated time for the fake. Simulated milliseconds advance at 1/clock.scale per real millisecond
 * (so with clock.setScale(0.001) a 180 s provisioning takes 180 real ms), and tests can jump ahead with
 * advance(). Every delayed transition in the fake is computed lazily from timestamps on this clock.
 */
export class SimClock {
  private sim: number;
  private lastReal: number;
  constructor(start = Date.now()) {
    this.sim = start;
    this.lastReal = performance.now();
  }
  now(): number {
    const real = performance.now();
    this.sim += (real - this.lastReal) / clock.scale;
    this.lastReal = real;
    return this.sim;
  }
  advance(ms: number): void {
    this.now();
    this.sim += ms;
  }
}
