import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { decodeState } from '../../src/state/document.js';
import { FakeAws } from '../fake-aws/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PRELOAD = 'test/ui/fixtures/fake-cloud-preload.ts';

beforeAll(() => {
  if (!existsSync(`${root}/dist/commands/apply.js`)) throw new Error('These tests run the built CLI: run `npm run build` first (`npm test` does).');
});

/** A config for the fake's standard account (its ids are deterministic, so the child's fake has the same ones). */
function setup(): { dir: string; config: string; dump: string } {
  const net = new FakeAws().standardAccount();
  const dir = mkdtempSync(join(tmpdir(), 'wallarm-oob-int-'));
  const config = join(dir, 'wallarm-oob.yaml');
  writeFileSync(
    config,
    stringify({ deployment: 'shop-oob', region: 'eu-west-1', topology: 'web-server-mirror', vpcId: net.vpcId, subnets: { loadBalancer: net.privateSubnetIds }, wallarm: { cloud: 'eu', mode: 'monitoring', nodeVersion: '4.8' } }),
  );
  return { dir, config, dump: join(dir, 'fake-dump.json') };
}

function env(dump: string): NodeJS.ProcessEnv {
  const { AWS_ENDPOINT_URL: _e, ...rest } = process.env;
  return { ...rest, FAKE_DUMP: dump, FAKE_SCALE: '0.02', AWS_ACCESS_KEY_ID: 'AKIDFAKE', AWS_SECRET_ACCESS_KEY: 'fake', AWS_REGION: 'eu-west-1', CI: '', TERM: 'xterm' };
}

function collect(child: ChildProcess): { text: () => string; exited: Promise<number | null> } {
  let out = '';
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (out += String(d)));
  return { text: () => out, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

interface Dump {
  parameters: Record<string, string>;
}

describe('interrupting apply', () => {
  it('Ctrl-C in a terminal (a pseudo-terminal via script): running steps finish, state is saved, the lock released, exit 130', async () => {
    const { config, dump } = setup();
    // A pty created without a terminal behind it has no size: give it one, as a terminal window would.
    const command = `stty cols 160 rows 50; ${JSON.stringify(process.execPath)} --import tsx --import ./${PRELOAD} bin/run.js apply -c ${JSON.stringify(config)} --auto-approve`;
    // script(1) runs the CLI on a pty: the byte \x03 written to it becomes SIGINT from the terminal, as a person's Ctrl-C.
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: root, env: env(dump), stdio: ['pipe', 'pipe', 'pipe'] });
    const run = collect(child);
    await until(() => /creating/.test(run.text()), 'the first step to start').catch((e: Error) => {
      throw new Error(`${e.message}; output so far:\n${run.text().slice(-1500)}`);
    });
    child.stdin.write('\x03');
    const code = await run.exited;
    const text = run.text();
    expect(text).toMatch(/Interrupted: no new step will start/);
    expect(text).not.toMatch(/Exiting now/);
    expect(code).toBe(130);
    const { parameters } = JSON.parse(readFileSync(dump, 'utf8')) as Dump;
    expect(parameters['/wallarm-oob/shop-oob/lock']).toBeUndefined();
    const state = decodeState(parameters['/wallarm-oob/shop-oob/state']!, '/wallarm-oob/shop-oob/state');
    expect(Object.keys(state.resources).length).toBeGreaterThan(0);
    expect(text).toMatch(/apply was interrupted: \d+ step\(s\) cut short or not started; state is saved and the lock released/);
    // Steps cut short or never started render as skipped: never with the check mark of a finished step, nor as failed.
    expect(text).toMatch(/↓[^\n]*(interrupted after|not started)/);
    expect(text).not.toMatch(/✔[^\n]*(interrupted|not started)/);
    expect(text).not.toMatch(/✖[^\n]*failed/);
  }, 60_000);

  it('SIGTERM without a terminal (a CI runner cancelling the job): same outcome, exit 130', async () => {
    const { config, dump } = setup();
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', `./${PRELOAD}`, 'bin/run.js', 'apply', '-c', config, '--auto-approve'], { cwd: root, env: { ...env(dump), CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const run = collect(child);
    await until(() => /creating/.test(run.text()), 'the first step to start');
    child.kill('SIGTERM');
    expect(await run.exited).toBe(130);
    const { parameters } = JSON.parse(readFileSync(dump, 'utf8')) as Dump;
    expect(parameters['/wallarm-oob/shop-oob/lock']).toBeUndefined();
    expect(parameters['/wallarm-oob/shop-oob/state']).toBeDefined();
    expect(run.text()).toMatch(/Interrupted: no new step will start/);
  }, 60_000);
});
