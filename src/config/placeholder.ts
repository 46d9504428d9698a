import type { VpcMirrorConfig } from './schema.js';

/**
 * The smallest valid config with every section (vpc-mirror has them all), with placeholder ids: init reads the
 * schema's defaults from it and checks one answer at a time against it.
 */
export const PLACEHOLDER_CONFIG = {
  deployment: 'placeholder',
  topology: 'vpc-mirror',
  vpcId: 'vpc-0123456789abcdef0',
  subnets: { loadBalancer: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] },
  mirror: { sources: [{ autoScalingGroup: 'placeholder' }] },
} as const;

export type PlaceholderConfig = VpcMirrorConfig;
