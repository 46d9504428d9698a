/**
 * add-eni / remove-eni: edit `mirror.sources` in the config file, keeping its comments and layout, then apply
 * only the resulting session changes.
 *
 * The file is edited with the yaml Document API, and only the text of the `mirror.sources` sequence is replaced in
 * the original file: every byte outside that sequence stays as it was. The edited text is validated with the
 * schema and planned in memory first; it is written only once the plan is acceptable (nothing but session
 * changes) and confirmed, right before the changes are applied.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { isMap, isSeq, parseDocument, type Document, type YAMLSeq } from 'yaml';
import { parseConfigText, type LoadedConfig } from '../config/load.js';
import type { MirrorSource } from '../config/schema.js';
import type { Plan } from '../engine/plan.js';
import { ConfigError, StateError } from '../errors.js';
import { VPC_ID } from '../planners/vpc-mirror.js';
import { deepEqual } from '../util/hash.js';
import type { ApplyOptions, ApplyResult } from './apply.js';
import type { GlobalOptions } from './deployment.js';
import type { Hooks } from './run-plan.js';

/** What to add or remove: ENI ids, an Auto Scaling group, and/or one tag set (an ENI must carry all the tags). */
export interface SourceSelection {
  enis: string[];
  asg?: string;
  tags?: Record<string, string>;
}

export interface SourceEdit {
  /** The new file text (the original when nothing changed). */
  text: string;
  /** What changed, for messages: `eni-0abc…`, `autoScalingGroup web-asg`, `tags role=web`. */
  changed: string[];
  /** What was asked but needed no change (add: already listed). */
  unchanged: string[];
}

const ENI_ID = /^eni-[0-9a-f]{8}([0-9a-f]{9})?$/;
const tagText = (tags: Record<string, string>) => Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(',');

/** Checks the selection itself (ids well formed, something selected). */
export function checkSelection(selection: SourceSelection, command: 'add-eni' | 'remove-eni'): void {
  const bad = selection.enis.filter((id) => !ENI_ID.test(id));
  if (bad.length) {
    throw new ConfigError('BAD_ENI_ID', `${command}: ${bad.map((b) => JSON.stringify(b)).join(', ')} ${bad.length === 1 ? 'is not a network interface id' : 'are not network interface ids'}.`, {
      actions: ['Write network interface ids as eni- followed by 8 or 17 hex digits, e.g. eni-0123456789abcdef0.'],
    });
  }
  if (!selection.enis.length && !selection.asg && !selection.tags) {
    throw new ConfigError('NOTHING_SELECTED', `${command}: name what to ${command === 'add-eni' ? 'mirror' : 'stop mirroring'}.`, {
      actions: [`Pass network interface ids, --asg NAME or --tag key=value, e.g. wallarm-oob ${command} eni-0123456789abcdef0`],
    });
  }
}

/** Adds the selection to `mirror.sources`; ENIs, groups and tag sets already listed are left alone. */
export function addMirrorSources(text: string, file: string, selection: SourceSelection): SourceEdit {
  const { doc, seq, items } = openSources(text, file);
  const changed: string[] = [];
  const unchanged: string[] = [];
  const listed = new Set(items.flatMap((s) => ('networkInterfaceIds' in s ? s.networkInterfaceIds : [])));
  const newEnis: string[] = [];
  for (const id of new Set(selection.enis)) {
    if (listed.has(id)) unchanged.push(`${id} (already in mirror.sources)`);
    else newEnis.push(id);
  }
  if (newEnis.length) {
    const holder = seq.items.find((item) => isMap(item) && isSeq(item.get('networkInterfaceIds', true)));
    if (holder && isMap(holder)) {
      const list = holder.get('networkInterfaceIds', true) as unknown as YAMLSeq;
      for (const id of newEnis) list.add(doc.createNode(id));
    } else {
      const item = doc.createNode({ networkInterfaceIds: newEnis });
      const list = item.get('networkInterfaceIds', true);
      if (isSeq(list)) list.flow = true;
      seq.add(item);
    }
    changed.push(...newEnis);
  }
  if (selection.asg !== undefined) {
    if (items.some((s) => 'autoScalingGroup' in s && s.autoScalingGroup === selection.asg)) unchanged.push(`autoScalingGroup ${selection.asg} (already in mirror.sources)`);
    else {
      seq.add(doc.createNode({ autoScalingGroup: selection.asg }));
      changed.push(`autoScalingGroup ${selection.asg}`);
    }
  }
  if (selection.tags) {
    if (items.some((s) => 'tags' in s && deepEqual(s.tags, selection.tags))) unchanged.push(`tags ${tagText(selection.tags)} (already in mirror.sources)`);
    else {
      const item = doc.createNode({ tags: selection.tags });
      const tags = item.get('tags', true);
      if (isMap(tags)) tags.flow = true;
      seq.add(item);
      changed.push(`tags ${tagText(selection.tags)}`);
    }
  }
  return { text: changed.length ? spliceSources(text, doc) : text, changed, unchanged };
}

