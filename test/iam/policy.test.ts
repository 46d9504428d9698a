import { describe, expect, it } from 'vitest';
import { anyResource, created, ec2TagOnCreate, owned, scoped, type IamGrant } from '../../src/iam/grants.js';
import { buildPolicy, partitionOf, policySize, splitPolicy, type PolicyScope } from '../../src/iam/policy.js';

const scope: PolicyScope = { deployment: 'shop-oob', region: 'eu-west-1', vpcId: 'vpc-0abc', tokenParameter: '/wallarm-oob/shop-oob/node-token' };
const statementFor = (grants: IamGrant[], action: string, s = scope) => buildPolicy(grants, s).Statement.filter((st) => st.Action.includes(action));

describe('buildPolicy', () => {
  it('scopes creates to the deployment tag in the request and changes to the tag on the resource', () => {
    const grants = [created('ec2:security-group', 'ec2:CreateSecurityGroup'), owned('ec2:security-group', 'ec2:DeleteSecurityGroup')];
    expect(statementFor(grants, 'ec2:CreateSecurityGroup')).toEqual([
      expect.objectContaining({
        Resource: 'arn:aws:ec2:eu-west-1:*:security-group/*',
        Condition: { StringEquals: { 'aws:RequestTag/wallarm-oob:deployment': 'shop-oob' } },
      }),
    ]);
    expect(statementFor(grants, 'ec2:DeleteSecurityGroup')[0]!.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/wallarm-oob:deployment': 'shop-oob' } });
  });

  it('never merges unconditioned statements: an action scoped to filter rules does not reach filters', () => {
    const grants = [scoped('ec2:traffic-mirror-filter-rule', 'ec2:CreateTrafficMirrorFilterRule'), scoped('ec2:traffic-mirror-filter', 'ec2:CreateTrafficMirrorSession')];
    const rule = statementFor(grants, 'ec2:CreateTrafficMirrorFilterRule');
    expect(rule).toHaveLength(1);
    expect(rule[0]!.Resource).toBe('arn:aws:ec2:eu-west-1:*:traffic-mirror-filter-rule/*');
  });

  it('merges the values of one condition key (tagging on create for several create actions)', () => {
    const [tagging] = statementFor([ec2TagOnCreate('CreateSecurityGroup'), ec2TagOnCreate('CreateLaunchTemplate')], 'ec2:CreateTags');
    expect(tagging).toMatchObject({ Resource: '*', Condition: { StringEquals: { 'ec2:CreateAction': ['CreateLaunchTemplate', 'CreateSecurityGroup'] } } });
  });

  it('puts read-only actions on "*" once, sorted and de-duplicated', () => {
    const doc = buildPolicy([anyResource('ec2:DescribeVpcs', 'ec2:DescribeSubnets'), anyResource('ec2:DescribeVpcs')], scope);
    expect(doc.Statement).toEqual([{ Sid: 'Ec2AnyResource', Effect: 'Allow', Action: ['ec2:DescribeSubnets', 'ec2:DescribeVpcs'], Resource: '*' }]);
  });

  it('confines IAM to the deployment path, SSM to its parameters, and names a token parameter outside them', () => {
    const grants = [scoped('iam:deployment-role', 'iam:CreateRole'), scoped('ssm:token-parameter', 'ssm:GetParameter'), scoped('ssm:deployment-parameters', 'ssm:PutParameter')];
    // the path, and the path-less name IAM authorises a call on a role that does not exist against
    expect(statementFor(grants, 'iam:CreateRole')[0]!.Resource).toEqual(['arn:aws:iam::*:role/wallarm-oob-shop-oob-*', 'arn:aws:iam::*:role/wallarm-oob/shop-oob/*']);
    expect(statementFor(grants, 'ssm:GetParameter')[0]!.Resource).toBe('arn:aws:ssm:eu-west-1:*:parameter/wallarm-oob/shop-oob/*');
    const elsewhere = statementFor(grants, 'ssm:GetParameter', { ...scope, tokenParameter: '/shared/wallarm-token' });
    expect(elsewhere[0]!.Resource).toBe('arn:aws:ssm:eu-west-1:*:parameter/shared/wallarm-token');
  });

  it('scopes the security group create to the configured VPC', () => {
    expect(statementFor([scoped('ec2:vpc', 'ec2:CreateSecurityGroup')], 'ec2:CreateSecurityGroup')[0]!.Resource).toBe('arn:aws:ec2:eu-west-1:*:vpc/vpc-0abc');
  });

  it('uses the partition of the region in every ARN', () => {
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOf('eu-west-1')).toBe('aws');
    const [st] = statementFor([owned('autoscaling:group', 'autoscaling:DeleteAutoScalingGroup')], 'autoscaling:DeleteAutoScalingGroup', { ...scope, region: 'cn-north-1' });
    expect(st!.Resource).toBe('arn:aws-cn:autoscaling:cn-north-1:*:autoScalingGroup:*:autoScalingGroupName/*');
  });

  it("drops the Sids when only they push the document over a managed policy's 6,144 characters", () => {
    // 60 statements (one condition key each): about 5,500 characters without Sids, about 7,000 with them
    const grants: IamGrant[] = Array.from({ length: 60 }, (_, i) => ({ actions: [`ec2:A${i}`], on: 'any', when: { key: `k${i}`, values: ['v'] } }));
    const doc = buildPolicy(grants, scope);
    expect(doc.Statement).toHaveLength(60);
    expect(policySize(doc)).toBeLessThanOrEqual(6144);
    expect(doc.Statement.every((s) => s.Sid === undefined)).toBe(true);
    expect(buildPolicy(grants.slice(0, 10), scope).Statement.every((s) => s.Sid)).toBe(true);
  });

  it('gives every statement a unique Sid and counts size as IAM does (no whitespace)', () => {
    const doc = buildPolicy([scoped('ec2:vpc', 'ec2:CreateSecurityGroup'), scoped('ec2:network-interface', 'ec2:CreateTrafficMirrorSession')], scope);
    const sids = doc.Statement.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    expect(sids.every((s) => /^[A-Za-z0-9]+$/.test(s!))).toBe(true);
    expect(policySize(doc)).toBe(JSON.stringify(doc).length);
  });
});

describe('splitPolicy', () => {
  // 60 statements with Sids: about 7,000 characters, over one managed policy
  const grants: IamGrant[] = Array.from({ length: 60 }, (_, i) => ({ actions: [`ec2:A${i}`], on: 'any', when: { key: `k${i}`, values: ['v'] } }));

  it('packs the statements, none cut or lost, into documents that each fit the limit', () => {
    const doc = buildPolicy(grants, scope);
    const withSids = { ...doc, Statement: doc.Statement.map((s, i) => ({ ...s, Sid: `Statement${i}` })) };
    expect(policySize(withSids)).toBeGreaterThan(6144);
    const parts = splitPolicy(withSids);
    expect(parts).toHaveLength(2);
    for (const p of parts) expect(policySize(p)).toBeLessThanOrEqual(6144);
    expect(parts.flatMap((p) => p.Statement).sort((a, b) => a.Sid!.localeCompare(b.Sid!))).toEqual([...withSids.Statement].sort((a, b) => a.Sid.localeCompare(b.Sid)));
    expect(parts.every((p) => p.Version === '2012-10-17')).toBe(true);
  });

  it('leaves a policy that fits as it is', () => {
    const doc = buildPolicy(grants.slice(0, 5), scope);
    expect(splitPolicy(doc)).toEqual([doc]);
  });
});
