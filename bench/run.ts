/**
 * `npm run bench`: speed and scale figures, measured (never asserted by tests).
 *  - apply of web-server-mirror against the fake with a realistic latency model: wall time vs the critical
 *    path of the dependency graph, and the number of API calls;
 *  - start-up time of `--help` and of a no-op `plan --offline` (median of several runs, built CLI).
 */
// The fake cloud needs no real credentials, but the SDK's signer wants some: never use the caller's.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_ACCESS_KEY_ID = 'AKIDBENCHMARKFAKE';
process.env.AWS_SECRET_ACCESS_KEY = 'benchmark';
delete process.env.AWS_PROFILE;
delete process.env.AWS_ENDPOINT_URL;

const { applyBenchmark } = await import('./apply.js');
import { startupBenchmark } from './startup.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const apply = await applyBenchmark();
console.log('apply (web-server-mirror, simulated AWS latencies, time-scaled)');
console.log(`  wall time        ${seconds(apply.simulatedWallMs)} (simulated)`);
console.log(`  critical path    ${seconds(apply.simulatedCriticalPathMs)}: ${apply.path.join(' -> ')}`);
console.log(`  ratio            ${apply.ratio.toFixed(3)} (goal <= 1.10)`);
console.log(`  API calls        ${apply.apiCalls} (${Object.entries(apply.apiCallsByService).map(([s, n]) => `${s} ${n}`).join(', ')})`);

const startup = startupBenchmark();
console.log('start-up (median of 9 runs)');
console.log(`  --help           ${startup.help.toFixed(0)} ms`);
console.log(`  plan --offline   ${startup.planOffline.toFixed(0)} ms`);

const { sessionCreateBenchmark, largePlanBenchmark } = await import('./sessions.js');
const create = await sessionCreateBenchmark();
console.log(`creating ${create.sessions} traffic mirror sessions (EC2 token bucket: 50 burst, 5/s)`);
console.log(`  wall time        ${seconds(create.simulatedWallMs)} (simulated)`);
console.log(`  token-bucket bound ${seconds(create.boundMs)}`);
console.log(`  ratio            ${create.ratio.toFixed(3)} (goal <= 1.10)`);
console.log(`  failed calls     ${create.failedCalls} (throttled: ${create.throttledCalls}; goal 0)`);

const big = await largePlanBenchmark();
console.log(`plan of a deployment with ${big.sessions} sessions`);
const mirrorCalls = Object.entries(big.apiCallsByCommand).filter(([c]) => /TrafficMirror|NetworkInterfaces|DescribeInstances|InstanceTypes/.test(c));
console.log(`  API calls        ${big.apiCalls} in total; ${mirrorCalls.reduce((n, [, k]) => n + k, 0)} for sources and sessions (${mirrorCalls.map(([c, n]) => `${c} ${n}`).join(', ')})`);
console.log(`  CPU time         ${big.cpuMs.toFixed(0)} ms`);
console.log(`  state parameter  ${big.stateChars} characters (limit 4096)`);
