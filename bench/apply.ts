import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config/load.js';
import { applyDeployment } from '../src/core/apply.js';
import { Deployment } from '../src/core/deployment.js';
import type { Hooks } from '../src/core/run-plan.js';
import type { StepEvent } from '../src/engine/executor.js';
import { dependenciesOf } from '../src/engine/graph.js';
import type { Plan } from '../src/engine/plan.js';
import { clock } from '../src/util/clock.js';
import { FakeAws } from '../test/fake-aws/index.js';
import { criticalPath } from './critical-path.js';

export interface ApplyBenchmark {
  simulatedWallMs: number;
  simulatedCriticalPathMs: number;
  ratio: number;
  path: string[];
  apiCalls: number;
  apiCallsByService: Record<string, number>;
}

/**
 * Applies web-server-mirror against the fake with AWS-like latencies (every call 100-300 ms, the ALB
 * ~3 min to provision, instances ~90 s to be InService and ~30 s more to be healthy), time-scaled.
 * The critical path is the longest chain of dependent steps by their measured durations.
 */
export async function applyBenchmark(scale = 0.01): Promise<ApplyBenchmark> {
  const fake = FakeAws.install({
    latency: { default: 150, CreateLoadBalancer: 300, CreateAutoScalingGroup: 300, RunInstances: 300, DescribeLoadBalancers: 100, GetParameter: 100, PutParameter: 120 },
    delays: { lbActiveMs: 180_000, instanceInServiceMs: 90_000, targetHealthyMs: 30_000 },
  });
  try {
    const net = fake.standardAccount();
    clock.setScale(scale);
    fake.putParameter('/wallarm-oob/bench/node-token', 'token', { type: 'SecureString' });
    const dir = mkdtempSync(join(tmpdir(), 'wallarm-oob-bench-'));
    const path = join(dir, 'wallarm-oob.yaml');
    writeFileSync(
      path,
      stringify({ deployment: 'bench', region: fake.region, topology: 'web-server-mirror', vpcId: net.vpcId, subnets: { loadBalancer: net.privateSubnetIds } }),
    );
    const loaded = await loadConfig(path);
    const deployment = new Deployment(loaded, {});
    const started = new Map<string, number>();
    const durations = new Map<string, number>();
    let plan: Plan | undefined;
    const hooks: Hooks = {
      showPlan: (p) => void (plan = p),
      confirm: async () => true,
      onEvent: (event: StepEvent) => {
        if (event.type === 'start') started.set(event.action.id, Date.now());
        if (event.type === 'done') durations.set(event.action.id, Date.now() - started.get(event.action.id)!);
      },
      info: () => undefined,
      warn: () => undefined,
    };
    let executionStart = 0;
    let executionEnd = 0;
    hooks.starting = async () => void (executionStart = Date.now());
    hooks.finished = async () => void (executionEnd = Date.now());
    await applyDeployment(deployment, { autoApprove: true, parallelism: 10, lockTimeoutMs: 0, wait: true }, hooks);
    const nodes = new Map(plan!.graph.nodes.map((n) => [n.id, n]));
    const critical = criticalPath(durations, (id) => dependenciesOf(nodes.get(id)!));
    const byService: Record<string, number> = {};
    for (const call of fake.calls) byService[call.service] = (byService[call.service] ?? 0) + 1;
    const wall = executionEnd - executionStart;
    return {
      simulatedWallMs: wall / scale,
      simulatedCriticalPathMs: critical.ms / scale,
      ratio: wall / critical.ms,
      path: critical.path,
      apiCalls: fake.calls.length,
      apiCallsByService: byService,
    };
  } finally {
    fake.uninstall();
    clock.setScale(1);
  }
}
