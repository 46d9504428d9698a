/**
 * add-eni / remove-eni: edit `mirror.sources` in the config file (topologies/vpc-mirror/sources/edit.ts, keeping
 * its comments and layout), then apply only the resulting session changes.
 *
 * The edited text is validated with the schema and planned in memory first; it is written only once the plan
 * is acceptable (nothing but session changes) and confirmed, right before the changes are applied.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseConfigText, type LoadedConfig } from '../config/load.js';
import type { Plan } from '../engine/plan.js';
import { ConfigError, StateError } from '../errors.js';
import { TOPOLOGY_TABLE, topologyOf } from '../topologies/index.js';
import { addMirrorSources, checkSelection, removeMirrorSources, type SourceSelection } from '../topologies/vpc-mirror/sources/edit.js';
import type { ApplyOptions, ApplyResult } from './apply.js';
import type { GlobalOptions } from './deployment.js';
import type { Hooks } from './run-plan.js';

export type { SourceEdit, SourceSelection } from '../topologies/vpc-mirror/sources/edit.js';
export { addMirrorSources, removeMirrorSources } from '../topologies/vpc-mirror/sources/edit.js';

// ------------------------------------------------------------------ edit, plan, confirm, write, apply

export interface MirrorEditOptions extends Omit<ApplyOptions, 'savedPlan'> {
  configPath: string;
  global: GlobalOptions;
}

export interface MirrorEditResult {
  command: 'add-eni' | 'remove-eni';
  config: string;
  changed: string[];
  unchanged: string[];
  /** Whether the config file was written. */
  written: boolean;
  /** Undefined when the config needed no change (nothing planned). */
  apply?: ApplyResult;
}


export async function editMirrorSources(command: 'add-eni' | 'remove-eni', selection: SourceSelection, options: MirrorEditOptions, hooks: Hooks): Promise<MirrorEditResult> {
  checkSelection(selection, command);
  const { loadConfig } = await import('../config/load.js');
  const loaded = await loadConfig(options.configPath);
  const topology = topologyOf(loaded.config);
  if (!topology.editableSources) {
    const withSources = Object.values(TOPOLOGY_TABLE).filter((t) => 'editableSources' in t).map((t) => t.name);
    throw new ConfigError('NOT_VPC_MIRROR', `${loaded.path}: deployment ${loaded.config.deployment} uses topology ${loaded.config.topology}; ${command} only applies to ${withSources.join(' or ')} deployments, which mirror network interfaces.`, {
      actions: topology.noSourcesHint ? [topology.noSourcesHint] : [],
    });
  }
  const editable = new Set(topology.editableSources.logicalIds);
  const text = await readFile(loaded.path, 'utf8');
  const edit = command === 'add-eni' ? addMirrorSources(text, loaded.path, selection) : removeMirrorSources(text, loaded.path, selection);
  const result: MirrorEditResult = { command, config: loaded.path, changed: edit.changed, unchanged: edit.unchanged, written: false };
  if (edit.changed.length === 0) {
    hooks.info(`Nothing to change: ${edit.unchanged.join(', ')}.`);
    return result;
  }
  // Validate the edited file in memory; it is planned from memory too, and written only when accepted.
  const edited: LoadedConfig = { ...loaded, config: parseConfigText(edit.text, loaded.path) };
  const write = async () => {
    if (result.written) return;
    await writeFile(loaded.path, edit.text, 'utf8');
    result.written = true;
    hooks.info(`Updated mirror.sources in ${loaded.path}.`);
  };
  // Delegates explicitly: hooks may be a class instance, whose methods a spread would not copy.
  const guarded: Hooks = {
    onEvent: (event) => hooks.onEvent(event),
    info: (message) => hooks.info(message),
    warn: (message) => hooks.warn(message),
    finished: async () => hooks.finished?.(),
    showPlan(plan) {
      hooks.showPlan(plan);
      refuseOtherChanges(plan, command, editable);
    },
    confirm: (question) => hooks.confirm(`${question.replace(/\?$/, '')} and update ${loaded.path}?`),
    async starting(actions) {
      await write();
      await hooks.starting?.(actions);
    },
  };
  const { Deployment } = await import('./deployment.js');
  const { applyDeployment } = await import('./apply.js');
  const deployment = new Deployment(edited, options.global);
  result.apply = await applyDeployment(deployment, options, guarded);
  // No session change (e.g. the new ENIs cannot be mirrored): the edit itself is still what was asked for.
  await write();
  return result;
}

/** add-eni / remove-eni apply session changes only; anything else pending goes through `apply`, reviewed on its own. */
function refuseOtherChanges(plan: Plan, command: string, editable: ReadonlySet<string>): void {
  const others = plan.actions.filter((a) => a.action !== 'noop' && !editable.has(a.id));
  if (others.length === 0) return;
  const list = others.slice(0, 5).map((a) => `${a.id} (${a.action})`).join(', ');
  throw new StateError('OTHER_CHANGES_PENDING', `${command} applies mirror session changes only, but the deployment has ${others.length} other pending change(s): ${list}${others.length > 5 ? ', …' : ''}. The config file was not changed.`, {
    actions: ['Run `wallarm-oob apply` first to bring the deployment in line with the config file, then run this command again.'],
  });
}
