/**
 * vpc-mirror: turns `mirror.sources` into the network interfaces that get a mirror session, on every plan,
 * read-only. Every look-up is a filtered, paginated describe with at most 200 filter values per call (never one
 * call per interface). An interface that cannot be mirrored is reported with the reason and skipped; only a
 * source that cannot be resolved at all (an Auto Scaling group that does not exist) is an error.
 *
 * The eligibility rules (eligibility.ts) are shared with the init wizard (src/init/discovery.ts).
 */
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeTrafficMirrorSessionsCommand,
  DescribeTrafficMirrorTargetsCommand,
  DescribeVpcsCommand,
  type _InstanceType,
  type Filter,
  type Instance,
  type NetworkInterface,
  type TrafficMirrorSession,
} from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../../aws/clients.js';
import type { MirrorSource, VpcMirrorConfig } from '../../../config/schema.js';
import type { MirrorSourceReport } from '../../../engine/plan.js';
import { ResolveError } from '../../../errors.js';
import { TAG_DEPLOYMENT } from '../../../resources/types.js';
import { chunks } from '../../../util/pool.js';
import { EC2_FILTER_VALUES_MAX, MIRROR_SESSIONS_PER_ENI } from '../../../aws/limits.js';
import { eniEligibility, mirroringSupport, type EniVerdict, type TypeSupport } from './eligibility.js';
import { sourceKey, sourceLabel } from './labels.js';

/** EC2 accepts up to 200 values per filter. */
/** DescribeInstanceTypes takes at most 100 types per call. */
const INSTANCE_TYPES_MAX = 100;

/** Instance type -> mirroring support, one DescribeInstanceTypes call per 100 distinct types. */
export async function describeMirroringSupport(aws: AwsClients, types: readonly string[]): Promise<Map<string, TypeSupport>> {
  const out = new Map<string, TypeSupport>();
  const distinct = [...new Set(types)];
  if (distinct.length === 0) return out;
  const ec2 = await aws.ec2();
  for (const batch of chunks(distinct, INSTANCE_TYPES_MAX)) {
    let token: string | undefined;
    do {
      const page = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: batch as _InstanceType[], NextToken: token }));
      for (const t of page.InstanceTypes ?? []) if (t.InstanceType) out.set(t.InstanceType, mirroringSupport(t));
      token = page.NextToken;
    } while (token);
  }
  return out;
}

// ------------------------------------------------------------------ resolution

export interface MirrorSourcesResolution {
  sources: MirrorSourceReport[];
  /** ENIs that get a session, sorted and unique. */
  eligible: string[];
  /** CIDR blocks of the deployment's VPC and of the VPCs of the eligible ENIs (sorted, unique). */
  vpcCidrs: string[];
}

export interface ResolveMirrorOptions {
  /** Prefix for messages naming a config key, e.g. `/path/wallarm-oob.yaml: `. */
  where: (key: string) => string;
  /**
   * Name of the deployment's own NLB: its interfaces are the mirror target and can never be sources. (They are
   * of type network_load_balancer anyway; naming them gives the better reason.)
   */
  ownNlbName?: string;
  /**
   * Interfaces that already carry this deployment's session (from the live read of the session set): AWS
   * accepted them as sources, so only the other, new interfaces are checked.
   */
  mirroredEnis?: ReadonlySet<string>;
}

interface Selection {
  enis: string[];
  missing: { eni: string; reason: string }[];
  note?: string;
}

