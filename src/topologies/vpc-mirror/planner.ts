import type { MirrorConfig } from '../../config/schema.js';
import { isUnknown, ref, type Graph, type ResourceNode, type Unknown } from '../../engine/types.js';
import { ConfigError } from '../../errors.js';
import type { TrafficMirrorFilterRule } from '../../resources/types.js';
import { resource } from '../common/resource.js';
import type { MirrorInputs, VpcMirrorInputs } from './inputs.js';
import { GOREPLAY_ID } from './receivers/goreplay/ids.js';
import { receiverOf } from './receivers/index.js';
import type { ReceiverPlan } from './receivers/types.js';

/**
 * Logical ids of vpc-mirror's mirror layer, with the goreplay receiver's (kept here for the ids it has always
 * had; the native-node receiver's are NATIVE_ID).
 */
export const VPC_ID = {
  ...GOREPLAY_ID,
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

/**
 * A filter rule as the planner writes it. `sourcePortRange` (egress rules with mirror.ports: responses leave
 * from the server port) extends TrafficMirrorFilterRule; the filter handler must create and read it.
 */
export type MirrorFilterRule = TrafficMirrorFilterRule & { sourcePortRange?: { from: number; to: number } };

const TCP = 6;
const ANYWHERE = '0.0.0.0/0';

/**
 * VPC traffic mirroring: the receiver (receivers/: its NLB on UDP 4789 and the instances behind it), and the
 * traffic mirror filter, target and sessions that copy the source ENIs' packets to the receiver's NLB.
 */
export function planVpcMirror(inputs: VpcMirrorInputs): Graph {
  const { config } = inputs;
  const receiver = receiverOf(config).plan(inputs);
  return {
    nodes: [...receiver.nodes, ...mirrorLayer(inputs, receiver)],
    outputs: {
      ...receiver.outputs,
      mirrorTargetId: { from: ref(VPC_ID.target, 'targetId'), description: 'traffic mirror target (the receiver NLB)' },
      sessionCount: { from: ref(VPC_ID.sessions, 'count'), description: 'traffic mirror sessions (one per mirrored ENI)' },
    },
  };
}

/** The traffic mirror filter, target (the receiver's NLB) and sessions, the same for every receiver. */
function mirrorLayer(inputs: VpcMirrorInputs, receiver: ReceiverPlan): ResourceNode[] {
  const { config, mirror } = inputs;
  const dep = config.deployment;
  return [
    resource({
      id: VPC_ID.filter,
      kind: 'traffic-mirror-filter',
      description: 'which packets of the sources are mirrored',
      props: {
        description: `wallarm-oob ${dep}: TCP${config.mirror.ports.length ? ` ports ${config.mirror.ports.join(', ')}` : ''} ${directions(config.mirror)}`,
        networkServices: [...MIRROR_NETWORK_SERVICES],
        rules: mirrorFilterRules(config.mirror),
      },
    }),
    resource({
      id: VPC_ID.target,
      kind: 'traffic-mirror-target',
      props: { networkLoadBalancerArn: ref(receiver.nlbId, 'arn'), description: `wallarm-oob ${dep}: ${receiver.targetDescription}` },
    }),
    resource({
      id: VPC_ID.sessions,
      kind: 'traffic-mirror-session',
      description: 'one mirror session per eligible source ENI',
      ...(receiver.readyIds.length > 0 && { dependsOn: [...receiver.readyIds] }),
      props: {
        targetId: ref(VPC_ID.target, 'targetId'),
        filterId: ref(VPC_ID.filter, 'filterId'),
        vni: config.mirror.vni,
        sessionNumber: config.mirror.firstSessionNumber,
        networkInterfaceIds: sessionEnis(mirror.eligibleEnis),
        description: `wallarm-oob ${dep}`,
      },
    }),
  ];
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

function sessionEnis(enis: MirrorInputs['eligibleEnis']): string[] | Unknown {
  return isUnknown(enis) ? enis : [...new Set(enis)].sort();
}
