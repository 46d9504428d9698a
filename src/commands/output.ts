import type { Outputs } from '../engine/types.js';
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
    const { deploymentStatus } = await import('../core/status.js');
    const { outputs, health, mirror } = await deploymentStatus(deployment);
    if (!this.jsonEnabled()) this.log(formatOutputs(outputs, health, { topology: deployment.loaded.config.topology, mirror }));
    return {
      ...outputs,
      ...(health && { healthyTargets: health.healthy, targets: health.total }),
      ...(mirror && { receiver: mirror.receiver, liveSessions: mirror.sessions, eligibleNetworkInterfaces: mirror.eligible }),
    };
  }
}
