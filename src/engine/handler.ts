/**
 * The contract between the engine and the resource handlers. The engine owns it: the handlers (one file per
 * AWS resource kind) implement it; the engine never imports a handler, it is given a way to load one per kind.
 */
import type { Outputs, ResourceKind } from './types.js';

/**
 * What a handler gets for one call: clients, identity of the node, the tags to stamp, progress logging.
 * `Clients` is whatever the handlers call the cloud with (src/resources binds it to AwsClients); the engine
 * only passes contexts through, so it names no cloud API.
 */
export interface ResourceContext<Clients = unknown> {
  readonly aws: Clients;
  readonly deployment: string;
  readonly logicalId: string;
  /** Full tag set: user tags + `wallarm-oob:deployment`, `wallarm-oob:id`, `managed-by=wallarm-oob`. */
  readonly tags: Readonly<Record<string, string>>;
  /** Stable idempotency token for this node's create (same across re-runs of an interrupted apply). */
  readonly clientToken: string;
  /** Whether create/update waits for readiness beyond what dependents need (ASG capacity, target health). */
  readonly waitForCapacity: boolean;
  /** Progress event for the UI (“waiting for load balancer to be active”). */
  log(message: string): void;
  /** Something the user should know that does not stop the run (a read the endpoint does not implement). */
  warn?(message: string): void;
  readonly signal?: AbortSignal;
}

/**
 * One full read of state (plan, refresh.ts), shared by every kind's readMany: the physical ids of each kind in
 * state, and reads that answer for several kinds at once (ELBv2 DescribeTags takes load balancer, target group and
 * listener ARNs in one call). The first kind to need such a read starts it for all (`shared`), the others reuse
 * its answer.
 */
export interface ReadBatch {
  idsOf(kind: ResourceKind): readonly string[];
  shared<T>(key: string, read: () => Promise<T>): Promise<T>;
}

/** A resource as it exists in AWS: its id, its properties in the planner's shape, its outputs. */
export interface Live<P> {
  physicalId: string;
  props: P;
  outputs: Outputs;
  /**
   * Set by a create/update that returns as soon as the resource exists (its id, ARN and DNS name are known)
   * while it still settles (a load balancer provisioning, instances turning healthy): the executor starts
   * the dependents at once and ends the step when this resolves.
   */
  ready?: () => Promise<void>;
}

/** One resource found by its deployment tag (adoption after a crash, destroy's final sweep). */
export interface Tagged {
  physicalId: string;
  logicalId: string | undefined;
  /** The tags read from AWS: list() keeps only items whose `wallarm-oob:deployment` tag is this deployment (checked here, on the client). */
  tags: Record<string, string>;
}

/** How a person (or --force) answers a question a handler must ask before a destructive step. */
export interface DeleteGuard {
  /** --force: the answer is yes without asking. */
  readonly force: boolean;
  /** Asks a yes/no question; resolves false when nobody can answer (no terminal). */
  confirm(question: string): Promise<boolean>;
  info(message: string): void;
}

/**
 * One file per AWS resource kind, like a Terraform provider's resources: it knows the AWS calls, the
 * waiters, the not-found detection and which property changes need a replacement. It never decides what
 * to build: the planner does.
 */
export interface ResourceHandler<P, Clients = unknown> {
  readonly kind: ResourceKind;
  /** Properties whose change cannot be applied in place: the engine replaces the resource. */
  readonly replaceOn: readonly (keyof P & string)[];
  /** Properties AWS changes by itself (e.g. desired capacity under a scaling policy): compared with the last applied value, not with live. */
  readonly ignoreLiveChanges?: readonly (keyof P & string)[];
  /**
   * Canonical form of props for comparison (id sets sorted, JSON documents as canonical text, rules sorted).
   * read() returns props in this form; compare normalize(desired) with live props. Must leave unresolved
   * values (refs, unknowns) in place. Absent = props compare as they are.
   */
  normalize?(props: P): P;
  /** Outputs an in-place update changes (a launch template's latestVersion), so dependents see them as unknown in a plan. */
  readonly outputsChangedByUpdate?: readonly string[];
  /** Creates the resource (tagged with ctx.tags) and returns once dependents can use it (see Live.ready). */
  create(ctx: ResourceContext<Clients>, props: P): Promise<Live<P>>;
  /** Reads the live resource; undefined when it no longer exists. Props are normalised to the planner's shape. */
  read(ctx: ResourceContext<Clients>, physicalId: string): Promise<Live<P> | undefined>;
  /**
   * Reads several resources of this kind at once (plan reads every resource in state, see refresh.ts): one
   * describe per batch of ids where AWS takes a list or an id filter, instead of one read per resource. Same
   * answer as read() for each id: a resource that no longer exists maps to undefined (a missing id must never
   * fail the others). Absent = the engine calls read() per resource.
   */
  readMany?(ctx: ResourceContext<Clients>, physicalIds: readonly string[], batch?: ReadBatch): Promise<Map<string, Live<P> | undefined>>;
  /** Brings a live resource to the desired props (only called when no replaceOn prop differs). */
  update(ctx: ResourceContext<Clients>, live: Live<P>, desired: P): Promise<Live<P>>;
  /**
   * Called by destroy for every resource of this kind before anything is deleted: a chance to refuse (throw)
   * or to lift a protection the person agreed to lift (a load balancer's deletion protection).
   */
  beforeDelete?(ctx: ResourceContext<Clients>, physicalId: string, guard: DeleteGuard): Promise<void>;
  /** Deletes the resource and waits until it is gone; a resource already gone is success. */
  delete(ctx: ResourceContext<Clients>, physicalId: string): Promise<void>;
  /**
   * Kinds AWS cannot tag: the tags that say who owns the resource (a scaling policy: its group's). The
   * ownership check uses them instead of live `tags`. Absent for taggable kinds.
   */
  ownerTags?(ctx: ResourceContext<Clients>, live: Live<P>): Promise<Record<string, string> | undefined>;
  /** Every resource of this kind tagged with ctx.deployment (paginated, filtered server-side where the API allows). */
  list(ctx: ResourceContext<Clients>): Promise<Tagged[]>;
}

/** Loads the handler of a kind (lazily: a command that never touches a kind never loads its SDK). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HandlerLoader = (kind: ResourceKind) => Promise<ResourceHandler<any>>;
