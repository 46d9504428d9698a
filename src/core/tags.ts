import type { Config } from '../config/schema.js';
import { MANAGED_BY, TAG_DEPLOYMENT, TAG_LOGICAL_ID, TAG_MANAGED_BY } from '../resources/types.js';

/** Tags every resource of the deployment carries (the user's first, so ours always win). */
export function deploymentTags(config: Pick<Config, 'deployment' | 'tags'>): Record<string, string> {
  return { ...config.tags, [TAG_DEPLOYMENT]: config.deployment, [TAG_MANAGED_BY]: MANAGED_BY };
}

export function resourceTags(base: Record<string, string>, logicalId: string): Record<string, string> {
  return { ...base, [TAG_LOGICAL_ID]: logicalId };
}
