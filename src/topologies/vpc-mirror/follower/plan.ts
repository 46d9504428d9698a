/**
 * The follower as graph nodes (mirror.follow): its IAM role (least privilege), log group, Lambda function and
 * EventBridge rules. The function depends on the session set, so `destroy` deletes the rules and the function
 * before the sessions: nothing re-creates a session mid-teardown.
 */
import { isDynamicSource, type MirrorSource, type VpcMirrorConfig } from '../../../config/schema.js';
import { ref, type Join, type Ref, type ResourceNode } from '../../../engine/types.js';
import { ConfigError } from '../../../errors.js';
import { iamPath, resourceName } from '../../common/names.js';
import { MANAGED_BY, TAG_DEPLOYMENT, TAG_LOGICAL_ID, TAG_MANAGED_BY, type EventRuleProps } from '../../../resources/types.js';
import { resource } from '../../common/resource.js';
import { bundleManifest } from './bundle.js';
import { lastRunParameterName } from './last-run.js';
import { ENVIRONMENT_MAX_BYTES, SETTINGS_VARIABLE, type FollowerSettings } from './settings.js';

export const FOLLOWER_ID = {
  role: 'follower-role',
  logGroup: 'follower-log-group',
  function: 'follower-function',
  asgRule: 'follower-asg-rule',
  ec2Rule: 'follower-ec2-rule',
  scheduleRule: 'follower-schedule-rule',
} as const;

/** Days the function's log lines are kept. */
export const LOG_RETENTION_DAYS = 14;
const TIMEOUT_SECONDS = 300;
const MEMORY_MIB = 256;

/** What the follower needs from the mirror layer: the logical ids whose outputs it reads. */
export interface MirrorLayerIds {
  filter: string;
  target: string;
  sessions: string;
  ownNlbName: string;
}


export const followerFunctionName = (deployment: string) => resourceName(deployment, 'follower', 64);
const arnIn = (partition: string) => (service: string, resource: string) => `arn:${partition}:${service}:*:*:${resource}`;

/** A JSON text with refs in some of its string values: `$join` of the text around each placeholder. */
function jsonWithRefs(value: unknown, refs: Record<string, Ref>): Join {
  const text = JSON.stringify(value);
  const parts: (string | Ref)[] = [];
  const re = new RegExp(Object.keys(refs).map((k) => k.replace(/[^\w]/g, '\\$&')).join('|'), 'g');
  let last = 0;
  for (const m of text.matchAll(re)) {
    parts.push(text.slice(last, m.index), refs[m[0]]!);
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return { $join: parts.filter((p) => p !== '') };
}

const FILTER_ID = '@@filterId@@';
const TARGET_ID = '@@targetId@@';
const CLIENT_TOKEN = '@@clientToken@@';

/** The function's least-privilege policy: read what resolution reads, create (and tag) only this deployment's sessions. */
function rolePolicy(config: VpcMirrorConfig, ids: MirrorLayerIds, partition: string): Join {
  const dep = config.deployment;
  const arn = arnIn(partition);
  const document = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ResolveSources',
        Effect: 'Allow',
        Action: [
          'autoscaling:DescribeAutoScalingGroups',
          'ec2:DescribeInstances',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeTrafficMirrorSessions',
          'ec2:DescribeTrafficMirrorTargets',
        ],
        Resource: '*',
      },
      {
        Sid: 'CreateTaggedSessions',
        Effect: 'Allow',
        Action: 'ec2:CreateTrafficMirrorSession',
        Resource: arn('ec2', 'traffic-mirror-session/*'),
        Condition: { StringEquals: { 'aws:RequestTag/wallarm-oob:deployment': dep } },
      },
      {
        Sid: 'SessionsOfThisFilterAndTarget',
        Effect: 'Allow',
        Action: 'ec2:CreateTrafficMirrorSession',
        Resource: [arn('ec2', 'network-interface/*'), arn('ec2', `traffic-mirror-filter/${FILTER_ID}`), arn('ec2', `traffic-mirror-target/${TARGET_ID}`)],
      },
      {
        Sid: 'TagSessionsAtCreation',
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: arn('ec2', 'traffic-mirror-session/*'),
        Condition: { StringEquals: { 'ec2:CreateAction': 'CreateTrafficMirrorSession' } },
      },
      {
        Sid: 'LastRun',
        Effect: 'Allow',
        Action: ['ssm:PutParameter', 'ssm:AddTagsToResource'],
        Resource: arn('ssm', `parameter${lastRunParameterName(dep)}`),
      },
      {
        Sid: 'OwnLogGroup',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: arn('logs', `log-group:/aws/lambda/${followerFunctionName(dep)}:*`),
      },
    ],
  };
  return jsonWithRefs(document, { [FILTER_ID]: ref(ids.filter, 'filterId'), [TARGET_ID]: ref(ids.target, 'targetId') });
}

