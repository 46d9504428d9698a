import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { StateError } from '../errors.js';
import { z } from 'zod';
import { RESOURCE_KINDS, type Outputs, type ResourceKind } from '../engine/types.js';
import { pack, PACKED_PREFIX, unpack } from './packing.js';
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

/**
 * 1: JSON, or gzip+base64 ("gz1:") when over the limit. 2 (this release): the packed form ("oob2:", see
 * packing.ts) or JSON in an advanced-tier parameter. This release reads both and writes format 1 whenever the
 * document fits a standard parameter as plain JSON (what the releases before format 2 can read), else format 2.
 */
export type StateFormat = 1 | 2;
export const STATE_FORMAT = 2;

export interface StateDocument {
  format: StateFormat;
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
  /**
   * 'Advanced' once the document outgrew a standard parameter and was moved to the advanced tier (8 KB, paid);
   * AWS never moves a parameter back, so every later write asks for that tier too.
   */
  parameterTier?: 'Advanced';
}


const OutputsSchema = z.record(z.string(), z.union([z.string(), z.number()]));
/** The document's shape; unknown keys are kept (a newer version may add some). */
const StateSchema = z.looseObject({
  format: z.union([z.literal(1), z.literal(2)]),
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
  parameterTier: z.literal('Advanced').optional(),
});

export function emptyState(deployment: string): StateDocument {
  return { format: STATE_FORMAT, deployment, lineage: randomUUID(), serial: 0, resources: {}, orphans: [], outputs: {} };
}

/** SSM standard-tier parameters hold at most 4096 characters; advanced-tier ones 8192 (and cost $0.05 a month). */
export const STATE_LIMIT = 4096;
export const ADVANCED_STATE_LIMIT = 8192;
const GZIP_PREFIX = 'gz1:';
/** Pending reasons are diagnostics: shortened, then left out, before a document is refused for its size. */
const SHORT_REASON = 80;

/**
 * Plain JSON when it fits, else the packed form, within a standard parameter when possible and otherwise an
 * advanced one (the document then says so: `parameterTier`); an error naming the size when nothing fits.
 */
export function encodeState(doc: StateDocument): string {
  return encodeStateForTier(doc).value;
}

/**
 * The encoded document and the parameter tier it needs. A document that fits a standard parameter as plain JSON is
 * written as format 1, which the releases before format 2 still read (a team whose CI image lags behind a laptop
 * keeps working); only a packed or advanced-tier document needs format 2.
 */
export function encodeStateForTier(doc: StateDocument): { value: string; tier: 'Standard' | 'Advanced' } {
  if (doc.parameterTier !== 'Advanced') {
    const plain = JSON.stringify({ ...doc, format: 1 });
    if (plain.length <= STATE_LIMIT) return { value: plain, tier: 'Standard' };
  }
  const current: StateDocument = { ...doc, format: STATE_FORMAT };
  const tiers = current.parameterTier === 'Advanced' ? [ADVANCED_STATE_LIMIT] : [STATE_LIMIT, ADVANCED_STATE_LIMIT];
  let smallest = Infinity;
  for (const limit of tiers) {
    const tiered: StateDocument = limit > STATE_LIMIT ? { ...current, parameterTier: 'Advanced' } : current;
    const candidates = tiered.pending ? [tiered, withReasons(tiered, SHORT_REASON), withReasons(tiered, 0)] : [tiered];
    for (const candidate of candidates) {
      const json = JSON.stringify(candidate);
      const text = json.length <= limit ? json : pack(candidate);
      if (text.length <= limit) return { value: text, tier: candidate.parameterTier ?? 'Standard' };
      smallest = Math.min(smallest, text.length);
    }
  }
  throw new StateError(
    'STATE_TOO_LARGE',
    `The state of deployment "${doc.deployment}" is ${smallest} characters compressed, over the ${ADVANCED_STATE_LIMIT}-character limit of an SSM advanced parameter.`,
    { actions: ['Split the deployment into smaller ones, or report this as a bug: state is designed to stay small.'] },
  );
}

/** The document with pending reasons cut to `length` characters; 0 leaves them out ("": see pendingNotes). */
function withReasons(doc: StateDocument, length: number): StateDocument {
  const cut = (reason: string) => (reason.length <= length ? reason : length === 0 ? '' : `${reason.slice(0, length)}…`);
  return { ...doc, pending: Object.fromEntries(Object.entries(doc.pending ?? {}).map(([id, p]) => [id, { ...p, reason: cut(p.reason) }])) };
}

/** Plan note when state is kept in a paid advanced-tier parameter (docs/decisions/0006). */
export function stateTierNotes(doc: StateDocument): string[] {
  if (doc.parameterTier !== 'Advanced') return [];
  return [
    'State is kept in an SSM advanced-tier parameter (it outgrew the 4,096 characters of a standard one): $0.05 a month (aws.amazon.com/systems-manager/pricing); AWS never moves a parameter back to the free standard tier, `destroy` deletes it.',
  ];
}

export function decodeState(text: string, parameterName: string): StateDocument {
  refuseNewerFormat(/^oob(\d+):/.exec(text)?.[1], parameterName);
  try {
    const document = parseText(text);
    refuseNewerFormat((document as { format?: unknown } | null)?.format, parameterName);
    const parsed = StateSchema.safeParse(document);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    throw Object.assign(new Error(`${issue.path.join('.') || '(document)'}: ${issue.message}`), { zod: parsed.error });
  } catch (cause) {
    if (cause instanceof StateError) throw cause;
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

function parseText(text: string): unknown {
  if (text.startsWith(PACKED_PREFIX)) return unpack(text);
  if (text.startsWith(GZIP_PREFIX)) return JSON.parse(gunzipSync(Buffer.from(text.slice(GZIP_PREFIX.length), 'base64')).toString('utf8'));
  return JSON.parse(text);
}

/**
 * A document of a format this release does not know was written by a newer wallarm-oob: it is valid, and
 * "delete it" (the advice for a damaged one) would be wrong.
 */
function refuseNewerFormat(found: unknown, parameterName: string): void {
  const format = Number(found);
  if (!Number.isInteger(format) || format <= STATE_FORMAT) return;
  throw new StateError(
    'STATE_FORMAT_NEWER',
    `The state parameter ${parameterName} was written by a newer wallarm-oob (state format ${format}; this release reads formats 1 to ${STATE_FORMAT}).`,
    {
      actions: [
        'Upgrade wallarm-oob to the release your team last applied with (npm install -g wallarm-oob@latest), then run the command again.',
        'Do not delete the parameter: it is a valid state document.',
      ],
    },
  );
}
