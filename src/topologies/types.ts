/**
 * The contract every topology implements (src/topologies/<name>/), and the planner inputs they share.
 * Nothing outside src/topologies/ and src/config/ knows a topology by name: the core, `validate` and `init`
 * ask the topology table (src/topologies/index.ts).
 */
import type { AwsClients } from '../aws/clients.js';
import type { IamGrants } from '../iam/grants.js';
import type { LoadedConfig } from '../config/load.js';
import type { Config, MirrorReceiver } from '../config/schema.js';
import type { MirrorSourceReport } from '../engine/plan.js';
import type { Graph, Outputs, ResourceKind, Unknown } from '../engine/types.js';
import type { Answers, AnswerKey, Defaults } from '../init/answers.js';
import type { InitContext } from '../init/context.js';
import type { NodeLine } from '../wallarm/node-versions.js';

/**
 * What every topology's planner gets: the validated config plus what only AWS (or the disk) can tell about the
 * Wallarm node layer, resolved before planning. Offline plans carry Unknown where AWS would have answered.
 */
export interface NodeInputs<C extends Config = Config> {
  config: C;
  region: string;
  /** AWS partition (aws, aws-cn, aws-us-gov) for ARNs. */
  partition: string;
  nodeImageId: string | Unknown;
  /** The Wallarm node line and version being deployed (health check, bootstrap). */
  node: ResolvedNode;
  /** ARN of the token parameter (the nodes' role may read exactly this one). */
  tokenParameterArn: string;
  /** Set when the token parameter is encrypted with a customer managed KMS key. */
  tokenKmsKeyId?: string;
  /** Rendered node cloud-init (no secret in it: the token is fetched at boot). */
  nodeUserData: string;
}

export interface ResolvedNode {
  line: NodeLine;
  /** "7.1.0" from the AMI's name; the line ("7.x") when no AMI was read (offline). */
  version: string;
  /** The AMI's name, when one was read. */
  imageName?: string;
}

/** Planner inputs plus what resolving learned on the way. */
export interface Resolved<I extends NodeInputs = NodeInputs> {
  inputs: I;
  /** The account id (online only). */
  account?: string;
  /** The token parameter does not exist yet: apply creates it from WALLARM_NODE_TOKEN. */
  tokenParameterMissing: boolean;
  notes: string[];
}

/** The node layer's resolution, which every topology extends with its own inputs. */
export type NodeResolution<C extends Config = Config> = Resolved<NodeInputs<C>>;

export interface ResolveOptions {
  /**
   * Whether an online resolution may download what it must checksum (the native-node installer); `validate`
   * checks the account only and passes false (the checksum is then left unknown, as offline).
   */
  installerChecksum?: boolean;
  /**
   * Live properties of the deployment's resources by logical id, once the live reads (which run beside input
   * resolution) are in; undefined for a resource not in state or gone. A topology may use them to skip
   * look-ups AWS already answered (mirrored ENIs). Absent: no live reads (offline, `plan --refresh=false`).
   */
  liveProps?: (logicalId: string) => Promise<Readonly<Record<string, unknown>> | undefined>;
  /**
   * `plan --refresh=false`: state's hash of a property as last applied (src/engine/diff.ts propHashes), in place
   * of live props: equal to the hash of a value means that value was applied.
   */
  appliedHash?: (logicalId: string, prop: string) => Promise<string | undefined>;
}

/** One account check of `validate`. `warning`: passes, but the user should act (e.g. a node line past its end of support). */
export type CheckStatus = 'ok' | 'failed' | 'skipped' | 'warning';

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found (ok), what is wrong (failed) or why it did not run (skipped). */
  detail?: string;
  code?: string;
  actions?: string[];
}

/** What `output` and `status` report about a live deployment that mirrors network interfaces (vpc-mirror). */
export interface MirrorStatus {
  /** The receiver analysing the traffic (`output --json` field `receiver`). */
  receiver: MirrorReceiver;
  /** Live traffic mirror sessions on the deployment's mirror target. */
  sessions: number;
  /** Interfaces mirror.sources selects now that can be mirrored. */
  eligible: number;
  /** mirror.follow: the follower function's last run, as one line (undefined when the follower is off). */
  follower?: string;
  /** Eligible interfaces without a session on the target (sorted). */
  missing: string[];
  /** Sessions on the target whose interface is gone or no longer selected (sorted by interface). */
  stale: StaleSession[];
}

export interface StaleSession {
  sessionId: string;
  networkInterfaceId: string;
  /** `gone`: the interface no longer exists; `not-selected`: mirror.sources no longer selects it (apply deletes the session). */
  reason: 'gone' | 'not-selected';
}

