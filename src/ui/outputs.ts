import type { TargetHealthSummary } from '../account/target-health.js';
import type { Outputs } from '../engine/types.js';

const LABELS: Record<string, string> = {
  mirrorEndpoint: 'Mirror endpoint (point your web server mirror here)',
  autoScalingGroup: 'Node Auto Scaling group',
  targetGroupArn: 'Node target group',
};

export function formatOutputs(outputs: Outputs, health?: TargetHealthSummary): string {
  const lines = ['Outputs:'];
  for (const [name, value] of Object.entries(outputs)) lines.push(`  ${LABELS[name] ?? name}: ${value}`);
  if (health) {
    const detail = Object.entries(health.states).map(([state, n]) => `${n} ${state}`).join(', ') || 'no targets';
    lines.push(`  Node health: ${health.healthy}/${health.total} healthy (${detail})`);
  }
  if (outputs.mirrorEndpoint) lines.push('', 'Next: print a ready-to-paste mirror configuration with `wallarm-oob mirror-config nginx` (or envoy, istio, traefik).');
  return lines.join('\n');
}
