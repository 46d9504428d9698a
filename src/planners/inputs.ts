import type { Config } from '../config/schema.js';
import type { Unknown } from '../engine/types.js';

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
  /** ARN of the token parameter (the nodes' role may read exactly this one). */
  tokenParameterArn: string;
  /** Set when the token parameter is encrypted with a customer managed KMS key. */
  tokenKmsKeyId?: string;
  /** Rendered node cloud-init (no secret in it: the token is fetched at boot). */
  nodeUserData: string;
}
