import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import Plan from '../../src/commands/plan.js';
import type { CostEstimate } from '../../src/cost/estimate.js';
import { SHIPPED_PRICES } from '../../src/cost/price-table.js';
import type { Plan as PlanData } from '../../src/engine/plan.js';
import { FAKE_INSTALLER_SHA256 } from '../vpc-mirror/installer-server.js';
import { seedSources } from '../vpc-mirror/seed.js';
import { runCommand } from '../integration/cli.js';
import { world, type World } from '../integration/harness.js';

let w: World | undefined;
afterEach(() => {
  w?.done();
  w = undefined;
});

const HOURS = 730;
/** The hand computation: each line is quantity × hourly price × 730 hours, rounded to cents; the total is their sum. */
const monthly = (quantity: number, hourly: number) => Math.round(quantity * hourly * HOURS * 100) / 100;
const sum = (...values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100;

async function plan(argv: string[]): Promise<{ code: number; plan: PlanData; stdout: string }> {
  const run = await runCommand(Plan, [...argv, '--json']);
  return { code: run.code, plan: JSON.parse(run.stdout) as PlanData, stdout: run.stdout };
}

const lineOf = (cost: CostEstimate, resource: string) => cost.lines.find((l) => l.resource === resource)!;

/** An example config pointed at the fake account's VPC and subnets (and, for vpc-mirror, at the seeded sources). */
function example(v: World, name: string, edit: (config: Record<string, unknown>) => void = () => undefined): string {
  const config = parse(readFileSync(`examples/${name}.yaml`, 'utf8')) as Record<string, unknown>;
  Object.assign(config, { region: v.fake.region, vpcId: v.net.vpcId, subnets: { loadBalancer: [...v.net.privateSubnetIds] } });
  delete (config.wallarm as Record<string, unknown>).tokenParameter;
  edit(config);
  writeFileSync(v.configPath, stringify(config));
  return v.configPath;
}

describe('the estimated monthly cost of a plan', () => {
  it('offline, both examples: priced from the shipped table, dated and sourced', async () => {
    const web = await plan(['--offline', '-c', 'examples/web-server-mirror.yaml']);
    const eu = SHIPPED_PRICES.regions['eu-west-1']!;
    const node = monthly(1, eu.instanceHour['t3.medium']!);
    const alb = monthly(1, eu.loadBalancerHour.application!);
    expect(web.plan.cost).toMatchObject({ currency: 'USD', hoursPerMonth: 730, complete: true, monthlyTotal: sum(node, alb) });
    expect(web.plan.cost!.label).toBe("estimate, on-demand prices of 2025, the price table shipped with wallarm-oob, recorded by hand from AWS's pricing pages, not re-checked since");
    expect(lineOf(web.plan.cost!, 'node-asg')).toMatchObject({ item: '1 × t3.medium instance (node-asg, scales up to 3)', quantity: 1, hourlyPrice: 0.0456, monthly: node, reference: 'https://aws.amazon.com/ec2/pricing/on-demand/' });
    expect(lineOf(web.plan.cost!, 'node-alb')).toMatchObject({ item: '1 × Application Load Balancer (node-alb)', monthly: alb, reference: 'https://aws.amazon.com/elasticloadbalancing/pricing/' });
    expect(web.plan.cost!.usageCharges).toContain('LCU charges of the Application Load Balancer (usage-dependent)');

    const vpc = await plan(['--offline', '-c', 'examples/vpc-mirror.yaml']);
    const us = SHIPPED_PRICES.regions['us-east-1']!;
    const nlb = monthly(1, us.loadBalancerHour.network!);
    const native = monthly(1, us.instanceHour['t3.medium']!);
    // Offline, the sources are not resolved: the sessions are priced per session, not counted.
    expect(vpc.plan.cost).toMatchObject({ complete: false, monthlyTotal: sum(nlb, native) });
    expect(lineOf(vpc.plan.cost!, 'mirror-sessions')).toMatchObject({ quantity: null, hourlyPrice: us.mirrorSessionHour, unit: 'session-hour' });
    expect(lineOf(vpc.plan.cost!, 'mirror-sessions').monthly).toBeUndefined();
    expect(vpc.plan.cost!.usageCharges).toEqual([
      'NLCU charges of the Network Load Balancer (usage-dependent)',
      'per-GB charges for the mirrored traffic (usage-dependent)',
      'EBS volumes of the instances and data transfer (not included)',
    ]);

    const text = await runCommand(Plan, ['--offline', '-c', 'examples/vpc-mirror.yaml']);
    expect(text.stdout).toContain(`Estimated cost: at least $${sum(nlb, native).toFixed(2)}/month (estimate, on-demand prices of 2025`);
    expect(text.stdout).toContain('traffic mirror sessions (mirror-sessions): $10.95/month each; one session per eligible source interface');
    expect(text.stdout).toContain('  plus per-GB charges for the mirrored traffic (usage-dependent)');
  });

  it('online, both examples: priced from the Price List Query API answers (the fake\'s), one GetProducts per price', async () => {
    w = await world();
    const web = await plan(['-c', example(w, 'web-server-mirror')]);
    expect(web.code).toBe(0);
    // The fake's answers for eu-west-1 (test/fake-aws/pricing.ts), among decoys of other OSes, tenancies and regions.
    const node = monthly(1, 0.0456);
    const alb = monthly(1, 0.0252);
    expect(web.plan.cost).toMatchObject({ complete: true, monthlyTotal: sum(node, alb), label: 'estimate, on-demand prices of 2026-11-01, AWS Price List Query API' });
    expect(lineOf(web.plan.cost!, 'node-asg')).toMatchObject({ monthly: node, source: 'AWS Price List Query API', priceDate: '2026-11-01' });
    const calls = w.fake.callsTo('GetProducts', { succeeded: true });
    expect(calls.map((c) => (c.input as { ServiceCode: string }).ServiceCode).sort()).toEqual(['AWSELB', 'AmazonEC2']);
    const ec2 = calls.find((c) => (c.input as { ServiceCode: string }).ServiceCode === 'AmazonEC2')!.input as { Filters: { Field: string; Value: string }[] };
    expect(Object.fromEntries(ec2.Filters.map((f) => [f.Field, f.Value]))).toEqual({ regionCode: 'eu-west-1', instanceType: 't3.medium', operatingSystem: 'Linux', tenancy: 'Shared', preInstalledSw: 'NA', capacitystatus: 'Used' });
    w.done();

    w = await world();
    seedSources(w.fake, w.net);
    w.fake.putParameter('/wallarm-oob/shop-vpc/node-token', 'api-token-from-ssm', { type: 'SecureString' });
    const vpc = await plan(['-c', example(w, 'vpc-mirror', (c) => {
      const mirror = c.mirror as { sources: Record<string, unknown>[]; nativeNode: Record<string, unknown> };
      mirror.sources = mirror.sources.filter((s) => !('networkInterfaceIds' in s)); // the example's ENI ids are placeholders
      mirror.nativeNode.installer = { url: 'https://meganode.wallarm.com/native/aio-native-0.25.5.x86_64.sh', sha256: FAKE_INSTALLER_SHA256 };
    })]);
    expect(vpc.code).toBe(0);
    const sessions = vpc.plan.mirrorSources!.flatMap((s) => s.eligible);
    const count = new Set(sessions).size;
    expect(count).toBe(5); // web-asg (2), the role=web server (its Xen twin is skipped), ng-web (2)
    const nlb = monthly(1, 0.0252);
    const native = monthly(1, 0.0456);
    const mirror = monthly(count, 0.018);
    expect(vpc.plan.cost).toMatchObject({ complete: true, monthlyTotal: sum(nlb, native, mirror) });
    expect(lineOf(vpc.plan.cost!, 'mirror-sessions')).toMatchObject({ item: '5 traffic mirror sessions (mirror-sessions)', quantity: 5, hourlyPrice: 0.018, monthly: mirror, source: 'AWS Price List Query API' });
  });

  it('the pricing endpoint failing leaves the plan intact, priced from the shipped table, with a note', async () => {
    w = await world();
    const path = example(w, 'web-server-mirror');
    const before = await plan(['-c', path]);
    w.done();

    w = await world();
    w.fake.pricing.failure = { code: 'AccessDeniedException', message: 'User is not authorized to perform: pricing:GetProducts', status: 400 };
    const failing = await plan(['-c', example(w, 'web-server-mirror')]);
    expect(failing.code).toBe(0);
    expect(failing.plan.actions.map((a) => [a.id, a.action])).toEqual(before.plan.actions.map((a) => [a.id, a.action]));
    const eu = SHIPPED_PRICES.regions['eu-west-1']!;
    expect(failing.plan.cost).toMatchObject({ complete: true, monthlyTotal: sum(monthly(1, eu.instanceHour['t3.medium']!), monthly(1, eu.loadBalancerHour.application!)) });
    expect(failing.plan.notes).toContain(
      "The AWS Price List Query API did not answer (AccessDeniedException: User is not authorized to perform: pricing:GetProducts); the cost estimate uses the price table shipped with wallarm-oob (2025). It needs pricing:GetProducts.",
    );
    expect(failing.plan.notes.filter((n) => n.includes('did not answer'))).toHaveLength(1);
  });
});
