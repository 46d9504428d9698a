/**
 * `status`: what is true of a live deployment now, hop by hop along the traffic's path. Every hop is read live
 * (nothing comes from the last apply but the ids of what to read):
 * - vpc-mirror: the traffic mirror sessions against the interfaces mirror.sources selects now;
 * - each load balancer: its state, its target groups' targets with AWS's reason codes, the Auto Scaling group
 *   behind it (capacity, the last failed scaling activities, an instance refresh in progress or failed).
 * Hops are found from the state's resource kinds and dependencies, never from topology names.
 */
import { describeTargets, summarizeTargets, type TargetDetail } from '../account/target-health.js';
import { groupState, loadBalancerState, mirrorTargetExists, REFRESH_ACTIVE, REFRESH_FAILED, type AutoScalingGroupStatus, type LoadBalancerStatus } from '../account/live-status.js';
import type { ResourceKind } from '../engine/types.js';
import { StateError } from '../errors.js';
import type { ResourceState, StateDocument } from '../state/document.js';
import { topologyOf } from '../topologies/index.js';
import type { MirrorStatus } from '../topologies/types.js';
import type { Deployment } from './deployment.js';

export type { AutoScalingGroupStatus, InstanceRefreshStatus, LoadBalancerStatus } from '../account/live-status.js';

export type Verdict = 'healthy' | 'degraded';

/** Exit code of `status` for a degraded deployment (0 when healthy). */
export const DEGRADED_EXIT_CODE = 3;

export interface TargetGroupStatus {
  logicalId: string;
  arn: string;
  /** False when the target group no longer exists. */
  exists: boolean;
  healthy: number;
  total: number;
  targets: TargetDetail[];
}

export interface MirrorHopStatus extends MirrorStatus {
  targetId?: string;
  /** False when the deployment's traffic mirror target no longer exists (nothing is mirrored to the receiver). */
  targetExists: boolean;
}

export interface HopStatus {
  /** The logical id the hop is named after (its load balancer, or `mirror-target`). */
  id: string;
  title: string;
  status: Verdict;
  /** What is wrong, one sentence each (empty when healthy). */
  problems: string[];
  /** Worth knowing, not wrong (e.g. an instance refresh rolling). */
  notes: string[];
  mirror?: MirrorHopStatus;
  loadBalancer?: LoadBalancerStatus;
  targetGroups?: TargetGroupStatus[];
  autoScalingGroups?: AutoScalingGroupStatus[];
}

export interface StatusReport {
  deployment: string;
  topology: string;
  region?: string;
  status: Verdict;
  hops: HopStatus[];
  /** Reads the endpoint does not implement (an emulator): what the report could not say. */
  notes: string[];
}


export async function statusReport(deployment: Deployment): Promise<StatusReport> {
  const state = await deployment.store.load();
  if (!state || Object.keys(state.resources).length === 0) {
    throw new StateError('NOT_DEPLOYED', `Deployment "${deployment.name}" is not deployed in this account and region: there is nothing to report on.`, {
      actions: ['Run `wallarm-oob apply` first, or check --region / --profile.'],
    });
  }
  const hops: HopStatus[] = [];
  const mirror = await mirrorHop(deployment, state);
  if (mirror) hops.push(mirror);
  for (const chain of loadBalancerChains(state)) hops.push(await loadBalancerHop(deployment, chain));
  return {
    deployment: deployment.name,
    topology: deployment.loaded.config.topology,
    ...(state.region && { region: state.region }),
    status: hops.some((h) => h.status === 'degraded') ? 'degraded' : 'healthy',
    hops,
    notes: [...deployment.warnings],
  };
}

// ------------------------------------------------------------------ hops from state

interface Entry {
  logicalId: string;
  resource: ResourceState;
}

interface Chain {
  lb: Entry;
  targetGroups: Entry[];
  groups: Entry[];
}

