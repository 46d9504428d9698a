/** init's flags -> the answers they give (pure; the command parses, this interprets). */
import { TOPOLOGIES, type MirrorSource, type TopologyName, type WallarmMode } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { TOPOLOGY_TABLE } from '../topologies/index.js';
import { sourcesOf } from '../topologies/vpc-mirror/sources/selection.js';
import { parsePorts, parseTags, portsProblem, type AnswerKey, type Answers } from './answers.js';

export interface InitFlagValues {
  region?: string;
  deployment?: string;
  topology?: string;
  'vpc-id'?: string;
  'lb-subnets'?: string[];
  'instance-subnets'?: string[];
  cloud?: string;
  'token-parameter'?: string;
  mode?: string;
  'instance-type'?: string;
  'min-size'?: number;
  'max-size'?: number;
  'desired-capacity'?: number;
  'mirror-asg'?: string[];
  'mirror-eni'?: string[];
  'mirror-tag'?: string[];
  'mirror-ingress'?: boolean;
  'mirror-egress'?: boolean;
  'mirror-ports'?: string;
}

/** Flags that answer a topology-specific question, and the answer each gives. */
const TOPOLOGY_FLAGS = {
  'mirror-asg': 'mirrorSources',
  'mirror-eni': 'mirrorSources',
  'mirror-tag': 'mirrorSources',
  'mirror-ingress': 'mirrorIngress',
  'mirror-egress': 'mirrorEgress',
  'mirror-ports': 'mirrorPorts',
} as const satisfies Partial<Record<keyof InitFlagValues, AnswerKey>>;

const list = (values: string[] | undefined) => (values === undefined ? undefined : [...new Set(values.map((v) => v.trim()).filter(Boolean))]);

export function flagsToAnswers(f: InitFlagValues): Answers {
  const topology = f.topology as TopologyName | undefined;
  const foreign: readonly AnswerKey[] = topology && topology in TOPOLOGY_TABLE ? TOPOLOGY_TABLE[topology].init.foreign : [];
  const stray = (Object.keys(TOPOLOGY_FLAGS) as (keyof typeof TOPOLOGY_FLAGS)[]).filter((k) => f[k] !== undefined && foreign.includes(TOPOLOGY_FLAGS[k]));
  if (stray.length) {
    const owners = TOPOLOGIES.filter((t) => stray.every((k) => !TOPOLOGY_TABLE[t].init.foreign.includes(TOPOLOGY_FLAGS[k]))).map((t) => `--topology ${t}`);
    throw new ConfigError('INIT_BAD_ANSWER', `--${stray.join(', --')} only ${stray.length === 1 ? 'applies' : 'apply'} to ${owners.join(' or ')}.`, {
      actions: [`Remove ${stray.length === 1 ? 'that flag' : 'those flags'}, or pass ${owners.join(' or ')}.`],
    });
  }
  let sources: MirrorSource[] | undefined;
  const asgs = list(f['mirror-asg']);
  const enis = list(f['mirror-eni']);
  if (asgs?.length || enis?.length || f['mirror-tag']?.length) {
    const tags = f['mirror-tag']?.length ? parseTags(f['mirror-tag'].join(',')) : undefined;
    if (f['mirror-tag']?.length && !tags) {
      throw new ConfigError('INIT_BAD_ANSWER', `--mirror-tag: ${f['mirror-tag'].map((t) => `"${t}"`).join(', ')} is not key=value.`, {
        actions: ['Write each tag as key=value, e.g. --mirror-tag role=web --mirror-tag env=prod (an interface must carry all of them).'],
      });
    }
    sources = sourcesOf({ asgs, enis, tags });
  }
  const answers: Answers = {
    region: f.region,
    deployment: f.deployment,
    topology,
    vpcId: f['vpc-id'],
    lbSubnets: list(f['lb-subnets']),
    instanceSubnets: list(f['instance-subnets']),
    cloud: f.cloud as Answers['cloud'],
    tokenParameter: f['token-parameter'],
    mode: f.mode as WallarmMode | undefined,
    instanceType: f['instance-type'],
    minSize: f['min-size'],
    maxSize: f['max-size'],
    desiredCapacity: f['desired-capacity'],
    mirrorSources: sources,
    mirrorIngress: f['mirror-ingress'],
    mirrorEgress: f['mirror-egress'],
    mirrorPorts: f['mirror-ports'] === undefined ? undefined : portsFlag(f['mirror-ports']),
  };
  return Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== undefined));
}

function portsFlag(text: string): number[] {
  const problem = portsProblem(text);
  if (problem) {
    throw new ConfigError('INIT_BAD_ANSWER', `--mirror-ports: ${problem}.`, { actions: ['e.g. --mirror-ports 80,8080, or --mirror-ports all to mirror all TCP traffic.'] });
  }
  return parsePorts(text);
}
