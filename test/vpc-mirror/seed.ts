/**
 * Mirror sources in the fake account, seeded through the fake's public model operations: a web Auto Scaling
 * group, standalone web servers (one tagged, one of a Xen type, one of a Nitro family AWS does not mirror), EKS
 * nodes, a classic ELB interface with a public IP, an ALB, and an instance whose interface already carries three
 * sessions of another tool.
 */
import type { FakeAws, StandardAccount } from '../fake-aws/index.js';

export interface Sources {
  /** Instances of web-asg (2, m5.large): their primary ENIs. */
  asgEnis: string[];
  /** A standalone m5.large web server, its ENI tagged role=web, env=prod. */
  webEni: string;
  /** A t2.medium (Xen, not mirrorable) tagged role=web. */
  xenEni: string;
  /** A c6i.large (Nitro, but not on AWS's list of mirrorable types). */
  c6iEni: string;
  /** EKS nodes of cluster prod: node group ng-web (2) and ng-batch (1). */
  eksWebEnis: string[];
  eksBatchEni: string;
  /** A classic ELB's interface (requester-managed, "ELB classic-web"), public IP 203.0.113.10. */
  classicEni: string;
  /** An ALB interface (requester-managed: never mirrorable). */
  albEni: string;
  /** An interface with 3 sessions of another tool already. */
  busyEni: string;
  /** The ENI another tool uses as its traffic mirror target. */
  foreignTargetEni: string;
}

export const CLASSIC_ELB_IP = '203.0.113.10';

export function seedSources(fake: FakeAws, net: StandardAccount): Sources {
  const [subnetA, subnetB] = net.privateSubnetIds;
  fake.ec2.templates.CreateLaunchTemplate({ LaunchTemplateName: 'web', LaunchTemplateData: { ImageId: net.images.debian12, InstanceType: 'm5.large' } });
  fake.autoscaling.CreateAutoScalingGroup({
    AutoScalingGroupName: 'web-asg',
    LaunchTemplate: { LaunchTemplateName: 'web', Version: '$Latest' },
    MinSize: 2,
    MaxSize: 4,
    DesiredCapacity: 2,
    VPCZoneIdentifier: net.privateSubnetIds.join(','),
  });
  fake.advance(600_000);
  const asgEnis = [...fake.ec2.instances.values()]
    .filter((i) => i.tags.get('aws:autoscaling:groupName') === 'web-asg')
    .map((i) => i.eniId)
    .sort();

  const instance = (type: string, tags: Record<string, string> = {}, subnetId = subnetA) => fake.addInstance({ subnetId, instanceType: type, tags }).eniId;
  const webEni = instance('m5.large', { Name: 'web-1' });
  const xenEni = instance('t2.medium', { Name: 'old-web' });
  fake.ec2.CreateTags({ Resources: [webEni], Tags: [{ Key: 'role', Value: 'web' }, { Key: 'env', Value: 'prod' }] });
  fake.ec2.CreateTags({ Resources: [xenEni], Tags: [{ Key: 'role', Value: 'web' }, { Key: 'env', Value: 'prod' }] });
  const c6iEni = instance('c6i.large');

  const eks = (group: string, subnetId: string) => instance('m5.large', { 'eks:cluster-name': 'prod', 'eks:nodegroup-name': group }, subnetId);
  const eksWebEnis = [eks('ng-web', subnetA), eks('ng-web', subnetB)].sort();
  const eksBatchEni = eks('ng-batch', subnetB);

  const classicEni = fake.addNetworkInterface({
    subnetId: subnetA,
    description: 'ELB classic-web',
    requesterManaged: true,
    instanceOwnerId: 'amazon-elb',
    publicIp: CLASSIC_ELB_IP,
  });
  fake.elbv2.CreateLoadBalancer({ Name: 'existing-alb', Type: 'application', Scheme: 'internal', Subnets: [...net.privateSubnetIds] });
  const albEni = [...fake.ec2.networkInterfaces.values()].find((n) => n.description.startsWith('ELB app/existing-alb/'))!.id;

  // Another tool: its appliance's ENI is a mirror target, and it mirrors busyEni three times already.
  const foreignTargetEni = instance('m5.large', { Name: 'ids-appliance' });
  const busyEni = instance('m5.large', { Name: 'busy' });
  const filter = fake.mirroring.CreateTrafficMirrorFilter({}).TrafficMirrorFilter!.TrafficMirrorFilterId!;
  const target = fake.mirroring.CreateTrafficMirrorTarget({ NetworkInterfaceId: foreignTargetEni }).TrafficMirrorTarget!.TrafficMirrorTargetId!;
  for (const n of [1, 2, 3]) {
    fake.mirroring.CreateTrafficMirrorSession({ NetworkInterfaceId: busyEni, TrafficMirrorTargetId: target, TrafficMirrorFilterId: filter, SessionNumber: n });
  }
  return { asgEnis, webEni, xenEni, c6iEni, eksWebEnis, eksBatchEni, classicEni, albEni, busyEni, foreignTargetEni };
}
