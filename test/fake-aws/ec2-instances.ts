/** EC2 instances: launched by Auto Scaling (or seeded), what a launch from a template would do, their lifecycle. */
import type * as E from '@aws-sdk/client-ec2';
import { templateGroupIds, type LaunchTemplateRec, type LaunchTemplateVersionRec } from './ec2-launch-templates.js';
import { awsError } from './errors.js';
import type { World } from './world.js';
import { applyEc2Filters, paginate, tagList, type Tags } from './util.js';

type Out<T> = Omit<T, '$metadata'>;

export interface InstanceRec {
  id: string;
  reservationId: string;
  imageId: string;
  instanceType: string;
  subnetId: string;
  vpcId: string;
  az: string;
  privateIp: string;
  sgIds: string[];
  tags: Tags;
  launchedAt: number;
  runningAt: number;
  terminatingAt?: number;
  terminatedAt?: number;
  eniId: string;
  launchTemplate?: { id: string; name: string; version: string };
  iamInstanceProfileArn?: string;
  keyName?: string;
  /** Whether the instance would pass a load balancer health check (tests can flip it). */
  healthy: boolean;
}
/** Launch failures AWS reports for reasons the model does not simulate by itself (see failLaunches). */
export type LaunchFailureCode = 'OptInRequired' | 'InsufficientInstanceCapacity';

function injectedLaunchMessage(code: LaunchFailureCode, type: string, az: string, zones: string[]): string {
  if (code === 'OptInRequired') {
    return 'In order to use this AWS Marketplace product you need to accept terms and subscribe. To do so please visit https://aws.amazon.com/marketplace/pp?sku=cvb8y4k7g3hmbvld5vkw2m7m9';
  }
  const other = zones.find((z) => z !== az) ?? az;
  return `We currently do not have sufficient ${type} capacity in the Availability Zone you requested (${az}). Our system will be working on provisioning additional capacity. You can currently get ${type} capacity by not specifying an Availability Zone in your request or choosing ${other}.`;
}

/** Instances (one reservation each) with their primary ENI; terminated ones stay visible `terminatedVisibleMs`. */
export class InstanceModel {
  readonly instances = new Map<string, InstanceRec>();
  /** Whether instances launched from now on pass load balancer health checks (FakeAws.setLaunchHealthy). */
  launchHealthy = true;
  /** Launch failures tests queued (failLaunches): consumed one per failed launch attempt. */
  readonly launchFailures: { code: LaunchFailureCode; remaining: number }[] = [];
  /** Instances being terminated (settle() drops them once no longer visible). */
  private readonly terminating = new Set<string>();

  constructor(private readonly w: World) {}

  instanceState(i: InstanceRec, now = this.w.now()): { Code: number; Name: E.InstanceStateName } {
    if (i.terminatedAt !== undefined && now >= i.terminatedAt) return { Code: 48, Name: 'terminated' };
    if (i.terminatingAt !== undefined && now >= i.terminatingAt) return { Code: 32, Name: 'shutting-down' };
    if (now >= i.runningAt) return { Code: 16, Name: 'running' };
    return { Code: 0, Name: 'pending' };
  }

  settle(now: number): void {
    for (const id of this.terminating) {
      const i = this.instances.get(id);
      if (i && !(i.terminatedAt !== undefined && now >= i.terminatedAt + this.w.delays.terminatedVisibleMs)) continue;
      this.terminating.delete(id);
      this.instances.delete(id);
    }
  }

