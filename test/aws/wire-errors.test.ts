import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { AwsClients } from '../../src/aws/clients.js';
import { translateWireError, WireError } from '../../src/aws/wire-errors.js';

let server: Server | undefined;
afterEach(async () => {
  delete process.env.AWS_ENDPOINT_URL;
  delete process.env.AWS_MAX_ATTEMPTS;
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

/** A real HTTP endpoint answering every request with `status` and an HTML page (a proxy error, an emulator's 404). */
async function htmlEndpoint(status: number): Promise<string> {
  server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html' });
    res.end('<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>');
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function failure(send: (aws: AwsClients) => Promise<unknown>): Promise<WireError> {
  process.env.AWS_MAX_ATTEMPTS = '1'; // the SDK's own setting: no retry back-off in the test
  const error = await send(new AwsClients({ region: 'eu-west-1' })).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WireError);
  return error as WireError;
}

const PARSER_TEXT = /XML parse|Deserialization|\$response|not valid JSON|Unexpected token|mismatched tag/;

describe('errors from the wire become one plain sentence', () => {
  it('an HTML 500 page (query, EC2 and JSON protocols): service, operation, endpoint, status, what to check; no parser text', async () => {
    process.env.AWS_ENDPOINT_URL = await htmlEndpoint(500);
    for (const send of [
      (aws: AwsClients) => aws.ec2().then((c) => c.send(new DescribeVpcsCommand({}))),
      (aws: AwsClients) => aws.elbv2().then((c) => c.send(new DescribeLoadBalancersCommand({}))),
      (aws: AwsClients) => aws.ssm().then((c) => c.send(new GetParameterCommand({ Name: '/x' }))),
    ]) {
      const error = await failure(send);
      expect(error.code).toBe('AWS_NOT_AN_AWS_RESPONSE');
      expect(error.message).toMatch(/^(EC2 DescribeVpcs|ElasticLoadBalancingV2 DescribeLoadBalancers|SSM GetParameter) at http:\/\/127\.0\.0\.1:\d+ answered HTTP 500 with an HTML page/);
      expect(error.message).not.toMatch(PARSER_TEXT);
      expect(error.actions.join('\n')).toContain(`AWS_ENDPOINT_URL (now ${process.env.AWS_ENDPOINT_URL})`);
      expect(error.actions.join('\n')).toContain('eu-west-1');
    }
  });

  it('connection refused and an unknown host name', async () => {
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:1';
    const refused = await failure((aws) => aws.ec2().then((c) => c.send(new DescribeVpcsCommand({}))));
    expect(refused.message).toBe('EC2 DescribeVpcs could not reach http://127.0.0.1:1: the connection was refused (nothing listens there).');
    process.env.AWS_ENDPOINT_URL = 'http://no-such-host.invalid';
    const dns = await failure((aws) => aws.ec2().then((c) => c.send(new DescribeVpcsCommand({}))));
    expect(dns.message).toMatch(/^EC2 DescribeVpcs could not reach http:\/\/no-such-host\.invalid: its host name (does not resolve|could not be resolved)/);
  });
});

describe('translateWireError', () => {
  const site = { clientName: 'EC2Client', commandName: 'DescribeVpcsCommand', endpoint: 'https://ec2.eu-west-1.amazonaws.com', region: 'eu-west-1' };

  it('a timeout (the SDK request handler gave up) and an emulator saying the call is not implemented', () => {
    const timeout = translateWireError(Object.assign(new Error('Connection timed out after 10000 ms'), { name: 'TimeoutError', $metadata: {} }), site);
    expect(timeout?.message).toBe('EC2 DescribeVpcs could not reach https://ec2.eu-west-1.amazonaws.com: it did not answer in time.');
    const localstack = Object.assign(new Error("API action 'DescribeVpcs' for service 'ec2' not yet implemented"), { name: 'InternalFailure', $metadata: { httpStatusCode: 501 } });
    expect(translateWireError(localstack, site)).toMatchObject({ code: 'AWS_NOT_IMPLEMENTED', notImplemented: true });
  });

  it("leaves AWS's own errors alone: handlers classify them by code", () => {
    const own = Object.assign(new Error('The vpc ID does not exist'), { name: 'InvalidVpcID.NotFound', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    expect(translateWireError(own, site)).toBeUndefined();
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'RequestLimitExceeded', $metadata: { httpStatusCode: 503 } });
    expect(translateWireError(throttled, site)).toBeUndefined();
  });
});
