/**
 * Config of the vpc-mirror `native-node` receiver (`mirror.nativeNode`): Wallarm's Native Node in tcp-capture-v2
 * mode, installed with the all-in-one installer (docs.wallarm.com/installation/native-node/all-in-one/).
 */
import { z } from 'zod';
import { isLoopbackHost, NATIVE_NODE_INSTALLER_VERSION, nativeNodeInstallerUrl } from '../render/native-node-installer.js';
import { ARM_FAMILY, instanceType, ipv4Cidr, show, uniqueList } from './fields.js';

/** An HTTP header name (RFC 9110 token). */
const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, {
  error: (iss) => `${show(iss.input)} is not an HTTP header name; write e.g. X-Forwarded-For`,
});

const installerUrl = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', input: value, message: `${show(value)} is not a URL; write e.g. ${nativeNodeInstallerUrl()}` });
    return;
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return;
  ctx.addIssue({
    code: 'custom',
    input: value,
    message: `${show(value)} is not an https:// URL; the installer runs as root on every node, so it is only fetched over https (plain http only from a loopback address)`,
  });
});

const ProxyHeadersRuleSchema = z
  .strictObject({
    trustedNetworks: uniqueList(ipv4Cidr)
      .min(1)
      .max(50)
      .optional()
      .describe('Proxies (CIDRs) whose headers are trusted: only the network directly in front of the application. Omitted: all networks (not recommended).'),
    originalHost: uniqueList(headerName).min(1).max(10).optional().describe('Headers holding the original Host, e.g. [X-Forwarded-Host].'),
    realIp: uniqueList(headerName).min(1).max(10).optional().describe('Headers holding the real client IP, e.g. [X-Forwarded-For] (the first of several values is used).'),
  })
  .refine((r) => r.originalHost !== undefined || r.realIp !== undefined, {
    error: 'names no header; set realIp and/or originalHost, e.g. realIp: [X-Forwarded-For]',
  });

export const NativeNodeSchema = z.strictObject({
  instanceType: instanceType
    .default('t3.medium')
    .refine((t) => !ARM_FAMILY.test(t), {
      error: (iss) => `${show(iss.input)} is an Arm (Graviton) type, but the Native Node runs from the x86_64 installer on a Debian amd64 image; choose e.g. t3.medium or t3.large`,
    })
    .describe('EC2 instance type of the Native Node instances (x86_64; Wallarm sizes the node at t3.medium or t3.large).'),
  count: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(1)
    .describe('Number of Native Node instances. Keep 1: AWS does not document that an NLB sends both directions of a mirrored TCP flow to the same instance, and tcp-capture-v2 needs both.'),
  volumeSizeGiB: z.number().int().min(10).max(16384).default(30).describe('Root volume size of each Native Node instance in GiB.'),
  group: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { error: (iss) => `${show(iss.input)} is not a node group name; use letters, digits, '.', '_' and '-', e.g. shop-oob` })
    .optional()
    .describe('Wallarm Console node group (WALLARM_LABELS group=...); default the deployment name.'),
  installer: z
    .strictObject({
      url: installerUrl.optional().describe(`URL of the all-in-one installer; default ${nativeNodeInstallerUrl()} (version ${NATIVE_NODE_INSTALLER_VERSION}).`),
      sha256: z
        .string()
        .regex(/^[0-9a-fA-F]{64}$/, { error: (iss) => `${show(iss.input)} is not a SHA-256 checksum; write the 64 hex digits printed by sha256sum` })
        .optional()
        .describe('SHA-256 of the installer. Pin it like a lock file: without it, every online plan downloads the installer and uses the checksum it computes (trust on first use).'),
    })
    .optional()
    .describe('The all-in-one installer: its URL (a pinned version by default) and its SHA-256, which every instance verifies before running it.'),
  proxyHeaders: z
    .array(ProxyHeadersRuleSchema)
    .min(1)
    .max(10)
    .optional()
    .describe('Where the node finds the original client IP and host behind proxies (go-node proxy_headers; the first matching rule applies).'),
});

export type NativeNodeConfig = z.output<typeof NativeNodeSchema>;

interface MirrorReceiverFields {
  receiver: 'native-node' | 'goreplay';
  ingress: boolean;
  egress?: boolean | undefined;
  nativeNode?: unknown;
}

/** The native node rebuilds each TCP flow from both directions and parses the responses: a one-way mirror cannot work. */
export function checkReceiver(m: MirrorReceiverFields, ctx: z.RefinementCtx): void {
  const why = 'receiver native-node (tcp-capture-v2) needs both directions of every TCP flow: it reassembles each flow from its packets in and out and analyses the responses too';
  if (m.receiver === 'native-node') {
    if (!m.ingress) ctx.addIssue({ code: 'custom', path: ['ingress'], input: m.ingress, message: `is false, but ${why}; remove mirror.ingress (or set it to true)` });
    if (m.egress === false) {
      ctx.addIssue({ code: 'custom', path: ['egress'], input: m.egress, message: `is false, but ${why}; remove mirror.egress (or set it to true), or use receiver: goreplay (legacy) for requests only` });
    }
  } else if (m.nativeNode !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['nativeNode'], input: m.nativeNode, message: 'only applies to receiver native-node; remove the nativeNode section, or set mirror.receiver: native-node' });
  }
}
