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
import { decodeState, STATE_LIMIT } from '../src/state/document.js';
import { loadHandler } from '../src/resources/registry.js';
import type { ResourceContext, TrafficMirrorSessionsProps } from '../src/resources/types.js';
import { clock } from '../src/util/clock.js';
import { FakeAws } from '../test/fake-aws/index.js';
import { round } from './apply.js';

const quiet: Hooks = { showPlan: () => undefined, confirm: () => Promise.resolve(true), onEvent: () => undefined, info: () => undefined, warn: () => undefined };

/** What EC2's token buckets allow for `counts` calls of distinct actions made at once: the slowest bucket's time. */
function bucketBoundSeconds(...counts: number[]): number {
  return Math.max(...counts.map((n) => Math.max(0, n - EC2_MUTATING_BUCKET.capacity) / EC2_MUTATING_BUCKET.refillPerSecond));
}

interface SessionsEnv {
  fake: FakeAws;
  ctx: ResourceContext;
  targetId: string;
  filterId: string;
  enis: (n: number) => string[];
}

/** The fake with EC2's per-action token buckets (50 burst, 5/s) and 50 ms per call, in virtual time. */
function sessionsEnv(): SessionsEnv {
  const fake = FakeAws.install({ latency: 50 });
  clock.setVirtual(true);
  const net = fake.standardAccount();
  const filterId = fake.mirroring.CreateTrafficMirrorFilter({}).TrafficMirrorFilter!.TrafficMirrorFilterId!;
  const targetId = fake.mirroring.CreateTrafficMirrorTarget({ NetworkInterfaceId: fake.addNetworkInterface({ subnetId: net.privateSubnetIds[0] }) }).TrafficMirrorTarget!
    .TrafficMirrorTargetId!;
  const ctx: ResourceContext = {
    aws: new AwsClients({ region: fake.region }),
    deployment: 'bench',
    logicalId: 'mirror-sessions',
    tags: { 'wallarm-oob:deployment': 'bench', 'wallarm-oob:id': 'mirror-sessions', 'managed-by': 'wallarm-oob' },
    clientToken: 'bench-sessions',
    waitForCapacity: false,
    log: () => undefined,
  };
  const enis = (n: number) => Array.from({ length: n }, (_, i) => fake.addNetworkInterface({ subnetId: net.privateSubnetIds[i % 2]! })).sort();
  return { fake, ctx, targetId, filterId, enis };
}

function done(env: SessionsEnv): void {
  clock.setVirtual(false);
  env.fake.uninstall();
}

const props = (env: SessionsEnv, networkInterfaceIds: string[]): TrafficMirrorSessionsProps => ({
  targetId: env.targetId,
  filterId: env.filterId,
  vni: 1377,
  sessionNumber: 1,
  networkInterfaceIds,
  description: 'bench',
});

export interface SessionCreateBenchmark {
  seconds: number;
  boundSeconds: number;
  ratio: number;
  failedCalls: number;
  /** Extras. */
  sessions: number;
  throttledCalls: number;
}

/** Creates `count` sessions through the session-set handler. Bound: what the CreateTrafficMirrorSession bucket allows. */
export async function sessionCreateBenchmark(count = 1000): Promise<SessionCreateBenchmark> {
  const env = sessionsEnv();
  try {
    const handler = await loadHandler('traffic-mirror-session');
    const enis = env.enis(count);
    const started = clock.now();
    await handler.create(env.ctx, props(env, enis));
    const seconds = (clock.now() - started) / 1000;
    const boundSeconds = bucketBoundSeconds(count);
    return {
      seconds: round(seconds, 1),
      boundSeconds,
      ratio: round(seconds / boundSeconds, 3),
      failedCalls: env.fake.calls.filter((c) => c.error).length,
      sessions: [...env.fake.mirroring.sessions.values()].filter((s) => s.targetId === env.targetId).length,
      throttledCalls: env.fake.calls.filter((c) => c.throttled).length,
    };
  } finally {
    done(env);
  }
}

export interface SessionSwapBenchmark {
  seconds: number;
  boundSeconds: number;
  /** Extras. */
  ratio: number;
  failedCalls: number;
}

/**
 * Moves a set of `count` sessions to `count` other ENIs: `count` deletes and `count` creates, each action
 * with its own EC2 bucket, so the bound is one bucket's time.
 */
