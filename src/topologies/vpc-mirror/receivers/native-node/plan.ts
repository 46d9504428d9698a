/**
 * The vpc-mirror `native-node` receiver: an internal NLB with a UDP 4789 listener in front of an Auto Scaling
 * group of Wallarm Native Nodes in tcp-capture-v2 mode, which read the VXLAN themselves, rebuild both directions
 * of every TCP flow and analyse requests and responses (docs.wallarm.com/installation/oob/tcp-traffic-mirror/).
 * No ALB and no NGINX node fleet. The mirror filter, target and sessions come from the vpc-mirror planner.
 */
import { ref, unknown, type ResourceNode } from '../../../../engine/types.js';
import { NATIVE_HEALTH_PATH, NATIVE_HEALTH_PORT, NATIVE_VXLAN_PORT } from '../../../../render/go-node-config.js';
import { ELB_NAME_MAX, resourceName } from '../../../common/names.js';
import { ID, nodeLayer } from '../../../common/node-layer.js';
import { resource } from '../../../common/resource.js';
import type { VpcMirrorInputs } from '../../inputs.js';
import { receiverIngress } from '../ingress.js';
import { vxlanFleet } from '../vxlan-fleet.js';
import type { ReceiverPlan } from '../types.js';

export const NATIVE_ID = {
  securityGroup: 'native-node-security-group',
  launchTemplate: 'native-node-launch-template',
  nlb: 'native-node-nlb',
  targetGroup: 'native-node-target-group',
  listener: 'native-node-listener',
  asg: 'native-node-asg',
} as const;

/** The installer downloads and sets up the node at first boot: time before ELB health checks count. */
export const NATIVE_GRACE_SECONDS = 900;

/** Name of the native nodes' NLB: distinct from the goreplay one, so both exist while a deployment switches. */
const NATIVE_NLB_NAME = 'native-nlb';
export const nativeNodeNlbName = (deployment: string) => resourceName(deployment, NATIVE_NLB_NAME, ELB_NAME_MAX);

/** The native nodes' part of the graph; the sessions wait for its listener and instances (readyIds). */
export function planNativeNode(inputs: VpcMirrorInputs): ReceiverPlan {
  const { config, mirror } = inputs;
  const native = config.mirror.nativeNode;
  if (!native) throw new Error('nativeNodeReceiver: mirror.nativeNode is missing (the schema fills it for receiver native-node)');
  const dep = config.deployment;
  // The role and instance profile of the node layer: the instances read exactly the token parameter at boot.
  const identity = nodeLayer(inputs).filter((n) => n.id === ID.role || n.id === ID.instanceProfile);
  const nodes: ResourceNode[] = [
    ...identity,
    resource({
      id: NATIVE_ID.securityGroup,
      kind: 'security-group',
      description: `mirrored packets (UDP ${NATIVE_VXLAN_PORT}) and health checks reach the native nodes`,
      props: {
        name: resourceName(dep, 'native-node', 255),
        description: `wallarm-oob ${dep}: Wallarm Native Nodes behind the mirror NLB`,
        vpcId: config.vpcId,
        ingress: receiverIngress(config, mirror.vpcCidrs, { vxlan: NATIVE_VXLAN_PORT, health: NATIVE_HEALTH_PORT, healthDescription: 'NLB health check (/ready)' }),
        egress: config.network.nodeOutboundCidrs.map((cidr) => ({ protocol: '-1' as const, fromPort: -1, toPort: -1, cidr, description: 'Wallarm Cloud, installer, packages, SSM' })),
      },
    }),
    resource({
      id: NATIVE_ID.launchTemplate,
      kind: 'launch-template',
      props: {
        name: resourceName(dep, 'native-node', 128),
        imageId: mirror.debianImageId,
        instanceType: native.instanceType,
        keyName: config.nodes.keyName ?? null,
        securityGroupIds: [ref(NATIVE_ID.securityGroup, 'groupId')],
        instanceProfileArn: ref(ID.instanceProfile, 'arn'),
        userData: mirror.nativeNodeUserData ?? unknown('native node user data'),
        volumeSizeGiB: native.volumeSizeGiB,
        volumeType: 'gp3',
        detailedMonitoring: true,
        httpTokens: 'required',
      },
    }),
    ...vxlanFleet(config, {
      ids: NATIVE_ID,
      names: { nlb: NATIVE_NLB_NAME, targetGroup: `native-${NATIVE_VXLAN_PORT}`, asg: 'native-nodes' },
      vxlanPort: NATIVE_VXLAN_PORT,
      health: { port: NATIVE_HEALTH_PORT, path: NATIVE_HEALTH_PATH },
      count: native.count,
      graceSeconds: NATIVE_GRACE_SECONDS,
      asgDescription: 'Wallarm Native Nodes (tcp-capture-v2; fixed size: both directions of a flow must reach one node)',
    }),
  ];
  return {
    nodes,
    nlbId: NATIVE_ID.nlb,
    targetDescription: 'native node NLB',
    readyIds: [NATIVE_ID.listener, NATIVE_ID.asg],
    outputs: {
      nativeNodeAutoScalingGroup: { from: ref(NATIVE_ID.asg, 'name'), description: 'Auto Scaling group of the Wallarm Native Nodes' },
      targetGroupArn: { from: ref(NATIVE_ID.targetGroup, 'arn'), description: 'target group of the native nodes (health)' },
    },
  };
}
