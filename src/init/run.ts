/**
 * `init`: discover, default sensibly, validate, then write. The same steps serve the wizard and the
 * non-interactive command: a flag pre-answers its question, `--yes` accepts the defaults, and without a
 * terminal nothing is ever asked (a missing answer is an error naming its flag).
 */
import { access, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { AwsClients } from '../aws/clients.js';
import { schemaRefFor } from '../config/json-schema.js';
import { TOPOLOGIES, type ConfigInput } from '../config/schema.js';
import { TOPOLOGY_TABLE } from '../topologies/index.js';
import { ConfigError, ResolveError } from '../errors.js';
import {
  answerProblem,
  defaultTokenParameter,
  deploymentFromDirectory,
  FLAG_OF,
  schemaDefaults,
  validateAnswers,
  type AnswerKey,
  type Answers,
} from './answers.js';
import { egressWarnings, loadBalancerSubnetProblem } from './classify.js';
import type { SubnetInfo } from './discovery.js';
import { withSpinner } from './spinner.js';
import { configToYaml } from './yaml.js';

export interface InitOptions {
  /** Answers given as flags. */
  preset: Answers;
  /** Accept the defaults for every answer not given. */
  yes: boolean;
  force: boolean;
  /** Path of the config file to write. */
  output: string;
  /** Whether prompts may be shown (a TTY, and CI unset). */
  interactive: boolean;
  profile?: string;
  /** WALLARM_NODE_TOKEN: stored as the SecureString token parameter. */
  token?: string;
  /** wallarm-oob version. */
  version: string;
  /** Overrides the `$schema` reference; '' writes none. */
  schemaRef?: string;
  log: (line: string) => void;
  /** Warnings about the answers (to stderr); defaults to `log`. */
  warn?: (line: string) => void;
  /** Clients for a region (tests and the command may share one factory). */
  awsFor?: (region: string | undefined) => AwsClients;
}

export interface InitResult {
  /** Absolute path of the written file, and the same as shown to the user (relative to the working directory when inside it). */
  path: string;
  shown: string;
  config: ConfigInput;
  tokenParameter: string;
  /** What init did with the token parameter. */
  token: 'created' | 'updated' | 'unchanged' | 'reused';
  /** Commands to run next, each with what it is for. */
  nextSteps: { command: string; why: string }[];
}

const REQUIRED: AnswerKey[] = ['topology', 'vpcId'];
const DEFAULTED: AnswerKey[] = ['deployment', 'lbSubnets', 'instanceSubnets', 'cloud', 'mode', 'instanceType', 'minSize', 'maxSize', 'desiredCapacity'];

const WHAT: Partial<Record<AnswerKey, string>> = {
  topology: TOPOLOGIES.join(' or '),
  vpcId: 'the VPC to deploy into',
};

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function refuse(path: string): ConfigError {
  return new ConfigError('INIT_FILE_EXISTS', `${path} already exists; init does not overwrite it.`, {
    actions: ['Pass --force to replace it, or --output <file> to write elsewhere.', 'Check the existing file with `wallarm-oob validate`.'],
  });
}

/** Without a terminal: every answer must come from a flag (or --yes for the ones with defaults). */
function missingWithoutTerminal(o: InitOptions, deployment: string): ConfigError | undefined {
  const given = (k: AnswerKey) => o.preset[k] !== undefined;
  const own = o.preset.topology ? TOPOLOGY_TABLE[o.preset.topology].init : undefined;
  const required = [...REQUIRED, ...(own?.required ?? [])].filter((k) => !given(k));
  const defaulted = o.yes ? [] : [...DEFAULTED, ...(own?.defaulted ?? [])].filter((k) => !given(k));
  if (!required.length && !defaulted.length) return undefined;
  const d = schemaDefaults();
  const shown: Partial<Record<AnswerKey, string>> = {
    deployment: `"${deployment}", from the directory name`,
    lbSubnets: "the VPC's private subnets",
    instanceSubnets: 'the load balancer subnets',
    cloud: d.cloud,
    mode: d.mode,
    instanceType: d.instanceType,
    minSize: String(d.minSize),
    maxSize: String(d.maxSize),
    desiredCapacity: String(d.desiredCapacity),
    ...own?.showDefault(d),
  };
  const what = { ...WHAT, ...own?.describe };
  const lines = [
    ...required.map((k) => `  ${FLAG_OF[k]}: ${what[k] ?? 'required'}`),
    ...(defaulted.length ? ['answers with a default, taken only with --yes:', ...defaulted.map((k) => `  ${FLAG_OF[k]} (default: ${shown[k]})`)] : []),
  ];
  const actions = [
    ...(required.length ? [`Pass ${required.map((k) => FLAG_OF[k]).join(', ')}; e.g. wallarm-oob init --topology web-server-mirror --vpc-id vpc-0123456789abcdef0 --yes`] : []),
    ...(defaulted.length ? ['Add --yes to accept the defaults for the answers not given as flags.'] : []),
    'Run init in a terminal (without CI set) to be asked instead.',
  ];
  return new ConfigError(
    'INIT_MISSING_ANSWERS',
    `init cannot ask questions here (no terminal, or CI is set), and answers are missing:\n${lines.join('\n')}`,
    { actions },
  );
}

function flagError(key: AnswerKey, message: string, actions: string[] = []): ConfigError {
  return new ConfigError('INIT_BAD_ANSWER', `${FLAG_OF[key]}: ${message}`, { actions });
}

function checkAnswer<K extends AnswerKey>(key: K, value: Answers[K]): void {
  const problem = answerProblem(key, value);
  if (problem) throw flagError(key, problem);
}

export async function runInit(o: InitOptions): Promise<InitResult> {
  const path = resolve(o.output);
  if (!o.force && (await exists(path))) throw refuse(path);
  const fallbackName = deploymentFromDirectory(dirname(path));
  if (!o.interactive) {
    const missing = missingWithoutTerminal(o, fallbackName);
    if (missing) throw missing;
  }
  const q = o.interactive ? (await import('./questions.js')).questions : undefined;
  /** The question for `key` is asked only in a terminal, when no flag answered it and (for defaulted answers) without --yes. */
  const asks = (defaulted: boolean) => (q && !(defaulted && o.yes) ? q : undefined);
  const discovery = await import('./discovery.js');
  const awsFor = o.awsFor ?? ((region) => new AwsClients({ region, profile: o.profile }));
  const d = schemaDefaults();
  const a: Answers = { ...o.preset };
  const spin = <T>(title: string, work: () => Promise<T>) => (o.interactive ? withSpinner(title, work) : work());
  const warn = o.warn ?? ((line: string) => o.log(`Warning: ${line}`));
  if (o.interactive) o.log(intro(path));

  // 1. region and deployment name
  if (a.region === undefined) {
    const detected = await discovery.profileRegion(awsFor(undefined));
    const ask = asks(detected !== undefined);
    if (ask) a.region = await ask.region(detected);
    else if (detected) a.region = detected;
    else throw flagError('region', 'no AWS region is configured', ['Pass --region, or set AWS_REGION (or a region in the AWS profile).']);
  }
  checkAnswer('region', a.region);
  const aws = awsFor(a.region);
  if (a.deployment === undefined) a.deployment = (await asks(true)?.deployment(fallbackName)) ?? fallbackName;
  checkAnswer('deployment', a.deployment);

  // 2. topology
  a.topology ??= await asks(false)!.topology();

  // 3. VPC
  const vpcs = await spin(`Reading the VPCs of ${a.region}`, () => discovery.listVpcs(aws));
  if (a.vpcId !== undefined) {
    if (!vpcs.some((v) => v.id === a.vpcId)) {
      throw flagError('vpcId', `VPC ${a.vpcId} does not exist in ${a.region}.`, [
        vpcs.length ? `VPCs in ${a.region}: ${vpcs.map((v) => `${v.id}${v.name ? ` (${v.name})` : ''}`).join(', ')}` : `${a.region} has no VPC; check --region.`,
      ]);
    }
  } else {
    if (!vpcs.length) throw new ResolveError('INIT_NO_VPC', `The account has no VPC in ${a.region}.`, { actions: ['Check --region, or create a VPC with private subnets in two Availability Zones.'] });
    a.vpcId = await asks(false)!.vpc(vpcs);
  }
  const vpcId = a.vpcId;

  // 4. subnets
  const subnets = await spin(`Reading the subnets of ${vpcId}`, () => discovery.listSubnets(aws, vpcId));
  const byId = new Map(subnets.map((s) => [s.id, s]));
  const checkInVpc = (key: 'lbSubnets' | 'instanceSubnets', ids: string[]) => {
    const unknown = ids.filter((id) => !byId.has(id));
    if (unknown.length) {
      throw flagError(key, `${unknown.join(', ')} ${unknown.length === 1 ? 'is not a subnet' : 'are not subnets'} of ${vpcId}.`, [
        `Subnets of ${vpcId}: ${subnets.map((s) => `${s.id} (${s.az}, ${s.public ? 'public' : 'private'})`).join(', ') || 'none'}`,
      ]);
    }
  };
  if (a.lbSubnets !== undefined) {
    checkInVpc('lbSubnets', a.lbSubnets);
  } else {
    const ask = asks(true);
    if (ask) a.lbSubnets = await ask.lbSubnets(subnets);
    else a.lbSubnets = subnets.filter((s) => !s.public).map((s) => s.id);
  }
  const azProblem = loadBalancerSubnetProblem(a.lbSubnets, byId);
  if (azProblem) throw flagError('lbSubnets', `${azProblem}.`, [`Pass --lb-subnets with private subnets of ${vpcId} in two Availability Zones.`]);
  const publicLb = a.lbSubnets.filter((id) => byId.get(id)?.public);
  if (publicLb.length) o.log(`Note: ${publicLb.join(', ')} ${publicLb.length === 1 ? 'is a public subnet' : 'are public subnets'}; the load balancer is internal either way, but private subnets are the usual choice.`);
  if (a.instanceSubnets !== undefined) checkInVpc('instanceSubnets', a.instanceSubnets);
  else {
    const ask = asks(true);
    if (ask) a.instanceSubnets = await ask.instanceSubnets(subnets, a.lbSubnets);
  }
  const nodeSubnets = (a.instanceSubnets ?? a.lbSubnets).map((id) => byId.get(id)).filter((x): x is SubnetInfo => x !== undefined);
  for (const line of egressWarnings(nodeSubnets, a.topology)) warn(line);

  // 5. Wallarm Cloud, token, mode
  if (a.cloud === undefined) a.cloud = (await asks(true)?.cloud(d.cloud)) ?? d.cloud;
  const token = await tokenStep(o, a, aws, discovery.describeParameter, asks(false));
  if (a.mode === undefined) a.mode = (await asks(true)?.mode(d.mode)) ?? d.mode;

  // 6. nodes
  if (a.instanceType === undefined) a.instanceType = (await asks(true)?.instanceType(d.instanceType)) ?? d.instanceType;
  checkAnswer('instanceType', a.instanceType);
  if (a.minSize === undefined && a.maxSize === undefined && a.desiredCapacity === undefined && asks(true)) {
    Object.assign(a, await asks(true)!.sizes(d));
  }
  a.minSize ??= d.minSize;
  a.maxSize ??= Math.max(d.maxSize, a.minSize);
  a.desiredCapacity ??= Math.min(Math.max(d.desiredCapacity, a.minSize), a.maxSize);

  // 7. what only the topology needs (vpc-mirror: sources and traffic)
  await TOPOLOGY_TABLE[a.topology].init.ask(a, {
    aws,
    subnets,
    defaults: d,
    canAsk: (defaulted) => asks(defaulted) !== undefined,
    spin,
    fail: flagError,
  });

  // validate the whole answer set, store the token, write the file
  const config = validateAnswers(a);
  const own = TOPOLOGY_TABLE[a.topology].init;
  for (const line of own.warnings?.(a) ?? []) warn(line);
  let tokenResult: InitResult['token'] = 'reused';
  if (token.value !== undefined) {
    const { storeNodeToken } = await import('../account/token-parameter.js');
    const { deploymentTags } = await import('../core/tags.js');
    tokenResult = await spin(`Storing the node token as ${token.parameter}`, () =>
      storeNodeToken(aws, token.parameter, token.value!, deploymentTags({ deployment: a.deployment!, tags: {} })),
    );
  }
  const schemaRef = o.schemaRef ?? schemaRefFor(path);
  const text = configToYaml(config, {
    schemaRef: schemaRef || undefined,
    header: [
      'wallarm-oob configuration, written by `wallarm-oob init`. Each key is described above it;',
      'every option and its default: the JSON Schema above, or examples/ in the wallarm-oob package.',
      'The node token is not in this file: it is the SSM SecureString named by wallarm.tokenParameter.',
    ],
  });
  try {
    await writeFile(path, text, { encoding: 'utf8', flag: o.force ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw refuse(path);
    throw error;
  }
  const rel = relative(process.cwd(), path);
  const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  const c = shown === 'wallarm-oob.yaml' ? '' : ` -c ${shown}`;
  return {
    path,
    shown,
    config,
    tokenParameter: token.parameter,
    token: tokenResult,
    nextSteps: [
      { command: `wallarm-oob validate${c}`, why: 'check the file against the account' },
      { command: `wallarm-oob plan${c}`, why: 'see what apply would build' },
      { command: `wallarm-oob apply${c}`, why: 'build it' },
      ...(own.nextSteps?.(c) ?? []),
    ],
  };
}

/** What the wizard is about to do, before its first question. */
function intro(path: string): string {
  return [
    'This wizard writes the configuration of a Wallarm out-of-band deployment. It asks for:',
    '  the region and a deployment name, the topology, the VPC and subnets, the Wallarm Cloud and node token,',
    '  the filtration mode and the node group size (and for vpc-mirror, which network interfaces to mirror).',
    'It reads the account (VPCs, subnets, route tables, Auto Scaling groups, network interfaces, SSM parameters) to offer',
    'choices, and changes nothing in it except one thing: a node token you enter is stored as an SSM SecureString',
    '(by default /wallarm-oob/<deployment>/node-token), never in the file.',
    `It writes ${path} once every answer is checked. Nothing is deployed until you run \`wallarm-oob apply\`. Ctrl-C cancels.`,
    '',
  ].join('\n');
}

type Ask = (defaulted: boolean) => import('./questions.js').Questions | undefined;

/** Where the token lives, and the token to store there (undefined: reuse the existing parameter). */
async function tokenStep(
  o: InitOptions,
  a: Answers,
  aws: AwsClients,
  describe: (aws: AwsClients, name: string) => Promise<{ exists: boolean }>,
  ask: ReturnType<Ask>,
): Promise<{ parameter: string; value?: string }> {
  const fallback = defaultTokenParameter(a.deployment!);
  if (a.tokenParameter !== undefined) checkAnswer('tokenParameter', a.tokenParameter);
  if (o.token) {
    a.tokenParameter ??= fallback;
    return { parameter: a.tokenParameter, value: o.token };
  }
  const named = a.tokenParameter ?? fallback;
  const found = (await describe(aws, named)).exists;
  if (a.tokenParameter !== undefined) {
    if (found) return { parameter: named };
    if (ask) return { parameter: named, value: await ask.tokenValue(named) };
  } else if (ask) {
    const how = await ask.tokenSource(fallback, found);
    if (how === 'reuse-default') return { parameter: (a.tokenParameter = fallback) };
    if (how === 'new') return { parameter: (a.tokenParameter = fallback), value: await ask.tokenValue(fallback) };
    a.tokenParameter = await ask.tokenParameterName(async (name) => (await describe(aws, name)).exists);
    return { parameter: a.tokenParameter };
  } else if (found) {
    return { parameter: (a.tokenParameter = fallback) };
  }
  throw flagError('tokenParameter', `no node token: the SSM parameter ${named} does not exist in ${a.region}, and WALLARM_NODE_TOKEN is not set.`, [
    `Set WALLARM_NODE_TOKEN to the node token (from Wallarm Console > Nodes): init stores it as the SecureString ${named}.`,
    'Or pass --token-parameter with the name of an existing SSM parameter holding the token.',
  ]);
}
