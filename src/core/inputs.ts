import type { LoadedConfig } from '../config/load.js';
import { apiHostOf } from '../config/schema.js';
import { unknown } from '../engine/types.js';
import type { Inputs } from '../planners/inputs.js';
import { renderNodeCloudInit } from '../render/node-cloud-init.js';

/** AWS Marketplace account publishing the Wallarm node AMIs. */
export const WALLARM_AMI_OWNER = '679593333241';

/** Planner inputs plus what resolving learned on the way. */
export interface Resolved {
  inputs: Inputs;
  account?: string;
  /** The token parameter does not exist yet: apply creates it from WALLARM_NODE_TOKEN. */
  tokenParameterMissing: boolean;
  notes: string[];
}

/** Offline: no AWS call at all; what only AWS knows is marked "known after apply". */
export function offlineInputs(loaded: LoadedConfig, regionHint?: string): Resolved {
  const { config } = loaded;
  const region = config.region ?? regionHint ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const tokenParameterArn = parameterArn('aws', region, '<account id>', config.wallarm.tokenParameter);
  return {
    inputs: {
      config,
      region,
      partition: 'aws',
      nodeImageId: config.nodes.amiId ?? unknown(`newest AMI named wallarm-node-${config.wallarm.nodeVersion.replace('.', '-')}-* by ${WALLARM_AMI_OWNER}`),
      tokenParameterArn,
      nodeUserData: renderUserData(loaded, region),
    },
    tokenParameterMissing: false,
    notes: ['Offline plan: no AWS account was read; ids, ARNs and the AMI are known only after apply.'],
  };
}

export function renderUserData(loaded: LoadedConfig, region: string): string {
  const { wallarm } = loaded.config;
  return renderNodeCloudInit({
    region,
    tokenParameter: wallarm.tokenParameter,
    apiHost: apiHostOf(loaded.config),
    mode: wallarm.mode,
    libdetection: wallarm.libdetection,
    nginx: { globalSnippet: loaded.files.globalSnippet, httpSnippet: loaded.files.httpSnippet, serverSnippet: loaded.files.serverSnippet },
    postScript: loaded.files.postScript,
  });
}

export function parameterArn(partition: string, region: string, account: string, name: string): string {
  return `arn:${partition}:ssm:${region}:${account}:parameter/${name.replace(/^\//, '')}`;
}

