/**
 * The longest chain of dependent steps, by measured step duration: the wall time an executor with
 * unlimited parallelism and zero overhead would need for the same steps.
 */
export function criticalPath(durations: Map<string, number>, dependsOn: (id: string) => string[]): { ms: number; path: string[] } {
  const memo = new Map<string, { ms: number; path: string[] }>();
  const longest = (id: string): { ms: number; path: string[] } => {
    const known = memo.get(id);
    if (known) return known;
    let best = { ms: 0, path: [] as string[] };
    for (const dep of dependsOn(id)) {
      if (!durations.has(dep)) continue;
      const candidate = longest(dep);
      if (candidate.ms > best.ms) best = candidate;
    }
    const result = { ms: best.ms + (durations.get(id) ?? 0), path: [...best.path, id] };
    memo.set(id, result);
    return result;
  };
  let overall = { ms: 0, path: [] as string[] };
  for (const id of durations.keys()) {
    const candidate = longest(id);
    if (candidate.ms > overall.ms) overall = candidate;
  }
  return overall;
}
