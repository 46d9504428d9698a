import type { StepEvent } from '../engine/executor.js';
import type { PlannedAction } from '../engine/plan.js';
import { WallarmOobError } from '../errors.js';
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

const label = (a: PlannedAction) => (a.orphan ? `${a.id} (old copy)` : a.id);
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
        return this.write(`${t} ${label(a)}: FAILED after ${duration(event.elapsedMs)}: ${errorText(event.error)}`);
      case 'skipped':
        return this.write(`${t} ${label(a)}: not started (${event.reason})`);
    }
  }

  stop(): void {}
}

/**
 * Live per-resource lines with elapsed time for a person at a terminal, rendered by listr2: one task per
 * step, each settled by the executor's events.
 */
export class LiveProgress implements ProgressReporter {
  private readonly steps = new Map<string, { started?: number; resolve: () => void; reject: (e: Error) => void; setTitle?: (t: string) => void; setOutput?: (t: string) => void }>();
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
        const key = keyOf(action);
        const done = new Promise<void>((resolve, reject) => this.steps.set(key, { resolve, reject }));
        done.catch(() => undefined);
        return {
          title: `${label(action)}: waiting`,
          task: async (_: unknown, task: { title: string; output: string }) => {
            const step = this.steps.get(key)!;
            step.setTitle = (t) => (task.title = t);
            step.setOutput = (t) => (task.output = t);
            await done;
          },
        };
      });
    const list = new Listr(tasks, { concurrent: true, exitOnError: false, rendererOptions: { collapseErrors: false } });
    this.runner = list.run().then(() => undefined, () => undefined);
    this.timer = setInterval(() => this.tick(), 1000);
  }

  private tick(): void {
    for (const [key, step] of this.steps) if (step.started) step.setTitle?.(this.title(key, `${duration(Date.now() - step.started)}`));
  }

  private readonly titles = new Map<string, string>();
  private title(key: string, elapsed: string): string {
    return `${this.titles.get(key) ?? key} (${elapsed})`;
  }

  onEvent(event: StepEvent): void {
    const key = keyOf(event.action);
    const step = this.steps.get(key);
    if (!step) return;
    const a = event.action;
    switch (event.type) {
      case 'start':
        step.started = Date.now();
        this.titles.set(key, `${label(a)}: ${ING[a.action]}`);
        step.setTitle?.(this.title(key, '0s'));
        return;
      case 'log':
        step.setOutput?.(event.message);
        return;
      case 'done':
        step.started = undefined;
        step.setTitle?.(`${label(a)}: ${ED[a.action]} after ${duration(event.elapsedMs)}`);
        step.resolve();
        return;
      case 'failed':
        step.started = undefined;
        step.setTitle?.(`${label(a)}: failed after ${duration(event.elapsedMs)}`);
        step.reject(new Error(errorText(event.error)));
        return;
      case 'skipped':
        step.setTitle?.(`${label(a)}: not started (${event.reason})`);
        step.resolve();
        return;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const step of this.steps.values()) step.resolve();
  }

  async finished(): Promise<void> {
    this.stop();
    await this.runner;
  }
}

const keyOf = (a: PlannedAction) => (a.orphan ? `orphan:${a.physicalId}` : a.id);

