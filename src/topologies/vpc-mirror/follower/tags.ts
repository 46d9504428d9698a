import { TAG_DEPLOYMENT, TAG_LOGICAL_ID, TAG_MANAGED_BY, MANAGED_BY } from '../../../resources/types.js';
import type { FollowerSettings } from './settings.js';

/** Logical id the last-run parameter is tagged with (it is no graph node: the function creates it). */
export const LAST_RUN_ID = 'follower-last-run';

/** The session tags (the deployment's tags) with this parameter's logical id. */
export function lastRunTags(settings: FollowerSettings): Record<string, string> {
  return { ...settings.session.tags, [TAG_DEPLOYMENT]: settings.deployment, [TAG_LOGICAL_ID]: LAST_RUN_ID, [TAG_MANAGED_BY]: MANAGED_BY };
}
