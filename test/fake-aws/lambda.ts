import { createHash } from 'node:crypto';
import type * as L from '@aws-sdk/client-lambda';
import { awsError } from './errors.js';
import type { World } from './world.js';

type Out<T> = Omit<T, '$metadata'>;

export interface FunctionRec {
  name: string;
  arn: string;
  role: string;
  runtime: string;
  handler: string;
  description: string;
  timeout: number;
  memorySize: number;
  env: Record<string, string>;
  code: Uint8Array;
  codeSha256: string;
  createdAt: number;
  /** `Pending` until this time, then `Active`. */
  activeAt: number;
  /** Last update (code or configuration) `InProgress` until this time, then `Successful`. */
  updateDoneAt: number;
  tags: Map<string, string>;
  /** Resource-based policy statements by Sid. */
  policy: Map<string, Record<string, unknown>>;
}

/** Runtimes Lambda accepts for new functions (a subset; deprecated ones are refused as AWS does). */
const RUNTIMES = new Set(['nodejs20.x', 'nodejs22.x', 'python3.12', 'python3.13', 'java21', 'provided.al2023']);
const NAME = /^[a-zA-Z0-9-_]{1,64}$/;
/** Direct upload limit (zipped), and environment variables in all. */
const ZIP_MAX = 50 * 1024 * 1024;
const ENV_MAX = 4096;

const validation = (field: string, value: unknown, constraint: string) =>
  awsError('ValidationException', `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${constraint}`);

/**
 * Lambda: functions from a .zip, their state machine (Pending -> Active; updates InProgress -> Successful, a
 * second update meanwhile is a ResourceConflictException), the execution role check at CreateFunction (the role
 * must exist, trust lambda.amazonaws.com, and be older than `lambdaRolePropagationMs`), resource policies
 * (AddPermission) and tags.
 */
export class LambdaModel {
  readonly functions = new Map<string, FunctionRec>();

  constructor(private readonly w: World) {}

  private arnOf(name: string): string {
    return `arn:aws:lambda:${this.w.region}:${this.w.accountId}:function:${name}`;
  }

  /** A function by name, name:qualifier-free ARN or partial ARN. */
  private fn(ref: string | undefined): FunctionRec {
    if (!ref) throw validation('functionName', ref, 'Member must not be null');
    const name = /^arn:aws[\w-]*:lambda:[a-z0-9-]+:\d{12}:function:([a-zA-Z0-9-_]+)$/.exec(ref)?.[1] ?? ref;
    const f = this.functions.get(name);
    if (!f || this.w.hidden(f.name)) throw awsError('ResourceNotFoundException', `Function not found: ${this.arnOf(name)}`, 404);
    return f;
  }

  private state(f: FunctionRec): 'Pending' | 'Active' {
    return this.w.now() < f.activeAt ? 'Pending' : 'Active';
  }

  private busy(f: FunctionRec): void {
    if (this.state(f) === 'Pending' || this.w.now() < f.updateDoneAt) {
      throw awsError('ResourceConflictException', `The operation cannot be performed at this time. An update is in progress for resource: ${f.arn}`, 409);
    }
  }

  private checkRole(roleArn: string | undefined): void {
    const m = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(roleArn ?? '');
    if (!m) throw validation('role', roleArn, 'Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+');
    const role = this.w.iam.roles.get(m[2]!.toLowerCase());
    const cannot = awsError('InvalidParameterValueException', 'The role defined for the function cannot be assumed by Lambda.');
    if (!role || m[1] !== this.w.accountId) throw cannot;
    // IAM is eventually consistent: Lambda cannot assume a new role for a few seconds.
    if (this.w.now() - role.createdAt < this.w.delays.lambdaRolePropagationMs) throw cannot;
    if (!trustsLambda(role.assumeRolePolicy)) throw cannot;
  }

