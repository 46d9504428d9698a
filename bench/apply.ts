import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config/load.js';
import { applyDeployment } from '../src/core/apply.js';
import { Deployment } from '../src/core/deployment.js';
import type { Hooks } from '../src/core/run-plan.js';
import { clock } from '../src/util/clock.js';
import { FakeAws } from '../test/fake-aws/index.js';
import { DELAYS, LATENCY, webServerMirrorCriticalPath } from './model.js';

export interface ApplyRun {
  wallSeconds: number;
  apiCalls: number;
  apiCallsByService: Record<string, number>;
  cpuMs: number;
}

export interface ApplyBenchmark {
  wallSeconds: number;
  modelCriticalPathSeconds: number;
  ratio: number;
  apiCalls: number;
  /** Extras. */
  modelPath: string[];
  runs: number;
  wallSecondsRange: [number, number];
  apiCallsByService: Record<string, number>;
  /** The tool's CPU for one apply (fake excluded, SDK answers as objects: no parsing). Not part of the wall time. */
  cpuMs: number;
}

const quiet: Hooks = { showPlan: () => undefined, confirm: () => Promise.resolve(true), onEvent: () => undefined, info: () => undefined, warn: () => undefined };

/**
 * One `apply` of web-server-mirror against the fake with the latency model (bench/model.ts), in virtual
 * time: wall = the whole command (config load, lock, plan, execution, state and outputs, the final health
 * read, unlock) in simulated seconds. CPU does not advance virtual time, so the wall is the latency model's
 * outcome alone; the tool's CPU is reported apart.
 */
async function applyOnce(): Promise<ApplyRun> {
  const fake = FakeAws.install({ latency: { ...LATENCY }, delays: DELAYS });
  clock.setVirtual(true);
  try {
    const net = fake.standardAccount();
    fake.putParameter('/wallarm-oob/bench/node-token', 'token', { type: 'SecureString' });
    const dir = mkdtempSync(join(tmpdir(), 'wallarm-oob-bench-'));
    const path = join(dir, 'wallarm-oob.yaml');
    writeFileSync(path, stringify({ deployment: 'bench', region: fake.region, topology: 'web-server-mirror', vpcId: net.vpcId, subnets: { loadBalancer: net.privateSubnetIds } }));
    const cpu = process.cpuUsage();
    const fakeCpu = fake.cpuMs;
    const started = clock.now();
    const deployment = new Deployment(await loadConfig(path), {});
    const result = await applyDeployment(deployment, { autoApprove: true, parallelism: 10, lockTimeoutMs: 0, wait: true }, quiet);
    const wallMs = clock.now() - started;
    const used = process.cpuUsage(cpu);
    if (result.health?.healthy !== result.health?.total || !result.health?.total) throw new Error(`bench apply ended with unhealthy targets: ${JSON.stringify(result.health)}`);
    const byService: Record<string, number> = {};
    for (const c of fake.calls) byService[c.service] = (byService[c.service] ?? 0) + 1;
    return { wallSeconds: wallMs / 1000, apiCalls: fake.calls.length, apiCallsByService: byService, cpuMs: (used.user + used.system) / 1000 - (fake.cpuMs - fakeCpu) };
  } finally {
    clock.setVirtual(false);
    fake.uninstall();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function applyBenchmark(runs: number): Promise<ApplyBenchmark> {
  await applyOnce(); // warm-up: module loading is start-up time, measured by the start-up benchmark
  const results: ApplyRun[] = [];
  for (let i = 0; i < runs; i++) results.push(await applyOnce());
  const walls = results.map((r) => r.wallSeconds);
  const wall = median(walls);
  const model = webServerMirrorCriticalPath();
  const typical = results.find((r) => r.wallSeconds === wall)!;
  return {
    wallSeconds: round(wall, 1),
    modelCriticalPathSeconds: round(model.ms / 1000, 1),
    ratio: round(wall / (model.ms / 1000), 3),
    apiCalls: typical.apiCalls,
    modelPath: model.path,
    runs,
    wallSecondsRange: [round(Math.min(...walls), 1), round(Math.max(...walls), 1)],
    apiCallsByService: typical.apiCallsByService,
    cpuMs: Math.round(median(results.map((r) => r.cpuMs))),
  };
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
