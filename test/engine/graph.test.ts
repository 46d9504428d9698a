import { describe, expect, it } from 'vitest';
import { topologicalOrder } from '../../src/engine/graph.js';
import { ref, type Graph, type ResourceNode } from '../../src/engine/types.js';
import { PlanError } from '../../src/errors.js';

const n = (id: string, props: ResourceNode['props'] = {}): ResourceNode => ({ id, kind: 'security-group', props });
const graph = (...nodes: ResourceNode[]): Graph => ({ nodes, outputs: {} });

describe('topologicalOrder', () => {
  it('puts every node after the nodes it references, whatever the input order', () => {
    const order = topologicalOrder(
      graph(n('asg', { lt: ref('lt', 'id'), tgs: [ref('tg', 'arn')] }), n('lt', { sg: ref('sg', 'groupId') }), n('tg'), n('sg')),
    ).map((x) => x.id);
    expect(order.indexOf('sg')).toBeLessThan(order.indexOf('lt'));
    expect(order.indexOf('lt')).toBeLessThan(order.indexOf('asg'));
    expect(order.indexOf('tg')).toBeLessThan(order.indexOf('asg'));
  });

  it('rejects a cycle with a coded error naming the nodes on it', () => {
    const run = () => topologicalOrder(graph(n('a', { x: ref('b', 'id') }), n('b', { y: { nested: ref('a', 'id') } })));
    expect(run).toThrow(PlanError);
    expect(run).toThrow(/cycle: (a -> b -> a|b -> a -> b)/);
  });

  it('rejects a reference to a node that is not in the graph', () => {
    expect(() => topologicalOrder(graph(n('a', { x: ref('ghost', 'id') })))).toThrow(/references "ghost"/);
  });

  it('rejects duplicate logical ids', () => {
    expect(() => topologicalOrder(graph(n('a'), n('a')))).toThrow(/share the logical id "a"/);
  });
});

describe('joined strings', () => {
  it('a string built around a ref depends on the referenced node and resolves once its output is known', async () => {
    const { joinAt } = await import('../../src/engine/types.js');
    const { resolveValue } = await import('../../src/engine/values.js');
    const userData = joinAt('send to http://HOST:8445 and log HOST', 'HOST', ref('alb', 'dnsName'));
    const order = topologicalOrder(graph(n('lt', { userData }), n('alb'))).map((x) => x.id);
    expect(order).toEqual(['alb', 'lt']);
    expect(resolveValue(userData, () => 'internal-x.elb.amazonaws.com')).toBe('send to http://internal-x.elb.amazonaws.com:8445 and log internal-x.elb.amazonaws.com');
    expect(resolveValue(userData, () => ({ $unknown: 'alb.dnsName' }))).toEqual({ $unknown: 'alb.dnsName' });
  });
});
