import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Flags } from '@oclif/core';
import type { PolicyDocument } from '../iam/policy.js';
import { BaseCommand } from '../ui/base-command.js';
import { configFlag } from '../ui/flags.js';

interface WrittenPolicies {
  policies: { name: string; file: string; characters: number }[];
}

export default class IamPolicy extends BaseCommand {
  static override summary = 'Print the least-privilege IAM policy needed to run wallarm-oob for this config.';
  static override description = `The policy covers init's discovery, validate, plan, apply, output and destroy of this deployment, derived from the AWS calls the code makes (each resource kind and look-up declares its own). Creates must tag the new resource with wallarm-oob:deployment=<deployment>, changes and deletes are allowed only on resources carrying that tag, IAM roles and instance profiles only under the path /wallarm-oob/<deployment>/, SSM only the deployment's parameters and the token parameter. Actions AWS cannot scope (Describe*, ec2:RunInstances checked when Auto Scaling launches from the launch template) are granted on "*". It also covers what AWS checks on the caller's behalf: iam:PassRole for the node role, iam:CreateServiceLinkedRole for Elastic Load Balancing and Auto Scaling in a fresh account, tagging on create. It makes no AWS call: the region comes from --region or the config (else "*"), the account is "*".

A customer managed policy holds at most 6,144 characters. When the policy is larger, attach it as an inline policy of a role (10,240), or write it with --out-dir as several managed policies, each within the limit.`;
  static override examples = [
    '<%= config.bin %> iam-policy > wallarm-oob-policy.json',
    'aws iam create-policy --policy-name wallarm-oob-shop-oob --policy-document "$(<%= config.bin %> iam-policy)"',
    '<%= config.bin %> iam-policy --out-dir iam/',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    config: configFlag,
    'out-dir': Flags.string({
      summary: 'Write the policy as customer managed policies of at most 6,144 characters each (<deployment>-N.json) into this directory.',
      helpValue: 'DIR',
    }),
  };

  async run(): Promise<PolicyDocument | WrittenPolicies> {
    const { flags } = await this.parse(IamPolicy);
    const { loadConfig } = await import('../config/load.js');
    const { planOffline } = await import('../core/planning.js');
    const { policyFor } = await import('../iam/assemble.js');
    const { MANAGED_POLICY_LIMIT, policySize } = await import('../iam/policy.js');
    const loaded = await loadConfig(flags.config);
    const { plan } = planOffline(loaded, flags.region);
    const policy = await policyFor(loaded, plan.graph.nodes, flags.region ?? loaded.config.region);
    if (flags['out-dir']) return this.write(policy, `wallarm-oob-${loaded.config.deployment}`, flags['out-dir']);
    // The document is the output either way: plain JSON, ready for `aws iam create-policy`.
    if (!this.jsonEnabled()) this.log(JSON.stringify(policy, null, 2));
    const size = policySize(policy);
    if (size > MANAGED_POLICY_LIMIT) {
      this.warn(
        `This policy is ${size} characters (without whitespace), over the ${MANAGED_POLICY_LIMIT} a customer managed policy may hold. ` +
          "Attach it as an inline policy of a role (a role's inline policies may total 10,240 characters), or write it as several managed policies with --out-dir DIR.",
      );
    }
    return policy;
  }

  private async write(policy: PolicyDocument, prefix: string, dir: string): Promise<WrittenPolicies> {
    const { policySize, splitPolicy } = await import('../iam/policy.js');
    mkdirSync(dir, { recursive: true });
    const parts = splitPolicy(policy);
    const policies = parts.map((doc, i) => {
      const name = parts.length === 1 ? prefix : `${prefix}-${i + 1}`;
      const file = join(dir, `${name}.json`);
      writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
      return { name, file, characters: policySize(doc) };
    });
    if (!this.jsonEnabled()) {
      this.log(`Wrote ${policies.length === 1 ? '1 policy' : `${policies.length} policies`}, each within the 6,144 characters of a customer managed policy:`);
      for (const p of policies) this.log(`  aws iam create-policy --policy-name ${p.name} --policy-document file://${p.file}    # ${p.characters} characters`);
    }
    return { policies };
  }
}
