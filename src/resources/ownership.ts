import { AwsError } from '../errors.js';
import type { ResourceContext } from './types.js';
import { TAG_DEPLOYMENT, TAG_LOGICAL_ID } from './types.js';

/**
 * A create that meets a resource of the same name (CreateX answered "already exists", or PutRule would overwrite
 * an existing rule) may take it over only when it is this very node's: an apply interrupted after the create
 * tagged it with this deployment and this logical id. The engine checks every resource it updates, replaces,
 * deletes or adopts (verifyOwnership, src/engine/ownership.ts, before each handler.update/delete); this is the one
 * check it cannot make, a name taken before the engine knew the resource, and every handler makes it here.
 * `tags`: what AWS answered for the existing resource (none = not ours).
 */
export function verifyNameTakeover(ctx: ResourceContext, what: string, name: string, tags: Readonly<Record<string, string>> | undefined, cause?: unknown): void {
  if (tags?.[TAG_DEPLOYMENT] === ctx.deployment && tags[TAG_LOGICAL_ID] === ctx.logicalId) return;
  const owner = tags?.[TAG_DEPLOYMENT];
  const id = tags?.[TAG_LOGICAL_ID];
  const whose = owner === undefined ? '' : owner !== ctx.deployment ? ` (it belongs to deployment "${owner}")` : id ? ` (it is this deployment's "${id}")` : ` (it carries no ${TAG_LOGICAL_ID} tag)`;
  throw new AwsError('AWS_NAME_TAKEN', `${ctx.logicalId}: ${what} named ${name} already exists and is not managed by this deployment${whose}.`, {
    cause,
    actions: [`Delete or rename ${what.replace(/^an? /, 'the ')} ${name} yourself if it is a leftover, or choose another deployment name.`],
  });
}
