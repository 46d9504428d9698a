import type { Outputs } from '../engine/types.js';
import { StateError } from '../errors.js';
import { BaseCommand } from '../ui/base-command.js';
import { configFlag } from '../ui/flags.js';
import { formatOutputs } from '../ui/outputs.js';

export default class Output extends BaseCommand {
  static override summary = 'Print the outputs of the live deployment (the mirror endpoint, the node group; for vpc-mirror the receiver, its health and the sessions).';
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
    const { targetHealth } = await import('../core/health.js');
    const { mirrorStatus } = await import('../core/mirror-status.js');
    const tg = state.outputs.targetGroupArn;
    const health = typeof tg === 'string' ? await targetHealth(deployment.aws, tg) : undefined;
    const mirror = await mirrorStatus(deployment.loaded, deployment.aws, state.outputs);
    if (!this.jsonEnabled()) this.log(formatOutputs(state.outputs, health, { topology: deployment.loaded.config.topology, mirror }));
    return {
      ...state.outputs,
      ...(health && { healthyTargets: health.healthy, targets: health.total }),
      ...(mirror && { receiver: mirror.receiver, liveSessions: mirror.sessions, eligibleNetworkInterfaces: mirror.eligible }),
      ...(mirror?.follower && { followerLastRun: mirror.follower }),
    };
  }
}