export async function sessionSwapBenchmark(count = 500): Promise<SessionSwapBenchmark> {
  const env = sessionsEnv();
  try {
    const handler = await loadHandler('traffic-mirror-session');
    const before = await handler.create(env.ctx, props(env, env.enis(count)));
    // A later run: a new process (fresh client-side buckets) after a pause (full EC2 buckets).
    env.fake.ec2RateLimit({});
    const ctx = { ...env.ctx, aws: new AwsClients({ region: env.fake.region }) };
    const calls = env.fake.calls.length;
    const after = env.enis(count);
    const started = clock.now();
    await handler.update(ctx, before, props(env, after));
    const seconds = (clock.now() - started) / 1000;
    const live = [...env.fake.mirroring.sessions.values()].filter((s) => s.targetId === env.targetId).map((s) => s.eniId).sort();
    if (live.join() !== after.join()) throw new Error('bench: the swap did not end with exactly the new sessions');
    const boundSeconds = bucketBoundSeconds(count, count);
    return { seconds: round(seconds, 1), boundSeconds, ratio: round(seconds / boundSeconds, 3), failedCalls: env.fake.calls.slice(calls).filter((c) => c.error).length };
  } finally {
    done(env);
  }
}

export interface LargePlanBenchmark {
  calls: number;
  serialRoundTrips: number;
  cpuMs: number;
  noRefreshCalls: number;
  /** Extras. */
  simulatedSeconds: number;
  sessions: number;
  callsByCommand: Record<string, number>;
  state: { rawChars: number; encodedChars: number; limitChars: number };
}

/** Every call of the plan's round-trip measurement takes this long; serial round trips = plan time / this. */
const ROUND_TRIP_MS = 100;

/**
 * Applies a vpc-mirror deployment mirroring `count` ENIs (selected by one tag; with the follower, the default for
 * a tag source, unless `follow` is false), then plans it:
 *  - calls and serial round trips: in virtual time with every call taking ROUND_TRIP_MS, so the plan's
 *    duration divided by it is the number of round trips made one after another;
 *  - cpuMs: a second plan with the fake answering in AWS's wire format (the SDK parses every response as
 *    it would AWS's), process CPU minus the fake's own (its models, cloning and encoding; see
 *    test/fake-aws/middleware.ts), in real time with no latency.
 */
export async function largePlanBenchmark(count = 10_000, follow = true): Promise<LargePlanBenchmark> {
  const fake = FakeAws.install({});
  clock.setVirtual(true);
  try {
    const net = fake.standardAccount();
    fake.ec2RateLimit(false);
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
        mirror: { sources: [{ tags: { mirror: 'yes' } }], follow, nativeNode: { installer: { sha256: '0'.repeat(64) } } },
      }),
    );
    await applyDeployment(new Deployment(await loadConfig(path), {}), { autoApprove: true, parallelism: 10, lockTimeoutMs: 0, wait: false }, quiet);

    fake.setLatency(ROUND_TRIP_MS);
    const before = fake.calls.length;
    const started = clock.now();
    await planOnline(new Deployment(await loadConfig(path), {}));
    const planMs = clock.now() - started;
    const serialRoundTrips = Math.round(planMs / ROUND_TRIP_MS);
    const calls = fake.calls.slice(before);
    const byCommand: Record<string, number> = {};
    for (const c of calls) byCommand[c.command] = (byCommand[c.command] ?? 0) + 1;

    // plan --refresh=false: state and sources only.
    const beforeNoRefresh = fake.calls.length;
    await planOnline(new Deployment(await loadConfig(path), {}), { refresh: false });
    const noRefreshCalls = fake.calls.length - beforeNoRefresh;

    clock.setVirtual(false);
    fake.setLatency(0);
    fake.wiring = 'wire';
    const deployment = new Deployment(await loadConfig(path), {});
    const cpu = process.cpuUsage();
    const fakeCpu = fake.cpuMs;
    await planOnline(deployment);
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000 - (fake.cpuMs - fakeCpu);

    const encoded = fake.ssm.parameters.get('/wallarm-oob/big/state')!.value;
    return {
      calls: calls.length,
      serialRoundTrips,
      cpuMs: Math.round(cpuMs),
      noRefreshCalls,
      simulatedSeconds: round(planMs / 1000, 2),
      sessions: fake.mirroring.sessions.size,
      callsByCommand: byCommand,
      state: { rawChars: JSON.stringify(decodeState(encoded, 'state')).length, encodedChars: encoded.length, limitChars: STATE_LIMIT },
    };
  } finally {
    clock.setVirtual(false);
    fake.uninstall();
  }
}
