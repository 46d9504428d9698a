/**
 * vpc-mirror's planner inputs: the node layer's, plus what the receiver and the mirror sessions need from the
 * account. Online, the sources are resolved again on every plan (Auto Scaling groups scale, tags move).
 */
import type { AwsClients } from '../../aws/clients.js';
import type { LoadedConfig } from '../../config/load.js';
import type { VpcMirrorConfig } from '../../config/schema.js';
import type { MirrorSourceReport } from '../../engine/plan.js';
import { unknown, type Unknown } from '../../engine/types.js';
import { offlineNodeInputs, resolveNodeInputs } from '../common/node-inputs.js';
import type { NodeInputs, ResolveOptions, Resolved } from '../types.js';
import { VPC_ID } from './planner.js';
import { DEBIAN_AMI_OWNER, DEBIAN_AMI_PATTERN } from './receivers/debian-constants.js';
import { receiverOf } from './receivers/index.js';
import { sourceKey, sourceLabel } from './sources/labels.js';

export interface MirrorInputs {
  /** Newest Debian 12 amd64 AMI (owner 136693071363) for the receiver's instances. */
  debianImageId: string | Unknown;
  /** CIDR blocks of the VPC (and of the VPCs of the sources): the NLB keeps the sources' IPs for UDP, so the receivers allow them. */
  vpcCidrs: string[] | Unknown;
  /** Every ENI that gets a mirror session (sorted, unique), or Unknown offline. */
  eligibleEnis: string[] | Unknown;
  /** Per `mirror.sources` item: what it resolved to, for the plan printer. */
  sources: MirrorSourceReport[];
  /**
   * receiver goreplay: the rendered rebuilder cloud-init with REBUILDER_ENDPOINT_PLACEHOLDER where the ALB's DNS
   * name goes (the receiver turns it into a joined string waiting for node-alb.dnsName).
   */
  rebuilderUserData?: string;
  /**
   * receiver native-node: the rendered native node bootstrap, or Unknown when the installer's sha256 is not known
   * (an offline plan without mirror.nativeNode.installer.sha256).
   */
  nativeNodeUserData?: string | Unknown;
}

export interface VpcMirrorInputs extends NodeInputs<VpcMirrorConfig> {
  mirror: MirrorInputs;
}

type VpcMirrorLoaded = LoadedConfig & { config: VpcMirrorConfig };

/** Offline: the sources, the VPC's CIDRs and the receivers' AMI are only known against the account. */
export function offlineMirrorInputs(loaded: VpcMirrorLoaded, regionHint: string | undefined): Resolved<VpcMirrorInputs> {
  const { config } = loaded;
  const receiver = receiverOf(config);
  const node = offlineNodeInputs(loaded, regionHint, { nodeFleet: receiver.nodeFleet });
  const own = receiver.offlineInputs(config, node.inputs.region);
  const sources: MirrorSourceReport[] = config.mirror.sources.map((source, index) => ({
    label: sourceLabel(source),
    key: sourceKey(source, index),
    resolved: false,
    eligible: [],
    ineligible: [],
  }));
  const mirror: MirrorInputs = {
    debianImageId: unknown(`newest AMI named ${DEBIAN_AMI_PATTERN} by ${DEBIAN_AMI_OWNER}`),
    vpcCidrs: unknown(`CIDR blocks of ${config.vpcId}`),
    eligibleEnis: unknown('network interfaces of mirror.sources, resolved at plan time against the account'),
    sources,
    ...own.inputs,
  };
  return { ...node, inputs: { ...node.inputs, mirror }, notes: [...node.notes, ...mirrorNotes(config), ...own.notes] };
}

/** Online: the node layer, the receiver's inputs, its Debian image, and the source ENIs checked for eligibility. */
export async function resolveMirrorInputs(loaded: VpcMirrorLoaded, aws: AwsClients, options: ResolveOptions): Promise<Resolved<VpcMirrorInputs>> {
  const { config } = loaded;
  const receiver = receiverOf(config);
  const node = await resolveNodeInputs(loaded, aws, { nodeFleet: receiver.nodeFleet });
  const own = await receiver.resolveInputs(loaded, config, node.inputs.region, options);
  const where = (key: string) => `${loaded.path}: ${key}`;
  // Loaded here: the EC2 and Auto Scaling SDKs are only needed against the account.
  const { findDebianImage } = await import('./receivers/debian-image.js');
  const { resolveMirrorSources } = await import('./sources/resolve.js');
  const debianImageId = await findDebianImage(aws, where('rebuilder'));
  // Interfaces the live session set already mirrors need no eligibility re-check (see sources/resolve.ts).
  const mirrored = options.liveProps?.(VPC_ID.sessions)?.networkInterfaceIds;
  const mirroredEnis = new Set(Array.isArray(mirrored) ? (mirrored as string[]) : []);
  const resolution = await resolveMirrorSources(aws, config, { where, ownNlbName: receiver.nlbName(config.deployment), mirroredEnis });
  const mirror: MirrorInputs = { debianImageId, vpcCidrs: resolution.vpcCidrs, eligibleEnis: resolution.eligible, sources: resolution.sources, ...own.inputs };
  return { ...node, inputs: { ...node.inputs, mirror }, notes: [...node.notes, ...mirrorNotes(config, resolution), ...own.notes] };
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
