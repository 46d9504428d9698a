import { writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Validate from '../../src/commands/validate.js';
import { exitCode, initEnv, ROOT, setTerminal, type InitEnv } from './helpers.js';

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

const config = (e: InitEnv, over: { subnets?: string[]; extra?: string } = {}) => `deployment: shop-oob
topology: web-server-mirror
vpcId: ${e.net.vpcId}
subnets:
  loadBalancer: [${(over.subnets ?? e.net.privateSubnetIds).join(', ')}]
${over.extra ?? ''}`;

describe('validate', () => {
  it('prints one line per check and exits 1 on the failing one, skipping what depends on it', async () => {
    await writeFile(e.out, config(e, { subnets: [e.net.privateSubnetIds[0], e.net.publicSubnetIds[0]] }));
    expect(await exitCode(Validate.run(['--config', e.out], ROOT))).toBe(1);
    const lines = e.stdout().split('\n');
    expect(lines).toContain('✓ AWS credentials');
    expect(lines).toContain(`✓ VPC exists`);
    expect(lines).toContain('✗ Subnets belong to the VPC; load balancer subnets span two Availability Zones');
    expect(e.stdout()).toMatch(/ {4}.*an Application Load Balancer needs subnets in at least two Availability Zones/);
    expect(lines).toContain('- Wallarm node image available: not checked: fix the failure above first');
    expect(e.stdout()).toMatch(/1 check failed\./);
  });

  it('reports a schema failure as a check, and --json carries every check', async () => {
    await writeFile(e.out, config(e, { extra: 'nodes:\n  minSize: 9\n' }));
    expect(await exitCode(Validate.run(['--config', e.out, '--json'], ROOT))).toBe(1);
    const result = JSON.parse(e.stdout());
    expect(result.ok).toBe(false);
    expect(result.checks).toHaveLength(1);
    expect(result.checks[0]).toMatchObject({ id: 'schema', status: 'failed', code: 'CONFIG_INVALID' });
    expect(result.checks[0].detail).toMatch(/nodes.minSize: 9 is greater than maxSize \(3\)/);
  });

  it('flags a missing token parameter, and accepts WALLARM_NODE_TOKEN for apply to store', async () => {
    await writeFile(e.out, config(e));
    expect(await exitCode(Validate.run(['--config', e.out, '--json'], ROOT))).toBe(1);
    const failed = JSON.parse(e.stdout()).checks.find((c: { status: string }) => c.status === 'failed');
    expect(failed).toMatchObject({ id: 'token', code: 'TOKEN_PARAMETER_MISSING' });
    process.env.WALLARM_NODE_TOKEN = 'x';
    process.exitCode = undefined;
    expect(await exitCode(Validate.run(['--config', e.out], ROOT))).toBe(0);
    expect(e.stdout()).toMatch(/✓ Node token parameter: \/wallarm-oob\/shop-oob\/node-token does not exist yet; apply stores WALLARM_NODE_TOKEN there/);
  });

  it('checks the instance type is offered in every instance subnet\'s zone and the key pair exists', async () => {
    process.env.WALLARM_NODE_TOKEN = 'x';
    await writeFile(e.out, config(e, { extra: 'nodes:\n  keyName: ops-key\n' }));
    e.fake.setInstanceTypeOffered('t3.medium', 'eu-west-1b', false);
    expect(await exitCode(Validate.run(['--config', e.out, '--json'], ROOT))).toBe(1);
    const checks = JSON.parse(e.stdout()).checks as { id: string; status: string; code?: string; detail?: string }[];
    expect(checks.find((c) => c.id === 'node-version')).toMatchObject({ status: 'ok', detail: '"7.x": node 7.x, newest AMI named wallarm-node-7-*' });
    expect(checks.find((c) => c.id === 'image')?.detail).toMatch(/^wallarm-node-7-1-0-20260722-105251 \(ami-[0-9a-f]+\), node 7\.1\.0$/);
    expect(checks.find((c) => c.id === 'instance-type')).toMatchObject({ status: 'failed', code: 'INSTANCE_TYPE_NOT_OFFERED' });
    expect(checks.find((c) => c.id === 'instance-type')?.detail).toMatch(/nodes\.instanceType: t3\.medium is not offered in eu-west-1b \(subnets\.instances subnet-/);
    expect(checks.find((c) => c.id === 'key-pair')).toMatchObject({ status: 'failed', code: 'KEY_PAIR_NOT_FOUND' });

    e.fake.setInstanceTypeOffered('t3.medium', 'eu-west-1b', true);
    e.fake.addKeyPair('ops-key');
    process.exitCode = undefined;
    expect(await exitCode(Validate.run(['--config', e.out], ROOT))).toBe(0);
    expect(e.stdout()).toMatch(/✓ Instance type offered in every instance subnet’s Availability Zone: t3\.medium in eu-west-1a, eu-west-1b/);
    expect(e.stdout()).toMatch(/✓ Key pair exists: ops-key \(key-[0-9a-f]+\)/);
  });

  it('resolves latest to the newest supported line (7.1.0, not the 6.x patch published later) and reads the line of nodes.amiId', async () => {
    process.env.WALLARM_NODE_TOKEN = 'x';
    const image = (json: string) => (JSON.parse(json).checks as { id: string; detail?: string }[]).find((c) => c.id === 'image')?.detail;
    await writeFile(e.out, config(e, { extra: 'wallarm:\n  nodeVersion: latest\n' }));
    await exitCode(Validate.run(['--config', e.out, '--json'], ROOT));
    expect(image(e.stdout())).toMatch(/^wallarm-node-7-1-0-20260722-105251 .*node 7\.1\.0$/);

    await writeFile(e.out, config(e, { extra: `nodes:\n  amiId: ${e.net.images.wallarm612}\n` }));
    const before = e.stdout().length;
    await exitCode(Validate.run(['--config', e.out, '--json'], ROOT));
    expect(image(e.stdout().slice(before))).toMatch(/^wallarm-node-6-12-0-20260210-100000 .*node 6\.12\.0$/);
  });
});
