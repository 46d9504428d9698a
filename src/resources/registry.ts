import type { HandlerLoader } from '../engine/handler.js';
import type { ResourceKind } from '../engine/types.js';
import { PlanError } from '../errors.js';

/** Everything the rest of the code needs to know about a resource kind, in one entry per kind. */
export interface HandlerEntry {
  /** Loads the handler (and the SDK client modules it imports) on first use. */
  load: () => ReturnType<HandlerLoader>;
  /** Whether the handler manages tags in place (the `tags` prop); a scaling policy has no tags in AWS. */
  taggable: boolean;
  /** Order of destroy's final sweep, lowest first: users of a resource before the resource. */
  sweepRank: number;
  /**
   * Error codes AWS answers when a resource of this kind does not exist: a delete treats only these as "already
   * gone" (another kind's NotFound means something else is missing). Auto Scaling answers ValidationError with a
   * message instead: see isGroupNotFoundError (src/aws/errors.ts).
   */
  notFoundCodes: readonly string[];
  /** Codes for a part of the resource that does not exist (a template version, a filter rule), not the resource. */
  partNotFoundCodes?: readonly string[];
}

/**
 * The registry: one entry per kind. `Record<ResourceKind, …>` makes a forgotten kind a compile error; the
 * lists below (taggable kinds, sweep order, not-found codes) are derived from it, never written twice.
 */
export const REGISTRY: Record<ResourceKind, HandlerEntry> = {
  'traffic-mirror-session': {
    load: async () => (await import('./traffic-mirror-sessions.js')).handler,
    taggable: true,
    sweepRank: 10,
    notFoundCodes: ['InvalidTrafficMirrorSessionId.NotFound'],
  },
  'traffic-mirror-target': {
    load: async () => (await import('./traffic-mirror-target.js')).handler,
    taggable: true,
    sweepRank: 20,
    notFoundCodes: ['InvalidTrafficMirrorTargetId.NotFound'],
  },
  'traffic-mirror-filter': {
    load: async () => (await import('./traffic-mirror-filter.js')).handler,
    taggable: true,
    sweepRank: 30,
    notFoundCodes: ['InvalidTrafficMirrorFilterId.NotFound'],
    partNotFoundCodes: ['InvalidTrafficMirrorFilterRuleId.NotFound'],
  },
  'scaling-policy': {
    load: async () => (await import('./scaling-policy.js')).handler,
    taggable: false,
    sweepRank: 40,
    notFoundCodes: [],
  },
  'auto-scaling-group': {
    load: async () => (await import('./auto-scaling-group.js')).handler,
    taggable: true,
    sweepRank: 50,
    notFoundCodes: [],
  },
  listener: {
    load: async () => (await import('./listener.js')).handler,
    taggable: true,
    sweepRank: 60,
    notFoundCodes: ['ListenerNotFound', 'ListenerNotFoundException'],
  },
  'load-balancer': {
    load: async () => (await import('./load-balancer.js')).handler,
    taggable: true,
    sweepRank: 70,
    notFoundCodes: ['LoadBalancerNotFound', 'LoadBalancerNotFoundException'],
  },
  'target-group': {
    load: async () => (await import('./target-group.js')).handler,
    taggable: true,
    sweepRank: 80,
    notFoundCodes: ['TargetGroupNotFound', 'TargetGroupNotFoundException'],
  },
  'launch-template': {
    load: async () => (await import('./launch-template.js')).handler,
    taggable: true,
    sweepRank: 90,
    notFoundCodes: ['InvalidLaunchTemplateId.NotFound', 'InvalidLaunchTemplateName.NotFoundException'],
    partNotFoundCodes: ['InvalidLaunchTemplateId.VersionNotFound'],
  },
  'security-group': {
    load: async () => (await import('./security-group.js')).handler,
    taggable: true,
    sweepRank: 100,
    notFoundCodes: ['InvalidGroup.NotFound', 'InvalidGroupId.NotFound'],
  },
  'iam-instance-profile': {
    load: async () => (await import('./iam-instance-profile.js')).handler,
    taggable: true,
    sweepRank: 110,
    notFoundCodes: ['NoSuchEntity', 'NoSuchEntityException'],
  },
  'iam-role': {
    load: async () => (await import('./iam-role.js')).handler,
    taggable: true,
    sweepRank: 120,
    notFoundCodes: ['NoSuchEntity', 'NoSuchEntityException'],
  },
};

const entries = Object.entries(REGISTRY) as [ResourceKind, HandlerEntry][];

/** Every kind with a handler. */
export const implementedKinds: readonly ResourceKind[] = entries.map(([kind]) => kind);

/** Kinds whose handler manages tags in place (the `tags` prop). */
export const TAGGABLE_KINDS: ReadonlySet<ResourceKind> = new Set(entries.filter(([, e]) => e.taggable).map(([kind]) => kind));

/** Kinds in the order destroy's final sweep deletes them: users of a resource before the resource. */
export const SWEEP_ORDER: readonly ResourceKind[] = [...entries].sort(([, a], [, b]) => a.sweepRank - b.sweepRank).map(([kind]) => kind);

/** Every code meaning "this managed resource (or a part of it) does not exist". */
export const RESOURCE_NOT_FOUND_CODES: ReadonlySet<string> = new Set(entries.flatMap(([, e]) => [...e.notFoundCodes, ...(e.partNotFoundCodes ?? [])]));

export const loadHandler: HandlerLoader = async (kind) => {
  const entry = (REGISTRY as Partial<Record<string, HandlerEntry>>)[kind];
  if (!entry) {
    throw new PlanError('HANDLER_NOT_IMPLEMENTED', `No resource handler is implemented for resources of kind "${kind}".`, {
      actions: [`Use a topology that does not need ${kind} resources with this version of wallarm-oob, or upgrade.`],
    });
  }
  return entry.load();
};
