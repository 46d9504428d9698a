/**
 * The config file's JSON Schema, generated from the zod schema (the single source of keys, defaults and
 * descriptions) and shipped in the package as schema/wallarm-oob.schema.json, so editors (the YAML language
 * server, VS Code, JetBrains) complete and validate wallarm-oob.yaml.
 *
 * Regenerate after any schema change:  npx tsx src/config/json-schema.ts   (`--check` only compares)
 * A test fails when the committed file differs from a fresh generation.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigSchema } from './schema.js';

/** Path of the generated schema inside the package. */
export const SCHEMA_FILE = 'schema/wallarm-oob.schema.json';

/** The schema file shipped in this installed package (next to dist/ and src/). */
export function installedSchemaPath(): string {
  return fileURLToPath(new URL(`../../${SCHEMA_FILE}`, import.meta.url));
}

/**
 * Where a config written to `configPath` points its `$schema` modeline: the schema file of the installed
 * package, so it resolves on this machine and matches the CLI that wrote the file. The YAML language server
 * reads a path relative to the YAML file, or absolute: relative when the package is installed under the
 * config's directory (a project's node_modules: true for everyone who checks the project out), absolute
 * otherwise (a global or npx install). `wallarm-oob schema` prints the same schema.
 */
export function schemaRefFor(configPath: string, schemaPath = installedSchemaPath()): string {
  const rel = relative(dirname(configPath), schemaPath);
  if (!rel.startsWith('..') && !isAbsolute(rel)) return `./${rel.split(sep).join('/')}`;
  return schemaPath.split(sep).join('/');
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
