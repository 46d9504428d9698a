/**
 * The wizard's answer set: what each question (and its flag) produces, the defaults (read from the config
 * schema itself, never repeated here), and the translation of a complete answer set into a config that the
 * schema validates. Pure: no AWS, no prompts.
 */
import { basename } from 'node:path';
import { ConfigSchema, type ConfigInput, type MirrorSource, type TopologyName, type WallarmMode } from '../config/schema.js';
import { PLACEHOLDER_CONFIG, type PlaceholderConfig } from '../config/placeholder.js';
import { ConfigError } from '../errors.js';
import { TOPOLOGY_TABLE } from '../topologies/index.js';
import { parseTag } from '../topologies/vpc-mirror/sources/selection.js';

export interface Answers {
  region?: string;
  deployment?: string;
  topology?: TopologyName;
  vpcId?: string;
  lbSubnets?: string[];
  /** Undefined: the node instances use the load balancer subnets. */
  instanceSubnets?: string[];
  cloud?: 'eu' | 'us';
  tokenParameter?: string;
  mode?: WallarmMode;
  instanceType?: string;
  minSize?: number;
  maxSize?: number;
  desiredCapacity?: number;
  mirrorSources?: MirrorSource[];
  mirrorIngress?: boolean;
  mirrorEgress?: boolean;
  mirrorPorts?: number[];
}

export type AnswerKey = keyof Answers;

/** The flag that gives each answer (in messages: "pass --vpc-id"). */
export const FLAG_OF: Record<AnswerKey, string> = {
  region: '--region',
  deployment: '--deployment',
  topology: '--topology',
  vpcId: '--vpc-id',
  lbSubnets: '--lb-subnets',
  instanceSubnets: '--instance-subnets',
  cloud: '--cloud',
  tokenParameter: '--token-parameter',
  mode: '--mode',
  instanceType: '--instance-type',
  minSize: '--min-size',
  maxSize: '--max-size',
  desiredCapacity: '--desired-capacity',
  mirrorSources: '--mirror-asg, --mirror-eni or --mirror-tag',
  mirrorIngress: '--mirror-ingress',
  mirrorEgress: '--mirror-egress',
  mirrorPorts: '--mirror-ports',
};

/** Config key path -> answer, to name the flag in a schema message. */
const ANSWER_OF_PATH: [string, AnswerKey][] = [
  ['region', 'region'],
  ['deployment', 'deployment'],
  ['topology', 'topology'],
  ['vpcId', 'vpcId'],
  ['subnets.loadBalancer', 'lbSubnets'],
  ['subnets.instances', 'instanceSubnets'],
  ['wallarm.cloud', 'cloud'],
  ['wallarm.tokenParameter', 'tokenParameter'],
  ['wallarm.mode', 'mode'],
  ['nodes.instanceType', 'instanceType'],
  ['nodes.minSize', 'minSize'],
  ['nodes.maxSize', 'maxSize'],
  ['nodes.desiredCapacity', 'desiredCapacity'],
  ['mirror.sources', 'mirrorSources'],
  ['mirror.ingress', 'mirrorIngress'],
  ['mirror.egress', 'mirrorEgress'],
  ['mirror.ports', 'mirrorPorts'],
];

const PLACEHOLDER = PLACEHOLDER_CONFIG;

export interface Defaults {
  cloud: 'eu' | 'us';
  mode: WallarmMode;
  instanceType: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  mirrorIngress: boolean;
  mirrorEgress: boolean;
  mirrorPorts: number[];
}

/** The schema's own defaults for the questions init asks. */
export function schemaDefaults(): Defaults {
  const { nodes, wallarm, mirror } = ConfigSchema.parse(PLACEHOLDER) as PlaceholderConfig;
  return {
    cloud: wallarm.cloud,
    mode: wallarm.mode,
    instanceType: nodes.instanceType,
    minSize: nodes.minSize,
    maxSize: nodes.maxSize,
    desiredCapacity: nodes.desiredCapacity,
    mirrorIngress: mirror.ingress,
    mirrorEgress: mirror.egress,
    mirrorPorts: mirror.ports,
  };
}

export const defaultTokenParameter = (deployment: string) => `/wallarm-oob/${deployment}/node-token`;

