import { ref, type Graph, type ResourceKind, type ResourceNode } from '../../engine/types.js';
import type { SecurityGroupRule } from '../../resources/types.js';
import type { NodeInputs } from '../types.js';
import { ELB_NAME_MAX, iamPath, resourceName } from './names.js';
import { resource } from './resource.js';

/** Port of the Wallarm node receiving mirrored traffic. The health check's port and path come from the node line. */
export const MIRROR_PORT = 8445;

/** The kinds of the node layer (and of the receivers' instances, which reuse them). */
export const NODE_LAYER_KINDS: readonly ResourceKind[] = [
  'iam-role',
  'iam-instance-profile',
  'security-group',
  'launch-template',
  'load-balancer',
  'target-group',
  'listener',
  'auto-scaling-group',
  'scaling-policy',
];

/** Logical ids of the Wallarm node layer, which every topology builds on. */
export const ID = {
  role: 'node-role',
  instanceProfile: 'node-instance-profile',
  lbSecurityGroup: 'lb-security-group',
  nodeSecurityGroup: 'node-security-group',
  launchTemplate: 'node-launch-template',
  alb: 'node-alb',
  targetGroup: 'node-target-group',
  listener: 'node-listener',
  asg: 'node-asg',
  cpuPolicy: 'node-cpu-policy',
} as const;

export function nodeLayerOutputs(): Graph['outputs'] {
  return {
    mirrorEndpoint: { from: ref(ID.alb, 'dnsName'), format: `http://{}:${MIRROR_PORT}`, description: 'where your web server mirrors requests' },
    autoScalingGroup: { from: ref(ID.asg, 'name'), description: 'Auto Scaling group of the Wallarm nodes' },
    targetGroupArn: { from: ref(ID.targetGroup, 'arn'), description: 'target group of the nodes (health)' },
  };
}

