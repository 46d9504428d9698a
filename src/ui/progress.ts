import type { StepEvent } from '../engine/executor.js';
import type { PlannedAction } from '../engine/plan.js';
import { isInterruption, WallarmOobError } from '../errors.js';
import { awsMessage } from '../aws/errors.js';
import { duration } from './format.js';

const ING: Record<PlannedAction['action'], string> = {
  create: 'creating',
  update: 'updating',
  replace: 'replacing',
  delete: 'destroying',
  noop: 'checking',
};
const ED: Record<PlannedAction['action'], string> = {
  create: 'created',
  update: 'updated',
  replace: 'replaced',
  delete: 'destroyed',
  noop: 'unchanged',
};

export interface ProgressReporter {
  onEvent(event: StepEvent): void;
  /** Stops live rendering (before printing a summary). */
  stop(): void;
}

const label = (a: PlannedAction) => (a.leftover ? `${a.id} (not in state)` : a.orphan ? `${a.id} (old copy)` : a.id);
const errorText = (error: unknown) => (error instanceof WallarmOobError ? error.message : awsMessage(error));

/** One line per event with the time since start: for CI logs and pipes. */
export class PlainProgress implements ProgressReporter {
  private readonly started = Date.now();

  constructor(private readonly write: (line: string) => void) {}

  onEvent(event: StepEvent): void {
    const t = `[${duration(Date.now() - this.started).padStart(6)}]`;
    const a = event.action;
    switch (event.type) {
      case 'start':
        return this.write(`${t} ${label(a)}: ${ING[a.action]}...`);
      case 'log':
        return this.write(`${t} ${label(a)}: ${event.message}`);
      case 'done':
        return this.write(`${t} ${label(a)}: ${ED[a.action]} after ${duration(event.elapsedMs)}${event.physicalId ? ` [${event.physicalId}]` : ''}`);
      case 'failed':
        if (isInterruption(event.error)) return this.write(`${t} ${label(a)}: interrupted after ${duration(event.elapsedMs)} (the next run resumes it)`);
        return this.write(`${t} ${label(a)}: FAILED after ${duration(event.elapsedMs)}: ${errorText(event.error)}`);
      case 'skipped':
        return this.write(`${t} ${label(a)}: not started (${event.reason})`);
    }
  }

  stop(): void {}
}

interface LiveStep {
  label: string;
  /** Set while the step runs: the elapsed time is appended every second. */
  started?: number;
  title: string;
  output?: string;
  /** The listr2 task, once listr has started it (events may arrive before). */
  task?: { title: string; output: string; skip(message?: string): void };
  /** Set when the step was never started: rendered as skipped, not as done. */
  skipped?: string;
  settle: () => void;
  fail: (error: Error) => void;
}

/**
 * Live per-resource lines with elapsed time for a person at a terminal, rendered by listr2: one task per
 * step, each settled by the executor's events.
 */
export class LiveProgress implements ProgressReporter {
  private readonly steps = new Map<string, LiveStep>();
  private runner: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  static async create(actions: PlannedAction[]): Promise<LiveProgress> {
    const progress = new LiveProgress();
    await progress.start(actions);
    return progress;
  }

  private async start(actions: PlannedAction[]): Promise<void> {
    const { Listr } = await import('listr2');
    const tasks = actions
      .filter((a) => a.action !== 'noop')
      .map((action) => {
        let settle!: () => void;
        let fail!: (error: Error) => void;
        const done = new Promise<void>((resolve, reject) => ((settle = resolve), (fail = reject)));
        done.catch(() => undefined);
        const step: LiveStep = { label: label(action), title: `${label(action)}: waiting`, settle, fail };
        this.steps.set(keyOf(action), step);
        return {
          title: step.title,
          task: async (_: unknown, task: { title: string; output: string; skip(message?: string): void }) => {
            step.task = task;
            this.render(step);
            await done;
            if (step.skipped !== undefined) task.skip(step.skipped);
          },
        };
      });
    // registerSignalListeners: false — listr2's own SIGINT handler exits at once (code 127), which would
    // skip saving state and releasing the lock; src/ui/interrupt.ts handles Ctrl-C / SIGTERM instead.
    const list = new Listr(tasks, {
      concurrent: true,
      exitOnError: false,
      registerSignalListeners: false,
      rendererOptions: { collapseErrors: false },
    });
    this.runner = list.run().then(
      () => undefined,
      () => undefined,
    );
    this.timer = setInterval(() => this.steps.forEach((step) => step.started && this.render(step)), 1000);
  }

  private render(step: LiveStep): void {
    if (!step.task) return;
    step.task.title = step.started ? `${step.title} (${duration(Date.now() - step.started)})` : step.title;
    if (step.output) step.task.output = step.output;
  }

  onEvent(event: StepEvent): void {
    const step = this.steps.get(keyOf(event.action));
    if (!step) return;
    const a = event.action;
    switch (event.type) {
      case 'start':
        step.started = Date.now();
        step.title = `${step.label}: ${ING[a.action]}`;
        break;
      case 'log':
        step.output = event.message;
        break;
      case 'done':
        step.started = undefined;
        step.title = `${step.label}: ${ED[a.action]} after ${duration(event.elapsedMs)}`;
        step.settle();
        break;
      case 'failed':
        step.started = undefined;
        if (isInterruption(event.error)) {
          // Cut short by Ctrl-C: rendered as skipped, not as a failure (the next run resumes it).
          step.title = `${step.label}: interrupted after ${duration(event.elapsedMs)}`;
          step.skipped = step.title;
          step.settle();
          break;
        }
        step.title = `${step.label}: failed after ${duration(event.elapsedMs)}`;
        step.fail(new Error(errorText(event.error)));
        break;
      case 'skipped':
        step.title = `${step.label}: not started (${event.reason})`;
        step.skipped = step.title;
        step.settle();
        break;
    }
    this.render(step);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const step of this.steps.values()) {
      // Steps never started (an interrupted run) render as skipped, not as done.
      if (!step.started && step.title.endsWith(': waiting')) step.skipped ??= `${step.label}: not started`;
      step.settle();
    }
  }

  async finished(): Promise<void> {
    this.stop();
    await this.runner;
  }
}

const keyOf = (a: PlannedAction) => (a.leftover ? `leftover:${a.physicalId}` : a.orphan ? `orphan:${a.physicalId}` : a.id);

