import { WallarmOobError } from '../errors.js';
import type { DeploymentLock } from '../state/lock.js';

/**
 * Runs `work` holding the deployment lock and releases it however `work` ends. When both fail, the
 * work's error is the one reported, with the way to clear the lock added to its actions.
 */
export async function withLock<T>(lock: DeploymentLock, operation: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  await lock.acquire(operation, timeoutMs);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await lock.release().catch((releaseError: unknown) => {
      if (error instanceof WallarmOobError && releaseError instanceof WallarmOobError) error.actions.push(...releaseError.actions);
    });
    throw error;
  }
  await lock.release();
  return result;
}
