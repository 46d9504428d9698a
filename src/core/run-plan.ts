import { execute, type ExecutionResult, type StepEvent } from '../engine/executor.js';
import type { Plan } from '../engine/plan.js';
import { isInterruption, WallarmOobError } from '../errors.js';
import { awsMessage } from '../aws/errors.js';
import type { StateSession } from '../state/store.js';
import { handlerFor, type Deployment } from './deployment.js';

/** How a command talks to the person (or CI log) while the core works. */
export interface Hooks {
  showPlan(plan: Plan): void;
  /** Asks a yes/no question; only called when a person can answer (the command checks for a TTY). */
  confirm(question: string): Promise<boolean>;
  onEvent(event: StepEvent): void;
  info(message: string): void;
  warn(message: string): void;
  /** Called once execution is about to start (the progress display sets itself up). */
  starting?(actions: Plan['actions']): Promise<void>;
  /** Called when execution ended, successfully or not. */
  finished?(): Promise<void>;
}

export interface RunOptions {
  parallelism: number;
  wait: boolean;
  signal?: AbortSignal;
}

/** Executes a plan's actions against the deployment with state saved after every step. */
export async function runActions(deployment: Deployment, plan: Pick<Plan, 'actions' | 'graph'>, session: StateSession, options: RunOptions, hooks: Hooks): Promise<ExecutionResult> {
  await hooks.starting?.(plan.actions);
  try {
    return await execute(plan, session, {
      parallelism: options.parallelism,
      signal: options.signal,
      loadHandler: handlerFor,
      context: (id, log) => deployment.context(id, log, { lineage: session.doc.lineage, waitForCapacity: options.wait, signal: options.signal }),
      onEvent: (event) => hooks.onEvent(event),
    });
  } finally {
    await hooks.finished?.();
  }
}

/** Exit code of a run stopped by Ctrl-C, as shells expect. */
export const INTERRUPTED_EXIT = 130;

/** Turns failed or interrupted steps into one error saying what failed and that re-running resumes. */
export function throwIfIncomplete(result: ExecutionResult, command: 'apply' | 'destroy'): void {
  // Waits cut short by Ctrl-C are part of the interruption, not failures: the next run adopts what they made.
  if (result.interrupted && result.failures.every((f) => isInterruption(f.error))) {
    result = { ...result, skipped: [...result.skipped, ...result.failures.map((f) => f.action)], failures: [] };
  }
  if (result.failures.length > 0) {
    const lines = result.failures.map((f) => `  ${f.action.id} (${f.action.action}): ${f.error instanceof WallarmOobError ? f.error.message : awsMessage(f.error)}`);
    const skipped = result.skipped.length > 0 ? `\n${result.skipped.length} dependent step(s) were not started.` : '';
    throw new WallarmOobError('STEPS_FAILED', `${result.failures.length} step(s) of ${command} failed:\n${lines.join('\n')}${skipped}`, {
      cause: result.failures[0]?.error,
      actions: [
        // what each failed step says to do (e.g. the Marketplace page to subscribe on), then how to resume
        ...new Set(result.failures.flatMap((f) => (f.error instanceof WallarmOobError ? f.error.actions : []))),
        `Fix the cause and run \`wallarm-oob ${command}\` again: state was saved after every completed step, so it resumes where this run stopped.`,
      ],
    });
  }
  if (result.interrupted) {
    throw new WallarmOobError('INTERRUPTED', `${command} was interrupted: ${result.skipped.length} step(s) cut short or not started; state is saved and the lock released.`, {
      actions: [`Run \`wallarm-oob ${command}\` again to finish.`],
      exitCode: INTERRUPTED_EXIT,
    });
  }
}
