/**
 * The config file, as one zod schema: THE single source of its keys, defaults and descriptions.
 * Descriptions feed the generated docs, the wizard's YAML comments and the JSON Schema, so every key has one.
 * Objects are strict (an unknown key is an error, reported with the closest known key).
 */
import { z } from 'zod';
import { lockPath, statePath } from '../state/names.js';
import { acceptedNodeVersions, DEFAULT_NODE_VERSION, parseNodeVersion } from '../wallarm/node-versions.js';
import { ARM_FAMILY, awsId, instanceType, ipv4Address, ipv4Cidr, port, show, uniqueList, userTags } from './fields.js';
import { checkReceiver, NativeNodeSchema } from './native-node.js';

/** What `region:`, --region and AWS_REGION must look like (e.g. eu-west-1, us-gov-west-1). */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export const API_HOSTS = { eu: 'api.wallarm.com', us: 'us1.api.wallarm.com' } as const;
export const TOPOLOGIES = ['web-server-mirror', 'vpc-mirror'] as const;
export const MIRROR_RECEIVERS = ['native-node', 'goreplay'] as const;
export const WALLARM_MODES = ['off', 'monitoring', 'safe_blocking', 'block'] as const;
export const PRIVATE_CIDRS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
/** Ports wallarm-oob opens on the nodes: 8445 (mirrored traffic), 9445 (4.x health check) or 8446 (5.0+ health check). */
export const NODE_PORTS = { mirror: 8445, health: 9445, readiness: 8446 } as const;

const vpcId = awsId('vpc', 'VPC', 'vpc-0123456789abcdef0');
const subnetId = awsId('subnet', 'subnet', 'subnet-0123456789abcdef0');
const eniId = awsId('eni', 'network interface', 'eni-0123456789abcdef0');
const amiId = awsId('ami', 'AMI', 'ami-0123456789abcdef0');

const nodeVersion = z
  .string({
    error: (iss) =>
      typeof iss.input === 'number'
        ? `is the number ${iss.input}; write the version in quotes, e.g. nodeVersion: "${DEFAULT_NODE_VERSION}" (as a number, 4.10 would read as 4.1)`
        : undefined,
  })
  .refine((v) => parseNodeVersion(v) !== undefined, {
    error: (iss) => `${show(iss.input)} is not a Wallarm node version wallarm-oob can deploy; write one of ${acceptedNodeVersions()}`,
  });

/** A Wallarm node group name (WALLARM_LABELS='group=<name>'): no quote, comma or control character. */
const nodeGroup = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^'",=\s\\]+$/, { error: (iss) => `${show(iss.input)} is not a node group name; use letters, digits, dashes or dots, e.g. shop-oob` });

const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i, {
    error: (iss) =>
      String(iss.input).includes('://')
        ? `${show(iss.input)} includes a scheme; write the host name only, e.g. api.wallarm.com`
        : `${show(iss.input)} is not a host name; write e.g. api.wallarm.com`,
  });

const ssmParameterName = z
  .string()
  .max(1011)
  .regex(/^(\/[A-Za-z0-9_.-]+)+$/, {
    error: (iss) => `${show(iss.input)} is not an SSM parameter path; write /<folder>/<name>, e.g. /wallarm-oob/shop-oob/node-token`,
  })
  .refine((name) => !/^\/(aws|ssm)/i.test(name), {
    error: (iss) => `${show(iss.input)} starts with a prefix AWS reserves (aws, ssm); choose another path, e.g. /wallarm-oob/shop-oob/node-token`,
  });

const filePath = z.string().min(1);

const cidrList = () => uniqueList(ipv4Cidr).min(1).max(50);

