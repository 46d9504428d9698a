import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../../src/aws/clients.js';
import { codeOf, fakeEnv, type FakeEnv } from './helpers.js';

describe('fake-aws: wiring through the real SDK clients', () => {
  let env: FakeEnv;
  beforeEach(() => {
    env = fakeEnv();
  });
  afterEach(() => env.done());

  it('send() resolves with the model output and request metadata', async () => {
    const sts = await env.aws.sts();
    const id = await sts.send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe('123456789012');
    expect(id.Arn).toBe('arn:aws:iam::123456789012:user/test');
    expect(id.$metadata.httpStatusCode).toBe(200);
    expect(id.$metadata.attempts).toBe(1);
    const ec2 = await env.aws.ec2();
    const vpcs = await ec2.send(new DescribeVpcsCommand({}));
    expect(vpcs.Vpcs?.map((v) => v.VpcId)).toEqual([env.net.vpcId]);
    expect(env.fake.calls.map((c) => c.command)).toEqual(['GetCallerIdentity', 'DescribeVpcs']);
  });

  it('a throttling error thrown below the retry middleware is retried by the SDK (adaptive mode) to success', async () => {
    env.fake.throttle(1, { limit: 2 });
    const ec2 = await env.aws.ec2();
    const out = await ec2.send(new DescribeVpcsCommand({}));
    expect(out.Vpcs).toHaveLength(1);
    expect(out.$metadata.attempts).toBe(3);
    const attempts = env.fake.callsTo('DescribeVpcs');
    expect(attempts.map((c) => c.error ?? 'ok')).toEqual(['RequestLimitExceeded', 'RequestLimitExceeded', 'ok']);
  });

  it('service-specific throttling codes are retried too (SSM ThrottlingException)', async () => {
    env.fake.throttle(1, { limit: 1, services: ['ssm'] });
    env.fake.putParameter('/x', 'y');
    const { GetParameterCommand } = await import('@aws-sdk/client-ssm');
    const out = await (await env.aws.ssm()).send(new GetParameterCommand({ Name: '/x' }));
    expect(out.Parameter?.Value).toBe('y');
    expect(env.fake.callsTo('GetParameter').map((c) => c.error ?? 'ok')).toEqual(['ThrottlingException', 'ok']);
  });

  it('an operation the fake does not model fails loudly', async () => {
    const { CreateKeyPairCommand } = await import('@aws-sdk/client-ec2');
    const ec2 = await env.aws.ec2();
    const err = await ec2.send(new CreateKeyPairCommand({ KeyName: 'k' })).then(() => new Error('no error'), (e: Error) => e);
    expect(err.name).toBe('UnsupportedOperation');
    expect((err).message).toContain('CreateKeyPair');
  });

  it('a client for another region is refused (the fake models one region)', async () => {
    const other = new AwsClients({ region: 'us-east-1' });
    expect(await codeOf((await other.ec2()).send(new DescribeVpcsCommand({})))).toBe('FakeAwsRegionMismatch');
  });

  it('uninstall() detaches the fake from clients created afterwards', async () => {
    env.fake.uninstall();
    const client = new EC2Client({ region: 'eu-west-1', maxAttempts: 1, endpoint: 'http://127.0.0.1:9' });
    await expect(client.send(new DescribeVpcsCommand({}))).rejects.toBeTruthy();
    expect(env.fake.calls).toHaveLength(0);
  });
});
