import { Args, Flags } from '@oclif/core';
import { AbortedError } from '../errors.js';
import { BaseCommand } from '../ui/base-command.js';
import { configFlag } from '../ui/flags.js';
import { isInteractive } from '../ui/format.js';
import type { LockInfo } from '../state/lock.js';

export default class Unlock extends BaseCommand {
  static override summary = 'Break a stuck deployment lock (left by a run that crashed).';
  static override description = 'Only break a lock when no apply or destroy is running: two runs at once can duplicate or orphan resources.';
  static override examples = ['<%= config.bin %> unlock 6f1c2d3e-…', '<%= config.bin %> unlock 6f1c2d3e-… --force   # no prompt'];
  static override enableJsonFlag = true;
  static override args = { lockId: Args.string({ description: 'The lock id, as printed by the run that was refused.', required: true }) };
  static override flags = { config: configFlag, force: Flags.boolean({ char: 'f', description: 'Do not ask for confirmation.', default: false }) };

  async run(): Promise<{ released: LockInfo }> {
    const { args, flags } = await this.parse(Unlock);
    const { loadConfig } = await import('../config/load.js');
    const { Deployment } = await import('../core/deployment.js');
    const { describeHolder, staleHolder } = await import('../state/lock.js');
    const deployment = new Deployment(await loadConfig(flags.config), flags);
    const holder = await deployment.lock.read();
    const stale = holder && staleHolder(holder);
    if (stale) this.log(`The ${stale}.`);
    if (holder && holder.id === args.lockId && !flags.force) {
      const question = `Break the lock of "${deployment.name}" held by ${describeHolder(holder)}?`;
      if (!isInteractive() || this.jsonEnabled()) {
        throw new AbortedError('NEEDS_APPROVAL', `${question} ${this.jsonEnabled() ? 'Nothing is asked under --json.' : 'There is no terminal to ask on.'}`, { actions: ['Pass --force to break it without a prompt.'] });
      }
      const { confirm } = await import('@inquirer/prompts');
      if (!(await confirm({ message: question, default: false }))) throw new AbortedError('DECLINED', 'The lock was kept.');
    }
    const released = await deployment.lock.forceRelease(args.lockId, flags.force);
    this.log(`Released the lock of "${deployment.name}" (was held by ${describeHolder(released)}).`);
    return { released };
  }
}