const WallarmSchema = z
  .strictObject({
    cloud: z.enum(['eu', 'us']).default('eu').describe('Wallarm Cloud the nodes report to: eu (api.wallarm.com) or us (us1.api.wallarm.com).'),
    apiHost: hostname.optional().describe('Wallarm API host name; overrides `cloud` (for example a private Wallarm Cloud).'),
    tokenParameter: ssmParameterName
      .optional()
      .describe('SSM SecureString parameter holding the Wallarm node token; default /wallarm-oob/<deployment>/node-token.'),
    mode: z
      .enum(WALLARM_MODES)
      .default('monitoring')
      .describe('Filtration mode: off | monitoring | safe_blocking | block. An out-of-band node only monitors whatever the mode: it sees copies of requests and cannot block them.'),
    nodeVersion: nodeVersion
      .default(DEFAULT_NODE_VERSION)
      .describe(
        `Wallarm node version, in quotes: a line ("7.x", "6.x": its newest AMI), a minor ("7.1"), "latest" (the newest AMI of a supported line), or a legacy 4.x line ("4.10", "4.8", past end of support). Default "${DEFAULT_NODE_VERSION}", the newest supported line. nodes.amiId overrides the AMI.`,
      ),
    nodeGroup: nodeGroup
      .optional()
      .describe('Node group the nodes join in Wallarm Console (WALLARM_LABELS group=…); applies when the token is an API token (Node deployment/Deployment usage).'),
    libdetection: z.boolean().default(false).describe('Enable libdetection (an extra SQL injection check that lowers false positives).'),
    nginx: z
      .strictObject({
        globalSnippet: filePath.optional().describe('File with NGINX directives for the main (global) context, relative to this config file.'),
        httpSnippet: filePath.optional().describe('File with NGINX directives for the http block, relative to this config file.'),
        serverSnippet: filePath.optional().describe('File with NGINX directives for the server block, relative to this config file.'),
      })
      .optional()
      .describe('Optional NGINX configuration snippets added to every node.'),
    postScript: filePath.optional().describe('Shell script run on every node after Wallarm is set up, relative to this config file.'),
  });

const NodesSchema = z
  .strictObject({
    instanceType: instanceType.default('t3.medium').describe('EC2 instance type of the Wallarm nodes (x86_64).'),
    minSize: z.number().int().min(0).max(100).default(1).describe('Minimum number of node instances.'),
    maxSize: z.number().int().min(1).max(100).default(3).describe('Maximum number of node instances (at most 100).'),
    desiredCapacity: z.number().int().min(0).max(100).default(1).describe('Number of node instances to start with, between minSize and maxSize.'),
    cpuTargetPercent: z
      .number()
      .min(1)
      .max(100)
      .nullable()
      .default(70)
      .describe('Average CPU utilisation (1-100) the Auto Scaling group scales to; null disables the scaling policy.'),
    keyName: z.string().min(1).max(255).optional().describe('EC2 key pair for SSH access to the nodes; SSH (port 22) is opened only when set.'),
    amiId: amiId.optional().describe('Explicit node AMI id; overrides the AMI lookup by wallarm.nodeVersion.'),
    volumeSizeGiB: z.number().int().min(10).max(16384).default(30).describe('Root volume size of each node in GiB.'),
    extraInboundPorts: uniqueList(port)
      .max(20)
      .default([])
      .describe('Extra TCP ports opened on the nodes to network.nodeInboundCidrs (8445 and the health check port are always open).'),
  })
  .superRefine((n, ctx) => {
    if (n.minSize > n.maxSize) {
      ctx.addIssue({ code: 'custom', path: ['minSize'], input: n.minSize, message: `${n.minSize} is greater than maxSize (${n.maxSize}); lower minSize or raise maxSize` });
    } else if (n.desiredCapacity < n.minSize || n.desiredCapacity > n.maxSize) {
      ctx.addIssue({
        code: 'custom',
        path: ['desiredCapacity'],
        input: n.desiredCapacity,
        message: `${n.desiredCapacity} must be between minSize (${n.minSize}) and maxSize (${n.maxSize}); change desiredCapacity or the bounds`,
      });
    }
    if (!n.amiId && ARM_FAMILY.test(n.instanceType)) {
      ctx.addIssue({
        code: 'custom',
        path: ['instanceType'],
        input: n.instanceType,
        message: `${show(n.instanceType)} is an Arm (Graviton) type but the Wallarm node AMIs are x86_64; choose an x86_64 type such as t3.medium, or set nodes.amiId`,
      });
    }
    for (const [index, p] of n.extraInboundPorts.entries()) {
      const always = p === NODE_PORTS.mirror || p === NODE_PORTS.health || p === NODE_PORTS.readiness;
      const why = p === 22 ? 'is SSH; set nodes.keyName and network.sshCidrs instead' : always ? 'is always open already; remove it' : undefined;
      if (why) ctx.addIssue({ code: 'custom', path: ['extraInboundPorts', index], input: p, message: `port ${p} ${why}` });
    }
  });

