import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Apply from '../../src/commands/apply.js';
import Plan from '../../src/commands/plan.js';
import Unlock from '../../src/commands/unlock.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { root, runCommand } from './cli.js';
import { world, type World } from './harness.js';

let w: World;
afterEach(() => w?.done());

interface Case {
  name: string;
  /** Config overrides, given the fake account's ids. */
  config?: (w: World) => Partial<ConfigInput>;
  /** Raw file text instead of a config object. */
  raw?: string;
  setup?: (w: World) => void;
  token?: boolean;
  /** What the single error message must say (key path and the problem). */
  expect: RegExp[];
}

const CASES: Case[] = [
  { name: 'load balancer subnets in one AZ', config: (w) => ({ subnets: { loadBalancer: [w.net.privateSubnetIds[0], w.net.publicSubnetIds[0]] } }), expect: [/subnets\.loadBalancer/, /at least two Availability Zones/] },
  { name: 'a VPC that does not exist', config: () => ({ vpcId: 'vpc-0123456789abcdef0' }), expect: [/vpcId/, /vpc-0123456789abcdef0 does not exist/] },
  { name: 'a subnet that does not exist', config: (w) => ({ subnets: { loadBalancer: [w.net.privateSubnetIds[0], 'subnet-0123456789abcdef0'] } }), expect: [/subnets/, /subnet-0123456789abcdef0 does not exist/] },
  {
    name: 'a subnet of another VPC',
    setup: (w) => {
      const other = w.fake.addVpc({ cidr: '172.31.0.0/16' });
      w.fake.addSubnet({ vpcId: other, az: 'eu-west-1c', cidr: '172.31.1.0/24' });
    },
    config: (w) => ({ subnets: { loadBalancer: [...w.net.privateSubnetIds], instances: [[...w.fake.ec2.subnets.values()].find((s) => s.cidr === '172.31.1.0/24')!.id] } }),
    expect: [/subnets\.instances/, /belongs to vpc-/],
  },
  {
    name: 'two load balancer subnets in one AZ',
    config: (w) => ({ subnets: { loadBalancer: [...w.net.privateSubnetIds, w.net.publicSubnetIds[0]] } }),
    expect: [/subnets\.loadBalancer/, /subnet-\w+ and subnet-\w+ are both in eu-west-1a; a load balancer takes one subnet per Availability Zone/],
  },
  {
    name: 'instance subnets in an AZ the load balancer does not cover',
    setup: (w) => void w.fake.addSubnet({ vpcId: w.net.vpcId, az: 'eu-west-1c', cidr: '10.0.3.0/24' }),
    config: (w) => ({ subnets: { loadBalancer: [...w.net.privateSubnetIds], instances: [[...w.fake.ec2.subnets.values()].find((s) => s.cidr === '10.0.3.0/24')!.id] } }),
    expect: [/subnets\.instances/, /\(eu-west-1c\) is in an Availability Zone the load balancer does not cover \(eu-west-1a, eu-west-1b\)/],
  },
  {
    name: 'a name the deployment needs, taken by something wallarm-oob did not create',
    setup: (w) => {
      w.fake.ec2.groups.CreateSecurityGroup({ GroupName: 'wallarm-oob-shop-oob-alb', Description: 'someone else', VpcId: w.net.vpcId });
      w.fake.iam.CreateRole({ RoleName: 'wallarm-oob-shop-oob-node', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) });
    },
    expect: [
      /deployment: names this deployment would create are already in use/,
      /security-group name "wallarm-oob-shop-oob-alb" \(lb-security-group\) is taken by sg-\w+, which wallarm-oob did not create/,
      /iam-role name "wallarm-oob-shop-oob-node" \(node-role\) is taken by wallarm-oob-shop-oob-node/,
    ],
  },
  { name: 'a missing token parameter (and no WALLARM_NODE_TOKEN)', token: false, expect: [/wallarm\.tokenParameter/, /does not exist/, /put-parameter --type SecureString/] },
  { name: 'a node version with no AMI', config: () => ({ wallarm: { nodeVersion: '7.4' } }), expect: [/wallarm\.nodeVersion/, /no Wallarm node image named wallarm-node-7-4-\* \(owner 679593333241, x86_64\) is available in eu-west-1/] },
  {
    name: 'latest with no AMI of a supported line in the region',
    setup: (w) => {
      for (const [id, image] of w.fake.ec2.images) if (/^wallarm-node-[67]-/.test(image.name)) w.fake.ec2.images.delete(id);
    },
    config: () => ({ wallarm: { nodeVersion: 'latest' } }),
    expect: [/wallarm\.nodeVersion/, /no Wallarm node image named wallarm-node-7-\* or wallarm-node-6-\* .* in eu-west-1/, /prodview-5rl4dgi4wvbfe/],
  },
  { name: 'an AMI id that does not exist', config: () => ({ nodes: { amiId: 'ami-0123456789abcdef0' } }), expect: [/nodes\.amiId/, /ami-0123456789abcdef0 does not exist/] },
  { name: 'an unknown key', raw: 'deployment: shop-oob\ntopology: web-server-mirror\nvpcId: vpc-0123456789abcdef0\nsubnets: { loadBalancer: [subnet-0123456789abcdef0, subnet-0123456789abcdef1] }\nnodes: { instanceTyp: t3.large }\n', expect: [/nodes\.instanceTyp/, /did you mean `instanceType`/] },
  { name: 'a bad CIDR', raw: 'deployment: shop-oob\ntopology: web-server-mirror\nvpcId: vpc-0123456789abcdef0\nsubnets: { loadBalancer: [subnet-0123456789abcdef0, subnet-0123456789abcdef1] }\nnetwork: { mirrorSourceCidrs: [10.0.0.0/33] }\n', expect: [/network\.mirrorSourceCidrs/, /prefix length/] },
  { name: 'an unreadable snippet file', raw: 'deployment: shop-oob\ntopology: web-server-mirror\nvpcId: vpc-0123456789abcdef0\nsubnets: { loadBalancer: [subnet-0123456789abcdef0, subnet-0123456789abcdef1] }\nwallarm: { nginx: { httpSnippet: ./missing.conf } }\n', expect: [/wallarm\.nginx\.httpSnippet/, /missing\.conf/] },
];

