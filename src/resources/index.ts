import type { ResourceKind } from '../engine/types.js';
import { PlanError } from '../errors.js';
import type { ResourceHandler } from './types.js';

/**
 * Lazy registry of resource handlers: each handler (and the SDK client modules it imports) is loaded on
 * first use, so commands that never touch a kind never load its SDK.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHandler = ResourceHandler<any>;

const loaders: Partial<Record<ResourceKind, () => Promise<AnyHandler>>> = {
  'iam-role': async () => (await import('./iam-role.js')).handler,
  'iam-instance-profile': async () => (await import('./iam-instance-profile.js')).handler,
  'security-group': async () => (await import('./security-group.js')).handler,
  'launch-template': async () => (await import('./launch-template.js')).handler,
  'load-balancer': async () => (await import('./load-balancer.js')).handler,
  'target-group': async () => (await import('./target-group.js')).handler,
  listener: async () => (await import('./listener.js')).handler,
  'auto-scaling-group': async () => (await import('./auto-scaling-group.js')).handler,
  'scaling-policy': async () => (await import('./scaling-policy.js')).handler,
  'traffic-mirror-filter': async () => (await import('./traffic-mirror-filter.js')).handler,
  'traffic-mirror-target': async () => (await import('./traffic-mirror-target.js')).handler,
  'traffic-mirror-session': async () => (await import('./traffic-mirror-sessions.js')).handler,
  'log-group': async () => (await import('./log-group.js')).handler,
  'lambda-function': async () => (await import('./lambda-function.js')).handler,
  'event-rule': async () => (await import('./event-rule.js')).handler,
};

/** Kinds whose handler manages tags in place (the `tags` prop); a scaling policy has no tags in AWS. */
export const TAGGABLE_KINDS: ReadonlySet<ResourceKind> = new Set<ResourceKind>([
  'iam-role',
  'iam-instance-profile',
  'security-group',
  'launch-template',
  'load-balancer',
  'target-group',
  'listener',
  'auto-scaling-group',
  'traffic-mirror-filter',
  'traffic-mirror-target',
  'traffic-mirror-session',
  'log-group',
  'lambda-function',
  'event-rule',
]);

/** Kinds with a handler today. */
export const implementedKinds = Object.keys(loaders) as ResourceKind[];

export async function loadHandler(kind: ResourceKind): Promise<AnyHandler> {
  const load = loaders[kind];
  if (!load) {
    throw new PlanError('HANDLER_NOT_IMPLEMENTED', `No resource handler is implemented yet for resources of kind "${kind}".`, {
      actions: [`Use a topology that does not need ${kind} resources with this version of wallarm-oob, or upgrade.`],
    });
  }
  return load();
}
