import { describe, expect, it } from 'vitest';
import { classifySubnet, egressWarnings, instanceEgress, loadBalancerSubnetProblem, tlsPortsWarning, zonesOf, type RouteTableLike } from '../../src/init/classify.js';

const VPC = 'vpc-0123456789abcdef0';
const main = (routes: RouteTableLike['Routes']): RouteTableLike => ({ RouteTableId: 'rtb-main', VpcId: VPC, Associations: [{ Main: true }], Routes: routes });
const explicit = (id: string, subnets: string[], routes: RouteTableLike['Routes']): RouteTableLike => ({
  RouteTableId: id,
  VpcId: VPC,
  Associations: subnets.map((s) => ({ Main: false, SubnetId: s, AssociationState: { State: 'associated' } })),
  Routes: routes,
});
const local = { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' };
const igw = { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0123456789abcdef0', State: 'active' };
const nat = { DestinationCidrBlock: '0.0.0.0/0', GatewayId: undefined, NatGatewayId: 'nat-0123', State: 'active' };

describe('classifySubnet', () => {
  it('is public when its own route table sends 0.0.0.0/0 to an internet gateway', () => {
    const tables = [main([local]), explicit('rtb-pub', ['subnet-a'], [local, igw])];
    expect(classifySubnet({ SubnetId: 'subnet-a', VpcId: VPC }, tables)).toEqual({ public: true, routeTableId: 'rtb-pub', explicit: true });
  });

  it('is private when the default route goes to a NAT gateway, or there is none', () => {
    const tables = [main([local, igw]), explicit('rtb-nat', ['subnet-b'], [local, nat]), explicit('rtb-none', ['subnet-c'], [local])];
    expect(classifySubnet({ SubnetId: 'subnet-b', VpcId: VPC }, tables).public).toBe(false);
    expect(classifySubnet({ SubnetId: 'subnet-c', VpcId: VPC }, tables).public).toBe(false);
  });

  it("falls back to the VPC's main route table when the subnet has no association of its own", () => {
    expect(classifySubnet({ SubnetId: 'subnet-d', VpcId: VPC }, [main([local, igw]), explicit('rtb-x', ['subnet-a'], [local])])).toEqual({
      public: true,
      routeTableId: 'rtb-main',
      explicit: false,
    });
    expect(classifySubnet({ SubnetId: 'subnet-d', VpcId: VPC }, [main([local]), explicit('rtb-x', ['subnet-a'], [local, igw])]).public).toBe(false);
  });

  it('ignores the main table of another VPC, blackhole routes and routes to non-igw gateways', () => {
    const otherMain: RouteTableLike = { ...main([local, igw]), RouteTableId: 'rtb-other', VpcId: 'vpc-0aaaaaaaaaaaaaaaa' };
    expect(classifySubnet({ SubnetId: 'subnet-e', VpcId: VPC }, [otherMain])).toEqual({ public: false, routeTableId: undefined, explicit: false });
    const blackhole = explicit('rtb-bh', ['subnet-f'], [local, { ...igw, State: 'blackhole' }]);
    expect(classifySubnet({ SubnetId: 'subnet-f', VpcId: VPC }, [blackhole]).public).toBe(false);
    const vgw = explicit('rtb-vgw', ['subnet-g'], [local, { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'vgw-0123', State: 'active' }]);
    expect(classifySubnet({ SubnetId: 'subnet-g', VpcId: VPC }, [vgw]).public).toBe(false);
  });

  it('an explicit association wins over the main table', () => {
    const tables = [main([local, igw]), explicit('rtb-priv', ['subnet-h'], [local])];
    expect(classifySubnet({ SubnetId: 'subnet-h', VpcId: VPC }, tables)).toEqual({ public: false, routeTableId: 'rtb-priv', explicit: true });
  });
});

describe('the two-AZ rule for load balancer subnets', () => {
  const byId = new Map([
    ['subnet-a1', { az: 'eu-west-1a' }],
    ['subnet-a2', { az: 'eu-west-1a' }],
    ['subnet-b1', { az: 'eu-west-1b' }],
  ]);

  it('accepts subnets in two zones and refuses one zone or nothing', () => {
    expect(loadBalancerSubnetProblem(['subnet-a1', 'subnet-b1'], byId)).toBeUndefined();
    expect(loadBalancerSubnetProblem(['subnet-a1', 'subnet-a2'], byId)).toMatch(/only one Availability Zone \(eu-west-1a\).*at least two/);
    expect(loadBalancerSubnetProblem([], byId)).toMatch(/at least two/);
    expect(zonesOf(['subnet-b1', 'subnet-a1', 'subnet-a2'], byId)).toEqual(['eu-west-1a', 'eu-west-1b']);
  });
});

describe('instanceEgress: how an instance without a public IP gets out', () => {
  const subnet = (id: string) => ({ SubnetId: id, VpcId: VPC });
  it('a NAT gateway or a NAT instance / appliance is a way out', () => {
    expect(instanceEgress(subnet('subnet-b'), [main([local]), explicit('rtb-nat', ['subnet-b'], [local, nat])])).toBe('nat');
    const applianceEni = { DestinationCidrBlock: '0.0.0.0/0', NetworkInterfaceId: 'eni-0123', State: 'active' };
    expect(instanceEgress(subnet('subnet-b'), [explicit('rtb-x', ['subnet-b'], [local, applianceEni])])).toBe('nat');
  });

  it('a transit or VPN gateway may lead out: not warned about', () => {
    const tgw = { DestinationCidrBlock: '0.0.0.0/0', TransitGatewayId: 'tgw-0123', State: 'active' };
    expect(instanceEgress(subnet('subnet-b'), [explicit('rtb-x', ['subnet-b'], [local, tgw])])).toBe('other');
  });

  it('an internet gateway alone, no default route, or a blackhole one: no way out', () => {
    expect(instanceEgress(subnet('subnet-a'), [explicit('rtb-pub', ['subnet-a'], [local, igw])])).toBe('igw-only');
    expect(instanceEgress(subnet('subnet-c'), [main([local])])).toBe('none');
    expect(instanceEgress(subnet('subnet-c'), [main([local, { ...nat, State: 'blackhole' }])])).toBe('none');
  });

  it('warns once, naming each subnet and its route table', () => {
    const [warning, ...rest] = egressWarnings(
      [
        { id: 'subnet-a', egress: 'igw-only', routeTableId: 'rtb-pub' },
        { id: 'subnet-b', egress: 'nat', routeTableId: 'rtb-nat' },
        { id: 'subnet-c', egress: 'none', routeTableId: 'rtb-main' },
      ],
      'vpc-mirror',
    );
    expect(rest).toEqual([]);
    expect(warning).toContain('subnet-a (route table rtb-pub) routes 0.0.0.0/0 to an internet gateway only');
    expect(warning).toContain('subnet-c (route table rtb-main) has no route to the internet');
    expect(warning).not.toContain('subnet-b');
    expect(warning).toContain('The nodes and rebuilders get no public IP address');
    expect(egressWarnings([{ id: 'subnet-b', egress: 'nat' }, { id: 'subnet-d', egress: 'other' }], 'web-server-mirror')).toEqual([]);
  });
});

describe('tlsPortsWarning', () => {
  it('names the TLS ports among the mirrored ones', () => {
    expect(tlsPortsWarning([80, 8080])).toBeUndefined();
    expect(tlsPortsWarning([])).toBeUndefined();
    expect(tlsPortsWarning([80, 443, 8443])).toMatch(/^ports 443, 8443 usually carry TLS/);
  });
});
