/**
 * Prices from AWS's Price List Query API (GetProducts), cached for the run, with the shipped table as the
 * fallback. A price call is an optional read: whatever goes wrong (no pricing:GetProducts permission, no
 * endpoint, an emulator without the service) costs a note, never the plan.
 *
 * Filters are TERM_MATCH on attribute names AWS documents for each service (DescribeServices lists them,
 * GetAttributeValues their values; docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-price-list-query-api.html
 * shows AmazonEC2 queried by `instanceType`, `operatingSystem`, `tenancy`, `preInstalledSw`, `capacitystatus` and
 * `regionCode`). Usage types are region-prefixed (`EU-LoadBalancerUsage`, `USE1-…`, none in us-east-1), so they
 * are matched on the client by suffix / substring instead of a filter:
 * - AmazonEC2: `BoxUsage` (the on-demand instance hour);
 * - AWSELB: `productFamily` `Load Balancer-Application` / `Load Balancer-Network`, usage type `…LoadBalancerUsage`
 *   (the hourly part; `…LCUUsage` is the usage-dependent part);
 * - AmazonVPC: usage type `…ENI-Mirror` (a traffic mirroring session hour on an ENI).
 */
import { GetProductsCommand, type Filter } from '@aws-sdk/client-pricing';
import { awsMessage } from '../aws/errors.js';
import type { AwsClients } from '../aws/clients.js';
import { tableQuote, type Lookup, type PriceKey, type Quote } from '../cost/estimate.js';
import { SHIPPED_PRICES } from '../cost/price-table.js';
import type { RegionPrices } from '../cost/price-table-types.js';
import { anyResource, type IamGrants } from '../iam/grants.js';

/** plan's cost estimate (pricing:GetProducts supports no resource-level permissions). */
export const iam: IamGrants = [anyResource('pricing:GetProducts')];

export const API_SOURCE = 'AWS Price List Query API';
/** Pages of 100 products read at most for one price (AmazonVPC by region is the largest query). */
const MAX_PAGES = 10;

/** The Price List Query API endpoint nearest to a region (it serves every region's prices from each). */
export function pricingEndpointRegion(region: string): string {
  if (/^(eu|me|af|il)-/.test(region)) return 'eu-central-1';
  if (/^ap-/.test(region)) return 'ap-south-1';
  return 'us-east-1';
}

interface Query {
  serviceCode: string;
  filters: Record<string, string>;
  usageType: (usageType: string) => boolean;
  what: string;
}

function queryFor(region: string, key: PriceKey): Query {
  if (key.service === 'ec2') {
    return {
      serviceCode: 'AmazonEC2',
      filters: { regionCode: region, instanceType: key.instanceType, operatingSystem: 'Linux', tenancy: 'Shared', preInstalledSw: 'NA', capacitystatus: 'Used' },
      usageType: (u) => u.includes('BoxUsage'),
      what: `${key.instanceType} instance`,
    };
  }
  if (key.service === 'elb') {
    return {
      serviceCode: 'AWSELB',
      filters: { regionCode: region, productFamily: key.type === 'application' ? 'Load Balancer-Application' : 'Load Balancer-Network' },
      usageType: (u) => u.endsWith('LoadBalancerUsage'),
      what: `${key.type === 'application' ? 'Application' : 'Network'} Load Balancer hour`,
    };
  }
  return { serviceCode: 'AmazonVPC', filters: { regionCode: region }, usageType: (u) => u.endsWith('ENI-Mirror'), what: 'traffic mirroring session hour' };
}

interface PriceListItem {
  product?: { attributes?: Record<string, string> };
  terms?: { OnDemand?: Record<string, { effectiveDate?: string; priceDimensions?: Record<string, { unit?: string; pricePerUnit?: Record<string, string> }> }> };
}

