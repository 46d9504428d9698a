import type { Config, MirrorSource } from '../config/schema.js';
import type { MirrorSourceReport } from '../engine/plan.js';
import type { Unknown } from '../engine/types.js';
import type { NodeLine } from '../wallarm/node-versions.js';

/**
 * Everything a planner needs: the validated config plus what only AWS (or the disk) can tell, resolved
 * before planning. Offline plans carry Unknown where AWS would have answered.
 */
export interface Inputs {
  config: Config;
  region: string;
  /** AWS partition (aws, aws-cn, aws-us-gov) for ARNs. */
  partition: string;
  nodeImageId: string | Unknown;
  /** The Wallarm node line and version being deployed (health check, bootstrap). */
  node: ResolvedNode;
  /** ARN of the token parameter (the nodes' role may read exactly this one). */
  tokenParameterArn: string;
  /** Set when the token parameter is encrypted with a customer managed KMS key. */
  tokenKmsKeyId?: string;
  /** Rendered node cloud-init (no secret in it: the token is fetched at boot). */
  nodeUserData: string;
  /** vpc-mirror only: what the rebuilders and the mirror sessions need from the account. */
  mirror?: MirrorInputs;
}

export interface ResolvedNode {
  line: NodeLine;
  /** "7.1.0" from the AMI's name; the line ("7.x") when no AMI was read (offline). */
  version: string;
  /** The AMI's name, when one was read. */
  imageName?: string;
}

export interface MirrorInputs {
  /** Newest Debian 12 amd64 AMI (owner 136693071363) for the rebuilders. */
  debianImageId: string | Unknown;
  /** CIDR blocks of the VPC (and of the VPCs of the sources): the NLB keeps the sources' IPs for UDP, so the rebuilders allow them. */
  vpcCidrs: string[] | Unknown;
  /** Every ENI that gets a mirror session (sorted, unique), or Unknown offline. */
  eligibleEnis: string[] | Unknown;
  /** Per `mirror.sources` item: what it resolved to, for the plan printer. */
  sources: MirrorSourceReport[];
  /**
   * receiver goreplay: the rendered rebuilder cloud-init with REBUILDER_ENDPOINT_PLACEHOLDER where the ALB's DNS name goes (the planner
   * turns it into a joined string waiting for node-alb.dnsName).
   */
  rebuilderUserData?: string;
  /**
   * receiver native-node: the rendered native node bootstrap, or Unknown when the installer's sha256 is not known
   * (an offline plan without mirror.nativeNode.installer.sha256).
   */
  nativeNodeUserData?: string | Unknown;
}

/** Host rendered into the rebuilder cloud-init where the ALB's DNS name goes (.invalid never resolves: RFC 6761). */
export const REBUILDER_ENDPOINT_PLACEHOLDER = 'wallarm-oob-alb.invalid';

/** How a source is named in plans and messages: `autoScalingGroup web-asg`, `tags role=web`. */
export function sourceLabel(source: MirrorSource): string {
  const list = (items: readonly string[]) => (items.length <= 3 ? items.join(', ') : `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`);
  if ('networkInterfaceIds' in source) return `networkInterfaceIds ${list(source.networkInterfaceIds)}`;
  if ('autoScalingGroup' in source) return `autoScalingGroup ${source.autoScalingGroup}`;
  if ('tags' in source) return `tags ${Object.entries(source.tags).map(([k, v]) => `${k}=${v}`).join(',')}`;
  if ('eks' in source) return `eks ${source.eks.cluster}${source.eks.nodeGroups ? ` (node groups ${source.eks.nodeGroups.join(', ')})` : ''}`;
  return `elbPublicIps ${list(source.elbPublicIps)}`;
}

/** The config key of source `index`: `mirror.sources[1].autoScalingGroup`. */
export function sourceKey(source: MirrorSource, index: number): string {
  return `mirror.sources[${index}].${Object.keys(source)[0] ?? ''}`;
}
