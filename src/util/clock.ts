/**
 * One shared notion of time for waiters and the fake cloud. Production runs at scale 1; tests and
 * benchmarks shrink every wait (poll intervals, timeouts, simulated AWS delays) by the same factor so a
 * three-minute load balancer provisioning takes milliseconds without changing any logic. Benchmarks can
 * also switch to virtual time: simulated time then stands still while anything runs and jumps to the next
 * sleep's end once the process is idle, so a measured duration is the latency model's alone (CPU time is
 * measured apart), whatever the machine's load.
 */
let scale = 1;
// Simulated time: real time divided by the scale, accumulated so a scale change mid-run does not jump.
let simulatedMs = 0;
let lastReal = performance.now();

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}
let virtual: { now: number; timers: Timer[]; seq: number; pumping: boolean } | undefined;

function advanceReal(): number {
  const real = performance.now();
  simulatedMs += (real - lastReal) / scale;
  lastReal = real;
  return simulatedMs;
}

/**
 * Work the process still waits for outside promises: file system requests, real timers (SDK retry
 * back-off), and module loading (a dynamic import() answered by a loader thread shows as a MessagePort).
 */
const BUSY = new Set(['Timeout', 'FileHandleCloseReq', 'GetAddrInfoReqWrap', 'MessagePort']);
function busy(): boolean {
  return process.getActiveResourcesInfo().some((r) => BUSY.has(r) || r.startsWith('FSReq'));
}

/** Fires the earliest virtual timers once the process has been idle for two event-loop turns. */
function pump(): void {
  const v = virtual;
  if (!v || v.pumping) return;
  v.pumping = true;
  let idleTurns = 0;
  const turn = () => {
    if (virtual !== v || v.timers.length === 0) {
      v.pumping = false;
      return;
    }
    idleTurns = busy() ? 0 : idleTurns + 1;
    if (idleTurns >= 2) {
      idleTurns = 0;
      v.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const at = v.timers[0]!.at;
      v.now = Math.max(v.now, at);
      const due = v.timers.filter((t) => t.at <= at);
      v.timers = v.timers.filter((t) => t.at > at);
      for (const t of due) t.resolve();
    }
    setImmediate(turn);
  };
  setImmediate(turn);
}

export const clock = {
  get scale(): number {
    return scale;
  },
  setScale(next: number): void {
    if (!(next > 0)) throw new Error(`time scale must be > 0, got ${next}`);
    advanceReal();
    scale = next;
  },
  /** Switches virtual time on or off (benchmarks only; see the module comment). */
  setVirtual(on: boolean): void {
    if (on && !virtual) virtual = { now: advanceReal(), timers: [], seq: 0, pumping: false };
    if (!on && virtual) {
      for (const t of virtual.timers) t.resolve();
      simulatedMs = virtual.now;
      lastReal = performance.now();
      virtual = undefined;
    }
  },
  /** Simulated milliseconds since the process started (monotonic). */
  now(): number {
    return virtual ? virtual.now : advanceReal();
  },
  /** Real milliseconds a simulated duration takes. */
  real(ms: number): number {
    return ms * scale;
  },
  /** Sleep for a simulated duration; resolves early (without throwing) when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      let cancel: () => void;
      const v = virtual;
      if (v) {
        const timer: Timer = { at: v.now + Math.max(0, ms), seq: v.seq++, resolve: () => done() };
        v.timers.push(timer);
        cancel = () => void (v.timers = v.timers.filter((t) => t !== timer));
        pump();
      } else {
        const handle = setTimeout(() => done(), ms * scale);
        cancel = () => clearTimeout(handle);
      }
      function done() {
        signal?.removeEventListener('abort', done);
        cancel();
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  },
};
