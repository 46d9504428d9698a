import type { MirrorConfig, VpcMirrorConfig } from '../config/schema.js';
import { isUnknown, joinAt, ref, type Graph, type ResourceNode, type Unknown } from '../engine/types.js';
import { ConfigError } from '../errors.js';
import { HEALTHCHECK_PATH, HEALTHCHECK_PORT, VXLAN_PORT } from '../render/rebuilder-cloud-init.js';
import type {
  AutoScalingGroupProps,
  LaunchTemplateProps,
  ListenerProps,
  LoadBalancerProps,
  SecurityGroupProps,
  SecurityGroupRule,
  TargetGroupProps,
  TrafficMirrorFilterProps,
  TrafficMirrorFilterRule,
  TrafficMirrorSessionsProps,
  TrafficMirrorTargetProps,
} from '../resources/types.js';
import { REBUILDER_ENDPOINT_PLACEHOLDER, type Inputs, type MirrorInputs } from './inputs.js';
import { ELB_NAME_MAX, resourceName } from './names.js';
import { nativeNodeNlbName, nativeNodeReceiver } from './native-node-receiver.js';
import { followerLayer } from '../topologies/vpc-mirror/follower/plan.js';
import { ID, MIRROR_PORT, nodeLayer, nodeLayerOutputs } from './web-server-mirror.js';

/** Logical ids of topology 2, on top of the node layer's (ID). */
export const VPC_ID = {
  rebuilderSecurityGroup: 'rebuilder-security-group',
  rebuilderLaunchTemplate: 'rebuilder-launch-template',
  nlb: 'rebuilder-nlb',
  targetGroup: 'rebuilder-target-group',
  listener: 'rebuilder-listener',
  asg: 'rebuilder-asg',
  filter: 'mirror-filter',
  target: 'mirror-target',
  sessions: 'mirror-sessions',
} as const;

/** AWS quota (not adjustable): rules per traffic mirror filter, both directions together. */
export const MAX_FILTER_RULES = 10;
/** Rule numbers of the reference module: accept rules from 20 (ingress) / 10 (egress) up, reject-all at 110 / 120. */
export const RULE_NUMBERS = { ingressAccept: 20, egressAccept: 10, ingressReject: 110, egressReject: 120 } as const;
/**
 * Network services added to the filter. Adding `amazon-dns` makes AWS mirror all Amazon DNS traffic whatever
 * the rules (ModifyTrafficMirrorFilterNetworkServices); DNS is no HTTP for the rebuilders, so none is added:
 * DNS stays out, which is what the reference module meant by "amazon-dns excluded".
 */
export const MIRROR_NETWORK_SERVICES: string[] = [];
/** Rebuilders build goreplay at first boot (or download it): give them time before ELB health checks count. */
export const REBUILDER_GRACE_SECONDS = 600;
export const REBUILDER_VOLUME_GIB = 20;

/**
 * A filter rule as the planner writes it. `sourcePortRange` (egress rules with mirror.ports: responses leave
 * from the server port) extends TrafficMirrorFilterRule; the filter handler must create and read it.
 */
export type MirrorFilterRule = TrafficMirrorFilterRule & { sourcePortRange?: { from: number; to: number } };

const TCP = 6;
const ANYWHERE = '0.0.0.0/0';

type NodeOf<P> = Omit<ResourceNode, 'props'> & { props: { [K in keyof P]: P[K] | ReturnType<typeof ref> | unknown } };
const node = <P>(n: NodeOf<P>): ResourceNode => n as ResourceNode;

/** Name of the rebuilders' NLB (its ENIs are the mirror target and never a source). */
export const rebuilderNlbName = (deployment: string) => resourceName(deployment, 'nlb', ELB_NAME_MAX);

/**
 * VPC traffic mirroring: the Wallarm node layer (its ALB receives the rebuilt requests), an internal NLB with a
 * UDP 4789 listener in front of the goreplay rebuilders, and the traffic mirror filter, target and sessions
 * that copy the source ENIs' packets to the NLB.
 */
