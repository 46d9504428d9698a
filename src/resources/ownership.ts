import { verifyOwnership } from '../engine/ownership.js';
import type { ResourceKind } from '../engine/types.js';
import type { ResourceContext } from './types.js';

/**
 * A create that finds a resource of the same name already there (CreateX answered "already exists", or PutRule
 * would overwrite it) may reuse it only when it is this node's: an apply interrupted after the create. The engine
 * checks every resource it updates, replaces, deletes or adopts (src/engine/executor.ts); this is the one case it
 * cannot see, a name taken before the engine knew the resource, and it is decided by the same rule
 * (verifyOwnership). `tags`: what AWS answered for the existing resource (none = not ours).
 */
export function verifyNameTakeover(ctx: ResourceContext, kind: ResourceKind, name: string, tags: Readonly<Record<string, string>> | undefined): void {
  verifyOwnership(ctx.deployment, { kind, logicalId: ctx.logicalId, physicalId: name, tags: { ...tags }, checkLogicalId: true }, 'manage', 'its name');
}
