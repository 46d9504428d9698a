// Bundles the follower Lambda function (src/topologies/vpc-mirror/follower/lambda.ts and the modules it
// imports: the same source resolution and session code as plan/apply) into dist/follower/function.zip.
// Reproducible: same sources, same bytes (fixed timestamps and attributes, one entry), so the same sha256.
// The nodejs22.x runtime provides the AWS SDK v3 clients: they stay external.
import { build } from 'esbuild';
import { zipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ENTRY = 'src/topologies/vpc-mirror/follower/lambda.ts';

/**
 * The resource registry loads every handler lazily (`import('./load-balancer.js')` …) for the CLI. The function
 * only reads the registry's not-found codes and never calls a loader: those lazy imports stay out of the bundle
 * (the handlers the function uses, sessions and target, are imported statically and bundled).
 */
const registryLoadersOut = {
  name: 'registry-loaders-out',
  setup(b) {
    b.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, (args) =>
      args.kind === 'dynamic-import' && /[\\/]src[\\/]resources[\\/]registry\.ts$/.test(args.importer) ? { path: args.path, external: true } : undefined,
    );
  },
};

export async function buildFollower(outDir = join(root, 'dist', 'follower')) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    external: ['@aws-sdk/*'],
    plugins: [registryLoadersOut],
    write: false,
    metafile: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].contents;
  // DOS timestamps are local time: a date built from local fields gives the same bytes in every time zone.
  const mtime = new Date(1980, 0, 1, 0, 0, 0);
  const zip = zipSync({ 'index.mjs': [code, { mtime, level: 9, os: 3, attrs: 0o100644 << 16 }] });
  const inputs = Object.keys(result.metafile.inputs).map((p) => relative(root, join(root, p))).sort();
  const digest = createHash('sha256').update(zip).digest();
  const manifest = {
    handler: 'index.handler',
    runtime: 'nodejs22.x',
    size: zip.length,
    sha256: digest.toString('hex'),
    // Lambda's CodeSha256 (GetFunction): base64 of the same digest.
    codeSha256: digest.toString('base64'),
    inputs,
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'function.zip'), zip);
  writeFileSync(join(outDir, 'function.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const m = await buildFollower();
  console.log(`follower bundle: dist/follower/function.zip, ${m.size} bytes, sha256 ${m.sha256}`);
}
