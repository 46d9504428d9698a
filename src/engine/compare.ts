import { deepEqual } from '../util/hash.js';
import type { Props, Value } from './types.js';

/**
 * The one definition of "this property differs": the diff (plan) and the executor (apply) both ask it, so
 * a plan that shows no change never makes apply call update, and the other way round.
 * `ignored`: properties AWS changes by itself (compared with the last applied value instead, by the diff).
 */
export function propDiffers(desired: Value | undefined, live: Value | undefined): boolean {
  return !deepEqual(desired, live);
}

/** Names of the desired properties that differ from live, leaving out `ignored` ones. */
export function changedProps(desired: Props, live: Props, ignored: readonly string[] = []): string[] {
  return Object.keys(desired).filter((k) => !ignored.includes(k) && propDiffers(desired[k], live[k]));
}
