import type { Outputs } from '../engine/types.js';
import { StateError } from '../errors.js';
import { BaseCommand } from '../ui/base-command.js';
import { configFlag } from '../ui/flags.js';
import { formatOutputs } from '../ui/outputs.js';

export default class Output extends BaseCommand {
  static override summary = 'Print the outputs of the live deployment (the mirror endpoint, the node group).';
  static override examples = ['<%= config.bin %> output', '<%= config.bin %> output --json | jq -r .mirrorEndpoint'];
  static override enableJsonFlag = true;
  static override flags = { config: configFlag };

  async run(): Promise<Outputs> {
    const { flags } = await this.parse(Output);
    const { loadConfig } = await import('../config/load.js');
    const { Deployment } = await import('../core/deployment.js');
    const deployment = new Deployment(await loadConfig(flags.config), flags);
    const state = await deployment.store.load();
    if (!state || Object.keys(state.outputs).length === 0) {
      throw new StateError('NOT_DEPLOYED', `Deployment "${deployment.name}" has no outputs: it has not been applied in this account and region.`, {
        actions: ['Run `wallarm-oob apply` first, or check --region / --profile.'],
      });
    }
    if (!this.jsonEnabled()) this.log(formatOutputs(state.outputs));
    return state.outputs;
  }
}
