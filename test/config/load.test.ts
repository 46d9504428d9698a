import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfigText } from '../../src/config/load.js';
import { BASE, configError, tempDir } from './helpers.js';

const EXAMPLES = resolve(import.meta.dirname, '../../examples');

describe('examples', () => {
  it('web-server-mirror.yaml loads', async () => {
    const loaded = await loadConfig(join(EXAMPLES, 'web-server-mirror.yaml'));
    expect(loaded.path).toBe(join(EXAMPLES, 'web-server-mirror.yaml'));
    expect(loaded.config.topology).toBe('web-server-mirror');
    expect(loaded.config.deployment).toBe('shop-oob');
    expect(loaded.files).toEqual({});
  });

  it('vpc-mirror.yaml loads', async () => {
    const { config } = await loadConfig(join(EXAMPLES, 'vpc-mirror.yaml'));
    expect(config.topology).toBe('vpc-mirror');
    if (config.topology !== 'vpc-mirror') return;
    expect(config.mirror.sources.length).toBeGreaterThan(1);
    expect(config.rebuilder.count).toBe(1);
    expect(config.wallarm.tokenParameter).toBe('/wallarm-oob/shop-vpc/node-token');
  });
});

describe('loadConfig', () => {
  it('accepts JSON by extension', async () => {
    const json = JSON.stringify({
      deployment: 'shop-oob',
      topology: 'web-server-mirror',
      vpcId: 'vpc-0123456789abcdef0',
      subnets: { loadBalancer: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] },
      nodes: { maxSize: 5 },
    }, null, 2);
    const dir = await tempDir({ 'oob.json': json });
    const { config, path } = await loadConfig(join(dir, 'oob.json'));
    expect(path).toBe(join(dir, 'oob.json'));
    expect(config.nodes.maxSize).toBe(5);
    expect(config.subnets.instances).toEqual(['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1']);
  });

  it('reports JSON errors with their line in .json files', async () => {
    const dir = await tempDir({ 'oob.json': '{\n  "deployment": "shop-oob",\n  "topology": 3\n}\n' });
    const error = await configError(loadConfig(join(dir, 'oob.json')));
    expect(error.message).toContain(`${join(dir, 'oob.json')}:3:15: topology: `);
  });

  it('resolves a relative path to an absolute one', async () => {
    const dir = await tempDir({ 'c.yaml': BASE });
    const relativePath = join(dir, 'c.yaml').replace(`${process.cwd()}/`, '');
    expect((await loadConfig(relativePath)).path).toBe(join(dir, 'c.yaml'));
  });

  it('reads snippet and post-script files relative to the config file', async () => {
    const dir = await tempDir({});
    await mkdir(join(dir, 'conf'));
    await mkdir(join(dir, 'snippets'));
    await writeFile(join(dir, 'snippets/http.conf'), 'client_max_body_size 10m;\n');
    await writeFile(join(dir, 'snippets/global.conf'), 'worker_processes auto;\n');
    await writeFile(join(dir, 'post.sh'), '#!/bin/sh\necho done\n');
    const text = `${BASE}wallarm:\n  nginx: { httpSnippet: ../snippets/http.conf, globalSnippet: ../snippets/global.conf }\n  postScript: ../post.sh\n`;
    await writeFile(join(dir, 'conf/oob.yaml'), text);
    const { files } = await loadConfig(join(dir, 'conf/oob.yaml'));
    expect(files).toEqual({ httpSnippet: 'client_max_body_size 10m;\n', globalSnippet: 'worker_processes auto;\n', postScript: '#!/bin/sh\necho done\n' });
  });

  it('says how to create a missing config file', async () => {
    const dir = await tempDir({});
    const error = await configError(loadConfig(join(dir, 'missing.yaml')));
    expect(error.code).toBe('CONFIG_NOT_FOUND');
    expect(error.message).toContain(join(dir, 'missing.yaml'));
    expect(error.actions.join(' ')).toContain('wallarm-oob init');
  });

  it('refuses a directory as the config file', async () => {
    const dir = await tempDir({});
    const error = await configError(loadConfig(dir));
    expect(error.code).toBe('CONFIG_UNREADABLE');
  });

  it.skipIf(process.getuid?.() === 0)('names the key and resolved path of an unreadable file', async () => {
    const dir = await tempDir({ 'post.sh': 'echo hi\n', 'c.yaml': `${BASE}wallarm:\n  postScript: post.sh\n` });
    await chmod(join(dir, 'post.sh'), 0o000);
    const error = await configError(loadConfig(join(dir, 'c.yaml')));
    expect(error.message).toContain(`c.yaml:7:15: wallarm.postScript: the file ${join(dir, 'post.sh')} cannot be read (EACCES)`);
  });

  it('lists every problem of the file in one error, in file order', async () => {
    const dir = await tempDir({ 'c.yaml': `${BASE.replace('shop-oob', 'Shop').replace('vpc-0123456789abcdef0', 'vpc-1')}nodes: { minSize: -1, instnceType: t3.large }\n` });
    const error = await configError(loadConfig(join(dir, 'c.yaml')));
    expect(error.code).toBe('CONFIG_INVALID');
    const lines = error.message.split('\n').slice(1);
    expect(error.message.split('\n')[0]).toContain('4 problems');
    expect(lines.map((l) => /: ([\w.[\]]+): /.exec(l)?.[1])).toEqual(['deployment', 'vpcId', 'nodes.minSize', 'nodes.instnceType']);
  });
});

describe('parseConfigText', () => {
  it('validates in-memory text and names the given path', () => {
    expect(parseConfigText(BASE, 'memory.yaml').deployment).toBe('shop-oob');
    expect(() => parseConfigText('deployment: 1\n', '/virtual/memory.yaml')).toThrow(/memory\.yaml:1:13: deployment: /);
  });
});
