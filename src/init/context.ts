import type { AwsClients } from '../aws/clients.js';
import type { ConfigError } from '../errors.js';
import type { AnswerKey, Defaults } from './answers.js';
import type { SubnetInfo } from './discovery.js';

/** What init hands a topology's own step (src/topologies/<name>/init.ts). */
export interface InitContext {
  aws: AwsClients;
  /** Subnets of the chosen VPC, as discovery read them. */
  subnets: SubnetInfo[];
  /** The schema's defaults for the questions init asks. */
  defaults: Defaults;
  /** Whether a question may be asked: in a terminal, and (for an answer with a default) without --yes. */
  canAsk(defaulted: boolean): boolean;
  /** Shows a spinner while `work` runs (in a terminal). */
  spin<T>(title: string, work: () => Promise<T>): Promise<T>;
  /** The error for a bad answer, naming the flag that gives it. */
  fail(key: AnswerKey, message: string, actions?: string[]): ConfigError;
}
