// @inquirer/testing's vitest entry mocks @inquirer/prompts: it must be imported before the command.
import { screen } from '@inquirer/testing/vitest';
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import Init from '../../src/commands/init.js';
import Validate from '../../src/commands/validate.js';
import { loadConfig } from '../../src/config/load.js';
import { planOffline } from '../../src/core/planning.js';
import { PlanError } from '../../src/errors.js';
import { exitCode, initEnv, readText, ROOT, setTerminal, TOKEN, type InitEnv } from './helpers.js';

let e: InitEnv;
let restoreTerminal: () => void;

beforeEach(async () => {
  e = await initEnv();
  restoreTerminal = setTerminal(true);
});
afterEach(() => {
  restoreTerminal();
  e.restore();
});

/** Waits for the next prompt, checks it asks `question`, then sends the keys (strings are typed, objects pressed). */
async function answer(question: string | RegExp, ...keys: (string | { name: string; ctrl?: boolean })[]): Promise<string> {
  await screen.next();
  const shown = screen.getScreen();
  if (typeof question === 'string') expect(shown).toContain(question);
  else expect(shown).toMatch(question);
  for (const key of keys) {
    if (typeof key === 'string') screen.type(key);
    else screen.keypress(key);
  }
  return shown;
}
const enter = { name: 'enter' };
const down = { name: 'down' };
const space = { name: 'space' };

