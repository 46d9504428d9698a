import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { handler as templates } from '../../src/resources/launch-template.js';
import type { LaunchTemplateProps } from '../../src/resources/types.js';
import type { FakeEnv } from '../fake-aws/helpers.js';
import { context, env } from './helpers.js';

describe('launch-template handler', () => {
  let e: FakeEnv;
  let props: LaunchTemplateProps;
  beforeEach(() => {
    e = env();
    props = {
      name: 'wallarm-oob-d1-node',
      imageId: e.net.images.wallarm48,
      instanceType: 't3.medium',
      keyName: null,
      securityGroupIds: [e.net.defaultSecurityGroupId],
      instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/wallarm-oob/d1/wallarm-oob-d1-node',
      userData: '#cloud-config\nruncmd:\n  - echo secret-token-value\n',
      volumeSizeGiB: 30,
      volumeType: 'gp3',
      detailedMonitoring: true,
      httpTokens: 'required',
    };
  });
  afterEach(() => e.done());

  it('create -> read -> update (new version) -> read -> delete -> read', async () => {
    const ctx = context(e.aws, 'node-launch-template');
    props = { ...props, tags: { ...ctx.tags } };
    const created = await templates.create(ctx, props);
    expect(created.physicalId).toMatch(/^lt-/);
    expect(created.outputs).toEqual({ id: created.physicalId, name: props.name, latestVersion: '1' });

    const call = e.fake.callsTo('CreateLaunchTemplate')[0]!.input as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(call.ClientToken).toBe(ctx.clientToken);
    expect(call.TagSpecifications).toEqual([{ ResourceType: 'launch-template', Tags: expect.arrayContaining([{ Key: 'wallarm-oob:id', Value: 'node-launch-template' }]) }]);
    expect(call.LaunchTemplateData).toMatchObject({
      NetworkInterfaces: [{ DeviceIndex: 0, Groups: props.securityGroupIds, AssociatePublicIpAddress: false, DeleteOnTermination: true }],
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true } }],
      MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1 },
      Monitoring: { Enabled: true },
      TagSpecifications: [
        { ResourceType: 'instance', Tags: expect.arrayContaining([{ Key: 'wallarm-oob:deployment', Value: 'd1' }]) },
        { ResourceType: 'volume', Tags: expect.arrayContaining([{ Key: 'wallarm-oob:deployment', Value: 'd1' }]) },
      ],
    });
    expect(call.LaunchTemplateData.SecurityGroupIds).toBeUndefined();
    expect(Buffer.from(call.LaunchTemplateData.UserData, 'base64').toString()).toBe(props.userData);
    // User data is never logged, only its size.
    expect(ctx.logs.join('\n')).not.toContain('secret-token-value');

    const live = await templates.read(ctx, created.physicalId);
    expect(live?.props).toEqual(props);
    expect(live?.outputs).toEqual(created.outputs);

    const desired = { ...props, instanceType: 't3.large', keyName: 'ops', userData: props.userData + '# v2\n' };
    const updated = await templates.update(ctx, live!, desired);
    expect(updated.outputs.latestVersion).toBe('2');
    expect(e.fake.callsTo('ModifyLaunchTemplate')[0]!.input).toMatchObject({ LaunchTemplateId: created.physicalId, DefaultVersion: '2' });
    const after = await templates.read(ctx, created.physicalId);
    expect(after?.props).toEqual(desired);
    expect(after?.outputs.latestVersion).toBe('2');

    // A retry of the same update (same base version, same data) makes no third version.
    const again = await templates.update(ctx, live!, desired);
    expect(again.outputs.latestVersion).toBe('2');
    // Changing back to the first data is a new version, not a replay of version 1.
    const back = await templates.update(ctx, after!, props);
    expect(back.outputs.latestVersion).toBe('3');

    await templates.delete(ctx, created.physicalId);
    expect(await templates.read(ctx, created.physicalId)).toBeUndefined();
    await templates.delete(ctx, created.physicalId);
  });

  it('is idempotent through its client token and lists by tag', async () => {
    const ctx = context(e.aws, 'node-launch-template');
    props = { ...props, tags: { ...ctx.tags } };
    const a = await templates.create(ctx, props);
    const b = await templates.create(ctx, props);
    expect(b.physicalId).toBe(a.physicalId);
    await templates.create(context(e.aws, 'other', { deployment: 'd2' }), { ...props, name: 'other' });
    expect(await templates.list(ctx)).toMatchObject([{ physicalId: a.physicalId, logicalId: 'node-launch-template', tags: expect.any(Object) }]);
  });

  it('adopts its own template created with another token, refuses a foreign one', async () => {
    const ctx = context(e.aws, 'node-launch-template');
    props = { ...props, tags: { ...ctx.tags } };
    const a = await templates.create(ctx, props);
    const retried = await templates.create({ ...ctx, clientToken: 'another-token' }, { ...props, instanceType: 't3.large' });
    expect(retried.physicalId).toBe(a.physicalId);
    expect(retried.outputs.latestVersion).toBe('2');
    await expect(templates.create(context(e.aws, 'intruder'), props)).rejects.toMatchObject({ code: 'AWS_NAME_TAKEN' });
  });
});
