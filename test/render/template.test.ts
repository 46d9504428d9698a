import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderShellTemplate, renderTextTemplate, shellQuote, TEMPLATES_DIR } from '../../src/render/template.js';

/** Lets bash parse `words` and reports back the arguments it produced. */
function bashWords(words: string): string[] {
  const result = spawnSync('bash', ['-c', `printf '%s\\0' ${words}`], { encoding: 'utf8' });
  expect(result.status).toBe(0);
  return result.stdout.split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  it.each([
    'plain',
    '',
    "it's",
    "''",
    '$HOME ${x} $(id) `id`',
    'a  b\tc\nd',
    '"double" \\back\\slash',
    "*; rm -rf / #'\"",
  ])('turns %j into exactly one literal word', (value) => {
    expect(bashWords(shellQuote(value))).toEqual([value]);
  });

  it('uses POSIX single quotes', () => {
    expect(shellQuote("a'b")).toBe("'a'\\''b'");
    expect(shellQuote(8445)).toBe("'8445'");
  });

  it('refuses values a shell word cannot hold or a template should not print', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
    expect(() => shellQuote(undefined)).toThrow(/undefined/);
    expect(() => shellQuote(null)).toThrow(/null/);
    expect(() => shellQuote({})).toThrow(/object/);
  });
});

describe('template rendering', () => {
  it('finds the package templates directory', () => {
    expect(existsSync(join(TEMPLATES_DIR, 'node-cloud-init.sh.eta'))).toBe(true);
    expect(existsSync(join(TEMPLATES_DIR, 'mirror', 'nginx.eta'))).toBe(true);
  });

  it('shell-escapes interpolations in shell templates but not in text templates', () => {
    const shell = renderShellTemplate('mirror/nginx.eta', { host: "h'x", port: 1 });
    const text = renderTextTemplate('mirror/nginx.eta', { host: "h'x", port: 1 });
    expect(shell).toContain(`http://'h'\\''x':'1'$request_uri`);
    expect(text).toContain(`http://h'x:1$request_uri`);
  });

  it('refuses templates outside templates/', () => {
    expect(() => renderTextTemplate('../package.json', {})).toThrow(/not in the views directory/);
  });
});
