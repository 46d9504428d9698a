import { afterEach, describe, expect, it } from 'vitest';
import { captureDebugLog, enableDebugLog } from '../../src/util/debug-log.js';
import { world } from '../integration/harness.js';

describe('--debug AWS call trace', () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
    enableDebugLog(false);
  });

  it('prints one line per attempt with service, operation, attempt, ms and the error code, and no secret', async () => {
    const w = await world();
    const lines: string[] = [];
    restore = captureDebugLog((line) => lines.push(line));
    enableDebugLog();
    w.fake.throttle(1, { commands: ['DescribeVpcs'], limit: 1 });

    await w.plan();

    const vpcs = lines.filter((l) => l.includes('operation=DescribeVpcs'));
    expect(vpcs[0]).toMatch(/^\[debug\] aws service=EC2 operation=DescribeVpcs attempt=1 ms=\d+ error=\w+/);
    expect(vpcs[1]).toMatch(/^\[debug\] aws service=EC2 operation=DescribeVpcs attempt=2 ms=\d+$/);
    expect(lines.some((l) => l.includes('service=SSM operation=GetParameter'))).toBe(true);
    expect(lines.join('\n')).not.toContain('node-token-from-ssm');
  });

  it('is silent without --debug', async () => {
    const w = await world();
    const lines: string[] = [];
    restore = captureDebugLog((line) => lines.push(line));
    await w.plan();
    expect(lines).toEqual([]);
  });
});

describe('--debug executor trace', () => {
  afterEach(() => enableDebugLog(false));

  it('says which steps were blocked on what, which started, and which were skipped after a failure', async () => {
    const w = await world();
    const lines: string[] = [];
    const restore = captureDebugLog((line) => lines.push(line));
    enableDebugLog();
    try {
      w.fake.failAtMutation(1, { match: 'CreateAutoScalingGroup', mode: 'before' });
      await w.apply().catch(() => undefined);
    } finally {
      restore();
    }
    const executor = lines.filter((l) => l.startsWith('[debug] executor '));
    expect(executor).toContainEqual(expect.stringMatching(/^\[debug\] executor step=node-asg action=create decision=blocked waitsFor=\S*node-launch-template/));
    expect(executor).toContainEqual(expect.stringMatching(/^\[debug\] executor step=node-asg action=create decision=ready running=\d+$/));
    expect(executor).toContainEqual('[debug] executor step=node-cpu-policy action=create decision=skipped because=node-asg failed');
  });
});
