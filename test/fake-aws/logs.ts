import type * as C from '@aws-sdk/client-cloudwatch-logs';
import { awsError } from './errors.js';
import { paginate } from './util.js';
import type { World } from './world.js';

type Out<T> = Omit<T, '$metadata'>;

export interface LogGroupRec {
  name: string;
  retentionInDays?: number;
  createdAt: number;
  tags: Map<string, string>;
}

/** PutRetentionPolicy accepts only these values (CloudWatch Logs API reference). */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

/** CloudWatch Logs: log groups with a retention policy and tags (tagging by ARN without the trailing `:*`). */
export class LogsModel {
  readonly groups = new Map<string, LogGroupRec>();

  constructor(private readonly w: World) {}

  arnOf(name: string): string {
    return `arn:aws:logs:${this.w.region}:${this.w.accountId}:log-group:${name}`;
  }

  private group(name: string | undefined): LogGroupRec {
    const g = this.groups.get(name ?? '');
    if (!g || this.w.hidden(g.name)) throw awsError('ResourceNotFoundException', 'The specified log group does not exist.');
    return g;
  }

  private byArn(arn: string | undefined): LogGroupRec {
    const m = /^arn:aws[\w-]*:logs:[a-z0-9-]+:\d{12}:log-group:([.\-_/#A-Za-z0-9]+)$/.exec(arn ?? '');
    // Tagging APIs take the ARN without the `:*` that DescribeLogGroups' `arn` field ends with.
    if (!m) throw awsError('InvalidParameterException', `Invalid resource ARN: ${arn}`);
    return this.group(m[1]);
  }

  CreateLogGroup(input: C.CreateLogGroupCommandInput): Out<C.CreateLogGroupCommandOutput> {
    const name = input.logGroupName ?? '';
    if (!NAME.test(name)) throw awsError('InvalidParameterException', `1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`);
    if (this.groups.has(name)) throw awsError('ResourceAlreadyExistsException', 'The specified log group already exists');
    this.groups.set(name, { name, createdAt: this.w.now(), tags: new Map(Object.entries(input.tags ?? {})) });
    this.w.created(name);
    return {};
  }

  PutRetentionPolicy(input: C.PutRetentionPolicyCommandInput): Out<C.PutRetentionPolicyCommandOutput> {
    const g = this.group(input.logGroupName);
    if (!RETENTION_DAYS.includes(input.retentionInDays ?? -1)) {
      throw awsError('InvalidParameterException', `1 validation error detected: Value '${input.retentionInDays}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
    }
    g.retentionInDays = input.retentionInDays;
    return {};
  }

  DescribeLogGroups(input: C.DescribeLogGroupsCommandInput): Out<C.DescribeLogGroupsCommandOutput> {
    if (input.limit !== undefined && (input.limit < 1 || input.limit > 50)) throw awsError('InvalidParameterException', 'limit must be between 1 and 50');
    const all = [...this.groups.values()]
      .filter((g) => !input.logGroupNamePrefix || g.name.startsWith(input.logGroupNamePrefix))
      .filter((g) => !this.w.hidden(g.name))
      .sort((a, b) => a.name.localeCompare(b.name));
    const { page, next } = paginate(all, input.nextToken, input.limit, 50);
    return {
      logGroups: page.map((g) => ({
        logGroupName: g.name,
        creationTime: g.createdAt,
        ...(g.retentionInDays !== undefined && { retentionInDays: g.retentionInDays }),
        metricFilterCount: 0,
        arn: `${this.arnOf(g.name)}:*`,
        logGroupArn: this.arnOf(g.name),
        storedBytes: 0,
        logGroupClass: 'STANDARD',
      })),
      ...(next && { nextToken: next }),
    };
  }

  DeleteLogGroup(input: C.DeleteLogGroupCommandInput): Out<C.DeleteLogGroupCommandOutput> {
    const g = this.group(input.logGroupName);
    this.groups.delete(g.name);
    return {};
  }

  TagResource(input: C.TagResourceCommandInput): Out<C.TagResourceCommandOutput> {
    const g = this.byArn(input.resourceArn);
    for (const [k, v] of Object.entries(input.tags ?? {})) g.tags.set(k, v);
    return {};
  }

  UntagResource(input: C.UntagResourceCommandInput): Out<C.UntagResourceCommandOutput> {
    const g = this.byArn(input.resourceArn);
    for (const k of input.tagKeys ?? []) g.tags.delete(k);
    return {};
  }

  ListTagsForResource(input: C.ListTagsForResourceCommandInput): Out<C.ListTagsForResourceCommandOutput> {
    return { tags: Object.fromEntries(this.byArn(input.resourceArn).tags) };
  }
}
