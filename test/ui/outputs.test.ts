import { describe, expect, it } from 'vitest';
import { formatOutputs } from '../../src/ui/outputs.js';

const HEALTH = { total: 1, healthy: 1, states: { healthy: 1 } };

describe('formatOutputs', () => {
  it('web-server-mirror: suggests mirror-config', () => {
    expect(formatOutputs({ mirrorEndpoint: 'http://x:8445' }, HEALTH, { topology: 'web-server-mirror' })).toContain('wallarm-oob mirror-config nginx');
  });

  it('vpc-mirror with goreplay: marks it legacy and never suggests mirror-config, though the ALB endpoint is an output', () => {
    const text = formatOutputs({ mirrorEndpoint: 'http://x:8445', sessionCount: 2 }, HEALTH, { topology: 'vpc-mirror', mirror: { receiver: 'goreplay', sessions: 2, eligible: 2 } });
    expect(text).toContain('Receiver: goreplay (legacy: Wallarm withdrew this design; use it only where the Native Node cannot run)');
    expect(text).toContain('Mirror sessions: 2 of 2 eligible network interfaces');
    expect(text).not.toContain('mirror-config');
  });
});
