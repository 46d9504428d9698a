import { CreateLoadBalancerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';

import { handler as filters } from '../../src/resources/traffic-mirror-filter.js';
import { handler as targets } from '../../src/resources/traffic-mirror-target.js';
import type { TrafficMirrorFilterProps, TrafficMirrorFilterRule } from '../../src/resources/types.js';
import type { FakeEnv } from '../fake-aws/helpers.js';
import { context } from './helpers.js';

export const rule = (direction: TrafficMirrorFilterRule['direction'], ruleNumber: number, action: TrafficMirrorFilterRule['action'], extra: Partial<TrafficMirrorFilterRule> = {}): TrafficMirrorFilterRule => ({
  direction,
  ruleNumber,
  action,
  protocol: action === 'accept' ? 6 : null,
  destinationPortRange: null,
  sourceCidr: '0.0.0.0/0',
  destinationCidr: '0.0.0.0/0',
  description: '',
  ...extra,
});

/** The reference filter: ingress TCP accept (20), reject-all 110 / 120. */
export const FILTER_PROPS: TrafficMirrorFilterProps = {
  description: 'wallarm-oob d1: TCP ingress',
  networkServices: [],
  rules: [rule('ingress', 110, 'reject'), rule('ingress', 20, 'accept', { description: 'HTTP' }), rule('egress', 120, 'reject')],
};

export async function createNlb(e: FakeEnv, name = 'rebuilders'): Promise<string> {
  const elb = await e.aws.elbv2();
  const out = await elb.send(new CreateLoadBalancerCommand({ Name: name, Type: 'network', Scheme: 'internal', Subnets: e.net.privateSubnetIds }));
  return out.LoadBalancers![0]!.LoadBalancerArn!;
}

/** NLB + filter + target made through the handlers, and `n` Nitro instances whose ENIs are sources. */
export async function mirrorSetup(e: FakeEnv, n: number): Promise<{ filterId: string; targetId: string; enis: string[] }> {
  const nlb = await createNlb(e);
  const filter = await filters.create(context(e.aws, 'mirror-filter'), FILTER_PROPS);
  const target = await targets.create(context(e.aws, 'mirror-target'), { networkLoadBalancerArn: nlb, description: 'rebuilder NLB' });
  const enis = Array.from({ length: n }, (_, i) => e.fake.addInstance({ subnetId: e.net.privateSubnetIds[i % 2]!, instanceType: 'm5.large' }).eniId);
  return { filterId: filter.physicalId, targetId: target.physicalId, enis };
}
