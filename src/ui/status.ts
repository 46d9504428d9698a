import type { StatusReport, HopStatus } from '../core/status-report.js';
import { paint } from './format.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The `status` report: one block per hop along the traffic's path, what is wrong first in each. */
export function formatStatus(s: StatusReport): string {
  const verdict = s.status === 'healthy' ? paint('green', 'healthy') : paint('red', 'degraded');
  const lines = [`Deployment ${s.deployment} (${s.topology}${s.region ? `, ${s.region}` : ''}): ${verdict}`];
  for (const hop of s.hops) lines.push('', ...formatHop(hop));
  for (const note of s.notes) lines.push('', `Note: ${note}`);
  return lines.join('\n');
}

function formatHop(hop: HopStatus): string[] {
  const mark = hop.status === 'healthy' ? paint('green', '✓') : paint('red', '✗');
  const lines = [`${mark} ${hop.title}: ${hop.status}`];
  for (const p of hop.problems) lines.push(`    ${paint('red', '!')} ${p}`);
  for (const n of hop.notes) lines.push(`    - ${n}`);
  if (hop.mirror) {
    const m = hop.mirror;
    lines.push(`    receiver: ${m.receiver}`);
    lines.push(`    sessions: ${m.sessions} on ${m.targetId ?? 'the mirror target'}, for ${plural(m.eligible, 'eligible network interface')}`);
    if (m.follower) lines.push(`    follower: last run ${m.follower}`);
  }
  if (hop.loadBalancer) {
    const lb = hop.loadBalancer;
    lines.push(`    load balancer ${lb.name ?? lb.arn}: ${lb.state}`);
  }
  for (const tg of hop.targetGroups ?? []) {
    if (!tg.exists) continue;
    lines.push(`    targets of ${tg.logicalId}: ${tg.healthy}/${tg.total} healthy`);
    for (const t of tg.targets) {
      const where = `${t.id}${t.port ? `:${t.port}` : ''}${t.availabilityZone ? ` (${t.availabilityZone})` : ''}`;
      lines.push(`      ${where}  ${t.state}${t.reason ? `  ${t.reason}` : ''}${t.description ? `: ${t.description}` : ''}`);
    }
  }
  for (const g of hop.autoScalingGroups ?? []) {
    if (!g.exists) continue;
    lines.push(`    Auto Scaling group ${g.name}: ${g.inService}/${g.desired} in service`);
    for (const a of g.failedActivities) {
      lines.push(`      failed ${a.startTime ?? ''}: ${a.statusMessage ?? a.description}`.replace('failed :', 'failed:'));
      if (a === g.failedActivities[0] && g.launchFailing) for (const action of a.actions ?? []) lines.push(`        → ${action}`);
    }
    if (g.instanceRefresh) {
      const r = g.instanceRefresh;
      lines.push(`      instance refresh ${r.id}: ${r.status}${r.percentageComplete !== undefined ? ` (${r.percentageComplete}%)` : ''}${r.statusReason ? `: ${r.statusReason}` : ''}`);
    }
  }
  return lines;
}
