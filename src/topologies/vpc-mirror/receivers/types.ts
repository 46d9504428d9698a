import type { AwsClients } from '../../../aws/clients.js';
import type { VpcMirrorConfig } from '../../../config/schema.js';
import type { ResourceNode, Unknown } from '../../../engine/types.js';
import type { VpcMirrorInputs } from '../inputs.js';

/** What the receivers' instances need from the account (their image) and the disk (their cloud-init). */
export interface ReceiverInputs {
  /** The receivers' AMI. */
  debianImageId: string | Unknown;
  /** Rendered cloud-init of the receivers, with REBUILDER_ENDPOINT_PLACEHOLDER where the node ALB's DNS name goes. */
  rebuilderUserData: string;
}

/** Where the topology plugs a receiver in: the NLB target group its instances register with. */
export interface ReceiverSlot {
  /** Logical id of the NLB target group (UDP 4789) the receivers' Auto Scaling group registers with. */
  targetGroupId: string;
}

/**
 * What receives the mirrored VXLAN packets behind the NLB. The vpc-mirror topology owns the NLB, its target
 * group and the mirror filter, target and sessions; a receiver owns its instances (security group, launch
 * template, Auto Scaling group), their image and cloud-init, and their health check.
 */
export interface Receiver {
  readonly name: string;
  /** Health check of the NLB target group: where a receiver answers once it is ready. */
  readonly healthCheck: { port: number; path: string };
  offlineInputs(config: VpcMirrorConfig): ReceiverInputs;
  resolveInputs(config: VpcMirrorConfig, aws: AwsClients, where: (key: string) => string): Promise<ReceiverInputs>;
  /** Codes of the ResolveErrors resolveInputs may fail with (`validate` reports them under "Mirror sources exist"). */
  readonly resolutionCodes: readonly string[];
  plan(inputs: VpcMirrorInputs, slot: ReceiverSlot): ResourceNode[];
  notes(config: VpcMirrorConfig): string[];
}
