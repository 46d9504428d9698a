import { StateError } from '../../errors.js';
import type { StateView } from '../../state/view.js';
import { BaseCommand } from '../../ui/base-command.js';
import { configFlag } from '../../ui/flags.js';

export default class StateList extends BaseCommand {
  static override summary = 'List what the deployment owns in AWS: logical id, kind, physical id; when it was last applied; outputs.';
  static override description = 'Reads the state parameter only (no resource is read: `plan` shows drift).';
  static override examples = ['<%= config.bin %> state list', '<%= config.bin %> state list --json | jq -r \'.resources[].physicalId\''];
  static override enableJsonFlag = true;
  static override flags = { config: configFlag };

  async run(): Promise<StateView> {
    const { flags } = await this.parse(StateList);
    const view = await loadView(flags.config, flags);
    const { formatStateList } = await import('../../state/view.js');
    if (!this.jsonEnabled()) this.log(formatStateList(view));
    return view;
  }
}

/** The deployment's state as a view; an error naming the parameter when there is none. */
export async function loadView(configPath: string, flags: { profile?: string; region?: string }): Promise<StateView> {
  const { loadConfig } = await import('../../config/load.js');
  const { Deployment } = await import('../../core/deployment.js');
  const { viewState } = await import('../../state/view.js');
  const deployment = new Deployment(await loadConfig(configPath), flags);
  const doc = await deployment.store.load();
  if (!doc) {
    throw new StateError('NOT_DEPLOYED', `Deployment "${deployment.name}" has no state (${deployment.store.parameterName}): it owns nothing in this account and region.`, {
      actions: ['Run `wallarm-oob apply` first, or check --region / --profile.'],
    });
  }
  return viewState(doc);
}