export function planVpcMirror(inputs: Inputs): Graph {
  const { config } = inputs;
  if (config.topology !== 'vpc-mirror') throw new Error('planVpcMirror: not a vpc-mirror config');
  if (!inputs.mirror) throw new Error('planVpcMirror: inputs.mirror is missing (resolveInputs / offlineInputs fill it)');
  const mirror = inputs.mirror;
  const dep = config.deployment;
  if (config.mirror.receiver === 'native-node') {
    const receiver = nativeNodeReceiver({ ...inputs, config, mirror });
    return { nodes: [...receiver.nodes, ...mirrorLayer(config, mirror, inputs.partition, receiver.nlbId, receiver.readyIds)], outputs: { ...receiver.outputs, ...mirrorOutputs() } };
  }
  if (mirror.rebuilderUserData === undefined) throw new Error('planVpcMirror: inputs.mirror.rebuilderUserData is missing for receiver goreplay');
  const nodes: ResourceNode[] = [
    ...nodeLayer(inputs),
    node<SecurityGroupProps>({
      id: VPC_ID.rebuilderSecurityGroup,
      kind: 'security-group',
      description: `mirrored packets (UDP ${VXLAN_PORT}) and health checks reach the rebuilders`,
      props: {
        name: resourceName(dep, 'rebuilder', 255),
        description: `wallarm-oob ${dep}: traffic rebuilders behind the mirror NLB`,
        vpcId: config.vpcId,
        ingress: rebuilderIngress(config, mirror.vpcCidrs),
        egress: [{ protocol: '-1', fromPort: -1, toPort: -1, cidr: ANYWHERE, description: 'Wallarm nodes, packages, goreplay download' }],
      },
    }),
    node<LaunchTemplateProps>({
      id: VPC_ID.rebuilderLaunchTemplate,
      kind: 'launch-template',
      props: {
        name: resourceName(dep, 'rebuilder', 128),
        imageId: mirror.debianImageId,
        instanceType: config.rebuilder.instanceType,
        keyName: config.nodes.keyName ?? null,
        securityGroupIds: [ref(VPC_ID.rebuilderSecurityGroup, 'groupId')],
        instanceProfileArn: null,
        userData: joinAt(mirror.rebuilderUserData, REBUILDER_ENDPOINT_PLACEHOLDER, ref(ID.alb, 'dnsName')),
        volumeSizeGiB: REBUILDER_VOLUME_GIB,
        volumeType: 'gp3',
        detailedMonitoring: true,
        httpTokens: 'required',
      },
    }),
    node<LoadBalancerProps>({
      id: VPC_ID.nlb,
      kind: 'load-balancer',
      description: 'internal NLB: the traffic mirror target',
      props: {
        name: rebuilderNlbName(dep),
        type: 'network',
        scheme: 'internal',
        // The load balancer subnets (>= 2 AZs, one per AZ): the NLB must cover the rebuilders' zones, like the ALB the nodes'.
        subnetIds: [...config.subnets.loadBalancer],
        securityGroupIds: [],
        attributes: {
          'load_balancing.cross_zone.enabled': 'true',
          'deletion_protection.enabled': String(config.loadBalancer.deletionProtection),
        },
      },
    }),
    node<TargetGroupProps>({
      id: VPC_ID.targetGroup,
      kind: 'target-group',
      props: {
        name: resourceName(dep, `vxlan-${VXLAN_PORT}`, ELB_NAME_MAX),
        protocol: 'UDP',
        port: VXLAN_PORT,
        vpcId: config.vpcId,
        targetType: 'instance',
        healthCheck: {
          protocol: 'HTTP',
          port: String(HEALTHCHECK_PORT),
          path: HEALTHCHECK_PATH,
          intervalSeconds: 10,
          timeoutSeconds: 6,
          healthyThreshold: 3,
          unhealthyThreshold: 3,
        },
      },
    }),
    node<ListenerProps>({
      id: VPC_ID.listener,
      kind: 'listener',
      props: { loadBalancerArn: ref(VPC_ID.nlb, 'arn'), protocol: 'UDP', port: VXLAN_PORT, targetGroupArn: ref(VPC_ID.targetGroup, 'arn') },
    }),
    node<AutoScalingGroupProps>({
      id: VPC_ID.asg,
      kind: 'auto-scaling-group',
      description: 'goreplay rebuilders (fixed size: a TCP stream split over two cannot be rebuilt)',
      props: {
        name: resourceName(dep, 'rebuilders', 255),
        launchTemplateId: ref(VPC_ID.rebuilderLaunchTemplate, 'id'),
        launchTemplateVersion: ref(VPC_ID.rebuilderLaunchTemplate, 'latestVersion'),
        minSize: config.rebuilder.count,
        maxSize: config.rebuilder.count,
        desiredCapacity: config.rebuilder.count,
        subnetIds: [...config.subnets.instances],
        targetGroupArns: [ref(VPC_ID.targetGroup, 'arn')],
        healthCheckType: 'ELB',
        healthCheckGracePeriod: REBUILDER_GRACE_SECONDS,
        metricsCollection: true,
        instanceRefresh: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
      },
    }),
    ...mirrorLayer(config, mirror, inputs.partition, VPC_ID.nlb),
  ];
  return {
    nodes,
    outputs: {
      ...nodeLayerOutputs(),
      mirrorEndpoint: { from: ref(ID.alb, 'dnsName'), format: `http://{}:${MIRROR_PORT}`, description: 'where the rebuilders send rebuilt requests (the Wallarm ALB)' },
      ...mirrorOutputs(),
      rebuilderAutoScalingGroup: { from: ref(VPC_ID.asg, 'name'), description: 'Auto Scaling group of the rebuilders' },
    },
  };
}

