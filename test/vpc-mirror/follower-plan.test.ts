import { describe, expect, it } from 'vitest';
import { ConfigSchema, type VpcMirrorConfig } from '../../src/config/schema.js';
import { mirrorNotes, type VpcMirrorInputs as Inputs } from '../../src/topologies/vpc-mirror/inputs.js';
import { renderRebuilderUserData } from '../../src/topologies/vpc-mirror/receivers/goreplay/index.js';
import { isJoin, type ResourceNode } from '../../src/engine/types.js';
import { ConfigError } from '../../src/errors.js';
import { planVpcMirror, VPC_ID } from '../../src/topologies/vpc-mirror/planner.js';
import { FOLLOWER_ID } from '../../src/topologies/vpc-mirror/follower/plan.js';
import { SETTINGS_VARIABLE } from '../../src/topologies/vpc-mirror/follower/settings.js';
import { DEFAULT_NODE_VERSION, nodeLine } from '../../src/wallarm/node-versions.js';

function plan(mirror: Record<string, unknown>, partition = 'aws') {
  const config = ConfigSchema.parse({
    deployment: 'shop-vpc',
    topology: 'vpc-mirror',
    vpcId: 'vpc-0123456789abcdef0',
    subnets: { loadBalancer: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] },
    mirror: { receiver: 'goreplay', ...mirror },
  }) as VpcMirrorConfig;
  const inputs: Inputs = {
    config,
    region: 'eu-west-1',
    partition,
    nodeImageId: 'ami-0123456789abcdef0',
    node: { line: nodeLine(DEFAULT_NODE_VERSION), version: '7.1.0' },
    tokenParameterArn: 'arn:aws:ssm:eu-west-1:123456789012:parameter/wallarm-oob/shop-vpc/node-token',
    nodeUserData: '#!/bin/bash\n',
    mirror: { debianImageId: 'ami-0debian0000000000', vpcCidrs: ['10.0.0.0/16'], eligibleEnis: [], sources: [], rebuilderUserData: renderRebuilderUserData(config) },
  };
  return { config, graph: planVpcMirror(inputs) };
}

const ids = (nodes: readonly ResourceNode[]) => nodes.map((n) => n.id).filter((id) => id.startsWith('follower-')).sort();
const byId = (nodes: readonly ResourceNode[], id: string) => nodes.find((n) => n.id === id)!;
const text = (join: unknown) => (isJoin(join) ? join.$join.map((p) => (typeof p === 'string' ? p : `<${p.$ref}.${p.attr}>`)).join('') : String(join));