  /** Creates an EC2 instance with its primary ENI (used by Auto Scaling and by seeding). */
  launchInstance(o: {
    imageId: string;
    instanceType: string;
    subnetId: string;
    sgIds: string[];
    tags: Tags;
    at: number;
    launchTemplate?: { id: string; name: string; version: string };
    iamInstanceProfileArn?: string;
    keyName?: string;
  }): InstanceRec {
    const subnet = this.w.ec2.network.subnet(o.subnetId);
    const id = this.w.ids.ec2('i');
    const eni = this.w.ec2.interfaces.create(subnet.id, {
      sgIds: o.sgIds,
      description: '',
      interfaceType: 'interface',
      requesterManaged: false,
      attach: { prefix: 'eni-attach', instanceId: id, instanceOwnerId: this.w.accountId, deviceIndex: 0 },
      tags: new Map(),
      createdAt: o.at,
    });
    const inst: InstanceRec = {
      id,
      reservationId: this.w.ids.ec2('r'),
      imageId: o.imageId,
      instanceType: o.instanceType,
      subnetId: subnet.id,
      vpcId: subnet.vpcId,
      az: subnet.az,
      privateIp: eni.privateIp,
      sgIds: [...o.sgIds],
      tags: new Map(o.tags),
      launchedAt: o.at,
      runningAt: o.at + this.w.delays.instanceRunningMs,
      eniId: eni.id,
      launchTemplate: o.launchTemplate,
      iamInstanceProfileArn: o.iamInstanceProfileArn,
      keyName: o.keyName,
      healthy: this.launchHealthy,
    };
    this.instances.set(id, inst);
    return inst;
  }

  /** Starts terminating an instance at `at`; its ENI goes away when it is terminated. */
  terminateInstance(id: string, at: number): void {
    const i = this.instances.get(id);
    if (!i || i.terminatingAt !== undefined) return;
    i.terminatingAt = at;
    i.terminatedAt = at + this.w.delays.instanceTerminateMs;
    this.terminating.add(id);
    const eni = this.w.ec2.interfaces.networkInterfaces.get(i.eniId);
    if (eni) this.w.ec2.interfaces.scheduleEniDeletion(eni, i.terminatedAt);
  }

  /**
   * What launching from a launch template would do: the template data, or the EC2 error message a
   * launch gets (missing AMI, security group, instance profile...), as the Auto Scaling activity reports it.
   */
  resolveLaunch(ltId: string, version: string, subnetId: string, at: number):
    | { ok: true; data: E.RequestLaunchTemplateData; version: number; lt: LaunchTemplateRec; profileArn?: string }
    | { ok: false; message: string } {
    const { catalog, network } = this.w.ec2;
    const lt = this.w.ec2.templates.launchTemplates.get(ltId);
    if (!lt) return { ok: false, message: `The specified launch template, with template ID ${ltId}, does not exist.` };
    let v: LaunchTemplateVersionRec;
    try {
      v = this.w.ec2.templates.ltVersion(lt, version);
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
    const d = v.data;
    if (!d.ImageId) return { ok: false, message: 'The request must contain the parameter ImageId' };
    const img = catalog.images.get(d.ImageId);
    if (!img || img.state !== 'available') return { ok: false, message: `The image id '[${d.ImageId}]' does not exist` };
    if (!d.InstanceType) return { ok: false, message: 'The request must contain the parameter InstanceType' };
    if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(d.InstanceType)) return { ok: false, message: `Invalid value '${d.InstanceType}' for InstanceType.` };
    const typeArch = catalog.architectureOf(d.InstanceType);
    if (typeArch !== img.architecture) {
      return { ok: false, message: `The architecture '${typeArch}' of the specified instance type does not match the architecture '${img.architecture}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again.` };
    }
    const subnet = network.subnets.get(subnetId);
    if (!subnet) return { ok: false, message: `The subnet ID '${subnetId}' does not exist` };
    if (!catalog.isOffered(d.InstanceType, subnet.az)) {
      const others = network.zones().filter((az) => az !== subnet.az && catalog.isOffered(d.InstanceType!, az));
      return {
        ok: false,
        message: `Your requested instance type (${d.InstanceType}) is not supported in your requested Availability Zone (${subnet.az}). Please retry your request by not specifying an Availability Zone or choosing ${others.join(', ')}.`,
      };
    }
    if (d.KeyName !== undefined && !catalog.keyPairs.has(d.KeyName)) return { ok: false, message: `The key pair '${d.KeyName}' does not exist` };
    const injected = this.launchFailures[0];
    if (injected) {
      if (--injected.remaining <= 0) this.launchFailures.shift();
      return { ok: false, message: injectedLaunchMessage(injected.code, d.InstanceType, subnet.az, network.zones()) };
    }
    for (const sgId of templateGroupIds(d)) {
      const g = this.w.ec2.groups.securityGroups.get(sgId);
      if (!g) return { ok: false, message: `The security group '${sgId}' does not exist` };
      if (g.vpcId !== subnet.vpcId) return { ok: false, message: `Security group ${sgId} and subnet ${subnetId} belong to different networks.` };
    }
    let profileArn: string | undefined;
    if (d.IamInstanceProfile) {
      const p = this.w.iam.findInstanceProfile(d.IamInstanceProfile.Arn, d.IamInstanceProfile.Name);
      const label = d.IamInstanceProfile.Arn ?? d.IamInstanceProfile.Name;
      if (!p || at < p.createdAt + this.w.delays.iamPropagationMs) {
        return { ok: false, message: `Value (${label}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name` };
      }
      profileArn = this.w.iam.instanceProfileArn(p);
    }
    return { ok: true, data: d, version: v.number, lt, profileArn };
  }