function ofKind(state: StateDocument, kind: ResourceKind): Entry[] {
  return Object.entries(state.resources)
    .filter(([, r]) => r.kind === kind)
    .map(([logicalId, resource]) => ({ logicalId, resource }))
    .sort((a, b) => a.logicalId.localeCompare(b.logicalId));
}

/** Every logical id `id` depends on, directly or not. */
function dependencies(state: StateDocument, id: string): Set<string> {
  const seen = new Set<string>();
  const queue = [...(state.resources[id]?.deps ?? [])];
  while (queue.length) {
    const next = queue.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...(state.resources[next]?.deps ?? []));
  }
  return seen;
}

/**
 * One chain per load balancer: the target groups its listeners forward to and the Auto Scaling groups
 * registered in them. In traffic order: a chain whose instances send to another chain's load balancer (the
 * goreplay rebuilders send to the node ALB) comes before it.
 */
export function loadBalancerChains(state: StateDocument): Chain[] {
  const listeners = ofKind(state, 'listener');
  const tgs = ofKind(state, 'target-group');
  const asgs = ofKind(state, 'auto-scaling-group');
  const chains = ofKind(state, 'load-balancer').map((lb): Chain => {
    const tgIds = new Set(listeners.filter((l) => l.resource.deps.includes(lb.logicalId)).flatMap((l) => l.resource.deps));
    const targetGroups = tgs.filter((tg) => tgIds.has(tg.logicalId));
    const groups = asgs.filter((g) => g.resource.deps.some((d) => targetGroups.some((tg) => tg.logicalId === d)));
    return { lb, targetGroups, groups };
  });
  const sendsTo = (a: Chain, b: Chain) => a.groups.some((g) => dependencies(state, g.logicalId).has(b.lb.logicalId));
  return chains.sort((a, b) => (sendsTo(a, b) ? -1 : sendsTo(b, a) ? 1 : 0));
}

// ------------------------------------------------------------------ the mirror hop

async function mirrorHop(deployment: Deployment, state: StateDocument): Promise<HopStatus | undefined> {
  const target = ofKind(state, 'traffic-mirror-target')[0];
  if (!target) return undefined;
  const live = await topologyOf(deployment.loaded.config).status?.(deployment.loaded, deployment.aws, { ...state.outputs, mirrorTargetId: target.resource.id });
  if (!live) return undefined;
  const targetExists = await mirrorTargetExists(deployment.aws, target.resource.id);
  const problems: string[] = [];
  if (!targetExists) problems.push(`Traffic mirror target ${target.resource.id} no longer exists: nothing is mirrored to the receiver (run \`wallarm-oob apply\`).`);
  if (live.missing.length) {
    problems.push(`${live.missing.length} eligible network interface${live.missing.length === 1 ? ' is' : 's are'} not mirrored: ${live.missing.join(', ')} (run \`wallarm-oob apply\`).`);
  }
  const gone = live.stale.filter((s) => s.reason === 'gone');
  const unselected = live.stale.filter((s) => s.reason === 'not-selected');
  if (gone.length) problems.push(`${gone.length} session${gone.length === 1 ? ' mirrors a network interface that is' : 's mirror network interfaces that are'} gone: ${gone.map((s) => `${s.sessionId} (${s.networkInterfaceId})`).join(', ')} (run \`wallarm-oob apply\` to delete them).`);
  if (unselected.length) problems.push(`${unselected.length} session${unselected.length === 1 ? ' mirrors an interface' : 's mirror interfaces'} mirror.sources no longer selects: ${unselected.map((s) => `${s.sessionId} (${s.networkInterfaceId})`).join(', ')} (run \`wallarm-oob apply\` to delete them).`);
  if (live.eligible === 0) problems.push('mirror.sources selects no interface that can be mirrored: nothing is analysed.');
  return {
    id: target.logicalId,
    title: 'Traffic mirroring',
    status: problems.length ? 'degraded' : 'healthy',
    problems,
    notes: [],
    mirror: { ...live, targetId: target.resource.id, targetExists },
  };
}

// ------------------------------------------------------------------ a load balancer hop

