import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ADVANCED_STATE_LIMIT, decodeState, emptyState, encodeState, encodeStateForTier, STATE_FORMAT, STATE_LIMIT, type StateDocument } from '../../src/state/document.js';
import { StateError } from '../../src/errors.js';
import { pendingNotes } from '../../src/state/pending.js';

/** Written by the release before format 2: the largest document of a goreplay -> native-node switch, and a small one. */
const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const FORMAT1_PACKED = fixture('format1-vpc-mirror-switch.txt');
const FORMAT1_PLAIN = fixture('format1-plain.json');

function stateWith(resources: number, idLength = 60): StateDocument {
  const doc = emptyState('shop-oob');
  for (let i = 0; i < resources; i++) {
    doc.resources[`resource-${i}`] = {
      kind: 'security-group',
      id: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${'x'.repeat(idLength)}/${i}`,
      hashes: { name: 'a1b2c3d4', vpcId: 'e5f6a7b8', ingress: '0a1b2c3d', egress: '4e5f6a7b' },
      outputs: { arn: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/x/${i}` },
      deps: ['lb-security-group'],
    };
  }
  return doc;
}

describe('state document encoding', () => {
  it('stays plain JSON when it fits (format 1: readable by the releases before format 2 too)', () => {
    const doc = stateWith(2);
    const text = encodeState(doc);
    expect(text.startsWith('{')).toBe(true);
    expect(decodeState(text, 'p')).toEqual({ ...doc, format: 1 });
  });

  it('compresses a document over the 4 KB standard-parameter limit, and reads it back', () => {
    const doc = stateWith(20);
    expect(JSON.stringify(doc).length).toBeGreaterThan(STATE_LIMIT);
    const text = encodeState(doc);
    expect(text.length).toBeLessThanOrEqual(STATE_LIMIT);
    expect(decodeState(text, 'p')).toEqual(doc);
  });

  it('fails clearly, naming the size and the limit, when even compressed in an advanced parameter it would not fit', () => {
    const doc = emptyState('shop-oob');
    for (let i = 0; i < 800; i++) {
      doc.resources[`r${i}`] = { kind: 'security-group', id: `sg-${randomBytes(9).toString('hex')}`, hashes: { a: randomBytes(4).toString('hex') }, outputs: {}, deps: [] };
    }
    expect(() => encodeState(doc)).toThrow(StateError);
    expect(() => encodeState(doc)).toThrow(/characters compressed, over the 8192-character limit of an SSM advanced parameter/);
  });

  it('keeps every property hash and output exactly through the packed form', () => {
    const doc = decodeState(FORMAT1_PACKED, 'p');
    const text = encodeState(doc);
    expect(text.startsWith('oob2:')).toBe(true);
    expect(decodeState(text, 'p')).toEqual({ ...doc, format: STATE_FORMAT });
  });

  it('restores orphans written once for the resource that replaced them, and keeps the others as they are', () => {
    const doc = decodeState(FORMAT1_PACKED, 'p');
    const [first, second] = Object.entries(doc.resources);
    doc.orphans = [
      { logicalId: first![0], kind: first![1].kind, id: 'old-1', deps: first![1].deps },
      { logicalId: second![0], kind: 'security-group', id: 'sg-old', deps: ['gone'] },
      { logicalId: 'removed', kind: 'log-group', id: '/old', deps: [] },
    ];
    expect(decodeState(encodeState(doc), 'p').orphans).toEqual(doc.orphans);
  });

  it('moves to an advanced parameter only when a standard one cannot hold the document, and stays there', () => {
    const small = stateWith(2);
    expect(encodeStateForTier(small).tier).toBe('Standard');
    const large = emptyState('shop-oob');
    for (let i = 0; i < 250; i++) large.resources[`r${i}`] = { kind: 'security-group', id: `sg-${randomBytes(9).toString('hex')}`, hashes: { a: randomBytes(4).toString('hex') }, outputs: {}, deps: [] };
    const { value, tier } = encodeStateForTier(large);
    expect([tier, value.length > STATE_LIMIT, value.length <= ADVANCED_STATE_LIMIT]).toEqual(['Advanced', true, true]);
    const read = decodeState(value, 'p');
    expect(read.parameterTier).toBe('Advanced');
    // Shrunk again, it still asks for the advanced tier: AWS refuses a move back.
    expect(encodeStateForTier({ ...read, resources: {} }).tier).toBe('Advanced');
  });

  it('shortens, then leaves out, pending reasons before paying for an advanced parameter', () => {
    const doc = decodeState(FORMAT1_PACKED, 'p');
    const since = new Date(0).toISOString();
    doc.pending = Object.fromEntries(
      Object.keys(doc.resources).map((id) => [id, { operation: 'update' as const, reason: `${id}: ${randomBytes(110).toString('base64')}`, since }]),
    );
    const { value, tier } = encodeStateForTier(doc);
    expect(tier).toBe('Standard');
    const read = decodeState(value, 'p');
    expect(Object.keys(read.pending!)).toEqual(Object.keys(doc.pending));
    expect(Object.values(read.pending!).every((p) => p.reason.length <= 81)).toBe(true);
    if (Object.values(read.pending!).some((p) => p.reason === '')) expect(pendingNotes(read)[0]).toMatch(/reason not kept: state size limit/);
  });

  describe('format 1 (written by the previous release)', () => {
    it.each([
      ['plain JSON', FORMAT1_PLAIN],
      ['gzip+base64', FORMAT1_PACKED],
    ])('is read as it is (%s) and written back the same', (_, text) => {
      const doc = decodeState(text, 'p');
      expect(doc.format).toBe(1);
      expect(Object.values(doc.resources).every((r) => Object.values(r.hashes).every((h) => /^[0-9a-f]{8}$/.test(h)))).toBe(true);
      const again = decodeState(encodeState(doc), 'p');
      expect(again).toEqual({ ...doc, format: text === FORMAT1_PLAIN ? 1 : 2 });
    });

    it('a document that fits a standard parameter as plain JSON stays format 1, which the previous release reads', () => {
      const doc = decodeState(FORMAT1_PLAIN, 'p');
      const text = encodeState({ ...doc, format: 2 });
      expect(JSON.parse(text)).toMatchObject({ format: 1 });
      // Only what the previous release cannot read is format 2: the packed form, and any advanced-tier document.
      expect(encodeState(decodeState(FORMAT1_PACKED, 'p')).startsWith('oob2:')).toBe(true);
      expect(JSON.parse(encodeStateForTier({ ...doc, parameterTier: 'Advanced' }).value)).toMatchObject({ format: 2, parameterTier: 'Advanced' });
    });

    it('takes fewer characters in format 2: the switch document shrinks by at least a sixth', () => {
      const doc = decodeState(FORMAT1_PACKED, 'p');
      expect(FORMAT1_PACKED.length).toBeGreaterThan(4000);
      expect(encodeState(doc).length).toBeLessThan((FORMAT1_PACKED.length * 5) / 6);
    });
  });

  it.each([
    ['plain JSON', '{"deployment":"shop-oob","format":3,"lineage":"x","serial":1,"resources":{}}'],
    ['a packed form', 'oob3:AAAA'],
  ])('refuses a document of a newer format (%s), asking for an upgrade instead of a delete', (_, text) => {
    let error: StateError | undefined;
    try {
      decodeState(text, '/wallarm-oob/x/state');
    } catch (e) {
      error = e as StateError;
    }
    expect(error).toBeInstanceOf(StateError);
    expect(error!.message).toMatch(/\/wallarm-oob\/x\/state was written by a newer wallarm-oob \(state format 3; this release reads formats 1 to 2\)/);
    expect(JSON.stringify(error)).not.toMatch(/delete-parameter/);
    expect(String((error as unknown as { actions: string[] }).actions)).toMatch(/Upgrade wallarm-oob/);
  });

  it('refuses a parameter that is not a state document, naming it', () => {
    expect(() => decodeState('hello', '/wallarm-oob/x/state')).toThrow(/\/wallarm-oob\/x\/state is not a valid wallarm-oob state document \(it is not JSON\)/);
  });
});
