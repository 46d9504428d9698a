import type * as A from '@aws-sdk/client-auto-scaling';
import { awsError } from './errors.js';
import type { World } from './world.js';
import { paginate, required, tagFilterMode } from './util.js';

type Out<T> = Omit<T, '$metadata'>;

export interface AsgInstanceRec {
  id: string;
  az: string;
  subnetId: string;
  launchedAt: number;
  inServiceAt: number;
  terminatingAt?: number;
  goneAt?: number;
  lt: { id: string; name: string; version: string };
  registered: boolean;
  protectedFromScaleIn: boolean;
}
export interface GroupTag {
  value: string;
  propagate: boolean;
}
export interface GroupRec {
  name: string;
  arn: string;
  lt: { id: string; name: string; version: string };
  min: number;
  max: number;
  desired: number;
  subnets: string[];
  targetGroups: string[];
  healthCheckType: string;
  grace: number;
  defaultCooldown: number;
  defaultInstanceWarmup?: number;
  newInstancesProtected: boolean;
  tags: Map<string, GroupTag>;
  createdAt: number;
  deleting?: { at: number; goneAt: number };
  metrics?: string[];
  instances: Map<string, AsgInstanceRec>;
  nextLaunchAt: number;
}
export interface RefreshRec {
  id: string;
  group: string;
  status: A.InstanceRefreshStatus;
  statusReason?: string;
  startTime: number;
  endTime?: number;
  cursor: number;
  toReplace: string[];
  total: number;
  replaced: number;
  current?: { oldId: string; newId: string };
  prefs: A.RefreshPreferences;
  desiredLt?: { id: string; name: string; version: string };
}
export interface ActivityRec {
  id: string;
  group: string;
  groupArn: string;
  details: string;
  description: string;
  cause: string;
  start: number;
  end?: number;
  status: A.ScalingActivityStatusCode;
  statusMessage?: string;
}
export interface PolicyRec {
  arn: string;
  group: string;
  name: string;
  type: string;
  targetTracking?: A.TargetTrackingConfiguration;
  alarms: A.Alarm[];
  enabled: boolean;
}

const ALL_METRICS = [
  'GroupMinSize',
  'GroupMaxSize',
  'GroupDesiredCapacity',
  'GroupInServiceInstances',
  'GroupPendingInstances',
  'GroupStandbyInstances',
  'GroupTerminatingInstances',
  'GroupTotalInstances',
  'GroupInServiceCapacity',
  'GroupPendingCapacity',
  'GroupStandbyCapacity',
  'GroupTerminatingCapacity',
  'GroupTotalCapacity',
  'WarmPoolDesiredCapacity',
  'WarmPoolWarmedCapacity',
  'WarmPoolPendingCapacity',
  'WarmPoolTerminatingCapacity',
  'WarmPoolTotalCapacity',
  'GroupAndWarmPoolDesiredCapacity',
  'GroupAndWarmPoolTotalCapacity',
  'WarmPoolMinSize',
];
const PREDEFINED_METRICS = ['ASGAverageCPUUtilization', 'ASGAverageNetworkIn', 'ASGAverageNetworkOut', 'ALBRequestCountPerTarget'];
const ACTIVE_REFRESH: A.InstanceRefreshStatus[] = ['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking'];

export class AutoScalingModel {
  readonly groups = new Map<string, GroupRec>();
  readonly refreshes: RefreshRec[] = [];
  readonly activities: ActivityRec[] = [];
  readonly policies = new Map<string, PolicyRec>();

  constructor(private readonly w: World) {}

  // ------------------------------------------------------------------ helpers

  private group(name: string | undefined, opts: { allowDeleting?: boolean } = {}): GroupRec {
    const n = required(name, 'AutoScalingGroupName', 'ValidationError');
    const g = this.groups.get(n);
    if (!g || this.w.hidden(`asg:${n}`)) throw awsError('ValidationError', `AutoScalingGroup name not found - AutoScalingGroup '${n}' not found`);
    if (g.deleting && !opts.allowDeleting) throw awsError('ValidationError', `AutoScalingGroup '${n}' is pending delete.`);
    return g;
  }

  instanceLifecycle(i: AsgInstanceRec, now: number): A.LifecycleState {
    if (i.terminatingAt !== undefined) return 'Terminating';
    return now < i.inServiceAt ? 'Pending' : 'InService';
  }

  private resolveLt(ltSpec: A.LaunchTemplateSpecification | undefined): { id: string; name: string; version: string } {
    if (!ltSpec) throw awsError('ValidationError', 'Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.');
    if (ltSpec.LaunchTemplateId && ltSpec.LaunchTemplateName) {
      throw awsError('ValidationError', 'Valid requests must contain either launchTemplateId or LaunchTemplateName, but not both.');
    }
    const lt = this.w.ec2.templates.findLaunchTemplate(ltSpec.LaunchTemplateId, ltSpec.LaunchTemplateName);
    if (!lt) {
      throw awsError(
        'ValidationError',
        ltSpec.LaunchTemplateId
          ? `You must use a valid fully-formed launch template. The specified launch template, with template ID ${ltSpec.LaunchTemplateId}, does not exist.`
          : `You must use a valid fully-formed launch template. The specified launch template, with template name ${ltSpec.LaunchTemplateName}, does not exist.`,
      );
    }
    const version = ltSpec.Version ?? '$Default';
    if (version !== '$Latest' && version !== '$Default' && !lt.versions.has(Number(version))) {
      throw awsError('ValidationError', `You must use a valid fully-formed launch template. Could not find launch template version ${version} for launch template ${lt.id}`);
    }
    return { id: lt.id, name: lt.name, version };
  }