/** A valid deployment name from a directory name: lowercase, a-z0-9 and single hyphens, starting with a letter, 20 characters. */
export function deploymentFromDirectory(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 20)
    .replace(/-+$/, '');
  return name || 'oob';
}

/** The config an answer set describes: only the keys init asks about; everything else keeps its schema default. */
export function toConfigInput(a: Answers): ConfigInput {
  const config: Record<string, unknown> = {
    deployment: a.deployment,
    ...(a.region !== undefined && { region: a.region }),
    topology: a.topology,
    vpcId: a.vpcId,
    subnets: { loadBalancer: a.lbSubnets, ...(a.instanceSubnets !== undefined && { instances: a.instanceSubnets }) },
    wallarm: { cloud: a.cloud, tokenParameter: a.tokenParameter, mode: a.mode },
    nodes: { instanceType: a.instanceType, minSize: a.minSize, maxSize: a.maxSize, desiredCapacity: a.desiredCapacity },
  };
  if (a.topology) Object.assign(config, TOPOLOGY_TABLE[a.topology].init.configSection(a));
  return dropUndefined(config) as ConfigInput;
}

function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUndefined);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, dropUndefined(v)]));
  }
  return value;
}

const pathText = (path: readonly PropertyKey[]) => path.filter((p) => typeof p !== 'number').map(String).join('.');

function answerOfPath(path: readonly PropertyKey[]): AnswerKey | undefined {
  const text = pathText(path);
  return ANSWER_OF_PATH.find(([prefix]) => text === prefix || text.startsWith(`${prefix}.`))?.[1];
}

/**
 * Validates the whole answer set through the config schema; every problem is reported against the flag
 * (or question) that gave the value.
 */
export function validateAnswers(a: Answers): ConfigInput {
  const input = toConfigInput(a);
  const result = ConfigSchema.safeParse(input);
  if (result.success) return input;
  const lines = result.error.issues.map((issue) => {
    const answer = answerOfPath(issue.path);
    const where = answer ? `${FLAG_OF[answer]} (${pathText(issue.path) || 'config'})` : pathText(issue.path) || 'config';
    return `${where}: ${issue.message}`;
  });
  throw new ConfigError('INIT_INVALID_ANSWERS', `The answers do not make a valid config:\n${lines.map((l) => `  ${l}`).join('\n')}`, {
    actions: ['Fix the values named above (flags or answers) and run init again; nothing was written.'],
  });
}

/**
 * Checks one answer against the schema (for a prompt's validate): the message of the first problem at that
 * key, or undefined when it is fine. Cross-key rules (min <= max) are left to the final validation.
 */
export function answerProblem<K extends AnswerKey>(key: K, value: Answers[K]): string | undefined {
  const base: Answers = {
    deployment: PLACEHOLDER.deployment,
    topology: PLACEHOLDER.topology,
    vpcId: PLACEHOLDER.vpcId,
    lbSubnets: [...PLACEHOLDER.subnets.loadBalancer],
    mirrorSources: [{ autoScalingGroup: 'placeholder' }],
    minSize: 0,
    maxSize: 100,
    desiredCapacity: 0,
  };
  const result = ConfigSchema.safeParse(toConfigInput({ ...base, [key]: value }));
  if (result.success) return undefined;
  return result.error.issues.find((i) => answerOfPath(i.path) === key)?.message;
}

/** Why a ports answer ("80, 8080", "all", "") cannot be read, in words; undefined when it can. */
export function portsProblem(text: string): string | undefined {
  if (text.trim().toLowerCase() === 'all') return undefined;
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    if (!/^\d+$/.test(part)) return `"${part}" is not a port number: write TCP port numbers separated by commas (e.g. 80,8080), or "all"`;
    const port = Number(part);
    if (port < 1 || port > 65535) return `${part} is not a TCP port: ports are 1 to 65535`;
  }
  return undefined;
}

/** "80, 443" -> [80, 443]; "" or "all" -> [] (all TCP). Non-numbers become NaN for the schema to reject. */
export function parsePorts(text: string): number[] {
  if (text.trim().toLowerCase() === 'all') return [];
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : Number.NaN));
}

/** "role=web,env=prod" -> { role: "web", env: "prod" }; undefined when a part is not key=value. */
export function parseTags(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const tag = parseTag(part);
    if (!tag) return undefined;
    out[tag[0].trim()] = tag[1].trim();
  }
  return Object.keys(out).length ? out : undefined;
}
