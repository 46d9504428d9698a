import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigSchema, type VpcMirrorConfig } from '../../src/config/schema.js';
import { planOffline } from '../../src/core/planning.js';
import { isJoin, unknown, type ResourceNode } from '../../src/engine/types.js';
import { ConfigError } from '../../src/errors.js';
import type { VpcMirrorInputs as Inputs } from '../../src/topologies/vpc-mirror/inputs.js';
import { mirrorFilterRules, planVpcMirror, VPC_ID } from '../../src/topologies/vpc-mirror/planner.js';
import { renderRebuilderUserData } from '../../src/topologies/vpc-mirror/receivers/goreplay/index.js';
import { NATIVE_ID } from '../../src/topologies/vpc-mirror/receivers/native-node/index.js';
import { formatPlan } from '../../src/ui/plan-printer.js';
import { DEFAULT_NODE_VERSION, nodeLine } from '../../src/wallarm/node-versions.js';

function inputs(overrides: Record<string, unknown> = {}, mirror: Partial<Inputs['mirror'] & object> = {}): Inputs {
  const config = ConfigSchema.parse({
    deployment: 'shop-vpc',
    topology: 'vpc-mirror',
    vpcId: 'vpc-0123456789abcdef0',
    subnets: { loadBalancer: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], instances: ['subnet-0123456789abcdef2'] },
    mirror: { receiver: 'goreplay', sources: [{ autoScalingGroup: 'web-asg' }] },
    ...overrides,
  }) as VpcMirrorConfig;
  return {
    config,
    region: 'eu-west-1',
    partition: 'aws',
    nodeImageId: 'ami-0123456789abcdef0',
    node: { line: nodeLine(DEFAULT_NODE_VERSION), version: '7.1.0' },
    tokenParameterArn: 'arn:aws:ssm:eu-west-1:123456789012:parameter/wallarm-oob/shop-vpc/node-token',
    nodeUserData: '#!/bin/bash\n',
    mirror: {
      debianImageId: 'ami-0debian0000000000',
      vpcCidrs: ['10.0.0.0/16', '10.1.0.0/16'],
      eligibleEnis: ['eni-0bbbbbbbbbbbbbbbb', 'eni-0aaaaaaaaaaaaaaaa'],
      sources: [],
      rebuilderUserData: renderRebuilderUserData(config),
      ...mirror,
    },
  };
}

const byId = (nodes: readonly ResourceNode[], id: string) => nodes.find((n) => n.id === id)!;

