/**
 * Every error a user may see is a WallarmOobError: a stable code, a one-paragraph message saying what is
 * wrong and where, and the actions that fix it. Commands print message + actions and exit with `exitCode`;
 * the stack is shown only with --debug.
 */
export class WallarmOobError extends Error {
  readonly code: string;
  readonly actions: string[];
  readonly exitCode: number;

  constructor(code: string, message: string, options: { actions?: string[]; cause?: unknown; exitCode?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.actions = options.actions ?? [];
    this.exitCode = options.exitCode ?? 1;
  }
}

/** The config file is missing, unparsable or invalid. */
export class ConfigError extends WallarmOobError {}
/** A look-up against the account (AMI, subnets, token parameter, ENIs) found something unusable. */
export class ResolveError extends WallarmOobError {}
/** State or lock problems: stale plan, lock held, state too large. */
export class StateError extends WallarmOobError {}
/** An AWS call failed in a way retries could not fix. */
export class AwsError extends WallarmOobError {}
/** Input the engine cannot act on (graph cycle, forbidden replacement). */
export class PlanError extends WallarmOobError {}
/** The user declined, or a confirmation was impossible (no TTY). */
export class AbortedError extends WallarmOobError {}

/** A step or wait cut short by Ctrl-C / SIGTERM: part of the interruption, not a failure (the next run resumes it). */
export function isInterruption(error: unknown): boolean {
  return error instanceof WallarmOobError && error.code === 'INTERRUPTED';
}
