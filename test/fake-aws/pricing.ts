/**
 * AWS Price List Query API (service `pricing`): GetProducts and DescribeServices over a small catalogue of
 * products, each returned as AWS does, a JSON string per product with its on-demand terms.
 * Filter semantics as documented for `Filter.Type` (API_pricing_Filter): TERM_MATCH / EQUALS (the field equals
 * the value), CONTAINS (substring), ANY_OF / NONE_OF (comma-separated values); a field may be `ServiceCode` or an
 * attribute name of the service (`productFamily` included); a product matches only when every filter matches.
 */
import type * as P from '@aws-sdk/client-pricing';
import { awsError } from './errors.js';
import type { World } from './world.js';

type Out<T> = Omit<T, '$metadata'>;

/** The Price List Query API's endpoints (docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-price-list-query-api.html). */
export const PRICING_ENDPOINT_REGIONS = ['us-east-1', 'eu-central-1', 'ap-south-1'] as const;

const FILTER_TYPES = new Set(['TERM_MATCH', 'EQUALS', 'CONTAINS', 'ANY_OF', 'NONE_OF']);
const MAX_RESULTS = 100;

/** Attribute names per service (what DescribeServices lists; the subset the catalogue uses). */
const ATTRIBUTES: Record<string, string[]> = {
  AmazonEC2: ['productFamily', 'regionCode', 'location', 'locationType', 'instanceType', 'operatingSystem', 'tenancy', 'preInstalledSw', 'capacitystatus', 'licenseModel', 'usagetype', 'operation', 'servicecode'],
  AWSELB: ['productFamily', 'regionCode', 'location', 'locationType', 'groupDescription', 'usagetype', 'operation', 'servicecode'],
  AmazonVPC: ['productFamily', 'regionCode', 'location', 'locationType', 'group', 'groupDescription', 'usagetype', 'operation', 'servicecode'],
};

export interface ProductRec {
  sku: string;
  serviceCode: string;
  productFamily: string;
  attributes: Record<string, string>;
  /** USD per unit. */
  usd: string;
  unit: string;
  description: string;
  effectiveDate: string;
}

export class PricingModel {
  readonly products: ProductRec[] = [];
  /** When set, every pricing call fails with this error (e.g. AccessDeniedException: no pricing:GetProducts). */
  failure: { code: string; message: string; status: number } | undefined;
  private skuCounter = 0;

  constructor(private readonly w: World) {}

  addProduct(p: Omit<ProductRec, 'sku' | 'effectiveDate' | 'unit' | 'description'> & Partial<Pick<ProductRec, 'effectiveDate' | 'unit' | 'description'>>): ProductRec {
    this.skuCounter++;
    const rec: ProductRec = {
      sku: `FAKESKU${this.skuCounter.toString().padStart(9, '0')}`,
      effectiveDate: '2026-11-01T00:00:00Z',
      unit: 'Hrs',
      description: `$${p.usd} per hour`,
      ...p,
      attributes: { servicecode: p.serviceCode, ...p.attributes },
    };
    this.products.push(rec);
    return rec;
  }

  /** What the Price List Query API answers for the fake's region, and decoys a loose query would pick up. */
  seedStandardPrices(): void {
    const region = this.w.region;
    const other = region === 'us-east-1' ? 'eu-west-1' : 'us-east-1';
    const prefix = region === 'us-east-1' ? '' : 'EU-';
    const ec2 = (r: string, instanceType: string, usd: string, extra: Record<string, string> = {}) =>
      this.addProduct({
        serviceCode: 'AmazonEC2',
        productFamily: 'Compute Instance',
        usd,
        attributes: { regionCode: r, instanceType, operatingSystem: 'Linux', tenancy: 'Shared', preInstalledSw: 'NA', capacitystatus: 'Used', licenseModel: 'No License required', usagetype: `${r === 'us-east-1' ? '' : prefix}BoxUsage:${instanceType}`, operation: 'RunInstances', ...extra },
      });
    ec2(region, 't3.medium', '0.0456000000');
    ec2(region, 't3.small', '0.0228000000');
    ec2(region, 't3.large', '0.0912000000');
    ec2(region, 't3.medium', '0.0640000000', { operatingSystem: 'Windows', operation: 'RunInstances:0002' });
    ec2(region, 't3.medium', '0.0502000000', { tenancy: 'Dedicated', usagetype: `${prefix}DedicatedUsage:t3.medium` });
    ec2(region, 't3.medium', '0.0000000000', { capacitystatus: 'UnusedCapacityReservation', usagetype: `${prefix}UnusedBox:t3.medium` });
    ec2(region, 't3.medium', '0.0756000000', { preInstalledSw: 'SQL Web' });
    ec2(other, 't3.medium', '0.0416000000');
    const elb = (family: string, usagetype: string, usd: string, unit = 'Hrs') =>
      this.addProduct({ serviceCode: 'AWSELB', productFamily: family, usd, unit, attributes: { regionCode: region, locationType: 'AWS Region', usagetype: `${prefix}${usagetype}` } });
    elb('Load Balancer-Application', 'LoadBalancerUsage', '0.0252000000');
    elb('Load Balancer-Application', 'LCUUsage', '0.0080000000', 'LCU-Hrs');
    elb('Load Balancer-Network', 'LoadBalancerUsage', '0.0252000000');
    elb('Load Balancer-Network', 'LCUUsage', '0.0060000000', 'LCU-Hrs');
    elb('Load Balancer', 'LoadBalancerUsage', '0.0280000000');
    const vpc = (family: string, usagetype: string, usd: string, unit = 'Hrs') =>
      this.addProduct({ serviceCode: 'AmazonVPC', productFamily: family, usd, unit, attributes: { regionCode: region, locationType: 'AWS Region', usagetype: `${prefix}${usagetype}` } });
    vpc('VpcEndpoint', 'VpcEndpoint-Hours', '0.0110000000');
    vpc('Traffic Mirroring', 'ENI-Mirror', '0.0180000000');
    vpc('VpcEndpoint', 'VpcEndpoint-Bytes', '0.0100000000', 'GB');
  }

