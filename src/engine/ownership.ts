import { StateError } from '../errors.js';
import { statePath } from '../state/names.js';
import type { ResourceKind } from './types.js';

/**
 * Tag keys every managed resource carries. The engine owns them: they are how it decides a resource is its own
 * (verifyOwnership) and how it adopts one created by an interrupted run.
 */
export const TAG_DEPLOYMENT = 'wallarm-oob:deployment';
export const TAG_LOGICAL_ID = 'wallarm-oob:id';
export const TAG_MANAGED_BY = 'managed-by';
export const MANAGED_BY = 'wallarm-oob';

/** Where the engine found a resource it is about to change: tells the user which record to fix. */
export type FoundThrough = 'state' | 'an orphan entry of state' | 'adoption' | 'the leftover search';

export interface OwnershipSubject {
  kind: ResourceKind;
  logicalId: string;
  physicalId: string;
  /** Tags the handler read from AWS (live props `tags`); undefined for kinds AWS cannot tag (scaling policies). */
  tags: Record<string, string> | undefined;
  /** Whether `wallarm-oob:id` must equal logicalId (not for leftovers: their logical id comes from that tag). */
  checkLogicalId: boolean;
}

/**
 * The one place where the tool decides a resource is its own. Every update, replacement and delete of a
 * resource found through state, an orphan entry, adoption or the leftover search calls this first, with the
 * tags read from AWS just before: a state document edited by hand, copied from another deployment or
 * pointing at a recycled id must never make the tool change someone else's resource.
 */
export function verifyOwnership(deployment: string, subject: OwnershipSubject, action: 'update' | 'replace' | 'delete' | 'manage', through: FoundThrough): void {
  const { tags } = subject;
  if (tags === undefined) return;
  const owner = tags[TAG_DEPLOYMENT];
  const id = tags[TAG_LOGICAL_ID];
  const what = `${subject.kind} ${subject.physicalId} (${subject.logicalId}, found through ${through})`;
  if (owner !== deployment) {
    const by = owner === undefined ? `carries no ${TAG_DEPLOYMENT} tag: it was not created by wallarm-oob` : `belongs to deployment "${owner}" (${TAG_DEPLOYMENT}=${owner})`;
    throw new StateError('NOT_OURS', `Refusing to ${action} ${what}: it ${by}, not to "${deployment}". Nothing was changed.`, {
      actions: recovery(deployment),
    });
  }
  if (subject.checkLogicalId && id !== undefined && id !== subject.logicalId) {
    throw new StateError('NOT_OURS', `Refusing to ${action} ${what}: it is this deployment's "${id}" (${TAG_LOGICAL_ID}=${id}), not "${subject.logicalId}". Nothing was changed.`, {
      actions: recovery(deployment),
    });
  }
}

function recovery(deployment: string): string[] {
  return [
    `The state of "${deployment}" points at a resource that is not its own (edited or copied state?). Delete the state parameter ${statePath(deployment)} and run \`wallarm-oob apply\` again: this deployment's own resources are found again by their ${TAG_DEPLOYMENT} / ${TAG_LOGICAL_ID} tags.`,
    'If the resource is really this deployment\'s, restore its tags in the AWS console and run the command again.',
  ];
}