/** The traffic mirror filter, target (the receiver's NLB) and sessions, shared by every receiver. */
function mirrorLayer(config: VpcMirrorConfig, mirror: MirrorInputs, partition: string, nlbId: string, receiverReady: readonly string[] = []): ResourceNode[] {
  const dep = config.deployment;
  return [
    node<TrafficMirrorFilterProps>({
      id: VPC_ID.filter,
      kind: 'traffic-mirror-filter',
      description: 'which packets of the sources are mirrored',
      props: {
        description: `wallarm-oob ${dep}: TCP${config.mirror.ports.length ? ` ports ${config.mirror.ports.join(', ')}` : ''} ${directions(config.mirror)}`,
        networkServices: [...MIRROR_NETWORK_SERVICES],
        rules: mirrorFilterRules(config.mirror),
      },
    }),
    node<TrafficMirrorTargetProps>({
      id: VPC_ID.target,
      kind: 'traffic-mirror-target',
      props: { networkLoadBalancerArn: ref(nlbId, 'arn'), description: `wallarm-oob ${dep}: ${nlbId === VPC_ID.nlb ? 'rebuilder' : 'native node'} NLB` },
    }),
    node<TrafficMirrorSessionsProps>({
      id: VPC_ID.sessions,
      kind: 'traffic-mirror-session',
      description: 'one mirror session per eligible source ENI',
      ...(receiverReady.length > 0 && { dependsOn: [...receiverReady] }),
      props: {
        targetId: ref(VPC_ID.target, 'targetId'),
        filterId: ref(VPC_ID.filter, 'filterId'),
        vni: config.mirror.vni,
        sessionNumber: config.mirror.firstSessionNumber,
        networkInterfaceIds: sessionEnis(mirror.eligibleEnis),
        description: `wallarm-oob ${dep}`,
      },
    }),
    ...followerLayer(config, {
      filter: VPC_ID.filter,
      target: VPC_ID.target,
      sessions: VPC_ID.sessions,
      ownNlbName: nlbId === VPC_ID.nlb ? rebuilderNlbName(dep) : nativeNodeNlbName(dep),
    }, partition),
  ];
}

function mirrorOutputs(): Graph['outputs'] {
  return {
    mirrorTargetId: { from: ref(VPC_ID.target, 'targetId'), description: 'traffic mirror target (the receiver NLB)' },
    sessionCount: { from: ref(VPC_ID.sessions, 'count'), description: 'traffic mirror sessions (one per mirrored ENI)' },
  };
}

