/**
 * The wizard's questions (@inquirer/prompts). Each one shows what discovery found, defaults sensibly and
 * validates with the same rules the non-interactive path applies. Loaded only when init can prompt.
 */
import { checkbox, confirm, input, number, password, select } from '@inquirer/prompts';
import { TOPOLOGIES, WALLARM_MODES, type TopologyName, type WallarmMode } from '../config/schema.js';
import { TOPOLOGY_TABLE } from '../topologies/index.js';
import { answerProblem, type AnswerKey, type Answers, type Defaults } from './answers.js';
import { loadBalancerSubnetProblem } from './classify.js';
import type { SubnetInfo, VpcInfo } from './discovery.js';

/** A prompt's validate function checking the answer with the same rules as the flag. */
export const check =
  <K extends AnswerKey>(key: K, convert: (text: string) => Answers[K]) =>
  (text: string): true | string =>
    answerProblem(key, convert(text)) ?? true;

const MODE_HELP: Record<WallarmMode, string> = {
  off: 'no analysis',
  monitoring: 'detect and report attacks (all an out-of-band node can do)',
  safe_blocking: 'reported as blocking from grey-listed IPs; out of band it still only monitors',
  block: 'reported as blocking; out of band it still only monitors',
};

const subnetLabel = (s: SubnetInfo) =>
  `${s.id}  ${s.az.padEnd(12)} ${s.cidr.padEnd(18)} ${String(s.freeIps).padStart(5)} free  ${s.public ? 'public ' : 'private'}${s.name ? `  ${s.name}` : ''}`;

export const questions = {
  region: (detected: string | undefined) =>
    input({ message: 'AWS region', default: detected, required: true, validate: check('region', (t) => t.trim()) }).then((r) => r.trim()),

  deployment: (fallback: string) =>
    input({
      message: 'Deployment name (names the AWS resources and SSM paths)',
      default: fallback,
      required: true,
      validate: check('deployment', (t) => t.trim()),
    }).then((d) => d.trim()),

  topology: () =>
    select<TopologyName>({
      message: 'How does traffic reach the Wallarm nodes?',
      choices: TOPOLOGIES.map((t) => ({ value: t, name: t, description: TOPOLOGY_TABLE[t].init.summary })),
    }),

  vpc: (vpcs: VpcInfo[]) =>
    select<string>({
      message: 'VPC to deploy into',
      // the cursor starts on the first VPC that is not the account's default one: deployments rarely go there
      default: vpcs.find((v) => !v.isDefault)?.id,
      choices: vpcs.map((v) => ({
        value: v.id,
        name: `${v.id}  ${v.cidr.padEnd(18)} ${v.name ?? '(no Name tag)'}${v.isDefault ? '  (default VPC)' : ''}`,
        short: v.id,
      })),
    }),

  lbSubnets: (subnets: SubnetInfo[]) => {
    const byId = new Map(subnets.map((s) => [s.id, s]));
    return checkbox<string>({
      message: 'Subnets for the internal load balancer (at least two Availability Zones; private ones preselected)',
      choices: subnets.map((s) => ({ value: s.id, name: subnetLabel(s), short: s.id, checked: !s.public })),
      validate: (chosen) => loadBalancerSubnetProblem(chosen.map((c) => c.value), byId) ?? true,
    });
  },

  instanceSubnets: async (subnets: SubnetInfo[], lbSubnets: string[]): Promise<string[] | undefined> => {
    const same = await confirm({ message: 'Run the node instances in the same subnets?', default: true });
    if (same) return undefined;
    return checkbox<string>({
      message: 'Subnets for the node instances',
      choices: subnets.map((s) => ({ value: s.id, name: subnetLabel(s), short: s.id, checked: lbSubnets.includes(s.id) })),
      required: true,
    });
  },

  cloud: (fallback: 'eu' | 'us') =>
    select<'eu' | 'us'>({
      message: 'Wallarm Cloud',
      default: fallback,
      choices: [
        { value: 'eu', name: 'EU Cloud (api.wallarm.com)' },
        { value: 'us', name: 'US Cloud (us1.api.wallarm.com)' },
      ],
    }),

  /** How to provide the node token: a new token (stored at `fallback`), or an existing SSM parameter. */
  tokenSource: (fallback: string, fallbackExists: boolean) =>
    select<'new' | 'reuse-default' | 'existing'>({
      message: 'Wallarm node token',
      choices: [
        ...(fallbackExists ? [{ value: 'reuse-default' as const, name: `Reuse the existing SSM parameter ${fallback}` }] : []),
        { value: 'new' as const, name: `Enter the token now (stored as the SSM SecureString ${fallback}, never in the config file)`, short: 'enter it now' },
        { value: 'existing' as const, name: 'Use another existing SSM parameter' },
      ],
    }),

  tokenParameterName: (exists: (name: string) => Promise<boolean>) =>
    input({
      message: 'Name of the SSM parameter holding the node token',
      required: true,
      validate: async (text) => {
        const problem = answerProblem('tokenParameter', text.trim());
        if (problem) return problem;
        return (await exists(text.trim())) || `no SSM parameter named ${text.trim()} in this region`;
      },
    }).then((t) => t.trim()),

  tokenValue: (parameter: string) =>
    password({
      message: `Node token (from Wallarm Console > Nodes; stored as ${parameter})`,
      mask: true,
      validate: (t) => (t.trim() === '' ? 'enter the token' : /\s/.test(t.trim()) ? 'a node token has no spaces' : true),
    }).then((t) => t.trim()),

  mode: (fallback: WallarmMode) =>
    select<WallarmMode>({
      message: 'Filtration mode',
      default: fallback,
      choices: WALLARM_MODES.map((m) => ({ value: m, name: m, description: MODE_HELP[m] })),
    }),

  instanceType: (fallback: string) =>
    input({ message: 'Node instance type (x86_64)', default: fallback, required: true, validate: check('instanceType', (t) => t.trim()) }).then((t) => t.trim()),

  sizes: async (d: Pick<Defaults, 'minSize' | 'maxSize' | 'desiredCapacity'>) => {
    const minSize = (await number({ message: 'Minimum number of nodes', default: d.minSize, min: 0, max: 100, required: true }));
    const maxSize = (await number({ message: 'Maximum number of nodes', default: Math.max(d.maxSize, minSize), min: Math.max(1, minSize), max: 100, required: true }));
    const desired = Math.min(Math.max(d.desiredCapacity, minSize), maxSize);
    const desiredCapacity = (await number({ message: 'Nodes to start with', default: desired, min: minSize, max: maxSize, required: true }));
    return { minSize, maxSize, desiredCapacity };
  },

};

export type Questions = typeof questions;
