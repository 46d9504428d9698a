/**
 * The Wallarm node layer's inputs, shared by every topology: online (read-only look-ups against the account)
 * and offline (no AWS call; what only AWS knows is Unknown).
 */
import type { AwsClients } from '../../aws/clients.js';
import { parameterArn, WALLARM_AMI_OWNER } from '../../account/names.js';
import type { LoadedConfig } from '../../config/load.js';
import { apiHostOf, type Config } from '../../config/schema.js';
import { unknown } from '../../engine/types.js';
import { ResolveError } from '../../errors.js';
import { renderNodeCloudInit } from '../../render/node-cloud-init.js';
import { amiNamePattern, parseNodeVersion, requestedLine, supportWarning, type NodeLine } from '../../wallarm/node-versions.js';
import type { NodeResolution, ResolutionCheck, ResolvedNode } from '../types.js';
import { MIRROR_PORT } from './node-layer.js';

/** The checks resolveNodeInputs performs, in order, with the error codes each can fail with (for `validate`). */
export const NODE_RESOLUTION_CHECKS: readonly ResolutionCheck[] = [
  { id: 'credentials', title: 'AWS credentials', codes: ['NO_CREDENTIALS', 'IDENTITY_FAILED'] },
  { id: 'vpc', title: 'VPC exists', codes: ['VPC_NOT_FOUND'] },
  { id: 'subnets', title: 'Subnets belong to the VPC; load balancer subnets span two Availability Zones', codes: ['SUBNET_NOT_FOUND', 'SUBNET_OUTSIDE_VPC', 'ONE_AZ', 'SAME_AZ', 'AZ_NOT_COVERED'] },
  { id: 'image', title: 'Wallarm node image available', codes: ['AMI_NOT_FOUND', 'NO_NODE_IMAGE'] },
  { id: 'token', title: 'Node token parameter', codes: ['TOKEN_PARAMETER_MISSING'] },
];

export interface NodeLayerOptions {
  /**
   * Whether the topology runs the NGINX node fleet (ALB + Auto Scaling group of Wallarm nodes). Without one (the
   * vpc-mirror native-node receiver) no node AMI is looked up and no node line is reported.
   */
  nodeFleet: boolean;
}

/** Offline: the node layer's inputs without touching AWS. */
export function offlineNodeInputs<C extends Config>(loaded: LoadedConfig & { config: C }, regionHint: string | undefined, options: NodeLayerOptions): NodeResolution<C> {
  const { config } = loaded;
  const region = config.region ?? regionHint ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const now = new Date();
  const request = parseNodeVersion(config.wallarm.nodeVersion)!;
  const line = requestedLine(request, now);
  const pattern = amiNamePattern(line, request.kind === 'minor' ? request.minor : undefined);
  // Without a node fleet there is no node line to report.
  const nodeNotes = !options.nodeFleet
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
      tokenParameterArn: parameterArn('aws', region, '<account id>', config.wallarm.tokenParameter),
      nodeUserData: renderUserData(loaded, region, line),
    },
    tokenParameterMissing: false,
    notes: ['Offline plan: no AWS account was read; ids, ARNs and the AMI are known only after apply.', ...nodeNotes],
  };
}

/**
 * Online: the account, the VPC and subnets, the node AMI and the token parameter, checked against the account in
 * the order of NODE_RESOLUTION_CHECKS (the first failure stops).
 */
export async function resolveNodeInputs<C extends Config>(loaded: LoadedConfig & { config: C }, aws: AwsClients, options: NodeLayerOptions): Promise<NodeResolution<C>> {
  // Loaded here: the SDK clients are only needed against the account (plan --offline never loads them).
  const { callerIdentity, checkNetwork, describeTokenParameter, where } = await import('../../account/lookups.js');
  const { findNodeImage } = await import('../../account/node-image.js');
  const { config } = loaded;
  const identity = await callerIdentity(aws);
  const region = await aws.region();
  const partition = identity.arn.split(':')[1] ?? 'aws';
  const { vpcCidrs, warnings: networkWarnings } = await checkNetwork(loaded, aws);
  const nodeImage = options.nodeFleet ? await findNodeImage(loaded, aws, region) : undefined;
  const nodeImageId = nodeImage?.imageId ?? unknown('no NGINX node fleet with mirror.receiver native-node');
  const node = nodeImage?.node ?? requestedNode(loaded);
  const token = await describeTokenParameter(config.wallarm.tokenParameter, aws);
  const notes: string[] = [...networkWarnings, ...(nodeImage ? [nodeNote(loaded, node), ...optional(supportWarning(node.line, new Date()))] : [])];
  const tokenFromEnv = Boolean(process.env.WALLARM_NODE_TOKEN);
  if (!token.exists && !tokenFromEnv) {
    throw new ResolveError('TOKEN_PARAMETER_MISSING', `${where(loaded, 'wallarm.tokenParameter')}: the SSM parameter ${config.wallarm.tokenParameter} does not exist in ${region}.`, {
      actions: [
        `Create it: aws ssm put-parameter --type SecureString --name ${config.wallarm.tokenParameter} --value <node token>`,
        'or set WALLARM_NODE_TOKEN when running apply: wallarm-oob stores it there as a SecureString.',
      ],
    });
  }
  if (token.exists && token.type !== 'SecureString') {
    notes.push(`The token parameter ${config.wallarm.tokenParameter} is a ${token.type}, not a SecureString: the token is stored unencrypted.`);
  }
  if (!token.exists) notes.push(`apply will store WALLARM_NODE_TOKEN as the SecureString parameter ${config.wallarm.tokenParameter}.`);
  const kmsKey = token.keyId && !/^alias\/aws\/ssm$/.test(token.keyId) ? token.keyId : undefined;
  return {
    inputs: {
      config,
      region,
      partition,
      nodeImageId,
      node,
      tokenParameterArn: parameterArn(partition, region, identity.account, config.wallarm.tokenParameter),
      tokenKmsKeyId: kmsKey,
      nodeUserData: renderUserData(loaded, region, node.line, vpcCidrs),
    },
    account: identity.account,
    tokenParameterMissing: !token.exists,
    notes,
  };
}

/** The line wallarm.nodeVersion asks for, when no node image is looked up. */
function requestedNode(loaded: LoadedConfig): ResolvedNode {
  const line = requestedLine(parseNodeVersion(loaded.config.wallarm.nodeVersion)!, new Date());
  return { line, version: line.id };
}

/** "Wallarm node 7.1.0 (nodeVersion "7.x"): AMI wallarm-node-7-1-0-… (ami-…)." */
function nodeNote(loaded: LoadedConfig, node: ResolvedNode): string {
  const { config } = loaded;
  const asked = config.nodes.amiId ? 'nodes.amiId' : `wallarm.nodeVersion "${config.wallarm.nodeVersion}"`;
  return `Wallarm node ${node.version} (line ${node.line.id}, from ${asked}): AMI ${node.imageName ?? config.nodes.amiId ?? 'unnamed'}.`;
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