const NetworkSchema = z
  .strictObject({
    mirrorSourceCidrs: cidrList().default(PRIVATE_CIDRS).describe('IPv4 ranges allowed to send mirrored traffic to the internal load balancer on port 8445.'),
    nodeInboundCidrs: cidrList().default(PRIVATE_CIDRS).describe('IPv4 ranges allowed to reach the nodes on 8445 (traffic) and the health check port (8446 on node 5.0+, 9445 on 4.x); must include the load balancer subnets.'),
    nodeOutboundCidrs: cidrList().default(['0.0.0.0/0']).describe('IPv4 ranges the nodes may connect to; they must reach the Wallarm Cloud over HTTPS.'),
    sshCidrs: uniqueList(ipv4Cidr)
      .max(50)
      .optional()
      .describe('IPv4 ranges allowed to SSH (port 22) to the nodes, used only when nodes.keyName is set; default nodeInboundCidrs.'),
  });

const LoadBalancerSchema = z
  .strictObject({
    deletionProtection: z.boolean().default(false).describe('Turn on deletion protection for the internal load balancer(s).'),
  });

const SOURCE_KINDS = ['networkInterfaceIds', 'autoScalingGroup', 'tags', 'eks', 'elbPublicIps'] as const;

/** One way to select source network interfaces; exactly one key per list item. */
export type MirrorSource =
  | { networkInterfaceIds: string[] }
  | { autoScalingGroup: string }
  | { tags: Record<string, string> }
  | { eks: { cluster: string; nodeGroups?: string[] } }
  | { elbPublicIps: string[] };

const MirrorSourceSchema = z
  .strictObject({
    networkInterfaceIds: uniqueList(eniId).min(1).optional().describe('Network interface ids to mirror.'),
    autoScalingGroup: z.string().min(1).max(255).optional().describe('Mirror the primary interfaces of the instances of this Auto Scaling group.'),
    tags: z.record(z.string(), z.string()).optional().describe('Mirror the network interfaces carrying all of these tags.'),
    eks: z
      .strictObject({
        cluster: z.string().min(1).max(100).describe('EKS cluster name.'),
        nodeGroups: uniqueList(z.string().min(1)).min(1).optional().describe('Node group names; default all node groups of the cluster.'),
      })
      .optional()
      .describe('Mirror the instances of an EKS cluster (optionally only some node groups).'),
    elbPublicIps: uniqueList(ipv4Address).min(1).optional().describe('Mirror the network interfaces of a Classic Load Balancer by their public IPs.'),
  })
  .superRefine((s, ctx) => {
    const set = SOURCE_KINDS.filter((k) => s[k] !== undefined);
    if (set.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        input: s,
        message: `${set.length === 0 ? 'sets no source' : `sets ${set.join(' and ')}`}; each item must set exactly one of ${SOURCE_KINDS.join(', ')}; split it into separate list items`,
      });
    }
    if (s.tags && Object.keys(s.tags).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['tags'], input: s.tags, message: 'is empty; give at least one tag, e.g. { role: web }' });
    }
  })
  .transform((s) => s as MirrorSource)
  .describe('One source: networkInterfaceIds, autoScalingGroup, tags, eks or elbPublicIps.');

const MirrorSchema = z
  .strictObject({
    receiver: z
      .enum(MIRROR_RECEIVERS)
      .default('native-node')
      .describe(
        "What receives the mirrored packets: native-node (Wallarm's Native Node in tcp-capture-v2 mode reads the VXLAN from the NLB, rebuilds both directions of each flow and analyses requests and responses) or goreplay (legacy: rebuilders turn packets into requests for an NGINX node fleet; Wallarm withdrew this design, use it only where the Native Node cannot run).",
      ),
    sources: z.array(MirrorSourceSchema).min(1).describe('Where to find the network interfaces to mirror; each item sets exactly one way to select them.'),
    ingress: z.boolean().default(true).describe('Mirror traffic arriving at the sources.'),
    egress: z
      .boolean()
      .optional()
      .describe('Mirror traffic leaving the sources (responses). Default true with receiver native-node, which needs both directions; false with goreplay.'),
    ports: uniqueList(port).max(50).default([]).describe('TCP ports to mirror; empty mirrors all TCP traffic.'),
    vni: z.number().int().min(0).max(16777215).default(1377).describe('VXLAN network identifier of the mirror sessions (0-16777215).'),
    firstSessionNumber: z.number().int().min(1).max(32766).default(1).describe('Session number of the first mirror session; the others follow (1-32766).'),
    nativeNode: NativeNodeSchema.optional().describe('receiver native-node only: the Native Node instances and their installer.'),
  })
  .refine((m) => m.receiver !== 'goreplay' || m.ingress || m.egress, {
    path: ['ingress'],
    error: 'and egress are both false, so nothing would be mirrored; set ingress: true (or egress: true)',
  })
  .superRefine(checkReceiver);

