import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM build script without type declarations
import { buildFollower } from '../../scripts/build-follower.mjs';
import type { BundleManifest } from '../../src/topologies/vpc-mirror/follower/bundle.js';

const build = buildFollower as (outDir: string) => Promise<BundleManifest>;
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'follower-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the follower bundle (npm run build)', () => {
  it('is reproducible: two builds of the same sources have the same bytes and sha256', async () => {
    const [a, b] = [tmp(), tmp()];
    const [ma, mb] = [await build(a), await build(b)];
    expect(ma.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(mb.sha256).toBe(ma.sha256);
    expect(readFileSync(join(a, 'function.zip')).equals(readFileSync(join(b, 'function.zip')))).toBe(true);
    expect(ma.codeSha256).toBe(Buffer.from(ma.sha256, 'hex').toString('base64'));
  });

  it('holds one index.mjs whose handler runs the same reconciliation modules as plan and apply, and no CLI', async () => {
    const dir = tmp();
    const m = await build(dir);
    const files = unzipSync(new Uint8Array(readFileSync(join(dir, 'function.zip'))));
    expect(Object.keys(files)).toEqual(['index.mjs']);
    expect(m).toMatchObject({ handler: 'index.handler', runtime: 'nodejs22.x' });
    // the entry and the modules `plan` (source resolution, eligibility) and `apply` (session requests) use
    expect(m.inputs).toEqual(
      expect.arrayContaining([
        'src/topologies/vpc-mirror/follower/lambda.ts',
        'src/topologies/vpc-mirror/follower/reconcile.ts',
        'src/topologies/vpc-mirror/sources/resolve.ts',
        'src/topologies/vpc-mirror/sources/eligibility.ts',
        'src/resources/traffic-mirror-sessions.ts',
      ]),
    );
    // no command, UI, planner, renderer, other handler or CLI library; the SDK clients come from the runtime
    const forbidden = /^src\/(commands|ui|init|render|core|topologies\/vpc-mirror\/(planner|receivers|inputs)|resources\/(load-balancer|auto-scaling-group|lambda-function|event-rule))|@oclif|listr2|inquirer|node_modules\/@aws-sdk|node_modules\/@smithy/;
    expect(m.inputs.filter((p) => forbidden.test(p))).toEqual([]);
    const code = new TextDecoder().decode(files['index.mjs']);
    expect(code).toMatch(/export\s*\{[^}]*\bhandler\b/);
    expect(code).toContain('import("@aws-sdk/client-ec2")');
    expect(m.size).toBeLessThan(30_000);
  });

  it('loads as an ES module and its handler runs (here: refuses to start without the settings apply gives it)', async () => {
    // Inside the package, so the SDK clients resolve from node_modules as they do from the Lambda runtime.
    mkdirSync(join(process.cwd(), 'dist'), { recursive: true });
    const dir = mkdtempSync(join(process.cwd(), 'dist', 'follower-smoke-'));
    dirs.push(dir);
    await build(dir);
    const file = join(dir, 'index.mjs');
    writeFileSync(file, unzipSync(new Uint8Array(readFileSync(join(dir, 'function.zip'))))['index.mjs']!);
    const mod = (await import(pathToFileURL(file).href)) as { handler: (event: unknown) => Promise<unknown> };
    expect(typeof mod.handler).toBe('function');
    const saved = process.env.WALLARM_OOB_FOLLOWER;
    delete process.env.WALLARM_OOB_FOLLOWER;
    await expect(mod.handler({})).rejects.toThrow(/WALLARM_OOB_FOLLOWER is not set/);
    if (saved !== undefined) process.env.WALLARM_OOB_FOLLOWER = saved;
  });
});
