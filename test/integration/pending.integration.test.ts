import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { afterEach, describe, expect, it } from 'vitest';
import { hasChanges } from '../../src/engine/plan.js';
import { ID } from '../../src/topologies/common/node-layer.js';
import { decodeState, encodeState } from '../../src/state/document.js';
import { world, type World } from './harness.js';

let w: World | undefined;
afterEach(() => w?.done());

const GROUP = 'wallarm-oob-shop-oob-nodes';

/** Launch template versions the group's instances in service run, and the group's own version. */
async function versions(v: World): Promise<{ group: string; instances: string[] }> {
  const g = (await (await v.aws.autoscaling()).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [GROUP] }))).AutoScalingGroups![0]!;
  const live = (g.Instances ?? []).filter((i) => !/^Terminat/.test(i.LifecycleState ?? ''));
  return { group: g.LaunchTemplate!.Version!, instances: [...new Set(live.map((i) => i.LaunchTemplate!.Version!))] };
}

async function expectRolledOut(v: World): Promise<void> {
  await v.apply();
  const after = await versions(v);
  expect(after.instances).toEqual([after.group]);
  expect(hasChanges(await v.plan())).toBe(false);
}

describe('an instance refresh that did not finish is pending, not forgotten', () => {
  it('refresh failing to start (the run stopped after UpdateAutoScalingGroup): the next plan shows it with its reason; apply converges', async () => {
    w = await world();
    await w.apply();
    await w.writeConfig({ nodes: { instanceType: 't3.large' } });
    w.fake.failAtMutation(1, { mode: 'before', match: 'StartInstanceRefresh' });
    await expect(w.apply()).rejects.toThrow();
    w.fake.clearFaults();
    const stuck = await versions(w);
    expect(stuck.instances).not.toContain(stuck.group); // the group points at the new version, the nodes do not run it

    const plan = await w.plan();
    expect(plan.actions.find((a) => a.id === ID.asg)).toMatchObject({ action: 'update', changes: [expect.objectContaining({ prop: 'launchTemplateVersion', before: '1', after: '2' })] });
    expect(plan.notes.join('\n')).toMatch(/node-asg: 1 instance\(s\) of wallarm-oob-shop-oob-nodes still run launch template version 1.*no instance refresh replaced them\); apply starts an instance refresh/);
    await expectRolledOut(w);
  });

  it('a refresh AWS reports as Failed (new nodes fail health checks) is a plan change; once fixed, apply retries and converges', async () => {
    w = await world({ config: { nodes: { minSize: 2, desiredCapacity: 2 } } });
    await w.apply();
    await w.writeConfig({ nodes: { minSize: 2, desiredCapacity: 2, instanceType: 't3.large' } });
    w.fake.setLaunchHealthy(false);
    await expect(w.apply()).rejects.toThrow(/instance refresh of wallarm-oob-shop-oob-nodes ended Failed/);
    const plan = await w.plan();
    expect(hasChanges(plan)).toBe(true);
    expect(plan.notes.join('\n')).toMatch(/the last instance refresh ended Failed: Instance i-\w+ failed Elastic Load Balancing health checks/);
    // The cause is fixed (e.g. a working node version): new nodes pass, and the failed one recovers.
    w.fake.setLaunchHealthy(true);
    for (const i of w.fake.ec2.instances.values()) w.fake.setInstanceHealthy(i.id, true);
    await expectRolledOut(w);
  });
});

describe('steps that failed are recorded in state as pending', () => {
  it('plan shows the failed step with its reason; the next complete apply clears it', async () => {
    w = await world();
    w.fake.failAtMutation(1, { mode: 'before', match: 'CreateLoadBalancer', code: 'InjectedFailure', status: 400 });
    await expect(w.apply()).rejects.toThrow();
    w.fake.clearFaults();
    const state = (await w.deployment().store.load())!;
    expect(state.pending?.[ID.alb]).toMatchObject({ operation: 'create', reason: expect.stringContaining('InjectedFailure') });
    expect((await w.plan()).notes.join('\n')).toMatch(/node-alb: the create started .* did not finish \(.*InjectedFailure.*\); apply retries it\./);
    await w.apply();
    expect((await w.deployment().store.load())!.pending).toBeUndefined();
  });
});

describe('an invalid state document', () => {
  it('is refused with what is wrong and how to recover (delete it, apply adopts the resources by tag)', async () => {
    w = await world();
    await w.apply();
    const doc = decodeState(w.fake.ssm.parameters.get('/wallarm-oob/shop-oob/state')!.value, 'state');
    (doc.resources[ID.alb] as { kind: string }).kind = 'load-balancr';
    w.fake.ssm.parameters.delete('/wallarm-oob/shop-oob/state');
    w.fake.putParameter('/wallarm-oob/shop-oob/state', encodeState(doc));
    const error = (await w.plan().then(
      () => undefined,
      (e: unknown) => e,
    )) as { code: string; message: string; actions: string[] };
    expect(error.code).toBe('STATE_UNREADABLE');
    expect(error.message).toMatch(/is not a valid wallarm-oob state document \(resources\.node-alb\.kind: /);
    expect(error.actions.join('\n')).toMatch(/delete-parameter --name \/wallarm-oob\/shop-oob\/state\) and run `wallarm-oob apply` again/);
    // Following the advice converges without duplicates.
    w.fake.ssm.parameters.delete('/wallarm-oob/shop-oob/state');
    await w.apply();
    expect(w.tagged().filter((r) => r.type === 'load-balancer')).toHaveLength(1);
    expect(hasChanges(await w.plan())).toBe(false);
  });
});
