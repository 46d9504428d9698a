import type { StepEvent } from '../engine/executor.js';
import type { Plan } from '../engine/plan.js';
import { AbortedError } from '../errors.js';
import type { Hooks } from '../core/run-plan.js';
import { formatPlan } from './plan-printer.js';
import { isInteractive } from './format.js';
import { LiveProgress, PlainProgress, type ProgressReporter } from './progress.js';

export interface Output {
  log(message: string): void;
  warn(message: string): void;
}

/** The hooks of apply/destroy for a terminal or a CI log. `quiet` (for --json) prints nothing. */
export function terminalHooks(out: Output, options: { quiet: boolean; approvalHint: string }): Hooks & { elapsedMs(): number | undefined } {
  const interactive = isInteractive();
  let progress: ProgressReporter | undefined;
  let startedAt: number | undefined;
  const log = (m: string) => (options.quiet ? undefined : out.log(m));
  return {
    showPlan: (plan: Plan) => log(formatPlan(plan, { showProperties: true, showUserData: false })),
    confirm: async (question) => {
      if (!interactive || options.quiet) {
        const why = options.quiet ? 'Nothing is asked under --json' : 'There is no terminal to ask on (CI, or input is not a TTY)';
        throw new AbortedError('NEEDS_APPROVAL', `${question} ${why}, so nothing was changed.`, {
          actions: [options.approvalHint],
        });
      }
      const { confirm } = await import('@inquirer/prompts');
      try {
        return await confirm({ message: question, default: false });
      } catch (error) {
        if ((error as Error)?.name === 'ExitPromptError') return false;
        throw error;
      }
    },
    elapsedMs: () => (startedAt === undefined ? undefined : Date.now() - startedAt),
    starting: async (actions) => {
      startedAt ??= Date.now();
      if (options.quiet) return;
      progress = interactive ? await LiveProgress.create(actions) : new PlainProgress((line) => out.log(line));
    },
    onEvent: (event: StepEvent) => progress?.onEvent(event),
    finished: async () => {
      if (progress instanceof LiveProgress) await progress.finished();
      progress = undefined;
    },
    info: log,
    warn: (m) => out.warn(m),
  };
}
