/**
 * EC2 as the tool sees it, one model per concern (each owns its records and answers its own operations):
 * network look-ups (ec2-network.ts), AMIs / instance types / key pairs (ec2-catalog.ts), security groups
 * (ec2-security-groups.ts), launch templates (ec2-launch-templates.ts), instances (ec2-instances.ts), network
 * interfaces (ec2-network-interfaces.ts) and traffic mirroring (mirroring.ts). This class composes them: it routes
 * each EC2 command to its model, exposes their records under one name (`fake.ec2.securityGroups`, …) and answers
 * what spans them all: CreateTags / DeleteTags on any EC2 id.
 */
import type * as E from '@aws-sdk/client-ec2';
import { putTag } from './ec2-common.js';
import { CatalogModel } from './ec2-catalog.js';
import { InstanceModel } from './ec2-instances.js';
import { LaunchTemplateModel } from './ec2-launch-templates.js';
import { NetworkInterfaceModel } from './ec2-network-interfaces.js';
import { NetworkModel } from './ec2-network.js';
import { SecurityGroupModel } from './ec2-security-groups.js';
import { awsError } from './errors.js';
import type { World } from './world.js';
import { required, type Tags } from './util.js';

type Out<T> = Omit<T, '$metadata'>;

/** The operations of a model: its methods named like an API action (`DescribeVpcs`). */
function operationsOf(model: object): string[] {
  return Object.getOwnPropertyNames(Object.getPrototypeOf(model)).filter((n) => /^[A-Z]/.test(n));
}

export class Ec2Model {
  readonly network: NetworkModel;
  readonly catalog: CatalogModel;
  readonly groups: SecurityGroupModel;
  readonly templates: LaunchTemplateModel;
  readonly compute: InstanceModel;
  readonly interfaces: NetworkInterfaceModel;

  // The models' records, under the names tests and other services use.
  readonly vpcs: NetworkModel['vpcs'];
  readonly subnets: NetworkModel['subnets'];
  readonly routeTables: NetworkModel['routeTables'];
  readonly internetGateways: NetworkModel['internetGateways'];
  readonly images: CatalogModel['images'];
  readonly keyPairs: CatalogModel['keyPairs'];
  readonly securityGroups: SecurityGroupModel['securityGroups'];
  readonly launchTemplates: LaunchTemplateModel['launchTemplates'];
  readonly instances: InstanceModel['instances'];
  readonly networkInterfaces: NetworkInterfaceModel['networkInterfaces'];

  /** Command -> the model answering it (built on first use: mirroring joins the world after EC2). */
  private routes: Map<string, object> | undefined;

  constructor(private readonly w: World) {
    this.network = new NetworkModel(w);
    this.catalog = new CatalogModel(w);
    this.groups = new SecurityGroupModel(w);
    this.templates = new LaunchTemplateModel(w);
    this.compute = new InstanceModel(w);
    this.interfaces = new NetworkInterfaceModel(w);
    this.vpcs = this.network.vpcs;
    this.subnets = this.network.subnets;
    this.routeTables = this.network.routeTables;
    this.internetGateways = this.network.internetGateways;
    this.images = this.catalog.images;
    this.keyPairs = this.catalog.keyPairs;
    this.securityGroups = this.groups.securityGroups;
    this.launchTemplates = this.templates.launchTemplates;
    this.instances = this.compute.instances;
    this.networkInterfaces = this.interfaces.networkInterfaces;
  }

  /** The model that answers an EC2 command; undefined when no model does (UnsupportedOperation). */
  modelFor(command: string): object | undefined {
    if (!this.routes) {
      this.routes = new Map();
      for (const model of [this, this.network, this.catalog, this.groups, this.templates, this.compute, this.interfaces, this.w.mirroring]) {
        for (const op of operationsOf(model)) {
          if (this.routes.has(op)) throw new Error(`fake-aws: two EC2 models answer ${op}`);
          this.routes.set(op, model);
        }
      }
    }
    return this.routes.get(command);
  }

  /** Brings ENI deletions and instance terminations up to `now`. */
  settle(now: number): void {
    this.interfaces.settle(now);
    this.compute.settle(now);
  }

  // ------------------------------------------------------------------ tags on any EC2 resource

  private taggable(id: string): Tags {
    const m = this.w.mirroring;
    const byPrefix: [string, Map<string, { tags: Tags }>, string, string][] = [
      ['sg-', this.securityGroups, 'InvalidGroup.NotFound', `The security group '${id}' does not exist`],
      ['lt-', this.launchTemplates, 'InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`],
      ['i-', this.instances, 'InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`],
      ['eni-', this.networkInterfaces, 'InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`],
      ['subnet-', this.subnets, 'InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`],
      ['vpc-', this.vpcs, 'InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`],
      ['ami-', this.images, 'InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`],
      ['igw-', this.internetGateways, 'InvalidInternetGatewayID.NotFound', `The internetGateway ID '${id}' does not exist`],
      ['rtb-', this.routeTables, 'InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`],
      ['tmf-', m.filters, 'InvalidTrafficMirrorFilterId.NotFound', `The traffic mirror filter '${id}' does not exist.`],
      ['tmt-', m.targets, 'InvalidTrafficMirrorTargetId.NotFound', `The traffic mirror target '${id}' does not exist.`],
      ['tms-', m.sessions, 'InvalidTrafficMirrorSessionId.NotFound', `The traffic mirror session '${id}' does not exist.`],
    ];
    for (const [prefix, map, code, message] of byPrefix) {
      if (id.startsWith(prefix)) {
        const rec = map.get(id);
        if (!rec || this.w.hidden(id)) throw awsError(code, message);
        return rec.tags;
      }
    }
    const rule = this.groups.findRule(id);
    if (rule) return rule.tags;
    throw awsError('InvalidID', `The ID '${id}' is not valid`);
  }

  CreateTags(input: E.CreateTagsCommandInput): Out<E.CreateTagsCommandOutput> {
    const resources = required(input.Resources, 'ResourceId');
    const targets = resources.map((id) => this.taggable(id));
    for (const tags of targets) {
      const copy = new Map(tags);
      for (const t of input.Tags ?? []) putTag(copy, t);
    }
    for (const tags of targets) for (const t of input.Tags ?? []) putTag(tags, t);
    return {};
  }

  DeleteTags(input: E.DeleteTagsCommandInput): Out<E.DeleteTagsCommandOutput> {
    for (const id of required(input.Resources, 'ResourceId')) {
      const tags = this.taggable(id);
      if (!input.Tags) {
        tags.clear();
        continue;
      }
      for (const t of input.Tags) {
        if (t.Key === undefined) continue;
        if (t.Value === undefined || tags.get(t.Key) === t.Value) tags.delete(t.Key);
      }
    }
    return {};
  }
}
