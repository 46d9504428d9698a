/** The follower's last run, kept in a small SSM parameter the function writes (no secret in it). */
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { deleteParameter, parameterIsOurs } from '../../../account/parameters.js';
import type { AwsClients } from '../../../aws/clients.js';
import { hasCode, isNotFound } from '../../../aws/errors.js';
import type { FollowerReport } from './reconcile.js';
import { scoped, type IamGrants } from '../../../iam/grants.js';

/** Standard SSM parameters hold 4 KB. */
const VALUE_MAX = 4096;

/**
 * What the operator's runs call on the last-run parameter: `output` reads it, destroy checks its tags and deletes
 * it (the function writes it with its own role; see plan.ts).
 */
export const iam: IamGrants = [scoped('ssm:deployment-parameters', 'ssm:GetParameter', 'ssm:ListTagsForResource', 'ssm:DeleteParameter')];

export const lastRunParameterName = (deployment: string) => `/wallarm-oob/${deployment}/follower/last-run`;

/** The report as it fits a standard parameter: long lists are cut, with the count kept. */
export function lastRunValue(report: FollowerReport): string {
  let r: FollowerReport & { truncated?: boolean } = report;
  for (let keep = 50; JSON.stringify(r).length > VALUE_MAX && keep >= 0; keep = keep === 0 ? -1 : Math.floor(keep / 2)) {
    r = { ...report, created: report.created.slice(0, keep), ineligible: report.ineligible.slice(0, keep), failed: report.failed.slice(0, keep), truncated: true };
  }
  return JSON.stringify(r);
}

/** Parameters this process knows exist (a warm function container overwrites without trying to create). */
const known = new Set<string>();

/**
 * Writes the report. The first write creates the parameter with the deployment's tags (so `destroy` can tell it
 * is ours); later ones overwrite it (SSM refuses tags together with Overwrite).
 */
export async function writeLastRun(aws: AwsClients, name: string, tags: Readonly<Record<string, string>>, report: FollowerReport): Promise<void> {
  const ssm = await aws.ssm();
  const Value = lastRunValue(report);
  if (!known.has(name)) {
    try {
      await ssm.send(new PutParameterCommand({ Name: name, Value, Type: 'String', Tags: Object.entries(tags).map(([Key, v]) => ({ Key, Value: v })) }));
      known.add(name);
      return;
    } catch (error) {
      if (!hasCode(error, 'ParameterAlreadyExists')) throw error;
    }
  }
  await ssm.send(new PutParameterCommand({ Name: name, Value, Type: 'String', Overwrite: true }));
  known.add(name);
}

/** The follower's last run, or undefined when it has not run yet. */
export async function readLastRun(aws: AwsClients, deployment: string): Promise<FollowerReport | undefined> {
  const ssm = await aws.ssm();
  try {
    const out = await ssm.send(new GetParameterCommand({ Name: lastRunParameterName(deployment) }));
    return out.Parameter?.Value ? (JSON.parse(out.Parameter.Value) as FollowerReport) : undefined;
  } catch (error) {
    if (isNotFound(error) || hasCode(error, 'ParameterNotFound')) return undefined;
    throw error;
  }
}

/** One line for `output` / `status`: "2 min ago (launch of i-…): 1 session created, 0 failed". */
export function describeLastRun(report: FollowerReport | undefined, now = Date.now()): string {
  if (!report) return 'has not run yet';
  const ago = Math.max(0, Math.round((now - Date.parse(report.at)) / 1000));
  const when = ago < 90 ? `${ago} s ago` : ago < 5400 ? `${Math.round(ago / 60)} min ago` : `${Math.round(ago / 3600)} h ago`;
  const what = report.trigger === 'reconcile' ? 'scheduled reconcile' : `${report.trigger} of ${report.instanceId}`;
  const parts = [`${report.created.length} session(s) created`, `${report.alreadyMirrored} already mirrored`];
  if (report.ineligible.length) parts.push(`${report.ineligible.length} ineligible`);
  if (report.failed.length) parts.push(`${report.failed.length} failed (first: ${report.failed[0]!.code}: ${report.failed[0]!.message})`);
  return `${report.at} (${when}, ${what}): ${parts.join(', ')}`;
}

/**
 * Deletes the last-run parameter once the function is gone (destroy): only when it carries this deployment's tag.
 * Returns whether it deleted it.
 */
export async function deleteLastRun(aws: AwsClients, deployment: string): Promise<boolean> {
  const name = lastRunParameterName(deployment);
  if (!(await parameterIsOurs(aws, name, deployment))) return false;
  await deleteParameter(aws, name);
  return true;
}

/** The follower's last run as `output` and `status` show it: one line, from the last-run parameter. */
export async function followerStatus(aws: AwsClients, deployment: string, now = Date.now()): Promise<string> {
  return describeLastRun(await readLastRun(aws, deployment), now);
}
