import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuild, root } from './run-cli.js';

beforeAll(requireBuild);

describe('schema', () => {
  it('prints the schema file shipped in the package, and --path where it is', async () => {
    const shipped = readFileSync(join(root, 'schema/wallarm-oob.schema.json'), 'utf8');
    const text = await cli(['schema']);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(shipped);
    const path = await cli(['schema', '--path']);
    expect(path.stdout.trim()).toBe(join(root, 'schema/wallarm-oob.schema.json'));
    const json = await cli(['schema', '--json']);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(shipped));
  });
});
