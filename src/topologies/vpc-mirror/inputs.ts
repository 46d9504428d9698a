/**
 * vpc-mirror's planner inputs: the node layer's, plus what the receivers and the mirror sessions need from the
 * account. Online, the sources are resolved again on every plan (Auto Scaling groups scale, tags move).
 */
import type { AwsClients } from '../../aws/clients.js';
import type { LoadedConfig } from '../../config/load.js';
import type { VpcMirrorConfig } from '../../config/schema.js';
import type { MirrorSourceReport } from '../../engine/plan.js';
import { unknown, type Unknown } from '../../engine/types.js';
import type { NodeInputs, NodeResolution, ResolveOptions, Resolved } from '../types.js';
import { rebuilderNlbName, VPC_ID } from './planner.js';
import type { ReceiverInputs } from './receivers/types.js';
import { receiverOf } from './receivers/index.js';
import { sourceKey, sourceLabel } from './sources/labels.js';

export interface MirrorInputs extends ReceiverInputs {
  /** CIDR blocks of the VPC (and of the VPCs of the sources): the NLB keeps the sources' IPs for UDP, so the receivers allow them. */
  vpcCidrs: string[] | Unknown;
  /** Every ENI that gets a mirror session (sorted, unique), or Unknown offline. */
  eligibleEnis: string[] | Unknown;
  /** Per `mirror.sources` item: what it resolved to, for the plan printer. */
  sources: MirrorSourceReport[];
}

export interface VpcMirrorInputs extends NodeInputs<VpcMirrorConfig> {
  mirror: MirrorInputs;
}

/** Offline: the sources, the VPC's CIDRs and the receivers' AMI are only known against the account. */
export function offlineMirrorInputs(node: NodeResolution<VpcMirrorConfig>): Resolved<VpcMirrorInputs> {
  const { config } = node.inputs;
  const sources: MirrorSourceReport[] = config.mirror.sources.map((source, index) => ({
    label: sourceLabel(source),
    key: sourceKey(source, index),
    resolved: false,
    eligible: [],
    ineligible: [],
  }));
  const mirror: MirrorInputs = {
    ...receiverOf(config).offlineInputs(config),
    vpcCidrs: unknown(`CIDR blocks of ${config.vpcId}`),
    eligibleEnis: unknown('network interfaces of mirror.sources, resolved at plan time against the account'),
    sources,
  };
  return { ...node, inputs: { ...node.inputs, mirror }, notes: [...node.notes, ...mirrorNotes(config)] };
}

/** Online: the receivers' inputs, and the source ENIs checked for eligibility. */
export async function resolveMirrorInputs(loaded: LoadedConfig, aws: AwsClients, node: NodeResolution<VpcMirrorConfig>, options: ResolveOptions): Promise<Resolved<VpcMirrorInputs>> {
  const { config } = node.inputs;
  const where = (key: string) => `${loaded.path}: ${key}`;
  const receiver = await receiverOf(config).resolveInputs(config, aws, where);
  // Interfaces the live session set already mirrors need no eligibility re-check (see sources/resolve.ts).
  const mirrored = options.liveProps?.(VPC_ID.sessions)?.networkInterfaceIds;
  const mirroredEnis = new Set(Array.isArray(mirrored) ? (mirrored as string[]) : []);
  // Loaded here: the EC2 and Auto Scaling SDKs are only needed against the account.
  const { resolveMirrorSources } = await import('./sources/resolve.js');
  const resolution = await resolveMirrorSources(aws, config, { where, ownNlbName: rebuilderNlbName(config.deployment), mirroredEnis });
  const mirror: MirrorInputs = { ...receiver, vpcCidrs: resolution.vpcCidrs, eligibleEnis: resolution.eligible, sources: resolution.sources };
  return { ...node, inputs: { ...node.inputs, mirror }, notes: [...node.notes, ...mirrorNotes(config, resolution)] };
}

/** Warnings that go with a vpc-mirror plan (online: with what the sources resolved to). */
export function mirrorNotes(config: VpcMirrorConfig, resolution?: { eligible: string[]; sources: MirrorSourceReport[] }): string[] {
  const notes = receiverOf(config).notes(config);
  if (resolution) {
    const skipped = resolution.sources.reduce((n, s) => n + s.ineligible.length, 0);
    if (resolution.eligible.length === 0) notes.push('No network interface selected by mirror.sources can be mirrored now: no mirror session will exist.');
    if (skipped > 0) notes.push(`${skipped} network interface(s) selected by mirror.sources cannot be mirrored and are skipped (see "Mirror sources" above).`);
  }
  return notes;
}
