/**
 * The goreplay receiver: Debian instances behind the NLB that rebuild mirrored VXLAN packets into HTTP requests
 * (goreplay) and send them to the Wallarm node layer's ALB.
 */
import type { VpcMirrorConfig } from '../../../../config/schema.js';
import { isUnknown, joinAt, ref, unknown, type Desired, type Unknown } from '../../../../engine/types.js';
import { HEALTHCHECK_PATH, HEALTHCHECK_PORT, REBUILDER_DEFAULTS, renderRebuilderCloudInit, VXLAN_PORT } from '../../../../render/rebuilder-cloud-init.js';
import type { SecurityGroupRule } from '../../../../resources/types.js';
import { resourceName } from '../../../shared/names.js';
import { ID, MIRROR_PORT } from '../../../shared/node-layer.js';
import { resource } from '../../../shared/resource.js';
import type { MirrorInputs } from '../../inputs.js';
import type { Receiver } from '../types.js';
import { DEBIAN_AMI_OWNER, DEBIAN_AMI_PATTERN } from './constants.js';

/** Logical ids of the goreplay receiver. */
export const GOREPLAY_ID = {
  rebuilderSecurityGroup: 'rebuilder-security-group',
  rebuilderLaunchTemplate: 'rebuilder-launch-template',
  asg: 'rebuilder-asg',
} as const;

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
  healthCheck: { port: HEALTHCHECK_PORT, path: HEALTHCHECK_PATH },

  offlineInputs: (config) => ({
    debianImageId: unknown(`newest AMI named ${DEBIAN_AMI_PATTERN} by ${DEBIAN_AMI_OWNER}`),
    rebuilderUserData: renderRebuilderUserData(config),
  }),

  async resolveInputs(config, aws, where) {
    const { findDebianImage } = await import('./image.js');
    return { debianImageId: await findDebianImage(aws, where('rebuilder')), rebuilderUserData: renderRebuilderUserData(config) };
  },

  resolutionCodes: ['NO_REBUILDER_IMAGE'],

  plan(inputs, slot) {
    const { config, mirror } = inputs;
    const dep = config.deployment;
    return [
      resource({
        id: GOREPLAY_ID.rebuilderSecurityGroup,
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
      resource({
        id: GOREPLAY_ID.asg,
        kind: 'auto-scaling-group',
        description: 'goreplay rebuilders (fixed size: a TCP stream split over two cannot be rebuilt)',
        props: {
          name: resourceName(dep, 'rebuilders', 255),
          launchTemplateId: ref(GOREPLAY_ID.rebuilderLaunchTemplate, 'id'),
          launchTemplateVersion: ref(GOREPLAY_ID.rebuilderLaunchTemplate, 'latestVersion'),
          minSize: config.rebuilder.count,
          maxSize: config.rebuilder.count,
          desiredCapacity: config.rebuilder.count,
          subnetIds: [...config.subnets.instances],
          targetGroupArns: [ref(slot.targetGroupId, 'arn')],
          healthCheckType: 'ELB',
          healthCheckGracePeriod: REBUILDER_GRACE_SECONDS,
          metricsCollection: true,
          instanceRefresh: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
        },
      }),
    ];
  },

  notes(config) {
    if (config.rebuilder.count <= 1) return [];
    return [
      `rebuilder.count is ${config.rebuilder.count}: the NLB spreads mirrored packets over the rebuilders by flow, but a TCP stream whose packets reach two rebuilders cannot be rebuilt into requests. Keep 1 unless you have measured it.`,
    ];
  },
};

/** UDP 4789 and the health check port from the VPC(s): an NLB keeps the client (source ENI) IP for UDP. */
function rebuilderIngress(config: VpcMirrorConfig, vpcCidrs: MirrorInputs['vpcCidrs']): Desired<SecurityGroupRule>[] {
  const cidrs: (string | Unknown)[] = isUnknown(vpcCidrs) ? [vpcCidrs] : vpcCidrs;
  const rules = cidrs.flatMap((cidr): Desired<SecurityGroupRule>[] => [
    { protocol: 'udp' as const, fromPort: VXLAN_PORT, toPort: VXLAN_PORT, cidr, description: 'mirrored packets (VXLAN) through the NLB' },
    { protocol: 'tcp' as const, fromPort: HEALTHCHECK_PORT, toPort: HEALTHCHECK_PORT, cidr, description: 'NLB health check' },
  ]);
  if (config.nodes.keyName) {
    rules.push(...config.network.sshCidrs.map((cidr) => ({ protocol: 'tcp' as const, fromPort: 22, toPort: 22, cidr, description: 'SSH (nodes.keyName is set)' })));
  }
  return rules;
}
