import type { VpcMirrorConfig } from '../../../config/schema.js';
import { isUnknown, type Desired, type Unknown } from '../../../engine/types.js';
import type { SecurityGroupRule } from '../../../resources/types.js';
import type { MirrorInputs } from '../inputs.js';

/**
 * What a receiver behind the NLB admits: UDP VXLAN and its health check port from the VPC(s), since an NLB keeps
 * the client (source ENI) IP for UDP; SSH only with a key pair. One definition for every receiver.
 */
export function receiverIngress(
  config: VpcMirrorConfig,
  vpcCidrs: MirrorInputs['vpcCidrs'],
  ports: { vxlan: number; health: number; healthDescription: string },
): Desired<SecurityGroupRule>[] {
  const cidrs: (string | Unknown)[] = isUnknown(vpcCidrs) ? [vpcCidrs] : vpcCidrs;
  const rules = cidrs.flatMap((cidr): Desired<SecurityGroupRule>[] => [
    { protocol: 'udp' as const, fromPort: ports.vxlan, toPort: ports.vxlan, cidr, description: 'mirrored packets (VXLAN) through the NLB' },
    { protocol: 'tcp' as const, fromPort: ports.health, toPort: ports.health, cidr, description: ports.healthDescription },
  ]);
  if (config.nodes.keyName) {
    rules.push(...config.network.sshCidrs.map((cidr) => ({ protocol: 'tcp' as const, fromPort: 22, toPort: 22, cidr, description: 'SSH (nodes.keyName is set)' })));
  }
  return rules;
}
