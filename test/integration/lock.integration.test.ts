import { afterEach, describe, expect, it } from 'vitest';
import { DeploymentLock } from '../../src/state/lock.js';
import { decodeState } from '../../src/state/document.js';
import { StateError } from '../../src/errors.js';
import { handleInterrupts } from '../../src/ui/interrupt.js';
import { hasChanges } from '../../src/engine/plan.js';
import { RecordingHooks, world, type World } from './harness.js';

let w: World;
afterEach(() => w?.done());

describe('deployment lock', () => {
  it('a second apply while one runs is refused naming the holder; unlock breaks a stuck lock', async () => {
    // A slower clock (10 min of load balancer provisioning: 0.6 s here) keeps the first apply running while the second starts.
    w = await world({ scale: 0.001, fake: { delays: { lbActiveMs: 600_000 } } });
    const first = w.apply();
    // wait until the first run holds the lock
    while (!w.fake.ssm.parameters.has('/wallarm-oob/shop-oob/lock')) await new Promise((r) => setTimeout(r, 1));
    const second = await w.apply().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(second).toBeInstanceOf(StateError);
    expect((second as StateError).code).toBe('LOCKED');
    expect((second as StateError).message).toMatch(/is locked by .+@.+ \(pid \d+\), running "apply" since \S+ \(lock id [0-9a-f-]{36}\)/);
    expect((second as StateError).actions.join('\n')).toMatch(/wallarm-oob unlock [0-9a-f-]{36}/);
    await first;
    expect(w.fake.ssm.parameters.has('/wallarm-oob/shop-oob/lock')).toBe(false);

    // a crashed run leaves its lock: apply is refused until `unlock <id>` breaks it
    const crashed = new DeploymentLock(w.aws, 'shop-oob', {});
    const info = await crashed.acquire('apply');
    await expect(w.apply()).rejects.toMatchObject({ code: 'LOCKED' });
    await expect(w.deployment().lock.forceRelease('not-the-id')).rejects.toMatchObject({ code: 'LOCK_ID_MISMATCH' });
    const released = await w.deployment().lock.forceRelease(info.id);
    expect(released.operation).toBe('apply');
    await w.apply();
  });

  it('--lock-timeout waits for the holder to finish instead of failing', async () => {
    w = await world();
    const other = new DeploymentLock(w.aws, 'shop-oob', {});
    await other.acquire('destroy');
    setTimeout(() => void other.release(), 20);
    const result = await w.apply({ lockTimeoutMs: 60_000_000 });
    expect(result.changed).toBe(true);
  });

  it('Ctrl-C stops scheduling, saves what finished and releases the lock; apply again finishes the job', async () => {
    w = await world();
    const hooks = new RecordingHooks();
    const interrupts = handleInterrupts((m) => hooks.warn(m));
    const origin = hooks.onEvent.bind(hooks);
    let sent = false;
    hooks.onEvent = (event) => {
      origin(event);
      if (!sent && event.type === 'done') {
        sent = true;
        process.emit('SIGINT'); // what the terminal sends on Ctrl-C
      }
    };
    try {
      const error = await w.apply({ signal: interrupts.signal }, hooks).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'INTERRUPTED', exitCode: 130 });
    } finally {
      interrupts.dispose();
    }
    expect(hooks.messages.join('\n')).toMatch(/Interrupted: no new step will start/);
    expect(w.fake.ssm.parameters.has('/wallarm-oob/shop-oob/lock')).toBe(false);
    const state = decodeState(w.fake.ssm.parameters.get('/wallarm-oob/shop-oob/state')!.value, 'state');
    const done = hooks.events.filter((e) => e.type === 'done').map((e) => e.action.id);
    expect(Object.keys(state.resources).sort()).toEqual([...done].sort());
    expect(done.length).toBeLessThan(10);

    await w.apply();
    expect(hasChanges(await w.plan())).toBe(false);
  });
});
