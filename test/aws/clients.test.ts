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

describe('named profiles', () => {
  it('--profile selects the credentials and region of that profile in the shared config files', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'wallarm-oob-profile-'));
    writeFileSync(join(dir, 'config'), '[profile security]\nregion = ap-south-1\n');
    writeFileSync(join(dir, 'credentials'), '[security]\naws_access_key_id = AKIDPROFILEKEY\naws_secret_access_key = profile-secret\n');
    const saved = { ...process.env };
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    delete process.env.AWS_REGION;
    try {
      const ec2 = await new AwsClients({ profile: 'security' }).ec2();
      expect(await ec2.config.region()).toBe('ap-south-1');
      expect((await ec2.config.credentials()).accessKeyId).toBe('AKIDPROFILEKEY');
    } finally {
      process.env = saved;
    }
  });
});
