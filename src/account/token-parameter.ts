import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { AwsClients } from '../aws/clients.js';
import { isNotFound } from '../aws/errors.js';
import { scoped, type IamGrants } from '../iam/grants.js';

/** IAM permissions of the token parameter (a SecureString under the account's default aws/ssm key needs no KMS statement). */
export const iam: IamGrants = [
  scoped('ssm:token-parameter', 'ssm:GetParameter', 'ssm:PutParameter', 'ssm:DeleteParameter', 'ssm:ListTagsForResource'),
  { actions: ['ssm:AddTagsToResource'], on: 'ssm:token-parameter', checkedBy: ['ssm:PutParameter'] },
];

export type TokenWrite = 'created' | 'updated' | 'unchanged';

/**
 * Stores WALLARM_NODE_TOKEN as the SecureString token parameter when it is missing or different. The
 * value is only ever passed to SSM: never logged, never kept in state or the plan.
 */
export async function storeNodeToken(aws: AwsClients, name: string, token: string, tags: Record<string, string>): Promise<TokenWrite> {
  const ssm = await aws.ssm();
  let current: string | undefined;
  try {
    current = (await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }))).Parameter?.Value;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (current === token) return 'unchanged';
  if (current === undefined) {
    await ssm.send(
      new PutParameterCommand({
        Name: name,
        Type: 'SecureString',
        Value: token,
        Overwrite: false,
        Description: 'Wallarm node token (wallarm-oob)',
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    return 'created';
  }
  await ssm.send(new PutParameterCommand({ Name: name, Type: 'SecureString', Value: token, Overwrite: true }));
  return 'updated';
}
