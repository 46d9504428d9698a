import { afterEach, describe, expect, it } from 'vitest';
import { DeleteListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DeleteLaunchTemplateCommand, DeleteTrafficMirrorSessionCommand, DeleteTrafficMirrorTargetCommand, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { seedSources } from '../vpc-mirror/seed.js';
import { hasChanges } from '../../src/engine/plan.js';
import { formatPlan } from '../../src/ui/plan-printer.js';
import { world, type World } from './harness.js';

let w: World;
afterEach(() => w?.done());

describe('drift: changes made behind the tool', () => {
  it('a listener deleted outside wallarm-oob is planned as a create with the reason, and apply puts it back', async () => {
    w = await world();
    await w.apply();
    const listener = [...w.fake.elbv2.listeners.values()][0]!;
    const elb = await w.aws.elbv2();
    await elb.send(new DeleteListenerCommand({ ListenerArn: listener.arn }));

    const plan = await w.plan();
    const changed = plan.actions.filter((a) => a.action !== 'noop');
    expect(changed).toEqual([
      expect.objectContaining({ id: 'node-listener', action: 'create', reasons: [`${listener.arn} was deleted outside wallarm-oob`] }),
    ]);
    const text = formatPlan(plan, { showProperties: false, showUserData: false });
    expect(text).toContain('+ node-listener (listener) will be created');
    expect(text).toContain('was deleted outside wallarm-oob');
    expect(text).toContain('Plan: 1 to add, 0 to change, 0 to replace, 0 to destroy.');

    await w.apply();
    expect(w.fake.elbv2.listeners.size).toBe(1);
    expect(hasChanges(await w.plan())).toBe(false);
  });

  it('a security group rule revoked outside wallarm-oob shows as an update with the drift reason', async () => {
    w = await world();
    await w.apply();
    const sg = [...w.fake.ec2.securityGroups.values()].find((g) => g.name === 'wallarm-oob-shop-oob-alb')!;
    const ec2 = await w.aws.ec2();
    await ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: sg.id, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8445, ToPort: 8445, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] }),
    );
    const plan = await w.plan();
    const action = plan.actions.find((a) => a.id === 'lb-security-group')!;
    expect(action).toMatchObject({ action: 'update', reasons: ['`ingress` was changed outside wallarm-oob'] });
    await w.apply();
    expect(hasChanges(await w.plan())).toBe(false);
  });

  it('a launch template deleted outside wallarm-oob is created again, although EC2 replays the dead one for the same client token', async () => {
    w = await world();
    await w.apply();
    const old = [...w.fake.ec2.launchTemplates.values()][0]!;
    const ec2 = await w.aws.ec2();
    await ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: old.id }));
    const plan = await w.plan();
    expect(plan.actions.find((a) => a.id === 'node-launch-template')).toMatchObject({ action: 'create', reasons: [`${old.id} was deleted outside wallarm-oob`] });
    await w.apply();
    const now = [...w.fake.ec2.launchTemplates.values()];
    expect(now).toHaveLength(1);
    expect(now[0]!.id).not.toBe(old.id);
    expect([...w.fake.autoscaling.groups.values()][0]!.lt.id).toBe(now[0]!.id);
    expect(hasChanges(await w.plan())).toBe(false);
  });

  it('a traffic mirror target (and its sessions) deleted outside wallarm-oob are created again, despite the replayed client token', async () => {
    w = await world();
    const sources = seedSources(w.fake, w.net);
    await w.writeConfig({ topology: 'vpc-mirror', mirror: { receiver: 'goreplay', sources: [{ autoScalingGroup: 'web-asg' }] } } as never);
    await w.apply();
    const target = [...w.fake.mirroring.targets.values()].find((t) => t.nlbArn)!;
    const ec2 = await w.aws.ec2();
    for (const s of [...w.fake.mirroring.sessions.values()].filter((x) => x.targetId === target.id)) {
      await ec2.send(new DeleteTrafficMirrorSessionCommand({ TrafficMirrorSessionId: s.id }));
    }
    await ec2.send(new DeleteTrafficMirrorTargetCommand({ TrafficMirrorTargetId: target.id }));

    const plan = await w.plan();
    expect(plan.actions.find((a) => a.id === 'mirror-target')).toMatchObject({ action: 'create' });
    await w.apply();
    const next = [...w.fake.mirroring.targets.values()].find((t) => t.nlbArn)!;
    expect(next.id).not.toBe(target.id);
    const mirrored = [...w.fake.mirroring.sessions.values()].filter((x) => x.targetId === next.id).map((x) => x.eniId).sort();
    expect(mirrored).toEqual(sources.asgEnis);
    expect(hasChanges(await w.plan())).toBe(false);
  });
});
