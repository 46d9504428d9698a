import { afterEach, describe, expect, it } from 'vitest';
import { DeleteListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { planOnline, NO_REFRESH_NOTE } from '../../src/core/planning.js';
import { hasChanges } from '../../src/engine/plan.js';
import { formatPlan } from '../../src/ui/plan-printer.js';
import { seedSources } from '../vpc-mirror/seed.js';
import { world, type World } from './harness.js';

let w: World;
afterEach(() => w?.done());

/** Calls that read a resource the deployment owns (drift detection), by command. */
const LIVE_READS = new Set([
  'DescribeLoadBalancers',
  'DescribeLoadBalancerAttributes',
  'DescribeTargetGroups',
  'DescribeListeners',
  'DescribeTags',
  'DescribeSecurityGroups',
  'DescribeLaunchTemplates',
  'DescribeLaunchTemplateVersions',
  'DescribeAutoScalingGroups',
  'DescribeInstanceRefreshes',
  'DescribePolicies',
  'GetRole',
  'ListRolePolicies',
  'GetRolePolicy',
  'GetInstanceProfile',
  'DescribeTrafficMirrorFilters',
  'DescribeTrafficMirrorTargets',
  'DescribeTrafficMirrorSessions',
]);

function commandsSince(w: World, mark: number): string[] {
  return w.fake.calls.slice(mark).map((c) => c.command);
}

describe('plan --refresh=false: config and sources against state, no live reads', () => {
  it('reads no resource of the deployment, so drift is not shown (and says so); a full plan shows it', async () => {
    w = await world();
    await w.apply();
    const listener = [...w.fake.elbv2.listeners.values()][0]!;
    await (await w.aws.elbv2()).send(new DeleteListenerCommand({ ListenerArn: listener.arn }));

    const mark = w.fake.calls.length;
    const plan = (await planOnline(w.deployment(), { refresh: false })).plan;
    expect(commandsSince(w, mark).filter((c) => LIVE_READS.has(c))).toEqual([]);
    expect(hasChanges(plan)).toBe(false);
    expect(plan.notes).toContain(NO_REFRESH_NOTE);
    expect(formatPlan(plan, { showProperties: false, showUserData: false })).toContain('Planned with --refresh=false');

    const full = await w.plan();
    expect(full.actions.filter((a) => a.action !== 'noop')).toEqual([expect.objectContaining({ id: 'node-listener', action: 'create' })]);
    expect(full.notes).not.toContain(NO_REFRESH_NOTE);
  });

  it('shows a config edit as a change, the live value as not read', async () => {
    w = await world();
    await w.apply();
    await w.writeConfig({ nodes: { maxSize: 5 } });
    const plan = (await planOnline(w.deployment(), { refresh: false })).plan;
    const changed = plan.actions.filter((a) => a.action !== 'noop');
    expect(changed).toEqual([expect.objectContaining({ id: 'node-asg', action: 'update', reasons: ['`maxSize` changed in the configuration'] })]);
    expect(formatPlan(plan, { showProperties: false, showUserData: false })).toContain('maxSize: (not read: --refresh=false) -> 5');
    // the same change in a full plan, with the live value
    const full = await w.plan();
    expect(full.actions.find((a) => a.id === 'node-asg')).toMatchObject({ action: 'update', changes: [expect.objectContaining({ prop: 'maxSize', before: 3, after: 5 })] });
  });

  it('vpc-mirror: an unchanged source selection needs no session read and no eligibility check; a new interface is checked and planned', async () => {
    w = await world({ config: { topology: 'vpc-mirror', mirror: { receiver: 'goreplay', sources: [{ autoScalingGroup: 'web-asg' }] } } });
    const s = seedSources(w.fake, w.net);
    await w.apply();

    let mark = w.fake.calls.length;
    const steady = (await planOnline(w.deployment(), { refresh: false })).plan;
    expect(hasChanges(steady)).toBe(false);
    const reads = w.fake.calls.slice(mark).filter((c) => LIVE_READS.has(c.command) || c.command === 'DescribeInstances' || c.command === 'DescribeInstanceTypes');
    // only the source's own group (web-asg, not the deployment's), to list its instances
    expect(reads.map((c) => [c.command, c.input])).toEqual([['DescribeAutoScalingGroups', { AutoScalingGroupNames: ['web-asg'] }]]);

    await w.writeConfig({ topology: 'vpc-mirror', mirror: { receiver: 'goreplay', sources: [{ autoScalingGroup: 'web-asg' }, { networkInterfaceIds: [s.webEni, s.xenEni] }] } } as never);
    mark = w.fake.calls.length;
    const grown = (await planOnline(w.deployment(), { refresh: false })).plan;
    // the selection changed: every selected interface is checked, as on a first plan
    expect(commandsSince(w, mark)).toEqual(expect.arrayContaining(['DescribeInstances', 'DescribeInstanceTypes']));
    expect(grown.actions.filter((a) => a.action !== 'noop').map((a) => a.id)).toEqual(['mirror-sessions']);
    const text = formatPlan(grown, { showProperties: false, showUserData: false });
    expect(text).toContain('networkInterfaceIds: (not read: --refresh=false)');
    expect(text).toContain(`skipped ${s.xenEni}`);
  });
});
