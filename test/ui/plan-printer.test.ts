import { describe, expect, it } from 'vitest';
import type { Plan, PlannedAction, PropChange } from '../../src/engine/plan.js';
import { formatPlan } from '../../src/ui/plan-printer.js';
import { leafChanges } from '../../src/ui/values.js';

function planWith(action: Omit<PlannedAction, 'reasons' | 'changes'> & { changes: Omit<PropChange, 'cause' | 'forcesReplacement'>[] }): Plan {
  return {
    format: 1,
    deployment: 'shop-oob',
    topology: 'web-server-mirror',
    region: 'eu-west-1',
    stateSerial: 1,
    createdAt: '2026-01-01T00:00:00Z',
    offline: false,
    destroy: false,
    graph: { nodes: [], outputs: {} },
    actions: [{ reasons: ['`x` was changed outside wallarm-oob'], ...action, changes: action.changes.map((c) => ({ cause: 'drift', forcesReplacement: false, ...c })) }],
    notes: [],
    outputs: {},
  } as Plan;
}

const text = (plan: Plan) => formatPlan(plan, { showProperties: false, showUserData: false });

const policy = (resource: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'ReadNodeToken', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: resource }] });

describe('plan output: nested changes show only the changed leaves', () => {
  it('one field of a health check', () => {
    const before = { protocol: 'HTTP', port: '9445', path: '/-/healthcheck', intervalSeconds: 5, timeoutSeconds: 3, healthyThreshold: 3, unhealthyThreshold: 3 };
    const out = text(planWith({ id: 'node-target-group', kind: 'target-group', action: 'update', changes: [{ prop: 'healthCheck', before, after: { ...before, intervalSeconds: 30 } }] }));
    expect(out).toContain('      ~ healthCheck:\n          ~ intervalSeconds: 5 -> 30\n');
    expect(out).not.toContain('/-/healthcheck');
  });

  it('a security group rule added and one changed: the new rule, and the one changed port', () => {
    const rule = (port: number, description: string) => ({ protocol: 'tcp', fromPort: port, toPort: port, cidr: '10.0.0.0/8', description });
    const before = [rule(8445, 'mirrored requests'), rule(9445, 'health')];
    const added = text(planWith({ id: 'node-security-group', kind: 'security-group', action: 'update', changes: [{ prop: 'ingress', before, after: [...before, rule(22, 'ssh')] }] }));
    expect(added).toContain('      ~ ingress:\n          + { protocol: "tcp", fromPort: 22, toPort: 22, cidr: "10.0.0.0/8", description: "ssh" }\n');
    expect(added).not.toContain('mirrored requests');
    const changed = text(planWith({ id: 'node-security-group', kind: 'security-group', action: 'update', changes: [{ prop: 'ingress', before, after: [before[0]!, { ...before[1]!, toPort: 9446 }] }] }));
    expect(changed).toContain('          ~ [1].toPort: 9445 -> 9446\n');
  });

  it('tags: the added, removed and changed keys', () => {
    const out = text(planWith({ id: 'node-alb', kind: 'load-balancer', action: 'update', changes: [{ prop: 'tags', before: { team: 'appsec', env: 'dev', keep: 'x' }, after: { team: 'secops', owner: 'me', keep: 'x' } }] }));
    expect(out).toMatch(/~ team: "appsec" -> "secops"\n\s+- env: "dev"\n\s+\+ owner: "me"/);
    expect(out).not.toContain('keep');
  });

  it('a policy document: the changed statement field, not two escaped one-line JSON strings', () => {
    const out = text(
      planWith({
        id: 'node-role',
        kind: 'iam-role',
        action: 'update',
        changes: [{ prop: 'inlinePolicies', before: { 'read-node-token': policy('arn:aws:ssm:eu-west-1:1:parameter/a') }, after: { 'read-node-token': policy('arn:aws:ssm:eu-west-1:1:parameter/b') } }],
      }),
    );
    expect(out).toContain('~ read-node-token.Statement[0].Resource: "arn:aws:ssm:eu-west-1:1:parameter/a" -> "arn:aws:ssm:eu-west-1:1:parameter/b"');
    expect(out).not.toContain('\\"');
  });

  it('a scalar change stays on one line', () => {
    const out = text(planWith({ id: 'node-asg', kind: 'auto-scaling-group', action: 'update', changes: [{ prop: 'maxSize', before: 3, after: 5 }] }));
    expect(out).toContain('      ~ maxSize: 3 -> 5\n');
  });

  it('leafChanges compares lists of different lengths as sets', () => {
    expect(leafChanges(['a', 'b'], ['b', 'c', 'd'])).toEqual([
      { path: '', kind: 'removed', before: 'a' },
      { path: '', kind: 'added', after: 'c' },
      { path: '', kind: 'added', after: 'd' },
    ]);
  });
});

describe('plan output: long values print as indented blocks', () => {
  it('policy documents as indented JSON, long rule lists one rule per line', async () => {
    const { loadConfig } = await import('../../src/config/load.js');
    const { planOffline } = await import('../../src/core/planning.js');
    const { plan } = planOffline(await loadConfig('examples/vpc-mirror.yaml'));
    const out = formatPlan(plan, { showProperties: true, showUserData: false });
    expect(out).toContain('      assumeRolePolicy: (JSON)\n          {\n            "Version": "2012-10-17",');
    expect(out).toMatch(/ {10}read-node-token: \(JSON\)\n {14}\{\n {16}"Version"/);
    expect(out).toMatch(/ {6}rules:\n {10}- direction: "(ingress|egress)"\n {12}ruleNumber: /);
    // no property value is one very long line (the user data is hidden here; notes are prose the terminal wraps)
    expect(out.split('\n').filter((l) => l.length > 160 && !l.startsWith('Note: '))).toEqual([]);
  });
});
