import type { LoadedConfig } from '../config/load.js';
import { apiHostOf, isDynamicSource, type VpcMirrorConfig } from '../config/schema.js';
import type { MirrorSourceReport } from '../engine/plan.js';
import { unknown } from '../engine/types.js';
import { REBUILDER_ENDPOINT_PLACEHOLDER, sourceKey, sourceLabel, type Inputs, type MirrorInputs } from '../planners/inputs.js';
import { MIRROR_PORT } from '../planners/web-server-mirror.js';
import { renderNodeCloudInit } from '../render/node-cloud-init.js';
import { amiNamePattern, parseNodeVersion, requestedLine, supportWarning, type NodeLine } from '../wallarm/node-versions.js';
import { REBUILDER_DEFAULTS, renderRebuilderCloudInit } from '../render/rebuilder-cloud-init.js';
import { offlineNativeNodeInputs } from './native-node-inputs.js';

/** AWS Marketplace account publishing the Wallarm node AMIs. */
export const WALLARM_AMI_OWNER = '679593333241';

/** Planner inputs plus what resolving learned on the way. */
export interface Resolved {
  inputs: Inputs;
  account?: string;
  /** The token parameter does not exist yet: apply creates it from WALLARM_NODE_TOKEN. */
  tokenParameterMissing: boolean;
  notes: string[];
}

/** Offline: no AWS call at all; what only AWS knows is marked "known after apply". */
export function offlineInputs(loaded: LoadedConfig, regionHint?: string): Resolved {
  const { config } = loaded;
  const region = config.region ?? regionHint ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const tokenParameterArn = parameterArn('aws', region, '<account id>', config.wallarm.tokenParameter);
  const now = new Date();
  const request = parseNodeVersion(config.wallarm.nodeVersion)!;
  const line = requestedLine(request, now);
  const pattern = amiNamePattern(line, request.kind === 'minor' ? request.minor : undefined);
  const native = config.topology === 'vpc-mirror' && config.mirror.receiver === 'native-node' ? offlineNativeNodeInputs(config, region) : undefined;
  // The native-node receiver runs no NGINX node fleet: no node line to report.
  const nodeNotes = native
    ? []
    : [
        `Wallarm node ${config.wallarm.nodeVersion === line.id ? line.id : `${config.wallarm.nodeVersion} (line ${line.id})`}: ${config.nodes.amiId ? `AMI ${config.nodes.amiId} (nodes.amiId)` : `the newest AMI named ${pattern}, known after apply`}.`,
        ...optional(supportWarning(line, now)),
      ];
  return {
    inputs: {
      config,
      region,
      partition: 'aws',
      nodeImageId: config.nodes.amiId ?? unknown(`newest AMI named ${pattern} by ${WALLARM_AMI_OWNER}`),
      node: { line, version: line.id },
      tokenParameterArn,
      nodeUserData: renderUserData(loaded, region, line),
      ...(config.topology === 'vpc-mirror' && { mirror: offlineMirrorInputs(config, native?.userData) }),
    },
    tokenParameterMissing: false,
    notes: [
      'Offline plan: no AWS account was read; ids, ARNs and the AMI are known only after apply.',
      ...nodeNotes,
      ...(config.topology === 'vpc-mirror' ? mirrorNotes(config) : []),
      ...(native?.notes ?? []),
    ],
  };
}

/** vpc-mirror offline: the sources, the VPC's CIDRs and the Debian AMI are only known against the account. */
function offlineMirrorInputs(config: VpcMirrorConfig, nativeNodeUserData: MirrorInputs['nativeNodeUserData']): MirrorInputs {
  const sources: MirrorSourceReport[] = config.mirror.sources.map((source, index) => ({
    label: sourceLabel(source),
    key: sourceKey(source, index),
    resolved: false,
    eligible: [],
    ineligible: [],
  }));
  return {
    debianImageId: unknown('newest AMI named debian-12-amd64-* by 136693071363'),
    vpcCidrs: unknown(`CIDR blocks of ${config.vpcId}`),
    eligibleEnis: unknown('network interfaces of mirror.sources, resolved at plan time against the account'),
    sources,
    ...receiverUserData(config, nativeNodeUserData),
  };
}

