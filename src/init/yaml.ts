/**
 * Writes a config as YAML with the schema's description above every key (yaml Document API, commentBefore)
 * and a first line pointing editors at the JSON Schema.
 */
import { Document, isMap, isScalar, isSeq, type Node } from 'yaml';
import { configJsonSchema, type JsonSchema } from '../config/json-schema.js';

const WIDTH = 100;

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => ` ${l}`).join('\n');
}

/** The object schema under a node (unwrapping anyOf/allOf that zod emits for optional or refined keys). */
function objectSchema(schema: JsonSchema | undefined): JsonSchema | undefined {
  if (!schema) return undefined;
  if (schema.properties) return schema;
  for (const key of ['anyOf', 'allOf', 'oneOf'] as const) {
    const variants = schema[key] as JsonSchema[] | undefined;
    const found = variants?.map(objectSchema).find(Boolean);
    if (found) return found;
  }
  return undefined;
}

function annotate(node: unknown, schema: JsonSchema | undefined, depth: number): void {
  if (isMap(node)) {
    const properties = objectSchema(schema)?.properties as Record<string, JsonSchema> | undefined;
    for (const [index, pair] of node.items.entries()) {
      if (!isScalar(pair.key)) continue;
      const child = properties?.[String(pair.key.value)];
      const description = child?.description;
      if (typeof description === 'string') {
        pair.key.commentBefore = wrap(description, WIDTH - 2 - depth * 2);
        if (depth === 0 && index > 0) pair.key.spaceBefore = true;
      }
      annotate(pair.value, child, depth + 1);
    }
  } else if (isSeq(node)) {
    const items = schema?.items as JsonSchema | undefined;
    for (const item of node.items) {
      // Inside a list, the description of the item's (single) key goes above the `- ` line.
      if (isMap(item)) {
        const properties = objectSchema(items)?.properties as Record<string, JsonSchema> | undefined;
        const first = item.items[0];
        const description = first && isScalar(first.key) ? properties?.[String(first.key.value)]?.description : undefined;
        if (typeof description === 'string') (item as Node).commentBefore = wrap(description, WIDTH - 2 - depth * 2);
        for (const pair of item.items) annotate(pair.value, properties?.[String((pair.key as { value?: unknown }).value)], depth + 2);
      }
    }
  }
}

export interface YamlOptions {
  /** URL or path of the JSON Schema, written as the yaml-language-server modeline; omit to write none. */
  schemaRef?: string;
  /** Lines for the header comment under the modeline. */
  header?: string[];
}

/** The config as commented YAML. */
export function configToYaml(config: object, options: YamlOptions = {}): string {
  const doc = new Document(config);
  annotate(doc.contents, configJsonSchema(), 0);
  const header = [
    ...(options.schemaRef ? [` yaml-language-server: $schema=${options.schemaRef}`, ''] : []),
    ...(options.header ?? []).map((l) => (l ? ` ${l}` : '')),
  ];
  if (header.length) doc.commentBefore = header.join('\n').replace(/\n+$/, '');
  return doc.toString({ lineWidth: 0 });
}
