import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Apply from '../../src/commands/apply.js';
import Destroy from '../../src/commands/destroy.js';
import MirrorConfig from '../../src/commands/mirror-config.js';
import Output from '../../src/commands/output.js';
import Plan from '../../src/commands/plan.js';
import Unlock from '../../src/commands/unlock.js';
import { DeploymentLock } from '../../src/state/lock.js';
import { runCommand } from './cli.js';
import { world, type World } from './harness.js';

let w: World;
afterEach(() => w?.done());

describe('commands against the fake account', () => {
  it('plan --out saves a plan that apply PLANFILE executes; a plan made stale by another apply is refused', async () => {
    w = await world();
    const planFile = join(w.dir, 'plan.json');
    const planned = await runCommand(Plan, ['-c', w.configPath, '--out', planFile, '--detailed-exitcode']);
    expect(planned.code).toBe(2);
    expect(planned.stdout).toContain(`Saved the plan to ${planFile}`);

    const applied = await runCommand(Apply, [planFile, '-c', w.configPath, '--auto-approve']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/Apply complete: 10 added in \d+(m\d\ds)?s?\.[\s\S]*Mirror endpoint .*: http:\/\/internal-.*:8445/);
    expect(applied.stdout).toMatch(/Node health: 1\/1 healthy/);

    const again = await runCommand(Apply, [planFile, '-c', w.configPath, '--auto-approve']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/made from state serial 0, but the state is now at serial \d+/);
    expect(again.stderr).toContain('wallarm-oob plan --out plan.json');

    const noChanges = await runCommand(Plan, ['-c', w.configPath, '--detailed-exitcode']);
    expect(noChanges.code).toBe(0);
    expect(noChanges.stdout).toContain('No changes.');
  });

  it('apply --no-wait returns once the load balancer is active, without waiting for healthy nodes', async () => {
    // Targets take an hour to turn healthy here, so only a waiting apply could see them healthy.
    w = await world({ fake: { delays: { targetHealthyMs: 3_600_000 } } });
    const applied = await runCommand(Apply, ['-c', w.configPath, '--auto-approve', '--no-wait']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/Node health: 0\/\d healthy/);
    expect([...w.fake.elbv2.loadBalancers.values()][0]).toBeDefined();
    // waiting applies are the default: the same deployment reaches 1/1 healthy when waited for
    w.fake.advance(3_600_000);
    const output = await runCommand(Apply, ['-c', w.configPath, '--auto-approve']);
    expect(output.stdout).toMatch(/Node health: 1\/1 healthy/);
  });

  it('output and mirror-config read the live endpoint', async () => {
    w = await world();
    await w.apply();
    const dns = [...w.fake.elbv2.loadBalancers.values()][0]!.dnsName;
    const output = await runCommand(Output, ['-c', w.configPath, '--json']);
    expect(JSON.parse(output.stdout)).toMatchObject({ mirrorEndpoint: `http://${dns}:8445`, autoScalingGroup: 'wallarm-oob-shop-oob-nodes' });
    const nginx = await runCommand(MirrorConfig, ['nginx', '-c', w.configPath]);
    expect(nginx.code).toBe(0);
    expect(nginx.stdout).toContain(`proxy_pass http://${dns}:8445$request_uri;`);
  });

  it('destroy refuses a protected load balancer without --force, and deletes everything with it', async () => {
    w = await world({ config: { loadBalancer: { deletionProtection: true } } });
    await w.apply();
    const refused = await runCommand(Destroy, ['-c', w.configPath, '--auto-approve']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/has deletion protection enabled; nothing was deleted/);
    expect(refused.stderr).toContain('--force');
    expect(w.fake.elbv2.loadBalancers.size).toBe(1);
    expect(w.fake.autoscaling.groups.size).toBe(1);

    const forced = await runCommand(Destroy, ['-c', w.configPath, '--auto-approve', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/Destroy complete: 10 destroyed in \d+[ms0-9]*; state removed\./);
    expect(w.tagged()).toEqual([]);
  });

  it('destroy shows and deletes resources an interrupted first apply created but never recorded', async () => {
    w = await world();
    // the process dies right after the security groups exist: no state was ever written for them
    w.fake.failAtMutation(6, { mode: 'before' });
    await w.apply().catch(() => undefined);
    w.fake.ssm.parameters.delete('/wallarm-oob/shop-oob/state');
    expect(w.tagged().length).toBeGreaterThan(0);
    const destroyed = await runCommand(Destroy, ['-c', w.configPath, '--auto-approve']);
    expect(destroyed.code).toBe(0);
    // Shown before the confirmation, then deleted with the rest.
    expect(destroyed.stdout).toMatch(/node-alb \(also tagged with this deployment, not in state\) \(load-balancer\) will be destroyed/);
    expect(destroyed.stdout).toMatch(/Destroy complete: (\d+) destroyed \(\1 of them not in state\) in \S+; state removed\./);
    expect(w.tagged()).toEqual([]);
  });

  it('unlock asks for --force without a terminal, then breaks the lock', async () => {
    w = await world();
    const stuck = await new DeploymentLock(w.aws, 'shop-oob', {}).acquire('apply');
    const refused = await runCommand(Unlock, [stuck.id, '-c', w.configPath]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Pass --force/);
    const unlocked = await runCommand(Unlock, [stuck.id, '-c', w.configPath, '--force']);
    expect(unlocked.code).toBe(0);
    expect(unlocked.stdout).toMatch(/Released the lock of "shop-oob"/);
    expect(w.fake.ssm.parameters.has('/wallarm-oob/shop-oob/lock')).toBe(false);
  });
});
