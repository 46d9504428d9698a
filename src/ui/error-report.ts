import { WallarmOobError } from '../errors.js';
import { awsMessage, errorCode } from '../aws/errors.js';
import { closest } from '../config/suggest.js';

/** What the user sees of an error, in text or as `{ error: { code, message, actions } }` under --json. */
export interface ErrorReport {
  code: string;
  message: string;
  actions: string[];
  exitCode: number;
}

/** The flags a command accepts (long names and single-letter aliases), for "did you mean". */
export interface FlagNames {
  command: string;
  long: string[];
}

/**
 * One report for any error a command can end with: our own errors as they are, oclif's parse errors
 * (unknown flag, bad option, missing argument) with a suggestion instead of a help dump, missing
 * credentials with how to set them, anything else as its AWS code and message. The exit code is the
 * one the error carries, so --json changes the rendering only.
 */
export function reportError(error: Error & { oclif?: { exit?: number } }, flags?: FlagNames): ErrorReport {
  if (error instanceof WallarmOobError) return { code: error.code, message: error.message, actions: error.actions, exitCode: error.exitCode };
  if (error.name === 'CredentialsProviderError') {
    return {
      code: 'NO_CREDENTIALS',
      message: 'No AWS credentials were found.',
      actions: [
        'Configure credentials the usual way (AWS_PROFILE / --profile, environment variables, SSO, an instance role).',
        'Or look at what would be built without an account: wallarm-oob plan --offline',
      ],
      exitCode: 1,
    };
  }
  if (isParseError(error)) return parseErrorReport(error, flags);
  return { code: errorCode(error) ?? 'UNEXPECTED', message: awsMessage(error), actions: ['Run again with --debug for details.'], exitCode: error.oclif?.exit ?? 1 };
}

function isParseError(error: Error & { oclif?: { exit?: number }; parse?: unknown }): boolean {
  // a flag's own parser failing (e.g. --parallelism 0) is rethrown by oclif as "Parsing --flag \n\t<reason>"
  return error.oclif?.exit !== undefined && ('parse' in error || /^Parsing --/.test(error.message));
}

function parseErrorReport(error: Error & { oclif?: { exit?: number }; flags?: string[] }, names?: FlagNames): ErrorReport {
  // A command line that cannot be parsed is bad input: exit 1 like any other, never oclif's 2, which
  // `plan --detailed-exitcode` uses for "there are changes".
  const exitCode = 1;
  const help = names ? `See every flag: wallarm-oob ${names.command} --help` : 'See every flag: wallarm-oob COMMAND --help';
  const message = error.message
    .replace(/\n?See more help with --help\s*$/, '')
    .replace(/^Parsing (--[\w-]+)\s*\n\t/, '$1: ')
    .trim();
  if (error.constructor.name === 'NonExistentFlagsError' && Array.isArray(error.flags)) {
    const unknown = error.flags;
    const suggestions = unknown
      .map((flag) => {
        const bare = flag.replace(/^-+/, '').split('=')[0] ?? '';
        const match = names ? closest(bare, names.long) : undefined;
        return match ? `Did you mean --${match}${flag.includes('=') ? flag.slice(flag.indexOf('=')) : ''} (instead of ${flag})?` : undefined;
      })
      .filter((s): s is string => s !== undefined);
    const where = names ? ` for \`wallarm-oob ${names.command}\`` : '';
    return {
      code: 'UNKNOWN_FLAG',
      message: `Unknown flag${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}${where}.`,
      actions: [...suggestions, help],
      exitCode,
    };
  }
  const code = /Missing \d+ required arg/.test(message) ? 'MISSING_ARGUMENT' : /Unexpected argument/.test(message) ? 'UNEXPECTED_ARGUMENT' : 'BAD_FLAG';
  return { code, message, actions: [help], exitCode };
}

/** Text rendering: `Error: message` then `  -> action` lines. */
export function formatReport(report: ErrorReport, paintError: (text: string) => string): string {
  return [`${paintError('Error:')} ${report.message}`, ...report.actions.map((a) => `  -> ${a}`)].join('\n');
}
