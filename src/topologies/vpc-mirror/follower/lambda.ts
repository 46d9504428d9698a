/**
 * Entry point of the follower Lambda function (bundled by scripts/build-follower.mjs into
 * dist/follower/function.zip; handler `index.handler`, runtime nodejs22.x, which provides the SDK v3 clients).
 * It runs the project's own session reconciliation (reconcile.ts) for the event, then records the run.
 */
import { AwsClients } from '../../../aws/clients.js';
import { lastRunTags } from './tags.js';
import { writeLastRun } from './last-run.js';
import { reconcile, type FollowerReport } from './reconcile.js';
import { settingsFromEnv, triggerOf } from './settings.js';

export async function handler(event: unknown): Promise<FollowerReport> {
  const settings = settingsFromEnv(process.env);
  // One set of clients per invocation: region and credentials come from the function's environment.
  const aws = new AwsClients({ region: process.env.AWS_REGION });
  const report = await reconcile(aws, settings, triggerOf(event));
  await writeLastRun(aws, settings.lastRunParameter, lastRunTags(settings), report);
  console.log(JSON.stringify(report));
  if (report.failed.length > 0) {
    // A failed asynchronous invocation is retried by Lambda; the scheduled reconcile catches up anyway.
    throw new Error(`${report.failed.length} call(s) failed; first: ${report.failed[0]!.code}: ${report.failed[0]!.message}`);
  }
  return report;
}
