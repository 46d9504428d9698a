import { AwsError } from '../errors.js';
import type { ResourceContext } from './types.js';
import { TAG_DEPLOYMENT } from './types.js';

/** Refuses to change or delete a resource that does not carry this deployment's tag. */
export function assertOurs(ctx: ResourceContext, what: string, tags: Readonly<Record<string, string>> | undefined): void {
  const owner = tags?.[TAG_DEPLOYMENT];
  if (owner === ctx.deployment) return;
  throw new AwsError('AWS_NOT_OURS', `${ctx.logicalId}: ${what} is not tagged ${TAG_DEPLOYMENT}=${ctx.deployment}${owner ? ` (it belongs to deployment ${owner})` : ''}; wallarm-oob changes and deletes only what it created.`, {
    actions: [`Rename or delete ${what} yourself if it is a leftover, or choose another deployment name.`],
  });
}
