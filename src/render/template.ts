import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';

/**
 * The package's templates/ directory. This module lives at src/render/ (tsx, vitest) or dist/render/
 * (after build), both two levels below the package root, so the same relative URL works from either.
 */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/**
 * POSIX single-quote escaping: the result is always exactly one literal shell word, whatever the value
 * holds (`'`, `$`, backticks, spaces, newlines). Only NUL cannot be represented in a shell word.
 */
export function shellQuote(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') {
    // A template interpolating undefined/null/objects is a bug; failing beats rendering 'undefined'.
    throw new TypeError(`shell template interpolated a ${value === null ? 'null' : typeof value} value`);
  }
  const text = String(value);
  if (text.includes('\0')) throw new TypeError('a value rendered into a shell script contains a NUL byte');
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

// autoTrim off: Eta's default eats the newline after every tag, interpolations included, which would glue
// shell lines together. Control-flow lines use `-%>` explicitly instead.
const common = { views: TEMPLATES_DIR, autoTrim: false, cache: true } as const;

/** Shell templates: every `<%= %>` goes through shellQuote; `<%~ %>` (raw) only for trusted template text. */
const shellEta = new Eta({ ...common, autoEscape: true, escapeFunction: shellQuote });

/** YAML / nginx outputs: no escaping (their callers validate what they interpolate). */
const textEta = new Eta({ ...common, autoEscape: false });

/** Renders a shell template, by file name relative to templates/ (e.g. `node-cloud-init.sh.eta`). */
export function renderShellTemplate(name: string, data: object): string {
  return shellEta.render(name, data);
}

/** Renders a non-shell template (YAML, nginx), by file name relative to templates/. */
export function renderTextTemplate(name: string, data: object): string {
  return textEta.render(name, data);
}
