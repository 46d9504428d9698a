import type { Outputs, ResourceKind } from '../engine/types.js';
import type { StateDocument } from './document.js';
import type { PendingOperation } from './pending.js';

/** One resource the deployment owns, as a person reads it: no property hashes. */
export interface OwnedResource {
  logicalId: string;
  kind: ResourceKind;
  physicalId: string;
  /** Logical ids it was created from (references in its properties). */
  dependsOn: string[];
  /** Logical ids created from it. */
  usedBy: string[];
  outputs: Outputs;
  /** A leftover of a replacement, deleted by the next apply. */
  orphan?: true;
  /** A step the last run started on it but did not finish (apply retries it). */
  pending?: PendingOperation;
}

export interface StateView {
  deployment: string;
  topology?: string;
  region?: string;
  serial: number;
  /** Last apply/destroy that changed state; null when the document predates the field. */
  appliedAt: string | null;
  resources: OwnedResource[];
  /** Steps the last run left unfinished on resources state does not hold (a create that never completed). */
  pending: Record<string, PendingOperation>;
  outputs: Outputs;
  ownsTokenParameter: boolean;
}

/** The state document as a person (or `--json`) needs it: what is owned, its ids, when it was last applied. */
export function viewState(doc: StateDocument): StateView {
  const usedBy = new Map<string, string[]>();
  for (const [id, r] of Object.entries(doc.resources)) for (const dep of r.deps) usedBy.set(dep, [...(usedBy.get(dep) ?? []), id]);
  const resources: OwnedResource[] = Object.entries(doc.resources)
    .map(([logicalId, r]) => ({
      logicalId,
      kind: r.kind,
      physicalId: r.id,
      dependsOn: [...r.deps].sort(),
      usedBy: (usedBy.get(logicalId) ?? []).sort(),
      outputs: r.outputs,
      ...(doc.pending?.[logicalId] && { pending: doc.pending[logicalId] }),
    }))
    .sort((a, b) => a.logicalId.localeCompare(b.logicalId));
  for (const o of doc.orphans) {
    resources.push({ logicalId: o.logicalId, kind: o.kind, physicalId: o.id, dependsOn: [...o.deps].sort(), usedBy: [], outputs: {}, orphan: true });
  }
  return {
    deployment: doc.deployment,
    ...(doc.topology && { topology: doc.topology }),
    ...(doc.region && { region: doc.region }),
    serial: doc.serial,
    appliedAt: doc.appliedAt ?? null,
    resources,
    pending: Object.fromEntries(Object.entries(doc.pending ?? {}).filter(([id]) => !doc.resources[id])),
    outputs: doc.outputs,
    ownsTokenParameter: doc.ownsTokenParameter ?? false,
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}

const outputLines = (outputs: Outputs, indent: string) =>
  Object.keys(outputs)
    .sort()
    .map((k) => `${indent}${k} = ${String(outputs[k])}`);

export function formatStateList(view: StateView): string {
  const header = [
    `Deployment ${view.deployment}${view.topology ? ` (${view.topology}` : ''}${view.region ? `, ${view.region})` : view.topology ? ')' : ''}`,
    `Last applied: ${view.appliedAt ?? 'unknown (state written by an older wallarm-oob)'}; state serial ${view.serial}`,
  ];
  if (view.resources.length === 0) return [...header, '', 'No resources: the deployment owns nothing in AWS.'].join('\n');
  const rows = [['LOGICAL ID', 'KIND', 'PHYSICAL ID'], ...view.resources.map((r) => [r.orphan ? `${r.logicalId} (orphan)` : r.logicalId, r.kind, r.physicalId])];
  const lines = [...header, '', table(rows)];
  const unfinished = [
    ...view.resources.filter((r) => r.pending).map((r) => [r.logicalId, r.pending!] as const),
    ...Object.entries(view.pending),
  ];
  if (unfinished.length > 0) {
    lines.push('', 'Unfinished steps of the last run (apply retries them):');
    for (const [id, p] of unfinished) lines.push(`  ${id}: ${p.operation} started ${p.since}: ${p.reason}`);
  }
  if (view.ownsTokenParameter) lines.push('', 'Also owns the node token parameter (created by apply from WALLARM_NODE_TOKEN; destroy deletes it).');
  const outs = outputLines(view.outputs, '  ');
  if (outs.length > 0) lines.push('', 'Outputs:', ...outs);
  return lines.join('\n');
}

export function formatStateResource(r: OwnedResource): string {
  const lines = [`${r.logicalId} (${r.kind})${r.orphan ? ': orphan of a replacement, deleted by the next apply' : ''}`, `  physical id: ${r.physicalId}`];
  lines.push(`  depends on: ${r.dependsOn.length ? r.dependsOn.join(', ') : '(nothing)'}`);
  lines.push(`  used by:    ${r.usedBy.length ? r.usedBy.join(', ') : '(nothing)'}`);
  if (r.pending) lines.push(`  unfinished: ${r.pending.operation} started ${r.pending.since}: ${r.pending.reason} (apply retries it)`);
  const outs = outputLines(r.outputs, '    ');
  lines.push(outs.length ? '  outputs:' : '  outputs: (none)', ...outs);
  return lines.join('\n');
}
