import type { TargetHealthSummary } from '../account/target-health.js';
import type { TopologyName } from '../config/schema.js';
import type { Outputs } from '../engine/types.js';
import { TOPOLOGY_TABLE } from '../topologies/index.js';
import type { MirrorStatus } from '../topologies/types.js';
import { RECEIVERS } from '../topologies/vpc-mirror/receivers/index.js';

const LABELS: Record<string, string> = {
  mirrorEndpoint: 'Mirror endpoint (point your web server mirror here)',
  autoScalingGroup: 'Node Auto Scaling group',
  targetGroupArn: 'Node target group',
  nativeNodeAutoScalingGroup: 'Native Node Auto Scaling group',
  rebuilderAutoScalingGroup: 'Rebuilder Auto Scaling group',
  mirrorTargetId: 'Traffic mirror target',
  sessionCount: 'Traffic mirror sessions (at the last apply)',
};

export interface OutputContext {
  topology?: TopologyName;
  /** vpc-mirror: the receiver and the sessions against the eligible interfaces. */
  mirror?: Pick<MirrorStatus, 'receiver' | 'sessions' | 'eligible' | 'follower'>;
}

export function formatOutputs(outputs: Outputs, health?: TargetHealthSummary, context: OutputContext = {}): string {
  const lines = ['Outputs:'];
  // The topology's next step (web-server-mirror: mirror-config); none where interfaces are mirrored instead.
  const hint = context.topology && !context.mirror ? TOPOLOGY_TABLE[context.topology].outputsHint : undefined;
  for (const [name, value] of Object.entries(outputs)) lines.push(`  ${LABELS[name] ?? name}: ${value}`);
  const receiver = context.mirror ? RECEIVERS[context.mirror.receiver] : undefined;
  if (receiver) lines.push(`  Receiver: ${receiver.label}`);
  if (health) {
    const detail = Object.entries(health.states).map(([state, n]) => `${n} ${state}`).join(', ') || 'no targets';
    const what = receiver?.healthLabel ?? 'Node health';
    lines.push(`  ${what}: ${health.healthy}/${health.total} healthy (${detail})`);
  }
  if (context.mirror) {
    const { sessions, eligible } = context.mirror;
    const fix = context.mirror.follower ? 'the follower mirrors new instances within ~1 minute, or run `wallarm-oob apply`' : 'run `wallarm-oob apply`';
    const behind = eligible > sessions ? `; ${eligible - sessions} not mirrored yet: ${fix}` : '';
    lines.push(`  Mirror sessions: ${sessions} of ${eligible} eligible network interface${eligible === 1 ? '' : 's'}${behind}`);
    if (context.mirror.follower) lines.push(`  Follower last run: ${context.mirror.follower}`);
  }
  if (outputs.mirrorEndpoint && hint) lines.push('', hint);
  return lines.join('\n');
}
