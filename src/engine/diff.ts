import { shortHash } from '../util/hash.js';
import type { StateDocument } from '../state/document.js';
import { propDiffers } from './compare.js';
import { dependenciesOf, topologicalOrder } from './graph.js';
import type { ResourceHandler } from './handler.js';
import type { DeleteAction, PlannedAction, PropChange } from './plan.js';
import { isUnknown, unknown, type Graph, type Props, type ResourceKind, type Value } from './types.js';
import { containsUnknown, resolveValue } from './values.js';

/** What the diff needs to know of a resource kind (taken from its handler; kept as data so the diff stays pure). */
export interface KindTraits {
  replaceOn: readonly string[];
  ignoreLiveChanges?: readonly string[];
  /** Outputs that change when the resource is updated in place (a launch template's latest version). */
  outputsChangedByUpdate?: readonly string[];
  /** The comparable form of props (sorted id lists, canonical JSON): what read() returns. */
  normalize?: (props: Props) => Props;
}

/** A handler's traits, as data. */
export function traitsOf(handler: ResourceHandler<Props>): KindTraits {
  return {
    replaceOn: handler.replaceOn,
    ignoreLiveChanges: handler.ignoreLiveChanges,
    outputsChangedByUpdate: handler.outputsChangedByUpdate,
    normalize: handler.normalize?.bind(handler),
  };
}

/** A live read: the resource's properties, or undefined when it is gone. */
export interface LiveView {
  props: Props;
}

export interface DiffInput {
  graph: Graph;
  state: StateDocument;
  /** Live reads of every resource in state (undefined = deleted outside the tool). */
  live: ReadonlyMap<string, LiveView | undefined>;
  traits: (kind: ResourceKind) => KindTraits;
}

/** Hash of each property as applied, stored in state to tell config edits from drift. */
export function propHashes(props: Props): Record<string, string> {
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, shortHash(v)]));
}

/**
 * Compares the desired graph with state and live reads. Pure: no AWS calls. Nodes are visited in
 * dependency order so a resource waiting on a new or changed one sees that output as unknown.
 */
export function diff(input: DiffInput): PlannedAction[] {
  const { graph, state, live, traits } = input;
  const actions = new Map<string, PlannedAction>();

  const lookup = (ref: { $ref: string; attr: string }) => {
    const dep = actions.get(ref.$ref);
    const known = state.resources[ref.$ref]?.outputs[ref.attr];
    const changesOutput =
      dep?.action === 'create' ||
      dep?.action === 'replace' ||
      (dep?.action === 'update' && (traits(dep.kind).outputsChangedByUpdate ?? []).includes(ref.attr));
    if (changesOutput || known === undefined) return unknown(`${ref.$ref}.${ref.attr}`);
    return known;
  };

  for (const node of topologicalOrder(graph)) {
    const existing = state.resources[node.id];
    const desired = resolveValue(node.props, lookup) as Props;
    if (!existing) {
      actions.set(node.id, { id: node.id, kind: node.kind, action: 'create', reasons: ['new resource'], changes: [] });
      continue;
    }
    const current = live.get(node.id);
    if (!current) {
      actions.set(node.id, {
        id: node.id,
        kind: node.kind,
        action: 'create',
        physicalId: existing.id,
        reasons: [`${existing.id} was deleted outside wallarm-oob`],
        changes: [],
      });
      continue;
    }
    const kindTraits = traits(node.kind);
    const comparable = kindTraits.normalize ? kindTraits.normalize(desired) : desired;
    const changes = compareProps(comparable, current.props, existing.hashes, kindTraits);
    actions.set(node.id, {
      id: node.id,
      kind: node.kind,
      action: changes.length === 0 ? 'noop' : changes.some((c) => c.forcesReplacement) ? 'replace' : 'update',
      physicalId: existing.id,
      reasons: changes.map(describeChange),
      changes,
    });
  }

  const wanted = new Set(graph.nodes.map((n) => n.id));
  const deletes: DeleteAction[] = [];
  for (const [id, resource] of Object.entries(state.resources)) {
    if (wanted.has(id)) continue;
    deletes.push({ id, kind: resource.kind, action: 'delete', physicalId: resource.id, reasons: ['no longer in the configuration'], changes: [] });
  }
  for (const orphan of state.orphans) {
    deletes.push({
      id: orphan.logicalId,
      kind: orphan.kind,
      action: 'delete',
      physicalId: orphan.id,
      orphan: true,
      reasons: ['replaced by a new resource'],
      changes: [],
    });
  }
  return [...actions.values(), ...deletes];
}

/** Deletes everything in state (destroy). */
export function destroyActions(state: StateDocument): DeleteAction[] {
  return diff({ graph: { nodes: [], outputs: {} }, state, live: new Map(), traits: () => ({ replaceOn: [] }) })
    .filter((a): a is DeleteAction => a.action === 'delete')
    .map((a) => ({ ...a, reasons: a.orphan ? a.reasons : ['destroy'] }));
}

function compareProps(desired: Props, live: Props, applied: Record<string, string>, traits: KindTraits): PropChange[] {
  const changes: PropChange[] = [];
  for (const [prop, after] of Object.entries(desired)) {
    const before = live[prop];
    const forcesReplacement = traits.replaceOn.includes(prop);
    if (containsUnknown(after)) {
      changes.push({ prop, before, after, cause: 'dependency', forcesReplacement });
      continue;
    }
    const configChanged = applied[prop] !== shortHash(after);
    if (traits.ignoreLiveChanges?.includes(prop)) {
      if (configChanged) changes.push({ prop, before, after, cause: 'config', forcesReplacement });
      continue;
    }
    if (propDiffers(after, before)) changes.push({ prop, before, after, cause: configChanged ? 'config' : 'drift', forcesReplacement });
  }
  return changes;
}

function describeChange(change: PropChange): string {
  const what =
    change.cause === 'dependency'
      ? `\`${change.prop}\` depends on ${describeUnknown(change.after)} (known after apply)`
      : change.cause === 'config'
        ? `\`${change.prop}\` changed in the configuration`
        : `\`${change.prop}\` was changed outside wallarm-oob`;
  return change.forcesReplacement ? `${what} (forces replacement)` : what;
}

function describeUnknown(value: Value | undefined): string {
  if (isUnknown(value)) return value.$unknown;
  if (Array.isArray(value)) return value.filter(isUnknown).map((v) => v.$unknown).join(', ') || 'another resource';
  if (value && typeof value === 'object') return Object.values(value).map(describeUnknown).filter(Boolean).join(', ');
  return 'another resource';
}

export { dependenciesOf };
