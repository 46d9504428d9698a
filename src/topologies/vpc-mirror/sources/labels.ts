import type { MirrorSource } from '../../../config/schema.js';

/** How a source is named in plans and messages: `autoScalingGroup web-asg`, `tags role=web`. */
export function sourceLabel(source: MirrorSource): string {
  const list = (items: readonly string[]) => (items.length <= 3 ? items.join(', ') : `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`);
  if ('networkInterfaceIds' in source) return `networkInterfaceIds ${list(source.networkInterfaceIds)}`;
  if ('autoScalingGroup' in source) return `autoScalingGroup ${source.autoScalingGroup}`;
  if ('tags' in source) return `tags ${tagText(source.tags)}`;
  if ('eks' in source) return `eks ${source.eks.cluster}${source.eks.nodeGroups ? ` (node groups ${source.eks.nodeGroups.join(', ')})` : ''}`;
  return `elbPublicIps ${list(source.elbPublicIps)}`;
}

/** The config key of source `index`: `mirror.sources[1].autoScalingGroup`. */
export function sourceKey(source: MirrorSource, index: number): string {
  return `mirror.sources[${index}].${Object.keys(source)[0] ?? ''}`;
}

/** `role=web,env=prod`: a tag set as written on the command line and in messages. */
export const tagText = (tags: Record<string, string>) => Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(',');