/** Resolves every `mirror.sources` item against the account and checks each selected ENI. */
export async function resolveMirrorSources(aws: AwsClients, config: VpcMirrorConfig, options: ResolveMirrorOptions): Promise<MirrorSourcesResolution> {
  const ec2 = await aws.ec2();
  const found = new Map<string, NetworkInterface>();
  const describeEnis = async (filters: Filter[], name: string, values: readonly string[]): Promise<NetworkInterface[]> => {
    const out: NetworkInterface[] = [];
    for (const batch of chunks([...new Set(values)], EC2_FILTER_VALUES_MAX)) {
      let token: string | undefined;
      do {
        const page = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [...filters, { Name: name, Values: batch }], MaxResults: 1000, NextToken: token }));
        out.push(...(page.NetworkInterfaces ?? []));
        token = page.NextToken;
      } while (token);
    }
    for (const e of out) if (e.NetworkInterfaceId) found.set(e.NetworkInterfaceId, e);
    return out;
  };
  const ids = (enis: NetworkInterface[]) => enis.map((e) => e.NetworkInterfaceId!).filter(Boolean);

  const selections: Selection[] = [];
  for (const [index, source] of config.mirror.sources.entries()) {
    selections.push(await select(source, index));
  }

  async function select(source: MirrorSource, index: number): Promise<Selection> {
    const key = sourceKey(source, index);
    if ('networkInterfaceIds' in source) {
      const enis = ids(await describeEnis([], 'network-interface-id', source.networkInterfaceIds));
      const missing = source.networkInterfaceIds.filter((id) => !enis.includes(id)).map((eni) => ({ eni, reason: 'does not exist in this account and region' }));
      return { enis, missing };
    }
    if ('autoScalingGroup' in source) {
      const client = await aws.autoscaling();
      const out = await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [source.autoScalingGroup] }));
      const group = out.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === source.autoScalingGroup);
      if (!group) {
        throw new ResolveError('MIRROR_SOURCE_NOT_FOUND', `${options.where(key)}: the Auto Scaling group ${source.autoScalingGroup} does not exist in this account and region.`, {
          actions: ['Check the name and the region: aws autoscaling describe-auto-scaling-groups --query "AutoScalingGroups[].AutoScalingGroupName"', 'Or remove the source: wallarm-oob remove-eni --asg ' + source.autoScalingGroup],
        });
      }
      const instances = (group.Instances ?? []).filter((i) => !/^(Terminat|Detach|Warmed)/.test(i.LifecycleState ?? '')).map((i) => i.InstanceId!).filter(Boolean);
      if (instances.length === 0) return { enis: [], missing: [], note: 'the group has no running instance now; its instances get sessions at the next plan or add-eni after they start' };
      // The group's instances' primary interfaces (device index 0).
      const enis = (await describeEnis([], 'attachment.instance-id', instances)).filter((e) => (e.Attachment?.DeviceIndex ?? 0) === 0);
      return { enis: ids(enis), missing: [] };
    }
    if ('tags' in source) {
      const filters = [{ Name: 'vpc-id', Values: [config.vpcId] }, ...Object.entries(source.tags).map(([k, v]) => ({ Name: `tag:${k}`, Values: [v] }))];
      const [first, ...rest] = filters;
      const enis = ids(await describeEnis(rest, first!.Name, first!.Values));
      return { enis, missing: [], note: enis.length ? undefined : `no network interface in ${config.vpcId} carries all of these tags (yet)` };
    }
    if ('eks' in source) {
      const filters: Filter[] = [
        { Name: 'tag:eks:cluster-name', Values: [source.eks.cluster] },
        { Name: 'instance-state-name', Values: ['pending', 'running'] },
        ...(source.eks.nodeGroups ? [{ Name: 'tag:eks:nodegroup-name', Values: source.eks.nodeGroups }] : []),
      ];
      const instances: string[] = [];
      let token: string | undefined;
      do {
        const page = await ec2.send(new DescribeInstancesCommand({ Filters: filters, NextToken: token }));
        for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) if (i.InstanceId) instances.push(i.InstanceId);
        token = page.NextToken;
      } while (token);
      const groups = source.eks.nodeGroups ? ` in node group(s) ${source.eks.nodeGroups.join(', ')}` : '';
      if (instances.length === 0) return { enis: [], missing: [], note: `no running instance carries eks:cluster-name=${source.eks.cluster}${groups}` };
      // Every interface of the nodes: with the VPC CNI, pod traffic uses the secondary interfaces too.
      return { enis: ids(await describeEnis([], 'attachment.instance-id', instances)), missing: [] };
    }
    const enis = await describeEnis([], 'addresses.association.public-ip', source.elbPublicIps);
    const publicIps = new Set(enis.flatMap((e) => [e.Association?.PublicIp, ...(e.PrivateIpAddresses ?? []).map((p) => p.Association?.PublicIp)]).filter(Boolean));
    const unmatched = source.elbPublicIps.filter((ip) => !publicIps.has(ip));
    return { enis: ids(enis), missing: [], note: unmatched.length ? `no network interface has the public IP ${unmatched.join(', ')}` : undefined };
  }

  // What decides eligibility, read once for all the new interfaces: one that already carries this
  // deployment's session was accepted by AWS as a source, so a steady 10,000-session deployment pays for none
  // of these reads.
  const all = [...found.values()];
  const mirrored = (id: string) => options.mirroredEnis?.has(id) ?? false;
  const fresh = all.filter((e) => !mirrored(e.NetworkInterfaceId!));
  const instanceIds = [...new Set(fresh.map((e) => e.Attachment?.InstanceId).filter((id): id is string => Boolean(id)))];
  const instances = await describeInstances(aws, instanceIds);
  const support = await describeMirroringSupport(aws, [...instances.values()].map((i) => i.InstanceType as string | undefined).filter((t): t is string => Boolean(t)));
  const freshIds = fresh.map((e) => e.NetworkInterfaceId!);
  const sessions = await sessionsOn(aws, freshIds);
  const targets = await targetsOn(aws, freshIds);

  const verdicts = new Map<string, EniVerdict>();
  for (const e of all) {
    const id = e.NetworkInterfaceId!;
    if (mirrored(id)) {
      verdicts.set(id, { eligible: true });
      continue;
    }
    const instance = e.Attachment?.InstanceId ? instances.get(e.Attachment.InstanceId) : undefined;
    verdicts.set(id, verdictFor(e, instance, support, sessions.get(id) ?? [], targets.get(id), config, options));
  }

  const reports: MirrorSourceReport[] = config.mirror.sources.map((source, index) => {
    const selection = selections[index]!;
    const unique = [...new Set(selection.enis)].sort();
    return {
      label: sourceLabel(source),
      key: sourceKey(source, index),
      resolved: true,
      eligible: unique.filter((id) => verdicts.get(id)?.eligible),
      ineligible: [...selection.missing, ...unique.filter((id) => !verdicts.get(id)?.eligible).map((eni) => ({ eni, reason: verdicts.get(eni)?.reason ?? 'cannot be mirrored' }))],
      ...(selection.note && { note: selection.note }),
    };
  });
  const eligible = [...new Set(reports.flatMap((r) => r.eligible))].sort();
  const vpcIds = [config.vpcId, ...eligible.map((id) => found.get(id)?.VpcId).filter((v): v is string => Boolean(v))];
  return { sources: reports, eligible, vpcCidrs: await vpcCidrs(aws, vpcIds) };
}

