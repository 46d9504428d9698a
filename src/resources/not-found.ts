import { isNotFound as matches, unlessNotFound as unless } from '../aws/errors.js';
import { RESOURCE_NOT_FOUND_CODES } from './registry.js';

/** AWS answered that a resource does not exist (any managed kind's code, from the registry, or a service one). */
export const isNotFound = (error: unknown): boolean => matches(error, RESOURCE_NOT_FOUND_CODES);

/** The call's result, or undefined when AWS answers that what it names does not exist. */
export const unlessNotFound = <T>(call: Promise<T>): Promise<T | undefined> => unless(call, RESOURCE_NOT_FOUND_CODES);
