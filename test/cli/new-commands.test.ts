import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuild } from './run-cli.js';

beforeAll(requireBuild);

describe('iam-policy', () => {
  it('prints a policy document for the config, with no AWS access', async () => {
    const { code, stdout, stderr } = await cli(['iam-policy', '-c', 'examples/web-server-mirror.yaml']);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as { Version: string; Statement: { Action: string[]; Resource: string | string[]; Condition?: unknown }[] };
    expect(doc.Version).toBe('2012-10-17');
    const actions = doc.Statement.flatMap((s) => s.Action);
    // the non-obvious ones an operator would otherwise find one AccessDenied at a time
    expect(actions).toEqual(expect.arrayContaining(['ec2:RunInstances', 'iam:PassRole', 'iam:CreateServiceLinkedRole', 'ssm:AddTagsToResource', 'ssm:PutParameter']));
    // web-server-mirror builds no traffic mirroring, and destroy does not look for it
    expect(actions.filter((a) => a.includes('TrafficMirror'))).toEqual([]);
    const passRole = doc.Statement.find((s) => s.Action.includes('iam:PassRole'))!;
    expect(passRole.Resource).toEqual(['arn:aws:iam::*:role/wallarm-oob-shop-oob-*', 'arn:aws:iam::*:role/wallarm-oob/shop-oob/*']);
    // it fits a customer managed policy (6,144 characters without whitespace): no warning
    expect(stderr).toBe('');
    expect(stdout.replace(/\s/g, '').length).toBeLessThanOrEqual(6144);
  });

  it('vpc-mirror adds the traffic mirroring actions, scoped to the deployment tag', async () => {
    const { code, stdout, stderr } = await cli(['iam-policy', '-c', 'examples/vpc-mirror.yaml']);
    expect(code).toBe(0);
    // larger than a managed policy may be: the command says so, and how to attach it (oclif wraps warnings)
    expect(stderr.replace(/\s*›?\s+/g, ' ')).toContain('over the 6144 a customer managed policy may hold. Attach it as an inline policy of a role');
    const doc = JSON.parse(stdout) as { Statement: { Action: string[]; Condition?: Record<string, Record<string, string>> }[] };
    const create = doc.Statement.find((s) => s.Action.includes('ec2:CreateTrafficMirrorSession') && s.Condition)!;
    expect(create.Condition).toEqual({ StringEquals: { 'aws:RequestTag/wallarm-oob:deployment': 'shop-vpc' } });
  });

  it('--out-dir writes the vpc-mirror policy as managed policies within the limit, together granting the same actions', async () => {
    const whole = JSON.parse((await cli(['iam-policy', '-c', 'examples/vpc-mirror.yaml'])).stdout) as { Statement: { Action: string[] }[] };
    const dir = mkdtempSync(join(tmpdir(), 'iam-'));
    const { code, stdout, stderr } = await cli(['iam-policy', '-c', 'examples/vpc-mirror.yaml', '--out-dir', dir, '--json']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const { policies } = JSON.parse(stdout) as { policies: { name: string; file: string; characters: number }[] };
    expect(policies.map((p) => p.name)).toEqual(['wallarm-oob-shop-vpc-1', 'wallarm-oob-shop-vpc-2']);
    const docs = policies.map((p) => JSON.parse(readFileSync(p.file, 'utf8')) as { Statement: { Action: string[] }[] });
    for (const [i, d] of docs.entries()) expect(JSON.stringify(d).replace(/\s/g, '').length).toBe(policies[i]!.characters);
    expect(policies.every((p) => p.characters <= 6144)).toBe(true);
    expect(docs.flatMap((d) => d.Statement)).toEqual(expect.arrayContaining(whole.Statement));
    expect(docs.flatMap((d) => d.Statement)).toHaveLength(whole.Statement.length);
    const text = await cli(['iam-policy', '-c', 'examples/vpc-mirror.yaml', '--out-dir', dir]);
    expect(text.stdout).toContain(`aws iam create-policy --policy-name wallarm-oob-shop-vpc-2 --policy-document file://${join(dir, 'wallarm-oob-shop-vpc-2.json')}`);
  });

  it('a missing config is one error, exit 1', async () => {
    const { code, stdout } = await cli(['iam-policy', '-c', 'nope.yaml', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: expect.any(String) } });
  });
});

describe('graph --offline', () => {
  it('prints the dot graph of the example plan through the built CLI', async () => {
    const { code, stdout, stderr } = await cli(['graph', '--offline', '-c', 'examples/web-server-mirror.yaml']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^digraph "wallarm-oob shop-oob" \{/);
    expect(stdout).toContain('"node-alb" [label="+ node-alb\\nload-balancer\\ncreate", color=green];');
    expect(stdout).toContain('"node-asg" -> "node-cpu-policy" [label="name"];');
  });

  it('rejects an unknown format with the allowed ones', async () => {
    const { code, stderr } = await cli(['graph', '--offline', '-c', 'examples/web-server-mirror.yaml', '--format', 'svg']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/dot, mermaid/);
  });
});
