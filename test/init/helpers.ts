import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { clock } from '../../src/util/clock.js';
import { fakeEnv, type FakeEnv } from '../fake-aws/helpers.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const TOKEN = 'wallarm-node-token-7f3a9c1e5b2d4086a1c3e5f7b9d1f3a5';

export interface InitEnv extends FakeEnv {
  dir: string;
  out: string;
  /** An Auto Scaling group of 2 web servers in the private subnets. */
  asg: string;
  /** The primary interface of a standalone web server (eligible source). */
  webEni: string;
  /** An interface of an existing internal ALB (not eligible). */
  lbEni: string;
  stdout: () => string;
  stderr: () => string;
  restore(): void;
}

/**
 * The fake account (standard VPC, subnets, AMIs) plus what vpc-mirror can mirror: a web Auto Scaling group,
 * a standalone web server and an existing load balancer. Time shrunk 1000x; stdout and stderr captured.
 */
export async function initEnv(): Promise<InitEnv> {
  const e = fakeEnv();
  clock.setScale(0.001);
  const { fake, net } = e;
  fake.ec2.templates.CreateLaunchTemplate({ LaunchTemplateName: 'web', LaunchTemplateData: { ImageId: net.images.debian12, InstanceType: 'm5.large' } });
  fake.autoscaling.CreateAutoScalingGroup({
    AutoScalingGroupName: 'web-asg',
    LaunchTemplate: { LaunchTemplateName: 'web', Version: '$Latest' },
    MinSize: 2,
    MaxSize: 2,
    VPCZoneIdentifier: net.privateSubnetIds.join(','),
  });
  fake.advance(600_000);
  const web = fake.addInstance({ subnetId: net.privateSubnetIds[0], instanceType: 'm5.large', tags: { Name: 'web-1' } });
  fake.elbv2.CreateLoadBalancer({ Name: 'existing-alb', Type: 'application', Scheme: 'internal', Subnets: [...net.privateSubnetIds] });
  const lbEni = [...fake.ec2.networkInterfaces.values()].find((n) => n.requesterManaged)!.id;
  const dir = await mkdtemp(join(tmpdir(), 'wallarm-oob-init-'));
  const out: string[] = [];
  const err: string[] = [];
  const capture = (sink: string[]) => (chunk: unknown) => {
    // Node's own process warnings (e.g. the AWS SDK's Node version notice) are not the command's output.
    if (!String(chunk).startsWith('(node:')) sink.push(String(chunk));
    return true;
  };
  const stdoutSpy = vi.spyOn(process.stdout, 'write').mockImplementation(capture(out));
  const stderrSpy = vi.spyOn(process.stderr, 'write').mockImplementation(capture(err));
  // oclif's this.log / this.logToStderr go through console
  const line = (sink: string[]) => (...args: unknown[]) => void sink.push(`${format(...args)}\n`);
  const consoleSpies = [
    vi.spyOn(console, 'log').mockImplementation(line(out)),
    vi.spyOn(console, 'info').mockImplementation(line(out)),
    vi.spyOn(console, 'error').mockImplementation(line(err)),
    vi.spyOn(console, 'warn').mockImplementation(line(err)),
  ];
  process.env.NO_COLOR = '1';
  return {
    ...e,
    dir,
    out: join(dir, 'wallarm-oob.yaml'),
    asg: 'web-asg',
    webEni: web.eniId,
    lbEni,
    stdout: () => out.join(''),
    stderr: () => err.join(''),
    restore() {
      stdoutSpy.mockRestore();
      stderrSpy.mockRestore();
      for (const spy of consoleSpies) spy.mockRestore();
      delete process.env.WALLARM_NODE_TOKEN;
      process.exitCode = undefined;
      e.done();
    },
  };
}

/** Pretends to be (or not to be) a person at a terminal, as isInteractive() sees it. */
export function setTerminal(tty: boolean): () => void {
  const saved = { stdin: process.stdin.isTTY, stdout: process.stdout.isTTY, ci: process.env.CI };
  process.stdin.isTTY = tty;
  process.stdout.isTTY = tty;
  if (tty) delete process.env.CI;
  return () => {
    process.stdin.isTTY = saved.stdin;
    process.stdout.isTTY = saved.stdout;
    if (saved.ci === undefined) delete process.env.CI;
    else process.env.CI = saved.ci;
  };
}

/** Runs a command class as oclif would and returns its exit code (0, or the code it exited with). */
export async function exitCode(run: Promise<unknown>): Promise<number> {
  try {
    await run;
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    const code = (error as { oclif?: { exit?: number } }).oclif?.exit;
    if (code === undefined) throw error;
    return code;
  }
}

export const readText = (path: string) => readFile(path, 'utf8');
