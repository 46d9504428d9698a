/**
 * The native-node receiver (the default): Wallarm Native Nodes in tcp-capture-v2 mode behind an NLB on UDP 4789
 * read the VXLAN themselves and analyse requests and responses; no NGINX node fleet
 * (docs.wallarm.com/installation/oob/tcp-traffic-mirror/).
 */
import type { Receiver } from '../types.js';
import { offlineNativeNodeInputs, resolveNativeNodeInputs } from './inputs.js';
import { nativeNodeNlbName, planNativeNode } from './plan.js';

export { NATIVE_ID } from './plan.js';

export const nativeNode: Receiver = {
  name: 'native-node',
  label: 'native-node (Wallarm Native Node, tcp-capture-v2)',
  healthLabel: 'Receiver health',
  nodeFleet: false,
  nlbName: nativeNodeNlbName,
  resolutionCodes: [],
  notes: () => [],

  offlineInputs(config, region) {
    const { userData, notes } = offlineNativeNodeInputs(config, region);
    return { inputs: { nativeNodeUserData: userData }, notes };
  },

  async resolveInputs(loaded, config, region, options) {
    const { userData, notes } = await resolveNativeNodeInputs(loaded, config, region, { computeChecksum: options.installerChecksum });
    return { inputs: { nativeNodeUserData: userData }, notes };
  },

  plan: planNativeNode,
};
