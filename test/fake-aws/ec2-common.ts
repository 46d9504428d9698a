/** Rules every EC2 model shares: ARNs, tags at creation, ClientToken idempotency. */
import type * as E from '@aws-sdk/client-ec2';
import { awsError } from './errors.js';
import type { World } from './world.js';
import { required, stableJson, type TagLike, type Tags } from './util.js';

const TAG_LIMIT = 50;

export function ec2Arn(w: World, type: string, id: string): string {
  return `arn:aws:ec2:${w.region}:${w.accountId}:${type}/${id}`;
}

/** Adds one tag as EC2 validates it: `aws:*` keys reserved, key ≤ 128, value ≤ 256, at most 50 tags. */
export function putTag(tags: Tags, t: TagLike): void {
  const key = required(t.Key, 'Tag.Key', 'InvalidParameterValue');
  if (key.toLowerCase().startsWith('aws:')) {
    throw awsError('InvalidParameterValue', `Tag keys starting with 'aws:' are reserved for internal use`);
  }
  if (key.length > 128 || (t.Value ?? '').length > 256) throw awsError('InvalidParameterValue', `Tag key or value too long: ${key}`);
  tags.set(key, t.Value ?? '');
  if (tags.size > TAG_LIMIT) throw awsError('TagLimitExceeded', `The maximum number of tags (${TAG_LIMIT}) for a resource has been reached.`);
}

/** The tags of a create call's TagSpecifications, which may only name the created resource's type. */
export function tagsFromSpecs(specs: E.TagSpecification[] | undefined, resourceType: string): Tags {
  const tags: Tags = new Map();
  for (const spec of specs ?? []) {
    if (spec.ResourceType !== resourceType) {
      throw awsError('InvalidParameterValue', `'${spec.ResourceType}' is not a valid taggable resource type for this operation.`);
    }
    for (const t of spec.Tags ?? []) putTag(tags, t);
  }
  return tags;
}

/** ClientToken idempotency, as EC2 does it: same token + same request -> same result; else IdempotentParameterMismatch. */
export class ClientTokens {
  private readonly seen = new Map<string, { fingerprint: string; result: unknown }>();

  run<T>(op: string, token: string | undefined, input: object, make: () => T): T {
    if (!token) return make();
    const fingerprint = stableJson({ ...input, ClientToken: undefined, DryRun: undefined });
    const key = `${op}:${token}`;
    const seen = this.seen.get(key);
    if (seen) {
      if (seen.fingerprint !== fingerprint) {
        throw awsError('IdempotentParameterMismatch', `Arguments on this idempotent request are inconsistent with arguments used in previous request(s).`);
      }
      return structuredClone(seen.result) as T;
    }
    const result = make();
    this.seen.set(key, { fingerprint, result: structuredClone(result) });
    return result;
  }
}

/** `MaxResults` of the EC2 describes documented as 5-1000. */
export function checkMaxResults(max: number | undefined): void {
  if (max !== undefined && (max < 5 || max > 1000)) {
    throw awsError('InvalidParameterValue', `Value (${max}) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
  }
}
