import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { AwsClients } from '../aws/clients.js';
import { hasCode, isNotFound, unlessNotFound } from '../aws/errors.js';
import { StateError } from '../errors.js';
import { clock } from '../util/clock.js';
import { lockPath } from './names.js';
import { z } from 'zod';

const RELEASE_ATTEMPTS = 4;

export interface LockInfo {
  id: string;
  who: string;
  operation: string;
  created: string;
  /** The parameter exists but holds no valid lock (edited, truncated, written by something else). */
  unreadable?: boolean;
}

/** The id `unlock` takes for a lock parameter that holds no valid lock. */
export const UNREADABLE_LOCK_ID = 'unreadable';

const LockSchema = z.object({ id: z.string().min(1), who: z.string(), operation: z.string(), created: z.string() });

/** Never throws: a parameter that is not a lock is reported as an unreadable lock, which `unlock unreadable --force` removes. */
export function parseLock(text: string): LockInfo {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const lock = LockSchema.safeParse(parsed);
  if (lock.success) return lock.data;
  const excerpt = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return { id: UNREADABLE_LOCK_ID, who: `nobody known (the lock parameter holds ${JSON.stringify(excerpt)}, not a wallarm-oob lock)`, operation: 'unknown', created: 'unknown', unreadable: true };
}

/**
 * When the holder ran on this host and its process is gone, the lock is certainly stale (a crash, kill -9).
 * Undefined when that cannot be told (another host, an unreadable lock, a live process).
 */
export function staleHolder(info: LockInfo): string | undefined {
  const m = /^.*@(.+) \(pid (\d+)\)$/.exec(info.who);
  if (!m || m[1] !== hostname()) return undefined;
  const pid = Number(m[2]);
  if (pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') return undefined;
    return `process ${pid} that took it is no longer running on this host (${m[1]}): the lock is stale`;
  }
}

/**
 * A lock on one deployment: an SSM parameter created with Overwrite=false, which AWS creates atomically,
 * so two runs can never both hold it. It records who holds it, since when and for what.
 */
export class DeploymentLock {
  readonly parameterName: string;
  private held: LockInfo | undefined;

  constructor(
    private readonly aws: AwsClients,
    readonly deployment: string,
    private readonly tags: Record<string, string>,
  ) {
    this.parameterName = lockPath(deployment);
  }

  get info(): LockInfo | undefined {
    return this.held;
  }

  /** Takes the lock, waiting up to timeoutMs (with backoff) while someone else holds it. */
  async acquire(operation: string, timeoutMs = 0): Promise<LockInfo> {
    const info: LockInfo = { id: randomUUID(), who: whoAmI(), operation, created: new Date().toISOString() };
    const deadline = Date.now() + clock.real(timeoutMs);
    let delay = 1000;
    for (;;) {
      try {
        const ssm = await this.aws.ssm();
        await ssm.send(
          new PutParameterCommand({
            Name: this.parameterName,
            Type: 'String',
            Value: JSON.stringify(info),
            Overwrite: false,
            Description: 'wallarm-oob deployment lock',
            Tags: Object.entries(this.tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        );
        this.held = info;
        return info;
      } catch (error) {
        // SSM may have stored our lock even though the call failed (a lost response, or an SDK retry of
        // our own first attempt answering ParameterAlreadyExists): the lock's id tells.
        const holder = await this.read().catch(() => undefined);
        if (holder?.id === info.id) {
          this.held = info;
          return info;
        }
        if (!hasCode(error, 'ParameterAlreadyExists')) throw error;
        if (Date.now() >= deadline) throw lockedError(this.deployment, holder);
        await clock.sleep(delay);
        delay = Math.min(delay * 2, 15_000);
      }
    }
  }

  /** Releases the lock if this process still holds it, retrying a few times: a lock left behind blocks every later run. */
  async release(): Promise<void> {
    const held = this.held;
    if (!held) return;
    for (let attempt = 1; ; attempt++) {
      try {
        const current = await this.read();
        // Not found right after creating it can be eventual consistency: look again before concluding it is gone.
        if (!current && attempt < RELEASE_ATTEMPTS) {
          await clock.sleep(1000 * attempt);
          continue;
        }
        if (current?.id === held.id) await this.deleteParameter();
        this.held = undefined;
        return;
      } catch (cause) {
        if (attempt >= RELEASE_ATTEMPTS) {
          throw new StateError('UNLOCK_FAILED', `Could not release the lock of deployment "${this.deployment}" (lock id ${held.id}).`, {
            cause,
            actions: [`Release it once no run is in progress: wallarm-oob unlock ${held.id}`],
          });
        }
        await clock.sleep(1000 * attempt);
      }
    }
  }

  async read(): Promise<LockInfo | undefined> {
    const ssm = await this.aws.ssm();
    const out = await unlessNotFound(ssm.send(new GetParameterCommand({ Name: this.parameterName })));
    if (!out) return undefined;
    return parseLock(out.Parameter?.Value ?? '');
  }

  /** Breaks a lock by id (`unlock LOCK_ID`); refuses when the id does not match the current holder. */
  /** `force`: an unreadable lock is removed whatever id was given (there is no id to compare). */
  async forceRelease(lockId: string, force = false): Promise<LockInfo> {
    const current = await this.read();
    if (!current) throw new StateError('LOCK_NOT_HELD', `Deployment "${this.deployment}" is not locked.`);
    if (current.unreadable && (lockId === UNREADABLE_LOCK_ID || force)) {
      await this.deleteParameter();
      return current;
    }
    if (current.unreadable) {
      throw new StateError('LOCK_UNREADABLE', `The lock parameter ${this.parameterName} of deployment "${this.deployment}" is unreadable: ${current.who}.`, {
        actions: [`If no apply or destroy is running, remove it: wallarm-oob unlock ${UNREADABLE_LOCK_ID} --force`],
      });
    }
    if (current.id !== lockId) {
      throw new StateError('LOCK_ID_MISMATCH', `The lock of deployment "${this.deployment}" has id ${current.id}, not ${lockId}.`, {
        actions: [`Check who holds it (${describeHolder(current)}) before breaking it with: wallarm-oob unlock ${current.id}`],
      });
    }
    await this.deleteParameter();
    return current;
  }

  private async deleteParameter(): Promise<void> {
    const ssm = await this.aws.ssm();
    try {
      await ssm.send(new DeleteParameterCommand({ Name: this.parameterName }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

export function describeHolder(info: LockInfo): string {
  if (info.unreadable) return info.who;
  return `${info.who}, running "${info.operation}" since ${info.created}`;
}

function lockedError(deployment: string, holder: LockInfo | undefined): StateError {
  const who = holder ? describeHolder(holder) : 'another run';
  const stale = holder && staleHolder(holder);
  return new StateError('LOCKED', `Deployment "${deployment}" is locked by ${who} (lock id ${holder?.id ?? 'unknown'})${stale ? `; the ${stale}` : ''}.`, {
    actions: [
      ...(stale || holder?.unreadable ? [] : ['Wait for that run to finish, or pass --lock-timeout 5m to wait for it.']),
      `If no run is in progress (it crashed), break the lock with: wallarm-oob unlock ${holder?.id ?? '<LOCK_ID>'}${holder?.unreadable ? ' --force' : ''}`,
    ],
  });
}

function whoAmI(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return `${user}@${hostname()} (pid ${process.pid})`;
}
