import type { LoadedConfig } from '../config/load.js';
import type { ResourceKind } from '../engine/types.js';
import { REGISTRY } from '../resources/registry.js';
import type { ResourceHandler } from '../resources/types.js';
import { topologyOf } from '../topologies/index.js';
import type { IamGrant } from './grants.js';
import { buildPolicy, type PolicyDocument } from './policy.js';

/**
 * Every grant a config needs: the handlers of the kinds its plan builds (list() only for the topology's other
 * kinds, which destroy sweeps), the shared look-ups (state and lock, the token parameter, input resolution,
 * name and launch checks, target health, init's discovery) and the topology's own (Topology.iam).
 * Each module declares its own grants (`export const iam`): adding a resource kind is one declaration there.
 */
export async function grantsFor(loaded: LoadedConfig, kinds: Iterable<ResourceKind>): Promise<IamGrant[]> {
  const { config } = loaded;
  const topology = topologyOf(config);
  const shared = await Promise.all([
    import('../state/store.js'),
    import('../state/lock.js'),
    import('../account/token-parameter.js'),
    import('../account/lookups.js'),
    import('../account/name-checks.js'),
    import('../account/node-checks.js'),
    import('../account/target-health.js'),
    import('../account/live-status.js'),
    import('../account/price-list.js'),
    import('../init/discovery.js'),
  ]);
  const lookups = [...shared.flatMap((m) => m.iam), ...(await topology.iam(loaded))];
  const planned = new Set(kinds);
  const all = [...new Set([...planned, ...topology.kinds])];
  const handlers = await Promise.all(all.map(async (kind) => ({ kind, handler: (await REGISTRY[kind].load()) as ResourceHandler<unknown> })));
  // Kinds of the topology this config does not build still get their list() grant: destroy's final sweep lists them.
  const own = handlers.flatMap(({ kind, handler }) => (planned.has(kind) ? handler.iam : handler.iam.filter((g) => g.list)));
  return [...lookups, ...own].filter((g) => !g.onlyIf || g.onlyIf(config));
}

/** The least-privilege policy for running validate, plan, apply, output and destroy of this config. */
export async function policyFor(loaded: LoadedConfig, kinds: Iterable<ResourceKind>, regionHint?: string): Promise<PolicyDocument> {
  const { config } = loaded;
  return buildPolicy(await grantsFor(loaded, kinds), {
    deployment: config.deployment,
    region: regionHint ?? config.region ?? '*',
    vpcId: config.vpcId,
    tokenParameter: config.wallarm.tokenParameter,
  });
}
