import type { ResourceKind } from '../engine/types.js';

/**
 * The kinds of resources each topology's planner can create: destroy looks for leftovers of these kinds
 * only (a web-server-mirror deployment never lists traffic mirror sessions). A kind added to a planner
 * must be added here (test/core/topology-kinds.test.ts checks the planners against this table).
 */
export const KINDS_BY_TOPOLOGY: Readonly<Record<string, readonly ResourceKind[]>> = {
  'web-server-mirror': [
    'iam-role',
    'iam-instance-profile',
    'security-group',
    'launch-template',
    'load-balancer',
    'target-group',
    'listener',
    'auto-scaling-group',
    'scaling-policy',
  ],
  'vpc-mirror': [
    'iam-role',
    'iam-instance-profile',
    'security-group',
    'launch-template',
    'load-balancer',
    'target-group',
    'listener',
    'auto-scaling-group',
    'scaling-policy',
    'traffic-mirror-filter',
    'traffic-mirror-target',
    'traffic-mirror-session',
  ],
};
