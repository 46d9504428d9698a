import { AwsClients } from '../../src/aws/clients.js';
import { clock } from '../../src/util/clock.js';
import { FakeAws, type FakeAwsOptions, type StandardAccount } from './index.js';

export interface FakeEnv {
  fake: FakeAws;
  aws: AwsClients;
  net: StandardAccount;
  done(): void;
}

/** Installs a fresh fake (seeded with the standard account) and creates clients that go through it. */
export function fakeEnv(options: FakeAwsOptions = {}): FakeEnv {
  const fake = FakeAws.install(options);
  const net = fake.standardAccount();
  const aws = new AwsClients({ region: fake.region });
  return {
    fake,
    aws,
    net,
    done() {
      fake.uninstall();
      clock.setVirtual(false);
      clock.setScale(1);
    },
  };
}

/** Awaits a promise expected to reject and returns the AWS error code (the error `name`). */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).name;
  }
  throw new Error('expected the call to fail');
}

export const ASSUME_EC2 = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
