import { Flags } from '@oclif/core';
import type { MirrorEditResult } from '../core/edit-sources.js';
import { ConfigError } from '../errors.js';
import { parseTag } from '../topologies/vpc-mirror/sources/selection.js';
import { BaseCommand } from '../ui/base-command.js';
import { autoApproveFlag, configFlag, lockTimeoutFlag, parallelismFlag } from '../ui/flags.js';
import { parseDuration } from '../ui/format.js';
import { terminalHooks } from '../ui/hooks.js';
import { handleInterrupts } from '../ui/interrupt.js';

/** Shared by add-eni and remove-eni: the selection flags and the run. */
export const mirrorEditFlags = {
  config: configFlag,
  asg: Flags.string({ description: 'An Auto Scaling group whose instances are mirrored (its instances\' primary interfaces).' }),
  tag: Flags.string({ description: 'A tag key=value; repeat it for several (an interface must carry all of them).', multiple: true }),
  'auto-approve': autoApproveFlag,
  parallelism: parallelismFlag,
  'lock-timeout': lockTimeoutFlag,
};

export function parseTagFlags(tags: string[] | undefined): Record<string, string> | undefined {
  if (!tags?.length) return undefined;
  const out: Record<string, string> = {};
  for (const text of tags) {
    const tag = parseTag(text);
    if (!tag) throw new ConfigError('BAD_TAG', `--tag ${JSON.stringify(text)} is not key=value.`, { actions: ['Write each tag as key=value, e.g. --tag role=web --tag env=prod.'] });
    out[tag[0]] = tag[1];
  }
  return out;
}

export async function runMirrorEdit(
  cmd: BaseCommand & { jsonEnabled(): boolean },
  command: 'add-eni' | 'remove-eni',
  enis: string[],
  flags: { config: string; asg?: string; tag?: string[]; 'auto-approve': boolean; parallelism: number; 'lock-timeout': string; profile?: string; region?: string },
): Promise<MirrorEditResult> {
  const { editMirrorSources } = await import('../core/edit-sources.js');
  const interrupts = handleInterrupts((m) => cmd.warn(m));
  try {
    const hooks = terminalHooks(cmd, {
      quiet: cmd.jsonEnabled(),
      approvalHint: `Review the plan and run again with --auto-approve: wallarm-oob ${command} … --auto-approve`,
    });
    const result = await editMirrorSources(
      command,
      { enis, asg: flags.asg, tags: parseTagFlags(flags.tag) },
      {
        configPath: flags.config,
        global: { profile: flags.profile, region: flags.region },
        autoApprove: flags['auto-approve'],
        parallelism: flags.parallelism,
        lockTimeoutMs: parseDuration(flags['lock-timeout']),
        wait: false,
        signal: interrupts.signal,
      },
      hooks,
    );
    if (!cmd.jsonEnabled() && result.apply) {
      const count = result.apply.outputs.sessionCount;
      cmd.log(`\n${result.apply.changed ? 'Done.' : 'No session to change.'}${count !== undefined ? ` Mirror sessions: ${count}.` : ''}`);
    }
    return result;
  } finally {
    interrupts.dispose();
  }
}

export default class AddEni extends BaseCommand {
  static override summary = 'Mirror more network interfaces: add them to mirror.sources and create their sessions.';
  static override description = `Adds network interface ids, an Auto Scaling group (--asg) or a tag set (--tag) to mirror.sources in the config file, keeping its comments and layout, then applies only the mirror session changes. It refuses when the deployment has other pending changes (run apply first) and writes the file only once the plan is confirmed. An interface that cannot be mirrored is reported with the reason and skipped.`;
  static override examples = [
    '<%= config.bin %> add-eni eni-0123456789abcdef0 eni-0fedcba9876543210',
    '<%= config.bin %> add-eni --asg web-asg --auto-approve',
    '<%= config.bin %> add-eni --tag role=web --tag env=prod -c prod.yaml',
  ];
  static override strict = false;
  static override enableJsonFlag = true;
  static override flags = mirrorEditFlags;

  async run(): Promise<MirrorEditResult> {
    const { argv, flags } = await this.parse(AddEni);
    return runMirrorEdit(this, 'add-eni', argv as string[], flags);
  }
}
