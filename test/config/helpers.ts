import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ConfigError } from '../../src/errors.js';

/** A minimal valid web-server-mirror config; lines 1-5 are fixed so tests can assert line numbers. */
export const BASE = `deployment: shop-oob
topology: web-server-mirror
vpcId: vpc-0123456789abcdef0
subnets:
  loadBalancer: [subnet-0123456789abcdef0, subnet-0123456789abcdef1]
`;

/** BASE with its topology switched to vpc-mirror and a one-source mirror section (lines 6-8). */
export const VPC_BASE = `${BASE.replace('web-server-mirror', 'vpc-mirror')}mirror:
  sources:
    - autoScalingGroup: web-asg
`;

/** Writes files into a fresh temporary directory and returns its path. */
export async function tempDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wallarm-oob-config-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

/** Awaits `promise`, expects a ConfigError, checks it is free of stack text, and returns it. */
export async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  const configErr = error as ConfigError;
  expect(configErr.message).not.toContain('    at ');
  expect(configErr.actions.join('\n')).not.toContain('    at ');
  expect(configErr.actions.length).toBeGreaterThan(0);
  return configErr;
}
