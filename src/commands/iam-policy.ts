import type { PolicyDocument } from '../iam/policy.js';
import { BaseCommand } from '../ui/base-command.js';
import { configFlag } from '../ui/flags.js';

export default class IamPolicy extends BaseCommand {
  static override summary = 'Print the least-privilege IAM policy needed to run wallarm-oob for this config.';
  static override description = `The policy covers init's discovery, validate, plan, apply, output and destroy of this deployment, derived from the AWS calls the code makes (each resource kind and look-up declares its own). Creates must tag the new resource with wallarm-oob:deployment=<deployment>, changes and deletes are allowed only on resources carrying that tag, IAM roles and instance profiles only under the path /wallarm-oob/<deployment>/, SSM only the deployment's parameters and the token parameter. Actions AWS cannot scope (Describe*, ec2:RunInstances checked when Auto Scaling launches from the launch template) are granted on "*". It also covers what AWS checks on the caller's behalf: iam:PassRole for the node role, iam:CreateServiceLinkedRole for Elastic Load Balancing and Auto Scaling in a fresh account, tagging on create. It makes no AWS call: the region comes from --region or the config (else "*"), the account is "*".`;
  static override examples = [
    '<%= config.bin %> iam-policy > wallarm-oob-policy.json',
    'aws iam create-policy --policy-name wallarm-oob-shop-oob --policy-document "$(<%= config.bin %> iam-policy)"',
  ];
  static override enableJsonFlag = true;
  static override flags = { config: configFlag };

  async run(): Promise<PolicyDocument> {
    const { flags } = await this.parse(IamPolicy);
    const { loadConfig } = await import('../config/load.js');
    const { planOffline } = await import('../core/planning.js');
    const { policyFor } = await import('../iam/assemble.js');
    const loaded = await loadConfig(flags.config);
    const { plan } = planOffline(loaded, flags.region);
    const policy = await policyFor(loaded, plan.graph.nodes.map((n) => n.kind), flags.region ?? loaded.config.region);
    // The document is the output either way: plain JSON, ready for `aws iam create-policy`.
    if (!this.jsonEnabled()) this.log(JSON.stringify(policy, null, 2));
    const { MANAGED_POLICY_LIMIT, policySize } = await import('../iam/policy.js');
    const size = policySize(policy);
    if (size > MANAGED_POLICY_LIMIT) {
      this.warn(
        `This policy is ${size} characters (without whitespace), over the ${MANAGED_POLICY_LIMIT} a customer managed policy may hold. ` +
          'Attach it as an inline policy of a role (a role\'s inline policies may total 10,240 characters), or split its statements over two managed policies.',
      );
    }
    return policy;
  }
}
