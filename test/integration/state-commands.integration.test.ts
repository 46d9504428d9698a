import { afterEach, describe, expect, it } from 'vitest';
import Graph from '../../src/commands/graph.js';
import StateList from '../../src/commands/state/list.js';
import StateShow from '../../src/commands/state/show.js';
import { runCommand } from './cli.js';
import { world, type World } from './harness.js';

let w: World | undefined;
afterEach(() => {
  w?.done();
  w = undefined;
});

describe('state list / state show / graph against the fake account', () => {
  it('lists what apply created with ids and apply time; shows one resource; a typo gets a suggestion', async () => {
    w = await world();
    const before = Date.now();
    await w.apply();
    const alb = [...w.fake.elbv2.loadBalancers.values()][0]!;

    const list = await runCommand(StateList, ['-c', w.configPath]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^node-alb\s+load-balancer\s+arn:aws:elasticloadbalancing:/m);
    expect(list.stdout).toContain(alb.arn);
    expect(list.stdout).toMatch(/^Last applied: \d{4}-\d\d-\d\dT/m);
    expect(list.stdout).toContain(`mirrorEndpoint = http://${alb.dnsName}:8445`);
    expect(list.stdout).not.toMatch(/hash/i);

    const json = JSON.parse((await runCommand(StateList, ['-c', w.configPath, '--json'])).stdout) as {
      appliedAt: string;
      resources: { logicalId: string; kind: string; physicalId: string }[];
    };
    expect(Date.parse(json.appliedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(json.resources.map((r) => r.logicalId)).toEqual([
      'lb-security-group',
      'node-alb',
      'node-asg',
      'node-cpu-policy',
      'node-instance-profile',
      'node-launch-template',
      'node-listener',
      'node-role',
      'node-security-group',
      'node-target-group',
    ]);
    expect(json.resources.find((r) => r.logicalId === 'node-alb')).toMatchObject({ kind: 'load-balancer', physicalId: alb.arn });

    const show = await runCommand(StateShow, ['node-alb', '-c', w.configPath]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`physical id: ${alb.arn}`);
    expect(show.stdout).toContain('depends on: lb-security-group');
    expect(show.stdout).toContain('used by:    node-listener');
    expect(show.stdout).toContain(`dnsName = ${alb.dnsName}`);

    const typo = await runCommand(StateShow, ['node-abl', '-c', w.configPath, '--json']);
    expect(typo.code).toBe(1);
    expect(JSON.parse(typo.stdout)).toMatchObject({ error: { code: 'NO_SUCH_RESOURCE', message: expect.stringContaining('did you mean "node-alb"?') } });
  });

  it('state list before any apply is one error, exit 1', async () => {
    w = await world();
    const run = await runCommand(StateList, ['-c', w.configPath]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('has no state');
  });

  it('graph of an applied deployment with an edit shows the planned action of each resource', async () => {
    w = await world();
    await w.apply();
    await w.writeConfig({ nodes: { instanceType: 'c5.xlarge' } });
    const run = await runCommand(Graph, ['-c', w.configPath, '--json']);
    expect(run.code).toBe(0);
    const graph = JSON.parse(run.stdout) as { nodes: { id: string; action: string }[]; edges: { from: string; to: string; via: string[] }[] };
    expect(graph.nodes.find((n) => n.id === 'node-launch-template')!.action).toBe('update');
    expect(graph.nodes.find((n) => n.id === 'node-alb')!.action).toBe('noop');
    expect(graph.edges).toContainEqual({ from: 'node-launch-template', to: 'node-asg', via: ['id', 'latestVersion'] });
  });
});
