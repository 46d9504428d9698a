import { describe, expect, it } from 'vitest';
import { decodeState, emptyState, encodeState, STATE_LIMIT, type StateDocument } from '../../src/state/document.js';
import { StateError } from '../../src/errors.js';

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
  it('stays plain JSON when it fits', () => {
    const doc = stateWith(2);
    const text = encodeState(doc);
    expect(text.startsWith('{')).toBe(true);
    expect(decodeState(text, 'p')).toEqual(doc);
  });

  it('compresses a document over the 4 KB standard-parameter limit, and reads it back', () => {
    const doc = stateWith(20);
    expect(JSON.stringify(doc).length).toBeGreaterThan(STATE_LIMIT);
    const text = encodeState(doc);
    expect(text.length).toBeLessThanOrEqual(STATE_LIMIT);
    expect(decodeState(text, 'p')).toEqual(doc);
  });

  it('fails clearly, naming the size and the limit, when even compressed it would not fit', () => {
    const doc = emptyState('shop-oob');
    for (let i = 0; i < 400; i++) {
      doc.resources[`r${i}`] = { kind: 'security-group', id: `sg-${Math.random().toString(16).slice(2)}${i}`, hashes: { a: Math.random().toString(16).slice(2, 10) }, outputs: {}, deps: [] };
    }
    expect(() => encodeState(doc)).toThrow(StateError);
    expect(() => encodeState(doc)).toThrow(/characters compressed, over the 4096-character limit/);
  });

  it('refuses a parameter that is not a state document, naming it', () => {
    expect(() => decodeState('hello', '/wallarm-oob/x/state')).toThrow(/\/wallarm-oob\/x\/state is not a valid wallarm-oob state document \(it is not JSON\)/);
  });
});