/**
 * Filter rules. Ingress (packets arriving at a source: requests) match the destination port; egress (packets
 * leaving it: responses) match the source port, the server side of the connection. Rule numbers are unique per
 * direction; AWS allows 10 rules per filter.
 */
export function mirrorFilterRules(mirror: Pick<MirrorConfig, 'ingress' | 'egress' | 'ports'>): MirrorFilterRule[] {
  const rules: MirrorFilterRule[] = [];
  const ports = mirror.ports.length ? mirror.ports : [undefined];
  const base = { sourceCidr: ANYWHERE, destinationCidr: ANYWHERE };
  if (mirror.egress) {
    ports.forEach((port, i) => {
      rules.push({
        direction: 'egress',
        ruleNumber: RULE_NUMBERS.egressAccept + i,
        action: 'accept',
        protocol: TCP,
        destinationPortRange: null,
        ...(port !== undefined && { sourcePortRange: { from: port, to: port } }),
        ...base,
        description: port === undefined ? 'outgoing TCP' : `outgoing TCP from port ${port}`,
      });
    });
    rules.push({ direction: 'egress', ruleNumber: RULE_NUMBERS.egressReject, action: 'reject', protocol: null, destinationPortRange: null, ...base, description: 'nothing else' });
  }
  if (mirror.ingress) {
    ports.forEach((port, i) => {
      rules.push({
        direction: 'ingress',
        ruleNumber: RULE_NUMBERS.ingressAccept + i,
        action: 'accept',
        protocol: TCP,
        destinationPortRange: port === undefined ? null : { from: port, to: port },
        ...base,
        description: port === undefined ? 'incoming TCP' : `incoming TCP to port ${port}`,
      });
    });
    rules.push({ direction: 'ingress', ruleNumber: RULE_NUMBERS.ingressReject, action: 'reject', protocol: null, destinationPortRange: null, ...base, description: 'nothing else' });
  }
  if (rules.length > MAX_FILTER_RULES) {
    const perDirection = Math.floor(MAX_FILTER_RULES / (Number(mirror.ingress) + Number(mirror.egress))) - 1;
    throw new ConfigError(
      'TOO_MANY_MIRROR_PORTS',
      `mirror.ports: ${mirror.ports.length} ports need ${rules.length} traffic mirror filter rules (one per port and direction, plus a reject-all rule per direction), but AWS allows ${MAX_FILTER_RULES} per filter.`,
      {
        actions: [
          `List at most ${perDirection} ports${mirror.ingress && mirror.egress ? ' with both ingress and egress' : ''}, or leave mirror.ports empty to mirror all TCP traffic (goreplay keeps only HTTP).`,
        ],
      },
    );
  }
  return rules;
}

function directions(mirror: MirrorConfig): string {
  return mirror.ingress && mirror.egress ? 'in and out' : mirror.ingress ? 'incoming' : 'outgoing';
}

/** UDP 4789 and the health check port from the VPC(s): an NLB keeps the client (source ENI) IP for UDP. */
function rebuilderIngress(config: VpcMirrorConfig, vpcCidrs: MirrorInputs['vpcCidrs']): SecurityGroupRule[] {
  const cidrs: (string | Unknown)[] = isUnknown(vpcCidrs) ? [vpcCidrs] : vpcCidrs;
  const rules = cidrs.flatMap((cidr) => [
    { protocol: 'udp' as const, fromPort: VXLAN_PORT, toPort: VXLAN_PORT, cidr: cidr as string, description: 'mirrored packets (VXLAN) through the NLB' },
    { protocol: 'tcp' as const, fromPort: HEALTHCHECK_PORT, toPort: HEALTHCHECK_PORT, cidr: cidr as string, description: 'NLB health check' },
  ]);
  if (config.nodes.keyName) {
    rules.push(...config.network.sshCidrs.map((cidr) => ({ protocol: 'tcp' as const, fromPort: 22, toPort: 22, cidr, description: 'SSH (nodes.keyName is set)' })));
  }
  return rules;
}

function sessionEnis(enis: MirrorInputs['eligibleEnis']): string[] | Unknown {
  return isUnknown(enis) ? enis : [...new Set(enis)].sort();
}
