/**
 * The plan's monthly cost estimate, derived from the planned graph's nodes by kind and count (never from
 * topology names): instances of each Auto Scaling group (instance type of its launch template × desired
 * capacity), load balancers (the hourly part; LCU / NLCU usage named, not guessed) and traffic mirror sessions
 * (per session-hour; the mirrored data named as "plus per-GB charges"). Prices come from a lookup: AWS's Price
 * List Query API (src/account/price-list.ts) or the table shipped in the repo (./price-table.ts).
 */
import type { Graph, ResourceNode } from '../engine/types.js';
import { isRef } from '../engine/types.js';
import { SHIPPED_PRICES } from './price-table.js';
import { PRICE_PAGES } from './price-table-types.js';

/** AWS's convention for monthly prices (the AWS Pricing Calculator uses 730 hours a month). */
export const HOURS_PER_MONTH = 730;

export type PriceKey =
  | { service: 'ec2'; instanceType: string }
  | { service: 'elb'; type: 'application' | 'network' }
  | { service: 'traffic-mirroring' };

export interface Quote {
  /** USD per hour (instance, load balancer or session). */
  hourly: number;
  /** When the price took effect (API) or when the table was taken (table). */
  date: string;
  /** Where it comes from: `AWS Price List Query API` or the shipped table. */
  source: string;
  /** The AWS pricing page a table price was taken from. */
  reference?: string;
}

export type Lookup = (key: PriceKey) => Promise<Quote | undefined>;

export interface CostLine {
  /** Logical id of the resource the line prices. */
  resource: string;
  /** e.g. `1 × t3.medium instance (node-asg, scales up to 3)`. */
  item: string;
  /** How many are billed (instances, load balancers, sessions); null when known only once resolved. */
  quantity: number | null;
  unit: 'instance-hour' | 'load-balancer-hour' | 'session-hour';
  /** USD per unit and hour, when priced. */
  hourlyPrice?: number;
  /** USD per month (quantity × hourly × 730), when priced and the quantity is known. */
  monthly?: number;
  source?: string;
  /** The AWS pricing page of a price from the shipped table. */
  reference?: string;
  priceDate?: string;
  /** Why the line has no monthly figure. */
  notPriced?: string;
}

export interface CostEstimate {
  currency: 'USD';
  hoursPerMonth: number;
  /** Sum of the priced lines: a lower bound when `complete` is false. */
  monthlyTotal: number;
  complete: boolean;
  /** "estimate, on-demand prices of <date>, <source>". */
  label: string;
  lines: CostLine[];
  /** Charges that depend on usage, named and not estimated. */
  usageCharges: string[];
}

type Billable =
  | { kind: 'instances'; node: ResourceNode; instanceType: string; count: number; max: number }
  | { kind: 'load-balancer'; node: ResourceNode; type: 'application' | 'network' }
  | { kind: 'sessions'; node: ResourceNode; count: number | undefined };

/** What the graph bills by the hour. */
export function billables(graph: Graph): Billable[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const out: Billable[] = [];
  for (const node of graph.nodes) {
    const p = node.props;
    if (node.kind === 'auto-scaling-group') {
      const template = isRef(p.launchTemplateId) ? byId.get(p.launchTemplateId.$ref) : undefined;
      const instanceType = template?.props.instanceType;
      if (typeof instanceType === 'string' && typeof p.desiredCapacity === 'number') {
        out.push({ kind: 'instances', node, instanceType, count: p.desiredCapacity, max: typeof p.maxSize === 'number' ? p.maxSize : p.desiredCapacity });
      }
    } else if (node.kind === 'load-balancer' && (p.type === 'application' || p.type === 'network')) {
      out.push({ kind: 'load-balancer', node, type: p.type });
    } else if (node.kind === 'traffic-mirror-session') {
      out.push({ kind: 'sessions', node, count: Array.isArray(p.networkInterfaceIds) ? p.networkInterfaceIds.length : undefined });
    }
  }
  return out;
}

const LB_NAME = { application: 'Application Load Balancer', network: 'Network Load Balancer' } as const;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const round2 = (n: number) => Math.round(n * 100) / 100;

