import { afterEach, describe, expect, it } from 'vitest';
import { world, type World } from './harness.js';

let w: World | undefined;
afterEach(() => w?.done());

describe('network checks made before apply', () => {
  it('instance subnets without a route to the internet: a warning naming the subnet and its route table', async () => {
    w = await world();
    // A subnet with no association of its own uses the VPC's main route table, which has only the local route.
    const isolated = w.fake.addSubnet({ vpcId: w.net.vpcId, az: 'eu-west-1a', cidr: '10.0.9.0/24' });
    const main = [...w.fake.ec2.routeTables.values()].find((t) => t.vpcId === w!.net.vpcId && t.main)!;
    await w.writeConfig({ subnets: { loadBalancer: [...w.net.privateSubnetIds], instances: [isolated, w.net.privateSubnetIds[1]] } });
    const notes = (await w.plan()).notes.join('\n');
    expect(notes).toContain(`subnets.instances: subnet ${isolated} (route table ${main.id}) has no default route to the internet (NAT gateway, internet gateway or transit gateway)`);
    expect(notes).not.toContain(w.net.privateSubnetIds[1]); // its route table has a NAT gateway route
  });
});

describe('validate runs the same checks plan and apply run', () => {
  it('warns about an instance subnet with no route out, and fails on a name taken by something not ours', async () => {
    w = await world();
    const isolated = w.fake.addSubnet({ vpcId: w.net.vpcId, az: 'eu-west-1a', cidr: '10.0.9.0/24' });
    await w.writeConfig({ subnets: { loadBalancer: [...w.net.privateSubnetIds], instances: [isolated, w.net.privateSubnetIds[1]] } });
    w.fake.ec2.groups.CreateSecurityGroup({ GroupName: 'wallarm-oob-shop-oob-alb', Description: 'someone else', VpcId: w.net.vpcId });
    const { accountChecks } = await import('../../src/core/validate.js');
    const checks = await accountChecks(w.loaded, w.aws);
    const route = checks.find((c) => c.id === 'internet-route')!;
    expect(route.status).toBe('warning');
    expect(route.detail).toContain(`subnet ${isolated}`);
    expect(route.detail).not.toContain(w.net.privateSubnetIds[1]);
    const names = checks.find((c) => c.id === 'names')!;
    expect(names.status).toBe('failed');
    expect(names.code).toBe('NAME_TAKEN');
    expect(names.detail).toMatch(/security-group name "wallarm-oob-shop-oob-alb" \(lb-security-group\) is taken by sg-\w+, which wallarm-oob did not create/);
  });

  it('both pass on the standard account', async () => {
    w = await world();
    const { accountChecks } = await import('../../src/core/validate.js');
    const checks = await accountChecks(w.loaded, w.aws);
    expect(checks.find((c) => c.id === 'internet-route')?.status).toBe('ok');
    expect(checks.find((c) => c.id === 'names')?.status).toBe('ok');
  });
});
