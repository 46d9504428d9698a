/**
 * Which network interfaces Traffic Mirroring accepts as sources, judged from what describe calls return. Pure:
 * shared by plan-time resolution (resolve.ts) and the init wizard's discovery.
 */
import type { InstanceTypeInfo, NetworkInterface } from '@aws-sdk/client-ec2';

/**
 * Non-Nitro (Xen) families Traffic Mirroring supports ("Traffic Mirroring limitations", AWS VPC docs); not T2.
 */
const MIRRORABLE_XEN_FAMILIES = new Set(['c4', 'd2', 'g3', 'g3s', 'h1', 'i3', 'm4', 'p2', 'p3', 'r4', 'x1', 'x1e']);
/** Virtualized Nitro families on which Traffic Mirroring is NOT available (same AWS page, 2024-2025 list). */
const NITRO_WITHOUT_MIRRORING = new Set([
  'm6a', 'm6i', 'm6id', 'm6idn', 'm6in', 'm7a', 'm7g', 'm7gd', 'm7i', 'm7i-flex', 'm8g',
  'c6a', 'c6gd', 'c6gn', 'c6i', 'c6id', 'c6in', 'c7a', 'c7g', 'c7gd', 'c7gn', 'c7i', 'c8g',
  'r6a', 'r6i', 'r6id', 'r6idn', 'r6in', 'r7a', 'r7g', 'r7gd', 'r7i', 'r7iz', 'r8g', 'x2idn', 'x2iedn', 'x2iezn', 'x8g',
  'i4g', 'i4i', 'im4gn', 'is4gen',
  'inf2', 'p5', 'trn1', 'trn1n',
  'hpc6a', 'hpc6id', 'hpc7a', 'hpc7g',
]);

/** Whether Traffic Mirroring supports an instance type as a source, and why not. */
export type TypeSupport = { supported: true } | { supported: false; reason: string };

export function mirroringSupport(info: Pick<InstanceTypeInfo, 'InstanceType' | 'Hypervisor' | 'BareMetal'>): TypeSupport {
  const type = info.InstanceType ?? '';
  const family = type.split('.')[0] ?? '';
  if (info.BareMetal) return { supported: false, reason: `instance type ${type} is bare metal: Traffic Mirroring is not available on bare metal instances` };
  if (info.Hypervisor === 'xen' && !MIRRORABLE_XEN_FAMILIES.has(family)) {
    return { supported: false, reason: `instance type ${type} is a Xen (non-Nitro) type that Traffic Mirroring does not support; use a Nitro-based type such as m5 or c5` };
  }
  if (NITRO_WITHOUT_MIRRORING.has(family)) {
    return { supported: false, reason: `Traffic Mirroring is not available on the ${family} family (instance type ${type}); AWS lists it as unsupported` };
  }
  return { supported: true };
}

/** The requester-managed interfaces AWS lets you mirror: RDS, ElastiCache and Classic Load Balancer ones. */
export function mirrorableManagedService(e: Pick<NetworkInterface, 'RequesterId' | 'Description' | 'Attachment'>): string | undefined {
  const description = e.Description ?? '';
  const requester = e.RequesterId ?? e.Attachment?.InstanceOwnerId ?? '';
  // Classic: "ELB my-lb"; ALB/NLB/GWLB: "ELB app/…", "ELB net/…", "ELB gwy/…".
  if ((requester === 'amazon-elb' || /^ELB /.test(description)) && /^ELB [^/\s]+$/.test(description)) return 'Classic Load Balancer';
  if (requester === 'amazon-rds' || description === 'RDSNetworkInterface') return 'RDS';
  if (requester === 'amazon-elasticache' || /^ElastiCache /.test(description)) return 'ElastiCache';
  return undefined;
}

export interface EniVerdict {
  eligible: boolean;
  /** Why not (ineligible), or a caveat (eligible, e.g. support not checked). */
  reason?: string;
}

/**
 * What can be told from the interface and its instance type: type `interface`, not AWS-managed (except the
 * documented RDS / ElastiCache / Classic Load Balancer exceptions), attached to an instance of a type that
 * supports mirroring. `support` undefined: instance types could not be read (the init wizard keeps going).
 */
export function eniEligibility(e: NetworkInterface, instanceType: string | undefined, support: Map<string, TypeSupport> | undefined): EniVerdict {
  const type = e.InterfaceType ?? 'interface';
  const what = e.Description ? ` (${e.Description})` : '';
  if (e.RequesterManaged) {
    const service = mirrorableManagedService(e);
    if (service && type === 'interface') return { eligible: true, reason: `${service} interface managed by AWS: one of the documented exceptions` };
    return { eligible: false, reason: `managed by AWS${what}: load balancer, NAT gateway and endpoint interfaces cannot be mirrored` };
  }
  if (type !== 'interface') return { eligible: false, reason: `interface type ${type}${what} cannot be mirrored; only interfaces of type "interface" can` };
  if (!e.Attachment?.InstanceId) return { eligible: false, reason: 'not attached to an instance' };
  if (!instanceType || !support) return { eligible: true, reason: 'instance type support not checked' };
  const verdict = support.get(instanceType);
  if (verdict && !verdict.supported) return { eligible: false, reason: verdict.reason };
  return { eligible: true };
}

