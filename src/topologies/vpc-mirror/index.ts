/**
 * vpc-mirror: EC2 traffic mirror sessions on the user's ENIs send VXLAN (UDP 4789) to an internal NLB in front of
 * receivers (receivers/) that rebuild the traffic for the Wallarm node layer.
 */
import type { Topology } from '../types.js';
import { vpcMirrorInit } from './init.js';
import { offlineMirrorInputs, resolveMirrorInputs, type VpcMirrorInputs } from './inputs.js';
import { planVpcMirror, VPC_ID } from './planner.js';
import { RECEIVERS } from './receivers/index.js';

export const vpcMirror: Topology<VpcMirrorInputs> = {
  name: 'vpc-mirror',
  offlineInputs: (_loaded, node) => offlineMirrorInputs(node),
  resolveInputs: (loaded, aws, node, options) => resolveMirrorInputs(loaded, aws, node, options),
  plan: planVpcMirror,
  report: (inputs) => ({ mirrorSources: inputs.mirror.sources }),
  resolutionChecks: [
    {
      id: 'mirror-sources',
      title: 'Mirror sources exist',
      codes: ['MIRROR_SOURCE_NOT_FOUND', ...Object.values(RECEIVERS).flatMap((r) => r.resolutionCodes)],
    },
  ],
  async accountChecks(loaded, aws) {
    const { mirrorSourcesCheck } = await import('./checks.js');
    return loaded.config.topology === 'vpc-mirror' ? [await mirrorSourcesCheck(loaded, loaded.config, aws)] : [];
  },
  editableSources: { logicalIds: [VPC_ID.sessions] },
  init: vpcMirrorInit,
};
