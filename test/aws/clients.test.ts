import { afterEach, describe, expect, it } from 'vitest';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { AwsClients, MAX_ATTEMPTS, registerClientPlugin } from '../../src/aws/clients.js';
import { fakeEnv, type FakeEnv } from '../fake-aws/helpers.js';

let env: FakeEnv | undefined;
afterEach(() => {
  env?.done();
  delete process.env.AWS_ENDPOINT_URL;
});

/** Records the URL every request would be sent to (the fake answers before anything leaves the process). */
function captureUrls(): { urls: string[]; dispose: () => void } {
  const urls: string[] = [];
  const dispose = registerClientPlugin({
    applyToStack: (stack) =>
      stack.add(
        (next) => async (args) => {
          const r = args.request as { protocol: string; hostname: string; port?: number };
          urls.push(`${r.protocol}//${r.hostname}${r.port ? `:${r.port}` : ''}`);
          return next(args);
        },
        { step: 'finalizeRequest', priority: 'low', name: 'captureUrl' },
      ),
  });
  return { urls, dispose };
}

describe('AWS clients', () => {
  it('honour AWS_ENDPOINT_URL (LocalStack and other emulators)', async () => {
    process.env.AWS_ENDPOINT_URL = 'http://localhost:4566';
    env = fakeEnv();
    const capture = captureUrls();
    try {
      const ec2 = await new AwsClients({ region: 'eu-west-1' }).ec2();
      await ec2.send(new DescribeVpcsCommand({}));
      expect(capture.urls).toEqual(['http://localhost:4566']);
    } finally {
      capture.dispose();
    }
  });

  it('use the regional endpoint, adaptive retries and the configured region otherwise', async () => {
    env = fakeEnv();
    const capture = captureUrls();
    try {
      const ec2 = await new AwsClients({ region: 'eu-west-1' }).ec2();
      await ec2.send(new DescribeVpcsCommand({}));
      expect(capture.urls).toEqual(['https://ec2.eu-west-1.amazonaws.com']);
      expect(await ec2.config.region()).toBe('eu-west-1');
      expect((await ec2.config.retryStrategy()) as unknown).toMatchObject({ mode: 'adaptive' });
      expect(await ec2.config.maxAttempts()).toBe(MAX_ATTEMPTS);
    } finally {
      capture.dispose();
    }
  });
});
