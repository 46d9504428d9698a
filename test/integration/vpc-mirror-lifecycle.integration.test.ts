import { afterEach, describe, expect, it } from 'vitest';
import { UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { hasChanges } from '../../src/engine/plan.js';
import { seedSources } from '../vpc-mirror/seed.js';
import { world, type World } from './harness.js';

let w: World;
afterEach(() => w?.done());

describe('vpc-mirror lifecycle against the fake account', () => {
  it('apply builds the mirror layer; an ASG scale-out becomes +1 session; destroy removes sessions, then target and filter, then the NLB', async () => {
    w = await world();
    const sources = seedSources(w.fake, w.net);
    await w.writeConfig({ topology: 'vpc-mirror', mirror: { receiver: 'goreplay', sources: [{ autoScalingGroup: 'web-asg' }] } } as never);

    const first = await w.apply();
    expect(first.changed).toBe(true);

    // ---- the mirror layer, with the reference properties
    const lbs = [...w.fake.elbv2.loadBalancers.values()];
    const nlb = lbs.find((lb) => lb.type === 'network')!;
    expect(nlb).toMatchObject({ scheme: 'internal' });
    expect(nlb.attributes.get('load_balancing.cross_zone.enabled')).toBe('true');
    const udp = [...w.fake.elbv2.targetGroups.values()].find((tg) => tg.protocol === 'UDP')!;
    expect(udp).toMatchObject({ port: 4789, targetType: 'instance' });
    expect(udp.healthCheck).toMatchObject({ protocol: 'HTTP', port: '9445', path: '/-/healthcheck', intervalSeconds: 10, healthyThreshold: 3 });
    expect([...w.fake.elbv2.listeners.values()].find((l) => l.lbArn === nlb.arn)).toMatchObject({ protocol: 'UDP', port: 4789 });
    const rebuilders = [...w.fake.autoscaling.groups.values()].find((g) => g.targetGroups.includes(udp.arn))!;
    expect(rebuilders).toMatchObject({ min: 1, max: 1, desired: 1, healthCheckType: 'ELB' });

    const rebuilderSg = [...w.fake.ec2.securityGroups.values()].find((g) => g.name.endsWith('-rebuilder'))!;
    const ingress = rebuilderSg.rules.filter((r) => !r.egress).map((r) => `${r.protocol}/${r.from}/${r.cidr}`);
    expect(ingress).toEqual(expect.arrayContaining(['udp/4789/10.0.0.0/16', 'tcp/9445/10.0.0.0/16']));
    expect(ingress.some((r) => r.startsWith('tcp/22/'))).toBe(false);

    const target = [...w.fake.mirroring.targets.values()].find((t) => t.nlbArn)!;
    expect(target.nlbArn).toBe(nlb.arn);
    const sessions = () => [...w.fake.mirroring.sessions.values()].filter((s) => s.targetId === target.id);
    expect(sessions().map((s) => s.eniId).sort()).toEqual(sources.asgEnis);
    expect(sessions().every((s) => s.vni === 1377)).toBe(true);
    const filter = [...w.fake.mirroring.filters.values()].find((f) => f.id === sessions()[0]!.filterId)!;
    expect(filter.rules.map((r) => `${r.direction}/${r.number}/${r.action}/${r.protocol ?? 'all'}`).sort()).toEqual(['ingress/110/reject/all', 'ingress/20/accept/6']);

    // the rebuilders send what they rebuild to the Wallarm ALB
    const alb = lbs.find((lb) => lb.name === 'wallarm-oob-shop-oob-alb')!;
    const rebuilderLt = [...w.fake.ec2.launchTemplates.values()].find((t) => t.name.endsWith('-rebuilder'))!;
    const userData = Buffer.from(rebuilderLt.versions.get(rebuilderLt.latestVersion)!.data.UserData!, 'base64').toString('utf8');
    expect(userData).toContain(`http://${alb.dnsName}:8445`);

    expect(hasChanges(await w.plan())).toBe(false);

    // ---- the source group scales out: the next plan mirrors its new instance
    const asg = await w.aws.autoscaling();
    await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'web-asg', DesiredCapacity: 3 }));
    w.fake.advance(600_000);
    const plan = await w.plan();
    const changed = plan.actions.filter((a) => a.action !== 'noop');
    expect(changed.map((a) => [a.id, a.action])).toEqual([['mirror-sessions', 'update']]);
    await w.apply();
    expect(sessions()).toHaveLength(3);
    expect(hasChanges(await w.plan())).toBe(false);

    // ---- destroy: the follower's rules and function, then sessions, then target and filter, then the NLB; nothing tagged left
    const callsBefore = w.fake.calls.length;
    await w.destroy();
    const mutations = w.fake.calls.slice(callsBefore).filter((c) => c.mutating && !c.error);
    const order = mutations.map((c) => c.command);
    const last = (cmd: string) => order.lastIndexOf(cmd);
    const first_ = (cmd: string) => order.indexOf(cmd);
    expect(last('DeleteRule')).toBeLessThan(first_('DeleteFunction'));
    expect(last('DeleteFunction')).toBeLessThan(first_('DeleteTrafficMirrorSession'));
    expect(last('DeleteTrafficMirrorSession')).toBeLessThan(first_('DeleteTrafficMirrorTarget'));
    expect(last('DeleteTrafficMirrorSession')).toBeLessThan(first_('DeleteTrafficMirrorFilter'));
    // (the Wallarm ALB has nothing to do with the mirror target: it may go at any time)
    const nlbDelete = mutations.findIndex((c) => c.command === 'DeleteLoadBalancer' && (c.input as { LoadBalancerArn?: string }).LoadBalancerArn === nlb.arn);
    expect(first_('DeleteTrafficMirrorTarget')).toBeLessThan(nlbDelete);
    expect(w.tagged()).toEqual([]);
    expect(w.fake.mirroring.sessions.size).toBe(3); // only the other tool's sessions are left
  });
});
