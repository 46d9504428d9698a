import type { StateDocument } from '../state/document.js';
import type { HandlerLoader, Live, ReadBatch, ResourceContext } from './handler.js';
import type { Props, ResourceKind } from './types.js';

export interface RefreshOptions {
  loadHandler: HandlerLoader;
  /** The context a read runs with; `logicalId` names what is read (several ids for a batched read). */
  context: (logicalId: string) => ResourceContext;
  /** Kinds read at once, each with its own calls (a kind without readMany reads its resources this many at a time too). */
  parallelism?: number;
}

/**
 * Reads every resource in state (drift detection): one readMany() per kind whose handler batches (one describe
 * for all the kind's ids), read() per resource for the others; all kinds at once, sharing one ReadBatch (reads
 * that answer for several kinds). Undefined = deleted outside the tool.
 */
export async function readState(state: StateDocument, options: RefreshOptions): Promise<Map<string, Live<Props> | undefined>> {
  const byKind = new Map<ResourceKind, [logicalId: string, physicalId: string][]>();
  for (const [id, resource] of Object.entries(state.resources)) byKind.set(resource.kind, [...(byKind.get(resource.kind) ?? []), [id, resource.id]]);
  const limit = options.parallelism ?? 10;
  const sharedReads = new Map<string, Promise<unknown>>();
  const batch: ReadBatch = {
    idsOf: (kind) => (byKind.get(kind) ?? []).map(([, physicalId]) => physicalId),
    shared: <T>(key: string, read: () => Promise<T>): Promise<T> => {
      if (!sharedReads.has(key)) sharedReads.set(key, read());
      return sharedReads.get(key) as Promise<T>;
    },
  };
  const read = async ([kind, entries]: [ResourceKind, [string, string][]]): Promise<[string, Live<Props> | undefined][]> => {
    const handler = await options.loadHandler(kind);
    if (handler.readMany && entries.length > 0) {
      const live = await handler.readMany(
        options.context(entries.map(([id]) => id).join(', ')),
        entries.map(([, physicalId]) => physicalId),
        batch,
      );
      return entries.map(([id, physicalId]) => [id, live.get(physicalId)]);
    }
    const out: [string, Live<Props> | undefined][] = [];
    for (let i = 0; i < entries.length; i += limit) {
      const batch = entries.slice(i, i + limit);
      out.push(...(await Promise.all(batch.map(async ([id, physicalId]) => [id, await handler.read(options.context(id), physicalId)] as [string, Live<Props> | undefined]))));
    }
    return out;
  };
  const perKind = await Promise.all([...byKind].map(read));
  return new Map(perKind.flat());
}
