/**
 * The follower: time from a launch event reaching the function to the session created, and the API calls one
 * event costs, against the fake with the benchmarks' latency model (bench/model.ts: 150 ms a call), in virtual time. The function's
 * own start (Lambda cold start, EventBridge delivery) is not modelled: AWS documents EventBridge delivery within
 * seconds, and a Node.js 22 cold start with the SDK from the runtime adds a few hundred milliseconds.
 */
import { handler } from '../src/topologies/vpc-mirror/follower/lambda.js';
import { SETTINGS_VARIABLE, type FollowerSettings } from '../src/topologies/vpc-mirror/follower/settings.js';
import { clock } from '../src/util/clock.js';
import { FakeAws } from '../test/fake-aws/index.js';
import { round } from './apply.js';
import { LATENCY } from './model.js';

export interface FollowerBenchmark {
  /** Simulated seconds from the handler's start to CreateTrafficMirrorSession's answer. */
  eventToSessionSeconds: number;
  /** Simulated seconds of the whole invocation (verification and the last-run write included). */
  invocationSeconds: number;
  /** API calls of one launch event, and by command. */
  callsPerEvent: number;
  callsByCommand: Record<string, number>;
  /** A full reconcile (the scheduled rule) of a group of `groupSize` instances, all mirrored already. */
  groupSize: number;
  steadyReconcileCalls: number;
  steadyReconcileSeconds: number;
}

export async function followerBenchmark(groupSize = 200): Promise<FollowerBenchmark> {
  const fake = FakeAws.install({ latency: { ...LATENCY } });
  clock.setVirtual(true);
  // The function logs its report (to CloudWatch in Lambda): not to the benchmark's output.
  const log = console.log;
  console.log = () => undefined;
  try {
    const net = fake.standardAccount();
    fake.ec2.templates.CreateLaunchTemplate({ LaunchTemplateName: 'web', LaunchTemplateData: { ImageId: net.images.debian12, InstanceType: 'm5.large' } });
    fake.autoscaling.CreateAutoScalingGroup({
      AutoScalingGroupName: 'web-asg',
      LaunchTemplate: { LaunchTemplateName: 'web', Version: '$Latest' },
      MinSize: 1,
      MaxSize: groupSize + 1,
      DesiredCapacity: groupSize,
      VPCZoneIdentifier: net.privateSubnetIds.join(','),
    });
    fake.advance(600_000);
    const filterId = fake.mirroring.CreateTrafficMirrorFilter({}).TrafficMirrorFilter!.TrafficMirrorFilterId!;
    const targetId = fake.mirroring.CreateTrafficMirrorTarget({ NetworkInterfaceId: fake.addNetworkInterface({ subnetId: net.privateSubnetIds[0] }) }).TrafficMirrorTarget!
      .TrafficMirrorTargetId!;
    const settings: FollowerSettings = {
      deployment: 'bench',
      vpcId: net.vpcId,
      sources: [{ autoScalingGroup: 'web-asg' }],
      ownNlbName: 'wallarm-oob-bench-nlb',
      session: { targetId, filterId, vni: 1377, sessionNumber: 1, description: 'wallarm-oob bench', tags: { 'wallarm-oob:deployment': 'bench', 'wallarm-oob:id': 'mirror-sessions', 'managed-by': 'wallarm-oob' } },
      clientToken: 'wallarm-oob-bench-token',
      lastRunParameter: '/wallarm-oob/bench/follower/last-run',
    };
    process.env[SETTINGS_VARIABLE] = JSON.stringify(settings);
    process.env.AWS_REGION = fake.region;
    // The group as the follower's scheduled run leaves it: every instance mirrored (and the parameter written once).
    await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });

    // One instance more: its launch event.
    const before = new Set(fake.ec2.instances.keys());
    fake.autoscaling.UpdateAutoScalingGroup({ AutoScalingGroupName: 'web-asg', DesiredCapacity: groupSize + 1 });
    fake.advance(600_000);
    const instanceId = [...fake.ec2.instances.keys()].find((id) => !before.has(id))!;
    const event = { source: 'aws.autoscaling', 'detail-type': 'EC2 Instance Launch Successful', detail: { AutoScalingGroupName: 'web-asg', EC2InstanceId: instanceId } };
    const first = fake.calls.length;
    const start = fake.now();
    const report = await handler(event);
    const end = fake.now();
    if (report.created.length !== 1) throw new Error(`bench: expected one session, got ${JSON.stringify(report)}`);
    const calls = fake.calls.slice(first);
    const create = calls.find((c) => c.command === 'CreateTrafficMirrorSession' && !c.error)!;
    const byCommand: Record<string, number> = {};
    for (const c of calls) byCommand[c.command] = (byCommand[c.command] ?? 0) + 1;

    const steadyFirst = fake.calls.length;
    const steadyStart = fake.now();
    await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
    return {
      eventToSessionSeconds: round((create.at + ((LATENCY as Record<string, number>).CreateTrafficMirrorSession ?? LATENCY.default) - start) / 1000, 2),
      invocationSeconds: round((end - start) / 1000, 2),
      callsPerEvent: calls.length,
      callsByCommand: byCommand,
      groupSize: groupSize + 1,
      steadyReconcileCalls: fake.calls.length - steadyFirst,
      steadyReconcileSeconds: round((fake.now() - steadyStart) / 1000, 2),
    };
  } finally {
    console.log = log;
    delete process.env[SETTINGS_VARIABLE];
    clock.setVirtual(false);
    fake.uninstall();
  }
}


