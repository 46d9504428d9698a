import { describe, expect, it } from 'vitest';
import { diff, propHashes, type KindTraits } from '../../src/engine/diff.js';
import { NOT_READ } from '../../src/engine/plan.js';
import { ref, type Graph, type Props, type ResourceNode } from '../../src/engine/types.js';
import { emptyState, type StateDocument } from '../../src/state/document.js';

const traits = (kind: string): KindTraits =>
  kind === 'launch-template'
    ? { replaceOn: ['name'], outputsChangedByUpdate: ['latestVersion'] }
    : kind === 'auto-scaling-group'
      ? { replaceOn: ['name'], ignoreLiveChanges: ['desiredCapacity'] }
      : { replaceOn: ['vpcId'] };

const sg: ResourceNode = { id: 'sg', kind: 'security-group', props: { vpcId: 'vpc-1', ports: [8445] } };
const lt: ResourceNode = { id: 'lt', kind: 'launch-template', props: { name: 'lt', instanceType: 't3.medium', sg: ref('sg', 'groupId') } };
const asg: ResourceNode = {
  id: 'asg',
  kind: 'auto-scaling-group',
  props: { name: 'asg', version: ref('lt', 'latestVersion'), desiredCapacity: 1 },
};
const graph = (...nodes: ResourceNode[]): Graph => ({ nodes, outputs: {} });

/** State + live as they are right after applying `nodes` with the given outputs. */
function applied(nodes: ResourceNode[], outputs: Record<string, Record<string, string>>): { state: StateDocument; live: Map<string, { props: Props }> } {
  const state = emptyState('shop');
  const live = new Map<string, { props: Props }>();
  const resolve = (props: Props): Props => JSON.parse(JSON.stringify(props), (_k, v) => (v && v.$ref ? outputs[v.$ref]![v.attr] : v));
  for (const node of nodes) {
    const props = resolve(node.props);
    state.resources[node.id] = { kind: node.kind, id: `${node.id}-phys`, hashes: propHashes(props), outputs: outputs[node.id] ?? {}, deps: [] };
    live.set(node.id, { props });
  }
  return { state, live };
}

const outputs = { sg: { groupId: 'sg-1' }, lt: { latestVersion: '1' }, asg: { name: 'asg' } };

describe('diff', () => {
  it('plans every node as a create on an empty state', () => {
    const actions = diff({ graph: graph(sg, lt), state: emptyState('shop'), live: new Map(), traits });
    expect(actions.map((a) => [a.id, a.action])).toEqual([
      ['sg', 'create'],
      ['lt', 'create'],
    ]);
  });

  it('plans nothing when config, state and AWS agree', () => {
    const { state, live } = applied([sg, lt, asg], outputs);
    const actions = diff({ graph: graph(sg, lt, asg), state, live, traits });
    expect(actions.every((a) => a.action === 'noop')).toBe(true);
  });

  it('shows a config edit as an update, and a dependent of the changed output as an update too', () => {
    const { state, live } = applied([sg, lt, asg], outputs);
    const edited = { ...lt, props: { ...lt.props, instanceType: 't3.large' } };
    const actions = diff({ graph: graph(sg, edited, asg), state, live, traits });
    const ltAction = actions.find((a) => a.id === 'lt')!;
    expect(ltAction.action).toBe('update');
    expect(ltAction.reasons).toEqual(['`instanceType` changed in the configuration']);
    expect(ltAction.changes[0]).toMatchObject({ prop: 'instanceType', before: 't3.medium', after: 't3.large', cause: 'config' });
    const asgAction = actions.find((a) => a.id === 'asg')!;
    expect(asgAction.action).toBe('update');
    expect(asgAction.reasons[0]).toMatch(/`version` depends on lt.latestVersion \(known after apply\)/);
  });

  it('tells drift (changed in AWS) apart from a config edit', () => {
    const { state, live } = applied([sg], outputs);
    live.set('sg', { props: { vpcId: 'vpc-1', ports: [22] } });
    const [action] = diff({ graph: graph(sg), state, live, traits });
    expect(action).toMatchObject({ action: 'update', reasons: ['`ports` was changed outside wallarm-oob'] });
  });

  it('replaces when a replace-only property changes, and says so', () => {
    const { state, live } = applied([sg], outputs);
    const [action] = diff({ graph: graph({ ...sg, props: { ...sg.props, vpcId: 'vpc-2' } }), state, live, traits });
    expect(action).toMatchObject({ action: 'replace', reasons: ['`vpcId` changed in the configuration (forces replacement)'] });
  });

  it('recreates a resource deleted behind the tool, naming the missing id', () => {
    const { state, live } = applied([sg, lt], outputs);
    live.set('sg', undefined as never);
    const actions = diff({ graph: graph(sg, lt), state, live, traits });
    expect(actions.find((a) => a.id === 'sg')).toMatchObject({ action: 'create', reasons: ['sg-phys was deleted outside wallarm-oob'] });
    expect(actions.find((a) => a.id === 'lt')!.action).toBe('update');
  });

  it('ignores live changes AWS makes by itself, but not config edits of the same property', () => {
    const { state, live } = applied([sg, lt, asg], outputs);
    live.set('asg', { props: { ...live.get('asg')!.props, desiredCapacity: 3 } });
    expect(diff({ graph: graph(sg, lt, asg), state, live, traits }).every((a) => a.action === 'noop')).toBe(true);
    const edited = { ...asg, props: { ...asg.props, desiredCapacity: 2 } };
    expect(diff({ graph: graph(sg, lt, edited), state, live, traits }).find((a) => a.id === 'asg')!.action).toBe('update');
  });

  it('deletes what is in state but no longer in the graph, and replaced leftovers', () => {
    const { state, live } = applied([sg, lt], outputs);
    state.orphans.push({ logicalId: 'sg', kind: 'security-group', id: 'sg-old', deps: [] });
    const actions = diff({ graph: graph(sg), state, live, traits });
    expect(actions.filter((a) => a.action === 'delete').map((a) => [a.id, a.physicalId, a.orphan ?? false])).toEqual([
      ['lt', 'lt-phys', false],
      ['sg', 'sg-old', true],
    ]);
  });
});

describe('diff without live reads (plan --refresh=false)', () => {
  const outputs = { sg: { groupId: 'sg-1' }, lt: { id: 'lt-1', latestVersion: '1' } };

  it('compares with the hashes state keeps: a config edit is a change with the live value not read; drift is invisible', () => {
    const { state } = applied([sg, lt], outputs);
    expect(diff({ graph: graph(sg, lt), state, live: 'not-read', traits }).map((a) => a.action)).toEqual(['noop', 'noop']);
    const edited: ResourceNode = { ...sg, props: { ...sg.props, vpcId: 'vpc-2' } };
    const [sgAction, ltAction] = diff({ graph: graph(edited, lt), state, live: 'not-read', traits });
    expect(sgAction).toMatchObject({ action: 'replace', changes: [{ prop: 'vpcId', before: NOT_READ, after: 'vpc-2', cause: 'config', forcesReplacement: true }] });
    // the replaced group's id is unknown to its dependents, as in a full plan
    expect(ltAction).toMatchObject({ action: 'update', changes: [expect.objectContaining({ prop: 'sg', cause: 'dependency' })] });
  });
});
