/**
 * On-demand prices shipped with wallarm-oob, for `plan --offline` and for when AWS's Price List Query API does not
 * answer. USD per hour, Linux, shared tenancy. Each value is the one AWS's public pricing page (named per entry)
 * showed in 2025; AWS changes prices rarely, but re-check them against those pages when updating this table.
 * A region or item missing here is reported as "not priced": never a guess.
 */
export const PRICE_TABLE_DATE = '2025';

export const PRICE_PAGES = {
  ec2: 'https://aws.amazon.com/ec2/pricing/on-demand/',
  elb: 'https://aws.amazon.com/elasticloadbalancing/pricing/',
  vpc: 'https://aws.amazon.com/vpc/pricing/',
} as const;

export interface RegionPrices {
  /** EC2 instance hour by instance type (Linux, Shared tenancy, no pre-installed software). */
  instanceHour: Record<string, number>;
  /** Load balancer hour (the fixed part; LCU / NLCU usage is charged on top). */
  loadBalancerHour: { application?: number; network?: number };
  /** Traffic mirroring: per session (source ENI) and hour. */
  mirrorSessionHour?: number;
}

export const PRICE_TABLE: Record<string, RegionPrices> = {
  'us-east-1': {
    instanceHour: { 't3.small': 0.0208, 't3.medium': 0.0416, 't3.large': 0.0832 },
    loadBalancerHour: { application: 0.0225, network: 0.0225 },
    mirrorSessionHour: 0.015,
  },
  'eu-west-1': {
    instanceHour: { 't3.small': 0.0228, 't3.medium': 0.0456, 't3.large': 0.0912 },
    loadBalancerHour: { application: 0.0252, network: 0.0252 },
  },
  'eu-central-1': {
    instanceHour: { 't3.small': 0.024, 't3.medium': 0.048, 't3.large': 0.096 },
    loadBalancerHour: { application: 0.027, network: 0.027 },
  },
};
