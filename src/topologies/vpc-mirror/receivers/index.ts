import type { MirrorReceiver, VpcMirrorConfig } from '../../../config/schema.js';
import { goreplay } from './goreplay/index.js';
import { nativeNode } from './native-node/index.js';
import type { Receiver } from './types.js';

/**
 * The receivers vpc-mirror can put behind its traffic mirror target, one per `mirror.receiver` value (the
 * compiler checks none is missing). A new receiver is a folder beside these and an entry here.
 */
export const RECEIVERS = {
  'native-node': nativeNode,
  goreplay,
} satisfies Record<MirrorReceiver, Receiver>;

/** The receiver a config asks for (mirror.receiver). */
export function receiverOf(config: VpcMirrorConfig): Receiver {
  return RECEIVERS[config.mirror.receiver];
}
