import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  ListTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  paginateListFunctions,
  type GetFunctionCommandOutput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';

import { hasCode } from '../aws/errors.js';
import { isNotFoundOf } from './not-found.js';
import { AwsError } from '../errors.js';
import { verifyNameTakeover } from './ownership.js';
import type { LambdaFunctionProps, Live, ResourceContext, ResourceHandler, Tagged } from './types.js';
import { TAG_DEPLOYMENT, TAG_LOGICAL_ID } from './types.js';
import { comparableTags, guard, MINUTE, retryWhile, SECOND, SETTLE_POLL, tagChanges, waitUntil } from './util.js';
import { anyResource, created, forList, owned, scoped, type IamGrants } from '../iam/grants.js';

/**
 * A new execution role cannot be assumed by Lambda until IAM has propagated it: CreateFunction answers
 * InvalidParameterValueException "The role defined for the function cannot be assumed by Lambda" meanwhile.
 */
const ROLE_PROPAGATION_WINDOW_MS = 2 * MINUTE;
const roleNotAssumable = (error: unknown) => hasCode(error, 'InvalidParameterValueException') && /cannot be assumed by Lambda/.test((error as Error).message ?? '');
/** Function state changes (Pending -> Active, update InProgress -> Successful) take seconds. */
const SETTLE_TIMEOUT_MS = 5 * MINUTE;

export const functionPrefix = (deployment: string) => `wallarm-oob-${deployment}-`;

/**
 * GetFunction answers the configuration and the tags in one call ("Lambda returns tag data only if you have
 * explicit allow permissions for lambda:ListTags", Lambda API reference): when it could not include them
 * (`TagsError`), ListTags is asked, so a missing permission fails with its own message instead of showing the
 * function as untagged.
 */
async function get(lambda: LambdaClient, name: string): Promise<GetFunctionCommandOutput | undefined> {
  try {
    const out = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    if (out.TagsError && out.Configuration?.FunctionArn) out.Tags = (await lambda.send(new ListTagsCommand({ Resource: out.Configuration.FunctionArn }))).Tags ?? {};
    return out;
  } catch (error) {
    if (isNotFoundOf('lambda-function', error)) return undefined;
    throw error;
  }
}

function toLive(out: GetFunctionCommandOutput): Live<LambdaFunctionProps> {
  const c = out.Configuration ?? {};
  const name = c.FunctionName ?? '';
  return {
    physicalId: name,
    props: {
      name,
      roleArn: c.Role ?? '',
      config: { runtime: c.Runtime ?? '', handler: c.Handler ?? '', description: c.Description ?? '', timeoutSeconds: c.Timeout ?? 0, memoryMiB: c.MemorySize ?? 0 },
      environment: { ...c.Environment?.Variables },
      codeSha256: c.CodeSha256 ?? '',
      tags: comparableTags(out.Tags ?? {}),
    },
    outputs: { arn: c.FunctionArn ?? '' },
  };
}

/**
 * The build's output (scripts/build-follower.mjs). src/resources and dist/resources both sit two levels below the
 * package root, so the same relative URL finds it from the sources (tests) and from the built CLI.
 */
export const FUNCTION_ZIP = new URL('../../dist/follower/function.zip', import.meta.url);

/** The .zip the plan was made with: refuses a bundle whose digest differs (rebuilt since the plan). */
function code(props: LambdaFunctionProps): Uint8Array {
  const zip = readFileSync(FUNCTION_ZIP);
  const digest = createHash('sha256').update(zip).digest('base64');
  if (digest !== props.codeSha256) {
    throw new AwsError('FOLLOWER_BUNDLE_CHANGED', `${fileURLToPath(FUNCTION_ZIP)} has SHA-256 ${digest}, but the plan was made with ${props.codeSha256}: the function was rebuilt since.`, {
      actions: ['Run plan again (or apply without a saved plan file).'],
    });
  }
  return zip;
}

/** Waits until the function is Active and its last update done: Lambda refuses a second update meanwhile (ResourceConflictException). */
async function settled(ctx: ResourceContext, lambda: LambdaClient, name: string): Promise<GetFunctionCommandOutput> {
  return waitUntil(
    `Lambda function ${name} to be ready`,
    async () => {
      const out = await get(lambda, name);
      const c = out?.Configuration;
      if (c?.State === 'Failed' || c?.LastUpdateStatus === 'Failed') {
        throw new AwsError('AWS_LAMBDA_FAILED', `${ctx.logicalId}: Lambda function ${name} is in state ${c.State}/${c.LastUpdateStatus}: ${c.StateReason ?? c.LastUpdateStatusReason ?? ''}`, {
          actions: ['See the reason above; fix it, then run apply again.'],
        });
      }
      return c?.State === 'Active' && c.LastUpdateStatus !== 'InProgress' ? out : undefined;
    },
    { timeoutMs: SETTLE_TIMEOUT_MS, ...SETTLE_POLL, signal: ctx.signal },
  );
}

const configuration = (props: LambdaFunctionProps) => ({
  Role: props.roleArn,
  Runtime: props.config.runtime as never,
  Handler: props.config.handler,
  Description: props.config.description,
  Timeout: props.config.timeoutSeconds,
  MemorySize: props.config.memoryMiB,
  Environment: { Variables: { ...props.environment } },
});

