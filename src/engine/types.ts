/** A property value that is another node's output, known only once that node exists. */
export interface Ref {
  readonly $ref: string;
  readonly attr: string;
}

export function ref(logicalId: string, attr: string): Ref {
  return { $ref: logicalId, attr };
}

export function isRef(value: unknown): value is Ref {
  return typeof value === 'object' && value !== null && typeof (value as Ref).$ref === 'string';
}

/** A value only AWS can give (offline plans, outputs of resources still to be created). */
export interface Unknown {
  readonly $unknown: string;
}

export function unknown(why: string): Unknown {
  return { $unknown: why };
}

export function isUnknown(value: unknown): value is Unknown {
  return typeof value === 'object' && value !== null && typeof (value as Unknown).$unknown === 'string';
}

/** A string built from literal parts and refs (e.g. user data that embeds the ALB's DNS name). */
export interface Join {
  readonly $join: (string | Ref)[];
}

/** Splits `text` at every `placeholder` and puts `value` there: a string that waits for a ref. */
export function joinAt(text: string, placeholder: string, value: Ref): Join {
  const parts = text.split(placeholder);
  return { $join: parts.flatMap((part, i) => (i === 0 ? [part] : [value, part])) };
}

export function isJoin(value: unknown): value is Join {
  return typeof value === 'object' && value !== null && Array.isArray((value as Join).$join);
}

export type Scalar = string | number | boolean | null;
export type Value = Scalar | Ref | Unknown | Join | Value[] | { [key: string]: Value };
export type Props = { [key: string]: Value };

/**
 * What a planner may write for a property of type T: the value itself, or a value only known later. Deep: every
 * leaf of an object or array may be a Ref (another node's output) or an Unknown (offline: known after apply),
 * and a string leaf may also be a Join (text waiting for refs). A whole array or object may be Unknown too.
 * Wrong types and unknown keys do not compile (test/engine/desired.typecheck.ts proves it).
 */
export type Desired<T> = T extends string
  ? T | Ref | Unknown | Join
  : T extends number | boolean | null
    ? T | Ref | Unknown
    : T extends readonly (infer E)[]
      ? Desired<E>[] | Unknown
      : T extends object
        ? { [K in keyof T]: Desired<T[K]> } | Unknown
        : T;

/** Outputs a resource exposes to others (ids, ARNs, DNS names). Never secret. */
export type Outputs = { [attr: string]: string | number };

/** Every resource kind the engine can plan: one list, from which the type and the state schema derive. */
export const RESOURCE_KINDS = [
  'iam-role',
  'iam-instance-profile',
  'security-group',
  'launch-template',
  'load-balancer',
  'target-group',
  'listener',
  'auto-scaling-group',
  'scaling-policy',
  'traffic-mirror-filter',
  'traffic-mirror-target',
  'traffic-mirror-session',
  'log-group',
  'lambda-function',
  'event-rule',
] as const;

export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export interface ResourceNode {
  /** Stable logical id, e.g. `node-alb` or `mirror-session/eni-0abc…`. */
  readonly id: string;
  readonly kind: ResourceKind;
  /** Desired properties; may contain refs to other nodes' outputs (those refs are the graph's edges). */
  readonly props: Props;
  /** A one-line description for plan output. */
  readonly description?: string;
  /**
   * Nodes this one must wait for although it references none of their outputs (e.g. mirror sessions wait for the
   * receiver's instances, so no source is mirrored to a load balancer with nothing behind it). Deletes run in
   * reverse, like for refs.
   */
  readonly dependsOn?: readonly string[];
}

export interface Graph {
  readonly nodes: readonly ResourceNode[];
  /** Outputs of the whole deployment, computed from node outputs (e.g. the mirror endpoint). */
  readonly outputs: { [name: string]: OutputSpec };
}

/** A deployment output: a node output, optionally placed in a format string at `{}`. */
export interface OutputSpec {
  readonly from: Ref;
  readonly format?: string;
  readonly description: string;
}
