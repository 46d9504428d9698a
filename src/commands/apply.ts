import { readFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import type { ApplyResult } from '../core/apply.js';
import type { Plan } from '../engine/plan.js';
import { ConfigError } from '../errors.js';
import { BaseCommand } from '../ui/base-command.js';
import { autoApproveFlag, configFlag, lockTimeoutFlag, parallelismFlag } from '../ui/flags.js';
import { parseDuration } from '../ui/format.js';
import { terminalHooks } from '../ui/hooks.js';
import { handleInterrupts } from '../ui/interrupt.js';
import { formatOutputs } from '../ui/outputs.js';
import { applyCompleteLine, changeCounts, type ChangeCounts } from '../ui/summary.js';

export default class Apply extends BaseCommand {
  static override summary = 'Create or update the deployment to match the configuration.';
  static override description = `Plans, shows the plan, asks for confirmation (on a terminal; elsewhere pass --auto-approve), then creates and updates resources in dependency order, independent ones in parallel, saving state after every step. An interrupted apply is resumed by running apply again. With PLANFILE (from \`plan --out\`), applies exactly that plan, refusing it if the deployment changed since it was made. Set WALLARM_NODE_TOKEN to store the node token in the token parameter.`;
  static override examples = [
    '<%= config.bin %> apply',
    'WALLARM_NODE_TOKEN=... <%= config.bin %> apply --auto-approve   # CI',
    '<%= config.bin %> apply plan.json',
  ];
  static override enableJsonFlag = true;
  static override args = { planfile: Args.string({ description: 'A plan saved with `plan --out`.', required: false }) };
  static override flags = {
    config: configFlag,
    'auto-approve': autoApproveFlag,
    parallelism: parallelismFlag,
    'lock-timeout': lockTimeoutFlag,
    wait: Flags.boolean({ description: 'Wait for the nodes to be InService and healthy behind the load balancer (--no-wait: only for the load balancer).', default: true, allowNo: true }),
  };

  async run(): Promise<ApplyResult & { counts: ChangeCounts; elapsedSeconds?: number }> {
    const { args, flags } = await this.parse(Apply);
    const { loadConfig } = await import('../config/load.js');
    const loaded = await loadConfig(flags.config);
    const savedPlan = args.planfile ? await readPlan(args.planfile) : undefined;
    const { Deployment } = await import('../core/deployment.js');
    const { applyDeployment } = await import('../core/apply.js');
    const interrupts = handleInterrupts((m) => this.warn(m));
    try {
      const hooks = terminalHooks(this, {
        quiet: this.jsonEnabled(),
        approvalHint: 'Review the plan and run again with --auto-approve, or apply a reviewed plan file: wallarm-oob plan --out plan.json; wallarm-oob apply plan.json --auto-approve',
      });
      const result = await applyDeployment(
        new Deployment(loaded, flags),
        { autoApprove: flags['auto-approve'], parallelism: flags.parallelism, lockTimeoutMs: parseDuration(flags['lock-timeout']), wait: flags.wait, savedPlan, signal: interrupts.signal },
        hooks,
      );
      const counts = changeCounts(result.plan);
      const elapsedMs = hooks.elapsedMs();
      if (!this.jsonEnabled()) this.log(`\n${result.changed ? applyCompleteLine(counts, elapsedMs) : 'Nothing to apply.'}\n${formatOutputs(result.outputs, result.health, { topology: loaded.config.topology })}`);
      return { ...result, counts, ...(elapsedMs === undefined ? {} : { elapsedSeconds: Math.round(elapsedMs / 1000) }) };
    } finally {
      interrupts.dispose();
    }
  }
}

async function readPlan(file: string): Promise<Plan> {
  let plan: Plan;
  try {
    plan = JSON.parse(await readFile(file, 'utf8')) as Plan;
  } catch (cause) {
    throw new ConfigError('PLAN_UNREADABLE', `${file} is not a readable plan file: ${(cause as Error).message}`, {
      cause,
      actions: ['Save a plan with: wallarm-oob plan --out plan.json'],
    });
  }
  if (plan?.format !== 1 || !Array.isArray(plan.actions) || !plan.graph) {
    throw new ConfigError('PLAN_UNREADABLE', `${file} is not a wallarm-oob plan file.`, { actions: ['Save a plan with: wallarm-oob plan --out plan.json'] });
  }
  return plan;
}
