import { hasCode, isNotFound as matches, unlessNotFound as unless } from '../aws/errors.js';
import type { ResourceKind } from '../engine/types.js';
import { REGISTRY, RESOURCE_NOT_FOUND_CODES } from './registry.js';

/** AWS answered that something does not exist (any managed kind's code or part, from the registry, or a service one). */
export const isNotFound = (error: unknown): boolean => matches(error, RESOURCE_NOT_FOUND_CODES);

/** The call's result, or undefined when AWS answers that what it names does not exist. */
export const unlessNotFound = <T>(call: Promise<T>): Promise<T | undefined> => unless(call, RESOURCE_NOT_FOUND_CODES);

/**
 * AWS answered that a resource of `kind` itself does not exist (its registry entry's codes only): a delete treats
 * only this as "already gone"; another kind's NotFound means something else is missing.
 */
export function isNotFoundOf(kind: ResourceKind, error: unknown): boolean {
  return hasCode(error, ...REGISTRY[kind].notFoundCodes);
}
