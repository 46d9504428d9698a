/**
 * `npm run prices`: the shipped price table (src/cost/price-table.ts) asked anew from AWS's Price List Query API,
 * for the same regions and instance types unless told otherwise, with the list of prices that changed.
 */
import type { AwsClients } from '../aws/clients.js';
import type { PriceTable, RegionPrices } from '../cost/price-table-types.js';
import { fetchRegionPrices } from './price-list.js';

export const API_ORIGIN = "AWS's Price List Query API, by `npm run prices`";

export interface Refresh {
  table: PriceTable;
  /** One line per price added, changed or gone, e.g. `eu-west-1 t3.medium instance-hour: 0.0456 → 0.0464`. */
  changes: string[];
}

export async function refreshPriceTable(aws: AwsClients, current: PriceTable, options: { regions?: string[]; instanceTypes?: string[]; today: string }): Promise<Refresh> {
  const regions = options.regions ?? Object.keys(current.regions);
  const instanceTypes = options.instanceTypes ?? [...new Set(Object.values(current.regions).flatMap((r) => Object.keys(r.instanceHour)))].sort();
  const fetched = await Promise.all(regions.map(async (region) => [region, await fetchRegionPrices(aws, region, instanceTypes)] as const));
  const table: PriceTable = { date: options.today, origin: API_ORIGIN, regions: Object.fromEntries(fetched) };
  const changes = fetched.flatMap(([region, prices]) => compare(region, current.regions[region], prices));
  return { table, changes };
}

function flatten(prices: RegionPrices | undefined): Map<string, number> {
  const out = new Map<string, number>();
  if (!prices) return out;
  for (const [type, usd] of Object.entries(prices.instanceHour)) out.set(`${type} instance-hour`, usd);
  for (const [type, usd] of Object.entries(prices.loadBalancerHour)) if (usd !== undefined) out.set(`${type} load-balancer-hour`, usd);
  if (prices.mirrorSessionHour !== undefined) out.set('traffic mirror session-hour', prices.mirrorSessionHour);
  return out;
}

function compare(region: string, before: RegionPrices | undefined, after: RegionPrices): string[] {
  const old = flatten(before);
  const now = flatten(after);
  const lines: string[] = [];
  for (const item of new Set([...old.keys(), ...now.keys()])) {
    const a = old.get(item);
    const b = now.get(item);
    if (a === b) continue;
    lines.push(`${region} ${item}: ${a === undefined ? '(none)' : a} → ${b === undefined ? '(removed)' : b}`);
  }
  return lines;
}
