/**
 * vpc-mirror's planner inputs: the node layer's, plus what the receiver and the mirror sessions need from the
 * account. Online, the sources are resolved again on every plan (Auto Scaling groups scale, tags move).
 */
import type { AwsClients } from '../../aws/clients.js';
import type { LoadedConfig } from '../../config/load.js';
import { isDynamicSource, type VpcMirrorConfig } from '../../config/schema.js';
import type { MirrorSourceReport } from '../../engine/plan.js';
import { unknown, type Unknown } from '../../engine/types.js';
import { offlineNodeInputs, resolveNodeInputs } from '../common/node-inputs.js';
import type { NodeInputs, ResolveOptions, Resolved } from '../types.js';
import { VPC_ID } from './planner.js';
import { DEBIAN_AMI_OWNER, DEBIAN_AMI_PATTERN } from './receivers/debian-constants.js';
import { receiverOf } from './receivers/index.js';
import { sourceKey, sourceLabel } from './sources/labels.js';
import type { MirroredEnis } from './sources/resolve.js';
import { shortHash } from '../../util/hash.js';
import { started } from '../../util/pool.js';

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
  const where = (key: string) => `${loaded.path}: ${key}`;
  // Loaded here: the EC2 and Auto Scaling SDKs are only needed against the account.
  const { checkNetwork } = await import('../../account/lookups.js');
  const { findDebianImage } = await import('./receivers/debian-image.js');
  const { resolveMirrorSources } = await import('./sources/resolve.js');
  // Every look-up starts at once (the source listing, 1,000 interfaces per page, is the long one); they are
  // awaited in order, the node layer's first. The deployment's VPC is described once, by the network check.
  const region = await aws.region();
  const network = started(() => checkNetwork(loaded, aws));
  const nodeRead = started(() => resolveNodeInputs(loaded, aws, { nodeFleet: receiver.nodeFleet, network }));
  const ownRead = started(() => receiver.resolveInputs(loaded, config, region, options));
  const debianImageRead = started(() => findDebianImage(aws, where('rebuilder')));
  const knownVpcCidrs = started(async () => new Map([[config.vpcId, (await network).vpcCidrs]]));
  const resolutionRead = started(() => resolveMirrorSources(aws, config, { where, ownNlbName: receiver.nlbName(config.deployment), mirroredEnis: mirroredEnis(options), knownVpcCidrs }));
  const node = await nodeRead;
  const own = await ownRead;
  const debianImageId = await debianImageRead;
  const resolution = await resolutionRead;
  const mirror: MirrorInputs = { debianImageId, vpcCidrs: resolution.vpcCidrs, eligibleEnis: resolution.eligible, sources: resolution.sources, ...own.inputs };
  return { ...node, inputs: { ...node.inputs, mirror }, notes: [...node.notes, ...mirrorNotes(config, resolution), ...own.notes] };
}

/**
 * Interfaces that already carry this deployment's session need no eligibility re-check (see sources/resolve.ts):
 * those of the live session set, or with `plan --refresh=false` all of the selected ones when they are exactly
 * the set last applied (state keeps its hash); otherwise none is known and every one is checked.
 */
function mirroredEnis(options: ResolveOptions): MirroredEnis | undefined {
  const { liveProps, appliedHash } = options;
  if (liveProps) {
    return async () => {
      const ids = (await liveProps(VPC_ID.sessions))?.networkInterfaceIds;
      return new Set(Array.isArray(ids) ? (ids as string[]) : []);
    };
  }
  if (appliedHash) {
    return async (selected) => {
      const ids = [...new Set(selected)].sort();
      return (await appliedHash(VPC_ID.sessions, 'networkInterfaceIds')) === shortHash(ids) ? new Set(ids) : new Set();
    };
  }
  return undefined;
}

/** Warnings that go with a vpc-mirror plan (online: with what the sources resolved to). */
export function mirrorNotes(config: VpcMirrorConfig, resolution?: { eligible: string[]; sources: MirrorSourceReport[] }): string[] {
  const notes = receiverOf(config).notes(config);
  const dynamic = config.mirror.sources.some(isDynamicSource);
  if (dynamic && config.mirror.follow) {
    notes.push(`New instances of the Auto Scaling group, tag and EKS sources are mirrored by the follower within ~1 minute of their launch, without apply; it also runs a full reconcile ${config.mirror.followSchedule}.`);
  } else if (dynamic) {
    notes.push('mirror.follow is false: new instances of the Auto Scaling group, tag and EKS sources are mirrored at the next apply only.');
  }
  if (resolution) {
    const skipped = resolution.sources.reduce((n, s) => n + s.ineligible.length, 0);
    if (resolution.eligible.length === 0) notes.push('No network interface selected by mirror.sources can be mirrored now: no mirror session will exist.');
    if (skipped > 0) notes.push(`${skipped} network interface(s) selected by mirror.sources cannot be mirrored and are skipped (see "Mirror sources" above).`);
  }
  return notes;
}
