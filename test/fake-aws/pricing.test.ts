import { afterEach, describe, expect, it } from 'vitest';
import { GetProductsCommand } from '@aws-sdk/client-pricing';
import { codeOf, fakeEnv, type FakeEnv } from './helpers.js';

let env: FakeEnv | undefined;
afterEach(() => env?.done());

const usageTypes = (list: unknown[] | undefined) => (list ?? []).map((e) => (JSON.parse(String(e)) as { product: { attributes: { usagetype: string } } }).product.attributes.usagetype).sort();

describe('fake pricing (Price List Query API)', () => {
  it('GetProducts: documented filter types and semantics, PriceList entries as JSON strings, pages of MaxResults', async () => {
    env = fakeEnv();
    const pricing = await env.aws.pricing('us-east-1');
    const elb = await pricing.send(new GetProductsCommand({ ServiceCode: 'AWSELB', Filters: [{ Type: 'TERM_MATCH', Field: 'regionCode', Value: 'eu-west-1' }, { Type: 'TERM_MATCH', Field: 'productFamily', Value: 'Load Balancer-Network' }] }));
    expect(usageTypes(elb.PriceList)).toEqual(['EU-LCUUsage', 'EU-LoadBalancerUsage']);
    const entry = JSON.parse(String(elb.PriceList![0])) as { terms: { OnDemand: Record<string, { priceDimensions: Record<string, { pricePerUnit: { USD: string } }> }> } };
    expect(Object.values(Object.values(entry.terms.OnDemand)[0]!.priceDimensions)[0]!.pricePerUnit.USD).toMatch(/^\d+\.\d{10}$/);

    const contains = await pricing.send(new GetProductsCommand({ ServiceCode: 'AmazonVPC', Filters: [{ Type: 'CONTAINS', Field: 'usagetype', Value: 'Mirror' }] }));
    expect(usageTypes(contains.PriceList)).toEqual(['EU-ENI-Mirror']);
    const anyOf = await pricing.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', Filters: [{ Type: 'ANY_OF', Field: 'operatingSystem', Value: 'Windows, RHEL' }] }));
    expect(anyOf.PriceList).toHaveLength(1);
    // A misspelt attribute matches nothing (it never widens the query).
    expect((await pricing.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', Filters: [{ Type: 'TERM_MATCH', Field: 'instancetype', Value: 't3.medium' }] }))).PriceList).toEqual([]);

    const first = await pricing.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', MaxResults: 3 }));
    expect(first.PriceList).toHaveLength(3);
    const second = await pricing.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', MaxResults: 3, NextToken: first.NextToken }));
    expect(second.PriceList!.length).toBeGreaterThan(0);
  });

  it('refuses what AWS refuses, and answers only at its own endpoints', async () => {
    env = fakeEnv();
    const pricing = await env.aws.pricing('us-east-1');
    expect(await codeOf(pricing.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', Filters: [{ Type: 'LIKE' as never, Field: 'instanceType', Value: 't3.*' }] })))).toBe('InvalidParameterException');
    expect(await codeOf(pricing.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', MaxResults: 101 })))).toBe('InvalidParameterException');
    expect(await codeOf(pricing.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2', NextToken: 'bogus' })))).toBe('InvalidNextTokenException');
    expect(await codeOf((await env.aws.pricing('eu-west-1')).send(new GetProductsCommand({ ServiceCode: 'AmazonEC2' })))).toBe('FakeAwsNoEndpoint');
    env.fake.pricing.failure = { code: 'AccessDeniedException', message: 'denied', status: 400 };
    expect(await codeOf(pricing.send(new GetProductsCommand({ ServiceCode: 'AmazonEC2' })))).toBe('AccessDeniedException');
  });
});
