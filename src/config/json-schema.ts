/**
 * The config file's JSON Schema, generated from the zod schema (the single source of keys, defaults and
 * descriptions) and shipped in the package as schema/wallarm-oob.schema.json, so editors (the YAML language
 * server, VS Code, JetBrains) complete and validate wallarm-oob.yaml.
 *
 * Regenerate after any schema change:  npx tsx src/config/json-schema.ts   (`--check` only compares)
 * A test fails when the committed file differs from a fresh generation.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigSchema } from './schema.js';

/** Path of the generated schema inside the package. */
export const SCHEMA_FILE = 'schema/wallarm-oob.schema.json';

/**
 * Where a written config points its `$schema`: the schema file of exactly this wallarm-oob version on the npm
 * CDN. A URL keeps working wherever the CLI is installed (global, npx, another project's node_modules) and
 * the version pin keeps editor validation in step with the CLI that wrote the file.
 */
export function schemaUrl(version: string): string {
  return `https://cdn.jsdelivr.net/npm/wallarm-oob@${version}/${SCHEMA_FILE}`;
}

export type JsonSchema = Record<string, unknown>;

/** The JSON Schema of what a user may write (keys with defaults optional), as draft-07: the draft every YAML editor plugin understands. */
export function configJsonSchema(): JsonSchema {
  const generated = z.toJSONSchema(ConfigSchema, { io: 'input', target: 'draft-7' }) as JsonSchema;
  const { $schema, ...rest } = generated;
  return { $schema, title: 'wallarm-oob configuration', ...rest };
}

/** The file's text, stable for a given schema (2-space JSON, trailing newline). */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

async function main(argv: string[]): Promise<void> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const file = join(root, SCHEMA_FILE);
  const text = configJsonSchemaText();
  if (argv.includes('--check')) {
    const current = await readFile(file, 'utf8').catch(() => '');
    if (current !== text) {
      process.stderr.write(`${SCHEMA_FILE} is out of date; regenerate it: npx tsx src/config/json-schema.ts\n`);
      process.exitCode = 1;
    }
    return;
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text, 'utf8');
  process.stdout.write(`Wrote ${SCHEMA_FILE}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