describe('planVpcMirror (pure)', () => {
  it('builds the node layer plus the reference vpc-mirror resources', () => {
    const graph = planVpcMirror(inputs());
    const ids = graph.nodes.map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining(['node-alb', 'node-asg', ...Object.values(VPC_ID)]));

    expect(byId(graph.nodes, VPC_ID.nlb).props).toEqual({
      name: 'wallarm-oob-shop-vpc-nlb',
      type: 'network',
      scheme: 'internal',
      subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
      securityGroupIds: [],
      attributes: { 'load_balancing.cross_zone.enabled': 'true', 'deletion_protection.enabled': 'false' },
    });
    expect(byId(graph.nodes, VPC_ID.targetGroup).props).toMatchObject({
      protocol: 'UDP',
      port: 4789,
      targetType: 'instance',
      healthCheck: { protocol: 'HTTP', port: '9445', path: '/-/healthcheck', intervalSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 3 },
    });
    expect((byId(graph.nodes, VPC_ID.targetGroup).props.name as string).length).toBeLessThanOrEqual(32);
    expect(byId(graph.nodes, VPC_ID.listener).props).toMatchObject({ protocol: 'UDP', port: 4789, loadBalancerArn: { $ref: VPC_ID.nlb, attr: 'arn' } });
    expect(byId(graph.nodes, VPC_ID.asg).props).toMatchObject({
      minSize: 1,
      maxSize: 1,
      desiredCapacity: 1,
      healthCheckType: 'ELB',
      subnetIds: ['subnet-0123456789abcdef2'],
      targetGroupArns: [{ $ref: VPC_ID.targetGroup, attr: 'arn' }],
    });
    expect(byId(graph.nodes, VPC_ID.target).props).toMatchObject({ networkLoadBalancerArn: { $ref: VPC_ID.nlb, attr: 'arn' } });
    expect(byId(graph.nodes, VPC_ID.sessions).props).toMatchObject({
      targetId: { $ref: VPC_ID.target, attr: 'targetId' },
      filterId: { $ref: VPC_ID.filter, attr: 'filterId' },
      vni: 1377,
      sessionNumber: 1,
      networkInterfaceIds: ['eni-0aaaaaaaaaaaaaaaa', 'eni-0bbbbbbbbbbbbbbbb'],
    });
    expect(Object.keys(graph.outputs)).toEqual(expect.arrayContaining(['mirrorEndpoint', 'mirrorTargetId', 'sessionCount']));
  });

  it('rebuilder security group: VXLAN and health check from the VPC CIDRs, SSH only with a key pair', () => {
    const sg = byId(planVpcMirror(inputs()).nodes, VPC_ID.rebuilderSecurityGroup).props;
    expect(sg.ingress).toEqual([
      expect.objectContaining({ protocol: 'udp', fromPort: 4789, cidr: '10.0.0.0/16' }),
      expect.objectContaining({ protocol: 'tcp', fromPort: 9445, cidr: '10.0.0.0/16' }),
      expect.objectContaining({ protocol: 'udp', fromPort: 4789, cidr: '10.1.0.0/16' }),
      expect.objectContaining({ protocol: 'tcp', fromPort: 9445, cidr: '10.1.0.0/16' }),
    ]);
    expect(sg.egress).toEqual([expect.objectContaining({ protocol: '-1', cidr: '0.0.0.0/0' })]);
    const withKey = byId(planVpcMirror(inputs({ nodes: { keyName: 'ops' }, network: { sshCidrs: ['192.168.0.0/24'] } })).nodes, VPC_ID.rebuilderSecurityGroup).props;
    expect(withKey.ingress).toContainEqual(expect.objectContaining({ protocol: 'tcp', fromPort: 22, cidr: '192.168.0.0/24' }));
  });

  it('rebuilder launch template: Debian AMI, no instance profile, user data waiting for the ALB DNS name', () => {
    const lt = byId(planVpcMirror(inputs()).nodes, VPC_ID.rebuilderLaunchTemplate).props;
    expect(lt).toMatchObject({ imageId: 'ami-0debian0000000000', instanceProfileArn: null, instanceType: 't3.small', httpTokens: 'required' });
    expect(isJoin(lt.userData)).toBe(true);
    const parts = (lt.userData as { $join: unknown[] }).$join;
    expect(parts.filter((p) => typeof p !== 'string')).toContainEqual({ $ref: 'node-alb', attr: 'dnsName' });
    expect(parts.filter((p) => typeof p === 'string').join('')).not.toContain('wallarm-oob-alb.invalid');
  });

  it('filter rules: reference numbers, one accept rule per port, egress matching the source (server) port', () => {
    expect(mirrorFilterRules({ ingress: true, egress: false, ports: [] })).toEqual([
      expect.objectContaining({ direction: 'ingress', ruleNumber: 20, action: 'accept', protocol: 6, destinationPortRange: null }),
      expect.objectContaining({ direction: 'ingress', ruleNumber: 110, action: 'reject', protocol: null }),
    ]);
    const both = mirrorFilterRules({ ingress: true, egress: true, ports: [80, 443] });
    expect(both.map((r) => `${r.direction}:${r.ruleNumber}:${r.action}`)).toEqual([
      'egress:10:accept', 'egress:11:accept', 'egress:120:reject', 'ingress:20:accept', 'ingress:21:accept', 'ingress:110:reject',
    ]);
    expect(both[0]).toMatchObject({ sourcePortRange: { from: 80, to: 80 }, destinationPortRange: null });
    expect(both[3]).toMatchObject({ destinationPortRange: { from: 80, to: 80 } });
    expect(both[3]).not.toHaveProperty('sourcePortRange');
  });

  it('refuses more ports than the 10 rules a filter may hold, saying how many fit', () => {
    expect(mirrorFilterRules({ ingress: true, egress: false, ports: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toHaveLength(10);
    expect(() => mirrorFilterRules({ ingress: true, egress: false, ports: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] })).toThrow(ConfigError);
    try {
      mirrorFilterRules({ ingress: true, egress: true, ports: [1, 2, 3, 4, 5] });
    } catch (error) {
      expect((error as ConfigError).code).toBe('TOO_MANY_MIRROR_PORTS');
      expect((error as ConfigError).actions[0]).toMatch(/at most 4 ports with both ingress and egress/);
    }
  });

  it('rebuilder.count > 1: min = max = desired = count', () => {
    const asg = byId(planVpcMirror(inputs({ rebuilder: { count: 2 } })).nodes, VPC_ID.asg).props;
    expect(asg).toMatchObject({ minSize: 2, maxSize: 2, desiredCapacity: 2 });
  });

  it('offline inputs: sessions and CIDRs unknown', () => {
    const graph = planVpcMirror(inputs({}, { eligibleEnis: unknown('x'), vpcCidrs: unknown('y'), debianImageId: unknown('z') }));
    expect(byId(graph.nodes, VPC_ID.sessions).props.networkInterfaceIds).toEqual({ $unknown: 'x' });
  });
});

describe('planVpcMirror with the native-node receiver (pure)', () => {
  const native = (nativeNode: object = {}) => {
    const base = inputs({ mirror: { sources: [{ autoScalingGroup: 'web-asg' }], ports: [80], nativeNode } });
    return planVpcMirror({ ...base, mirror: { ...base.mirror, rebuilderUserData: undefined, nativeNodeUserData: '#!/bin/bash\necho native\n' } });
  };

  it('builds the role, the native receiver and the mirror layer: no ALB, no NGINX nodes, no rebuilders', () => {
    const graph = native();
    expect(graph.nodes.map((n) => n.id).sort()).toEqual(
      ['node-role', 'node-instance-profile', ...Object.values(NATIVE_ID), VPC_ID.filter, VPC_ID.target, VPC_ID.sessions].sort(),
    );
    expect(byId(graph.nodes, VPC_ID.target).props.networkLoadBalancerArn).toEqual({ $ref: NATIVE_ID.nlb, attr: 'arn' });
    expect(byId(graph.nodes, NATIVE_ID.launchTemplate).props).toMatchObject({
      imageId: 'ami-0debian0000000000',
      instanceType: 't3.medium',
      instanceProfileArn: { $ref: 'node-instance-profile', attr: 'arn' },
      userData: '#!/bin/bash\necho native\n',
      httpTokens: 'required',
    });
    expect(byId(graph.nodes, NATIVE_ID.asg).props).toMatchObject({ minSize: 1, maxSize: 1, desiredCapacity: 1, healthCheckType: 'ELB', subnetIds: ['subnet-0123456789abcdef2'] });
    // Sessions send traffic only once the listener and the nodes exist.
    expect(byId(graph.nodes, VPC_ID.sessions).dependsOn).toEqual([NATIVE_ID.listener, NATIVE_ID.asg]);
    expect(byId(graph.nodes, VPC_ID.filter).props.rules).toHaveLength(4);
    expect(Object.keys(graph.outputs).sort()).toEqual(['mirrorTargetId', 'nativeNodeAutoScalingGroup', 'sessionCount', 'targetGroupArn']);
  });

  it('nativeNode.count sizes the fixed group; the security group admits VXLAN and /ready from the VPC CIDRs only', () => {
    const graph = native({ count: 2, instanceType: 't3.large' });
    expect(byId(graph.nodes, NATIVE_ID.asg).props).toMatchObject({ minSize: 2, maxSize: 2, desiredCapacity: 2 });
    const ingress = byId(graph.nodes, NATIVE_ID.securityGroup).props.ingress as { protocol: string; fromPort: number; cidr: string }[];
    expect(ingress.map((r) => `${r.protocol}/${r.fromPort}/${r.cidr}`)).toEqual(['udp/4789/10.0.0.0/16', 'tcp/8080/10.0.0.0/16', 'udp/4789/10.1.0.0/16', 'tcp/8080/10.1.0.0/16']);
  });
});

describe('plan --offline on examples/vpc-mirror.yaml', () => {
  it('plans the native-node receiver: installer, tcp-capture-v2, from_vxlan, the NLB on UDP 4789, no goreplay, no ALB', async () => {
    const { plan } = planOffline(await loadConfig('examples/vpc-mirror.yaml'));
    expect(plan.topology).toBe('vpc-mirror');
    const ids = plan.actions.map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining([...Object.values(NATIVE_ID), VPC_ID.filter, VPC_ID.target, VPC_ID.sessions]));
    expect(ids.filter((id) => id.startsWith('rebuilder') || ['node-alb', 'node-asg', 'node-launch-template'].includes(id))).toEqual([]);
    expect(plan.mirrorSources).toHaveLength(4);
    const text = formatPlan(plan, { showProperties: true, showUserData: true });
    expect(text).toContain('Mirror sources:');
    expect(text).toContain('  autoScalingGroup web-asg: resolved at plan time against the account');
    expect(text).toContain('https://meganode.wallarm.com/native/aio-native-0.25.5.x86_64.sh');
    expect(text).toContain('--mode=tcp-capture-v2');
    expect(text).toContain('tcp_stream.from_vxlan on 0.0.0.0:4789');
    expect(text).toMatch(/native-node-listener \(listener\) will be created\n(.*\n)*?\s+protocol: "UDP"\n\s+port: 4789/);
    expect(text).toMatch(/sha256 unknown offline/);
    expect(text.toLowerCase()).not.toContain('goreplay');
  });

  it('with the installer sha256 pinned, shows the whole bootstrap offline', async () => {
    const loaded = await loadConfig('examples/vpc-mirror.yaml');
    if (loaded.config.topology !== 'vpc-mirror') throw new Error('example is vpc-mirror');
    const sha = 'ab'.repeat(32);
    const nativeNode = { ...loaded.config.mirror.nativeNode!, installer: { sha256: sha } };
    const { plan } = planOffline({ ...loaded, config: { ...loaded.config, mirror: { ...loaded.config.mirror, nativeNode } } });
    const text = formatPlan(plan, { showProperties: false, showUserData: true });
    expect(text).toContain('--- user data of native-node-launch-template');
    expect(text).toContain(`readonly INSTALLER_SHA256='${sha}'`);
    expect(text).toContain('mode: tcp-capture-v2');
  });

  it('warns when more than one rebuilder is configured, and marks goreplay legacy', async () => {
    const loaded = await loadConfig('examples/vpc-mirror.yaml');
    if (loaded.config.topology !== 'vpc-mirror') throw new Error('example is vpc-mirror');
    const { nativeNode: _unused, ...mirror } = loaded.config.mirror;
    const { plan } = planOffline({ ...loaded, config: { ...loaded.config, mirror: { ...mirror, receiver: 'goreplay' }, rebuilder: { ...loaded.config.rebuilder, count: 2 } } });
    expect(plan.notes.join('\n')).toMatch(/rebuilder\.count is 2: .*cannot be rebuilt/);
    expect(plan.notes.join('\n')).toMatch(/goreplay is legacy: Wallarm withdrew this design.*use it only where the Native Node cannot run/);
    const text = formatPlan(plan, { showProperties: true, showUserData: true });
    expect(text).toContain('--- user data of rebuilder-launch-template');
    expect(text).toContain('${node-alb.dnsName}');
  });
});