function verdictFor(
  e: NetworkInterface,
  instance: Instance | undefined,
  support: Map<string, TypeSupport>,
  foreignAndOwn: TrafficMirrorSession[],
  target: string | undefined,
  config: VpcMirrorConfig,
  options: ResolveMirrorOptions,
): EniVerdict {
  // A foreign session using mirror.firstSessionNumber is no obstacle: the sessions handler takes the next free
  // number on that interface. Only the per-interface quota is.
  if (options.ownNlbName && (e.Description ?? '').startsWith(`ELB net/${options.ownNlbName}/`)) {
    return { eligible: false, reason: "an interface of this deployment's own Network Load Balancer (the mirror target) cannot be a source" };
  }
  const base = eniEligibility(e, instance?.InstanceType, support);
  if (!base.eligible) return base;
  if (instance?.Tags?.some((t) => t.Key === TAG_DEPLOYMENT && t.Value === config.deployment)) {
    return { eligible: false, reason: `belongs to ${instance.InstanceId}, an instance of this deployment: mirroring it would feed the rebuilders their own traffic` };
  }
  if (target) return { eligible: false, reason: `is the traffic mirror target ${target}: an interface cannot be both a source and a target` };
  const foreign = foreignAndOwn.filter((s) => !s.Tags?.some((t) => t.Key === TAG_DEPLOYMENT && t.Value === config.deployment));
  if (foreign.length >= MIRROR_SESSIONS_PER_ENI) {
    return { eligible: false, reason: `already has ${foreign.length} traffic mirror sessions of other tools (${foreign.map((s) => s.TrafficMirrorSessionId).join(', ')}); AWS allows ${MIRROR_SESSIONS_PER_ENI} per interface` };
  }
  return { eligible: true };
}

/**
 * Pages of a describe call for a set of ids: filtered by the ids in batches while that takes at most two
 * calls, else one unfiltered listing of everything (1,000 per page) — 10,000 ENIs cost 10 pages, not 50 batches.
 */