const RebuilderSchema = z
  .strictObject({
    instanceType: instanceType.default('t3.small').describe('EC2 instance type of the rebuilder instances.'),
    count: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(1)
      .describe('Number of rebuilder instances. Keep 1 unless you know each TCP flow reaches a single instance; split streams cannot be rebuilt.'),
    goreplay: z
      .strictObject({
        url: z.url({ protocol: /^https?$/, error: (iss) => `${show(iss.input)} is not an http(s) URL; write e.g. https://example.com/gor.tar.gz` }).optional().describe('URL of the goreplay release archive.'),
        sha256: z
          .string()
          .regex(/^[0-9a-fA-F]{64}$/, { error: (iss) => `${show(iss.input)} is not a SHA-256 checksum; write the 64 hex digits printed by sha256sum` })
          .optional()
          .describe('SHA-256 of the archive at `url`; the rebuilder refuses a download that does not match.'),
      })
      .superRefine((g, ctx) => {
        if ((g.url === undefined) !== (g.sha256 === undefined)) {
          const missing = g.url === undefined ? 'url' : 'sha256';
          ctx.addIssue({ code: 'custom', path: [missing], input: undefined, message: `is missing; set both url and sha256, or neither to use the built-in pinned goreplay` });
        }
      })
      .optional()
      .describe('Use your own goreplay build: url and sha256 together, or neither for the built-in pinned release.'),
  });

const ConfigObject = z.strictObject({
  deployment: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,19}$/, {
      error: (iss) => `${show(iss.input)} is not a valid deployment name; use 1-20 lowercase letters, digits and hyphens, starting with a letter, e.g. shop-oob`,
    })
    .describe('Name of this deployment (1-20 characters: a-z, 0-9, -); AWS resource names and SSM paths derive from it.'),
  region: z
    .string()
    .regex(REGION_PATTERN, { error: (iss) => `${show(iss.input)} is not an AWS region; write e.g. eu-west-1` })
    .optional()
    .describe('AWS region; default the usual SDK resolution (AWS_REGION, profile).'),
  topology: z.enum(TOPOLOGIES).describe('web-server-mirror: your web servers mirror requests to the nodes; vpc-mirror: AWS VPC Traffic Mirroring copies packets.'),
  vpcId: vpcId.describe('VPC to deploy into, e.g. vpc-0123456789abcdef0.'),
  subnets: z
    .strictObject({
      loadBalancer: uniqueList(subnetId)
        .min(2)
        .describe('Private subnets of the internal load balancer(s): at least 2, in at least 2 Availability Zones.'),
      instances: uniqueList(subnetId).min(1).optional().describe('Subnets of the node (and rebuilder) instances; default subnets.loadBalancer.'),
    })
    .describe('Subnets to deploy into.'),
  wallarm: WallarmSchema.prefault({}).describe('The Wallarm node: which Cloud it joins, its token, mode and version.'),
  nodes: NodesSchema.prefault({}).describe('The Wallarm node instances and their Auto Scaling group.'),
  network: NetworkSchema.prefault({}).describe('Security group rules: who may send traffic to the nodes and where the nodes may connect.'),
  loadBalancer: LoadBalancerSchema.prefault({}).describe('The internal load balancer that receives mirrored traffic.'),
  tags: userTags.default({}).describe('Tags added to every resource (at most 40; the aws:, wallarm-oob: prefixes and managed-by are reserved).'),
  mirror: MirrorSchema.optional().describe('vpc-mirror only: which network interfaces to mirror and which traffic.'),
  rebuilder: RebuilderSchema.optional().describe('vpc-mirror only: the instances that rebuild mirrored packets into HTTP requests for the nodes.'),
});

type Parsed = z.output<typeof ConfigObject>;

