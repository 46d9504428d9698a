import { afterEach, describe, expect, it } from 'vitest';
import { hasChanges } from '../../src/engine/plan.js';
import { world, type World } from './harness.js';

let w: World | undefined;
afterEach(() => w?.done());

const HTML = { statusCode: 501, headers: { 'content-type': 'text/html' }, body: '<html><head><title>501 Not Implemented</title></head><body>no</body></html>' };

describe('an endpoint lacking a call (emulator, proxy page)', () => {
  it('an optional read (instance refreshes) degrades to a warning naming the call; the plan still works', async () => {
    w = await world();
    await w.apply();
    w.fake.answerRaw('DescribeInstanceRefreshes', HTML);
    const plan = await w.plan();
    expect(hasChanges(plan)).toBe(false);
    expect(plan.notes.join('\n')).toMatch(/DescribeInstanceRefreshes is not available at this endpoint \(HTTP 501\): the plan cannot show instance refreshes of wallarm-oob-shop-oob-nodes/);
  });

  it('a read needed for correctness fails with one plain sentence, no parser text', async () => {
    w = await world();
    await w.apply();
    w.fake.answerRaw('DescribeAutoScalingGroups', { ...HTML, statusCode: 500 });
    process.env.AWS_MAX_ATTEMPTS = '1';
    try {
      const error = (await w.plan().then(
        () => undefined,
        (e: unknown) => e,
      )) as Error;
      expect(error.message).toMatch(/^AutoScaling DescribeAutoScalingGroups at .* answered HTTP 500 with an HTML page/);
      expect(error.message).not.toMatch(/XML|Deserialization|\$response/);
    } finally {
      delete process.env.AWS_MAX_ATTEMPTS;
    }
  });
});
