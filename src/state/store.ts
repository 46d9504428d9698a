import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { AwsClients } from '../aws/clients.js';
import { hasCode, isNotFound, unlessNotFound } from '../aws/errors.js';
import { decodeState, emptyState, encodeStateForTier, type StateDocument } from './document.js';
import { statePath } from './names.js';
import { scoped, type IamGrants } from '../iam/grants.js';

/** IAM permissions of the state parameter (PutParameter with Tags is also authorised as ssm:AddTagsToResource). */
export const iam: IamGrants = [
  scoped('ssm:deployment-parameters', 'ssm:GetParameter', 'ssm:PutParameter', 'ssm:DeleteParameter'),
  { actions: ['ssm:AddTagsToResource'], on: 'ssm:deployment-parameters', checkedBy: ['ssm:PutParameter'] },
];

/**
 * The state document of one deployment, in an SSM String parameter: standard tier, or advanced once the document
 * outgrows it (docs/decisions/0006).
 */
export class StateStore {
  readonly parameterName: string;
  private exists = false;
  private advanced = false;

  constructor(
    private readonly aws: AwsClients,
    readonly deployment: string,
    private readonly tags: Record<string, string>,
  ) {
    this.parameterName = statePath(deployment);
  }

  async load(): Promise<StateDocument | undefined> {
    const ssm = await this.aws.ssm();
    const out = await unlessNotFound(ssm.send(new GetParameterCommand({ Name: this.parameterName })));
    if (!out) return undefined;
    this.exists = true;
    const doc = decodeState(out.Parameter?.Value ?? '', this.parameterName);
    this.advanced = doc.parameterTier === 'Advanced';
    return doc;
  }

  async loadOrEmpty(): Promise<StateDocument> {
    return (await this.load()) ?? emptyState(this.deployment);
  }

  async write(doc: StateDocument): Promise<void> {
    const ssm = await this.aws.ssm();
    // Once advanced, always advanced: AWS refuses a move back to Standard (the document records it for later runs).
    const { value, tier: Tier } = encodeStateForTier(this.advanced ? { ...doc, parameterTier: 'Advanced' } : doc);
    this.advanced = Tier === 'Advanced';
    if (!this.exists) {
      // Tags can only be given on create (AWS rejects Tags together with Overwrite).
      try {
        await ssm.send(
          new PutParameterCommand({
            Name: this.parameterName,
            Type: 'String',
            Tier,
            Value: value,
            Overwrite: false,
            Description: `wallarm-oob state of deployment ${this.deployment}; do not edit`,
            Tags: Object.entries(this.tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        );
        this.exists = true;
        return;
      } catch (error) {
        if (!hasCode(error, 'ParameterAlreadyExists')) throw error;
        this.exists = true;
      }
    }
    await ssm.send(new PutParameterCommand({ Name: this.parameterName, Type: 'String', Tier, Value: value, Overwrite: true }));
  }

  async remove(): Promise<void> {
    const ssm = await this.aws.ssm();
    try {
      await ssm.send(new DeleteParameterCommand({ Name: this.parameterName }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    this.exists = false;
    this.advanced = false;
  }
}

/**
 * The in-memory state of a running apply/destroy. Every completed step mutates it and saves; saves run
 * one at a time and a save queued behind a running one picks up every change made meanwhile.
 */
export class StateSession {
  private running: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;

  constructor(
    readonly doc: StateDocument,
    private readonly store: Pick<StateStore, 'write'>,
  ) {}

  /** Applies a change, bumps the serial and resolves once a save including it has been written. */
  commit(change: (doc: StateDocument) => void): Promise<void> {
    change(this.doc);
    this.doc.serial += 1;
    this.doc.appliedAt = new Date().toISOString();
    return this.save();
  }

  save(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.store.write(structuredClone(this.doc));
      });
    this.queued = next;
    this.running = next;
    return next;
  }

  /** Waits for every save started so far. */
  async flush(): Promise<void> {
    await this.running;
  }
}
