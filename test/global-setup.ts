// The follower function's bundle (dist/follower/function.zip) is an input of every vpc-mirror plan: build it
// once before the tests when a test run starts without `npm run build` (npm test builds it first).
import { existsSync } from 'node:fs';

export default async function setup(): Promise<void> {
  if (existsSync(new URL('../dist/follower/function.json', import.meta.url))) return;
  // @ts-expect-error: a plain ESM build script without type declarations
  const { buildFollower } = (await import('../scripts/build-follower.mjs')) as { buildFollower: () => Promise<unknown> };
  await buildFollower();
}
