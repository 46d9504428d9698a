/**
 * The `--debug` trace: one line per AWS call and per executor decision, on stderr. Off unless the command
 * runs with --debug or WALLARM_OOB_LOG=debug. Callers pass names, ids and codes only, never values that
 * could hold a secret.
 */
let enabled = process.env.WALLARM_OOB_LOG === 'debug';
let sink: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

export function enableDebugLog(on = true): void {
  enabled = on;
}

export function debugLogEnabled(): boolean {
  return enabled;
}

/** Tests capture the trace instead of writing it to stderr; returns the function that restores stderr. */
export function captureDebugLog(capture: (line: string) => void): () => void {
  const previous = sink;
  sink = capture;
  return () => {
    sink = previous;
  };
}

export function debugLog(topic: string, fields: Record<string, string | number | boolean | undefined>): void {
  if (!enabled) return;
  const parts = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${String(value)}`);
  sink(`[debug] ${topic} ${parts.join(' ')}`);
}
