import { shortHash } from '../../util/hash.js';

/** ELBv2 load balancer and target group names: at most 32 characters. */
export const ELB_NAME_MAX = 32;

/**
 * `wallarm-oob-<deployment>-<suffix>`, cut to `max` characters with a short hash of the full name kept at
 * the end so two long names never collide.
 */
export function resourceName(deployment: string, suffix: string, max = 64): string {
  const full = `wallarm-oob-${deployment}-${suffix}`;
  if (full.length <= max) return full;
  const hash = shortHash(full, 6);
  return `${full.slice(0, max - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/** IAM path that scopes the deployment's roles and instance profiles (and lets list() find them). */
export const iamPath = (deployment: string) => `/wallarm-oob/${deployment}/`;
