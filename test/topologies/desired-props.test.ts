/**
 * The planner -> handler property contract is checked by the compiler: `npm run typecheck` compiles this file,
 * and every `@ts-expect-error` below fails the typecheck if the line after it ever compiles.
 */
import { describe, expect, it } from 'vitest';
import { joinAt, ref, unknown } from '../../src/engine/types.js';
import { resource } from '../../src/topologies/common/resource.js';

const sg = { name: 'sg', description: 'd', vpcId: 'vpc-0123456789abcdef0', ingress: [], egress: [] };

/** Never called: only compiled. */
export function contractViolations() {
  return [
    // @ts-expect-error a number where the props say string
    resource({ id: 'a', kind: 'security-group', props: { ...sg, name: 42 } }),
    // @ts-expect-error a string where the props say a list of rules
    resource({ id: 'b', kind: 'security-group', props: { ...sg, ingress: 'x' } }),
    resource({
      id: 'c',
      kind: 'security-group',
      // @ts-expect-error a key the props do not have
      props: { name: 'sg', description: 'd', vpcId: 'vpc-1', ingress: [], egress: [], extraTypo: 1 },
    }),
    // @ts-expect-error a required prop left out
    resource({ id: 'd', kind: 'security-group', props: { name: 'sg', description: 'd', ingress: [], egress: [] } }),
    // @ts-expect-error a value outside the prop's literal union, deep in a list
    resource({ id: 'e', kind: 'security-group', props: { ...sg, ingress: [{ protocol: 'icmp', fromPort: 1, toPort: 1, cidr: '0.0.0.0/0', description: '' }] } }),
    // @ts-expect-error props of another kind
    resource({ id: 'f', kind: 'listener', props: sg }),
    // @ts-expect-error a Join (text waiting for refs) where a number goes
    resource({ id: 'g', kind: 'target-group', props: { name: 'tg', protocol: 'HTTP', port: joinAt('a', 'a', ref('x', 'y')), vpcId: 'v', targetType: 'instance', healthCheck: { protocol: 'HTTP', port: '1', path: '/', intervalSeconds: 5, timeoutSeconds: 3, healthyThreshold: 3, unhealthyThreshold: 3 } } }),
  ];
}

describe('desired props', () => {
  it('accepts refs, unknowns and joins at any leaf, and hands the engine the props as written', () => {
    const node = resource({
      id: 'lt',
      kind: 'launch-template',
      props: {
        name: 'lt',
        imageId: unknown('newest AMI'),
        instanceType: 't3.medium',
        keyName: null,
        securityGroupIds: [ref('sg', 'groupId')],
        instanceProfileArn: ref('profile', 'arn'),
        userData: joinAt('#!/bin/sh\ncurl http://HOST/', 'HOST', ref('alb', 'dnsName')),
        volumeSizeGiB: 20,
        volumeType: 'gp3',
        detailedMonitoring: true,
        httpTokens: 'required',
      },
    });
    expect(node.kind).toBe('launch-template');
    expect(node.props.securityGroupIds).toEqual([{ $ref: 'sg', attr: 'groupId' }]);
    expect(contractViolations).toBeTypeOf('function');
  });
});