describe('the follower in the vpc-mirror plan (pure)', () => {
  it('explicit interfaces alone: no follower; an Auto Scaling group: the launch/terminate rule; tags or EKS: the running rule', () => {
    expect(ids(plan({ sources: [{ networkInterfaceIds: ['eni-0123456789abcdef0'] }] }).graph.nodes)).toEqual([]);
    expect(ids(plan({ sources: [{ autoScalingGroup: 'web-asg' }], follow: false }).graph.nodes)).toEqual([]);
    const asg = plan({ sources: [{ autoScalingGroup: 'web-asg' }, { autoScalingGroup: 'api-asg' }] }).graph.nodes;
    expect(ids(asg)).toEqual([FOLLOWER_ID.asgRule, FOLLOWER_ID.function, FOLLOWER_ID.logGroup, FOLLOWER_ID.role, FOLLOWER_ID.scheduleRule].sort());
    expect(JSON.parse(byId(asg, FOLLOWER_ID.asgRule).props.eventPattern as string)).toEqual({
      source: ['aws.autoscaling'],
      'detail-type': ['EC2 Instance Launch Successful', 'EC2 Instance Terminate Successful'],
      detail: { AutoScalingGroupName: ['api-asg', 'web-asg'] },
    });
    const tags = plan({ sources: [{ tags: { role: 'web' } }], followSchedule: 'rate(1 hour)' }).graph.nodes;
    expect(ids(tags)).toContain(FOLLOWER_ID.ec2Rule);
    expect(ids(tags)).not.toContain(FOLLOWER_ID.asgRule);
    expect(JSON.parse(byId(tags, FOLLOWER_ID.ec2Rule).props.eventPattern as string)).toEqual({ source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['running'] } });
    expect(byId(tags, FOLLOWER_ID.scheduleRule).props).toMatchObject({ scheduleExpression: 'rate(1 hour)', eventPattern: null });
  });

  it('the function: after the sessions (destroyed before them), its settings point at this deployment\'s filter, target and session token', () => {
    const { graph } = plan({ sources: [{ networkInterfaceIds: ['eni-0123456789abcdef0'] }, { autoScalingGroup: 'web-asg' }] });
    const fn = byId(graph.nodes, FOLLOWER_ID.function);
    expect(fn.dependsOn).toEqual([FOLLOWER_ID.logGroup, VPC_ID.sessions]);
    expect(fn.props).toMatchObject({ name: 'wallarm-oob-shop-vpc-follower', config: { runtime: 'nodejs22.x', handler: 'index.handler' }, roleArn: { $ref: FOLLOWER_ID.role, attr: 'arn' } });
    const settings = text((fn.props.environment as Record<string, unknown>)[SETTINGS_VARIABLE]);
    expect(JSON.parse(settings)).toMatchObject({
      deployment: 'shop-vpc',
      // only the dynamic sources: explicit interfaces are apply's
      sources: [{ autoScalingGroup: 'web-asg' }],
      session: { targetId: `<${VPC_ID.target}.targetId>`, filterId: `<${VPC_ID.filter}.filterId>`, vni: 1377, sessionNumber: 1, tags: { 'wallarm-oob:id': VPC_ID.sessions } },
      clientToken: `<${VPC_ID.sessions}.clientToken>`,
      lastRunParameter: '/wallarm-oob/shop-vpc/follower/last-run',
    });
    expect(byId(graph.nodes, FOLLOWER_ID.logGroup).props).toEqual({ name: '/aws/lambda/wallarm-oob-shop-vpc-follower', retentionInDays: 14 });
  });

  it('the role may create sessions only with this deployment\'s tag, filter and target, in the deployment\'s partition', () => {
    const policy = JSON.parse(text((byId(plan({ sources: [{ autoScalingGroup: 'web-asg' }] }, 'aws-cn').graph.nodes, FOLLOWER_ID.role).props.inlinePolicies as Record<string, unknown>).follower));
    const actions = policy.Statement.flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions.filter((a: string) => !a.includes('Describe')).sort()).toEqual(['ec2:CreateTags', 'ec2:CreateTrafficMirrorSession', 'ec2:CreateTrafficMirrorSession', 'logs:CreateLogStream', 'logs:PutLogEvents', 'ssm:AddTagsToResource', 'ssm:PutParameter']);
    expect(JSON.stringify(policy)).toContain(`arn:aws-cn:ec2:*:*:traffic-mirror-target/<${VPC_ID.target}.targetId>`);
    expect(policy.Statement.find((s: { Sid: string }) => s.Sid === 'CreateTaggedSessions').Condition).toEqual({ StringEquals: { 'aws:RequestTag/wallarm-oob:deployment': 'shop-vpc' } });
  });

  it('settings that would not fit Lambda\'s 4 KB of environment are a config error naming the way out', () => {
    const sources = Array.from({ length: 60 }, (_, i) => ({ tags: { [`team-${i}-with-a-long-tag-key`]: `value-${i}-that-is-long-enough` } }));
    expect(() => plan({ sources })).toThrow(ConfigError);
    expect(() => plan({ sources })).toThrow(/4096 bytes of environment/);
  });

  it('plan notes say how new instances are mirrored', () => {
    expect(mirrorNotes(plan({ sources: [{ autoScalingGroup: 'web-asg' }] }).config).join('\n')).toMatch(/mirrored by the follower within ~1 minute of their launch, without apply/);
    expect(mirrorNotes(plan({ sources: [{ autoScalingGroup: 'web-asg' }], follow: false }).config).join('\n')).toMatch(/mirror\.follow is false: .* at the next apply only/);
  });
});
