import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { API_ORIGIN, refreshPriceTable } from '../../src/account/price-table-refresh.js';
import { AwsClients } from '../../src/aws/clients.js';
import { SHIPPED_PRICES } from '../../src/cost/price-table.js';
import { renderPriceTable, type PriceTable } from '../../src/cost/price-table-types.js';
import { world, type World } from '../integration/harness.js';

let w: World | undefined;
afterEach(() => {
  w?.done();
  w = undefined;
});

/** The table a rendered price-table.ts declares (its object literal is JSON). */
const declared = (source: string): PriceTable => JSON.parse(/SHIPPED_PRICES: PriceTable = ([\s\S]*);\n$/.exec(source)![1]!) as PriceTable;

describe('npm run prices: the shipped price table refreshed from the Price List Query API', () => {
  it('asks the same regions and instance types as the shipped table, and names every price that changed', async () => {
    w = await world();
    const current: PriceTable = { date: '2025', origin: 'by hand', regions: { 'eu-west-1': { instanceHour: { 't3.medium': 0.0456, 't3.large': 0.09 }, loadBalancerHour: { application: 0.0252 } } } };
    const { table, changes } = await refreshPriceTable(new AwsClients({ region: 'eu-west-1' }), current, { today: '2026-11-30' });
    // The fake's eu-west-1 answers (test/fake-aws/pricing.ts), picked among decoys of other OSes, tenancies and regions.
    expect(table).toEqual({
      date: '2026-11-30',
      origin: API_ORIGIN,
      regions: { 'eu-west-1': { instanceHour: { 't3.large': 0.0912, 't3.medium': 0.0456 }, loadBalancerHour: { application: 0.0252, network: 0.0252 }, mirrorSessionHour: 0.018 } },
    });
    expect(changes).toEqual([
      'eu-west-1 t3.large instance-hour: 0.09 → 0.0912',
      'eu-west-1 network load-balancer-hour: (none) → 0.0252',
      'eu-west-1 traffic mirror session-hour: (none) → 0.018',
    ]);
  });

  it('an instance type the price list does not have is left out and reported, never guessed', async () => {
    w = await world();
    const { table, changes } = await refreshPriceTable(new AwsClients({ region: 'eu-west-1' }), SHIPPED_PRICES, { regions: ['eu-west-1'], instanceTypes: ['t3.medium', 'm5.large'], today: '2026-11-30' });
    expect(table.regions['eu-west-1']!.instanceHour).toEqual({ 't3.medium': 0.0456 });
    expect(changes).toContain('eu-west-1 t3.small instance-hour: 0.0228 → (removed)');
    expect(changes.join('\n')).not.toContain('m5.large');
  });

  it('fails loudly when the Price List Query API does not answer (a refresh never keeps stale prices silently)', async () => {
    w = await world();
    w.fake.pricing.failure = { code: 'AccessDeniedException', message: 'User is not authorized to perform: pricing:GetProducts', status: 400 };
    await expect(refreshPriceTable(new AwsClients({ region: 'eu-west-1' }), SHIPPED_PRICES, { today: '2026-11-30' })).rejects.toThrow(/pricing:GetProducts/);
  });

  it('the shipped table is in the form the refresh writes, so a refresh diff shows only prices', () => {
    const source = readFileSync('src/cost/price-table.ts', 'utf8');
    expect(source).toBe(renderPriceTable(SHIPPED_PRICES));
    expect(declared(renderPriceTable(SHIPPED_PRICES))).toEqual(SHIPPED_PRICES);
  });
});
