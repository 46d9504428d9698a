/**
 * One shared notion of time for waiters and the fake cloud. Production runs at scale 1; tests and
 * benchmarks shrink every wait (poll intervals, timeouts, simulated AWS delays) by the same factor so a
 * three-minute load balancer provisioning takes milliseconds without changing any logic.
 */
let scale = 1;

export const clock = {
  get scale(): number {
    return scale;
  },
  setScale(next: number): void {
    if (!(next > 0)) throw new Error(`time scale must be > 0, got ${next}`);
    scale = next;
  },
  /** Real milliseconds a simulated duration takes. */
  real(ms: number): number {
    return ms * scale;
  },
  /** Sleep for a simulated duration; resolves early (without throwing) when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms * scale);
      function done() {
        signal?.removeEventListener('abort', done);
        clearTimeout(timer);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  },
};
