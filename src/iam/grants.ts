import type { Config } from '../config/schema.js';

/**
 * IAM permissions, declared as data next to the code that makes the calls: each resource handler and each
 * read-only look-up module exports the grants it needs, and `iam-policy` assembles them for a config
 * (src/iam/policy.ts). A coverage test runs every topology's lifecycle on the fake cloud and checks that the
 * calls made and the actions granted are the same set.
 *
 * Scoping follows AWS's Service Authorization Reference: an action is scoped to a resource type only where
 * AWS lists that resource type for it, and a tag condition is set only on the resource type the tool owns
 * (its primary resource). Other resource types of the same request (the user's VPC and ENIs, a filter
 * named by a new session) are granted by ARN pattern without a condition, as AWS's own policy examples do:
 * a condition on a resource type that does not carry the key would deny the call on a real account.
 */

/** Where a grant applies. `any` is `"Resource": "*"`: the actions support no resource-level permissions. */
export type IamTarget =
  | 'any'
  | 'ec2:security-group'
  | 'ec2:security-group-rule'
  | 'ec2:vpc'
  | 'ec2:launch-template'
  | 'ec2:network-interface'
  | 'ec2:traffic-mirror-filter'
  | 'ec2:traffic-mirror-filter-rule'
  | 'ec2:traffic-mirror-target'
  | 'ec2:traffic-mirror-session'
  | 'elasticloadbalancing:loadbalancer'
  | 'elasticloadbalancing:targetgroup'
  | 'elasticloadbalancing:listener'
  | 'autoscaling:group'
  /** Roles under the deployment's IAM path `/wallarm-oob/<deployment>/` (and its name prefix, see policy.ts). */
  | 'iam:deployment-role'
  | 'iam:deployment-instance-profile'
  /** AWS's service-linked roles (created once per account by ELB and Auto Scaling). */
  | 'iam:service-linked-role'
  /** Parameters under `/wallarm-oob/<deployment>/` (state, lock, the default token parameter). */
  | 'ssm:deployment-parameters'
  /** The config's `wallarm.tokenParameter`, wherever it lives. */
  | 'ssm:token-parameter'
  /** The follower's function, rules and log group, by the deployment's name prefix. */
  | 'lambda:deployment-function'
  | 'events:deployment-rule'
  | 'logs:deployment-log-group';

export type IamCondition =
  /** `aws:ResourceTag/wallarm-oob:deployment` = the deployment: only resources this deployment tagged. */
  | { tag: 'resource' }
  /** `aws:RequestTag/wallarm-oob:deployment` = the deployment: creates must tag the new resource as ours. */
  | { tag: 'request' }
  /** `StringEquals` on another key (e.g. `ec2:CreateAction`), any of the values. */
  | { key: string; values: readonly string[] };

export interface IamGrant {
  /** `service:Action`, e.g. `ec2:CreateSecurityGroup`. */
  readonly actions: readonly string[];
  readonly on: IamTarget;
  readonly when?: IamCondition;
  /**
   * A dependent action: AWS checks it while serving one of these calls (e.g. `ec2:RunInstances` when an Auto
   * Scaling group is created from a launch template) but the tool never sends it itself.
   */
  readonly checkedBy?: readonly string[];
  /** Needed by the handler's `list()` (see forList). */
  readonly list?: boolean;
  /** Only for configs where this holds (e.g. the key pair check runs only when `nodes.keyName` is set). */
  readonly onlyIf?: (config: Config) => boolean;
  /**
   * A handler's grant needed only when a planned resource of its kind has these props (e.g. SetSecurityGroups
   * only for a load balancer with security groups): the policy of a config whose plan has none leaves it out.
   */
  readonly forPlanned?: (props: Readonly<Record<string, unknown>>) => boolean;
}

export type IamGrants = readonly IamGrant[];

/**
 * Marks the grant a handler's `list()` needs: destroy's final sweep lists every kind, also kinds this
 * config never builds, so those kinds contribute only their list grant to the policy.
 */
export const forList = (grant: IamGrant): IamGrant => ({ ...grant, list: true });

/** See IamGrant.forPlanned. */
export const forPlanned = <P>(grant: IamGrant, test: (props: P) => boolean): IamGrant => ({ ...grant, forPlanned: (props) => test(props as P) });

/** Calls AWS authorises for every principal: they need no statement (sts:GetCallerIdentity, per its API reference). */
export const NEEDS_NO_PERMISSION: ReadonlySet<string> = new Set(['sts:GetCallerIdentity']);

/** Shorthands for the common shapes. */
export const anyResource = (...actions: string[]): IamGrant => ({ actions, on: 'any' });
export const owned = (on: IamTarget, ...actions: string[]): IamGrant => ({ actions, on, when: { tag: 'resource' } });
export const created = (on: IamTarget, ...actions: string[]): IamGrant => ({ actions, on, when: { tag: 'request' } });
export const scoped = (on: IamTarget, ...actions: string[]): IamGrant => ({ actions, on });

/** EC2 checks `ec2:CreateTags` when a create call carries TagSpecifications; scoped to that create action. */
export const ec2TagOnCreate = (createAction: string): IamGrant => ({
  actions: ['ec2:CreateTags'],
  on: 'any',
  when: { key: 'ec2:CreateAction', values: [createAction] },
  checkedBy: [`ec2:${createAction}`],
});

/** ELBv2 checks `elasticloadbalancing:AddTags` when a create call carries Tags (ELB user guide, tagging during creation). */
export const elbTagOnCreate = (createAction: string): IamGrant => ({
  actions: ['elasticloadbalancing:AddTags'],
  on: 'any',
  when: { key: 'elasticloadbalancing:CreateAction', values: [createAction] },
  checkedBy: [`elasticloadbalancing:${createAction}`],
});

/** Creating the first load balancer or Auto Scaling group of a fresh account creates the service's linked role. */
export const serviceLinkedRole = (serviceName: string, checkedBy: string[]): IamGrant => ({
  actions: ['iam:CreateServiceLinkedRole'],
  on: 'iam:service-linked-role',
  when: { key: 'iam:AWSServiceName', values: [serviceName] },
  checkedBy,
});
