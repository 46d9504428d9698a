/**
 * Reading a Lambda function's resource-based policy (GetPolicy's `Policy`, a JSON document): whether it lets
 * EventBridge invoke the function for one rule, as AddPermission writes it (Principal events.amazonaws.com,
 * Action lambda:InvokeFunction, Condition ArnLike AWS:SourceArn = the rule's ARN). Lambda developer guide,
 * "Working with resource-based IAM policies in Lambda".
 */
export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Principal?: string | { Service?: string | string[]; AWS?: string | string[] };
  Action?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export const EVENTS_PRINCIPAL = 'events.amazonaws.com';

/** The statements of a policy document; an unreadable document has none (the permission then shows as missing). */
export function statementsOf(policy: string | undefined): PolicyStatement[] {
  if (!policy) return [];
  try {
    const doc = JSON.parse(policy) as { Statement?: PolicyStatement | PolicyStatement[] };
    return [doc.Statement ?? []].flat().filter((s): s is PolicyStatement => typeof s === 'object' && s !== null);
  } catch {
    return [];
  }
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : [v].flat());

/** Condition operators that pin aws:SourceArn to one value when it holds no wildcard. */
const SOURCE_OPERATORS = new Set(['arnlike', 'arnequals', 'stringequals', 'stringlike']);

function sourceArns(statement: PolicyStatement): string[] {
  const out: string[] = [];
  for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
    if (!SOURCE_OPERATORS.has(operator.toLowerCase())) continue;
    // Condition keys are case-insensitive (IAM JSON policy reference); Lambda writes AWS:SourceArn.
    for (const [key, value] of Object.entries(keys)) if (key.toLowerCase() === 'aws:sourcearn') out.push(...list(value));
  }
  return out;
}

/** Whether a statement allows EventBridge to invoke the function for events of `ruleArn`. */
export function allowsRule(statements: readonly PolicyStatement[], ruleArn: string): boolean {
  return statements.some((s) => {
    if (s.Effect !== 'Allow') return false;
    const principals = typeof s.Principal === 'string' ? [s.Principal] : list(s.Principal?.Service);
    if (!principals.includes(EVENTS_PRINCIPAL)) return false;
    if (!list(s.Action).some((a) => a === 'lambda:InvokeFunction' || a === 'lambda:*' || a === '*')) return false;
    return sourceArns(s).includes(ruleArn);
  });
}