const LAMBDA_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** The settings the function reads from its environment, with refs to the filter, target and session client token. */
function settings(config: VpcMirrorConfig, ids: MirrorLayerIds, sources: MirrorSource[]): Join {
  const dep = config.deployment;
  const value: FollowerSettings = {
    deployment: dep,
    vpcId: config.vpcId,
    sources,
    ownNlbName: ids.ownNlbName,
    session: {
      targetId: TARGET_ID,
      filterId: FILTER_ID,
      vni: config.mirror.vni,
      sessionNumber: config.mirror.firstSessionNumber,
      description: `wallarm-oob ${dep}`,
      // The tags the core gives the session set (core/tags.ts): the user's first, so ours win.
      tags: { ...config.tags, [TAG_DEPLOYMENT]: dep, [TAG_MANAGED_BY]: MANAGED_BY, [TAG_LOGICAL_ID]: ids.sessions },
    },
    clientToken: CLIENT_TOKEN,
    lastRunParameter: lastRunParameterName(dep),
  };
  // Ids and the token are at most ~64 characters each once resolved.
  const size = Buffer.byteLength(SETTINGS_VARIABLE + JSON.stringify(value)) + 3 * 64;
  if (size > ENVIRONMENT_MAX_BYTES) {
    throw new ConfigError('FOLLOWER_SETTINGS_TOO_LARGE', `mirror.sources and tags: the follower function's settings take about ${size} bytes, but Lambda allows ${ENVIRONMENT_MAX_BYTES} bytes of environment.`, {
      actions: ['Use fewer or shorter dynamic sources (autoScalingGroup, tags, eks) and tags, or set mirror.follow: false and rely on apply.'],
    });
  }
  return jsonWithRefs(value, { [TARGET_ID]: ref(ids.target, 'targetId'), [FILTER_ID]: ref(ids.filter, 'filterId'), [CLIENT_TOKEN]: ref(ids.sessions, 'clientToken') });
}

/** `partition`: aws, aws-cn or aws-us-gov (the ARNs in the role's policy). */
export function followerLayer(config: VpcMirrorConfig, ids: MirrorLayerIds, partition: string): ResourceNode[] {
  if (!config.mirror.follow) return [];
  const dep = config.deployment;
  const sources = config.mirror.sources.filter(isDynamicSource);
  const fnName = followerFunctionName(dep);
  const groups = sources.flatMap((s) => ('autoScalingGroup' in s ? [s.autoScalingGroup] : []));
  const byInstanceState = sources.some((s) => 'tags' in s || 'eks' in s);
  const rule = (id: string, suffix: string, description: string, p: Pick<EventRuleProps, 'eventPattern' | 'scheduleExpression'>) =>
    resource({
      id,
      kind: 'event-rule',
      description,
      props: { name: resourceName(dep, suffix, 64), description: `wallarm-oob ${dep}: ${description}`, ...p, functionArn: ref(FOLLOWER_ID.function, 'arn') },
    });
  const manifest = bundleManifest();
  return [
    resource({
      id: FOLLOWER_ID.role,
      kind: 'iam-role',
      description: "the follower function's role: reads sources, creates only this deployment's sessions",
      props: { name: resourceName(dep, 'follower', 64), path: iamPath(dep), assumeRolePolicy: LAMBDA_TRUST, inlinePolicies: { follower: rolePolicy(config, ids, partition) } },
    }),
    resource({
      id: FOLLOWER_ID.logGroup,
      kind: 'log-group',
      props: { name: `/aws/lambda/${fnName}`, retentionInDays: LOG_RETENTION_DAYS },
    }),
    resource({
      id: FOLLOWER_ID.function,
      kind: 'lambda-function',
      description: "mirrors new instances within ~1 minute: the project's own session reconciliation",
      dependsOn: [FOLLOWER_ID.logGroup, ids.sessions],
      props: {
        name: fnName,
        roleArn: ref(FOLLOWER_ID.role, 'arn'),
        config: {
          runtime: manifest.runtime,
          handler: manifest.handler,
          description: `wallarm-oob ${dep}: mirrors new instances of mirror.sources`,
          timeoutSeconds: TIMEOUT_SECONDS,
          memoryMiB: MEMORY_MIB,
        },
        environment: { [SETTINGS_VARIABLE]: settings(config, ids, sources) },
        codeSha256: manifest.codeSha256,
      },
    }),
    ...(groups.length > 0
      ? [
          rule(FOLLOWER_ID.asgRule, 'asg-events', `launches and terminations in ${groups.join(', ')}`, {
            eventPattern: JSON.stringify({
              source: ['aws.autoscaling'],
              'detail-type': ['EC2 Instance Launch Successful', 'EC2 Instance Terminate Successful'],
              detail: { AutoScalingGroupName: [...new Set(groups)].sort() },
            }),
            scheduleExpression: null,
          }),
        ]
      : []),
    ...(byInstanceState
      ? [
          rule(FOLLOWER_ID.ec2Rule, 'ec2-running', 'instances entering running (tag and EKS sources)', {
            eventPattern: JSON.stringify({ source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['running'] } }),
            scheduleExpression: null,
          }),
        ]
      : []),
    rule(FOLLOWER_ID.scheduleRule, 'reconcile', `full reconcile ${config.mirror.followSchedule} (backfill of missed events)`, {
      eventPattern: null,
      scheduleExpression: config.mirror.followSchedule,
    }),
  ];
}


