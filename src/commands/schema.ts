import { readFile } from 'node:fs/promises';
import { Flags } from '@oclif/core';
import { installedSchemaPath, type JsonSchema } from '../config/json-schema.js';
import { BaseCommand } from '../ui/base-command.js';

export default class Schema extends BaseCommand {
  static override summary = 'Print the JSON Schema of wallarm-oob.yaml (for editors and CI checks).';
  static override description = `The schema ships in the package; the file \`init\` writes points its "$schema" modeline at it, so YAML editors (VS Code, JetBrains, Neovim with the YAML language server) complete and check keys. --path prints where it is installed.`;
  static override examples = [
    '<%= config.bin %> schema > wallarm-oob.schema.json',
    '<%= config.bin %> schema --path',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    path: Flags.boolean({ description: 'Print the path of the installed schema file instead of its content.', default: false }),
  };

  async run(): Promise<JsonSchema | { path: string }> {
    const { flags } = await this.parse(Schema);
    const path = installedSchemaPath();
    if (flags.path) {
      this.log(path);
      return { path };
    }
    const text = await readFile(path, 'utf8');
    if (!this.jsonEnabled()) process.stdout.write(text);
    return JSON.parse(text) as JsonSchema;
  }
}
