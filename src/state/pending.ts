import type { StateDocument } from './document.js';

/** A step that started but did not finish: shown by plan, retried by the next apply, cleared once it succeeds. */
export interface PendingOperation {
  operation: 'create' | 'update' | 'replace' | 'delete';
  /** Why it did not finish: the error's one-line message (never a secret: AWS and our messages carry none). */
  reason: string;
  since: string;
}

export function markPending(doc: StateDocument, logicalId: string, operation: PendingOperation['operation'], error: unknown, now = new Date()): void {
  const reason = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 300) : String(error).slice(0, 300);
  (doc.pending ??= {})[logicalId] = { operation, reason, since: now.toISOString() };
}

export function clearPending(doc: StateDocument, logicalId: string): void {
  if (!doc.pending?.[logicalId]) return;
  delete doc.pending[logicalId];
  if (Object.keys(doc.pending).length === 0) delete doc.pending;
}

/** Plan notes for what the last run left unfinished. */
export function pendingNotes(doc: StateDocument): string[] {
  return Object.entries(doc.pending ?? {}).map(
    ([id, p]) => `${id}: the ${p.operation} started ${p.since} did not finish (${p.reason || 'reason not kept: state size limit'}); apply retries it.`,
  );
}
