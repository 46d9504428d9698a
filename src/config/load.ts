/**
 * Reads the config file (YAML, or JSON by extension), validates it against the schema and reads the files
 * it points to. Every failure is one ConfigError listing every problem, one line each, with file:line:col.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { ConfigError } from '../errors.js';
import { formatIssues, yamlLocator, type Locator } from './format-issues.js';
import { ConfigSchema, type Config } from './schema.js';

export type ConfigFileKey = 'globalSnippet' | 'httpSnippet' | 'serverSnippet' | 'postScript';

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the config file. */
  path: string;
  /** Contents of the files the config points to (paths resolved relative to the config file). */
  files: Partial<Record<ConfigFileKey, string>>;
}

const FIX_ACTIONS = [
  'Fix the problems listed above and run the command again.',
  'Complete, commented configs: examples/web-server-mirror.yaml and examples/vpc-mirror.yaml in the wallarm-oob package.',
];
/** EC2 user data is limited to 16 KB; a single file above it can never fit in the node cloud-init. */
const MAX_FILE_BYTES = 16 * 1024;

/** The file name as shown in messages: relative to the working directory when inside it. */
function displayName(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function problems(file: string, lines: string[], code = 'CONFIG_INVALID'): ConfigError {
  const count = lines.length === 1 ? '1 problem' : `${lines.length} problems`;
  return new ConfigError(code, `${file}: ${count} in the config file:\n${lines.map((l) => `  ${l}`).join('\n')}`, { actions: FIX_ACTIONS });
}

function yamlErrorLine(file: string, error: YAMLError, text: string): string {
  const pos = error.linePos?.[0];
  const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
  const what = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  if (error.code === 'DUPLICATE_KEY') {
    const key = text.slice(error.pos[0]).split(/[:\n]/)[0]?.trim() ?? '';
    return `${where}: ${key || 'key'}: duplicate key; keep only one \`${key}\` entry in this mapping`;
  }
  if (error.code === 'MULTIPLE_DOCS') return `${where}: the file holds several YAML documents; keep only one (remove the extra \`---\`)`;
  return `${where}: YAML syntax error: ${what}; fix the indentation, quoting or brackets here`;
}

function jsonErrorLine(file: string, error: unknown, lines: LineCounter): string {
  const message = error instanceof Error ? error.message : String(error);
  const offset = /position (\d+)/.exec(message)?.[1];
  const pos = offset === undefined ? undefined : lines.linePos(Number(offset));
  const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
  return `${where}: JSON syntax error: ${message.replace(/ in JSON at position \d+.*$/, '')}; fix it, or write the file as YAML (.yaml)`;
}

/** Parses and validates, keeping a locator for later messages (file keys). */
function parseWithLocator(text: string, path: string): { config: Config; locate: Locator; file: string } {
  const file = displayName(resolve(path));
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (extname(path).toLowerCase() === '.json' && doc.errors.length === 0) {
    try {
      JSON.parse(text);
    } catch (error) {
      throw problems(file, [jsonErrorLine(file, error, lines)], 'CONFIG_SYNTAX');
    }
  }
  if (doc.errors.length) throw problems(file, doc.errors.map((e) => yamlErrorLine(file, e, text)), 'CONFIG_SYNTAX');
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (data === null || data === undefined) {
    throw new ConfigError('CONFIG_EMPTY', `${file}: the config file is empty.`, {
      actions: ['Write a config with `wallarm-oob init`, or copy examples/web-server-mirror.yaml from the wallarm-oob package and edit it.'],
    });
  }
  const locate = yamlLocator(doc, lines);
  const result = ConfigSchema.safeParse(data, { reportInput: true });
  if (!result.success) throw problems(file, formatIssues(result.error.issues, ConfigSchema, file, locate));
  return { config: result.data, locate, file };
}

/** Validates config text held in memory; `path` names it in messages and picks JSON by extension. */
export function parseConfigText(text: string, path: string): Config {
  return parseWithLocator(text, path).config;
}

function fileKeys(config: Config): [ConfigFileKey, string[], string][] {
  const { nginx, postScript } = config.wallarm;
  const entries: [ConfigFileKey, string[], string | undefined][] = [
    ['globalSnippet', ['wallarm', 'nginx', 'globalSnippet'], nginx?.globalSnippet],
    ['httpSnippet', ['wallarm', 'nginx', 'httpSnippet'], nginx?.httpSnippet],
    ['serverSnippet', ['wallarm', 'nginx', 'serverSnippet'], nginx?.serverSnippet],
    ['postScript', ['wallarm', 'postScript'], postScript],
  ];
  return entries.filter((e): e is [ConfigFileKey, string[], string] => e[2] !== undefined);
}

async function readReferencedFile(resolved: string): Promise<{ text?: string; problem?: string }> {
  try {
    const info = await stat(resolved);
    if (!info.isFile()) return { problem: 'is not a regular file' };
    if (info.size > MAX_FILE_BYTES) return { problem: `is ${info.size} bytes, more than the 16 KB EC2 user data can hold` };
    return { text: await readFile(resolved, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})` };
  }
}

/** Reads, parses and validates the config file, then reads the snippet and script files it names. */
export async function loadConfig(path: string): Promise<LoadedConfig> {
  const absolute = resolve(path);
  let text: string;
  try {
    // A FIFO or a device would block the read (or never end): only a regular file is a config.
    const info = await stat(absolute);
    if (!info.isFile()) {
      throw new ConfigError('CONFIG_UNREADABLE', `${absolute} is not a regular file (${info.isDirectory() ? 'a directory' : info.isFIFO() ? 'a named pipe' : 'a device or special file'}).`, {
        actions: ['Pass the path of the YAML or JSON config file with --config <path>.'],
      });
    }
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError('CONFIG_NOT_FOUND', `No config file at ${absolute}.`, {
        actions: [
          'Create one with `wallarm-oob init`, or copy examples/web-server-mirror.yaml (or examples/vpc-mirror.yaml) from the wallarm-oob package.',
          'If the file is elsewhere, pass it with --config <path> (or set WALLARM_OOB_CONFIG).',
        ],
      });
    }
    throw new ConfigError('CONFIG_UNREADABLE', `Cannot read the config file ${absolute} (${code ?? String(error)}).`, {
      actions: [code === 'EISDIR' ? 'Pass the path of the config file, not of its directory.' : 'Check the path and its permissions.'],
      cause: error,
    });
  }
  const { config, locate, file } = parseWithLocator(text, absolute);
  const files: LoadedConfig['files'] = {};
  const unreadable: string[] = [];
  for (const [name, keyPath, relativePath] of fileKeys(config)) {
    const resolved = resolve(dirname(absolute), relativePath);
    const { text: content, problem } = await readReferencedFile(resolved);
    if (content !== undefined) files[name] = content;
    else {
      const pos = locate(keyPath);
      const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
      unreadable.push(`${where}: ${keyPath.join('.')}: the file ${resolved} ${problem}; fix the path (relative to the config file) or create the file`);
    }
  }
  if (unreadable.length) throw problems(file, unreadable, 'CONFIG_FILE_UNREADABLE');
  return { config, path: absolute, files };
}
