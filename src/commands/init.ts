import { Flags } from '@oclif/core';
import { TOPOLOGIES, WALLARM_MODES } from '../config/schema.js';
import type { InitResult } from '../init/run.js';
import { BaseCommand } from '../ui/base-command.js';
import { isInteractive, paint } from '../ui/format.js';


export default class Init extends BaseCommand {
  static override summary = 'Write wallarm-oob.yaml: a wizard that reads your account, or the same answers as flags for CI.';
  static override description = `Asks for the region, deployment name, topology, VPC, subnets, Wallarm Cloud and node token, mode, node sizes and (for vpc-mirror) what to mirror, listing what the account holds at each step. The answers are validated by the config schema before anything is written; the node token is stored as an SSM SecureString, never in the file.

Every question has a flag, and a flag pre-answers its question. Without a terminal (or with CI set) init never asks: a missing answer is an error naming its flag, --yes accepts the defaults, WALLARM_NODE_TOKEN gives the token.`;
  static override examples = [
    '<%= config.bin %> init',
    '<%= config.bin %> init --topology web-server-mirror --vpc-id vpc-0123456789abcdef0 --yes',
    'WALLARM_NODE_TOKEN=… <%= config.bin %> init --region eu-west-1 --deployment shop-oob --topology vpc-mirror --vpc-id vpc-0123456789abcdef0 --lb-subnets subnet-0aaa…,subnet-0bbb… --mirror-asg web --yes',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    deployment: Flags.string({ description: 'Deployment name (default: from the directory name).', helpGroup: 'ANSWER' }),
    topology: Flags.string({ description: 'web-server-mirror or vpc-mirror.', options: [...TOPOLOGIES], helpGroup: 'ANSWER' }),
    'vpc-id': Flags.string({ description: 'VPC to deploy into.', helpGroup: 'ANSWER' }),
    'lb-subnets': Flags.string({ description: 'Load balancer subnets, comma-separated (default: the private subnets of the VPC).', multiple: true, delimiter: ',', helpGroup: 'ANSWER' }),
    'instance-subnets': Flags.string({ description: 'Node instance subnets, comma-separated (default: the load balancer subnets).', multiple: true, delimiter: ',', helpGroup: 'ANSWER' }),
    cloud: Flags.string({ description: 'Wallarm Cloud (default eu).', options: ['eu', 'us'], helpGroup: 'ANSWER' }),
    'token-parameter': Flags.string({
      description: 'SSM parameter of the node token: an existing one to reuse, or where WALLARM_NODE_TOKEN is stored (default /wallarm-oob/<deployment>/node-token).',
      helpGroup: 'ANSWER',
    }),
    mode: Flags.string({ description: 'Filtration mode (default monitoring).', options: [...WALLARM_MODES], helpGroup: 'ANSWER' }),
    'instance-type': Flags.string({ description: 'Node instance type (default t3.medium).', helpGroup: 'ANSWER' }),
    'min-size': Flags.integer({ description: 'Minimum number of nodes.', helpGroup: 'ANSWER' }),
    'max-size': Flags.integer({ description: 'Maximum number of nodes.', helpGroup: 'ANSWER' }),
    'desired-capacity': Flags.integer({ description: 'Number of nodes to start with.', helpGroup: 'ANSWER' }),
    'mirror-asg': Flags.string({ description: 'vpc-mirror: mirror the instances of this Auto Scaling group (repeatable).', multiple: true, helpGroup: 'VPC-MIRROR' }),
    'mirror-eni': Flags.string({ description: 'vpc-mirror: network interface ids to mirror, comma-separated.', multiple: true, delimiter: ',', helpGroup: 'VPC-MIRROR' }),
    'mirror-tag': Flags.string({ description: 'vpc-mirror: mirror the interfaces carrying this key=value tag (repeatable; all must match).', multiple: true, helpGroup: 'VPC-MIRROR' }),
    'mirror-ingress': Flags.boolean({ description: 'vpc-mirror: mirror incoming traffic (default on).', allowNo: true, helpGroup: 'VPC-MIRROR' }),
    'mirror-egress': Flags.boolean({ description: 'vpc-mirror: mirror outgoing traffic (default off).', allowNo: true, helpGroup: 'VPC-MIRROR' }),
    'mirror-ports': Flags.string({ description: 'vpc-mirror: TCP ports to mirror, comma-separated, or "all" (default all).', helpGroup: 'VPC-MIRROR' }),
    output: Flags.string({ char: 'o', description: 'Config file to write.', default: 'wallarm-oob.yaml' }),
    force: Flags.boolean({ description: 'Overwrite the output file if it exists.', default: false }),
    yes: Flags.boolean({ char: 'y', description: 'Accept the defaults for every answer not given as a flag.', default: false }),
    'schema-ref': Flags.string({
      description: 'What the written file\'s "$schema" modeline points to (a URL or a path); "" for none. Default: the schema file of this installed wallarm-oob (see `wallarm-oob schema --path`).',
    }),
  };

  async run(): Promise<InitResult> {
    const { flags } = await this.parse(Init);
    const { flagsToAnswers } = await import('../init/flags.js');
    const { runInit } = await import('../init/run.js');
    let result: InitResult;
    try {
      result = await runInit({
        preset: flagsToAnswers(flags),
        yes: flags.yes,
        force: flags.force,
        output: flags.output,
        interactive: isInteractive() && !this.jsonEnabled(),
        profile: flags.profile,
        token: process.env.WALLARM_NODE_TOKEN || undefined,
        version: this.config.version,
        schemaRef: flags['schema-ref'],
        log: (line) => this.log(line),
        // not this.warn: oclif wraps it at the terminal width, which splits ids and commands in CI logs
        warn: (line) => process.stderr.write(`${paint('yellow', 'Warning:', process.stderr)} ${line}\n`),
      });
    } catch (error) {
      if ((error as Error)?.name === 'ExitPromptError') {
        process.stderr.write('Cancelled: nothing was written.\n');
        return this.exit(130);
      }
      throw error;
    }
    const { config } = result;
    const ok = paint('green', '✓');
    this.log(`${ok} Wrote ${result.shown}: ${config.topology} in ${config.vpcId} (${config.region}).`);
    const stored = result.token === 'reused' ? 'reused' : result.token === 'unchanged' ? 'already held this token' : result.token;
    this.log(`${ok} Node token: SSM SecureString ${result.tokenParameter} (${stored}); it is not in the file.`);
    this.log('\nNext steps:');
    const width = Math.max(...result.nextSteps.map((s) => s.command.length)) + 2;
    for (const step of result.nextSteps) this.log(`  ${step.command.padEnd(width)}${step.why}`);
    return result;
  }
}
