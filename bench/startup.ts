import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Wall time of a full process start (node + oclif + command), median of `runs`. */
function time(args: string[], runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd: root, env: { PATH: process.env.PATH, HOME: '/nonexistent' }, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(samples);
}

/** Medians of `runs` starts each, in ms: `--help`, a no-op `plan --offline`, and node itself doing nothing (the floor). */
export function startupBenchmark(runs = 9): { helpMs: number; planOfflineMs: number; nodeBareMs: number } {
  if (!existsSync(`${root}/dist/commands/plan.js`) || !existsSync(`${root}/oclif.manifest.json`)) {
    execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  }
  return {
    helpMs: Math.round(time(['bin/run.js', '--help'], runs)),
    planOfflineMs: Math.round(time(['bin/run.js', 'plan', '--offline', '-c', 'examples/web-server-mirror.yaml'], runs)),
    nodeBareMs: Math.round(time(['-e', ''], runs)),
  };
}