  private validateSubnets(vpcZoneIdentifier: string | undefined): string[] {
    const subnets = (vpcZoneIdentifier ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (!subnets.length) throw awsError('ValidationError', 'No default VPC for this user. Specify VPCZoneIdentifier.');
    let vpcId: string | undefined;
    for (const id of subnets) {
      const s = this.w.ec2.subnets.get(id);
      if (!s) throw awsError('ValidationError', `The subnet ID '${id}' does not exist`);
      if (vpcId && s.vpcId !== vpcId) throw awsError('ValidationError', 'The subnets specified must be in the same VPC.');
      vpcId = s.vpcId;
    }
    return subnets;
  }

  private validateTargetGroups(arns: string[], subnets: string[]): void {
    if (arns.length > 50) throw awsError('ValidationError', 'Too many Target Groups specified for this group. The limit is 50');
    const vpcId = this.w.ec2.subnets.get(subnets[0] ?? '')?.vpcId;
    for (const arn of arns) {
      const tg = this.w.elbv2.targetGroups.get(arn);
      if (!tg) throw awsError('ValidationError', 'Provided Target Groups may not be valid. Please ensure they exist and try again.');
      if (vpcId && tg.vpcId !== vpcId) throw awsError('ValidationError', `Target group ${arn} is not in the same VPC as the Auto Scaling group.`);
      if (tg.targetType !== 'instance') throw awsError('ValidationError', `Target group ${arn} has target type '${tg.targetType}'; only 'instance' can be attached to an Auto Scaling group.`);
    }
  }

  private validateSizes(min: number, max: number, desired: number): void {
    if (min < 0 || max < 0) throw awsError('ValidationError', 'Min and max size must be non-negative');
    if (min > max) throw awsError('ValidationError', `Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
    if (desired < min || desired > max) {
      throw awsError('ValidationError', `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
    }
  }

  private putTags(g: GroupRec, tags: A.Tag[] | undefined): void {
    for (const t of tags ?? []) {
      const key = required(t.Key, 'Tags.member.Key', 'ValidationError');
      if (key.toLowerCase().startsWith('aws:')) throw awsError('ValidationError', `Tag key cannot start with 'aws:': ${key}`);
      if (t.ResourceType !== undefined && t.ResourceType !== 'auto-scaling-group') throw awsError('ValidationError', `Invalid resource type: ${t.ResourceType}`);
      if (t.ResourceId !== undefined && t.ResourceId !== g.name) throw awsError('ValidationError', `Tag ResourceId '${t.ResourceId}' does not match group '${g.name}'`);
      g.tags.set(key, { value: t.Value ?? '', propagate: t.PropagateAtLaunch ?? false });
    }
    if (g.tags.size > 50) throw awsError('LimitExceeded', 'The number of tags exceeds the limit of 50 per Auto Scaling group');
  }

  private activity(g: GroupRec, description: string, cause: string, at: number, status: A.ScalingActivityStatusCode, statusMessage?: string, subnetId?: string): void {
    const subnet = subnetId ? this.w.ec2.subnets.get(subnetId) : undefined;
    const details = JSON.stringify(subnet ? { 'Subnet ID': subnet.id, 'Availability Zone': subnet.az } : {});
    this.activities.push({
      id: this.w.ids.uuid(),
      group: g.name,
      groupArn: g.arn,
      details,
      description,
      cause,
      start: at,
      end: status === 'InProgress' ? undefined : at,
      status,
      statusMessage,
    });
  }

  /** Launches one instance for the group (AZ-balanced). Returns an error message when the launch fails. */
  private launch(g: GroupRec, at: number, lt = g.lt, cause = 'an instance was started in response to a difference between desired and actual capacity'): AsgInstanceRec | string {
    const active = [...g.instances.values()].filter((i) => i.terminatingAt === undefined);
    const perAz = new Map<string, number>();
    for (const s of g.subnets) perAz.set(this.w.ec2.subnets.get(s)!.az, 0);
    for (const i of active) perAz.set(i.az, (perAz.get(i.az) ?? 0) + 1);
    const subnetId = [...g.subnets].sort((a, b) => (perAz.get(this.w.ec2.subnets.get(a)!.az) ?? 0) - (perAz.get(this.w.ec2.subnets.get(b)!.az) ?? 0))[0]!;
    const r = this.w.ec2.compute.resolveLaunch(lt.id, lt.version, subnetId, at);
    if (!r.ok) {
      // As AWS words it: EC2's message, then "Launching EC2 instance failed."
      const message = `${r.message}. Launching EC2 instance failed.`.replace('.. ', '. ');
      this.activity(g, 'Launching a new EC2 instance.  Status Reason: ' + message, `At ${new Date(at).toISOString()} ${cause}.`, at, 'Failed', message, subnetId);
      return r.message;
    }
    const tags = new Map<string, string>();
    for (const spec of r.data.TagSpecifications ?? []) if (spec.ResourceType === 'instance') for (const t of spec.Tags ?? []) if (t.Key) tags.set(t.Key, t.Value ?? '');
    for (const [k, t] of g.tags) if (t.propagate) tags.set(k, t.value);
    tags.set('aws:autoscaling:groupName', g.name);
    tags.set('aws:ec2launchtemplate:id', r.lt.id);
    tags.set('aws:ec2launchtemplate:version', String(r.version));
    const sgIds = [...(r.data.SecurityGroupIds ?? []), ...(r.data.NetworkInterfaces?.flatMap((n) => n.Groups ?? []) ?? [])];
    const inst = this.w.ec2.compute.launchInstance({
      imageId: r.data.ImageId!,
      instanceType: r.data.InstanceType!,
      subnetId,
      sgIds,
      tags,
      at,
      launchTemplate: { id: r.lt.id, name: r.lt.name, version: String(r.version) },
      iamInstanceProfileArn: r.profileArn,
      keyName: r.data.KeyName,
    });
    const rec: AsgInstanceRec = {
      id: inst.id,
      az: inst.az,
      subnetId,
      launchedAt: at,
      inServiceAt: at + this.w.delays.instanceInServiceMs,
      lt: { id: r.lt.id, name: r.lt.name, version: String(r.version) },
      registered: false,
      protectedFromScaleIn: g.newInstancesProtected,
    };
    g.instances.set(inst.id, rec);
    this.activity(g, `Launching a new EC2 instance: ${inst.id}`, `At ${new Date(at).toISOString()} ${cause}.`, at, 'Successful', undefined, subnetId);
    return rec;
  }

  private terminate(g: GroupRec, i: AsgInstanceRec, at: number, cause: string): void {
    if (i.terminatingAt !== undefined) return;
    i.terminatingAt = at;
    i.goneAt = at + this.w.delays.instanceTerminateMs;
    for (const tg of g.targetGroups) this.w.elbv2.deregisterTarget(tg, i.id, at);
    this.w.ec2.compute.terminateInstance(i.id, at);
    this.activity(g, `Terminating EC2 instance: ${i.id}`, `At ${new Date(at).toISOString()} ${cause}.`, at, 'Successful');
  }

  private warmupMs(g: GroupRec, r: RefreshRec): number {
    return (r.prefs.InstanceWarmup ?? g.defaultInstanceWarmup ?? g.grace) * 1000;
  }

  private advanceRefresh(g: GroupRec, r: RefreshRec, now: number): void {
    while (r.status === 'InProgress') {
      if (r.current) {
        const fresh = g.instances.get(r.current.newId);
        if (!fresh) {
          r.status = 'Failed';
          r.statusReason = `Replacement instance ${r.current.newId} was terminated.`;
          r.endTime = r.cursor;
          return;
        }
        const readyAt = fresh.inServiceAt + this.warmupMs(g, r);
        if (now < readyAt) return;
        const inst = this.w.ec2.instances.get(fresh.id);
        if (g.healthCheckType === 'ELB' && g.targetGroups.length && inst && !inst.healthy) {
          r.status = 'Failed';
          r.statusReason = `Instance ${fresh.id} failed Elastic Load Balancing health checks.`;
          r.endTime = readyAt;
          return;
        }
        r.replaced++;
        r.cursor = readyAt;
        r.current = undefined;
      }
      const nextOld = r.toReplace.map((id) => g.instances.get(id)).find((i): i is AsgInstanceRec => !!i && i.terminatingAt === undefined);
      if (!nextOld) {
        r.status = 'Successful';
        r.endTime = r.cursor;
        if (r.desiredLt) g.lt = r.desiredLt;
        return;
      }
      if (r.cursor > now) return;
      this.terminate(g, nextOld, r.cursor, 'an instance was taken out of service in response to an instance refresh');
      const launched = this.launch(g, r.cursor, r.desiredLt ?? g.lt, 'an instance was started in response to an instance refresh');
      if (typeof launched === 'string') {
        r.status = 'Failed';
        r.statusReason = launched;
        r.endTime = r.cursor;
        return;
      }
      r.current = { oldId: nextOld.id, newId: launched.id };
    }
  }

  /** Lazily advances every group to `now`: refreshes, lifecycle transitions, capacity, deletions. */
  settle(now: number): void {
    for (const g of [...this.groups.values()]) {
      if (g.deleting) {
        for (const [id, i] of g.instances) if (i.goneAt !== undefined && now >= i.goneAt) g.instances.delete(id);
        if (now >= g.deleting.goneAt) this.groups.delete(g.name);
        continue;
      }
      for (const r of this.refreshes) if (r.group === g.name && r.status === 'InProgress') this.advanceRefresh(g, r, now);
      for (const [id, i] of g.instances) {
        if (!i.registered && i.terminatingAt === undefined && now >= i.inServiceAt) {
          for (const tg of g.targetGroups) this.w.elbv2.registerTarget(tg, i.id, i.inServiceAt);
          i.registered = true;
        }
        if (i.goneAt !== undefined && now >= i.goneAt) g.instances.delete(id);
      }
      this.reconcile(g, now);
    }
  }

  private reconcile(g: GroupRec, now: number): void {
    for (const i of g.instances.values()) {
      if (i.terminatingAt === undefined && !g.subnets.includes(i.subnetId)) this.terminate(g, i, now, 'an instance was taken out of service because its subnet was removed from the group');
    }
    const active = () => [...g.instances.values()].filter((i) => i.terminatingAt === undefined);
    if (active().length > g.desired) {
      let extra = active().length - g.desired;
      while (extra-- > 0) {
        const candidates = active().filter((i) => !i.protectedFromScaleIn);
        if (!candidates.length) break;
        const perAz = new Map<string, number>();
        for (const i of active()) perAz.set(i.az, (perAz.get(i.az) ?? 0) + 1);
        candidates.sort((a, b) => (perAz.get(b.az) ?? 0) - (perAz.get(a.az) ?? 0) || Number(a.lt.version) - Number(b.lt.version) || a.launchedAt - b.launchedAt);
        this.terminate(g, candidates[0]!, now, `a user request update of AutoScalingGroup constraints to min: ${g.min}, max: ${g.max}, desired: ${g.desired} changing the desired capacity`);
      }
    }
    while (active().length < g.desired && now >= g.nextLaunchAt) {
      const launched = this.launch(g, now);
      if (typeof launched === 'string') {
        g.nextLaunchAt = now + this.w.delays.launchRetryMs;
        break;
      }
    }
  }

  private groupOut(g: GroupRec, now: number): A.AutoScalingGroup {
    const azs = [...new Set(g.subnets.map((s) => this.w.ec2.subnets.get(s)?.az ?? ''))];
    return {
      AutoScalingGroupName: g.name,
      AutoScalingGroupARN: g.arn,
      LaunchTemplate: { LaunchTemplateId: g.lt.id, LaunchTemplateName: g.lt.name, Version: g.lt.version },
      MinSize: g.min,
      MaxSize: g.max,
      DesiredCapacity: g.desired,
      DefaultCooldown: g.defaultCooldown,
      ...(g.defaultInstanceWarmup !== undefined && { DefaultInstanceWarmup: g.defaultInstanceWarmup }),
      AvailabilityZones: azs,
      LoadBalancerNames: [],
      TargetGroupARNs: [...g.targetGroups],
      TrafficSources: g.targetGroups.map((arn) => ({ Identifier: arn, Type: 'elbv2' })),
      HealthCheckType: g.healthCheckType,
      HealthCheckGracePeriod: g.grace,
      Instances: [...g.instances.values()].map((i) => ({
        InstanceId: i.id,
        InstanceType: this.w.ec2.instances.get(i.id)?.instanceType,
        AvailabilityZone: i.az,
        LifecycleState: this.instanceLifecycle(i, now),
        HealthStatus: this.healthStatus(g, i, now),
        LaunchTemplate: { LaunchTemplateId: i.lt.id, LaunchTemplateName: i.lt.name, Version: i.lt.version },
        ProtectedFromScaleIn: i.protectedFromScaleIn,
      })),
      CreatedTime: new Date(g.createdAt),
      SuspendedProcesses: [],
      VPCZoneIdentifier: g.subnets.join(','),
      EnabledMetrics: (g.metrics ?? []).map((m) => ({ Metric: m, Granularity: '1Minute' })),
      Tags: [...g.tags].map(([Key, t]) => ({ ResourceId: g.name, ResourceType: 'auto-scaling-group', Key, Value: t.value, PropagateAtLaunch: t.propagate })),
      TerminationPolicies: ['Default'],
      NewInstancesProtectedFromScaleIn: g.newInstancesProtected,
      ServiceLinkedRoleARN: `arn:aws:iam::${this.w.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
      CapacityRebalance: false,
      ...(g.deleting && { Status: 'Delete in progress' }),
    };
  }

  private healthStatus(g: GroupRec, i: AsgInstanceRec, now: number): string {
    if (g.healthCheckType !== 'ELB' || now < i.launchedAt + g.grace * 1000) return 'Healthy';
    for (const arn of g.targetGroups) {
      const tg = this.w.elbv2.targetGroups.get(arn);
      const t = tg && [...tg.targets.values()].find((x) => x.id === i.id && x.deregisteredAt === undefined);
      if (tg && t && this.w.elbv2.targetHealth(tg, t, now).State === 'unhealthy') return 'Unhealthy';
    }
    return 'Healthy';
  }

  // ------------------------------------------------------------------ groups

  CreateAutoScalingGroup(input: A.CreateAutoScalingGroupCommandInput): Out<A.CreateAutoScalingGroupCommandOutput> {
    const name = required(input.AutoScalingGroupName, 'AutoScalingGroupName', 'ValidationError');
    if (name.length > 255) throw awsError('ValidationError', 'AutoScalingGroupName must be at most 255 characters');
    if (this.groups.has(name)) throw awsError('AlreadyExists', `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`);
    if (input.MixedInstancesPolicy || input.LaunchConfigurationName || input.InstanceId) throw awsError('ValidationError', 'fake-aws models only LaunchTemplate-based groups');
    const lt = this.resolveLt(input.LaunchTemplate);
    const min = required(input.MinSize, 'MinSize', 'ValidationError');
    const max = required(input.MaxSize, 'MaxSize', 'ValidationError');
    const desired = input.DesiredCapacity ?? min;
    this.validateSizes(min, max, desired);
    const subnets = this.validateSubnets(input.VPCZoneIdentifier);
    const tgs = input.TargetGroupARNs ?? input.TrafficSources?.filter((t) => (t.Type ?? 'elbv2') === 'elbv2').map((t) => t.Identifier!) ?? [];
    this.validateTargetGroups(tgs, subnets);
    const hct = input.HealthCheckType ?? 'EC2';
    if (!['EC2', 'ELB', 'VPC_LATTICE', 'EBS'].includes(hct)) throw awsError('ValidationError', `Invalid health check type: ${hct}`);
    const now = this.w.now();
    const g: GroupRec = {
      name,
      arn: `arn:aws:autoscaling:${this.w.region}:${this.w.accountId}:autoScalingGroup:${this.w.ids.uuid()}:autoScalingGroupName/${name}`,
      lt,
      min,
      max,
      desired,
      subnets,
      targetGroups: [...new Set(tgs)],
      healthCheckType: hct,
      grace: input.HealthCheckGracePeriod ?? 0,
      defaultCooldown: input.DefaultCooldown ?? 300,
      defaultInstanceWarmup: input.DefaultInstanceWarmup,
      newInstancesProtected: input.NewInstancesProtectedFromScaleIn ?? false,
      tags: new Map(),
      createdAt: now,
      instances: new Map(),
      nextLaunchAt: now,
    };
    this.putTags(g, input.Tags);
    this.groups.set(name, g);
    this.w.created(`asg:${name}`);
    this.reconcile(g, now);
    return {};
  }

  DescribeAutoScalingGroups(input: A.DescribeAutoScalingGroupsCommandInput): Out<A.DescribeAutoScalingGroupsCommandOutput> {
    const now = this.w.now();
    if (input.MaxRecords !== undefined && (input.MaxRecords < 1 || input.MaxRecords > 100)) throw awsError('ValidationError', 'MaxRecords must be between 1 and 100');
    let items = [...this.groups.values()];
    if (input.AutoScalingGroupNames?.length) items = items.filter((g) => input.AutoScalingGroupNames!.includes(g.name) && !this.w.hidden(`asg:${g.name}`));
    for (const f of input.Filters ?? []) {
      const name = required(f.Name, 'Filters.member.Name', 'ValidationError');
      const values = f.Values ?? [];
      if (tagFilterMode.ignore && (name.startsWith('tag:') || name === 'tag-key' || name === 'tag-value')) continue;
      if (name.startsWith('tag:')) {
        const key = name.slice(4);
        items = items.filter((g) => g.tags.has(key) && values.includes(g.tags.get(key)!.value));
      } else if (name === 'tag-key') items = items.filter((g) => [...g.tags.keys()].some((k) => values.includes(k)));
      else if (name === 'tag-value') items = items.filter((g) => [...g.tags.values()].some((t) => values.includes(t.value)));
      else throw awsError('ValidationError', `Filter name '${name}' is not valid; valid names are tag:<key>, tag-key, tag-value`);
    }
    const { page, next } = paginate(items, input.NextToken, input.MaxRecords, 50);
    return { AutoScalingGroups: page.map((g) => this.groupOut(g, now)), NextToken: next };
  }

  UpdateAutoScalingGroup(input: A.UpdateAutoScalingGroupCommandInput): Out<A.UpdateAutoScalingGroupCommandOutput> {
    const g = this.group(input.AutoScalingGroupName);
    const lt = input.LaunchTemplate ? this.resolveLt(input.LaunchTemplate) : g.lt;
    const min = input.MinSize ?? g.min;
    const max = input.MaxSize ?? g.max;
    const desired = input.DesiredCapacity ?? Math.min(Math.max(g.desired, min), max);
    this.validateSizes(min, max, desired);
    const subnets = input.VPCZoneIdentifier !== undefined ? this.validateSubnets(input.VPCZoneIdentifier) : g.subnets;
    if (input.HealthCheckType !== undefined && !['EC2', 'ELB', 'VPC_LATTICE', 'EBS'].includes(input.HealthCheckType)) {
      throw awsError('ValidationError', `Invalid health check type: ${input.HealthCheckType}`);
    }
    Object.assign(g, {
      lt,
      min,
      max,
      desired,
      subnets,
      healthCheckType: input.HealthCheckType ?? g.healthCheckType,
      grace: input.HealthCheckGracePeriod ?? g.grace,
      defaultCooldown: input.DefaultCooldown ?? g.defaultCooldown,
      defaultInstanceWarmup: input.DefaultInstanceWarmup ?? g.defaultInstanceWarmup,
      newInstancesProtected: input.NewInstancesProtectedFromScaleIn ?? g.newInstancesProtected,
    });
    g.nextLaunchAt = Math.min(g.nextLaunchAt, this.w.now());
    this.reconcile(g, this.w.now());
    return {};
  }

  SetDesiredCapacity(input: A.SetDesiredCapacityCommandInput): Out<A.SetDesiredCapacityCommandOutput> {
    const g = this.group(input.AutoScalingGroupName);
    const desired = required(input.DesiredCapacity, 'DesiredCapacity', 'ValidationError');
    if (desired < g.min || desired > g.max) {
      throw awsError('ValidationError', `New SetDesiredCapacity value ${desired} is below min value ${g.min} or above max value ${g.max} for the AutoScalingGroup.`);
    }
    g.desired = desired;
    this.reconcile(g, this.w.now());
    return {};
  }

  DeleteAutoScalingGroup(input: A.DeleteAutoScalingGroupCommandInput): Out<A.DeleteAutoScalingGroupCommandOutput> {
    const g = this.group(input.AutoScalingGroupName, { allowDeleting: true });
    if (g.deleting) throw awsError('ScalingActivityInProgress', 'You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.');
    const now = this.w.now();
    if (!input.ForceDelete && g.instances.size) {
      const busy = [...g.instances.values()].some((i) => this.instanceLifecycle(i, now) !== 'InService');
      if (busy) throw awsError('ScalingActivityInProgress', 'You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.');
      throw awsError('ResourceInUse', 'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.');
    }
    for (const i of g.instances.values()) this.terminate(g, i, now, 'an instance was taken out of service in response to a user request to delete the group');
    for (const r of this.refreshes) if (r.group === g.name && ACTIVE_REFRESH.includes(r.status)) Object.assign(r, { status: 'Cancelled', endTime: now });
    for (const [arn, p] of this.policies) if (p.group === g.name) this.policies.delete(arn);
    const lastGone = Math.max(now, ...[...g.instances.values()].map((i) => i.goneAt ?? now));
    g.deleting = { at: now, goneAt: Math.max(now + this.w.delays.asgDeleteMs, lastGone) };
    return {};
  }

  AttachLoadBalancerTargetGroups(input: A.AttachLoadBalancerTargetGroupsCommandInput): Out<A.AttachLoadBalancerTargetGroupsCommandOutput> {
    const g = this.group(input.AutoScalingGroupName);
    this.attach(g, required(input.TargetGroupARNs, 'TargetGroupARNs', 'ValidationError'));
    return {};
  }

  DetachLoadBalancerTargetGroups(input: A.DetachLoadBalancerTargetGroupsCommandInput): Out<A.DetachLoadBalancerTargetGroupsCommandOutput> {
    const g = this.group(input.AutoScalingGroupName);
    this.detach(g, required(input.TargetGroupARNs, 'TargetGroupARNs', 'ValidationError'));
    return {};
  }

  AttachTrafficSources(input: A.AttachTrafficSourcesCommandInput): Out<A.AttachTrafficSourcesCommandOutput> {
    const g = this.group(input.AutoScalingGroupName);
    this.attach(g, this.trafficArns(input.TrafficSources));
    return {};
  }

  DetachTrafficSources(input: A.DetachTrafficSourcesCommandInput): Out<A.DetachTrafficSourcesCommandOutput> {
    const g = this.group(input.AutoScalingGroupName);
    this.detach(g, this.trafficArns(input.TrafficSources));
    return {};
  }

  private trafficArns(sources: A.TrafficSourceIdentifier[] | undefined): string[] {
    return required(sources, 'TrafficSources', 'ValidationError').map((t) => {
      if ((t.Type ?? 'elbv2') !== 'elbv2') throw awsError('ValidationError', `fake-aws models only elbv2 traffic sources, got ${t.Type}`);
      return required(t.Identifier, 'TrafficSources.member.Identifier', 'ValidationError');
    });
  }

  private attach(g: GroupRec, arns: string[]): void {
    this.validateTargetGroups([...new Set([...g.targetGroups, ...arns])], g.subnets);
    const now = this.w.now();
    for (const arn of arns) {
      if (g.targetGroups.includes(arn)) continue;
      g.targetGroups.push(arn);
      for (const i of g.instances.values()) if (i.registered && i.terminatingAt === undefined) this.w.elbv2.registerTarget(arn, i.id, now);
    }
  }

  private detach(g: GroupRec, arns: string[]): void {
    const now = this.w.now();
    for (const arn of arns) {
      if (!g.targetGroups.includes(arn)) continue;
      g.targetGroups = g.targetGroups.filter((x) => x !== arn);
      for (const i of g.instances.values()) this.w.elbv2.deregisterTarget(arn, i.id, now);
    }
  }

  DescribeLoadBalancerTargetGroups(input: A.DescribeLoadBalancerTargetGroupsCommandInput): Out<A.DescribeLoadBalancerTargetGroupsCommandOutput> {
    const g = this.group(input.AutoScalingGroupName, { allowDeleting: true });
    return { LoadBalancerTargetGroups: g.targetGroups.map((arn) => ({ LoadBalancerTargetGroupARN: arn, State: 'InService' })) };
  }

  DescribeTrafficSources(input: A.DescribeTrafficSourcesCommandInput): Out<A.DescribeTrafficSourcesCommandOutput> {
    const g = this.group(input.AutoScalingGroupName, { allowDeleting: true });
    return { TrafficSources: g.targetGroups.map((arn) => ({ TrafficSource: arn, Identifier: arn, Type: 'elbv2', State: 'InService' })) };
  }

  EnableMetricsCollection(input: A.EnableMetricsCollectionCommandInput): Out<A.EnableMetricsCollectionCommandOutput> {
    const g = this.group(input.AutoScalingGroupName);
    if (input.Granularity !== '1Minute') throw awsError('ValidationError', `Granularity must be '1Minute', got '${input.Granularity}'`);
    const metrics = input.Metrics?.length ? input.Metrics : ALL_METRICS;
    for (const m of metrics) if (!ALL_METRICS.includes(m)) throw awsError('ValidationError', `Invalid metric name: ${m}`);
    g.metrics = [...new Set([...(g.metrics ?? []), ...metrics])];
    return {};
  }

  DisableMetricsCollection(input: A.DisableMetricsCollectionCommandInput): Out<A.DisableMetricsCollectionCommandOutput> {
    const g = this.group(input.AutoScalingGroupName);
    g.metrics = input.Metrics?.length ? (g.metrics ?? []).filter((m) => !input.Metrics!.includes(m)) : [];
    return {};
  }

  CreateOrUpdateTags(input: A.CreateOrUpdateTagsCommandInput): Out<A.CreateOrUpdateTagsCommandOutput> {
    const tags = required(input.Tags, 'Tags', 'ValidationError');
    for (const t of tags) {
      if (t.ResourceType !== 'auto-scaling-group') throw awsError('ValidationError', `Invalid resource type: ${t.ResourceType}`);
      this.group(t.ResourceId);
    }
    for (const t of tags) this.putTags(this.groups.get(t.ResourceId!)!, [t]);
    return {};
  }

  DeleteTags(input: A.DeleteTagsCommandInput): Out<A.DeleteTagsCommandOutput> {
    for (const t of required(input.Tags, 'Tags', 'ValidationError')) {
      const g = this.group(t.ResourceId);
      if (t.Key) g.tags.delete(t.Key);
    }
    return {};
  }

  DescribeTags(input: A.DescribeTagsCommandInput): Out<A.DescribeTagsCommandOutput> {
    let rows = [...this.groups.values()].flatMap((g) =>
      [...g.tags].map(([Key, t]) => ({ ResourceId: g.name, ResourceType: 'auto-scaling-group', Key, Value: t.value, PropagateAtLaunch: t.propagate })),
    );
    for (const f of input.Filters ?? []) {
      const values = f.Values ?? [];
      if (f.Name === 'auto-scaling-group') rows = rows.filter((r) => values.includes(r.ResourceId));
      else if (f.Name === 'key') rows = rows.filter((r) => values.includes(r.Key));
      else if (f.Name === 'value') rows = rows.filter((r) => values.includes(r.Value));
      else if (f.Name === 'propagate-at-launch') rows = rows.filter((r) => values.includes(String(r.PropagateAtLaunch)));
      else throw awsError('ValidationError', `Filter name '${f.Name}' is not valid`);
    }
    const { page, next } = paginate(rows, input.NextToken, input.MaxRecords, 50);
    return { Tags: page, NextToken: next };
  }

  // ------------------------------------------------------------------ instance refresh

  StartInstanceRefresh(input: A.StartInstanceRefreshCommandInput): Out<A.StartInstanceRefreshCommandOutput> {
    const g = this.group(input.AutoScalingGroupName);
    if (input.Strategy !== undefined && input.Strategy !== 'Rolling') throw awsError('ValidationError', `Unsupported strategy ${input.Strategy}`);
    if (this.refreshes.some((r) => r.group === g.name && ACTIVE_REFRESH.includes(r.status))) {
      throw awsError('InstanceRefreshInProgress', 'An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.');
    }
    const prefs: A.RefreshPreferences = { MinHealthyPercentage: 90, MaxHealthyPercentage: 100, SkipMatching: false, ...input.Preferences };
    if (prefs.MinHealthyPercentage! < 0 || prefs.MinHealthyPercentage! > 100) throw awsError('ValidationError', 'MinHealthyPercentage must be between 0 and 100');
    // AWS: MaxHealthyPercentage is 100-200, at most 100 above MinHealthyPercentage.
    if (prefs.MaxHealthyPercentage! < 100 || prefs.MaxHealthyPercentage! > 200 || prefs.MaxHealthyPercentage! - prefs.MinHealthyPercentage! > 100) {
      throw awsError('ValidationError', 'MaxHealthyPercentage must be between 100 and 200, and at most 100 above MinHealthyPercentage');
    }
    const desiredLt = input.DesiredConfiguration?.LaunchTemplate ? this.resolveLt(input.DesiredConfiguration.LaunchTemplate) : undefined;
    const target = desiredLt ?? g.lt;
    const targetLt = this.w.ec2.templates.findLaunchTemplate(target.id, undefined);
    const targetVersion = targetLt ? String(this.w.ec2.templates.ltVersion(targetLt, target.version).number) : target.version;
    const now = this.w.now();
    const toReplace = [...g.instances.values()]
      .filter((i) => i.terminatingAt === undefined)
      .filter((i) => !prefs.SkipMatching || i.lt.id !== target.id || i.lt.version !== targetVersion)
      .map((i) => i.id);
    const r: RefreshRec = {
      id: this.w.ids.uuid(),
      group: g.name,
      status: 'InProgress',
      startTime: now,
      cursor: now,
      toReplace,
      total: toReplace.length,
      replaced: 0,
      prefs,
      desiredLt,
    };
    this.refreshes.push(r);
    this.advanceRefresh(g, r, now);
    return { InstanceRefreshId: r.id };
  }

  CancelInstanceRefresh(input: A.CancelInstanceRefreshCommandInput): Out<A.CancelInstanceRefreshCommandOutput> {
    const g = this.group(input.AutoScalingGroupName);
    const r = this.refreshes.find((x) => x.group === g.name && ACTIVE_REFRESH.includes(x.status));
    if (!r) throw awsError('ActiveInstanceRefreshNotFound', 'No in progress or pending Instance Refresh found for Auto Scaling group ' + g.name);
    r.status = 'Cancelled';
    r.endTime = this.w.now();
    return { InstanceRefreshId: r.id };
  }

  DescribeInstanceRefreshes(input: A.DescribeInstanceRefreshesCommandInput): Out<A.DescribeInstanceRefreshesCommandOutput> {
    const g = this.group(input.AutoScalingGroupName, { allowDeleting: true });
    let items = this.refreshes.filter((r) => r.group === g.name);
    if (input.InstanceRefreshIds?.length) items = items.filter((r) => input.InstanceRefreshIds!.includes(r.id));
    items = [...items].reverse();
    const { page, next } = paginate(items, input.NextToken, input.MaxRecords, 50);
    return {
      InstanceRefreshes: page.map((r) => ({
        InstanceRefreshId: r.id,
        AutoScalingGroupName: r.group,
        Status: r.status,
        ...(r.statusReason && { StatusReason: r.statusReason }),
        StartTime: new Date(r.startTime),
        ...(r.endTime !== undefined && { EndTime: new Date(r.endTime) }),
        PercentageComplete: r.total ? Math.floor((r.replaced / r.total) * 100) : r.status === 'Successful' ? 100 : 0,
        InstancesToUpdate: r.total - r.replaced,
        Preferences: r.prefs,
        ...(r.desiredLt && { DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: r.desiredLt.id, LaunchTemplateName: r.desiredLt.name, Version: r.desiredLt.version } } }),
      })),
      NextToken: next,
    };
  }

  // ------------------------------------------------------------------ scaling policies and activities

  PutScalingPolicy(input: A.PutScalingPolicyCommandInput): Out<A.PutScalingPolicyCommandOutput> {
    const g = this.group(input.AutoScalingGroupName);
    const name = required(input.PolicyName, 'PolicyName', 'ValidationError');
    const type = input.PolicyType ?? 'SimpleScaling';
    if (type !== 'TargetTrackingScaling') throw awsError('ValidationError', `fake-aws models only TargetTrackingScaling policies, got ${type}`);
    const tt = required(input.TargetTrackingConfiguration, 'TargetTrackingConfiguration', 'ValidationError');
    if (tt.TargetValue === undefined) throw awsError('ValidationError', 'TargetValue is required');
    const metric = tt.PredefinedMetricSpecification?.PredefinedMetricType;
    if (!tt.CustomizedMetricSpecification && (!metric || !PREDEFINED_METRICS.includes(metric))) {
      throw awsError('ValidationError', `Invalid PredefinedMetricType: ${metric}`);
    }
    if (metric === 'ALBRequestCountPerTarget' && !tt.PredefinedMetricSpecification?.ResourceLabel) {
      throw awsError('ValidationError', 'ResourceLabel is required for ALBRequestCountPerTarget');
    }
    const existing = [...this.policies.values()].find((p) => p.group === g.name && p.name === name);
    const arn = existing?.arn ?? `arn:aws:autoscaling:${this.w.region}:${this.w.accountId}:scalingPolicy:${this.w.ids.uuid()}:autoScalingGroupName/${g.name}:policyName/${name}`;
    const alarms =
      existing?.alarms ??
      ['AlarmHigh', 'AlarmLow'].map((k) => {
        const alarmName = `TargetTracking-${g.name}-${k}-${this.w.ids.uuid()}`;
        return { AlarmName: alarmName, AlarmARN: `arn:aws:cloudwatch:${this.w.region}:${this.w.accountId}:alarm:${alarmName}` };
      });
    this.policies.set(arn, { arn, group: g.name, name, type, targetTracking: structuredClone(tt), alarms, enabled: input.Enabled ?? true });
    return { PolicyARN: arn, Alarms: alarms };
  }

  DescribePolicies(input: A.DescribePoliciesCommandInput): Out<A.DescribePoliciesCommandOutput> {
    let items = [...this.policies.values()];
    if (input.AutoScalingGroupName) {
      this.group(input.AutoScalingGroupName, { allowDeleting: true });
      items = items.filter((p) => p.group === input.AutoScalingGroupName);
    }
    if (input.PolicyNames?.length) items = items.filter((p) => input.PolicyNames!.includes(p.name) || input.PolicyNames!.includes(p.arn));
    if (input.PolicyTypes?.length) items = items.filter((p) => input.PolicyTypes!.includes(p.type));
    const { page, next } = paginate(items, input.NextToken, input.MaxRecords, 50);
    return {
      ScalingPolicies: page.map((p) => ({
        AutoScalingGroupName: p.group,
        PolicyName: p.name,
        PolicyARN: p.arn,
        PolicyType: p.type,
        TargetTrackingConfiguration: structuredClone(p.targetTracking),
        Alarms: p.alarms,
        Enabled: p.enabled,
      })),
      NextToken: next,
    };
  }

  DeletePolicy(input: A.DeletePolicyCommandInput): Out<A.DeletePolicyCommandOutput> {
    const name = required(input.PolicyName, 'PolicyName', 'ValidationError');
    const p = [...this.policies.values()].find((x) => x.arn === name || (x.name === name && x.group === input.AutoScalingGroupName));
    if (!p) {
      if (input.AutoScalingGroupName) this.group(input.AutoScalingGroupName);
      throw awsError('ValidationError', `Policy ${name} not found`);
    }
    this.policies.delete(p.arn);
    return {};
  }

  /**
   * Newest first. ActivityIds (≤ 50) | AutoScalingGroupName (a missing group gives an empty list, as AWS);
   * MaxRecords 1-100 (default 100) + NextToken. Activities of deleted groups only with IncludeDeletedGroups.
   */
  DescribeScalingActivities(input: A.DescribeScalingActivitiesCommandInput): Out<A.DescribeScalingActivitiesCommandOutput> {
    if (input.ActivityIds && input.ActivityIds.length > 50) throw awsError('ValidationError', 'The number of activity IDs must be at most 50.');
    if (input.MaxRecords !== undefined && (input.MaxRecords < 1 || input.MaxRecords > 100)) {
      throw awsError('ValidationError', `1 validation error detected: Value '${input.MaxRecords}' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and 100`);
    }
    let items = [...this.activities].reverse();
    if (!input.IncludeDeletedGroups) items = items.filter((a) => this.groups.has(a.group));
    if (input.AutoScalingGroupName) items = items.filter((a) => a.group === input.AutoScalingGroupName);
    if (input.ActivityIds?.length) items = items.filter((a) => input.ActivityIds!.includes(a.id));
    const { page, next } = paginate(items, input.NextToken, input.MaxRecords, 100);
    return {
      Activities: page.map((a) => ({
        ActivityId: a.id,
        AutoScalingGroupName: a.group,
        AutoScalingGroupARN: a.groupArn,
        Description: a.description,
        Cause: a.cause,
        StartTime: new Date(a.start),
        ...(a.end !== undefined && { EndTime: new Date(a.end) }),
        StatusCode: a.status,
        ...(a.statusMessage && { StatusMessage: a.statusMessage }),
        Progress: a.status === 'InProgress' ? 50 : 100,
        Details: a.details,
        ...(!this.groups.has(a.group) && { AutoScalingGroupState: 'Deleted' }),
      })),
      NextToken: next,
    };
  }
}
