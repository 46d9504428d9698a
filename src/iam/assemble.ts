import type { LoadedConfig } from '../config/load.js';
import type { ResourceKind } from '../engine/types.js';
import { REGISTRY } from '../resources/registry.js';
import type { ResourceHandler } from '../resources/types.js';
import { topologyOf } from '../topologies/index.js';
import type { IamGrant } from './grants.js';
import { buildPolicy, type PolicyDocument } from './policy.js';

/** A resource the plan builds: its kind, and its planned props when known (grants may depend on them). */
export interface PlannedResource {
  kind: ResourceKind;
  props?: Readonly<Record<string, unknown>>;
}

/**
 * Every grant a config needs: the handlers of the kinds its plan builds (list() only for the topology's other
 * kinds, which destroy sweeps), the shared look-ups (state and lock, the token parameter, input resolution,
 * name and launch checks, target health, init's discovery) and the topology's own (Topology.iam).
 * Each module declares its own grants (`export const iam`): adding a resource kind is one declaration there.
 */
export async function grantsFor(loaded: LoadedConfig, resources: Iterable<PlannedResource>): Promise<IamGrant[]> {
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
  const propsOf = new Map<ResourceKind, Readonly<Record<string, unknown>>[]>();
  for (const r of resources) {
    const known = propsOf.get(r.kind) ?? [];
    if (r.props) known.push(r.props);
    propsOf.set(r.kind, known);
  }
  const all = [...new Set([...propsOf.keys(), ...topology.kinds])];
  const handlers = await Promise.all(all.map(async (kind) => ({ kind, handler: (await REGISTRY[kind].load()) as ResourceHandler<unknown> })));
  const needed = (g: IamGrant, props: Readonly<Record<string, unknown>>[]) => !g.forPlanned || props.length === 0 || props.some(g.forPlanned);
  // Kinds of the topology this config does not build still get their list() grant: destroy's final sweep lists them.
  const own = handlers.flatMap(({ kind, handler }) => {
    const props = propsOf.get(kind);
    return props ? handler.iam.filter((g) => needed(g, props)) : handler.iam.filter((g) => g.list);
  });
  return [...lookups, ...own].filter((g) => !g.onlyIf || g.onlyIf(config));
}

/** The least-privilege policy for running validate, plan, apply, output and destroy of this config. */
export async function policyFor(loaded: LoadedConfig, resources: Iterable<PlannedResource>, regionHint?: string): Promise<PolicyDocument> {
  const { config } = loaded;
  return buildPolicy(await grantsFor(loaded, resources), {
    deployment: config.deployment,
    region: regionHint ?? config.region ?? '*',
    vpcId: config.vpcId,
    tokenParameter: config.wallarm.tokenParameter,
  });
}
