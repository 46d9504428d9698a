import { ConfigError } from '../errors.js';
import type { NodeLine } from '../wallarm/node-versions.js';
import { renderNodeNginx } from './node-nginx.js';
import { renderShellTemplate } from './template.js';

export interface NodeCloudInitInput {
  /** Region for the aws cli call. */
  region: string;
  /** SSM SecureString name holding the Wallarm node token. */
  tokenParameter: string;
  /** api.wallarm.com | us1.api.wallarm.com | custom */
  apiHost: string;
  mode: 'off' | 'monitoring' | 'safe_blocking' | 'block';
  libdetection: boolean;
  /** File contents, not paths. */
  nginx: { globalSnippet?: string; httpSnippet?: string; serverSnippet?: string };
  /** File contents, run at the end. */
  postScript?: string;
  /** The node line being deployed (src/wallarm/node-versions.ts): cloud-init.py path, preset, health check. */
  line: NodeLine;
  /** Wallarm node group (WALLARM_LABELS='group=…'), applied with an API token. */
  nodeGroup?: string;
  /** 5.0+: addresses the mirrored requests come through (set_real_ip_from). */
  realIpFrom: readonly string[];
  /** Offline: the VPC whose CIDR blocks will join realIpFrom. */
  realIpPendingVpc?: string;
  /** 5.0+: port of the mirror server. */
  mirrorPort: number;
}

/** EC2 user data limit, counted before base64 encoding. */
export const USER_DATA_LIMIT_BYTES = 16384;

const SNIPPETS = [
  { kind: 'global', key: 'globalSnippet' },
  { kind: 'http', key: 'httpSnippet' },
  { kind: 'server', key: 'serverSnippet' },
] as const;

const present = (text: string | undefined): text is string => text !== undefined && text.trim() !== '';

/** Renders the node's user data script and checks it fits in EC2 user data. */
export function renderNodeCloudInit(input: NodeCloudInitInput): string {
  const { line } = input;
  // 4.x: the mirror preset sets up the server; 5.0+ (no mirror preset): -p custom with the tool's NGINX configuration.
  const preset = line.config === 'mirror-preset' ? 'mirror' : 'custom';
  if (!line.presets.includes(preset)) throw new Error(`cloud-init.py of node ${line.id} has no preset ${preset}`);
  const nginx: NodeCloudInitInput['nginx'] =
    line.config === 'mirror-preset'
      ? input.nginx
      : {
          globalSnippet: input.nginx.globalSnippet,
          httpSnippet: renderNodeNginx({
            line,
            mirrorPort: input.mirrorPort,
            mode: input.mode,
            realIpFrom: input.realIpFrom,
            realIpPendingVpc: input.realIpPendingVpc,
            serverSnippet: input.nginx.serverSnippet,
            httpSnippet: input.nginx.httpSnippet,
          }),
        };
  const snippets = SNIPPETS.flatMap(({ kind, key }) => {
    const content = nginx[key];
    return present(content) ? [{ kind, content }] : [];
  });
  const postScript = present(input.postScript) ? input.postScript : undefined;
  const script = renderShellTemplate('node-cloud-init.sh.eta', {
    ...input,
    snippets,
    postScript,
    preset,
    lineId: line.id,
    cloudInitPath: line.cloudInitPath,
    labels: input.nodeGroup === undefined ? undefined : `group=${input.nodeGroup}`,
  });

  assertUserDataSize('node cloud-init', script, {
    'nginx.globalSnippet': input.nginx.globalSnippet,
    'nginx.httpSnippet': input.nginx.httpSnippet,
    'nginx.serverSnippet': input.nginx.serverSnippet,
    postScript,
  });
  return script;
}

/**
 * Throws when `script` exceeds USER_DATA_LIMIT_BYTES. `parts` (the user-supplied pieces rendered into it) lets
 * the message name what to shorten, largest first.
 */
export function assertUserDataSize(name: string, script: string, parts: Record<string, string | undefined> = {}): void {
  const size = Buffer.byteLength(script, 'utf8');
  if (size <= USER_DATA_LIMIT_BYTES) return;

  const over = size - USER_DATA_LIMIT_BYTES;
  const largest = Object.entries(parts)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([part, text]) => ({ part, bytes: Buffer.byteLength(text, 'utf8') }))
    .sort((a, b) => b.bytes - a.bytes);
  const breakdown = largest.map(({ part, bytes }) => `${part} (${bytes} bytes)`).join(', ');

  throw new ConfigError(
    'USER_DATA_TOO_LARGE',
    `The ${name} user data is ${size} bytes, ${over} over the EC2 limit of ${USER_DATA_LIMIT_BYTES} bytes.` +
      (breakdown ? ` Largest inputs: ${breakdown}.` : ''),
    {
      actions: [
        largest[0]
          ? `Shorten ${largest[0].part} by at least ${over} bytes, or move its logic into a file the post script downloads (e.g. from S3).`
          : `Reduce the inputs rendered into the ${name} script by at least ${over} bytes.`,
      ],
    },
  );
}
