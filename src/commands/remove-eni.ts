import type { MirrorEditResult } from '../core/edit-sources.js';
import { BaseCommand } from '../ui/base-command.js';
import { mirrorEditFlags, runMirrorEdit } from './add-eni.js';

export default class RemoveEni extends BaseCommand {
  static override summary = 'Stop mirroring network interfaces: remove them from mirror.sources and delete their sessions.';
  static override description = `Removes network interface ids from the networkInterfaceIds items of mirror.sources, or the item of an Auto Scaling group (--asg) or of a tag set (--tag, matched exactly), keeping the file's comments and layout, then applies only the mirror session changes. Naming something mirror.sources does not list is an error.`;
  static override examples = ['<%= config.bin %> remove-eni eni-0123456789abcdef0', '<%= config.bin %> remove-eni --asg web-asg --auto-approve'];
  static override strict = false;
  static override enableJsonFlag = true;
  static override flags = mirrorEditFlags;

  async run(): Promise<MirrorEditResult> {
    const { argv, flags } = await this.parse(RemoveEni);
    return runMirrorEdit(this, 'remove-eni', argv as string[], flags);
  }
}
