import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
  restoreTerminal = setTerminal(false);
});
afterEach(() => {
  restoreTerminal();
  e.restore();
});

const init = (args: string[]) => exitCode(Init.run([...args, '--output', e.out], ROOT));

describe('init without a terminal (CI)', () => {
  it('writes a web-server-mirror config from flags that passes validate and plan --offline', async () => {
    process.env.WALLARM_NODE_TOKEN = TOKEN;
    const code = await init(['--deployment', 'shop-oob', '--topology', 'web-server-mirror', '--vpc-id', e.net.vpcId, '--yes']);
    expect(e.stderr()).toBe('');
    expect(code).toBe(0);
    const text = await readText(e.out);
    // the modeline names the schema file of the installed package, which exists on this machine
    const modeline = /^# yaml-language-server: \$schema=(.+)$/.exec(text.split('\n')[0]!);
    expect(modeline).not.toBeNull();
    expect(JSON.parse(await readText(resolve(dirname(e.out), modeline![1]!))).title).toBe('wallarm-oob configuration');
    expect(parse(text)).toEqual({
      deployment: 'shop-oob',
      region: 'eu-west-1',
      topology: 'web-server-mirror',
      vpcId: e.net.vpcId,
      subnets: { loadBalancer: [...e.net.privateSubnetIds] },
      wallarm: { cloud: 'eu', tokenParameter: '/wallarm-oob/shop-oob/node-token', mode: 'monitoring' },
      nodes: { instanceType: 't3.medium', minSize: 1, maxSize: 3, desiredCapacity: 1 },
    });
    expect(e.stdout()).toContain('wallarm-oob plan');
    // the token went to SSM as a SecureString and nowhere else
    expect(e.fake.ssm.parameters.get('/wallarm-oob/shop-oob/node-token')).toMatchObject({ type: 'SecureString', value: TOKEN });
    expect(text).not.toContain(TOKEN);
    expect(e.stdout() + e.stderr()).not.toContain(TOKEN);

    expect(await exitCode(Validate.run(['--config', e.out], ROOT))).toBe(0);
    expect(e.stdout()).toMatch(/✓ Node token parameter: \/wallarm-oob\/shop-oob\/node-token exists/);
    const plan = planOffline(await loadConfig(e.out)).plan;
    expect(plan.actions.some((a) => a.id === 'node-alb' && a.action === 'create')).toBe(true);
  });

  it('writes a vpc-mirror config from flags (ASG, interface, tags, ports) that passes validate', async (ctx) => {
    process.env.WALLARM_NODE_TOKEN = TOKEN;
    e.fake.ec2.CreateTags({ Resources: [e.webEni], Tags: [{ Key: 'role', Value: 'web' }] });
    const code = await init([
      '--deployment', 'shop-oob', '--topology', 'vpc-mirror', '--vpc-id', e.net.vpcId,
      '--lb-subnets', e.net.privateSubnetIds.join(','), '--cloud', 'us', '--mode', 'block',
      '--instance-type', 't3.large', '--min-size', '2', '--max-size', '4', '--desired-capacity', '2',
      '--mirror-asg', e.asg, '--mirror-eni', e.webEni, '--mirror-tag', 'role=web', '--mirror-egress', '--mirror-ports', '80,443', '--yes',
    ]);
    // 443 is accepted, with the one warning that TLS cannot be analysed
    expect(e.stderr()).toMatch(/^Warning: mirror\.ports: port 443 usually carries TLS[^\n]*\n$/);
    expect(code).toBe(0);
    const config = parse(await readText(e.out));
    expect(config.mirror).toEqual({
      sources: [{ autoScalingGroup: 'web-asg' }, { networkInterfaceIds: [e.webEni] }, { tags: { role: 'web' } }],
      ingress: true,
      egress: true,
      ports: [80, 443],
    });
    expect(config.wallarm).toEqual({ cloud: 'us', tokenParameter: '/wallarm-oob/shop-oob/node-token', mode: 'block' });
    expect(config.nodes).toEqual({ instanceType: 't3.large', minSize: 2, maxSize: 4, desiredCapacity: 2 });

    expect(await exitCode(Validate.run(['--config', e.out], ROOT))).toBe(0);
    expect(e.stdout()).toMatch(/✓ Mirror sources exist: web-asg \(2 instances\)/);
    try {
      planOffline(await loadConfig(e.out));
    } catch (error) {
      // The vpc-mirror planner is not in this tree yet; the test turns itself on when it lands.
      if (error instanceof PlanError && error.code === 'TOPOLOGY_UNAVAILABLE') return ctx.skip();
      throw error;
    }
  });

  it('names every missing flag, and --yes only stands in for the ones with defaults', async () => {
    expect(await init([])).toBe(1);
    const err = e.stderr();
    expect(err).toMatch(/cannot ask questions here/);
    expect(err).toMatch(/--topology: web-server-mirror or vpc-mirror/);
    expect(err).toMatch(/--vpc-id: the VPC to deploy into/);
    expect(err).toMatch(/--deployment \(default: "wallarm-oob-init-/);
    expect(err).toMatch(/Add --yes to accept the defaults/);
    expect(existsSync(e.out)).toBe(false);
    expect(e.fake.calls).toEqual([]); // refused before any AWS call

    expect(await init(['--topology', 'vpc-mirror', '--vpc-id', e.net.vpcId, '--yes'])).toBe(1);
    expect(e.stderr()).toMatch(/--mirror-asg, --mirror-eni or --mirror-tag: what to mirror/);
  });

  it('refuses a token it cannot find: names --token-parameter and WALLARM_NODE_TOKEN', async () => {
    expect(await init(['--topology', 'web-server-mirror', '--vpc-id', e.net.vpcId, '--deployment', 'shop-oob', '--yes'])).toBe(1);
    expect(e.stderr()).toMatch(/--token-parameter: no node token: the SSM parameter \/wallarm-oob\/shop-oob\/node-token does not exist/);
    expect(e.stderr()).toMatch(/WALLARM_NODE_TOKEN/);
    expect(existsSync(e.out)).toBe(false);
  });

  it('reuses an existing token parameter given by name (no token needed)', async () => {
    e.fake.putParameter('/team/wallarm/token', 'x', { type: 'SecureString' });
    const code = await init(['--topology', 'web-server-mirror', '--vpc-id', e.net.vpcId, '--deployment', 'shop-oob', '--token-parameter', '/team/wallarm/token', '--yes']);
    expect(e.stderr()).toBe('');
    expect(code).toBe(0);
    expect(parse(await readText(e.out)).wallarm.tokenParameter).toBe('/team/wallarm/token');
    expect(e.fake.callsTo('PutParameter')).toEqual([]);
  });

  it('checks flag values against the account and the schema, naming the flag', async () => {
    process.env.WALLARM_NODE_TOKEN = TOKEN;
    const base = ['--topology', 'web-server-mirror', '--deployment', 'shop-oob', '--yes'];
    expect(await init([...base, '--vpc-id', 'vpc-0aaaaaaaaaaaaaaaa'])).toBe(1);
    expect(e.stderr()).toMatch(/--vpc-id: VPC vpc-0aaaaaaaaaaaaaaaa does not exist in eu-west-1/);

    expect(await init([...base, '--vpc-id', e.net.vpcId, '--lb-subnets', `${e.net.privateSubnetIds[0]},${e.net.publicSubnetIds[0]}`])).toBe(1);
    expect(e.stderr()).toMatch(/--lb-subnets: the selection spans only one Availability Zone \(eu-west-1a\)/);

    expect(await init([...base, '--vpc-id', e.net.vpcId, '--min-size', '5', '--max-size', '2'])).toBe(1);
    expect(e.stderr()).toMatch(/--min-size \(nodes.minSize\): 5 is greater than maxSize \(2\)/);

    expect(await init(['--topology', 'web-server-mirror', '--deployment', 'Shop_OOB', '--vpc-id', e.net.vpcId, '--yes'])).toBe(1);
    expect(e.stderr()).toMatch(/--deployment: "Shop_OOB" is not a valid deployment name/);

    expect(await init([...base, '--vpc-id', e.net.vpcId, '--mirror-asg', 'web-asg'])).toBe(1);
    expect(e.stderr()).toMatch(/--mirror-asg only applies to --topology vpc-mirror/);
    expect(existsSync(e.out)).toBe(false);
    expect(e.fake.callsTo('PutParameter')).toEqual([]);
  });

  it('refuses an interface that cannot be mirrored', async () => {
    process.env.WALLARM_NODE_TOKEN = TOKEN;
    expect(await init(['--topology', 'vpc-mirror', '--deployment', 'shop-oob', '--vpc-id', e.net.vpcId, '--mirror-eni', e.lbEni, '--yes'])).toBe(1);
    expect(e.stderr()).toMatch(new RegExp(`--mirror-eni ${e.lbEni}: cannot be a traffic mirror source: managed by AWS`));
  });

  it('does not overwrite an existing file without --force', async () => {
    process.env.WALLARM_NODE_TOKEN = TOKEN;
    await writeFile(e.out, 'keep: me\n');
    const args = ['--topology', 'web-server-mirror', '--deployment', 'shop-oob', '--vpc-id', e.net.vpcId, '--yes'];
    expect(await init(args)).toBe(1);
    expect(e.stderr()).toMatch(/already exists; init does not overwrite it/);
    expect(e.stderr()).toMatch(/--force/);
    expect(await readText(e.out)).toBe('keep: me\n');
    expect(e.fake.calls).toEqual([]);
    expect(await init([...args, '--force'])).toBe(0);
    expect(parse(await readText(e.out)).deployment).toBe('shop-oob');
  });
});
