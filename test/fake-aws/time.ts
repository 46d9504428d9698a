import { clock } from '../../src/util/clock.js';

/**
 * Simulated time for the fake. Simulated milliseconds follow clock.now(): 1/clock.scale per real millisecond, or virtual time in benchmarks
 * (so with clock.setScale(0.001) a 180 s provisioning takes 180 real ms), and tests can jump ahead with
 * advance(). Every delayed transition in the fake is computed lazily from timestamps on this clock.
 */
export class SimClock {
  private readonly offset: number;
  private advanced = 0;
  constructor(start = Date.now()) {
    this.offset = start - clock.now();
  }
  now(): number {
    return this.offset + clock.now() + this.advanced;
  }
  advance(ms: number): void {
    this.advanced += ms;
  }
}
