import type { MirrorSource } from '../../../config/schema.js';

/** `key=value` -> [key, value]; undefined when there is no key before the `=`. */
export function parseTag(text: string): [string, string] | undefined {
  const eq = text.indexOf('=');
  return eq <= 0 ? undefined : [text.slice(0, eq), text.slice(eq + 1)];
}

/**
 * The `mirror.sources` items a command-line selection describes, in the order init writes them: one item per
 * Auto Scaling group, one for all the interface ids, one for the tag set (an interface must carry all the tags).
 */
export function sourcesOf(selection: { asgs?: readonly string[]; enis?: readonly string[]; tags?: Record<string, string> }): MirrorSource[] {
  const sources: MirrorSource[] = (selection.asgs ?? []).map((name) => ({ autoScalingGroup: name }));
  if (selection.enis?.length) sources.push({ networkInterfaceIds: [...selection.enis] });
  if (selection.tags) sources.push({ tags: selection.tags });
  return sources;
}
