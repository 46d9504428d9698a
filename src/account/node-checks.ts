/**
 * `validate` checks of what the node instances need to launch, so a mistake shows before apply rather than as
 * failed launches: the instance type is offered in every Availability Zone of subnets.instances, and the key
 * pair (nodes.keyName) exists.
 */
import { DescribeInstanceTypeOfferingsCommand, DescribeKeyPairsCommand, DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../aws/clients.js';
import { awsMessage, errorCode } from '../aws/errors.js';
import type { LoadedConfig } from '../config/load.js';
import type { CheckResult } from '../topologies/types.js';

export async function nodeLaunchChecks(loaded: LoadedConfig, aws: AwsClients): Promise<CheckResult[]> {
  return [await instanceTypeCheck(loaded, aws), await keyPairCheck(loaded, aws)];
}

async function instanceTypeCheck(loaded: LoadedConfig, aws: AwsClients): Promise<CheckResult> {
  const { config } = loaded;
  const type = config.nodes.instanceType;
  const title = 'Instance type offered in every instance subnet’s Availability Zone';
  try {
    const ec2 = await aws.ec2();
    const subnets = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [...config.subnets.instances] }))).Subnets ?? [];
    const zones = [...new Set(subnets.map((s) => s.AvailabilityZone ?? ''))].filter(Boolean).sort();
    const offered = new Set<string>();
    let NextToken: string | undefined;
    do {
      const out = await ec2.send(
        new DescribeInstanceTypeOfferingsCommand({
          LocationType: 'availability-zone',
          Filters: [
            { Name: 'instance-type', Values: [type] },
            { Name: 'location', Values: zones },
          ],
          NextToken,
        }),
      );
      for (const o of out.InstanceTypeOfferings ?? []) if (o.Location) offered.add(o.Location);
      NextToken = out.NextToken;
    } while (NextToken);
    const missing = zones.filter((az) => !offered.has(az));
    if (missing.length === 0) return { id: 'instance-type', title, status: 'ok', detail: `${type} in ${zones.join(', ')}` };
    const inMissing = subnets.filter((s) => missing.includes(s.AvailabilityZone ?? '')).map((s) => s.SubnetId);
    return {
      id: 'instance-type',
      title,
      status: 'failed',
      code: 'INSTANCE_TYPE_NOT_OFFERED',
      detail: `${loaded.path}: nodes.instanceType: ${type} is not offered in ${missing.join(', ')} (subnets.instances ${inMissing.join(', ')}); launches there would fail.`,
      actions: [
        `Choose a type offered in ${zones.join(', ')} (aws ec2 describe-instance-type-offerings --location-type availability-zone --filters Name=location,Values=${missing.join(',')}), or remove those subnets from subnets.instances.`,
      ],
    };
  } catch (error) {
    return { id: 'instance-type', title, status: 'failed', detail: awsMessage(error), code: errorCode(error) };
  }
}

async function keyPairCheck(loaded: LoadedConfig, aws: AwsClients): Promise<CheckResult> {
  const name = loaded.config.nodes.keyName;
  const title = 'Key pair exists';
  if (!name) return { id: 'key-pair', title, status: 'skipped', detail: 'nodes.keyName is not set (no SSH)' };
  try {
    const ec2 = await aws.ec2();
    const out = await ec2.send(new DescribeKeyPairsCommand({ KeyNames: [name] }));
    return { id: 'key-pair', title, status: 'ok', detail: `${name} (${out.KeyPairs?.[0]?.KeyPairId ?? 'found'})` };
  } catch (error) {
    if (errorCode(error) === 'InvalidKeyPair.NotFound') {
      return {
        id: 'key-pair',
        title,
        status: 'failed',
        code: 'KEY_PAIR_NOT_FOUND',
        detail: `${loaded.path}: nodes.keyName: the key pair ${name} does not exist in this region; every launch would fail.`,
        actions: ['Create or import it in this region (aws ec2 import-key-pair), fix the name, or remove nodes.keyName.'],
      };
    }
    return { id: 'key-pair', title, status: 'failed', detail: awsMessage(error), code: errorCode(error) };
  }
}
