import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { StateError } from '../errors.js';
import { z } from 'zod';
import { RESOURCE_KINDS, type Outputs, type ResourceKind } from '../engine/types.js';
import type { PendingOperation } from './pending.js';

/** What state remembers of one resource: enough to find it, diff it and delete it in the right order. */
export interface ResourceState {
  kind: ResourceKind;
  /** Physical id (ARN, sg-…, ASG name…). */
  id: string;
  /** Short hash of each applied property (never the values: they may be large; never secrets either). */
  hashes: Record<string, string>;
  outputs: Outputs;
  /** Logical ids this resource referenced when applied: the reverse of this is the delete order. */
  deps: string[];
}

/** A resource replaced by a newer one, waiting to be deleted. */
export interface OrphanState {
  logicalId: string;
  kind: ResourceKind;
  id: string;
  deps: string[];
}

export interface StateDocument {
  format: 1;
  deployment: string;
  /** Random id of this deployment's life (a new one after destroy): seeds idempotency tokens. */
  lineage: string;
  /** Increases on every write; plans record it so a stale plan is refused. */
  serial: number;
  topology?: string;
  region?: string;
  resources: Record<string, ResourceState>;
  orphans: OrphanState[];
  outputs: Outputs;
  /**
   * When apply, destroy or an ENI edit last changed this document (ISO 8601). Absent in documents written
   * before it existed: readers show "unknown".
   */
  appliedAt?: string;
  /** True when apply created the token parameter from WALLARM_NODE_TOKEN (destroy then deletes it). */
  ownsTokenParameter?: boolean;
  /** Steps started but not finished by the last run, by logical id (see pending.ts). */
  pending?: Record<string, PendingOperation>;
}


const OutputsSchema = z.record(z.string(), z.union([z.string(), z.number()]));
/** The document's shape; unknown keys are kept (a newer version may add some). */
const StateSchema = z.looseObject({
  format: z.literal(1),
  deployment: z.string().min(1),
  lineage: z.string().min(1),
  serial: z.number().int().min(0),
  topology: z.string().optional(),
  region: z.string().optional(),
  resources: z.record(z.string(), z.looseObject({ kind: z.enum(RESOURCE_KINDS), id: z.string().min(1), hashes: z.record(z.string(), z.string()), outputs: OutputsSchema, deps: z.array(z.string()) })),
  orphans: z.array(z.looseObject({ logicalId: z.string(), kind: z.enum(RESOURCE_KINDS), id: z.string().min(1), deps: z.array(z.string()) })).default([]),
  outputs: OutputsSchema.default({}),
  ownsTokenParameter: z.boolean().optional(),
  appliedAt: z.string().optional(),
  pending: z.record(z.string(), z.object({ operation: z.enum(['create', 'update', 'replace', 'delete']), reason: z.string(), since: z.string() })).optional(),
});

export function emptyState(deployment: string): StateDocument {
  return { format: 1, deployment, lineage: randomUUID(), serial: 0, resources: {}, orphans: [], outputs: {} };
}

/** SSM standard-tier parameters hold at most 4096 characters. */
export const STATE_LIMIT = 4096;
const COMPRESSED_PREFIX = 'gz1:';

/** JSON when it fits, else gzip+base64; an error naming the size when even that does not fit. */
export function encodeState(doc: StateDocument): string {
  const json = JSON.stringify(doc);
  if (json.length <= STATE_LIMIT) return json;
  const packed = COMPRESSED_PREFIX + gzipSync(json, { level: 9 }).toString('base64');
  if (packed.length <= STATE_LIMIT) return packed;
  throw new StateError(
    'STATE_TOO_LARGE',
    `The state of deployment "${doc.deployment}" is ${packed.length} characters compressed, over the ${STATE_LIMIT}-character limit of an SSM standard parameter.`,
    { actions: ['Split the deployment into smaller ones, or report this as a bug: state is designed to stay small.'] },
  );
}

export function decodeState(text: string, parameterName: string): StateDocument {
  try {
    const json = text.startsWith(COMPRESSED_PREFIX)
      ? gunzipSync(Buffer.from(text.slice(COMPRESSED_PREFIX.length), 'base64')).toString('utf8')
      : text;
    const parsed = StateSchema.safeParse(JSON.parse(json));
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    throw Object.assign(new Error(`${issue.path.join('.') || '(document)'}: ${issue.message}`), { zod: parsed.error });
  } catch (cause) {
    const what = cause instanceof SyntaxError ? 'it is not JSON' : `${(cause as Error).message}`;
    throw new StateError('STATE_UNREADABLE', `The state parameter ${parameterName} is not a valid wallarm-oob state document (${what}).`, {
      cause,
      actions: [
        `Inspect it with: aws ssm get-parameter --name ${parameterName}`,
        `To recover, delete it (aws ssm delete-parameter --name ${parameterName}) and run \`wallarm-oob apply\` again: the deployment's resources are found and adopted by their wallarm-oob:deployment / wallarm-oob:id tags, nothing is duplicated.`,
      ],
    });
  }
}
