import { writeFile } from 'node:fs/promises';
import { Flags } from '@oclif/core';
import { hasChanges, type Plan as PlanData } from '../engine/plan.js';
import { BaseCommand } from '../ui/base-command.js';
import { configFlag } from '../ui/flags.js';
import { formatPlan } from '../ui/plan-printer.js';

export default class Plan extends BaseCommand {
  static override summary = 'Show what apply would change in AWS, and why.';
  static override description = `Reads the configuration, the state and every live resource, and prints Terraform-style changes: + create, ~ update in place, -/+ replace, - delete, each with its reason (a config edit, or drift made outside wallarm-oob), then an estimated monthly cost of what the deployment runs (on-demand prices from AWS's Price List Query API, which needs pricing:GetProducts, or, offline and when the API does not answer, from a dated table shipped with wallarm-oob; usage-dependent charges are named, not estimated). --offline plans against an empty state without any AWS access, to see what would be built and read the rendered cloud-init.`;
  static override examples = [
    '<%= config.bin %> plan',
    '<%= config.bin %> plan --offline -c examples/web-server-mirror.yaml',
    '<%= config.bin %> plan --out plan.json && <%= config.bin %> apply plan.json',
    '<%= config.bin %> plan --detailed-exitcode   # 0 no changes, 2 changes, 1 error',
    '<%= config.bin %> plan --refresh=false       # config and sources against state only: fewer calls, no drift shown',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    config: configFlag,
    'detailed-exitcode': Flags.boolean({ description: 'Exit 0 when there are no changes, 2 when there are, 1 on error.', default: false }),
    out: Flags.string({ description: 'Save the plan to this file, to apply it later with `apply FILE`.' }),
    offline: Flags.boolean({ description: 'Plan against an empty state without calling AWS (values only AWS knows show as "known after apply").', default: false }),
    refresh: Flags.boolean({
      description:
        'Read every resource of the deployment to show drift (default). --refresh=false (or --no-refresh), like Terraform\'s -refresh=false: compare the configuration and mirror sources with state only, without reading the resources: fewer AWS calls, but changes made outside wallarm-oob (edited settings, deleted resources) are not shown.',
      default: true,
      allowNo: true,
    }),
  };

  async run(): Promise<PlanData> {
    const { flags } = await this.parse(Plan);
    const { loadConfig } = await import('../config/load.js');
    const loaded = await loadConfig(flags.config);
    const { addCost, planOffline, planOnline } = await import('../core/planning.js');
    let plan: PlanData;
    if (flags.offline) {
      plan = planOffline(loaded, flags.region).plan;
      await addCost(plan, undefined);
    } else {
      const { Deployment } = await import('../core/deployment.js');
      const deployment = new Deployment(loaded, flags);
      plan = (await planOnline(deployment, { refresh: flags.refresh })).plan;
      await addCost(plan, deployment.aws);
    }
    if (!this.jsonEnabled()) this.log(formatPlan(plan, { showProperties: true, showUserData: flags.offline }));
    if (flags.out) {
      await writeFile(flags.out, `${JSON.stringify(plan, null, 2)}\n`, 'utf8');
      if (!this.jsonEnabled()) this.log(`\nSaved the plan to ${flags.out}. Apply exactly this plan with: wallarm-oob apply ${flags.out}`);
    }
    if (flags['detailed-exitcode'] && hasChanges(plan)) process.exitCode = 2;
    return plan;
  }

}
