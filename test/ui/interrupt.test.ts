import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('Ctrl-C', () => {
  it('the first stops scheduling (the run finishes its steps), the second exits at once with code 130 and a warning', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/ui/fixtures/interrupt-child.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    const until = async (check: () => boolean) => {
      for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
    };
    await until(() => stdout.includes('ready'));
    child.kill('SIGINT');
    await until(() => stdout.includes('aborted'));
    expect(stderr).toMatch(/Interrupted: no new step will start/);
    expect(child.exitCode).toBeNull(); // still finishing its running steps
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/Exiting now\. Steps that were running may have finished in AWS without being saved/);
  });
});
