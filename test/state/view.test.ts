import { describe, expect, it } from 'vitest';
import { decodeState, emptyState, encodeState } from '../../src/state/document.js';
import { formatStateList, formatStateResource, viewState } from '../../src/state/view.js';

describe('state view', () => {
  const doc = {
    ...emptyState('shop-oob'),
    serial: 7,
    topology: 'web-server-mirror',
    region: 'eu-west-1',
    appliedAt: '2026-11-30T04:00:00.000Z',
    resources: {
      'node-role': { kind: 'iam-role' as const, id: 'wallarm-oob-shop-oob-node', hashes: { name: 'abc' }, outputs: { arn: 'arn:aws:iam::1:role/x' }, deps: [] },
      'node-instance-profile': { kind: 'iam-instance-profile' as const, id: 'p', hashes: {}, outputs: {}, deps: ['node-role'] },
    },
    orphans: [{ logicalId: 'node-launch-template', kind: 'launch-template' as const, id: 'lt-0old', deps: [] }],
    pending: {
      'node-role': { operation: 'update' as const, reason: 'Throttling: Rate exceeded', since: '2026-11-30T03:59:00.000Z' },
      'node-alb': { operation: 'create' as const, reason: 'interrupted', since: '2026-11-30T03:59:30.000Z' },
    },
  };

  it('shows ids, dependencies both ways and orphans, never hashes', () => {
    const view = viewState(doc);
    expect(view.resources).toEqual([
      { logicalId: 'node-instance-profile', kind: 'iam-instance-profile', physicalId: 'p', dependsOn: ['node-role'], usedBy: [], outputs: {} },
      {
        logicalId: 'node-role',
        kind: 'iam-role',
        physicalId: 'wallarm-oob-shop-oob-node',
        dependsOn: [],
        usedBy: ['node-instance-profile'],
        outputs: { arn: 'arn:aws:iam::1:role/x' },
        pending: { operation: 'update', reason: 'Throttling: Rate exceeded', since: '2026-11-30T03:59:00.000Z' },
      },
      { logicalId: 'node-launch-template', kind: 'launch-template', physicalId: 'lt-0old', dependsOn: [], usedBy: [], outputs: {}, orphan: true },
    ]);
    expect(JSON.stringify(view)).not.toContain('hashes');
    const text = formatStateList(view);
    expect(text).toContain('Deployment shop-oob (web-server-mirror, eu-west-1)');
    expect(text).toContain('Last applied: 2026-11-30T04:00:00.000Z; state serial 7');
    expect(text).toMatch(/^node-launch-template \(orphan\)\s+launch-template\s+lt-0old$/m);
    expect(view.pending).toEqual({ 'node-alb': { operation: 'create', reason: 'interrupted', since: '2026-11-30T03:59:30.000Z' } });
    expect(text).toContain('node-role: update started 2026-11-30T03:59:00.000Z: Throttling: Rate exceeded');
    expect(text).toContain('node-alb: create started 2026-11-30T03:59:30.000Z: interrupted');
    expect(formatStateResource(view.resources[1]!)).toContain('used by:    node-instance-profile');
    expect(formatStateResource(view.resources[1]!)).toContain('unfinished: update started');
  });

  it('reads documents written before appliedAt existed', () => {
    const { appliedAt: _, pending: __, ...old } = doc;
    const view = viewState(decodeState(encodeState(old), '/wallarm-oob/shop-oob/state'));
    expect(view.appliedAt).toBeNull();
    expect(formatStateList(view)).toContain('Last applied: unknown');
  });
});