  private checkCode(zip: Uint8Array | undefined): Uint8Array {
    if (!zip) throw awsError('InvalidParameterValueException', 'Please provide a source for function code.');
    const bytes = Uint8Array.from(zip);
    if (bytes.length > ZIP_MAX) throw awsError('RequestEntityTooLargeException', 'Request must be smaller than 70167211 bytes for the CreateFunction operation', 413);
    if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)) {
      throw awsError('InvalidParameterValueException', 'Could not unzip uploaded file. Please check your file, then try to upload again.');
    }
    return bytes;
  }

  private checkEnv(vars: Record<string, string> | undefined): Record<string, string> {
    const env = { ...vars };
    for (const key of Object.keys(env)) {
      if (!/^[a-zA-Z]([a-zA-Z0-9_])+$/.test(key)) throw validation('environment.variables', key, 'Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+');
      if (/^AWS_/.test(key)) throw awsError('InvalidParameterValueException', `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${key}`);
    }
    if (Buffer.byteLength(JSON.stringify(env)) > ENV_MAX) {
      throw awsError('InvalidParameterValueException', 'Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit.');
    }
    return env;
  }

  private configuration(f: FunctionRec): L.FunctionConfiguration {
    const now = this.w.now();
    return {
      FunctionName: f.name,
      FunctionArn: f.arn,
      Runtime: f.runtime as L.Runtime,
      Role: f.role,
      Handler: f.handler,
      CodeSize: f.code.length,
      Description: f.description,
      Timeout: f.timeout,
      MemorySize: f.memorySize,
      LastModified: new Date(Math.max(f.createdAt, f.updateDoneAt)).toISOString().replace('Z', '+0000'),
      CodeSha256: f.codeSha256,
      Version: '$LATEST',
      ...(Object.keys(f.env).length > 0 && { Environment: { Variables: { ...f.env } } }),
      State: this.state(f),
      ...(this.state(f) === 'Pending' && { StateReason: 'The function is being created.', StateReasonCode: 'Creating' }),
      LastUpdateStatus: now < f.updateDoneAt ? 'InProgress' : 'Successful',
      PackageType: 'Zip',
      Architectures: ['x86_64'],
    };
  }

  CreateFunction(input: L.CreateFunctionCommandInput): Out<L.CreateFunctionCommandOutput> {
    const name = input.FunctionName ?? '';
    if (!NAME.test(name)) throw validation('functionName', name, 'Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+ and have length less than or equal to 64');
    if (!input.Runtime || !RUNTIMES.has(input.Runtime)) {
      throw awsError('InvalidParameterValueException', `The runtime parameter of ${input.Runtime ?? 'null'} is no longer supported for creating or updating AWS Lambda functions.`);
    }
    if (!input.Handler) throw awsError('InvalidParameterValueException', 'The Handler parameter is required for functions of package type Zip.');
    if (this.functions.has(name)) throw awsError('ResourceConflictException', `Function already exist: ${name}`, 409);
    const timeout = input.Timeout ?? 3;
    const memory = input.MemorySize ?? 128;
    if (timeout < 1 || timeout > 900) throw validation('timeout', timeout, 'Member must have value less than or equal to 900');
    if (memory < 128 || memory > 10240) throw validation('memorySize', memory, 'Member must have value between 128 and 10240');
    const code = this.checkCode(input.Code?.ZipFile);
    const env = this.checkEnv(input.Environment?.Variables);
    this.checkRole(input.Role);
    const now = this.w.now();
    const f: FunctionRec = {
      name,
      arn: this.arnOf(name),
      role: input.Role!,
      runtime: input.Runtime,
      handler: input.Handler,
      description: input.Description ?? '',
      timeout,
      memorySize: memory,
      env,
      code,
      codeSha256: createHash('sha256').update(code).digest('base64'),
      createdAt: now,
      activeAt: now + this.w.delays.lambdaActiveMs,
      updateDoneAt: now,
      tags: new Map(Object.entries(input.Tags ?? {})),
      policy: new Map(),
    };
    this.functions.set(name, f);
    this.w.created(name);
    return this.configuration(f);
  }

  GetFunction(input: L.GetFunctionCommandInput): Out<L.GetFunctionCommandOutput> {
    const f = this.fn(input.FunctionName);
    return {
      Configuration: this.configuration(f),
      Code: { RepositoryType: 'S3', Location: `https://awslambda-${this.w.region}-tasks.s3.${this.w.region}.amazonaws.com/snapshots/${this.w.accountId}/${f.name}` },
      ...(f.tags.size > 0 && { Tags: Object.fromEntries(f.tags) }),
    };
  }

  ListFunctions(input: L.ListFunctionsCommandInput): Out<L.ListFunctionsCommandOutput> {
    const all = [...this.functions.values()].sort((a, b) => a.name.localeCompare(b.name));
    const start = input.Marker ? Number(Buffer.from(input.Marker, 'base64').toString('utf8').replace(/^fake:/, '')) : 0;
    if (!Number.isInteger(start)) throw awsError('InvalidParameterValueException', 'Invalid marker');
    const max = Math.min(input.MaxItems ?? 50, 50);
    const page = all.slice(start, start + max);
    const end = start + page.length;
    return { Functions: page.map((f) => this.configuration(f)), ...(end < all.length && { NextMarker: Buffer.from(`fake:${end}`).toString('base64') }) };
  }

  UpdateFunctionConfiguration(input: L.UpdateFunctionConfigurationCommandInput): Out<L.UpdateFunctionConfigurationCommandOutput> {
    const f = this.fn(input.FunctionName);
    this.busy(f);
    if (input.Runtime !== undefined && !RUNTIMES.has(input.Runtime)) {
      throw awsError('InvalidParameterValueException', `The runtime parameter of ${input.Runtime} is no longer supported for creating or updating AWS Lambda functions.`);
    }
    if (input.Role !== undefined) this.checkRole(input.Role);
    const env = input.Environment ? this.checkEnv(input.Environment.Variables) : f.env;
    if (input.Role !== undefined) f.role = input.Role;
    if (input.Runtime !== undefined) f.runtime = input.Runtime;
    if (input.Handler !== undefined) f.handler = input.Handler;
    if (input.Description !== undefined) f.description = input.Description;
    if (input.Timeout !== undefined) f.timeout = input.Timeout;
    if (input.MemorySize !== undefined) f.memorySize = input.MemorySize;
    f.env = env;
    f.updateDoneAt = this.w.now() + this.w.delays.lambdaUpdateMs;
    return this.configuration(f);
  }

  UpdateFunctionCode(input: L.UpdateFunctionCodeCommandInput): Out<L.UpdateFunctionCodeCommandOutput> {
    const f = this.fn(input.FunctionName);
    this.busy(f);
    f.code = this.checkCode(input.ZipFile);
    f.codeSha256 = createHash('sha256').update(f.code).digest('base64');
    f.updateDoneAt = this.w.now() + this.w.delays.lambdaUpdateMs;
    return this.configuration(f);
  }

  DeleteFunction(input: L.DeleteFunctionCommandInput): Out<L.DeleteFunctionCommandOutput> {
    const f = this.fn(input.FunctionName);
    this.functions.delete(f.name);
    return {};
  }

  AddPermission(input: L.AddPermissionCommandInput): Out<L.AddPermissionCommandOutput> {
    const f = this.fn(input.FunctionName);
    const sid = input.StatementId ?? '';
    if (!/^[a-zA-Z0-9-_.]{1,100}$/.test(sid)) throw validation('statementId', sid, 'Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)');
    if (!input.Action || !/^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/.test(input.Action)) throw validation('action', input.Action, 'Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])');
    if (!input.Principal) throw validation('principal', input.Principal, 'Member must not be null');
    if (f.policy.has(sid)) {
      throw awsError('ResourceConflictException', `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`, 409);
    }
    const principal = /\.amazonaws\.com$/.test(input.Principal) ? { Service: input.Principal } : { AWS: input.Principal };
    const statement = {
      Sid: sid,
      Effect: 'Allow',
      Principal: principal,
      Action: input.Action,
      Resource: f.arn,
      ...(input.SourceArn && { Condition: { ArnLike: { 'AWS:SourceArn': input.SourceArn } } }),
    };
    f.policy.set(sid, statement);
    return { Statement: JSON.stringify(statement) };
  }

  RemovePermission(input: L.RemovePermissionCommandInput): Out<L.RemovePermissionCommandOutput> {
    const f = this.fn(input.FunctionName);
    if (!f.policy.delete(input.StatementId ?? '')) throw awsError('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
    return {};
  }

  GetPolicy(input: L.GetPolicyCommandInput): Out<L.GetPolicyCommandOutput> {
    const f = this.fn(input.FunctionName);
    if (f.policy.size === 0) throw awsError('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
    return { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: [...f.policy.values()] }), RevisionId: `rev-${f.policy.size}` };
  }

  TagResource(input: L.TagResourceCommandInput): Out<L.TagResourceCommandOutput> {
    const f = this.fn(input.Resource);
    for (const [k, v] of Object.entries(input.Tags ?? {})) f.tags.set(k, v);
    if (f.tags.size > 50) throw awsError('InvalidParameterValueException', 'Number of tags exceeds resource tag limit.');
    return {};
  }

  UntagResource(input: L.UntagResourceCommandInput): Out<L.UntagResourceCommandOutput> {
    const f = this.fn(input.Resource);
    for (const k of input.TagKeys ?? []) f.tags.delete(k);
    return {};
  }

  ListTags(input: L.ListTagsCommandInput): Out<L.ListTagsCommandOutput> {
    return { Tags: Object.fromEntries(this.fn(input.Resource).tags) };
  }
}

/** Whether a trust policy lets lambda.amazonaws.com call sts:AssumeRole. */
function trustsLambda(document: string): boolean {
  try {
    const doc = JSON.parse(document) as { Statement?: unknown };
    const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as { Effect?: string; Principal?: { Service?: string | string[] }; Action?: string | string[] }[];
    return statements.some((s) => {
      const services = [s.Principal?.Service ?? []].flat();
      const actions = [s.Action ?? []].flat();
      return s.Effect === 'Allow' && services.includes('lambda.amazonaws.com') && actions.some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*');
    });
  } catch {
    return false;
  }
}
