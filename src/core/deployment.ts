import { AwsClients } from '../aws/clients.js';
import type { LoadedConfig } from '../config/load.js';
import type { Props, ResourceKind } from '../engine/types.js';
import { traitsOf, type KindTraits } from '../engine/diff.js';
import { loadHandler } from '../resources/registry.js';
import type { ResourceContext, ResourceHandler } from '../resources/types.js';
import { DeploymentLock } from '../state/lock.js';
import { StateStore } from '../state/store.js';
import { shortHash } from '../util/hash.js';
import { deploymentTags, resourceTags } from './tags.js';
import { REGION_PATTERN } from '../config/schema.js';
import { ConfigError } from '../errors.js';

export interface GlobalOptions {
  profile?: string;
  region?: string;
}

/** One deployment as the core works on it: its config, clients, state store, lock and handler contexts. */
export class Deployment {
  readonly aws: AwsClients;
  readonly tags: Record<string, string>;
  readonly store: StateStore;
  readonly lock: DeploymentLock;

  constructor(
    readonly loaded: LoadedConfig,
    options: GlobalOptions,
  ) {
    checkRegion(options.region, loaded.config.region);
    this.aws = new AwsClients({ region: options.region ?? loaded.config.region, profile: options.profile });
    this.tags = deploymentTags(loaded.config);
    this.store = new StateStore(this.aws, this.name, this.tags);
    this.lock = new DeploymentLock(this.aws, this.name, this.tags);
  }

  get name(): string {
    return this.loaded.config.deployment;
  }

  /** The handler context for one logical id. The client token is stable for a lineage, so SDK retries of a create never duplicate it. */
  context(logicalId: string, log: (message: string) => void, options: { lineage: string; waitForCapacity: boolean; signal?: AbortSignal }): ResourceContext {
    return {
      aws: this.aws,
      deployment: this.name,
      logicalId,
      tags: resourceTags(this.tags, logicalId),
      clientToken: `wallarm-oob-${shortHash([options.lineage, logicalId], 32)}`,
      waitForCapacity: options.waitForCapacity,
      log,
      warn: (message) => this.warn(message),
      signal: options.signal,
    };
  }

  /** Warnings of this run (each once): degraded optional reads. Plans show them as notes. */
  readonly warnings: string[] = [];

  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }
}

export const handlerFor = (kind: ResourceKind) => loadHandler(kind) as Promise<ResourceHandler<Props>>;

export async function traitsFor(kinds: Iterable<ResourceKind>): Promise<(kind: ResourceKind) => KindTraits> {
  const loaded = new Map<ResourceKind, KindTraits>();
  for (const kind of new Set(kinds)) {
    loaded.set(kind, traitsOf(await handlerFor(kind)));
  }
  return (kind) => loaded.get(kind) ?? { replaceOn: [] };
}

/** --region and AWS_REGION / AWS_DEFAULT_REGION are held to the same rule as `region:` (a typo would otherwise surface as a DNS failure). */
function checkRegion(flag: string | undefined, configured: string | undefined): void {
  const sources: [string, string | undefined][] = [
    ['--region', flag],
    ...(flag || configured ? [] : ([['AWS_REGION', process.env.AWS_REGION], ['AWS_DEFAULT_REGION', process.env.AWS_DEFAULT_REGION]] as [string, string | undefined][])),
  ];
  for (const [source, value] of sources) {
    if (value === undefined || value === '') continue;
    if (!REGION_PATTERN.test(value)) {
      throw new ConfigError('BAD_REGION', `${source}: ${JSON.stringify(value)} is not an AWS region; write e.g. eu-west-1.`, {
        actions: [`Fix ${source}${source === '--region' ? '' : ' in the environment'}, or set region: in the config.`],
      });
    }
    if (source === 'AWS_REGION') return; // the SDK takes AWS_REGION first
  }
}
