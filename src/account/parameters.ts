/** SSM parameters the tool creates beside its resources (the token parameter, the follower's last run). */
import { DeleteParameterCommand, ListTagsForResourceCommand } from '@aws-sdk/client-ssm';
import type { AwsClients } from '../aws/clients.js';
import { hasCode, isNotFound } from '../aws/errors.js';
import { TAG_DEPLOYMENT } from '../engine/ownership.js';

/**
 * Whether an SSM parameter exists and carries this deployment's tag: what apply created (it tags what it creates),
 * recognised even when the state that remembered it is gone.
 */
export async function parameterIsOurs(aws: AwsClients, name: string, deployment: string): Promise<boolean> {
  const ssm = await aws.ssm();
  try {
    const tags = (await ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }))).TagList ?? [];
    return tags.some((t) => t.Key === TAG_DEPLOYMENT && t.Value === deployment);
  } catch (error) {
    if (isNotFound(error) || hasCode(error, 'InvalidResourceId', 'ParameterNotFound')) return false;
    throw error;
  }
}

export async function deleteParameter(aws: AwsClients, name: string): Promise<void> {
  const ssm = await aws.ssm();
  try {
    await ssm.send(new DeleteParameterCommand({ Name: name }));
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
