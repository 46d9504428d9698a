import type * as T from '@aws-sdk/client-sts';
import type { World } from './world.js';

type Out<T> = Omit<T, '$metadata'>;

export class StsModel {
  constructor(private readonly w: World) {}

  GetCallerIdentity(_input: T.GetCallerIdentityCommandInput): Out<T.GetCallerIdentityCommandOutput> {
    return { UserId: 'AIDAFAKEFAKEFAKEFAKE1', Account: this.w.accountId, Arn: `arn:aws:iam::${this.w.accountId}:user/test` };
  }
}
