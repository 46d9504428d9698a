/**
 * Pure editing of `mirror.sources` in the config file text, keeping its comments and layout: the file is edited
 * with the yaml Document API, and only the text of the `mirror.sources` sequence is replaced in the original
 * file, so every byte outside that sequence stays as it was. Used by add-eni / remove-eni (src/core/edit-sources.ts).
 */
import { isMap, isSeq, parseDocument, type Document, type YAMLSeq } from 'yaml';
import type { MirrorSource } from '../../../config/schema.js';
import { ConfigError } from '../../../errors.js';
import { deepEqual } from '../../../util/hash.js';
import { tagText } from './labels.js';

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
