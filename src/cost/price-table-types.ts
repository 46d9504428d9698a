/** The shape of the price table shipped with wallarm-oob (src/cost/price-table.ts, written by `npm run prices`). */
export interface RegionPrices {
  /** EC2 instance hour by instance type (Linux, Shared tenancy, no pre-installed software). */
  instanceHour: Record<string, number>;
  /** Load balancer hour (the fixed part; LCU / NLCU usage is charged on top). */
  loadBalancerHour: { application?: number; network?: number };
  /** Traffic mirroring: per session (source ENI) and hour. */
  mirrorSessionHour?: number;
}

export interface PriceTable {
  /** When the prices were taken (YYYY or YYYY-MM-DD). */
  date: string;
  /** How they were taken, as the plan's cost label shows it. */
  origin: string;
  regions: Record<string, RegionPrices>;
}

export const PRICE_PAGES = {
  ec2: 'https://aws.amazon.com/ec2/pricing/on-demand/',
  elb: 'https://aws.amazon.com/elasticloadbalancing/pricing/',
  vpc: 'https://aws.amazon.com/vpc/pricing/',
} as const;

/** The source of src/cost/price-table.ts for a table: one canonical form, so a refresh's diff is only its prices. */
export function renderPriceTable(table: PriceTable): string {
  return `/**
 * On-demand prices shipped with wallarm-oob, for \`plan --offline\` and for when AWS's Price List Query API does not
 * answer. USD per hour, Linux, shared tenancy. A region or item missing here is reported as "not priced": never a
 * guess. Written by \`npm run prices\` (scripts/refresh-prices.ts), which asks the Price List Query API with your
 * credentials: re-run it rather than editing the values by hand.
 */
import type { PriceTable } from './price-table-types.js';

export const SHIPPED_PRICES: PriceTable = ${JSON.stringify(table, null, 2)};
`;
}
