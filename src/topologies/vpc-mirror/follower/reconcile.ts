/**
 * The follower's session reconciliation: the same source resolution and eligibility rules as `plan`
 * (../sources/resolve.ts, ../sources/eligibility.ts) and the same session requests as `apply` (sessionRequest in
 * src/resources/traffic-mirror-sessions.ts: ClientToken, number, tags), so the function and `apply` never make
 * two sessions for one interface. It only adds sessions: deleting is `apply`'s job (and a terminated instance's
 * sessions go with its interfaces), so the function never deletes a session, its own or another's.
 *
 * No CLI, no UI: this module and what it imports are bundled into the Lambda function.
 */
import type { AwsClients } from '../../../aws/clients.js';
import { awsMessage, errorCode, hasCode } from '../../../aws/errors.js';
import { EC2_FILTER_VALUES_MAX } from '../../../aws/limits.js';
import { ec2MutatingBucket } from '../../../aws/rate-limit.js';
import { chunks } from '../../../util/pool.js';
import { resolveMirrorSources } from '../sources/resolve.js';
import { describeSessions, foreignNumbers, ofTarget, sendSessionCreate, sessionRequest, type Session } from '../../../resources/traffic-mirror-sessions.js';
import type { FollowerSettings, Trigger } from './settings.js';

/** What one run did: written to the last-run parameter and shown by `output`. No secret in it. */
export interface FollowerReport {
  /** ISO time the run started. */
  at: string;
  trigger: Trigger['kind'];
  instanceId?: string;
  /** Interfaces that got a session in this run. */
  created: string[];
  /** Eligible interfaces that already had this deployment's session. */
  alreadyMirrored: number;
  /** Interfaces the sources select that cannot be mirrored, with the reason (never created). */
  ineligible: { eni: string; reason: string }[];
  /** Calls that failed (the run is retried by EventBridge; the next scheduled run catches up). */
  failed: { eni?: string; code: string; message: string }[];
  durationMs: number;
}

/** Creates in flight at once; EC2's per-action token bucket sets the pace. */
const CONCURRENCY = 8;

export async function reconcile(aws: AwsClients, settings: FollowerSettings, trigger: Trigger, now: () => number = Date.now): Promise<FollowerReport> {
  const started = now();
  const report: FollowerReport = {
    at: new Date(started).toISOString(),
    trigger: trigger.kind,
    ...(trigger.kind !== 'reconcile' && { instanceId: trigger.instanceId }),
    created: [],
    alreadyMirrored: 0,
    ineligible: [],
    failed: [],
    durationMs: 0,
  };
  const done = () => ({ ...report, durationMs: now() - started });
  // A terminated instance's interfaces are deleted, and their sessions with them: nothing to do.
  if (trigger.kind === 'terminate') return done();

  const sources = trigger.kind === 'reconcile'
    ? settings.sources
    : settings.sources.filter((s) => (trigger.group ? 'autoScalingGroup' in s && s.autoScalingGroup === trigger.group : 'tags' in s || 'eks' in s));
  if (sources.length === 0) return done();

  const ec2 = await aws.ec2();
  const { targetId } = settings.session;
  const ours = trigger.kind === 'reconcile' ? await ofTarget(ec2, targetId) : undefined;
  let resolution;
  try {
    resolution = await resolveMirrorSources(
      aws,
      { deployment: settings.deployment, vpcId: settings.vpcId, mirror: { sources } },
      {
        where: (key) => key,
        ownNlbName: settings.ownNlbName,
        ...(ours && { mirroredEnis: () => Promise.resolve(new Set(ours.map((s) => s.eni))) }),
        ...(trigger.kind === 'launch' && { instances: [trigger.instanceId] }),
        skipVpcCidrs: true,
      },
    );
  } catch (error) {
    report.failed.push({ code: errorCode(error) ?? (error as { code?: string }).code ?? 'ERROR', message: awsMessage(error) });
    return done();
  }
  report.ineligible = resolution.sources.flatMap((s) => s.ineligible);
  const eligible = resolution.eligible;
  // An event: the sessions on its few interfaces tell both which are mirrored and the numbers others use there.
  const onEligible = ours ? undefined : await sessionsOn(ec2, eligible);
  const mirrored = new Set((ours ?? onEligible!).filter((s) => s.targetId === targetId).map((s) => s.eni));
  const missing = eligible.filter((eni) => !mirrored.has(eni));
  report.alreadyMirrored = eligible.length - missing.length;
  if (missing.length === 0) return done();

  const foreign = onEligible ? numbersOfOthers(onEligible, targetId) : await foreignNumbers(ec2, targetId, missing);
  const bucket = ec2MutatingBucket(aws, 'CreateTrafficMirrorSession');
  const returned = new Map<string, string>();
  const create = async (eni: string, salt = '') => {
    const input = sessionRequest(settings.clientToken, settings.session, eni, foreign.get(eni) ?? [], salt);
    if (!input) {
      report.ineligible.push({ eni, reason: 'already has 3 traffic mirror sessions of other tools, the AWS maximum per interface' });
      return;
    }
    await bucket.take();
    try {
      const session = await sendSessionCreate(ec2, input);
      if (session?.TrafficMirrorSessionId) returned.set(eni, session.TrafficMirrorSessionId);
    } catch (error) {
      // The instance went away meanwhile: nothing to mirror.
      if (hasCode(error, 'InvalidNetworkInterfaceID.NotFound')) return;
      report.failed.push({ eni, code: errorCode(error) ?? 'ERROR', message: awsMessage(error) });
    }
  };
  await eachLimited(missing, CONCURRENCY, (eni) => create(eni));

  // A session deleted outside the tool: its ClientToken replays the deleted session's answer without creating
  // anything. Create it once more, salted with the replaced session's id, so concurrent runs still agree.
  const present = new Set((await sessionsOn(ec2, [...returned.keys()])).map((s) => s.id));
  const replayed = [...returned].filter(([, id]) => !present.has(id));
  await eachLimited(replayed, CONCURRENCY, async ([eni, id]) => {
    returned.delete(eni);
    await create(eni, `|replaces:${id}`);
  });
  report.created = [...returned.keys()].sort();
  return done();
}

async function sessionsOn(ec2: Awaited<ReturnType<AwsClients['ec2']>>, enis: readonly string[]): Promise<Session[]> {
  if (enis.length === 0) return [];
  const out: Session[] = [];
  for (const batch of chunks(enis, EC2_FILTER_VALUES_MAX)) out.push(...(await describeSessions(ec2, [{ Name: 'network-interface-id', Values: batch }])));
  return out;
}

function numbersOfOthers(sessions: readonly Session[], targetId: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const s of sessions) if (s.targetId !== targetId) out.set(s.eni, [...(out.get(s.eni) ?? []), s.number]);
  return out;
}

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
