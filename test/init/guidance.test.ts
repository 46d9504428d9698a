import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import Init from '../../src/commands/init.js';
import { exitCode, initEnv, readText, ROOT, setTerminal, TOKEN, type InitEnv } from './helpers.js';

let e: InitEnv;
let restoreTerminal: () => void;

beforeEach(async () => {
  e = await initEnv();
  restoreTerminal = setTerminal(false);
  process.env.WALLARM_NODE_TOKEN = TOKEN;
});
afterEach(() => {
  delete process.env.WALLARM_NODE_TOKEN;
  restoreTerminal();
  e.restore();
});

const init = (args: string[]) => exitCode(Init.run([...args, '--output', e.out, '--deployment', 'shop-oob', '--yes'], ROOT));
const web = () => ['--topology', 'web-server-mirror', '--vpc-id', e.net.vpcId];

describe('init: what the operator should know before apply', () => {
  it('private subnets routed to a NAT gateway: no warning; next steps end with mirror-config for the web server', async () => {
    expect(await init(web())).toBe(0);
    expect(e.stderr()).toBe('');
    const c = `-c ${e.out}`;
    expect(e.stdout()).toMatch(
      new RegExp(`Next steps:\n {2}wallarm-oob validate ${c} +check the file against the account\n {2}wallarm-oob plan ${c} +.*\n {2}wallarm-oob apply ${c} +build it\n {2}wallarm-oob mirror-config nginx ${c} +after apply: the mirror block for your web server`),
    );
  });

  it('node subnets whose only way out is an internet gateway: the nodes get no public IP, so a warning says so', async () => {
    expect(await init([...web(), '--instance-subnets', e.net.publicSubnetIds.join(',')])).toBe(0);
    const warning = e.stderr();
    expect(warning).toContain(`${e.net.publicSubnetIds[0]} (route table ${e.net.publicRouteTableId}) routes 0.0.0.0/0 to an internet gateway only`);
    expect(warning).toContain('must reach the Wallarm Cloud');
    expect(warning).toContain('NAT gateway');
    // a warning, not an error: the file is written
    expect(parse(await readText(e.out)).subnets.instances).toEqual([...e.net.publicSubnetIds]);
  });

  it('node subnets with no route out at all', async () => {
    const a = e.fake.addSubnet({ vpcId: e.net.vpcId, az: 'eu-west-1a', cidr: '10.0.50.0/24' });
    const b = e.fake.addSubnet({ vpcId: e.net.vpcId, az: 'eu-west-1b', cidr: '10.0.51.0/24' });
    expect(await init([...web(), '--lb-subnets', `${a},${b}`])).toBe(0);
    expect(e.stderr()).toMatch(new RegExp(`${a} \\(route table rtb-\\w+\\) has no route to the internet`));
    expect(e.stderr()).toContain(b);
  });

  it('--mirror-ports with a word: one readable message, nothing written', async () => {
    expect(await init(['--topology', 'vpc-mirror', '--vpc-id', e.net.vpcId, '--mirror-asg', 'web-asg', '--mirror-ports', '80,https'])).toBe(1);
    expect(e.stderr()).toContain('--mirror-ports: "https" is not a port number: write TCP port numbers separated by commas (e.g. 80,8080), or "all".');
    expect(e.stderr()).not.toMatch(/NaN|expected number/);
  });

  it('--mirror-ports out of range', async () => {
    expect(await init(['--topology', 'vpc-mirror', '--vpc-id', e.net.vpcId, '--mirror-asg', 'web-asg', '--mirror-ports', '80,70000'])).toBe(1);
    expect(e.stderr()).toContain('70000 is not a TCP port: ports are 1 to 65535');
  });

  it('mirroring 443 is accepted with a warning that TLS cannot be analysed; vpc-mirror has no mirror-config step', async () => {
    expect(await init(['--topology', 'vpc-mirror', '--vpc-id', e.net.vpcId, '--mirror-asg', 'web-asg', '--mirror-ports', '80,443'])).toBe(0);
    expect(e.stderr()).toContain('mirror.ports: port 443 usually carries TLS: mirrored TLS traffic is encrypted, so the nodes cannot analyse it.');
    expect(parse(await readText(e.out)).mirror.ports).toEqual([80, 443]);
    expect(e.stdout()).not.toContain('mirror-config');
  });
});