async function loadBalancerHop(deployment: Deployment, chain: Chain): Promise<HopStatus> {
  const problems: string[] = [];
  const notes: string[] = [];
  const loadBalancer = await loadBalancerState(deployment.aws, chain.lb.logicalId, chain.lb.resource.id);
  if (loadBalancer.state === 'missing') problems.push(`Load balancer ${chain.lb.logicalId} no longer exists (run \`wallarm-oob apply\` to recreate it).`);
  else if (loadBalancer.state !== 'active') problems.push(`Load balancer ${loadBalancer.name ?? chain.lb.logicalId} is ${loadBalancer.state}${loadBalancer.reason ? `: ${loadBalancer.reason}` : ''}.`);

  const targetGroups: TargetGroupStatus[] = [];
  for (const tg of chain.targetGroups) {
    const targets = await describeTargets(deployment.aws, tg.resource.id);
    const summary = summarizeTargets(targets ?? []);
    targetGroups.push({ logicalId: tg.logicalId, arn: tg.resource.id, exists: targets !== undefined, healthy: summary.healthy, total: summary.total, targets: targets ?? [] });
    if (!targets) problems.push(`Target group ${tg.logicalId} no longer exists (run \`wallarm-oob apply\`).`);
    else if (targets.length === 0) problems.push(`Target group ${tg.logicalId} has no registered targets: nothing receives the traffic.`);
    for (const t of targets ?? []) {
      if (t.state === 'healthy') continue;
      problems.push(`Target ${t.id}${t.port ? `:${t.port}` : ''} is ${t.state}${t.reason ? ` (${t.reason})` : ''}${t.description ? `: ${t.description}` : ''}`.replace(/\.?$/, '.'));
    }
  }

  const autoScalingGroups: AutoScalingGroupStatus[] = [];
  for (const g of chain.groups) {
    const group = await groupState(deployment.aws, g.logicalId, g.resource.id, (message) => deployment.warn(message));
    autoScalingGroups.push(group);
    if (!group.exists) {
      problems.push(`Auto Scaling group ${group.name} no longer exists (run \`wallarm-oob apply\`).`);
      continue;
    }
    const refresh = group.instanceRefresh;
    const rolling = refresh !== undefined && REFRESH_ACTIVE.has(refresh.status);
    if (rolling) notes.push(`Instance refresh ${refresh.id} of ${group.name} is ${refresh.status}${refresh.percentageComplete !== undefined ? ` (${refresh.percentageComplete}% complete)` : ''}.`);
    if (refresh && REFRESH_FAILED.has(refresh.status)) problems.push(`The last instance refresh of ${group.name} (${refresh.id}) ${refresh.status === 'Failed' ? 'failed' : 'failed and could not roll back'}${refresh.statusReason ? `: ${refresh.statusReason}` : ''}.`);
    if (group.inService !== undefined && group.desired !== undefined && group.inService < group.desired) {
      const line = `Auto Scaling group ${group.name} has ${group.inService} of ${group.desired} instances in service.`;
      if (rolling && !group.launchFailing) notes.push(line);
      else problems.push(line);
    }
    if (group.unhealthy?.length) problems.push(`Auto Scaling marks ${group.unhealthy.join(', ')} of ${group.name} Unhealthy.`);
    if (group.launchFailing) {
      const last = group.failedActivities[0];
      problems.push(`Auto Scaling group ${group.name} cannot launch instances${last?.kind ? `: ${last.kind}` : ''}. AWS reported: ${last?.statusMessage ?? last?.description ?? 'no reason given'}`);
    }
  }

  const kind = loadBalancer.type === 'network' ? 'Network Load Balancer' : loadBalancer.type === 'application' ? 'Application Load Balancer' : 'Load balancer';
  return {
    id: chain.lb.logicalId,
    title: `${kind} ${chain.lb.logicalId}`,
    status: problems.length ? 'degraded' : 'healthy',
    problems,
    notes,
    loadBalancer,
    targetGroups,
    autoScalingGroups,
  };
}
