/**
 * Reusable field schemas for the config file: AWS ids, IPv4 CIDRs, ports, unique lists, tags.
 * Each one fails with a message that says what is wrong and how to write it instead; the key path and
 * the line are added by format-issues.ts.
 */
import { z } from 'zod';

/** A short, quoted rendering of a user value for messages. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `vpc-`, `subnet-`, `eni-`, `ami-` ids: the prefix and 8 (old style) or 17 lowercase hex digits. */
export function awsId(prefix: string, what: string, example: string) {
  const pattern = new RegExp(`^${prefix}-(?:[0-9a-f]{8}|[0-9a-f]{17})$`);
  return z.string().regex(pattern, {
    error: (iss) =>
      `${show(iss.input)} is not a ${what} id; write "${prefix}-" followed by 8 or 17 lowercase hex digits, e.g. ${example}`,
  });
}

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4Problem(text: string): string | undefined {
  const m = DOTTED.exec(text);
  if (!m) return 'is not an IPv4 address';
  const octets = m.slice(1, 5);
  const bad = octets.find((o) => Number(o) > 255 || (o.length > 1 && o.startsWith('0')));
  if (bad !== undefined) return `has an invalid octet ${bad} (each part must be 0-255, without leading zeros)`;
  return undefined;
}

const toInt = (ip: string) => ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
const toDotted = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** Why `text` is not an IPv4 network in CIDR notation AWS keeps as written, or undefined when it is. */
export function cidrProblem(text: string): string | undefined {
  if (text.includes(':')) return `${show(text)} is IPv6, which is not supported; use IPv4 ranges such as 10.0.0.0/8`;
  const [ip = '', prefix, ...rest] = text.split('/');
  if (prefix === undefined || rest.length > 0) {
    return ipv4Problem(ip) === undefined
      ? `${show(text)} has no prefix length; write ${ip}/32 for a single address, or a range such as 10.0.0.0/8`
      : `${show(text)} is not an IPv4 CIDR; write a.b.c.d/n, e.g. 10.0.0.0/8`;
  }
  const ipError = ipv4Problem(ip);
  if (ipError) return `${show(text)} ${ipError}; write a.b.c.d/n, e.g. 10.0.0.0/8`;
  if (!/^\d{1,2}$/.test(prefix) || Number(prefix) > 32) {
    return `${show(text)} has an invalid prefix length /${prefix}; use /0 to /32`;
  }
  const size = 2 ** (32 - Number(prefix));
  const network = Math.floor(toInt(ip) / size) * size;
  if (network !== toInt(ip)) {
    const fixed = `${toDotted(network)}/${prefix}`;
    return `${show(text)} has host bits set (AWS would store it as ${fixed} and every plan would show a change); write ${fixed}, or ${ip}/32 for the single address`;
  }
  return undefined;
}

export const ipv4Cidr = z.string().superRefine((value, ctx) => {
  const problem = cidrProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
});

export const ipv4Address = z.string().superRefine((value, ctx) => {
  const problem = ipv4Problem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `${show(value)} ${problem}; write a.b.c.d, e.g. 203.0.113.10`, input: value });
});

export const port = z.number().int().min(1).max(65535);

/** A list whose entries must be unique: each repeat is reported at its own index. */
export function uniqueList<T extends z.ZodType>(item: T) {
  return z.array(item).superRefine((list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((entry, index) => {
      const key = JSON.stringify(entry);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, index);
      else {
        ctx.addIssue({
          code: 'custom',
          path: [index],
          input: entry,
          message: `${show(entry)} is listed twice (also at index ${first}); remove the repeat`,
        });
      }
    });
  });
}

/** AWS's tag character set (Auto Scaling and ELB enforce it; EC2 is laxer). */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const RESERVED_KEYS = ['managed-by'];
const RESERVED_PREFIXES = ['aws:', 'wallarm-oob:'];
export const MAX_USER_TAGS = 40;

function tagKeyProblem(key: string): string | undefined {
  if (key.length < 1 || key.length > 128) return `tag key ${show(key)} must be 1 to 128 characters long; shorten it`;
  const prefix = RESERVED_PREFIXES.find((p) => key.toLowerCase().startsWith(p));
  if (prefix) return `tag key ${show(key)} uses the reserved prefix "${prefix}"; choose a key without it`;
  if (RESERVED_KEYS.includes(key)) return `tag key ${show(key)} is set by wallarm-oob itself; choose another key`;
  if (!TAG_CHARS.test(key)) return `tag key ${show(key)} has characters AWS refuses; use letters, digits, spaces and _ . : / = + - @`;
  return undefined;
}

/** User tags: keys 1..128, values 0..256 characters, reserved keys and prefixes refused, at most 40. */
export const userTags = z.record(z.string(), z.string()).superRefine((tags, ctx) => {
  const keys = Object.keys(tags);
  if (keys.length > MAX_USER_TAGS) {
    ctx.addIssue({
      code: 'custom',
      input: tags,
      message: `has ${keys.length} tags, more than ${MAX_USER_TAGS} (AWS allows 50 per resource and wallarm-oob adds its own); remove ${keys.length - MAX_USER_TAGS}`,
    });
  }
  for (const key of keys) {
    const value = tags[key] ?? '';
    const problem =
      tagKeyProblem(key) ??
      (value.length > 256 ? `tag value is ${value.length} characters long, more than 256; shorten it` : undefined) ??
      (TAG_CHARS.test(value) ? undefined : `tag value ${show(value)} has characters AWS refuses; use letters, digits, spaces and _ . : / = + - @`);
    if (problem) ctx.addIssue({ code: 'custom', path: [key], input: value, message: problem });
  }
});

export const instanceType = z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/, {
  error: (iss) => `${show(iss.input)} is not an EC2 instance type; write family.size, e.g. t3.medium`,
});
/** Arm (Graviton) families: the Wallarm node AMIs the resolver looks up are x86_64 only. */
export const ARM_FAMILY = /^(a1|[a-z]+\d+[a-z-]*g[a-z-]*)\./;

