import { describe, expect, it } from 'vitest';
import { allowsRule, statementsOf } from '../../src/resources/lambda-permission.js';

const RULE = 'arn:aws:events:eu-west-1:123456789012:rule/wallarm-oob-d1-reconcile';
const FN = 'arn:aws:lambda:eu-west-1:123456789012:function:wallarm-oob-d1-follower';
const statement = (over: Record<string, unknown> = {}) => ({
  Sid: 'wallarm-oob-d1-reconcile',
  Effect: 'Allow',
  Principal: { Service: 'events.amazonaws.com' },
  Action: 'lambda:InvokeFunction',
  Resource: FN,
  Condition: { ArnLike: { 'AWS:SourceArn': RULE } },
  ...over,
});
const policy = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements });

describe('Lambda resource policy: may EventBridge invoke the function for this rule?', () => {
  it('yes for the statement AddPermission writes (condition keys compared case-insensitively)', () => {
    expect(allowsRule(statementsOf(policy(statement())), RULE)).toBe(true);
    expect(allowsRule(statementsOf(policy(statement({ Condition: { ArnEquals: { 'aws:sourcearn': RULE } } }))), RULE)).toBe(true);
    expect(allowsRule(statementsOf(JSON.stringify({ Statement: statement({ Action: ['lambda:InvokeFunction'] }) })), RULE)).toBe(true);
  });

  it('no for another rule, another principal, a Deny, another action, no condition, or no policy at all', () => {
    expect(allowsRule(statementsOf(policy(statement())), `${RULE}-other`)).toBe(false);
    expect(allowsRule(statementsOf(policy(statement({ Principal: { Service: 's3.amazonaws.com' } }))), RULE)).toBe(false);
    expect(allowsRule(statementsOf(policy(statement({ Effect: 'Deny' }))), RULE)).toBe(false);
    expect(allowsRule(statementsOf(policy(statement({ Action: 'lambda:GetFunction' }))), RULE)).toBe(false);
    expect(allowsRule(statementsOf(policy(statement({ Condition: undefined }))), RULE)).toBe(false);
    expect(allowsRule(statementsOf(undefined), RULE)).toBe(false);
    expect(allowsRule(statementsOf('not json'), RULE)).toBe(false);
  });
});