describe('init wizard', () => {
  it('web-server-mirror: discovers, defaults, stores the token and writes a config that validates and plans', async () => {
    const run = exitCode(Init.run(['--output', e.out], ROOT));
    await answer('AWS region', enter);
    await answer('Deployment name', 'shop-oob', enter);
    const topology = await answer('How does traffic reach the Wallarm nodes?', enter);
    expect(topology).toContain('web-server-mirror');
    expect(topology).toContain('vpc-mirror');
    const vpc = await answer('VPC to deploy into', enter);
    expect(vpc).toContain(`${e.net.vpcId}  10.0.0.0/16        main`);
    const subnets = await answer('Subnets for the internal load balancer', enter);
    // each subnet with AZ, CIDR, free IPs and public/private; the private ones preselected
    expect(subnets).toMatch(new RegExp(`◉ ${e.net.privateSubnetIds[0]}  eu-west-1a\\s+10\\.0\\.1\\.0/24\\s+\\d+ free  private  private-a`));
    expect(subnets).toMatch(new RegExp(`◯ ${e.net.publicSubnetIds[1]}  eu-west-1b\\s+10\\.0\\.102\\.0/24\\s+251 free  public   public-b`));
    await answer('Run the node instances in the same subnets?', enter);
    await answer('Wallarm Cloud', enter);
    await answer('Wallarm node token', enter);
    const tokenPrompt = await answer('Node token', TOKEN, enter);
    expect(tokenPrompt).toContain('/wallarm-oob/shop-oob/node-token');
    await answer('Filtration mode', enter);
    await answer('Node instance type', enter);
    await answer('Minimum number of nodes', enter);
    await answer('Maximum number of nodes', enter);
    await answer('Nodes to start with', enter);
    expect(await run).toBe(0);

    const text = await readText(e.out);
    expect(parse(text)).toEqual({
      deployment: 'shop-oob',
      region: 'eu-west-1',
      topology: 'web-server-mirror',
      vpcId: e.net.vpcId,
      subnets: { loadBalancer: [...e.net.privateSubnetIds] },
      wallarm: { cloud: 'eu', tokenParameter: '/wallarm-oob/shop-oob/node-token', mode: 'monitoring' },
      nodes: { instanceType: 't3.medium', minSize: 1, maxSize: 3, desiredCapacity: 1 },
    });
    expect(text).toContain('# Private subnets of the internal load balancer(s): at least 2, in at least 2 Availability Zones.');
    expect(e.stdout()).toMatch(/Next steps:\n {2}wallarm-oob validate/);
    expect(e.stdout()).toMatch(/ {2}wallarm-oob mirror-config nginx .* +after apply: the mirror block for your web server/);
    // before the first question: what it asks, what it writes, what it stores in SSM
    const intro = e.stdout().slice(0, e.stdout().indexOf('Wrote'));
    expect(intro).toContain('It asks for:');
    expect(intro).toContain('a node token you enter is stored as an SSM SecureString');
    expect(intro).toContain(`It writes ${e.out} once every answer is checked. Nothing is deployed until you run \`wallarm-oob apply\`.`);

    // the token: a SecureString in SSM, and nowhere else (file, stdout, stderr, the prompts' screen)
    expect(e.fake.ssm.parameters.get('/wallarm-oob/shop-oob/node-token')).toMatchObject({ type: 'SecureString', value: TOKEN });
    expect(text).not.toContain(TOKEN);
    expect(e.stdout() + e.stderr()).not.toContain(TOKEN);
    expect(await screen.getFullOutput()).not.toContain(TOKEN);

    expect(await exitCode(Validate.run(['--config', e.out], ROOT))).toBe(0);
    expect(planOffline(await loadConfig(e.out)).plan.actions.length).toBeGreaterThan(0);
  });

  it('the VPC cursor starts on the first VPC that is not the default one', async () => {
    const defaultVpc = e.fake.addVpc({ cidr: '172.31.0.0/16', isDefault: true });
    process.env.WALLARM_NODE_TOKEN = TOKEN;
    try {
      const run = exitCode(Init.run(['--output', e.out, '--region', 'eu-west-1', '--deployment', 'shop-oob', '--topology', 'web-server-mirror', '--yes'], ROOT));
      const shown = await answer('VPC to deploy into', enter);
      // the default VPC is listed first, and marked, but not where the cursor is
      expect(shown.indexOf(defaultVpc)).toBeLessThan(shown.indexOf(e.net.vpcId));
      expect(shown).toMatch(new RegExp(`❯ ${e.net.vpcId} `));
      expect(shown).toContain('(default VPC)');
      expect(await run).toBe(0);
      expect(parse(await readText(e.out)).vpcId).toBe(e.net.vpcId);
    } finally {
      delete process.env.WALLARM_NODE_TOKEN;
    }
  });

  it('vpc-mirror: lists Auto Scaling groups and interfaces with their eligibility, and the config validates', async (ctx) => {
    e.fake.putParameter('/wallarm-oob/shop-oob/node-token', 'existing', { type: 'SecureString' });
    // --deployment and --region pre-answer their questions
    const run = exitCode(Init.run(['--output', e.out, '--deployment', 'shop-oob', '--region', 'eu-west-1'], ROOT));
    await answer('How does traffic reach the Wallarm nodes?', down, enter);
    await answer('VPC to deploy into', enter);
    await answer('Subnets for the internal load balancer', enter);
    await answer('Run the node instances in the same subnets?', enter);
    await answer('Wallarm Cloud', down, enter);
    const token = await answer('Wallarm node token', enter);
    expect(token).toContain('Reuse the existing SSM parameter /wallarm-oob/shop-oob/node-token');
    await answer('Filtration mode', enter);
    await answer('Node instance type', enter);
    await answer('Minimum number of nodes', enter);
    await answer('Maximum number of nodes', enter);
    await answer('Nodes to start with', enter);
    await answer('Which network interfaces should be mirrored?', enter);
    const asg = await answer('Auto Scaling group', enter);
    expect(asg).toContain('web-asg  (2 instances, 2 in service, desired 2)');
    await answer('Add another source?', 'y', enter);
    await answer('Another source to mirror', down, down, enter);
    const enis = await answer('Network interfaces to mirror', space, enter);
    expect(enis).toContain(`${e.webEni}`);
    expect(enis).toContain('(web-1) m5.large');
    expect(enis).toMatch(new RegExp(`${e.lbEni}.*\\(managed by AWS`));
    await answer('Add another source?', enter);
    await answer('Traffic to mirror', enter);
    await answer('TCP ports to mirror', '443', enter);
    expect(await run).toBe(0);

    const config = parse(await readText(e.out));
    expect(config.wallarm.cloud).toBe('us');
    expect(config.mirror.sources[0]).toEqual({ autoScalingGroup: 'web-asg' });
    expect(config.mirror.sources[1].networkInterfaceIds).toHaveLength(1);
    expect(config.mirror).toMatchObject({ ingress: true, egress: true, ports: [443] });
    expect(e.fake.callsTo('PutParameter')).toEqual([]); // reused, not rewritten

    expect(await exitCode(Validate.run(['--config', e.out], ROOT))).toBe(0);
    try {
      planOffline(await loadConfig(e.out));
    } catch (error) {
      // The vpc-mirror planner is not in this tree yet; the test turns itself on when it lands.
      if (error instanceof PlanError && error.code === 'TOPOLOGY_UNAVAILABLE') return ctx.skip();
      throw error;
    }
  });

  it('refuses a load balancer selection in one Availability Zone until it spans two', { timeout: 10_000 }, async () => {
    process.env.WALLARM_NODE_TOKEN = TOKEN;
    const run = exitCode(Init.run(['--output', e.out, '--deployment', 'shop-oob', '--topology', 'web-server-mirror', '--yes'], ROOT));
    await answer('VPC to deploy into', enter);
    // with --yes only the questions without a default are asked: the subnets default to the private ones
    expect(await run).toBe(0);
    expect(parse(await readText(e.out)).subnets.loadBalancer).toEqual([...e.net.privateSubnetIds]);

    const again = exitCode(Init.run(['--output', e.out, '--force', '--deployment', 'shop-oob', '--topology', 'web-server-mirror', '--region', 'eu-west-1'], ROOT));
    await answer('VPC to deploy into', enter);
    await answer('Subnets for the internal load balancer', space, enter); // unselect private-a: only eu-west-1b left
    // the validation message renders in place (no new prompt): poll the screen for it
    await vi.waitFor(() => expect(screen.getScreen()).toMatch(/only one Availability Zone \(eu-west-1b\).*at least two/s));
    screen.keypress(space); // select it again
    screen.keypress(enter);
    await answer('Run the node instances in the same subnets?', 'n', enter);
    await answer('Subnets for the node instances', enter);
    await answer('Wallarm Cloud', enter);
    await answer('Filtration mode', enter);
    await answer('Node instance type', enter);
    await answer('Minimum number of nodes', enter);
    await answer('Maximum number of nodes', enter);
    await answer('Nodes to start with', enter);
    expect(await again).toBe(0);
  });

  it('Ctrl-C at a prompt exits 130 with one line, writing nothing and storing no token', async () => {
    const run = exitCode(Init.run(['--output', e.out, '--deployment', 'shop-oob'], ROOT));
    await answer('AWS region', enter);
    await answer('How does traffic reach the Wallarm nodes?', enter);
    await answer('VPC to deploy into', enter);
    await answer('Subnets for the internal load balancer', enter);
    await answer('Run the node instances in the same subnets?', enter);
    await answer('Wallarm Cloud', enter);
    await answer('Wallarm node token', enter);
    await answer('Node token', TOKEN.slice(0, 10), { name: 'c', ctrl: true });
    expect(await run).toBe(130);
    expect(e.stderr()).toBe('Cancelled: nothing was written.\n');
    expect(existsSync(e.out)).toBe(false);
    expect(e.fake.callsTo('PutParameter')).toEqual([]);
  });
});
