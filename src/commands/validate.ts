import { Flags } from '@oclif/core';
import type { CheckResult } from '../core/validate.js';
import { WallarmOobError } from '../errors.js';
import { BaseCommand } from '../ui/base-command.js';
import { configFlag } from '../ui/flags.js';
import { paint } from '../ui/format.js';

export interface ValidateResult {
  ok: boolean;
  config: string;
  checks: CheckResult[];
  /** When a check failed: the same `{ code, message, actions }` every other command's --json error has. */
  error?: { code: string; message: string; actions: string[] };
}

export default class Validate extends BaseCommand {
  static override summary = 'Check the config file against the schema and the AWS account, without planning.';
  static override description = `One line per check: the file matches the schema, the credentials work, the VPC and subnets exist and fit (two Availability Zones for the load balancer), a Wallarm node image of wallarm.nodeVersion is available, the token parameter exists (or WALLARM_NODE_TOKEN is set for apply to store), the instance type is offered in every Availability Zone of subnets.instances, the key pair exists, and for vpc-mirror that the mirror sources exist. Warns (without failing) when the node line is past Wallarm's end of support. Exits 1 when a check fails. --offline checks the schema (and the node line) only.`;
  static override examples = ['<%= config.bin %> validate', '<%= config.bin %> validate -c prod.yaml --json'];
  static override enableJsonFlag = true;
  static override flags = {
    config: configFlag,
    offline: Flags.boolean({ description: 'Check the file against the schema only (no AWS calls).', default: false }),
  };

  async run(): Promise<ValidateResult> {
    const { flags } = await this.parse(Validate);
    const { loadConfig } = await import('../config/load.js');
    const checks: CheckResult[] = [];
    const schemaTitle = 'Config file matches the schema';
    let loaded: Awaited<ReturnType<typeof loadConfig>> | undefined;
    try {
      loaded = await loadConfig(flags.config);
      checks.push({ id: 'schema', title: schemaTitle, status: 'ok', detail: loaded.path });
      const { nodeVersionCheck } = await import('../wallarm/node-version-check.js');
      checks.push(nodeVersionCheck(loaded.config.wallarm.nodeVersion, loaded.config.nodes.amiId, new Date()));
    } catch (error) {
      if (!(error instanceof WallarmOobError)) throw error;
      checks.push({ id: 'schema', title: schemaTitle, status: 'failed', detail: error.message, code: error.code, actions: error.actions });
    }
    if (loaded && !flags.offline) {
      const { AwsClients } = await import('../aws/clients.js');
      const { accountChecks } = await import('../core/validate.js');
      checks.push(...(await accountChecks(loaded, new AwsClients({ region: flags.region ?? loaded.config.region, profile: flags.profile }))));
    }
    const ok = checks.every((c) => c.status !== 'failed');
    if (!this.jsonEnabled()) {
      for (const c of checks) this.log(formatCheck(c));
      if (flags.offline && loaded) this.log('- AWS account checks: skipped (--offline)');
      const failed = checks.filter((c) => c.status === 'failed').length;
      this.log(ok ? `\n${flags.config} is valid. Next: wallarm-oob plan${flags.config === 'wallarm-oob.yaml' ? '' : ` -c ${flags.config}`}` : `\n${failed} check${failed === 1 ? '' : 's'} failed.`);
    }
    if (!ok) process.exitCode = 1;
    return { ok, config: loaded?.path ?? flags.config, checks, ...(ok ? {} : { error: failure(checks) }) };
  }
}

function failure(checks: CheckResult[]): NonNullable<ValidateResult['error']> {
  const failed = checks.filter((c) => c.status === 'failed');
  const only = failed.length === 1 ? failed[0] : undefined;
  return {
    code: only?.code ?? 'VALIDATION_FAILED',
    message: only ? `${only.title}: ${only.detail ?? 'failed'}` : `${failed.length} checks failed: ${failed.map((c) => c.title).join('; ')}.`,
    actions: [...new Set(failed.flatMap((c) => c.actions ?? []))],
  };
}

function formatCheck(c: CheckResult): string {
  const mark = c.status === 'ok' ? paint('green', '✓') : c.status === 'failed' ? paint('red', '✗') : c.status === 'warning' ? paint('yellow', '!') : paint('gray', '-');
  const lines = [`${mark} ${c.title}${c.detail && c.status !== 'failed' && c.status !== 'warning' ? `: ${c.detail}` : ''}`];
  if (c.status === 'warning' && c.detail) lines.push(`    ${c.detail}`);
  if (c.status === 'failed') {
    if (c.detail) lines.push(...c.detail.split('\n').map((l) => `    ${l}`));
    for (const action of c.actions ?? []) lines.push(`    -> ${action}`);
  }
  return lines.join('\n');
}
