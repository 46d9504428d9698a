import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

/**
 * The static checks every rendered shell script must pass, one test per variant: `bash -n` and shellcheck
 * (which must be installed: a missing shellcheck fails the test, it never skips it).
 */
export function lintsCleanly<T>(what: string, variants: Record<string, T>, render: (input: T) => string): void {
  const dir = mkdtempSync(join(tmpdir(), 'wallarm-oob-lint-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, input: T) => {
    const file = join(dir, `${name.replaceAll(/[^a-z0-9]+/gi, '-')}.sh`);
    writeFileSync(file, render(input));
    return file;
  };

  it.each(Object.entries(variants))('%s: passes bash -n', (name, input) => {
    const result = spawnSync('bash', ['-n', write(name, input)], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(Object.entries(variants))('%s: is shellcheck-clean', (name, input) => {
    const result = spawnSync('shellcheck', ['--shell=bash', '--severity=style', write(name, input)], { encoding: 'utf8' });
    if (result.error && 'code' in result.error && result.error.code === 'ENOENT') {
      throw new Error(`shellcheck is not installed; the rendered ${what} script must be linted. Install it: apt-get install -y shellcheck (Debian/Ubuntu), brew install shellcheck (macOS).`);
    }
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
}
