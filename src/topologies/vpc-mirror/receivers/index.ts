import type { VpcMirrorConfig } from '../../../config/schema.js';
import { goreplay } from './goreplay/index.js';
import type { Receiver } from './types.js';

/**
 * The receivers vpc-mirror can put behind its NLB. One today; a second one (e.g. Wallarm's Native Node) is a
 * folder beside goreplay/ and an entry here, chosen from the config by receiverOf.
 */
export const RECEIVERS = { goreplay } satisfies Record<string, Receiver>;

export type ReceiverName = keyof typeof RECEIVERS;

/** The receiver a config asks for (the config has no choice yet: goreplay). */
export function receiverOf(config: VpcMirrorConfig): Receiver {
  void config;
  return RECEIVERS.goreplay;
}