/** The receiver's user data: the goreplay rebuilders', or the native nodes' (resolved by the caller). */
export function receiverUserData(config: VpcMirrorConfig, nativeNodeUserData: MirrorInputs['nativeNodeUserData']): Pick<MirrorInputs, 'rebuilderUserData' | 'nativeNodeUserData'> {
  return config.mirror.receiver === 'goreplay' ? { rebuilderUserData: renderRebuilderUserData(config) } : { nativeNodeUserData };
}

/** The rebuilder cloud-init, with REBUILDER_ENDPOINT_PLACEHOLDER standing for the ALB's DNS name. */
export function renderRebuilderUserData(config: VpcMirrorConfig): string {
  return renderRebuilderCloudInit({
    mirrorEndpoint: `http://${REBUILDER_ENDPOINT_PLACEHOLDER}:${MIRROR_PORT}`,
    vni: config.mirror.vni,
    expire: REBUILDER_DEFAULTS.expire,
    bufferSize: REBUILDER_DEFAULTS.bufferSize,
    debug: REBUILDER_DEFAULTS.debug,
    goreplay: config.rebuilder.goreplay?.url && config.rebuilder.goreplay.sha256 ? { url: config.rebuilder.goreplay.url, sha256: config.rebuilder.goreplay.sha256 } : undefined,
  });
}

export const GOREPLAY_LEGACY =
  'mirror.receiver goreplay is legacy: Wallarm withdrew this design (rebuilders turning packets into requests for an NGINX node fleet); use it only where the Native Node cannot run. The default receiver native-node reads the mirrored VXLAN itself and also analyses responses.';

/** Warnings that go with a vpc-mirror plan (online: with what the sources resolved to). */
export function mirrorNotes(config: VpcMirrorConfig, resolution?: { eligible: string[]; sources: MirrorSourceReport[] }): string[] {
  const notes: string[] = [];
  if (config.mirror.receiver === 'goreplay') notes.push(GOREPLAY_LEGACY);
  const dynamic = config.mirror.sources.some(isDynamicSource);
  if (dynamic && config.mirror.follow) {
    notes.push(`New instances of the Auto Scaling group, tag and EKS sources are mirrored by the follower within ~1 minute of their launch, without apply; it also runs a full reconcile ${config.mirror.followSchedule}.`);
  } else if (dynamic) {
    notes.push('mirror.follow is false: new instances of the Auto Scaling group, tag and EKS sources are mirrored at the next apply only.');
  }
  if (config.mirror.receiver === 'goreplay' && config.rebuilder.count > 1) {
    notes.push(
      `rebuilder.count is ${config.rebuilder.count}: the NLB spreads mirrored packets over the rebuilders by flow, but a TCP stream whose packets reach two rebuilders cannot be rebuilt into requests. Keep 1 unless you have measured it.`,
    );
  }
  if (resolution) {
    const skipped = resolution.sources.reduce((n, s) => n + s.ineligible.length, 0);
    if (resolution.eligible.length === 0) notes.push('No network interface selected by mirror.sources can be mirrored now: no mirror session will exist.');
    if (skipped > 0) notes.push(`${skipped} network interface(s) selected by mirror.sources cannot be mirrored and are skipped (see "Mirror sources" above).`);
  }
  return notes;
}

/**
 * The node's user data for `line`. `vpcCidrs` (the VPC's CIDR blocks; undefined offline) join
 * network.mirrorSourceCidrs in set_real_ip_from, since the ALB between the mirror and the node is in the VPC.
 */
export function renderUserData(loaded: LoadedConfig, region: string, line: NodeLine, vpcCidrs?: readonly string[]): string {
  const { wallarm, network } = loaded.config;
  return renderNodeCloudInit({
    region,
    tokenParameter: wallarm.tokenParameter,
    apiHost: apiHostOf(loaded.config),
    mode: wallarm.mode,
    libdetection: wallarm.libdetection,
    nginx: { globalSnippet: loaded.files.globalSnippet, httpSnippet: loaded.files.httpSnippet, serverSnippet: loaded.files.serverSnippet },
    postScript: loaded.files.postScript,
    line,
    nodeGroup: wallarm.nodeGroup,
    realIpFrom: [...new Set([...network.mirrorSourceCidrs, ...(vpcCidrs ?? [])])],
    ...(vpcCidrs === undefined && { realIpPendingVpc: loaded.config.vpcId }),
    mirrorPort: MIRROR_PORT,
  });
}

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}

export function parameterArn(partition: string, region: string, account: string, name: string): string {
  return `arn:${partition}:ssm:${region}:${account}:parameter/${name.replace(/^\//, '')}`;
}