async function* describePages<T>(ids: readonly string[], page: (filterValues: string[] | undefined, token: string | undefined) => Promise<{ items: T[]; next?: string }>): AsyncGenerator<T> {
  if (ids.length === 0) return;
  const batches: (string[] | undefined)[] = ids.length <= 2 * EC2_FILTER_VALUES_MAX ? chunks([...new Set(ids)], EC2_FILTER_VALUES_MAX) : [undefined];
  for (const batch of batches) {
    let token: string | undefined;
    do {
      const out = await page(batch, token);
      yield* out.items;
      token = out.next;
    } while (token);
  }
}

async function describeInstances(aws: AwsClients, instanceIds: readonly string[]): Promise<Map<string, Instance>> {
  const ec2 = await aws.ec2();
  const wanted = new Set(instanceIds);
  const out = new Map<string, Instance>();
  // A filter, not InstanceIds: an instance terminated since the ENI listing is simply absent, not an error.
  const pages = describePages(instanceIds, async (values, NextToken) => {
    const page = await ec2.send(new DescribeInstancesCommand({ Filters: values ? [{ Name: 'instance-id', Values: values }] : undefined, MaxResults: values ? undefined : 1000, NextToken }));
    return { items: (page.Reservations ?? []).flatMap((r) => r.Instances ?? []), next: page.NextToken };
  });
  for await (const i of pages) if (i.InstanceId && wanted.has(i.InstanceId)) out.set(i.InstanceId, i);
  return out;
}

/** Existing traffic mirror sessions per source ENI (any owner tool). */
async function sessionsOn(aws: AwsClients, eniIds: readonly string[]): Promise<Map<string, TrafficMirrorSession[]>> {
  const ec2 = await aws.ec2();
  const wanted = new Set(eniIds);
  const out = new Map<string, TrafficMirrorSession[]>();
  const pages = describePages(eniIds, async (values, NextToken) => {
    const page = await ec2.send(new DescribeTrafficMirrorSessionsCommand({ Filters: values ? [{ Name: 'network-interface-id', Values: values }] : undefined, MaxResults: 1000, NextToken }));
    return { items: page.TrafficMirrorSessions ?? [], next: page.NextToken };
  });
  for await (const s of pages) {
    if (!s.NetworkInterfaceId || !wanted.has(s.NetworkInterfaceId)) continue;
    out.set(s.NetworkInterfaceId, [...(out.get(s.NetworkInterfaceId) ?? []), s]);
  }
  return out;
}

/** ENI -> the traffic mirror target it is (an ENI cannot be both a source and a target). */
async function targetsOn(aws: AwsClients, eniIds: readonly string[]): Promise<Map<string, string>> {
  const ec2 = await aws.ec2();
  const wanted = new Set(eniIds);
  const out = new Map<string, string>();
  const pages = describePages(eniIds, async (values, NextToken) => {
    const page = await ec2.send(new DescribeTrafficMirrorTargetsCommand({ Filters: values ? [{ Name: 'network-interface-id', Values: values }] : undefined, MaxResults: 1000, NextToken }));
    return { items: page.TrafficMirrorTargets ?? [], next: page.NextToken };
  });
  for await (const t of pages) if (t.NetworkInterfaceId && t.TrafficMirrorTargetId && wanted.has(t.NetworkInterfaceId)) out.set(t.NetworkInterfaceId, t.TrafficMirrorTargetId);
  return out;
}

async function vpcCidrs(aws: AwsClients, vpcIds: readonly string[]): Promise<string[]> {
  const ec2 = await aws.ec2();
  const cidrs = new Set<string>();
  for (const batch of chunks([...new Set(vpcIds)], EC2_FILTER_VALUES_MAX)) {
    const out = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: batch }] }));
    for (const vpc of out.Vpcs ?? []) {
      const associated = (vpc.CidrBlockAssociationSet ?? []).filter((a) => a.CidrBlockState?.State === 'associated' && a.CidrBlock).map((a) => a.CidrBlock!);
      for (const c of associated.length ? associated : [vpc.CidrBlock].filter((c): c is string => Boolean(c))) cidrs.add(c);
    }
  }
  return [...cidrs].sort();
}

