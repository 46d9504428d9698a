/**
 * `npm run bench [-- --json] [-- --quick]`: speed and scale figures, measured (never asserted by tests).
 * Simulated durations run in virtual time (src/util/clock.ts): they are the latency model's outcome, the
 * same on a loaded machine; CPU is measured apart. `--json` prints one JSON object and nothing else on
 * stdout; `--quick` makes fewer apply runs.
 */
// The fake cloud needs no real credentials, but the SDK's signer wants some: never use the caller's.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_ACCESS_KEY_ID = 'AKIDBENCHMARKFAKE';
process.env.AWS_SECRET_ACCESS_KEY = 'benchmark';
delete process.env.AWS_PROFILE;
delete process.env.AWS_ENDPOINT_URL;

const args = new Set(process.argv.slice(2));
const json = args.has('--json');
const quick = args.has('--quick');
const say = (line: string) => {
  if (!json) console.log(line);
};

const { applyBenchmark } = await import('./apply.js');
const { largePlanBenchmark, sessionCreateBenchmark, sessionSwapBenchmark } = await import('./sessions.js');
const { startupBenchmark } = await import('./startup.js');
const { followerBenchmark } = await import('./follower.js');

const apply = await applyBenchmark(quick ? 3 : 12);
say(`apply of web-server-mirror (simulated AWS latencies, virtual time, median of ${apply.runs})`);
say(`  whole command    ${apply.wallSeconds} s (range ${apply.wallSecondsRange.join('-')} s)`);
say(`  model path       ${apply.modelCriticalPathSeconds} s: ${apply.modelPath.join(' -> ')}`);
say(`  ratio            ${apply.ratio} (goal <= 1.05)`);
say(`  API calls        ${apply.apiCalls} (${Object.entries(apply.apiCallsByService).map(([s, n]) => `${s} ${n}`).join(', ')})`);
say(`  tool CPU         ${apply.cpuMs} ms`);

const sessions = await sessionCreateBenchmark(1000);
say(`creating 1000 traffic mirror sessions (EC2 token bucket: 50 burst, 5/s)`);
say(`  time             ${sessions.seconds} s (simulated); bucket bound ${sessions.boundSeconds} s; ratio ${sessions.ratio} (goal <= 1.10)`);
say(`  failed calls     ${sessions.failedCalls} (throttled ${sessions.throttledCalls})`);

const swap = await sessionSwapBenchmark(500);
say(`moving 500 sessions to 500 other ENIs (500 deletes + 500 creates)`);
say(`  time             ${swap.seconds} s (simulated); bound ${swap.boundSeconds} s; ratio ${swap.ratio} (goal <= 1.10); failed calls ${swap.failedCalls}`);

const plan = await largePlanBenchmark(10_000);
// The same deployment without the follower (mirror.follow: false): its six resources cost their own reads.
const unfollowed = await largePlanBenchmark(10_000, false);
const withoutFollower = { calls: unfollowed.calls, serialRoundTrips: unfollowed.serialRoundTrips, noRefreshCalls: unfollowed.noRefreshCalls };
say(`plan of a deployment with ${plan.sessions} sessions (with the follower)`);
say(`  API calls        ${plan.calls}; ${plan.serialRoundTrips} serial round trips (without the follower: ${withoutFollower.calls}; ${withoutFollower.serialRoundTrips})`);
say(`  by command       ${Object.entries(plan.callsByCommand).map(([c, n]) => `${c} ${n}`).join(', ')}`);
say(`  tool CPU         ${plan.cpuMs} ms (with SDK response parsing)`);
say(`  plan --refresh=false: ${plan.noRefreshCalls ?? 'not available'}`);
say(`  state            ${plan.state.rawChars} characters of JSON, ${plan.state.encodedChars} stored (limit ${plan.state.limitChars})`);

const follower = await followerBenchmark(200);
say('follower: one launch event in an Auto Scaling group of 201 instances (function start not modelled)');
say(`  event -> session ${follower.eventToSessionSeconds} s (simulated; goal <= 2 s); whole invocation ${follower.invocationSeconds} s`);
say(`  API calls        ${follower.callsPerEvent} per event (${Object.entries(follower.callsByCommand).map(([c, n]) => `${c} ${n}`).join(', ')})`);
say(`  full reconcile   ${follower.steadyReconcileCalls} calls, ${follower.steadyReconcileSeconds} s with all ${follower.groupSize} instances mirrored`);

const startup = startupBenchmark(9);
say('start-up (median of 9 runs; wall time, so it depends on the machine load)');
say(`  --help           ${startup.helpMs} ms`);
say(`  plan --offline   ${startup.planOfflineMs} ms`);
say(`  node -e ''       ${startup.nodeBareMs} ms`);

if (json) {
  const { modelPath, runs, wallSecondsRange, apiCallsByService, cpuMs, ...applyFields } = apply;
  const { sessions: count, callsByCommand, state, ...planFields } = plan;
  console.log(
    JSON.stringify({
      applyWebServerMirror: { ...applyFields, cpuMs, runs, wallSecondsRange, modelPath, apiCallsByService },
      plan10k: { ...planFields, sessions: count, withoutFollower, callsByCommand },
      sessions1k: sessions,
      sessionsSwap500: swap,
      follower,
      state,
      startup,
    }),
  );
}
