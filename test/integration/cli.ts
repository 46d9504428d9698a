import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';

export const root = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command class in this process (so the fake AWS plugin applies) as oclif would, capturing
 * what it prints and its exit code.
 */
export async function runCommand(command: { run(argv: string[], opts: string): Promise<unknown> }, argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void (stdout += `${args.join(' ')}\n`));
  const warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void (stderr += `${args.join(' ')}\n`));
  const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void (stderr += `${args.join(' ')}\n`));
  const previousExitCode = process.exitCode;
  process.exitCode = undefined;
  let code = 0;
  try {
    await command.run(argv, root);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    const exit = (e as { oclif?: { exit?: number } }).oclif?.exit;
    if (exit === undefined) throw e;
    code = exit;
  } finally {
    process.exitCode = previousExitCode;
    for (const spy of [out, err, log, warn, error]) spy.mockRestore();
  }
  return { code, stdout, stderr };
}
