/**
 * vpc-mirror: EC2 traffic mirror sessions on the user's ENIs send VXLAN (UDP 4789) to an internal NLB in front of
 * receivers (receivers/) that rebuild the traffic for the Wallarm node layer.
 */
import type { LoadedConfig } from '../../config/load.js';
import type { VpcMirrorConfig } from '../../config/schema.js';
import { NODE_LAYER_KINDS } from '../common/node-layer.js';
import type { Topology } from '../types.js';
import { vpcMirrorInit } from './init.js';
import { offlineMirrorInputs, resolveMirrorInputs, type VpcMirrorInputs } from './inputs.js';
import { planVpcMirror, VPC_ID } from './planner.js';
import { RECEIVERS, receiverOf } from './receivers/index.js';

/** The table dispatches on config.topology, so a config reaching this module is a vpc-mirror one. */
function narrow(loaded: LoadedConfig): LoadedConfig & { config: VpcMirrorConfig } {
  if (loaded.config.topology !== 'vpc-mirror') throw new Error(`vpc-mirror topology called with a ${loaded.config.topology} config`);
  return loaded as LoadedConfig & { config: VpcMirrorConfig };
}

export const vpcMirror: Topology<VpcMirrorInputs> = {
  name: 'vpc-mirror',
  offlineInputs: (loaded, regionHint) => offlineMirrorInputs(narrow(loaded), regionHint),
  resolveInputs: (loaded, aws, options) => resolveMirrorInputs(narrow(loaded), aws, options),
  plan: planVpcMirror,
  kinds: [...NODE_LAYER_KINDS, 'traffic-mirror-filter', 'traffic-mirror-target', 'traffic-mirror-session', 'log-group', 'lambda-function', 'event-rule'],
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
    return [await mirrorSourcesCheck(loaded, narrow(loaded).config, aws)];
  },
  async status(loaded, aws, outputs) {
    const { mirrorStatus } = await import('./status.js');
    return mirrorStatus(loaded, narrow(loaded).config, aws, outputs);
  },
  async iam(loaded) {
    const modules = await Promise.all([import('./sources/resolve.js'), import('./checks.js'), import('./status.js'), import('./receivers/debian-image.js'), import('./follower/last-run.js')]);
    // The receiver's own image is Debian's; a receiver feeding the NGINX node layer (goreplay) also needs its image.
    const nodeImage = receiverOf(narrow(loaded).config).nodeFleet ? (await import('../../account/node-image.js')).iam : [];
    return [...modules.flatMap((m) => m.iam), ...nodeImage];
  },
  async afterDestroy(aws, deployment) {
    const { deleteLastRun } = await import('./follower/last-run.js');
    return (await deleteLastRun(aws, deployment)) ? ["Deleted the follower's last-run parameter."] : [];
  },
  editableSources: { logicalIds: [VPC_ID.sessions] },
  init: vpcMirrorInit,
};
