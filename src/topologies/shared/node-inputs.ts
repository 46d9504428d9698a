/**
 * The Wallarm node layer's inputs, shared by every topology: online (read-only look-ups against the account)
 * and offline (no AWS call; what only AWS knows is Unknown).
 */
import type { AwsClients } from '../../aws/clients.js';
import { callerIdentity, checkNetwork, describeTokenParameter, findNodeImage, parameterArn, WALLARM_AMI_OWNER, where } from '../../account/lookups.js';
import type { LoadedConfig } from '../../config/load.js';
import { apiHostOf, type Config } from '../../config/schema.js';
import { unknown } from '../../engine/types.js';
import { ResolveError } from '../../errors.js';
import { renderNodeCloudInit } from '../../render/node-cloud-init.js';
import type { NodeResolution, ResolutionCheck } from '../types.js';

/** The checks resolveNodeInputs performs, in order, with the error codes each can fail with (for `validate`). */
export const NODE_RESOLUTION_CHECKS: readonly ResolutionCheck[] = [
  { id: 'credentials', title: 'AWS credentials', codes: ['NO_CREDENTIALS', 'IDENTITY_FAILED'] },
  { id: 'vpc', title: 'VPC exists', codes: ['VPC_NOT_FOUND'] },
  { id: 'subnets', title: 'Subnets belong to the VPC; load balancer subnets span two Availability Zones', codes: ['SUBNET_NOT_FOUND', 'SUBNET_OUTSIDE_VPC', 'ONE_AZ'] },
  { id: 'image', title: 'Wallarm node image available', codes: ['AMI_NOT_FOUND', 'NO_NODE_IMAGE'] },
  { id: 'token', title: 'Node token parameter', codes: ['TOKEN_PARAMETER_MISSING'] },
];

/** Offline: the node layer's inputs without touching AWS. */
export function offlineNodeInputs<C extends Config>(loaded: LoadedConfig & { config: C }, regionHint?: string): NodeResolution<C> {
  const { config } = loaded;
  const region = config.region ?? regionHint ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return {
    inputs: {
      config,
      region,
      partition: 'aws',
      nodeImageId: config.nodes.amiId ?? unknown(`newest AMI named wallarm-node-${config.wallarm.nodeVersion.replace('.', '-')}-* by ${WALLARM_AMI_OWNER}`),
      tokenParameterArn: parameterArn('aws', region, '<account id>', config.wallarm.tokenParameter),
      nodeUserData: renderUserData(loaded, region),
    },
    tokenParameterMissing: false,
    notes: ['Offline plan: no AWS account was read; ids, ARNs and the AMI are known only after apply.'],
  };
}

/**
 * Online: the account, the VPC and subnets, the node AMI and the token parameter, checked against the account in
 * the order of NODE_RESOLUTION_CHECKS (the first failure stops).
 */
export async function resolveNodeInputs<C extends Config>(loaded: LoadedConfig & { config: C }, aws: AwsClients): Promise<NodeResolution<C>> {
  const { config } = loaded;
  const identity = await callerIdentity(aws);
  const region = await aws.region();
  const partition = identity.arn.split(':')[1] ?? 'aws';
  await checkNetwork(loaded, aws);
  const nodeImageId = await findNodeImage(loaded, aws);
  const token = await describeTokenParameter(config.wallarm.tokenParameter, aws);
  const notes: string[] = [];
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
      tokenParameterArn: parameterArn(partition, region, identity.account, config.wallarm.tokenParameter),
      tokenKmsKeyId: kmsKey,
      nodeUserData: renderUserData(loaded, region),
    },
    account: identity.account,
    tokenParameterMissing: !token.exists,
    notes,
  };
}

export function renderUserData(loaded: LoadedConfig, region: string): string {
  const { wallarm } = loaded.config;
  return renderNodeCloudInit({
    region,
    tokenParameter: wallarm.tokenParameter,
    apiHost: apiHostOf(loaded.config),
    mode: wallarm.mode,
    libdetection: wallarm.libdetection,
    nginx: { globalSnippet: loaded.files.globalSnippet, httpSnippet: loaded.files.httpSnippet, serverSnippet: loaded.files.serverSnippet },
    postScript: loaded.files.postScript,
  });
}
