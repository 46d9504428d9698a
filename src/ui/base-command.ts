import { Command, Flags, type Interfaces } from '@oclif/core';
import { WallarmOobError } from '../errors.js';
import { awsMessage } from '../aws/errors.js';
import { paint } from './format.js';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>;

/**
 * Shared flags and error rendering: a WallarmOobError prints its message and the actions that fix it,
 * with its exit code; anything else prints one line. Stacks only with --debug.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    profile: Flags.string({ description: 'AWS named profile (default: the SDK credential chain).', helpGroup: 'GLOBAL', env: 'AWS_PROFILE' }),
    region: Flags.string({ description: 'AWS region (default: `region` in the config, then the SDK chain).', helpGroup: 'GLOBAL' }),
    debug: Flags.boolean({ description: 'Show stack traces and SDK error details.', helpGroup: 'GLOBAL', default: false }),
  };

  protected debugMode = false;

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number }; parse?: unknown }): Promise<unknown> {
    // A flag or argument parse error is bad input: exit 1 like any other, never oclif's 2 (which
    // `plan --detailed-exitcode` uses for "there are changes").
    if (error.parse !== undefined && error.oclif) error.oclif.exit = 1;
    if (error.oclif?.exit !== undefined && !(error instanceof WallarmOobError)) return super.catch(error);
    this.debugMode ||= process.argv.includes('--debug');
    const lines: string[] = [];
    if (error instanceof WallarmOobError) {
      lines.push(`${paint('red', 'Error:', process.stderr)} ${error.message}`);
      for (const action of error.actions) lines.push(`  -> ${action}`);
    } else if (error.name === 'CredentialsProviderError') {
      lines.push(`${paint('red', 'Error:', process.stderr)} No AWS credentials were found.`);
      lines.push('  -> Configure credentials the usual way (AWS_PROFILE / --profile, environment variables, SSO, an instance role).');
      lines.push('  -> Or look at what would be built without an account: wallarm-oob plan --offline');
    } else {
      lines.push(`${paint('red', 'Error:', process.stderr)} ${awsMessage(error)}`);
      if (!this.debugMode) lines.push('  -> Run again with --debug for details.');
    }
    if (this.debugMode) lines.push('', String(error.stack ?? error), ...causes(error));
    process.stderr.write(`${lines.join('\n')}\n`);
    const code = error instanceof WallarmOobError ? error.exitCode : 1;
    return this.exit(code);
  }
}

function causes(error: unknown): string[] {
  const out: string[] = [];
  let cause = (error as { cause?: unknown })?.cause;
  while (cause) {
    out.push(`Caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
    cause = (cause as { cause?: unknown }).cause;
  }
  return out;
}
