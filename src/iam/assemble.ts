import type { LoadedConfig } from '../config/load.js';
import type { ResourceKind } from '../engine/types.js';
import { KINDS_BY_TOPOLOGY } from '../core/topology-kinds.js';
import { loadHandler } from '../resources/index.js';
import type { IamGrant } from './grants.js';
import { buildPolicy, type PolicyDocument } from './policy.js';

/**
 * Every grant a config needs: the handlers of the kinds its plan builds, and the look-up modules its
 * commands call (state and lock, the token parameter, input resolution, validate's checks, output's health
 * reads, init's discovery; the node image for a NGINX node fleet; source resolution for vpc-mirror).
 * Each module declares its own grants (`export const iam`): adding a resource kind is one declaration there.
 */
export async function grantsFor(loaded: LoadedConfig, kinds: Iterable<ResourceKind>): Promise<IamGrant[]> {
  const { config } = loaded;
  const nativeReceiver = config.topology === 'vpc-mirror' && config.mirror.receiver === 'native-node';
  const modules = [
    import('../state/store.js'),
    import('../state/lock.js'),
    import('../core/token.js'),
    import('../core/resolve.js'),
    import('../core/name-checks.js'),
    import('../core/checks.js'),
    import('../core/node-checks.js'),
    import('../core/health.js'),
    import('../init/discovery.js'),
    ...(nativeReceiver ? [] : [import('../core/node-image.js')]),
    ...(config.topology === 'vpc-mirror' ? [import('../core/mirror-sources.js'), import('../core/mirror-status.js')] : []),
  ];
  const lookups = (await Promise.all(modules)).flatMap((m) => m.iam);
  const planned = new Set(kinds);
  const swept = KINDS_BY_TOPOLOGY[config.topology] ?? [];
  const all = [...new Set([...planned, ...swept])];
  const handlers = await Promise.all(all.map(async (kind) => ({ kind, handler: await loadHandler(kind) })));
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
