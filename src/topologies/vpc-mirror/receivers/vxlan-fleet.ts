import type { VpcMirrorConfig } from '../../../config/schema.js';
import { ref, type ResourceNode } from '../../../engine/types.js';
import { ELB_NAME_MAX, resourceName } from '../../common/names.js';
import { resource } from '../../common/resource.js';

/** Logical ids of a receiver's fleet behind the mirror NLB. */
export interface VxlanFleetIds {
  launchTemplate: string;
  nlb: string;
  targetGroup: string;
  listener: string;
  asg: string;
}

export interface VxlanFleet {
  ids: VxlanFleetIds;
  /** Name parts (resourceName) of the NLB, the target group and the group. */
  names: { nlb: string; targetGroup: string; asg: string };
  vxlanPort: number;
  health: { port: number; path: string };
  count: number;
  graceSeconds: number;
  asgDescription: string;
}

/**
 * What every receiver puts behind the traffic mirror target: an internal NLB with a UDP listener on the VXLAN port,
 * its target group health-checked over HTTP (UDP target groups take TCP/HTTP/HTTPS checks), and a fixed-size Auto
 * Scaling group (the NLB spreads packets by flow: a resize would move flows between instances mid-stream).
 */
export function vxlanFleet(config: VpcMirrorConfig, fleet: VxlanFleet): ResourceNode[] {
  const dep = config.deployment;
  const { ids } = fleet;
  return [
    resource({
      id: ids.nlb,
      kind: 'load-balancer',
      description: 'internal NLB: the traffic mirror target',
      props: {
        name: resourceName(dep, fleet.names.nlb, ELB_NAME_MAX),
        type: 'network',
        scheme: 'internal',
        // The load balancer subnets (>= 2 AZs, one per AZ): the NLB must cover the instances' zones.
        subnetIds: [...config.subnets.loadBalancer],
        securityGroupIds: [],
        attributes: {
          'load_balancing.cross_zone.enabled': 'true',
          'deletion_protection.enabled': String(config.loadBalancer.deletionProtection),
        },
      },
    }),
    resource({
      id: ids.targetGroup,
      kind: 'target-group',
      props: {
        name: resourceName(dep, fleet.names.targetGroup, ELB_NAME_MAX),
        protocol: 'UDP',
        port: fleet.vxlanPort,
        vpcId: config.vpcId,
        targetType: 'instance',
        healthCheck: {
          protocol: 'HTTP',
          port: String(fleet.health.port),
          path: fleet.health.path,
          intervalSeconds: 10,
          timeoutSeconds: 6,
          healthyThreshold: 3,
          unhealthyThreshold: 3,
        },
      },
    }),
    resource({
      id: ids.listener,
      kind: 'listener',
      props: { loadBalancerArn: ref(ids.nlb, 'arn'), protocol: 'UDP', port: fleet.vxlanPort, targetGroupArn: ref(ids.targetGroup, 'arn') },
    }),
    resource({
      id: ids.asg,
      kind: 'auto-scaling-group',
      description: fleet.asgDescription,
      props: {
        name: resourceName(dep, fleet.names.asg, 255),
        launchTemplateId: ref(ids.launchTemplate, 'id'),
        launchTemplateVersion: ref(ids.launchTemplate, 'latestVersion'),
        minSize: fleet.count,
        maxSize: fleet.count,
        desiredCapacity: fleet.count,
        subnetIds: [...config.subnets.instances],
        targetGroupArns: [ref(ids.targetGroup, 'arn')],
        healthCheckType: 'ELB',
        healthCheckGracePeriod: fleet.graceSeconds,
        metricsCollection: true,
        instanceRefresh: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
      },
    }),
  ];
}
