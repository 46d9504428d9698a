/**
 * Rewrites src/cost/price-table.ts from AWS's Price List Query API (needs credentials with pricing:GetProducts).
 *   npm run prices [-- --regions us-east-1,eu-west-1] [--instance-types t3.small,t3.medium] [--profile NAME] [--check]
 * --check writes nothing and exits 1 when a shipped price differs from AWS's.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { refreshPriceTable } from '../src/account/price-table-refresh.js';
import { AwsClients } from '../src/aws/clients.js';
import { awsMessage } from '../src/aws/errors.js';
import { SHIPPED_PRICES } from '../src/cost/price-table.js';
import { renderPriceTable } from '../src/cost/price-table-types.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: { regions: { type: 'string' }, 'instance-types': { type: 'string' }, profile: { type: 'string' }, check: { type: 'boolean', default: false } },
});
const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);

const refreshed = await refreshPriceTable(new AwsClients({ profile: values.profile }), SHIPPED_PRICES, {
  regions: list(values.regions),
  instanceTypes: list(values['instance-types']),
  today: new Date().toISOString().slice(0, 10),
}).catch((error: unknown) => {
  console.error(`The Price List Query API did not answer: ${awsMessage(error)}. It needs credentials allowed pricing:GetProducts (--profile NAME).`);
  process.exit(1);
});
const { table, changes } = refreshed;
console.log(changes.length ? changes.join('\n') : 'Every shipped price matches the Price List Query API.');
if (values.check) {
  process.exitCode = changes.length ? 1 : 0;
} else {
  writeFileSync(new URL('../src/cost/price-table.ts', import.meta.url), renderPriceTable(table));
  console.log(`Wrote src/cost/price-table.ts (${Object.keys(table.regions).length} regions, prices of ${table.date}).`);
}
