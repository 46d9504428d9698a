import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyState, stateTierNotes, type StateDocument } from '../../src/state/document.js';
import { StateStore } from '../../src/state/store.js';
import { fakeEnv, type FakeEnv } from '../fake-aws/helpers.js';

let env: FakeEnv | undefined;
afterEach(() => {
  env?.done();
  env = undefined;
});

const PARAMETER = '/wallarm-oob/shop-oob/state';

/** A document no encoding fits in 4,096 characters: 250 resources with random ids and hashes. */
function largeDocument(): StateDocument {
  const doc = emptyState('shop-oob');
  for (let i = 0; i < 250; i++) doc.resources[`r${i}`] = { kind: 'security-group', id: `sg-${randomBytes(9).toString('hex')}`, hashes: { name: randomBytes(4).toString('hex') }, outputs: {}, deps: [] };
  return doc;
}

describe('state store parameter tier', () => {
  it('writes a standard parameter while the document fits one, and notes nothing in plan', async () => {
    env = fakeEnv();
    const store = new StateStore(env.aws, 'shop-oob', { 'wallarm-oob:deployment': 'shop-oob' });
    await store.write(emptyState('shop-oob'));
    expect(env.fake.ssm.parameters.get(PARAMETER)!.tier).toBe('Standard');
    expect(stateTierNotes((await store.load())!)).toEqual([]);
  });

  it('moves to the advanced tier when the document outgrows a standard parameter, stays there once smaller (AWS never moves it back), and plan says what it costs', async () => {
    env = fakeEnv();
    const store = new StateStore(env.aws, 'shop-oob', { 'wallarm-oob:deployment': 'shop-oob' });
    await store.write(emptyState('shop-oob'));
    await store.write(largeDocument());
    expect(env.fake.ssm.parameters.get(PARAMETER)!.tier).toBe('Advanced');
    // The same run's next write, of a document that never carried the tier (apply's in-memory copy).
    await store.write(emptyState('shop-oob'));
    expect(env.fake.ssm.parameters.get(PARAMETER)!.tier).toBe('Advanced');

    // A later run (a new store) reads the document, which shrank again: still written as advanced, no error.
    const later = new StateStore(env.aws, 'shop-oob', {});
    const doc = (await later.load())!;
    expect(doc.parameterTier).toBe('Advanced');
    await later.write({ ...doc, resources: {} });
    expect(env.fake.ssm.parameters.get(PARAMETER)!.tier).toBe('Advanced');
    expect(stateTierNotes((await later.load())!)).toEqual([expect.stringMatching(/SSM advanced-tier parameter .* \$0\.05 a month/)]);
  });
});
