import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { AwsClients } from '../src/aws/clients.js';
import { EC2_MUTATING_BUCKET } from '../src/aws/rate-limit.js';
import { loadConfig } from '../src/config/load.js';
import { applyDeployment } from '../src/core/apply.js';
import { Deployment } from '../src/core/deployment.js';
import { planOnline } from '../src/core/planning.js';
import type { Hooks } from '../src/core/run-plan.js';
import { loadHandler } from '../src/resources/index.js';
import type { ResourceContext, TrafficMirrorSessionsProps } from '../src/resources/types.js';
import { clock } from '../src/util/clock.js';
import { FakeAws } from '../test/fake-aws/index.js';

const quiet: Hooks = { showPlan: () => undefined, confirm: async () => true, onEvent: () => undefined, info: () => undefined, warn: () => undefined };

export interface SessionCreateBenchmark {
  sessions: number;
  simulatedWallMs: number;
  boundMs: number;
  ratio: number;
  failedCalls: number;
  throttledCalls: number;
}

/**
 * Creates `count` sessions through the session-set handler against the fake's EC2 token bucket (50 burst,
 * 5/s, simulated time) with 50 ms of latency per call. The bound is what the bucket allows:
 * (count - 50) / 5 seconds.
 */
export async function sessionCreateBenchmark(count = 1000, scale = 0.05): Promise<SessionCreateBenchmark> {
  const fake = FakeAws.install({ latency: 50 });
  try {
    const net = fake.standardAccount();
    clock.setScale(scale);
    const enis = Array.from({ length: count }, (_, i) => fake.addNetworkInterface({ subnetId: net.privateSubnetIds[i % 2]! })).sort();
    const filterId = fake.mirroring.CreateTrafficMirrorFilter({}).TrafficMirrorFilter!.TrafficMirrorFilterId!;
    const targetId = fake.mirroring.CreateTrafficMirrorTarget({ NetworkInterfaceId: fake.addNetworkInterface({ subnetId: net.privateSubnetIds[0]! }) })
      .TrafficMirrorTarget!.TrafficMirrorTargetId!;
    const aws = new AwsClients({ region: fake.region });
    const ctx: ResourceContext = {
      aws,
      deployment: 'bench',
      logicalId: 'mirror-sessions',
      tags: { 'wallarm-oob:deployment': 'bench', 'wallarm-oob:id': 'mirror-sessions', 'managed-by': 'wallarm-oob' },
      clientToken: 'bench-sessions',
      waitForCapacity: false,
      log: () => undefined,
    };
    const handler = await loadHandler('traffic-mirror-session');
    const props: TrafficMirrorSessionsProps = { targetId, filterId, vni: 1377, sessionNumber: 1, networkInterfaceIds: enis, description: 'bench' };
    const started = performance.now();
    await handler.create(ctx, props);
    const simulatedWallMs = (performance.now() - started) / scale;
    const boundMs = ((count - EC2_MUTATING_BUCKET.capacity) / EC2_MUTATING_BUCKET.refillPerSecond) * 1000;
    return {
      sessions: [...fake.mirroring.sessions.values()].filter((s) => s.targetId === targetId).length,
      simulatedWallMs,
      boundMs,
      ratio: simulatedWallMs / boundMs,
      failedCalls: fake.calls.filter((c) => c.error).length,
      throttledCalls: fake.calls.filter((c) => /RequestLimitExceeded|Throttl/.test(c.error ?? '')).length,
    };
  } finally {
    fake.uninstall();
    clock.setScale(1);
  }
}

export interface LargePlanBenchmark {
  sessions: number;
  apiCalls: number;
  apiCallsByCommand: Record<string, number>;
  cpuMs: number;
  stateChars: number;
}

/** Applies a vpc-mirror deployment mirroring `count` ENIs (selected by one tag), then measures one plan of it. */
export async function largePlanBenchmark(count = 10_000): Promise<LargePlanBenchmark> {
  const fake = FakeAws.install({});
  try {
    const net = fake.standardAccount();
    fake.ec2RateLimit(false);
    clock.setScale(0.00001);
    fake.putParameter('/wallarm-oob/big/node-token', 'token', { type: 'SecureString' });
    for (let i = 0; i < count; i++) {
      const eni = fake.addInstance({ subnetId: net.privateSubnetIds[i % 2]!, instanceType: 'm5.large' }).eniId;
      fake.ec2.CreateTags({ Resources: [eni], Tags: [{ Key: 'mirror', Value: 'yes' }] });
    }
    const dir = mkdtempSync(join(tmpdir(), 'wallarm-oob-bench-'));
    const path = join(dir, 'wallarm-oob.yaml');
    writeFileSync(
      path,
      stringify({
        deployment: 'big',
        region: fake.region,
        topology: 'vpc-mirror',
        vpcId: net.vpcId,
        subnets: { loadBalancer: net.privateSubnetIds },
        // The default (native-node) receiver; its installer checksum pinned, so planning downloads nothing.
        mirror: { sources: [{ tags: { mirror: 'yes' } }], nativeNode: { installer: { sha256: '0'.repeat(64) } } },
      }),
    );
    const deployment = new Deployment(await loadConfig(path), {});
    await applyDeployment(deployment, { autoApprove: true, parallelism: 10, lockTimeoutMs: 0, wait: false }, quiet);
    const before = fake.calls.length;
    const cpu = process.cpuUsage();
    await planOnline(new Deployment(await loadConfig(path), {}));
    const used = process.cpuUsage(cpu);
    const calls = fake.calls.slice(before);
    const byCommand: Record<string, number> = {};
    for (const c of calls) byCommand[c.command] = (byCommand[c.command] ?? 0) + 1;
    return {
      sessions: fake.mirroring.sessions.size,
      apiCalls: calls.length,
      apiCallsByCommand: byCommand,
      cpuMs: (used.user + used.system) / 1000,
      stateChars: fake.ssm.parameters.get('/wallarm-oob/big/state')!.value.length,
    };
  } finally {
    fake.uninstall();
    clock.setScale(1);
  }
}