  private check(): void {
    if (this.failure) throw awsError(this.failure.code, this.failure.message, this.failure.status);
  }

  DescribeServices(input: P.DescribeServicesCommandInput): Out<P.DescribeServicesCommandOutput> {
    this.check();
    const codes = input.ServiceCode ? [input.ServiceCode] : Object.keys(ATTRIBUTES);
    for (const c of codes) if (!ATTRIBUTES[c]) throw awsError('NotFoundException', `Service ${c} not found.`);
    return { FormatVersion: 'aws_v1', Services: codes.map((ServiceCode) => ({ ServiceCode, AttributeNames: [...ATTRIBUTES[ServiceCode]!] })) };
  }

  GetProducts(input: P.GetProductsCommandInput): Out<P.GetProductsCommandOutput> {
    this.check();
    if (!input.ServiceCode) throw awsError('InvalidParameterException', 'ServiceCode is required.');
    if (!ATTRIBUTES[input.ServiceCode]) throw awsError('NotFoundException', `Service ${input.ServiceCode} not found.`);
    if (input.FormatVersion !== undefined && input.FormatVersion !== 'aws_v1') throw awsError('InvalidParameterException', `FormatVersion ${input.FormatVersion} is not supported: use aws_v1.`);
    const max = input.MaxResults ?? MAX_RESULTS;
    if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS) throw awsError('InvalidParameterException', `MaxResults must be between 1 and ${MAX_RESULTS}.`);
    for (const f of input.Filters ?? []) {
      if (!f.Type || !FILTER_TYPES.has(f.Type)) throw awsError('InvalidParameterException', `Filter Type ${String(f.Type)} is not valid: use one of ${[...FILTER_TYPES].join(', ')}.`);
      if (!f.Field || f.Field.length > 1024) throw awsError('InvalidParameterException', 'Filter Field must be 1-1024 characters.');
      if (f.Value === undefined) throw awsError('InvalidParameterException', 'Filter Value is required.');
    }
    const matching = this.products.filter((p) => p.serviceCode === input.ServiceCode && (input.Filters ?? []).every((f) => matches(p, f)));
    const start = input.NextToken === undefined ? 0 : Number(/^page-(\d+)$/.exec(input.NextToken)?.[1] ?? NaN);
    if (!Number.isInteger(start) || start < 0 || start > matching.length) throw awsError('InvalidNextTokenException', 'The pagination token is invalid.');
    const page = matching.slice(start, start + max);
    const next = start + max < matching.length ? `page-${start + max}` : undefined;
    return { FormatVersion: 'aws_v1', PriceList: page.map(priceListEntry), ...(next && { NextToken: next }) };
  }
}

function fieldValue(p: ProductRec, field: string): string | undefined {
  if (field === 'ServiceCode') return p.serviceCode;
  if (field === 'productFamily') return p.productFamily;
  return p.attributes[field];
}

function matches(p: ProductRec, f: P.Filter): boolean {
  const actual = fieldValue(p, f.Field!);
  if (actual === undefined) return f.Type === 'NONE_OF';
  const value = f.Value!;
  switch (f.Type) {
    case 'TERM_MATCH':
    case 'EQUALS':
      return actual === value;
    case 'CONTAINS':
      return actual.includes(value);
    case 'ANY_OF':
      return value.split(',').map((v) => v.trim()).includes(actual);
    case 'NONE_OF':
      return !value.split(',').map((v) => v.trim()).includes(actual);
    default:
      return false;
  }
}

/** One PriceList entry, shaped like AWS's (product, serviceCode, terms.OnDemand with one price dimension). */
function priceListEntry(p: ProductRec): string {
  const term = `${p.sku}.JRTCKXETXF`;
  return JSON.stringify({
    product: { productFamily: p.productFamily, attributes: p.attributes, sku: p.sku },
    serviceCode: p.serviceCode,
    terms: {
      OnDemand: {
        [term]: {
          priceDimensions: {
            [`${term}.6YS6EN2CT7`]: { unit: p.unit, endRange: 'Inf', description: p.description, appliesTo: [], rateCode: `${term}.6YS6EN2CT7`, beginRange: '0', pricePerUnit: { USD: p.usd } },
          },
          sku: p.sku,
          effectiveDate: p.effectiveDate,
          offerTermCode: 'JRTCKXETXF',
          termAttributes: {},
        },
      },
    },
    version: p.effectiveDate.replace(/\D/g, '').slice(0, 14),
    publicationDate: p.effectiveDate,
  });
}
