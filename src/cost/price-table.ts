/**
 * On-demand prices shipped with wallarm-oob, for `plan --offline` and for when AWS's Price List Query API does not
 * answer. USD per hour, Linux, shared tenancy. A region or item missing here is reported as "not priced": never a
 * guess. Written by `npm run prices` (scripts/refresh-prices.ts), which asks the Price List Query API with your
 * credentials: re-run it rather than editing the values by hand.
 */
import type { PriceTable } from './price-table-types.js';

export const SHIPPED_PRICES: PriceTable = {
  "date": "2025",
  "origin": "recorded by hand from AWS's pricing pages, not re-checked since",
  "regions": {
    "us-east-1": {
      "instanceHour": {
        "t3.small": 0.0208,
        "t3.medium": 0.0416,
        "t3.large": 0.0832
      },
      "loadBalancerHour": {
        "application": 0.0225,
        "network": 0.0225
      },
      "mirrorSessionHour": 0.015
    },
    "eu-west-1": {
      "instanceHour": {
        "t3.small": 0.0228,
        "t3.medium": 0.0456,
        "t3.large": 0.0912
      },
      "loadBalancerHour": {
        "application": 0.0252,
        "network": 0.0252
      }
    },
    "eu-central-1": {
      "instanceHour": {
        "t3.small": 0.024,
        "t3.medium": 0.048,
        "t3.large": 0.096
      },
      "loadBalancerHour": {
        "application": 0.027,
        "network": 0.027
      }
    }
  }
};
