import { Command, Flags, type Interfaces } from '@oclif/core';
import { paint } from './format.js';
import { formatReport, reportError } from './error-report.js';
import { enableDebugLog } from '../util/debug-log.js';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>;

/**
 * Shared flags and error rendering: a WallarmOobError prints its message and the actions that fix it,
 * with its exit code; anything else prints one line. Stacks only with --debug. Under --json the same
 * error is one `{ "error": { code, message, actions } }` object on stdout, with the same exit code.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = {
    profile: Flags.string({ description: 'AWS named profile (default: the SDK credential chain).', helpGroup: 'GLOBAL', env: 'AWS_PROFILE' }),
    region: Flags.string({ description: 'AWS region (default: `region` in the config, then the SDK chain).', helpGroup: 'GLOBAL' }),
    debug: Flags.boolean({
      description: 'Show stack traces, and trace every AWS call (service, operation, attempt, ms, error code) on stderr. Also WALLARM_OOB_LOG=debug.',
      helpGroup: 'GLOBAL',
      default: false,
    }),
  };

  protected debugMode = false;

  public override async init(): Promise<void> {
    if (this.flagArgv().includes('--debug')) enableDebugLog();
    await super.init();
  }

  // Not async: it ends in this.exit(), which throws; oclif awaits it either way.
  protected override catch(error: Error & { exitCode?: number; code?: string; oclif?: { exit?: number } }): Promise<unknown> {
    // this.exit() (e.g. 130 after a cancelled prompt) is not an error to report
    if (error.code === 'EEXIT') throw error;
    this.debugMode ||= this.flagArgv().includes('--debug');
    const report = reportError(error, { command: this.id ?? '', long: this.flagNames() });
    if (this.debugMode) report.actions = report.actions.filter((a) => !a.includes('--debug'));
    const stack = this.debugMode ? ['', String(error.stack ?? error), ...causes(error)] : [];
    if (this.jsonRequested()) {
      process.stdout.write(`${JSON.stringify({ error: { code: report.code, message: report.message, actions: report.actions } }, null, 2)}\n`);
      // stdout stays one JSON object; with --debug the stack goes to stderr
      if (stack.length) process.stderr.write(`${stack.join('\n').trimStart()}\n`);
    } else {
      process.stderr.write(`${[formatReport(report, (text) => paint('red', text, process.stderr)), ...stack].join('\n')}\n`);
    }
    return this.exit(report.exitCode);
  }

  /** --json was given to a command that has it (read from argv: a parse error leaves no flags). */
  private jsonRequested(): boolean {
    return Boolean((this.constructor as typeof Command).enableJsonFlag) && this.flagArgv().includes('--json');
  }

  private flagArgv(): string[] {
    const end = this.argv.indexOf('--');
    return end === -1 ? this.argv : this.argv.slice(0, end);
  }

  private flagNames(): string[] {
    const ctor = this.constructor as typeof Command;
    const all = { ...ctor.baseFlags, ...ctor.flags } as Record<string, { allowNo?: boolean }>;
    const names = Object.entries(all).flatMap(([name, flag]) => (flag.allowNo ? [name, `no-${name}`] : [name]));
    return ctor.enableJsonFlag ? [...names, 'json'] : names;
  }
}

function causes(error: unknown): string[] {
  const out: string[] = [];
  let cause = (error as { cause?: unknown })?.cause;
  while (cause) {
    out.push(`Caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : JSON.stringify(cause)}`);
    cause = (cause as { cause?: unknown }).cause;
  }
  return out;
}
