/**
 * The follower function's code: dist/follower/function.zip, built by `npm run build` (scripts/build-follower.mjs)
 * with its manifest function.json (size, sha256, the source files bundled). Both src/ and dist/ copies of this
 * module sit four levels below the package root, so the same relative path finds the build output.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PlanError } from '../../../errors.js';

export interface BundleManifest {
  handler: string;
  runtime: string;
  size: number;
  sha256: string;
  /** Base64 SHA-256, as Lambda reports CodeSha256. */
  codeSha256: string;
  /** Source files bundled, relative to the package root. */
  inputs: string[];
}

const DIR = new URL('../../../../dist/follower/', import.meta.url);
export const bundleZipPath = () => fileURLToPath(new URL('function.zip', DIR));

let cached: BundleManifest | undefined;

export function bundleManifest(): BundleManifest {
  if (cached) return cached;
  try {
    cached = JSON.parse(readFileSync(new URL('function.json', DIR), 'utf8')) as BundleManifest;
    return cached;
  } catch {
    throw new PlanError('FOLLOWER_BUNDLE_MISSING', `The follower function bundle (${fileURLToPath(new URL('function.zip', DIR))}) is missing: this copy of wallarm-oob was not built.`, {
      actions: ['Run npm run build (it bundles the function), or install a released wallarm-oob package.'],
    });
  }
}
