import { BaseCommand } from '../ui/base-command.js';
import { configFlag } from '../ui/flags.js';
import type { StatusReport } from '../core/status-report.js';

export default class Status extends BaseCommand {
  static override summary = 'Show how the live deployment is doing now, hop by hop; exit 3 when degraded.';
  static override description = `Reads every hop along the traffic's path live: for vpc-mirror the traffic mirror sessions against the network interfaces mirror.sources selects now (eligible interfaces without a session are named, and sessions whose interface is gone or no longer selected); for each load balancer its state, every target's health with AWS's reason code and description, and the Auto Scaling group behind it (instances in service, the last failed scaling activities with EC2's reason, an instance refresh in progress or failed). Read-only.

Exit codes: 0 healthy, 3 degraded (something above is wrong), 1 error (e.g. not deployed).`;
  static override examples = [
    '<%= config.bin %> status',
    '<%= config.bin %> status --json | jq \'.hops[] | select(.status == "degraded") | .problems[]\'',
    '<%= config.bin %> status || echo "exit $? (3: degraded)"',
  ];
  static override enableJsonFlag = true;
  static override flags = { config: configFlag };

  async run(): Promise<StatusReport> {
    const { flags } = await this.parse(Status);
    const { loadConfig } = await import('../config/load.js');
    const { Deployment } = await import('../core/deployment.js');
    const { statusReport, DEGRADED_EXIT_CODE } = await import('../core/status-report.js');
    const status = await statusReport(new Deployment(await loadConfig(flags.config), flags));
    if (!this.jsonEnabled()) {
      const { formatStatus } = await import('../ui/status.js');
      this.log(formatStatus(status));
    }
    if (status.status === 'degraded') process.exitCode = DEGRADED_EXIT_CODE;
    return status;
  }
}
