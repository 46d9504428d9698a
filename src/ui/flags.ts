import { Flags } from '@oclif/core';
import { WallarmOobError } from '../errors.js';

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

/**
 * `--flag=false` / `--flag=true` for negatable boolean flags (Terraform writes `-refresh=false`). oclif parses
 * a boolean flag without a value: `--refresh=false` would set it and leave `false` as a stray argument. So the
 * assignment is rewritten before parsing to `--no-flag` / `--flag`; any other value is one clear error.
 * Arguments after `--` are left alone.
 */
export function booleanAssignments(argv: readonly string[], negatable: readonly string[]): string[] {
  const end = argv.indexOf('--');
  const flags = end === -1 ? argv : argv.slice(0, end);
  const rest = end === -1 ? [] : argv.slice(end);
  const rewritten = flags.map((arg) => {
    const match = /^--([^=]+)=(.*)$/.exec(arg);
    if (!match || !negatable.includes(match[1]!)) return arg;
    const [, name, value] = match;
    const on = /^(true|1|yes)$/i.test(value!);
    const off = /^(false|0|no)$/i.test(value!);
    if (!on && !off) {
      throw new WallarmOobError('INVALID_FLAG', `--${name} takes true or false, not "${value}".`, { actions: [`Use --${name} or --no-${name} (also written --${name}=true, --${name}=false).`] });
    }
    return on ? `--${name}` : `--no-${name}`;
  });
  return [...rewritten, ...rest];
}