/** The Wallarm node layer shared by both topologies. */
export function nodeLayer(inputs: NodeInputs): ResourceNode[] {
  const { config } = inputs;
  const dep = config.deployment;
  const nodes: ResourceNode[] = [
    resource({
      id: ID.role,
      kind: 'iam-role',
      description: 'role of the Wallarm nodes (reads the node token)',
      props: {
        name: resourceName(dep, 'node', 64),
        path: iamPath(dep),
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
        inlinePolicies: { 'read-node-token': tokenPolicy(inputs) },
      },
    }),
    resource({
      id: ID.instanceProfile,
      kind: 'iam-instance-profile',
      props: { name: resourceName(dep, 'node', 128), path: iamPath(dep), roleName: ref(ID.role, 'name') },
    }),
    resource({
      id: ID.lbSecurityGroup,
      kind: 'security-group',
      description: `who may send mirrored traffic to the ALB on ${MIRROR_PORT}`,
      props: {
        name: resourceName(dep, 'alb', 255),
        description: `wallarm-oob ${dep}: internal ALB receiving mirrored traffic`,
        vpcId: config.vpcId,
        ingress: config.network.mirrorSourceCidrs.map((cidr) => rule('tcp', MIRROR_PORT, cidr, 'mirrored requests')),
        egress: [allTraffic('0.0.0.0/0', 'to the Wallarm nodes')],
      },
    }),
    resource({
      id: ID.nodeSecurityGroup,
      kind: 'security-group',
      props: {
        name: resourceName(dep, 'node', 255),
        description: `wallarm-oob ${dep}: Wallarm node instances`,
        vpcId: config.vpcId,
        ingress: nodeIngress(inputs),
        egress: config.network.nodeOutboundCidrs.map((cidr) => allTraffic(cidr, 'Wallarm Cloud, packages, SSM')),
      },
    }),
    resource({
      id: ID.launchTemplate,
      kind: 'launch-template',
      props: {
        name: resourceName(dep, 'node', 128),
        imageId: inputs.nodeImageId,
        instanceType: config.nodes.instanceType,
        keyName: config.nodes.keyName ?? null,
        securityGroupIds: [ref(ID.nodeSecurityGroup, 'groupId')],
        instanceProfileArn: ref(ID.instanceProfile, 'arn'),
        userData: inputs.nodeUserData,
        volumeSizeGiB: config.nodes.volumeSizeGiB,
        volumeType: 'gp3',
        detailedMonitoring: true,
        httpTokens: 'required',
      },
    }),
    resource({
      id: ID.alb,
      kind: 'load-balancer',
      description: 'internal ALB: the mirror endpoint',
      props: {
        name: resourceName(dep, 'alb', ELB_NAME_MAX),
        type: 'application',
        scheme: 'internal',
        subnetIds: [...config.subnets.loadBalancer],
        securityGroupIds: [ref(ID.lbSecurityGroup, 'groupId')],
        attributes: { 'deletion_protection.enabled': String(config.loadBalancer.deletionProtection) },
      },
    }),
    resource({
      id: ID.targetGroup,
      kind: 'target-group',
      props: {
        name: resourceName(dep, `node-${MIRROR_PORT}`, ELB_NAME_MAX),
        protocol: 'HTTP',
        port: MIRROR_PORT,
        vpcId: config.vpcId,
        targetType: 'instance',
        healthCheck: {
          protocol: 'HTTP',
          port: String(inputs.node.line.health.port),
          path: inputs.node.line.health.path,
          intervalSeconds: 5,
          timeoutSeconds: 3,
          healthyThreshold: 3,
          unhealthyThreshold: 3,
        },
      },
    }),
    resource({
      id: ID.listener,
      kind: 'listener',
      props: { loadBalancerArn: ref(ID.alb, 'arn'), protocol: 'HTTP', port: MIRROR_PORT, targetGroupArn: ref(ID.targetGroup, 'arn') },
    }),
    resource({
      id: ID.asg,
      kind: 'auto-scaling-group',
      description: 'Wallarm node instances',
      props: {
        name: resourceName(dep, 'nodes', 255),
        launchTemplateId: ref(ID.launchTemplate, 'id'),
        launchTemplateVersion: ref(ID.launchTemplate, 'latestVersion'),
        minSize: config.nodes.minSize,
        maxSize: config.nodes.maxSize,
        desiredCapacity: config.nodes.desiredCapacity,
        subnetIds: [...config.subnets.instances],
        targetGroupArns: [ref(ID.targetGroup, 'arn')],
        healthCheckType: 'ELB',
        healthCheckGracePeriod: 180,
        metricsCollection: true,
        instanceRefresh: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
      },
    }),
  ];
  if (config.nodes.cpuTargetPercent !== null) {
    nodes.push(
      resource({
        id: ID.cpuPolicy,
        kind: 'scaling-policy',
        props: {
          name: resourceName(dep, 'cpu-target', 255),
          autoScalingGroupName: ref(ID.asg, 'name'),
          metric: 'ASGAverageCPUUtilization',
          targetValue: config.nodes.cpuTargetPercent,
        },
      }),
    );
  }
  return nodes;
}

function nodeIngress(inputs: NodeInputs): SecurityGroupRule[] {
  const { network, nodes } = inputs.config;
  const rules = network.nodeInboundCidrs.flatMap((cidr) => [
    rule('tcp', inputs.node.line.health.port, cidr, 'load balancer health check'),
    rule('tcp', MIRROR_PORT, cidr, 'mirrored requests from the ALB'),
    ...nodes.extraInboundPorts.map((port) => rule('tcp', port, cidr, 'extra port (nodes.extraInboundPorts)')),
  ]);
  if (nodes.keyName) rules.push(...network.sshCidrs.map((cidr) => rule('tcp', 22, cidr, 'SSH (nodes.keyName is set)')));
  return rules;
}

/** The nodes may read exactly the token parameter, and decrypt it when a customer managed key encrypts it. */
function tokenPolicy(inputs: NodeInputs): string {
  const statements: object[] = [{ Sid: 'ReadNodeToken', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: inputs.tokenParameterArn }];
  if (inputs.tokenKmsKeyId) {
    statements.push({
      Sid: 'DecryptNodeToken',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: {
        StringEquals: {
          'kms:ViaService': `ssm.${inputs.region}.amazonaws.com`,
          'kms:EncryptionContext:PARAMETER_ARN': inputs.tokenParameterArn,
        },
      },
    });
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

function rule(protocol: 'tcp' | 'udp', port: number, cidr: string, description: string): SecurityGroupRule {
  return { protocol, fromPort: port, toPort: port, cidr, description };
}

function allTraffic(cidr: string, description: string): SecurityGroupRule {
  return { protocol: '-1', fromPort: -1, toPort: -1, cidr, description };
}