export async function estimateCost(graph: Graph, lookup: Lookup): Promise<CostEstimate> {
  const items = billables(graph);
  // Every distinct price at once (the lookup caches): one round of calls, not one per line.
  await Promise.all(items.map((b) => lookup(b.kind === 'instances' ? { service: 'ec2', instanceType: b.instanceType } : b.kind === 'load-balancer' ? { service: 'elb', type: b.type } : { service: 'traffic-mirroring' })));
  const lines: CostLine[] = [];
  for (const b of items) {
    if (b.kind === 'instances') {
      const scales = b.max > b.count ? `, scales up to ${b.max}` : '';
      lines.push(priced({ resource: b.node.id, item: `${b.count} × ${b.instanceType} instance${b.count === 1 ? '' : 's'} (${b.node.id}${scales})`, quantity: b.count, unit: 'instance-hour' }, await lookup({ service: 'ec2', instanceType: b.instanceType }), `no on-demand price for ${b.instanceType}`));
    } else if (b.kind === 'load-balancer') {
      lines.push(priced({ resource: b.node.id, item: `1 × ${LB_NAME[b.type]} (${b.node.id})`, quantity: 1, unit: 'load-balancer-hour' }, await lookup({ service: 'elb', type: b.type }), `no hourly price for a ${LB_NAME[b.type]}`));
    } else {
      const quote = await lookup({ service: 'traffic-mirroring' });
      const line: CostLine = { resource: b.node.id, item: b.count === undefined ? `traffic mirror sessions (${b.node.id})` : `${plural(b.count, 'traffic mirror session')} (${b.node.id})`, quantity: b.count ?? null, unit: 'session-hour' };
      if (b.count === undefined) {
        lines.push({ ...withQuote(line, quote), notPriced: 'one session per eligible source interface, counted once mirror.sources is resolved (an online plan)' });
      } else {
        lines.push(priced(line, quote, 'no traffic mirroring session price'));
      }
    }
  }
  const usageCharges: string[] = [];
  if (items.some((b) => b.kind === 'load-balancer' && b.type === 'application')) usageCharges.push('LCU charges of the Application Load Balancer (usage-dependent)');
  if (items.some((b) => b.kind === 'load-balancer' && b.type === 'network')) usageCharges.push('NLCU charges of the Network Load Balancer (usage-dependent)');
  if (items.some((b) => b.kind === 'sessions')) usageCharges.push('per-GB charges for the mirrored traffic (usage-dependent)');
  if (items.some((b) => b.kind === 'instances')) usageCharges.push('EBS volumes of the instances and data transfer (not included)');
  const sources = [...new Set(lines.flatMap((l) => (l.source ? [`${l.priceDate}, ${l.source}`] : [])))];
  return {
    currency: 'USD',
    hoursPerMonth: HOURS_PER_MONTH,
    monthlyTotal: round2(lines.reduce((sum, l) => sum + (l.monthly ?? 0), 0)),
    complete: lines.every((l) => l.monthly !== undefined),
    label: sources.length ? `estimate, on-demand prices of ${sources.join('; ')}` : 'estimate: no price available',
    lines,
    usageCharges,
  };
}

function withQuote(line: CostLine, quote: Quote | undefined): CostLine {
  return quote ? { ...line, hourlyPrice: quote.hourly, source: quote.source, ...(quote.reference && { reference: quote.reference }), priceDate: quote.date } : line;
}

function priced(line: CostLine, quote: Quote | undefined, missing: string): CostLine {
  if (!quote) return { ...line, notPriced: `not priced: ${missing} in this region (neither AWS's price list nor the shipped table has it)` };
  return { ...withQuote(line, quote), monthly: round2((line.quantity ?? 0) * quote.hourly * HOURS_PER_MONTH) };
}

export const TABLE_SOURCE = `the price table shipped with wallarm-oob, ${SHIPPED_PRICES.origin}`;

/** Prices from the shipped table (offline plans, and the fallback when the API does not answer). */
export function tableQuote(region: string, key: PriceKey): Quote | undefined {
  const prices = SHIPPED_PRICES.regions[region];
  if (!prices) return undefined;
  const hourly = key.service === 'ec2' ? prices.instanceHour[key.instanceType] : key.service === 'elb' ? prices.loadBalancerHour[key.type] : prices.mirrorSessionHour;
  const reference = key.service === 'ec2' ? PRICE_PAGES.ec2 : key.service === 'elb' ? PRICE_PAGES.elb : PRICE_PAGES.vpc;
  return hourly === undefined ? undefined : { hourly, date: SHIPPED_PRICES.date, source: TABLE_SOURCE, reference };
}

export const tableLookup = (region: string): Lookup => (key) => Promise.resolve(tableQuote(region, key));
