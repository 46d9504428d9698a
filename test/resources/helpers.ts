import type { AwsClients } from '../../src/aws/clients.js';
import type { ResourceContext } from '../../src/resources/types.js';
import { MANAGED_BY, TAG_DEPLOYMENT, TAG_LOGICAL_ID, TAG_MANAGED_BY } from '../../src/resources/types.js';
import { clock } from '../../src/util/clock.js';
import { fakeEnv, type FakeEnv } from '../fake-aws/helpers.js';

export const DEPLOYMENT = 'd1';

export interface TestContext extends ResourceContext {
  readonly logs: string[];
}

/** A handler context as the engine builds it: full tag set, a stable client token, logs captured. */
export function context(aws: AwsClients, logicalId: string, opts: { waitForCapacity?: boolean; deployment?: string; signal?: AbortSignal } = {}): TestContext {
  const deployment = opts.deployment ?? DEPLOYMENT;
  const logs: string[] = [];
  return {
    aws,
    deployment,
    logicalId,
    tags: { team: 'security', [TAG_DEPLOYMENT]: deployment, [TAG_LOGICAL_ID]: logicalId, [TAG_MANAGED_BY]: MANAGED_BY },
    clientToken: `${deployment}-${logicalId}-token`,
    waitForCapacity: opts.waitForCapacity ?? false,
    log: (m) => logs.push(m),
    logs,
    signal: opts.signal,
  };
}

/** The fake with the standard account, simulated time shrunk 1000x (a 3-minute LB provisioning takes 180 ms). */
export function env(scale = 0.001): FakeEnv {
  const e = fakeEnv();
  clock.setScale(scale);
  return e;
}
