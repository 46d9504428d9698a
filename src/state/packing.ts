import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

/**
 * The dense form of a state document that does not fit as plain JSON (format 2, docs/decisions/0006).
 *
 * Property hashes are random: as hex text inside compressed JSON they cost about twice their 4 bytes, so they
 * travel as raw bytes after the JSON (one NUL between: JSON text never holds a raw NUL), in resource and
 * property order, and each resource lists the names of its packed properties. Outputs equal to the resource's
 * own id are written once, and so are the kind and dependencies of an orphan replaced by a resource of the same
 * logical id (every replacement). Brotli compresses the JSON part denser than gzip (format 1's "gz1:").
 */
export const PACKED_PREFIX = 'oob2:';

/** One resource as stored; in memory `hashes` holds every property (see ResourceState). */
interface PackedResource {
  hashes?: Record<string, string>;
  /** Properties whose hash travels as 4 raw bytes after the JSON. */
  packed?: string[];
  outputs: Record<string, string | number>;
  /** Outputs whose value is the resource's id. */
  outputsSameAsId?: string[];
  id: string;
  [key: string]: unknown;
}

/** An orphan; kind and deps are left out when they are those of the resource that replaced it. */
interface PackedOrphan {
  logicalId: string;
  kind?: string;
  deps?: string[];
  [key: string]: unknown;
}

const HASH_BYTES = 4;
const PACKABLE = /^[0-9a-f]{8}$/;

interface Packable {
  resources: Record<string, { kind: string; hashes: Record<string, string>; outputs: Record<string, string | number>; id: string; deps: string[] }>;
  orphans: { logicalId: string; kind: string; deps: string[] }[];
}

export function pack(doc: Packable): string {
  const hashBytes: Buffer[] = [];
  const resources: Record<string, PackedResource> = {};
  for (const [logicalId, resource] of Object.entries(doc.resources)) {
    const packed = Object.keys(resource.hashes).filter((prop) => PACKABLE.test(resource.hashes[prop]!));
    const rest = Object.fromEntries(Object.entries(resource.hashes).filter(([prop]) => !packed.includes(prop)));
    for (const prop of packed) hashBytes.push(Buffer.from(resource.hashes[prop]!, 'hex'));
    const sameAsId = Object.keys(resource.outputs).filter((name) => resource.outputs[name] === resource.id);
    const { hashes: _hashes, ...kept } = resource;
    resources[logicalId] = {
      ...kept,
      ...(Object.keys(rest).length > 0 ? { hashes: rest } : {}),
      packed,
      outputs: Object.fromEntries(Object.entries(resource.outputs).filter(([name]) => !sameAsId.includes(name))),
      ...(sameAsId.length > 0 ? { outputsSameAsId: sameAsId } : {}),
    };
  }
  const orphans = doc.orphans.map((orphan): PackedOrphan => {
    const successor = doc.resources[orphan.logicalId];
    if (successor?.kind !== orphan.kind || JSON.stringify(successor.deps) !== JSON.stringify(orphan.deps)) return orphan;
    const { kind: _kind, deps: _deps, ...rest } = orphan;
    return rest;
  });
  const json = Buffer.from(JSON.stringify({ ...doc, resources, orphans }), 'utf8');
  const bytes = Buffer.concat([json, Buffer.from([0]), ...hashBytes]);
  const compressed = brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  return PACKED_PREFIX + compressed.toString('base64');
}

/** The plain document (format 2 JSON, every hash back in `hashes`) of a packed text. */
export function unpack(text: string): unknown {
  const bytes = brotliDecompressSync(Buffer.from(text.slice(PACKED_PREFIX.length), 'base64'));
  const split = bytes.indexOf(0);
  if (split < 0) throw new Error('the packed document has no property hashes section');
  const doc = JSON.parse(bytes.subarray(0, split).toString('utf8')) as { resources?: Record<string, PackedResource>; orphans?: PackedOrphan[] };
  let offset = split + 1;
  for (const resource of Object.values(doc.resources ?? {})) {
    const hashes: Record<string, string> = { ...resource.hashes };
    for (const prop of resource.packed ?? []) {
      if (offset + HASH_BYTES > bytes.length) throw new Error('the packed document is truncated (property hashes missing)');
      hashes[prop] = bytes.subarray(offset, offset + HASH_BYTES).toString('hex');
      offset += HASH_BYTES;
    }
    for (const name of resource.outputsSameAsId ?? []) resource.outputs[name] = resource.id;
    resource.hashes = hashes;
    delete resource.packed;
    delete resource.outputsSameAsId;
  }
  if (offset !== bytes.length) throw new Error('the packed document has more property hashes than properties');
  for (const orphan of doc.orphans ?? []) {
    if (orphan.kind !== undefined) continue;
    const successor = doc.resources?.[orphan.logicalId];
    if (!successor) throw new Error(`orphan ${orphan.logicalId} names no kind and no resource replaced it`);
    orphan.kind = successor.kind as string;
    orphan.deps = [...(successor.deps as string[])];
  }
  return doc;
}
