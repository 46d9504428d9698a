import { Args } from '@oclif/core';
import { StateError } from '../../errors.js';
import type { OwnedResource } from '../../state/view.js';
import { BaseCommand } from '../../ui/base-command.js';
import { configFlag } from '../../ui/flags.js';
import { loadView } from './list.js';

export default class StateShow extends BaseCommand {
  static override summary = "Show one owned resource's state: kind, physical id, what it depends on and what uses it, its outputs.";
  static override examples = ['<%= config.bin %> state show node-alb', '<%= config.bin %> state show node-asg --json'];
  static override enableJsonFlag = true;
  static override args = { id: Args.string({ description: 'Logical id, as `state list` prints it (e.g. node-alb).', required: true }) };
  static override flags = { config: configFlag };

  async run(): Promise<OwnedResource> {
    const { args, flags } = await this.parse(StateShow);
    const view = await loadView(flags.config, flags);
    const resource = view.resources.find((r) => r.logicalId === args.id);
    if (!resource) {
      const { closest } = await import('../../config/suggest.js');
      const ids = view.resources.map((r) => r.logicalId);
      const near = closest(args.id, ids);
      throw new StateError('NO_SUCH_RESOURCE', `Deployment "${view.deployment}" owns no resource "${args.id}"${near ? `; did you mean "${near}"?` : '.'}`, {
        actions: [ids.length ? `Use one of: ${ids.join(', ')}.` : 'The deployment owns nothing: run `wallarm-oob apply` first.'],
      });
    }
    const { formatStateResource } = await import('../../state/view.js');
    if (!this.jsonEnabled()) this.log(formatStateResource(resource));
    return resource;
  }
}
