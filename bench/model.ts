/**
 * The latency model the benchmarks run the fake with, and the critical path it implies: what an ideal run
 * (unlimited parallelism, no poll slack, no CPU) needs, computed from the model alone, never from steps
 * the executor measured.
 */
import type { Delays } from '../test/fake-aws/index.js';

/** Simulated ms per call (AWS answers in 100-300 ms). */
export const LATENCY = {
  default: 150,
  CreateLoadBalancer: 300,
  CreateAutoScalingGroup: 300,
  DescribeLoadBalancers: 100,
  GetParameter: 100,
  PutParameter: 120,
} as const;

export const DELAYS: Partial<Delays> = { lbActiveMs: 180_000, instanceInServiceMs: 90_000, targetHealthyMs: 30_000 };

const call = (command: string): number => (LATENCY as Record<string, number>)[command] ?? LATENCY.default;

interface Step {
  ms: number;
  after: string[];
}

/**
 * web-server-mirror, only the orderings AWS imposes (or that a safe run needs: the lock before any change,
 * the state written after the last one):
 *  - lock: PutParameter; then one round of reads (state, VPC, subnets, AMI, all in parallel: one round trip);
 *  - the ALB needs its security group's id; the listener needs the ALB's and the target group's ARNs
 *    (not an active ALB); the Auto Scaling group needs the launch template, which needs the instance
 *    profile (create + add role), which needs the role;
 *  - instances are InService `instanceInServiceMs` after the group is created; targets are healthy
 *    `targetHealthyMs` after the latest of: ALB active, listener created, instance in service (the fake's
 *    rule, from how ELB health checks start);
 *  - one DescribeTargetHealth sees them healthy; the state is written and the lock released.
 */
export function webServerMirrorCriticalPath(delays: Partial<Delays> = DELAYS): { ms: number; path: string[] } {
  const d = { lbActiveMs: 180_000, instanceInServiceMs: 90_000, targetHealthyMs: 30_000, ...delays };
  const steps: Record<string, Step> = {
    lock: { ms: call('PutParameter'), after: [] },
    reads: { ms: Math.max(call('GetParameter'), call('DescribeVpcs'), call('DescribeSubnets'), call('DescribeImages')), after: ['lock'] },
    securityGroup: { ms: call('CreateSecurityGroup'), after: ['reads'] },
    loadBalancer: { ms: call('CreateLoadBalancer'), after: ['securityGroup'] },
    loadBalancerActive: { ms: d.lbActiveMs, after: ['loadBalancer'] },
    targetGroup: { ms: call('CreateTargetGroup'), after: ['reads'] },
    listener: { ms: call('CreateListener'), after: ['loadBalancer', 'targetGroup'] },
    role: { ms: call('CreateRole'), after: ['reads'] },
    instanceProfile: { ms: call('CreateInstanceProfile') + call('AddRoleToInstanceProfile'), after: ['role'] },
    launchTemplate: { ms: call('CreateLaunchTemplate'), after: ['instanceProfile', 'securityGroup'] },
    autoScalingGroup: { ms: call('CreateAutoScalingGroup'), after: ['launchTemplate', 'targetGroup'] },
    inService: { ms: d.instanceInServiceMs, after: ['autoScalingGroup'] },
    targetsHealthy: { ms: d.targetHealthyMs, after: ['loadBalancerActive', 'listener', 'inService'] },
    healthRead: { ms: call('DescribeTargetHealth'), after: ['targetsHealthy'] },
    stateWrite: { ms: call('PutParameter'), after: ['healthRead'] },
    unlock: { ms: call('DeleteParameter'), after: ['stateWrite'] },
  };
  const memo = new Map<string, { ms: number; path: string[] }>();
  const finish = (id: string): { ms: number; path: string[] } => {
    const known = memo.get(id);
    if (known) return known;
    const step = steps[id]!;
    let best = { ms: 0, path: [] as string[] };
    for (const dep of step.after) {
      const f = finish(dep);
      if (f.ms > best.ms) best = f;
    }
    const result = { ms: best.ms + step.ms, path: [...best.path, id] };
    memo.set(id, result);
    return result;
  };
  return finish('unlock');
}
