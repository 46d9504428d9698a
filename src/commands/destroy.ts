import { Flags } from '@oclif/core';
import type { DestroyResult } from '../core/destroy.js';
import { BaseCommand } from '../ui/base-command.js';
import { autoApproveFlag, configFlag, lockTimeoutFlag, parallelismFlag } from '../ui/flags.js';
import { isInteractive, parseDuration } from '../ui/format.js';
import { terminalHooks } from '../ui/hooks.js';
import { handleInterrupts } from '../ui/interrupt.js';
import { destroyCompleteLine } from '../ui/summary.js';

export default class Destroy extends BaseCommand {
  static override summary = 'Delete every resource of the deployment, then its state.';
  static override description = `Deletes in reverse dependency order, retrying while AWS still reports a resource in use, including anything tagged with the deployment that state does not know (leftovers of an interrupted run: looked up first and shown in the plan). Every resource's wallarm-oob:deployment tag is checked before it is deleted; a deployment with nothing to destroy exits 0 without asking. A load balancer with deletion protection is only unprotected with --force or your explicit yes. The state parameter is deleted last.`;
  static override examples = ['<%= config.bin %> destroy', '<%= config.bin %> destroy --auto-approve --force   # CI'];
  static override enableJsonFlag = true;
  static override flags = {
    config: configFlag,
    'auto-approve': autoApproveFlag,
    force: Flags.boolean({ description: 'Turn off load balancer deletion protection without asking.', default: false }),
    parallelism: parallelismFlag,
    'lock-timeout': lockTimeoutFlag,
  };

  async run(): Promise<DestroyResult & { elapsedSeconds?: number }> {
    const { flags } = await this.parse(Destroy);
    const { loadConfig } = await import('../config/load.js');
    const loaded = await loadConfig(flags.config);
    const { Deployment } = await import('../core/deployment.js');
    const { destroyDeployment } = await import('../core/destroy.js');
    const interrupts = handleInterrupts((m) => this.warn(m));
    try {
      const hooks = terminalHooks(this, { quiet: this.jsonEnabled(), approvalHint: 'Run again with --auto-approve to destroy without a prompt.' });
      const result = await destroyDeployment(
        new Deployment(loaded, flags),
        {
          autoApprove: flags['auto-approve'],
          force: flags.force,
          parallelism: flags.parallelism,
          lockTimeoutMs: parseDuration(flags['lock-timeout']),
          interactive: isInteractive() && !this.jsonEnabled(),
          wait: true,
          signal: interrupts.signal,
        },
        hooks,
      );
      const elapsedMs = hooks.elapsedMs();
      if (!this.jsonEnabled() && !result.nothingToDestroy) this.log(`\n${destroyCompleteLine(result.deleted, result.swept.length, elapsedMs)}`);
      return { ...result, ...(elapsedMs === undefined ? {} : { elapsedSeconds: Math.round(elapsedMs / 1000) }) };
    } finally {
      interrupts.dispose();
    }
  }
}
