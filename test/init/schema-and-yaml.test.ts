import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configJsonSchemaText, installedSchemaPath, SCHEMA_FILE, schemaRefFor } from '../../src/config/json-schema.js';
import { parseConfigText } from '../../src/config/load.js';
import { answerProblem, deploymentFromDirectory, parsePorts, parseTags, schemaDefaults, validateAnswers } from '../../src/init/answers.js';
import { flagsToAnswers } from '../../src/init/flags.js';
import { configToYaml } from '../../src/init/yaml.js';
import { ConfigError } from '../../src/errors.js';
import { ROOT } from './helpers.js';

describe('JSON Schema', () => {
  it('the committed schema file equals a fresh generation (regenerate: npx tsx src/config/json-schema.ts)', async () => {
    expect(await readFile(join(ROOT, SCHEMA_FILE), 'utf8')).toBe(configJsonSchemaText());
  });

  it('is draft-07 with a description on every key the user writes', () => {
    const schema = JSON.parse(configJsonSchemaText());
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.required).toEqual(['deployment', 'topology', 'vpcId', 'subnets']);
    const missing: string[] = [];
    const walk = (node: Record<string, unknown>, path: string) => {
      for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (typeof child.description !== 'string') missing.push(`${path}${key}`);
        walk(child, `${path}${key}.`);
        if (child.items) walk(child.items as Record<string, unknown>, `${path}${key}[].`);
      }
    };
    walk(schema, '');
    expect(missing).toEqual([]);
  });

  it('is referenced by the file shipped in the installed package: relative inside the project, else absolute', () => {
    expect(installedSchemaPath()).toBe(join(ROOT, SCHEMA_FILE));
    expect(existsSync(installedSchemaPath())).toBe(true);
    const inProject = '/home/me/shop/node_modules/wallarm-oob/schema/wallarm-oob.schema.json';
    expect(schemaRefFor('/home/me/shop/wallarm-oob.yaml', inProject)).toBe('./node_modules/wallarm-oob/schema/wallarm-oob.schema.json');
    expect(schemaRefFor('/home/me/shop/deploy/prod.yaml', '/usr/lib/node_modules/wallarm-oob/schema/wallarm-oob.schema.json')).toBe(
      '/usr/lib/node_modules/wallarm-oob/schema/wallarm-oob.schema.json',
    );
  });
});

describe('YAML writer', () => {
  const config = {
    deployment: 'shop-oob',
    topology: 'vpc-mirror',
    vpcId: 'vpc-0123456789abcdef0',
    subnets: { loadBalancer: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] },
    nodes: { minSize: 1 },
    mirror: { sources: [{ autoScalingGroup: 'web' }, { tags: { role: 'web' } }], ports: [] },
  };

  it('puts the schema modeline first and the description over each key, and round-trips through the loader', () => {
    const text = configToYaml(config, { schemaRef: 'https://example.com/s.json', header: ['hello'] });
    const lines = text.split('\n');
    expect(lines[0]).toBe('# yaml-language-server: $schema=https://example.com/s.json');
    expect(text).toContain('# hello\n');
    expect(text).toMatch(/# Name of this deployment \(1-20 characters: a-z, 0-9, -\); AWS resource names and SSM paths derive\n# from it\.\ndeployment: shop-oob/);
    expect(text).toMatch(/ {2}# Minimum number of node instances\.\n {2}minSize: 1/);
    expect(text).toMatch(/ {4}# Mirror the primary interfaces of the instances of this Auto Scaling group\.\n {4}- autoScalingGroup: web/);
    expect(lines.every((l) => l.length <= 100)).toBe(true);
    expect(parse(text)).toEqual(config);
    expect(parseConfigText(text, 'wallarm-oob.yaml').deployment).toBe('shop-oob');
  });
});

describe('answers', () => {
  it('takes defaults from the schema', () => {
    expect(schemaDefaults()).toEqual({
      cloud: 'eu',
      mode: 'monitoring',
      instanceType: 't3.medium',
      minSize: 1,
      maxSize: 3,
      desiredCapacity: 1,
      mirrorIngress: true,
      mirrorEgress: true,
      mirrorPorts: [],
    });
  });

  it('derives a valid deployment name from a directory name', () => {
    expect(deploymentFromDirectory('/home/me/Shop_Front.end')).toBe('shop-front-end');
    expect(deploymentFromDirectory('/srv/2024-my-very-long-project-name')).toBe('my-very-long-project');
    expect(deploymentFromDirectory('/')).toBe('oob');
    for (const dir of ['/a/B', '/x/__', '/x/123', '/x/a-very-long-name-ending-with-dash-']) expect(answerProblem('deployment', deploymentFromDirectory(dir))).toBeUndefined();
  });

  it('checks one answer with the schema message, and the whole set naming the flags', () => {
    expect(answerProblem('instanceType', 'm7g.large')).toMatch(/Arm \(Graviton\)/);
    expect(answerProblem('region', 'europe')).toMatch(/is not an AWS region/);
    expect(answerProblem('mirrorPorts', parsePorts('80,http'))).toBeDefined();
    expect(answerProblem('mirrorPorts', parsePorts('all'))).toBeUndefined();
    let error: unknown;
    try {
      validateAnswers({ deployment: 'x', topology: 'web-server-mirror', vpcId: 'vpc-1', lbSubnets: ['subnet-0123456789abcdef0'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/--vpc-id \(vpcId\): "vpc-1" is not/);
    expect((error as Error).message).toMatch(/--lb-subnets \(subnets.loadBalancer\)/);
  });

  it('turns flags into answers', () => {
    expect(parseTags('role=web, env=prod')).toEqual({ role: 'web', env: 'prod' });
    expect(parseTags('role')).toBeUndefined();
    expect(
      flagsToAnswers({
        topology: 'vpc-mirror',
        'mirror-asg': ['a', 'b'],
        'mirror-eni': ['eni-0123456789abcdef0'],
        'mirror-tag': ['role=web', 'env=prod'],
        'mirror-ports': '80, 443',
        'mirror-ingress': false,
      }),
    ).toEqual({
      topology: 'vpc-mirror',
      mirrorSources: [{ autoScalingGroup: 'a' }, { autoScalingGroup: 'b' }, { networkInterfaceIds: ['eni-0123456789abcdef0'] }, { tags: { role: 'web', env: 'prod' } }],
      mirrorIngress: false,
      mirrorPorts: [80, 443],
    });
    expect(() => flagsToAnswers({ topology: 'vpc-mirror', 'mirror-tag': ['oops'] })).toThrow(/--mirror-tag: "oops" is not key=value/);
  });
});
