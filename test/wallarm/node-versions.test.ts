import { describe, expect, it } from 'vitest';
import { nodeVersionCheck } from '../../src/wallarm/node-version-check.js';
import {
  acceptedNodeVersions,
  amiNamePattern,
  compareAmiVersions,
  DEFAULT_NODE_VERSION,
  nodeLine,
  parseAmiName,
  parseNodeVersion,
  requestedLine,
  supportedLines,
  supportWarning,
} from '../../src/wallarm/node-versions.js';

const TODAY = new Date('2026-11-30T12:00:00Z');

describe('Wallarm node version table', () => {
  it('defaults to the newest supported line, 7.x', () => {
    expect(DEFAULT_NODE_VERSION).toBe('7.x');
    expect(supportedLines(TODAY).map((l) => l.id)).toEqual(['7.x', '6.x']);
  });

  it('ends support after the last day of the documented month (5.x: October 2026, 3 months after 7.x)', () => {
    expect(supportWarning(nodeLine('5.x'), new Date('2026-10-31T23:59:59Z'))).toBeUndefined();
    expect(supportWarning(nodeLine('5.x'), new Date('2026-11-01T00:00:00Z'))).toMatch(/^Wallarm node 5\.x reached its end of support in October 2026 .*\("7\.x", "6\.x"\)/);
    expect(supportWarning(nodeLine('4.10'), TODAY)).toMatch(/end of support in July 2025/);
    expect(supportWarning(nodeLine('4.8'), TODAY)).toMatch(/end of support in November 2024/);
    expect(supportWarning(nodeLine('6.x'), TODAY)).toBeUndefined();
  });

  it.each([
    ['7.x', { kind: 'line', line: '7.x' }],
    ['7.1', { kind: 'minor', line: '7.x', minor: 1 }],
    ['6.x', { kind: 'line', line: '6.x' }],
    ['5.12', { kind: 'minor', line: '5.x', minor: 12 }],
    ['4.10', { kind: 'line', line: '4.10' }],
    ['4.8', { kind: 'line', line: '4.8' }],
  ])('parses %s', (text, expected) => {
    const parsed = parseNodeVersion(text);
    expect(parsed && { ...parsed, line: 'line' in parsed ? parsed.line.id : undefined }).toEqual(expected);
  });

  it.each(['5', '8.0', '8.x', '4.9', '4.x', '3.6', 'v7', '7.x.1', ''])('refuses %j', (text) => {
    expect(parseNodeVersion(text)).toBeUndefined();
  });

  it('lists the accepted values for error messages', () => {
    expect(acceptedNodeVersions()).toBe('"7.x", "7.<minor>", "6.x", "6.<minor>", "5.x", "5.<minor>", "4.10", "4.8" or "latest" (e.g. "7.1")');
  });

  it('latest means the newest supported line', () => {
    expect(requestedLine({ kind: 'latest' }, TODAY).id).toBe('7.x');
  });

  it('AMI name patterns never let one minor match another (4-1 vs 4-10)', () => {
    expect(amiNamePattern(nodeLine('7.x'))).toBe('wallarm-node-7-*');
    expect(amiNamePattern(nodeLine('7.x'), 1)).toBe('wallarm-node-7-1-*');
    expect(amiNamePattern(nodeLine('4.10'))).toBe('wallarm-node-4-10-*');
  });

  it('reads versions from AMI names and orders them newest first by version, not by date', () => {
    const names = ['wallarm-node-7-0-2-20260601-090000', 'wallarm-node-7-1-0-20260722-105251', 'wallarm-node-7-1-0-20260101-000000', 'wallarm-node-7-10-0-20250101-000000'];
    const sorted = names.map((n) => ({ n, v: parseAmiName(n)! })).sort((a, b) => compareAmiVersions(a.v, b.v)).map((x) => x.n);
    expect(sorted).toEqual(['wallarm-node-7-10-0-20250101-000000', 'wallarm-node-7-1-0-20260722-105251', 'wallarm-node-7-1-0-20260101-000000', 'wallarm-node-7-0-2-20260601-090000']);
    expect(parseAmiName('wallarm-node-4-8-20240601-120000')).toEqual({ major: 4, minor: 8, build: '20240601120000' });
    expect(parseAmiName('debian-12-amd64-20240717-1811')).toBeUndefined();
  });

  it("validate's line: ok with the line and pattern, a warning past end of support", () => {
    expect(nodeVersionCheck('7.1', undefined, TODAY)).toMatchObject({ status: 'ok', detail: '"7.1": node 7.x, newest AMI named wallarm-node-7-1-*' });
    expect(nodeVersionCheck('4.10', undefined, TODAY)).toMatchObject({ status: 'warning', code: 'NODE_VERSION_UNSUPPORTED' });
  });
});
