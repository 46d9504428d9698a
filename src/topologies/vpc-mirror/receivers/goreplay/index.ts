/**
 * The legacy goreplay receiver: Debian instances behind an NLB on UDP 4789 rebuild the mirrored packets into HTTP
 * requests (goreplay) and send them to the Wallarm node layer's ALB, in front of the NGINX node fleet.
 */
import type { VpcMirrorConfig } from '../../../../config/schema.js';
import { joinAt, ref } from '../../../../engine/types.js';
import { HEALTHCHECK_PATH, HEALTHCHECK_PORT, REBUILDER_DEFAULTS, renderRebuilderCloudInit, VXLAN_PORT } from '../../../../render/rebuilder-cloud-init.js';
import { ELB_NAME_MAX, resourceName } from '../../../common/names.js';
import { ID, MIRROR_PORT, nodeLayer, nodeLayerOutputs } from '../../../common/node-layer.js';
import { resource } from '../../../common/resource.js';
import { receiverIngress } from '../ingress.js';
import { vxlanFleet } from '../vxlan-fleet.js';
import type { Receiver } from '../types.js';
import { GOREPLAY_ID } from './ids.js';

export { GOREPLAY_ID } from './ids.js';

/** Name of the rebuilders' NLB (its ENIs are the mirror target and never a source). */
const REBUILDER_NLB_NAME = 'nlb';
export const rebuilderNlbName = (deployment: string) => resourceName(deployment, REBUILDER_NLB_NAME, ELB_NAME_MAX);

export const GOREPLAY_LEGACY =
  'mirror.receiver goreplay is legacy: Wallarm withdrew this design (rebuilders turning packets into requests for an NGINX node fleet); use it only where the Native Node cannot run. The default receiver native-node reads the mirrored VXLAN itself and also analyses responses.';

/** Rebuilders build goreplay at first boot (or download it): give them time before ELB health checks count. */
export const REBUILDER_GRACE_SECONDS = 600;
export const REBUILDER_VOLUME_GIB = 20;

/** Host rendered into the rebuilder cloud-init where the ALB's DNS name goes (.invalid never resolves: RFC 6761). */
export const REBUILDER_ENDPOINT_PLACEHOLDER = 'wallarm-oob-alb.invalid';

const ANYWHERE = '0.0.0.0/0';

/** The rebuilder cloud-init, with REBUILDER_ENDPOINT_PLACEHOLDER standing for the ALB's DNS name. */
export function renderRebuilderUserData(config: VpcMirrorConfig): string {
  return renderRebuilderCloudInit({
    mirrorEndpoint: `http://${REBUILDER_ENDPOINT_PLACEHOLDER}:${MIRROR_PORT}`,
    vni: config.mirror.vni,
    expire: REBUILDER_DEFAULTS.expire,
    bufferSize: REBUILDER_DEFAULTS.bufferSize,
    debug: REBUILDER_DEFAULTS.debug,
    goreplay: config.rebuilder.goreplay?.url && config.rebuilder.goreplay.sha256 ? { url: config.rebuilder.goreplay.url, sha256: config.rebuilder.goreplay.sha256 } : undefined,
  });
}

export const goreplay: Receiver = {
  name: 'goreplay',
  label: 'goreplay (legacy: Wallarm withdrew this design; use it only where the Native Node cannot run)',
  healthLabel: 'Node health',
  nodeFleet: true,
  nlbName: rebuilderNlbName,
  resolutionCodes: [],

  notes(config) {
    const notes = [GOREPLAY_LEGACY];
    if (config.rebuilder.count > 1) {
      notes.push(
        `rebuilder.count is ${config.rebuilder.count}: the NLB spreads mirrored packets over the rebuilders by flow, but a TCP stream whose packets reach two rebuilders cannot be rebuilt into requests. Keep 1 unless you have measured it.`,
      );
    }
    return notes;
  },

  offlineInputs: (config) => ({ inputs: { rebuilderUserData: renderRebuilderUserData(config) }, notes: [] }),
  resolveInputs: (_loaded, config) => Promise.resolve({ inputs: { rebuilderUserData: renderRebuilderUserData(config) }, notes: [] }),

  plan(inputs) {
    const { config, mirror } = inputs;
    if (mirror.rebuilderUserData === undefined) throw new Error('goreplay receiver: inputs.mirror.rebuilderUserData is missing');
    const dep = config.deployment;
    return {
      nodes: [
        ...nodeLayer(inputs),
        resource({
          id: GOREPLAY_ID.rebuilderSecurityGroup,
          kind: 'security-group',
          description: `mirrored packets (UDP ${VXLAN_PORT}) and health checks reach the rebuilders`,
          props: {
            name: resourceName(dep, 'rebuilder', 255),
            description: `wallarm-oob ${dep}: traffic rebuilders behind the mirror NLB`,
            vpcId: config.vpcId,
            ingress: receiverIngress(config, mirror.vpcCidrs, { vxlan: VXLAN_PORT, health: HEALTHCHECK_PORT, healthDescription: 'NLB health check' }),
            egress: [{ protocol: '-1', fromPort: -1, toPort: -1, cidr: ANYWHERE, description: 'Wallarm nodes, packages, goreplay download' }],
          },
        }),
        resource({
          id: GOREPLAY_ID.rebuilderLaunchTemplate,
          kind: 'launch-template',
          props: {
            name: resourceName(dep, 'rebuilder', 128),
            imageId: mirror.debianImageId,
            instanceType: config.rebuilder.instanceType,
            keyName: config.nodes.keyName ?? null,
            securityGroupIds: [ref(GOREPLAY_ID.rebuilderSecurityGroup, 'groupId')],
            instanceProfileArn: null,
            userData: joinAt(mirror.rebuilderUserData, REBUILDER_ENDPOINT_PLACEHOLDER, ref(ID.alb, 'dnsName')),
            volumeSizeGiB: REBUILDER_VOLUME_GIB,
            volumeType: 'gp3',
            detailedMonitoring: true,
            httpTokens: 'required',
          },
        }),
        ...vxlanFleet(config, {
          ids: { ...GOREPLAY_ID, launchTemplate: GOREPLAY_ID.rebuilderLaunchTemplate },
          names: { nlb: REBUILDER_NLB_NAME, targetGroup: `vxlan-${VXLAN_PORT}`, asg: 'rebuilders' },
          vxlanPort: VXLAN_PORT,
          health: { port: HEALTHCHECK_PORT, path: HEALTHCHECK_PATH },
          count: config.rebuilder.count,
          graceSeconds: REBUILDER_GRACE_SECONDS,
          asgDescription: 'goreplay rebuilders (fixed size: a TCP stream split over two cannot be rebuilt)',
        }),
      ],
      nlbId: GOREPLAY_ID.nlb,
      targetDescription: 'rebuilder NLB',
      readyIds: [],
      outputs: {
        ...nodeLayerOutputs(),
        mirrorEndpoint: { from: ref(ID.alb, 'dnsName'), format: `http://{}:${MIRROR_PORT}`, description: 'where the rebuilders send rebuilt requests (the Wallarm ALB)' },
        rebuilderAutoScalingGroup: { from: ref(GOREPLAY_ID.asg, 'name'), description: 'Auto Scaling group of the rebuilders' },
      },
    };
  },
};
