import type { Topology } from '../config/schema.js';
import type { TargetHealthSummary } from '../core/health.js';
import type { MirrorStatus } from '../core/mirror-status.js';
import type { Outputs } from '../engine/types.js';

const LABELS: Record<string, string> = {
  mirrorEndpoint: 'Mirror endpoint (point your web server mirror here)',
  autoScalingGroup: 'Node Auto Scaling group',
  targetGroupArn: 'Node target group',
  nativeNodeAutoScalingGroup: 'Native Node Auto Scaling group',
  rebuilderAutoScalingGroup: 'Rebuilder Auto Scaling group',
  mirrorTargetId: 'Traffic mirror target',
  sessionCount: 'Traffic mirror sessions (at the last apply)',
};

const RECEIVERS: Record<MirrorStatus['receiver'], string> = {
  'native-node': 'native-node (Wallarm Native Node, tcp-capture-v2)',
  goreplay: 'goreplay (legacy: Wallarm withdrew this design; use it only where the Native Node cannot run)',
};

export interface OutputContext {
  topology?: Topology;
  /** vpc-mirror: the receiver and the sessions against the eligible interfaces. */
  mirror?: Pick<MirrorStatus, 'receiver' | 'sessions' | 'eligible'>;
}

export function formatOutputs(outputs: Outputs, health?: TargetHealthSummary, context: OutputContext = {}): string {
  const lines = ['Outputs:'];
  const vpcMirror = context.topology === 'vpc-mirror' || context.mirror !== undefined;
  for (const [name, value] of Object.entries(outputs)) lines.push(`  ${LABELS[name] ?? name}: ${value}`);
  if (context.mirror) lines.push(`  Receiver: ${RECEIVERS[context.mirror.receiver]}`);
  if (health) {
    const detail = Object.entries(health.states).map(([state, n]) => `${n} ${state}`).join(', ') || 'no targets';
    const what = context.mirror?.receiver === 'native-node' ? 'Receiver health' : 'Node health';
    lines.push(`  ${what}: ${health.healthy}/${health.total} healthy (${detail})`);
  }
  if (context.mirror) {
    const { sessions, eligible } = context.mirror;
    const behind = eligible > sessions ? `; ${eligible - sessions} not mirrored yet: run \`wallarm-oob apply\`` : '';
    lines.push(`  Mirror sessions: ${sessions} of ${eligible} eligible network interface${eligible === 1 ? '' : 's'}${behind}`);
  }
  // mirror-config is for web servers that mirror requests themselves: never for vpc-mirror.
  if (outputs.mirrorEndpoint && !vpcMirror) lines.push('', 'Next: print a ready-to-paste mirror configuration with `wallarm-oob mirror-config nginx` (or envoy, istio, traefik).');
  return lines.join('\n');
}