/** Removes ENI ids from networkInterfaceIds items (dropping an item left empty), a group's item, a tag set's item. */
export function removeMirrorSources(text: string, file: string, selection: SourceSelection): SourceEdit {
  const { doc, seq, items } = openSources(text, file);
  const changed: string[] = [];
  const missing: string[] = [];
  const drop = new Set<unknown>();
  for (const id of new Set(selection.enis)) {
    let found = false;
    for (const item of seq.items) {
      const list = isMap(item) ? item.get('networkInterfaceIds', true) : undefined;
      if (!isSeq(list)) continue;
      const index = list.items.findIndex((n) => (n as { value?: unknown }).value === id);
      if (index < 0) continue;
      list.items.splice(index, 1);
      if (list.items.length === 0) drop.add(item);
      found = true;
    }
    if (found) changed.push(id);
    else missing.push(`network interface ${id}`);
  }
  const dropWhere = (predicate: (s: MirrorSource) => boolean, label: string) => {
    const indexes = items.map((s, i) => (predicate(s) ? i : -1)).filter((i) => i >= 0);
    if (!indexes.length) missing.push(label);
    for (const i of indexes) drop.add(seq.items[i]);
    if (indexes.length) changed.push(label);
  };
  if (selection.asg !== undefined) dropWhere((s) => 'autoScalingGroup' in s && s.autoScalingGroup === selection.asg, `autoScalingGroup ${selection.asg}`);
  if (selection.tags) dropWhere((s) => 'tags' in s && deepEqual(s.tags, selection.tags), `tags ${tagText(selection.tags)}`);
  if (missing.length) {
    throw new ConfigError('SOURCE_NOT_IN_CONFIG', `${file}: mirror.sources does not list ${missing.join(', ')}; nothing was changed.`, {
      actions: ['Check the ids and names against the mirror.sources section of the config file (a tag set must match an item exactly).'],
    });
  }
  seq.items = seq.items.filter((item) => !drop.has(item));
  if (seq.items.length === 0) {
    throw new ConfigError('LAST_SOURCE', `${file}: removing ${changed.join(', ')} would leave mirror.sources empty; nothing was changed.`, {
      actions: ['Keep at least one source, or remove the whole deployment with: wallarm-oob destroy'],
    });
  }
  return { text: spliceSources(text, doc), changed, unchanged: [] };
}

function openSources(text: string, file: string): { doc: Document; seq: YAMLSeq; items: MirrorSource[] } {
  const doc = parseDocument(text);
  if (doc.errors.length) {
    throw new ConfigError('CONFIG_SYNTAX', `${file}: the config file is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`, { actions: ['Fix the file, then run the command again.'] });
  }
  const seq = doc.getIn(['mirror', 'sources'], true);
  if (!isSeq(seq)) {
    throw new ConfigError('NO_MIRROR_SOURCES', `${file}: mirror.sources is not a list in this file.`, { actions: ['add-eni and remove-eni edit the mirror.sources list of a vpc-mirror config.'] });
  }
  return { doc, seq, items: (seq.toJSON() as MirrorSource[]).filter((s) => s && typeof s === 'object') };
}

/**
 * The original text with only the `mirror.sources` sequence replaced by its edited rendering (re-indented to its
 * original column). Falls back to the whole re-rendered document if the splice would not read back the same.
 */
export function spliceSources(original: string, edited: Document): string {
  // Follow the file's flow style: `[a, b]` or `[ a, b ]` (yaml's default).
  const padded = (original.match(/[[{] \S/g) ?? []).length;
  const tight = (original.match(/[[{][^\s\]}]/g) ?? []).length;
  const rendered = edited.toString({ lineWidth: 0, flowCollectionPadding: padded >= tight });
  const before = parseDocument(original).getIn(['mirror', 'sources'], true);
  const after = parseDocument(rendered).getIn(['mirror', 'sources'], true);
  if (!isSeq(before) || !isSeq(after) || !before.range || !after.range) return rendered;
  const column = (text: string, offset: number) => offset - (text.lastIndexOf('\n', offset - 1) + 1);
  const shift = column(original, before.range[0]) - column(rendered, after.range[0]);
  // [start, valueEnd): a comment after the last item (the sequence's own trailing comment) stays where it is.
  let piece = rendered.slice(after.range[0], after.range[1]);
  if (shift !== 0) {
    piece = piece
      .split('\n')
      .map((line, i) => (i === 0 || line === '' ? line : shift > 0 ? ' '.repeat(shift) + line : line.slice(Math.min(-shift, line.length - line.trimStart().length))))
      .join('\n');
  }
  const spliced = original.slice(0, before.range[0]) + piece + original.slice(before.range[1]);
  const check = parseDocument(spliced);
  return check.errors.length === 0 && deepEqual(check.toJS(), edited.toJS()) ? spliced : rendered;
}

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

/** Logical ids add-eni / remove-eni may change: the session set only. */
const SESSION_IDS = new Set<string>([VPC_ID.sessions]);

export async function editMirrorSources(command: 'add-eni' | 'remove-eni', selection: SourceSelection, options: MirrorEditOptions, hooks: Hooks): Promise<MirrorEditResult> {
  checkSelection(selection, command);
  const { loadConfig } = await import('../config/load.js');
  const loaded = await loadConfig(options.configPath);
  if (loaded.config.topology !== 'vpc-mirror') {
    throw new ConfigError('NOT_VPC_MIRROR', `${loaded.path}: deployment ${loaded.config.deployment} uses topology ${loaded.config.topology}; ${command} only applies to vpc-mirror deployments, which mirror network interfaces.`, {
      actions: ['A web-server-mirror deployment receives what your web servers mirror: configure the mirror in NGINX / Envoy / Istio / Traefik (wallarm-oob mirror-config).'],
    });
  }
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
      refuseOtherChanges(plan, command);
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
function refuseOtherChanges(plan: Plan, command: string): void {
  const others = plan.actions.filter((a) => a.action !== 'noop' && !SESSION_IDS.has(a.id));
  if (others.length === 0) return;
  const list = others.slice(0, 5).map((a) => `${a.id} (${a.action})`).join(', ');
  throw new StateError('OTHER_CHANGES_PENDING', `${command} applies mirror session changes only, but the deployment has ${others.length} other pending change(s): ${list}${others.length > 5 ? ', …' : ''}. The config file was not changed.`, {
    actions: ['Run `wallarm-oob apply` first to bring the deployment in line with the config file, then run this command again.'],
  });
}