/**
 * Checks across sections, run even when other keys fail (so values may be unvalidated): mirror and rebuilder
 * belong to vpc-mirror only, vpc-mirror needs mirror, the token must not live where the state does.
 */
function checkCrossKeys(c: Parsed, ctx: z.RefinementCtx) {
  const token = (c.wallarm as Partial<Parsed['wallarm']> | undefined)?.tokenParameter;
  if (typeof c.deployment === 'string' && token !== undefined && [statePath(c.deployment), lockPath(c.deployment)].includes(token)) {
    ctx.addIssue({ code: 'custom', path: ['wallarm', 'tokenParameter'], input: token, message: `${show(token)} is where wallarm-oob keeps this deployment's state or lock; use another path, e.g. /wallarm-oob/${c.deployment}/node-token` });
  }
  if (c.topology === 'web-server-mirror') {
    for (const key of ['mirror', 'rebuilder'] as const) {
      if (c[key] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [key], input: c[key], message: `only applies to topology vpc-mirror; remove the ${key} section, or set topology: vpc-mirror` });
      }
    }
  } else if (c.topology === 'vpc-mirror' && c.mirror === undefined) {
    ctx.addIssue({ code: 'custom', path: ['mirror'], input: undefined, message: 'is required for topology vpc-mirror; add a mirror section with at least one item under mirror.sources' });
  } else if (c.topology === 'vpc-mirror' && c.rebuilder !== undefined && (c.mirror as Partial<MirrorConfig> | undefined)?.receiver === 'native-node') {
    ctx.addIssue({
      code: 'custom',
      path: ['rebuilder'],
      input: c.rebuilder,
      message: 'only applies to mirror.receiver: goreplay (the legacy receiver); the default receiver native-node needs no rebuilders: remove the rebuilder section (size the nodes under mirror.nativeNode), or set mirror.receiver: goreplay',
    });
  }
}

/** Fills the defaults derived from other keys and narrows the result by topology. */
function finalize(c: Parsed) {
  const { mirror, rebuilder, ...rest } = c;
  const base = {
    ...rest,
    subnets: { ...c.subnets, instances: c.subnets.instances ?? c.subnets.loadBalancer },
    wallarm: { ...c.wallarm, tokenParameter: c.wallarm.tokenParameter ?? `/wallarm-oob/${c.deployment}/node-token` },
    network: { ...c.network, sshCidrs: c.network.sshCidrs ?? c.network.nodeInboundCidrs },
  };
  if (c.topology === 'vpc-mirror' && mirror) {
    const native = mirror.receiver === 'native-node';
    const { nativeNode, ...rest } = mirror;
    return {
      ...base,
      topology: c.topology,
      mirror: { ...rest, egress: mirror.egress ?? native, ...(native && { nativeNode: nativeNode ?? NativeNodeSchema.parse({}) }) },
      rebuilder: rebuilder ?? RebuilderSchema.parse({}),
    };
  }
  return { ...base, topology: 'web-server-mirror' as const };
}

const isObject = (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null;

export const ConfigSchema = ConfigObject.superRefine(checkCrossKeys, { when: isObject })
  .transform(finalize)
  .describe('wallarm-oob deployment config: Wallarm out-of-band traffic analysis in AWS.');

/** The config with every default applied, narrowed by topology (vpc-mirror carries mirror and rebuilder). */
export type Config = z.output<typeof ConfigSchema>;
/** What a user may write (keys with defaults optional). */
export type ConfigInput = z.input<typeof ConfigSchema>;
export type VpcMirrorConfig = Extract<Config, { topology: 'vpc-mirror' }>;
export type TopologyName = Config['topology'];
export type WebServerMirrorConfig = Extract<Config, { topology: 'web-server-mirror' }>;
export type WallarmMode = Config['wallarm']['mode'];
export type NodesConfig = Config['nodes'];
export type NetworkConfig = Config['network'];
export type MirrorConfig = VpcMirrorConfig['mirror'];
export type MirrorReceiver = (typeof MIRROR_RECEIVERS)[number];
export type RebuilderConfig = z.output<typeof RebuilderSchema>;

/** The Wallarm API host the nodes register with: wallarm.apiHost, else the host of wallarm.cloud. */
export function apiHostOf(config: Pick<Config, 'wallarm'>): string {
  return config.wallarm.apiHost ?? API_HOSTS[config.wallarm.cloud];
}
