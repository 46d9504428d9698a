import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

beforeAll(() => {
  if (!existsSync(`${root}/dist/commands/plan.js`)) throw new Error('These tests run the built CLI: run `npm run build` first (`npm test` does).');
});

/** Runs the built CLI as a user would (`npm test` builds first) with the given environment only. */
export async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/run.js', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('plan --offline', () => {
  it('plans the bundled web-server-mirror example with no credentials and no network', async () => {
    const { code, stdout, stderr } = await cli(['plan', '--offline', '-c', 'examples/web-server-mirror.yaml']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Plan: 10 to add, 0 to change, 0 to replace, 0 to destroy.');
    expect(stdout).toMatch(/\+ node-alb \(load-balancer\) will be created/);
    expect(stdout).toContain('imageId: (known after apply)');
    // the rendered cloud-init is shown, and it fetches the token at boot instead of carrying it
    expect(stdout).toContain('--- user data of node-launch-template');
    expect(stdout).toContain("readonly TOKEN_PARAMETER='/wallarm-oob/shop-oob/node-token'");
  });

  it('deploys the default node line (7.x): -p custom with the mirrored-traffic NGINX configuration, never -p mirror', async () => {
    const { code, stdout } = await cli(['plan', '--offline', '-c', 'examples/web-server-mirror.yaml']);
    expect(code).toBe(0);
    expect(stdout).toContain('Note: Wallarm node 7.x: the newest AMI named wallarm-node-7-*, known after apply.');
    expect(stdout).toContain('cloud_init_args=(-t "${token}" -H "${API_HOST}" -p custom -m "${MODE}")');
    expect(stdout).not.toContain('-p mirror');
    for (const line of [
      'wallarm_force server_addr $http_x_server_addr;',
      'wallarm_force server_port $http_x_server_port;',
      'wallarm_force response_status 0;',
      'wallarm_force response_time 0;',
      'wallarm_force response_size 0;',
      // network.mirrorSourceCidrs of the example, then the VPC's blocks (known online)
      'set_real_ip_from 10.0.0.0/8;',
      'set_real_ip_from 172.16.0.0/12;',
      'set_real_ip_from 192.168.0.0/16;',
      'real_ip_header X-Forwarded-For;',
      'real_ip_recursive on;',
    ]) {
      expect(stdout).toContain(`    ${line}\n`);
    }
    expect(stdout).toMatch(/healthCheck:\n\s+protocol: "HTTP"\n\s+port: "8446"\n\s+path: "\/ready"/);
  });

  it('warns, without failing, about a node line past its end of support, with the date', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wallarm-oob-cli-'));
    const config = join(dir, 'legacy.yaml');
    writeFileSync(config, readFileSync(`${root}/examples/web-server-mirror.yaml`, 'utf8').replace('nodeVersion: "7.x"', 'nodeVersion: "4.8"'));
    const { code, stdout } = await cli(['plan', '--offline', '-c', config]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Note: Wallarm node 4\.8 reached its end of support in November 2024 \(docs\.wallarm\.com\/updating-migrating\/versioning-policy\/\)/);
    expect(stdout).toContain('-p mirror'); // 4.x keeps its preset
    const validate = await cli(['validate', '--offline', '-c', config]);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toMatch(/! Wallarm node version supported\n\s+Wallarm node 4\.8 reached its end of support in November 2024/);
  });

  it('plans the bundled vpc-mirror example on the Native Node: installer, tcp-capture-v2, from_vxlan, NLB UDP 4789, no goreplay', async () => {
    const { code, stdout, stderr } = await cli(['plan', '--offline', '-c', 'examples/vpc-mirror.yaml']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // 11 for the receiver and the mirror layer, 6 for the follower (its sources are an ASG, tags and EKS)
    expect(stdout).toContain('Plan: 17 to add, 0 to change, 0 to replace, 0 to destroy.');
    expect(stdout).toMatch(/\+ follower-function \(lambda-function\) will be created/);
    expect(stdout).toContain('mirrored by the follower within ~1 minute of their launch, without apply');
    expect(stdout).toContain('Wallarm all-in-one installer 0.25.5 from https://meganode.wallarm.com/native/aio-native-0.25.5.x86_64.sh');
    expect(stdout).toContain('--mode=tcp-capture-v2');
    expect(stdout).toContain('tcp_stream.from_vxlan on 0.0.0.0:4789');
    expect(stdout).toMatch(/\+ native-node-listener \(listener\) will be created\n.*\n\s+protocol: "UDP"\n\s+port: 4789/);
    expect(stdout).not.toMatch(/goreplay|node-alb|rebuilder/);
  });

  it('emits the plan as JSON with --json, and exits 2 on changes with --detailed-exitcode', async () => {
    const { code, stdout } = await cli(['plan', '--offline', '--json', '--detailed-exitcode', '-c', 'examples/web-server-mirror.yaml']);
    expect(code).toBe(2);
    const plan = JSON.parse(stdout);
    expect(plan.offline).toBe(true);
    expect(plan.actions.map((a: { id: string }) => a.id)).toContain('node-listener');
  });

  it('fails with one clear message, exit code 1 and no stack trace for a missing config file', async () => {
    const { code, stdout, stderr } = await cli(['plan', '--offline', '-c', 'nope.yaml']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/nope\.yaml/);
    expect(stderr).toMatch(/wallarm-oob init/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('without credentials', () => {
  it('a plan against the account says how to provide credentials (or to plan offline), without a stack trace', async () => {
    const { code, stderr } = await cli(['plan', '-c', 'examples/web-server-mirror.yaml'], { AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/No AWS credentials were found/);
    expect(stderr).toMatch(/plan --offline/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
