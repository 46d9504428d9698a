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