/** The on-demand hourly USD price of one PriceList entry (a JSON string, as AWS returns them). */
export function hourlyPrice(entry: string): { hourly: number; date?: string; usageType: string } | undefined {
  const item = JSON.parse(entry) as PriceListItem;
  const usageType = item.product?.attributes?.usagetype ?? '';
  for (const term of Object.values(item.terms?.OnDemand ?? {})) {
    for (const dim of Object.values(term.priceDimensions ?? {})) {
      const usd = Number(dim.pricePerUnit?.USD);
      if (/^hrs?$|^hours?$/i.test(dim.unit ?? '') && Number.isFinite(usd)) return { hourly: usd, date: term.effectiveDate?.slice(0, 10), usageType };
    }
  }
  return undefined;
}

/**
 * A lookup that asks the Price List Query API once per price for this run and falls back to the shipped table;
 * `note` receives one sentence per price it could not get from AWS.
 */
export function priceListLookup(aws: AwsClients, region: string, note: (message: string) => void): Lookup {
  const cache = new Map<string, Promise<Quote | undefined>>();
  let unavailable: string | undefined;
  const ask = async (key: PriceKey): Promise<Quote | undefined> => {
    const q = queryFor(region, key);
    if (unavailable === undefined) {
      try {
        const found = await fromApi(aws, q);
        if (found) return found;
        note(`AWS's price list has no on-demand ${q.what} in ${region}: ${tableQuote(region, key) ? `priced from the shipped table (${SHIPPED_PRICES.date})` : 'not priced'}.`);
      } catch (error) {
        unavailable = awsMessage(error);
        note(`The AWS Price List Query API did not answer (${unavailable}); the cost estimate uses the price table shipped with wallarm-oob (${SHIPPED_PRICES.date}). It needs pricing:GetProducts.`);
      }
    }
    return tableQuote(region, key);
  };
  return (key) => {
    const id = JSON.stringify(key);
    let pending = cache.get(id);
    if (!pending) cache.set(id, (pending = ask(key)));
    return pending;
  };
}

async function fromApi(aws: AwsClients, q: Query): Promise<Quote | undefined> {
  const client = await aws.pricing(pricingEndpointRegion(q.filters.regionCode!));
  const Filters: Filter[] = Object.entries(q.filters).map(([Field, Value]) => ({ Type: 'TERM_MATCH', Field, Value }));
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await client.send(new GetProductsCommand({ ServiceCode: q.serviceCode, Filters, FormatVersion: 'aws_v1', MaxResults: 100, NextToken: token }));
    for (const entry of out.PriceList ?? []) {
      const price = hourlyPrice(String(entry));
      if (price && q.usageType(price.usageType)) return { hourly: price.hourly, date: price.date ?? 'unknown date', source: API_SOURCE };
    }
    token = out.NextToken;
    if (!token) break;
  }
  return undefined;
}

/**
 * One region's prices as the shipped table holds them, asked from the Price List Query API (for `npm run prices`).
 * Unlike a plan's lookup, failures are errors: a table refresh must not silently keep or drop a price.
 */
export async function fetchRegionPrices(aws: AwsClients, region: string, instanceTypes: readonly string[]): Promise<RegionPrices> {
  const ask = (key: PriceKey) => fromApi(aws, queryFor(region, key)).then((quote) => quote?.hourly);
  const [types, application, network, mirror] = await Promise.all([
    Promise.all(instanceTypes.map(async (t) => [t, await ask({ service: 'ec2', instanceType: t })] as const)),
    ask({ service: 'elb', type: 'application' }),
    ask({ service: 'elb', type: 'network' }),
    ask({ service: 'traffic-mirroring' }),
  ]);
  const instanceHour = Object.fromEntries(types.filter((entry): entry is readonly [string, number] => entry[1] !== undefined));
  return {
    instanceHour,
    loadBalancerHour: { ...(application !== undefined && { application }), ...(network !== undefined && { network }) },
    ...(mirror !== undefined && { mirrorSessionHour: mirror }),
  };
}
