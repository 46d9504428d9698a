/**
 * The account checks of `validate`, one result per check, without planning. The checks themselves are the
 * topology's input resolution (which stops at the first failure): this file only maps its coded errors to
 * checks, then adds the topology's own account checks.
 */
import type { AwsClients } from '../aws/clients.js';
import { awsMessage, errorCode } from '../aws/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { WallarmOobError } from '../errors.js';
import { topologyOf } from '../topologies/index.js';
import { isUnknown } from '../engine/types.js';
import { NODE_RESOLUTION_CHECKS } from '../topologies/common/node-inputs.js';
import type { CheckResult, NodeInputs } from '../topologies/types.js';
import { StateStore } from '../state/store.js';
import { planGraph } from './planning.js';

export type { CheckResult, CheckStatus } from '../topologies/types.js';

export async function accountChecks(loaded: LoadedConfig, aws: AwsClients): Promise<CheckResult[]> {
  const { config } = loaded;
  const topology = topologyOf(config);
  const own = new Set(topology.resolutionChecks.map((c) => c.id));
  // The topology's resolution checks are reported only when they fail; on success its account checks say more.
  const checks = [...NODE_RESOLUTION_CHECKS, ...topology.resolutionChecks];
  const results: CheckResult[] = [];
  try {
    // validate reads the account only: it does not download the native-node installer to checksum it (plan does).
    const resolved = await topology.resolveInputs(loaded, aws, { installerChecksum: false });
    const details: Record<string, string> = {
      credentials: `account ${resolved.account ?? 'unknown'}, region ${resolved.inputs.region}`,
      vpc: config.vpcId,
      subnets: [...new Set([...config.subnets.loadBalancer, ...config.subnets.instances])].join(', '),
      image:
        typeof resolved.inputs.nodeImageId === 'string'
          ? `${resolved.inputs.node.imageName ?? 'found'} (${resolved.inputs.nodeImageId}), node ${resolved.inputs.node.version}`
          : isUnknown(resolved.inputs.nodeImageId)
            ? `not needed: ${resolved.inputs.nodeImageId.$unknown}`
            : 'found',
      token: resolved.tokenParameterMissing
        ? `${config.wallarm.tokenParameter} does not exist yet; apply stores WALLARM_NODE_TOKEN there`
        : `${config.wallarm.tokenParameter} exists`,
    };
    for (const c of NODE_RESOLUTION_CHECKS) results.push({ id: c.id, title: c.title, status: 'ok', detail: details[c.id] });
    const { nodeLaunchChecks } = await import('../account/node-checks.js');
    results.push(...(await nodeLaunchChecks(loaded, aws)));
    results.push(await internetRouteCheck(loaded, aws), await namesFreeCheck(loaded, aws, resolved.inputs));
  } catch (error) {
    const code = error instanceof WallarmOobError ? error.code : undefined;
    const at = checks.findIndex((c) => c.codes.includes(code ?? ''));
    const failed: CheckResult = {
      id: at >= 0 ? checks[at]!.id : 'account',
      title: at >= 0 ? checks[at]!.title : 'Account look-ups',
      status: 'failed',
      detail: error instanceof WallarmOobError ? error.message : awsMessage(error),
      code: code ?? errorCode(error),
      actions: error instanceof WallarmOobError ? error.actions : [],
    };
    checks.forEach((c, i) => {
      if (i === at) results.push(failed);
      else if (own.has(c.id)) return;
      else if (at >= 0 && i < at) results.push({ id: c.id, title: c.title, status: 'ok' });
      else results.push({ id: c.id, title: c.title, status: 'skipped', detail: 'not checked: fix the failure above first' });
    });
    if (at < 0) results.unshift(failed);
    if (at === 0 || at < 0 || own.has(failed.id)) return results;
  }
  if (topology.accountChecks) results.push(...(await topology.accountChecks(loaded, aws)));
  return results;
}

/** The instance subnets' default routes (plan notes the same): a warning, since a proxy may serve instead. */
async function internetRouteCheck(loaded: LoadedConfig, aws: AwsClients): Promise<CheckResult> {
  const { internetRouteWarnings } = await import('../account/lookups.js');
  const warnings = await internetRouteWarnings(loaded, await aws.ec2());
  const title = 'Instance subnets route to the internet';
  if (warnings.length === 0) return { id: 'internet-route', title, status: 'ok', detail: 'a default route through a NAT, internet or transit gateway' };
  return {
    id: 'internet-route',
    title,
    status: 'warning',
    detail: warnings.join('\n'),
    actions: ['Route 0.0.0.0/0 of those subnets through a NAT gateway (the nodes get no public IP), or use subnets that have one.'],
  };
}

/** The names this deployment would create are free, or already its own (plan and apply refuse otherwise). */
async function namesFreeCheck(loaded: LoadedConfig, aws: AwsClients, inputs: NodeInputs): Promise<CheckResult> {
  const { checkNamesFree } = await import('../account/name-checks.js');
  const title = 'Resource names are free';
  const state = await new StateStore(aws, loaded.config.deployment, {}).loadOrEmpty();
  try {
    await checkNamesFree(aws, loaded.config.deployment, loaded.config.vpcId, planGraph(inputs), state, loaded.path);
    return { id: 'names', title, status: 'ok', detail: 'no resource of another owner holds a name this deployment would create' };
  } catch (error) {
    if (!(error instanceof WallarmOobError)) throw error;
    return { id: 'names', title, status: 'failed', detail: error.message, code: error.code, actions: error.actions };
  }
}