/** A check that input resolution performs: `validate` reports a resolution failure with one of `codes` as this check. */
export interface ResolutionCheck {
  id: string;
  title: string;
  codes: readonly string[];
}

/** A topology's part of `init`: its questions (asked only for it), its flags and its section of the config. */
export interface TopologyInit {
  /** One line for the topology question. */
  summary: string;
  /** Answers this topology needs beyond the common ones (asked, or required as flags without a terminal). */
  required: readonly AnswerKey[];
  /** Answers with a default, taken only with --yes without a terminal. */
  defaulted: readonly AnswerKey[];
  /** How init names what a required answer is, in "missing answer" messages. */
  describe: Partial<Record<AnswerKey, string>>;
  /** How init shows each defaulted answer's default. */
  showDefault(d: Defaults): Partial<Record<AnswerKey, string>>;
  /** Answers (of any topology) that make no sense for this one: given as flags, they are an error. */
  foreign: readonly AnswerKey[];
  /** Discovers and asks what only this topology needs; checks the answers given as flags against the account. */
  ask(a: Answers, ctx: InitContext): Promise<void>;
  /** This topology's keys of the config written by init. */
  configSection(a: Answers): Record<string, unknown>;
  /** Warnings about a complete, valid answer set (e.g. mirrored TLS ports). */
  warnings?(a: Answers): string[];
  /** Commands init suggests after apply, given the ` -c file` suffix (or ''). */
  nextSteps?(configArg: string): { command: string; why: string }[];
  /** Who must reach the internet from subnets.instances, and what beyond the Wallarm Cloud (for the egress warning). */
  readonly egress: { instances: string; alsoReaches?: string };
}

/**
 * One topology: how its inputs are resolved (online and offline), how it plans, what it checks and asks.
 * Implementations are typed with their own inputs (`Topology<VpcMirrorInputs>`); the table in index.ts checks that
 * every topology of the config schema has one.
 */
export interface Topology<I extends NodeInputs = NodeInputs> {
  readonly name: I['config']['topology'];
  /**
   * Offline: no AWS call at all; what only AWS knows is Unknown ("known after apply"). Starts from the node
   * layer's offline inputs (common/node-inputs.ts). `loaded.config` is this topology's.
   */
  offlineInputs(loaded: LoadedConfig, regionHint: string | undefined): Resolved<I>;
  /**
   * Online: read-only look-ups against the account (the node layer's first, in NODE_RESOLUTION_CHECKS order, then
   * this topology's); a source that cannot be resolved is a ResolveError.
   */
  resolveInputs(loaded: LoadedConfig, aws: AwsClients, options: ResolveOptions): Promise<Resolved<I>>;
  /** Pure: inputs -> desired graph. */
  plan(inputs: I): Graph;
  /**
   * Every kind its planner can create (any receiver, any option): destroy looks for leftovers of these kinds only
   * (test/core/topology-kinds.test.ts checks the planners against it).
   */
  readonly kinds: readonly ResourceKind[];
  /** What the plan reports besides its actions (vpc-mirror: what each source resolved to). */
  report?(inputs: I): { mirrorSources?: MirrorSourceReport[] };
  /** Checks its input resolution performs beyond the node layer's, in order (for `validate`). */
  readonly resolutionChecks: readonly ResolutionCheck[];
  /** Account checks `validate` runs once resolution succeeded. */
  accountChecks?(loaded: LoadedConfig, aws: AwsClients): Promise<CheckResult[]>;
  /** What `output` reports about the live deployment besides its outputs (vpc-mirror: receiver, live sessions). */
  status?(loaded: LoadedConfig, aws: AwsClients, outputs: Outputs): Promise<MirrorStatus | undefined>;
  /** What destroy removes after the resources besides the state (vpc-mirror: the follower's last-run parameter); one message each. */
  afterDestroy?(aws: AwsClients, deployment: string): Promise<string[]>;
  /** The next step printed under the outputs (web-server-mirror: print the web server's mirror configuration). */
  readonly outputsHint?: string;
  /** add-eni / remove-eni: the logical ids an edit of `mirror.sources` may change; absent: no editable sources. */
  readonly editableSources?: { readonly logicalIds: readonly string[] };
  /** Said when add-eni / remove-eni is used on a topology without editable sources. */
  readonly noSourcesHint?: string;
  readonly init: TopologyInit;
  /**
   * IAM permissions of this topology's own look-ups (source resolution, checks, status; the node image when it
   * runs a NGINX node fleet), declared in the modules that make the calls (src/iam/grants.ts). `iam-policy`
   * adds the shared look-ups' and the handlers' of the kinds it plans.
   */
  iam(loaded: LoadedConfig): Promise<IamGrants>;
}
