import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { AwsError } from '../../src/errors.js';
import { normalize as normalizeRole } from '../../src/resources/iam-role.js';
import { normalize as normalizeLb } from '../../src/resources/load-balancer.js';
import { normaliseRules, normalize as normalizeSg } from '../../src/resources/security-group.js';
import type { IamRoleProps, LoadBalancerProps, SecurityGroupProps } from '../../src/resources/types.js';
import { asgTags, canonicalJson, canonicalSet, chunks, formatDuration, retryWhile, stableJson, waitUntil } from '../../src/resources/util.js';
import { clock } from '../../src/util/clock.js';

describe('resources/util', () => {
  let scale: number;
  beforeEach(() => {
    scale = clock.scale;
    clock.setScale(0.0001);
  });
  afterEach(() => clock.setScale(scale));

  it('waitUntil polls until a value, then times out with the action to take', async () => {
    let n = 0;
    await expect(waitUntil('counting', async () => (++n >= 3 ? n : undefined), { intervalMs: 10_000, timeoutMs: 60_000 })).resolves.toBe(3);

    const progress: string[] = [];
    const timeout = waitUntil('waiting for nothing', async () => undefined, {
      intervalMs: 10_000,
      timeoutMs: 90_000,
      actions: ['do something'],
      progress: (e) => progress.push(e),
    });
    await expect(timeout).rejects.toBeInstanceOf(AwsError);
    await expect(timeout).rejects.toMatchObject({ code: 'AWS_TIMEOUT', actions: ['do something'] });
    await expect(timeout).rejects.toThrow(/Timed out after 1m30s waiting for nothing/);
    expect(progress).toEqual(['30s', '1m', '1m30s']);
  });

  it('waitUntil stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(waitUntil('waiting', async () => undefined, { intervalMs: 1000, timeoutMs: 10_000, signal: controller.signal })).rejects.toMatchObject({
      code: 'INTERRUPTED',
    });
  });

  it('retryWhile retries matching errors inside the window only', async () => {
    let calls = 0;
    const flaky = async () => {
      calls += 1;
      if (calls < 3) throw Object.assign(new Error('not yet'), { name: 'InvalidGroup.NotFound' });
      return 'ok';
    };
    await expect(retryWhile((e) => (e as Error).name === 'InvalidGroup.NotFound', flaky, { windowMs: 10_000, intervalMs: 1000 })).resolves.toBe('ok');

    calls = 0;
    const never = async () => {
      calls += 1;
      throw Object.assign(new Error('busy'), { name: 'DependencyViolation' });
    };
    await expect(retryWhile(() => true, never, { windowMs: 5000, intervalMs: 1000 })).rejects.toThrow('busy');
    expect(calls).toBe(6); // first try + 5 retries over the 5 s window

    calls = 0;
    await expect(retryWhile(() => false, never, { windowMs: 5000, intervalMs: 1000 })).rejects.toThrow('busy');
    expect(calls).toBe(1);
  });

  it('formats durations and canonical values', () => {
    expect(formatDuration(80_000)).toBe('1m20s');
    expect(formatDuration(5_000)).toBe('5s');
    expect(formatDuration(120_000)).toBe('2m');
    expect(stableJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: 3 } })).toBe('{"a":{"c":3,"d":[2,{"x":0,"y":1}]},"b":1}');
    expect(canonicalJson('{ "Version": "2012-10-17",\n  "Statement": [] }')).toBe('{"Statement":[],"Version":"2012-10-17"}');
    expect(canonicalJson('not json ')).toBe('not json');
    expect(canonicalSet(['b', 'a', 'b'])).toEqual(['a', 'b']);
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(asgTags('g', { b: '2', a: '1' })).toEqual([
      { ResourceId: 'g', ResourceType: 'auto-scaling-group', Key: 'a', Value: '1', PropagateAtLaunch: true },
      { ResourceId: 'g', ResourceType: 'auto-scaling-group', Key: 'b', Value: '2', PropagateAtLaunch: true },
    ]);
  });
});

describe('normalize()', () => {
  it('makes policy documents canonical so whitespace and key order never show as drift', () => {
    const a: IamRoleProps = { name: 'r', path: '/p/', assumeRolePolicy: '{"Version":"2012-10-17","Statement":[]}', inlinePolicies: { x: '{ "b": 1, "a": 2 }' } };
    const b: IamRoleProps = { name: 'r', path: '/p/', assumeRolePolicy: '{\n  "Statement": [],\n  "Version": "2012-10-17"\n}', inlinePolicies: { x: '{"a":2,"b":1}' } };
    expect(stableJson(normalizeRole(a))).toBe(stableJson(normalizeRole(b)));
  });

  it('sorts and de-duplicates security group rules the way read() reports them', () => {
    const props: SecurityGroupProps = {
      name: 'sg',
      description: 'd',
      vpcId: 'vpc-1',
      ingress: [
        { protocol: 'tcp', fromPort: 9445, toPort: 9445, cidr: '10.0.0.0/8', description: 'health' },
        { protocol: 'tcp', fromPort: 8445, toPort: 8445, cidr: '10.0.0.0/8', description: 'mirror' },
        { protocol: 'tcp', fromPort: 8445, toPort: 8445, cidr: '10.0.0.0/8', description: 'mirror' },
      ],
      egress: [{ protocol: '-1', fromPort: 0, toPort: 65535, cidr: '0.0.0.0/0', description: '' }],
    };
    const n = normalizeSg(props);
    expect(n.ingress.map((r) => r.fromPort)).toEqual([8445, 9445]);
    expect(n.egress).toEqual([{ protocol: '-1', fromPort: -1, toPort: -1, cidr: '0.0.0.0/0', description: '' }]);
    // The same rules as AWS returns them (grouped per permission, protocol numbers).
    const live = normaliseRules([
      { IpProtocol: '6', FromPort: 9445, ToPort: 9445, IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'health' }] },
      { IpProtocol: 'tcp', FromPort: 8445, ToPort: 8445, IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'mirror' }] },
    ]);
    expect(live).toEqual(n.ingress);
  });

  it('fills the load balancer attributes AWS defaults and sorts id sets', () => {
    const props: LoadBalancerProps = { name: 'lb', type: 'network', scheme: 'internal', subnetIds: ['subnet-b', 'subnet-a'], securityGroupIds: [], attributes: { 'load_balancing.cross_zone.enabled': 'true' } };
    expect(normalizeLb(props)).toMatchObject({
      subnetIds: ['subnet-a', 'subnet-b'],
      attributes: { 'deletion_protection.enabled': 'false', 'load_balancing.cross_zone.enabled': 'true' },
    });
    expect(normalizeLb({ ...props, type: 'application', attributes: {} }).attributes).toEqual({ 'deletion_protection.enabled': 'false' });
  });
});
