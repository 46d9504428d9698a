import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

export function requireBuild(): void {
  if (!existsSync(`${root}/dist/commands/plan.js`)) throw new Error('These tests run the built CLI: run `npm run build` first (`npm test` does).');
}

/** Runs the built CLI as a user would (`npm test` builds first) with the given environment only. */
export async function cli(args: string[], env: Record<string, string> = {}, cwd = root) {
  try {
    const { stdout, stderr } = await run(process.execPath, [`${root}/bin/run.js`, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
