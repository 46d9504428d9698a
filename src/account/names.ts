/** AWS Marketplace account publishing the Wallarm node AMIs. */
export const WALLARM_AMI_OWNER = '679593333241';

/** ARN of an SSM parameter (the node token's, for the nodes' role policy). */
export function parameterArn(partition: string, region: string, account: string, name: string): string {
  return `arn:${partition}:ssm:${region}:${account}:parameter/${name.replace(/^\//, '')}`;
}