  // ------------------------------------------------------------------ API

  private instanceOut(i: InstanceRec, now: number): E.Instance {
    const state = this.instanceState(i, now);
    const terminated = state.Name === 'terminated';
    const eni = this.w.ec2.interfaces.networkInterfaces.get(i.eniId);
    return {
      InstanceId: i.id,
      ImageId: i.imageId,
      InstanceType: i.instanceType as E._InstanceType,
      LaunchTime: new Date(i.launchedAt),
      State: state,
      ...(state.Name === 'shutting-down' || terminated ? { StateTransitionReason: 'User initiated', StateReason: { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' } } : {}),
      Placement: { AvailabilityZone: i.az, Tenancy: 'default' },
      ...(terminated ? {} : { SubnetId: i.subnetId, VpcId: i.vpcId, PrivateIpAddress: i.privateIp }),
      SecurityGroups: terminated ? [] : this.w.ec2.groups.refs(i.sgIds),
      NetworkInterfaces:
        terminated || !eni
          ? []
          : [
              {
                NetworkInterfaceId: eni.id,
                SubnetId: eni.subnetId,
                VpcId: eni.vpcId,
                PrivateIpAddress: eni.privateIp,
                Status: 'in-use',
                Groups: this.w.ec2.groups.refs(eni.sgIds),
                Attachment: { AttachmentId: eni.attachment?.id, DeviceIndex: 0, Status: 'attached', DeleteOnTermination: true },
              },
            ],
      ...(i.iamInstanceProfileArn && { IamInstanceProfile: { Arn: i.iamInstanceProfileArn, Id: 'AIPA' + i.id.slice(2, 19).toUpperCase() } }),
      ...(i.keyName && { KeyName: i.keyName }),
      Architecture: 'x86_64',
      RootDeviceType: 'ebs',
      Tags: tagList(i.tags),
      MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', State: 'applied' },
    };
  }

  DescribeInstances(input: E.DescribeInstancesCommandInput): Out<E.DescribeInstancesCommandOutput> {
    const now = this.w.now();
    let items = [...this.instances.values()];
    if (input.InstanceIds?.length) {
      for (const id of input.InstanceIds) {
        if (!this.instances.has(id) || this.w.hidden(id)) throw awsError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
      }
      items = items.filter((i) => input.InstanceIds!.includes(i.id));
    }
    items = applyEc2Filters(
      items,
      input.Filters,
      {
        'instance-state-name': (i) => this.instanceState(i, now).Name,
        'instance-state-code': (i) => String(this.instanceState(i, now).Code),
        'instance-id': (i) => i.id,
        'vpc-id': (i) => i.vpcId,
        'subnet-id': (i) => i.subnetId,
        'availability-zone': (i) => i.az,
        'image-id': (i) => i.imageId,
        'instance-type': (i) => i.instanceType,
        'private-ip-address': (i) => i.privateIp,
        'instance.group-id': (i) => i.sgIds,
        'network-interface.network-interface-id': (i) => i.eniId,
        'iam-instance-profile.arn': (i) => i.iamInstanceProfileArn,
      },
      (i) => i.tags,
    );
    const { page, next } = paginate(items, input.NextToken, input.MaxResults);
    return {
      Reservations: page.map((i) => ({ ReservationId: i.reservationId, OwnerId: this.w.accountId, Instances: [this.instanceOut(i, now)] })),
      NextToken: next,
    };
  }
}