async function create(ctx: ResourceContext, props: LambdaFunctionProps): Promise<Live<LambdaFunctionProps>> {
  return guard(ctx, `creating Lambda function ${props.name}`, async () => {
    const lambda = await ctx.aws.lambda();
    const zip = code(props);
    try {
      await retryWhile(roleNotAssumable, () => lambda.send(new CreateFunctionCommand({ FunctionName: props.name, ...configuration(props), Code: { ZipFile: zip }, Tags: { ...ctx.tags } })), {
        windowMs: ROLE_PROPAGATION_WINDOW_MS,
        intervalMs: 2 * SECOND,
        signal: ctx.signal,
        onRetry: () => ctx.log('waiting for the new IAM role to reach Lambda'),
      });
    } catch (error) {
      if (!hasCode(error, 'ResourceConflictException')) throw error;
      // Created just before a crash: adopt it if it is ours, and bring it to the desired props.
      const existing = await get(lambda, props.name);
      verifyNameTakeover(ctx, 'a Lambda function', props.name, existing?.Tags, error);
      await settled(ctx, lambda, props.name);
      return update(ctx, toLive(existing!), props);
    }
    return toLive(await settled(ctx, lambda, props.name));
  });
}

async function read(ctx: ResourceContext, physicalId: string): Promise<Live<LambdaFunctionProps> | undefined> {
  return guard(ctx, `reading Lambda function ${physicalId}`, async () => {
    const out = await get(await ctx.aws.lambda(), physicalId);
    return out ? toLive(out) : undefined;
  });
}

async function update(ctx: ResourceContext, live: Live<LambdaFunctionProps>, desired: LambdaFunctionProps): Promise<Live<LambdaFunctionProps>> {
  return guard(ctx, `updating Lambda function ${desired.name}`, async () => {
    const lambda = await ctx.aws.lambda();
    const l = live.props;
    const configChanged =
      l.roleArn !== desired.roleArn ||
      JSON.stringify(l.config) !== JSON.stringify(desired.config) ||
      JSON.stringify(sorted(l.environment)) !== JSON.stringify(sorted(desired.environment));
    if (configChanged) {
      await settled(ctx, lambda, desired.name);
      await retryWhile(roleNotAssumable, () => lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: desired.name, ...configuration(desired) })), {
        windowMs: ROLE_PROPAGATION_WINDOW_MS,
        intervalMs: 2 * SECOND,
        signal: ctx.signal,
      });
    }
    if (l.codeSha256 !== desired.codeSha256) {
      const zip = code(desired);
      await settled(ctx, lambda, desired.name);
      await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: desired.name, ZipFile: zip }));
    }
    if (desired.tags) {
      const { set, remove } = tagChanges(l.tags, desired.tags);
      const arn = String(live.outputs.arn);
      if (Object.keys(set).length > 0) await lambda.send(new TagResourceCommand({ Resource: arn, Tags: set }));
      if (remove.length > 0) await lambda.send(new UntagResourceCommand({ Resource: arn, TagKeys: remove }));
    }
    return toLive(await settled(ctx, lambda, desired.name));
  });
}

function sorted(env: Record<string, string>): [string, string][] {
  return Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Deletes the function (the engine checked it is this deployment's before calling: src/engine/executor.ts). */
async function destroy(ctx: ResourceContext, physicalId: string): Promise<void> {
  await guard(ctx, `deleting Lambda function ${physicalId}`, async () => {
    const lambda = await ctx.aws.lambda();
    try {
      await lambda.send(new DeleteFunctionCommand({ FunctionName: physicalId }));
    } catch (error) {
      if (!isNotFoundOf('lambda-function', error)) throw error;
    }
  });
}

async function list(ctx: ResourceContext): Promise<Tagged[]> {
  return guard(ctx, 'listing Lambda functions', async () => {
    const lambda = await ctx.aws.lambda();
    const out: Tagged[] = [];
    for await (const page of paginateListFunctions({ client: lambda }, {})) {
      for (const f of page.Functions ?? []) {
        if (!f.FunctionName?.startsWith(functionPrefix(ctx.deployment)) || !f.FunctionArn) continue;
        const tags = (await lambda.send(new ListTagsCommand({ Resource: f.FunctionArn }))).Tags ?? {};
        if (tags[TAG_DEPLOYMENT] === ctx.deployment) out.push({ physicalId: f.FunctionName, logicalId: tags[TAG_LOGICAL_ID], tags });
      }
    }
    return out;
  });
}

/** The environment compares as a sorted object, the config with its keys in one order. */
export function normalize(props: LambdaFunctionProps): LambdaFunctionProps {
  const env = props.environment;
  const c = props.config;
  const config = c && typeof c === 'object' && !Array.isArray(c) ? { runtime: c.runtime, handler: c.handler, description: c.description, timeoutSeconds: c.timeoutSeconds, memoryMiB: c.memoryMiB } : c;
  return { ...props, config, ...(env && typeof env === 'object' && !Array.isArray(env) && { environment: Object.fromEntries(sorted(env)) }) };
}

/** Lambda: tag conditions on functions are documented (aws:ResourceTag / aws:RequestTag); CreateFunction passes the role. */
export const iam: IamGrants = [
  forList(anyResource('lambda:ListFunctions')),
  forList(scoped('lambda:deployment-function', 'lambda:ListTags')),
  created('lambda:deployment-function', 'lambda:CreateFunction', 'lambda:TagResource'),
  // GetFunction returns the tags only to callers allowed lambda:ListTags (granted here beside it).
  owned('lambda:deployment-function', 'lambda:GetFunction', 'lambda:ListTags', 'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:DeleteFunction', 'lambda:TagResource', 'lambda:UntagResource'),
  { actions: ['iam:PassRole'], on: 'iam:deployment-role', checkedBy: ['lambda:CreateFunction', 'lambda:UpdateFunctionConfiguration'] },
];

export const handler: ResourceHandler<LambdaFunctionProps> = {
  kind: 'lambda-function',
  iam,
  replaceOn: ['name'],
  normalize,
  create,
  read,
  update,
  delete: destroy,
  list,
};
