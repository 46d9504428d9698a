/**
 * Turns zod issues into one line each: `file:line:col: key.path: what is wrong; how to fix it`.
 * Lines come from the YAML document; known keys and descriptions come from the schema itself.
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { z } from 'zod';
import { show } from './fields.js';
import { closest } from './suggest.js';

type Path = readonly PropertyKey[];
export interface Position {
  line: number;
  col: number;
}
/** Where a key path sits in the file; `key: true` points at the key itself rather than its value. */
export type Locator = (path: Path, options?: { key?: boolean }) => Position | undefined;

export function yamlLocator(doc: Document, lines: LineCounter): Locator {
  const at = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]) : undefined);
  return (path, { key = false } = {}) => {
    let node: unknown = doc.contents;
    let keyNode: Node | undefined;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) return at(keyNode);
        keyNode = pair.key as Node;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
        node = node.items[segment];
        keyNode = node as Node;
      } else {
        return at(keyNode);
      }
    }
    const exact = node as Node | null;
    return !key && isScalar(exact) && exact.value !== null ? at(exact) : at(keyNode);
  };
}

/** `nodes.minSize`, `subnets.loadBalancer[1]`, `(top level)`. */
export function keyPath(path: Path): string {
  let out = '';
  for (const segment of path) out += typeof segment === 'number' ? `[${segment}]` : `${out ? '.' : ''}${String(segment)}`;
  return out || '(top level)';
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
}
const defOf = (schema: z.ZodType) => schema._zod.def as unknown as Def;

/** The schema under `path` with its wrappers (optional, default, pipe) and its description. */
function schemaAt(root: z.ZodType, path: Path): { schema: z.ZodType; description?: string } | undefined {
  let schema: z.ZodType | undefined = root;
  let description: string | undefined;
  const unwrap = () => {
    for (let def = defOf(schema as z.ZodType); ; def = defOf(schema)) {
      description ??= (schema as z.ZodType).description;
      const inner: z.ZodType | undefined = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
      if (!inner) return def;
      schema = inner;
    }
  };
  for (const segment of path) {
    const def = unwrap();
    schema = def.shape?.[String(segment)] ?? def.element ?? def.valueType;
    description = undefined;
    if (!schema) return undefined;
  }
  unwrap();
  return { schema, description };
}

function describeValue(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping (key: value)';
  if (typeof value === 'string') return `the text ${show(value)}`;
  return `the ${typeof value} ${primitive(value)}`;
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

/** A scalar as YAML shows it (numbers, booleans, text); anything else by its type. */
function primitive(value: unknown): string {
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || typeof value === 'string' ? String(value) : typeof value;
}

function typeMessage(expected: string, input: unknown, describedAs: string | undefined): string {
  const description = describedAs?.replace(/\.$/, '');
  if (input === undefined) return `is required but missing; add it${description ? ` (${description})` : ''}`;
  if (input === null) return `has no value; give it one${description ? ` (${description})` : ''} or delete the key to use the default`;
  const got = `is ${describeValue(input)}`;
  switch (expected) {
    case 'string':
      return typeof input === 'number' || typeof input === 'boolean'
        ? `${got}; write text, quoting it so YAML keeps it as text: "${String(input)}"`
        : `${got}; write a single text value`;
    case 'number':
    case 'int':
      if (typeof input === 'number') return `${got}; write a whole number`;
      return typeof input === 'string' && NUMERIC.test(input) ? `${got}; write the number without quotes: ${input}` : `${got}; write a number`;
    case 'boolean':
      return `${got}; write true or false, without quotes`;
    case 'array':
      return typeof input === 'object' ? `${got}; write a list, e.g. [a, b] or one "- item" per line` : `${got}; write a list, e.g. [${primitive(input)}]`;
    case 'object':
    case 'record':
      return `${got}; write a mapping of keys (key: value) under it${description ? ` (${description})` : ''}`;
    default:
      return `${got}; expected ${expected}`;
  }
}

function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, input: unknown): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  const bound = issue.inclusive === false ? limit + (small ? 1 : -1) : limit;
  if (issue.origin === 'array' || issue.origin === 'set') {
    const count = Array.isArray(input) ? input.length : '?';
    return small
      ? `has ${count} entries but needs at least ${bound}; add ${typeof count === 'number' ? bound - count : 'more'}`
      : `has ${count} entries, more than the limit of ${bound}; remove some`;
  }
  if (issue.origin === 'string') {
    return small ? (bound <= 1 ? 'is empty; write a value or delete the key' : `is too short; use at least ${bound} characters`) : `is too long; use at most ${bound} characters`;
  }
  return small ? `${show(input)} is below the minimum; use ${bound} or more` : `${show(input)} is above the maximum; use ${bound} or less`;
}

const ZOD_DEFAULT = /^(Invalid|Too (small|big)|Unrecognized key)/;

/** One message per problem, without location: what is wrong and how to fix it. */
function messagesOf(issue: z.core.$ZodIssue, root: z.ZodType): { path: Path; key?: boolean; text: string }[] {
  const path = issue.path;
  const input = (issue as { input?: unknown }).input;
  const description = () => schemaAt(root, path)?.description;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const target = schemaAt(root, path)?.schema;
      const known = Object.keys((target && defOf(target).shape) ?? {});
      return issue.keys.map((k) => {
        const guess = closest(k, known);
        const text = guess
          ? `unknown key; did you mean \`${guess}\`?`
          : `unknown key; remove it${known.length ? ` (keys allowed here: ${known.join(', ')})` : ''}`;
        return { path: [...path, k], key: true, text };
      });
    }
    case 'invalid_type':
      if (path.length === 0) {
        return [{ path, text: `the file holds ${describeValue(input)}; it must be a mapping of keys (deployment:, topology:, vpcId:, subnets:, ...), see examples/web-server-mirror.yaml` }];
      }
      return [{ path, text: ZOD_DEFAULT.test(issue.message) ? typeMessage(issue.expected, input, description()) : issue.message }];
    case 'invalid_value': {
      if (input === undefined) return [{ path, text: typeMessage('string', undefined, description()) }];
      const options = issue.values.map(String);
      const guess = typeof input === 'string' ? closest(input, options) : undefined;
      const fix = guess ? `did you mean ${show(guess)}?` : `use one of ${options.join(', ')}`;
      return [{ path, text: `${show(input)} is not allowed; ${fix}` }];
    }
    case 'too_small':
    case 'too_big':
      return [{ path, text: sizeMessage(issue, input) }];
    default:
      return [{ path, text: ZOD_DEFAULT.test(issue.message) ? `${issue.message}; see the description of this key` : issue.message }];
  }
}

/** Lines of the form `file:line:col: key.path: message`, in file order. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], root: z.ZodType, file: string, locate: Locator): string[] {
  const lines = issues.flatMap((issue) =>
    messagesOf(issue, root).map(({ path, key, text }) => {
      const pos = path.length ? locate(path, { key }) : undefined;
      return { pos, text: `${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${keyPath(path)}: ${text}` };
    }),
  );
  lines.sort((a, b) => (a.pos?.line ?? 0) - (b.pos?.line ?? 0) || (a.pos?.col ?? 0) - (b.pos?.col ?? 0));
  return lines.map((l) => l.text);
}
