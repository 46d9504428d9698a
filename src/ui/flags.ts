import { Flags } from '@oclif/core';

export const configFlag = Flags.string({
  char: 'c',
  description: 'Path to the configuration file (YAML or JSON).',
  default: 'wallarm-oob.yaml',
  env: 'WALLARM_OOB_CONFIG',
});

export const autoApproveFlag = Flags.boolean({ description: 'Skip the confirmation (needed without a terminal, e.g. in CI).', default: false });

export const parallelismFlag = Flags.integer({ description: 'How many resources to create, change or delete at once.', default: 10, min: 1, max: 50 });

export const lockTimeoutFlag = Flags.string({
  description: 'How long to wait for another run to release the deployment lock (e.g. 30s, 5m).',
  default: '0s',
});
