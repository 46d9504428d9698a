import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import Apply from '../../src/commands/apply.js';
import Plan from '../../src/commands/plan.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { runCommand } from './cli.js';
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
