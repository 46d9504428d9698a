import type { Hook } from '@oclif/core';
import { closest } from '../config/suggest.js';
import { formatReport, type ErrorReport } from './error-report.js';
import { isInteractive, paint } from './format.js';

/** Exit code of an unknown command: bad input, like an unknown flag (2 means "changes" to `plan --detailed-exitcode` users). */
const UNKNOWN_COMMAND_EXIT = 1;

/**
 * `wallarm-oob plna`: names the closest command. On a terminal it offers to run it (like
 * @oclif/plugin-not-found, which only shows its suggestion inside that prompt, so a CI log would get
 * none); elsewhere it prints the suggestion, and under --json it is one JSON error object on stdout.
 */
const hook: Hook<'command_not_found'> = async function (options) {
  const visible = options.config.commands.filter((c) => !c.hidden);
  const ids = [...visible.map((c) => c.id), ...visible.flatMap((c) => c.aliases)];
  const typed = options.id.replaceAll(':', ' ');
  const suggestion = closest(options.id, ids);
  const argv = options.argv ?? [];
  const json = argv.includes('--json');
  if (suggestion && !json && isInteractive()) {
    process.stderr.write(`"${typed}" is not a ${options.config.bin} command.\n`);
    const { confirm } = await import('@inquirer/prompts');
    const run = await confirm({ message: `Did you mean ${suggestion.replaceAll(':', ' ')}?`, default: true }).catch(() => false);
    if (run) return options.config.runCommand(suggestion, argv);
  }
  const report: ErrorReport = {
    code: 'UNKNOWN_COMMAND',
    message: `"${typed}" is not a ${options.config.bin} command.`,
    actions: [
      ...(suggestion ? [`Did you mean \`${options.config.bin} ${suggestion.replaceAll(':', ' ')}\`?`] : []),
      `See every command: ${options.config.bin} --help`,
    ],
    exitCode: UNKNOWN_COMMAND_EXIT,
  };
  if (json) process.stdout.write(`${JSON.stringify({ error: { code: report.code, message: report.message, actions: report.actions } }, null, 2)}\n`);
  else process.stderr.write(`${formatReport(report, (text) => paint('red', text, process.stderr))}\n`);
  return this.exit(report.exitCode);
};

export default hook;
