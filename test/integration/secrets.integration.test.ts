import { afterEach, describe, expect, it } from 'vitest';
import Apply from '../../src/commands/apply.js';
import Plan from '../../src/commands/plan.js';
import { decodeState } from '../../src/state/document.js';
import { runCommand } from './cli.js';
import { RecordingHooks, TOKEN_PARAMETER, world, type World } from './harness.js';

const TOKEN = 'wallarm-node-token-VERY-SECRET-0123456789abcdef';

let w: World;
afterEach(() => {
  delete process.env.WALLARM_NODE_TOKEN;
  w?.done();
});

describe('the node token is a secret', () => {
  it('is stored as a SecureString and appears nowhere else: user data, state, plan JSON, logs, error output, other API calls', async () => {
    w = await world({ token: false });
    process.env.WALLARM_NODE_TOKEN = TOKEN;

    const planRun = await runCommand(Plan, ['-c', w.configPath, '--json']);
    expect(planRun.code).toBe(0);
    expect(planRun.stdout).not.toContain(TOKEN);
    expect(JSON.parse(planRun.stdout).notes.join('\n')).toContain(`apply will store WALLARM_NODE_TOKEN as the SecureString parameter ${TOKEN_PARAMETER}`);

    const hooks = new RecordingHooks();
    await w.apply({}, hooks);
    const applyRun = await runCommand(Apply, ['-c', w.configPath, '--auto-approve']);
    expect(applyRun.code).toBe(0);

    const parameter = w.fake.ssm.parameters.get(TOKEN_PARAMETER)!;
    expect(parameter).toMatchObject({ type: 'SecureString', value: TOKEN });

    const lt = [...w.fake.ec2.launchTemplates.values()][0]!;
    for (const version of lt.versions.values()) {
      const userData = Buffer.from(version.data.UserData ?? '', 'base64').toString('utf8');
      expect(userData).toContain(TOKEN_PARAMETER); // the nodes fetch it at boot instead
      expect(userData).not.toContain(TOKEN);
    }
    const state = w.fake.ssm.parameters.get('/wallarm-oob/shop-oob/state')!.value;
    expect(state).not.toContain(TOKEN);
    expect(JSON.stringify(decodeState(state, 'state'))).not.toContain(TOKEN);
    expect(JSON.stringify(hooks)).not.toContain(TOKEN);
    expect(applyRun.stdout + applyRun.stderr).not.toContain(TOKEN);

    // the only request that carries the token is the one writing it
    const carriers = w.fake.calls.filter((c) => JSON.stringify(c.input).includes(TOKEN)).map((c) => `${c.command} ${String((c.input as { Name?: string }).Name)}`);
    expect(new Set(carriers)).toEqual(new Set([`PutParameter ${TOKEN_PARAMETER}`]));

    // errors don't leak it either
    w.fake.failAtMutation(1, { mode: 'before', code: 'AccessDenied', status: 403 });
    await w.writeConfig({ nodes: { instanceType: 't3.large' } });
    const failed = await runCommand(Apply, ['-c', w.configPath, '--auto-approve', '--debug']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/AccessDenied/);
    expect(failed.stdout + failed.stderr).not.toContain(TOKEN);
  });

  it('a changed token is written again; an unchanged one is left alone', async () => {
    w = await world();
    process.env.WALLARM_NODE_TOKEN = TOKEN;
    await w.apply();
    expect(w.fake.ssm.parameters.get(TOKEN_PARAMETER)!.value).toBe(TOKEN);
    const writes = () => w.fake.callsTo('PutParameter').filter((c) => (c.input as { Name?: string }).Name === TOKEN_PARAMETER).length;
    const before = writes();
    await w.apply();
    expect(writes()).toBe(before);
  });
});