describe('bad input: one clear message naming the key, exit code 1, no stack trace, nothing created', () => {
  for (const c of CASES) {
    for (const command of [Plan, Apply]) {
      it(`${command.name.toLowerCase()}: ${c.name}`, async () => {
        w = await world({ token: c.token });
        c.setup?.(w);
        if (c.raw) writeFileSync(w.configPath, c.raw);
        else await w.writeConfig(c.config?.(w));
        const run = await runCommand(command, ['-c', w.configPath, ...(command === Apply ? ['--auto-approve'] : [])]);
        expect(run.code).toBe(1);
        expect(run.stdout).toBe('');
        for (const pattern of c.expect) expect(run.stderr).toMatch(pattern);
        expect(run.stderr).not.toMatch(/\n\s+at .+:\d+/); // no stack trace
        expect(run.stderr.match(/Error:/g)).toHaveLength(1);
        expect(w.tagged()).toEqual([]);
        // apply takes the lock before reading the account, and gives it back: nothing else is written
        expect(new Set(w.fake.calls.filter((call) => call.mutating).map((call) => `${call.command} ${String((call.input as { Name?: string }).Name)}`))).toEqual(
          new Set(command === Apply && !c.raw ? ['PutParameter /wallarm-oob/shop-oob/lock', 'DeleteParameter /wallarm-oob/shop-oob/lock'] : []),
        );
      });
    }
  }

  it('apply without a terminal and without --auto-approve refuses before changing anything', async () => {
    w = await world();
    const run = await runCommand(Apply, ['-c', w.configPath]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Apply these changes\? There is no terminal to ask on/);
    expect(run.stderr).toMatch(/--auto-approve/);
    expect(w.tagged()).toEqual([]);
  });
});

describe('bad input outside the config file: one clear message, exit code 1, no stack trace', () => {
  const plain = (run: { code: number; stderr: string }) => {
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+/);
  };

  it('a FIFO (or any non-regular file) as --config is refused instead of blocking on it', async () => {
    w = await world();
    const fifo = join(w.dir, 'config.fifo');
    execFileSync('mkfifo', [fifo]);
    const run = await runCommand(Plan, ['-c', fifo]);
    plain(run);
    expect(run.stderr).toMatch(/config\.fifo is not a regular file \(a named pipe\)/);
  });

  it('--region and AWS_REGION are held to the same rule as region:', async () => {
    w = await world({ config: { region: undefined } });
    const flag = await runCommand(Plan, ['-c', w.configPath, '--region', 'eu-wset1']);
    plain(flag);
    expect(flag.stderr).toMatch(/--region: "eu-wset1" is not an AWS region; write e\.g\. eu-west-1/);
    const previous = process.env.AWS_REGION;
    process.env.AWS_REGION = 'europe';
    try {
      const env = await runCommand(Plan, ['-c', w.configPath]);
      plain(env);
      expect(env.stderr).toMatch(/AWS_REGION: "europe" is not an AWS region/);
    } finally {
      process.env.AWS_REGION = previous;
    }
  });

  it('a lock parameter holding garbage: apply names it; unlock --force removes it', async () => {
    w = await world();
    w.fake.putParameter('/wallarm-oob/shop-oob/lock', '{not json');
    const apply = await runCommand(Apply, ['-c', w.configPath, '--auto-approve']);
    plain(apply);
    expect(apply.stderr).toMatch(/locked by nobody known \(the lock parameter holds "\{not json", not a wallarm-oob lock\)/);
    expect(apply.stderr).toMatch(/wallarm-oob unlock unreadable --force/);
    expect(apply.stderr).not.toMatch(/undefined|SyntaxError/);
    const unlocked = await runCommand(Unlock, ['whatever', '-c', w.configPath, '--force']);
    expect(unlocked.code).toBe(0);
    expect(w.fake.ssm.parameters.has('/wallarm-oob/shop-oob/lock')).toBe(false);
  });

  it('unlock says when the holder process is dead on this host', async () => {
    w = await world();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    w.fake.putParameter('/wallarm-oob/shop-oob/lock', JSON.stringify({ id: 'l-1', who: `me@${hostname()} (pid ${dead})`, operation: 'apply', created: '2026-01-01T00:00:00Z' }));
    const run = await runCommand(Unlock, ['l-1', '-c', w.configPath, '--force']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`process ${dead} that took it is no longer running on this host`);
  });

  it('a flag typo exits 1 (not 2, which plan --detailed-exitcode means "changes")', async () => {
    // The built CLI: oclif prints parse errors at its top level, outside the command.
    const run = spawnSync(process.execPath, ['bin/run.js', 'plan', '--detailed-exitcode', '--frobnicate', '-c', 'examples/web-server-mirror.yaml'], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Unknown flag --frobnicate for `wallarm-oob plan`/);
  });
});
