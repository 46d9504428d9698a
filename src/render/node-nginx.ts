import { ConfigError } from '../errors.js';
import type { NodeLine } from '../wallarm/node-versions.js';
import { renderTextTemplate } from './template.js';

export interface NodeNginxInput {
  line: NodeLine;
  mirrorPort: number;
  mode: 'off' | 'monitoring' | 'safe_blocking' | 'block';
  /** Every address mirrored requests can come through: network.mirrorSourceCidrs and the VPC's CIDRs (the ALB). */
  realIpFrom: readonly string[];
  /** Offline plans: the VPC whose CIDR blocks are not known yet (they are added to realIpFrom online). */
  realIpPendingVpc?: string;
  /** File contents of wallarm.nginx.serverSnippet / httpSnippet, added after the tool's directives. */
  serverSnippet?: string;
  httpSnippet?: string;
}

/** Directives the user's server snippet may set itself; the tool then leaves its own line out (nginx refuses duplicates). */
const OVERRIDABLE = ['real_ip_header', 'real_ip_recursive'] as const;

/** The snippet's directives, without comments: the names of the directives it sets at its top level or below. */
function setsDirective(snippet: string, name: string): boolean {
  const code = snippet.replace(/#[^\n]*/g, '');
  return new RegExp(`(^|[;{}\\s])${name}\\s`).test(code);
}

/**
 * The NGINX configuration wallarm-oob gives a 5.0+ node through cloud-init.py's --http-snippet
 * (installation/cloud-platforms/cloud-init/): the mirror server on 8445 and the health server, then the
 * user's http snippet. The user's server snippet goes inside the mirror server, after the tool's directives;
 * when it sets real_ip_header or real_ip_recursive itself, its value wins and the tool's line is left out.
 */
export function renderNodeNginx(input: NodeNginxInput): string {
  if (input.line.config !== 'custom-snippets') throw new Error(`node ${input.line.id} is configured by its mirror preset, not by wallarm-oob's NGINX configuration`);
  const serverSnippet = input.serverSnippet?.trim() ? input.serverSnippet.replace(/\s+$/, '') : undefined;
  if (serverSnippet && /(^|[;{}\s])location\s+\/\s*\{/.test(serverSnippet.replace(/#[^\n]*/g, ''))) {
    throw new ConfigError('SNIPPET_LOCATION_CLASH', 'wallarm.nginx.serverSnippet defines `location /`, which the mirror server already defines (it answers every mirrored request).', {
      actions: ['Use a more specific location (e.g. `location /api/ { … }`), or move the directives to the server level.'],
    });
  }
  const [realIpHeader, realIpRecursive] = OVERRIDABLE.map((name) => !(serverSnippet && setsDirective(serverSnippet, name)));
  return renderTextTemplate('node-nginx.conf.eta', {
    line: input.line.id,
    mirrorPort: input.mirrorPort,
    mode: input.mode,
    realIpFrom: input.realIpFrom,
    realIpPendingVpc: input.realIpPendingVpc,
    realIpHeader,
    realIpRecursive,
    healthPort: input.line.health.port,
    healthPath: input.line.health.path,
    readiness: input.line.health.readiness,
    serverSnippet,
    httpSnippet: input.httpSnippet?.trim() ? input.httpSnippet.replace(/\s+$/, '') : undefined,
  });
}

