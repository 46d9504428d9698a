/**
 * The Wallarm NGINX node lines wallarm-oob can deploy, as data: everything that differs between node versions
 * (support window, where cloud-init.py lives and what it accepts, how the node is configured for mirrored
 * traffic, what the load balancer health check asks, which AMIs belong to the line) is read from here.
 *
 * Sources (docs.wallarm.com):
 * - updating-migrating/versioning-policy/: release and end-of-support months; "support for version minus two
 *   ends 3 months after a new major version" (so 5.x ended 3 months after 7.x came out in July 2026).
 * - updating-migrating/node-artifact-versions/: AMI 7.1.0 released 2026-07-21 (readiness endpoints, wd).
 * - installation/cloud-platforms/cloud-init/ (latest, 6.x, 5.0): `-p {proxy,custom}`; 4.x also had `mirror`.
 * - admin-en/nginx-node-metrics/ (7.x): wd serves `/ready` on 127.0.0.1:9446 and metrics on 9445;
 *   6.x has no wd: statistics at 127.0.0.8/wallarm-status, postanalytics (wstore) metrics on 127.0.0.1:9001.
 */

/** How cloud-init.py is asked to configure the node. */
export type NodeConfigStyle =
  /** Node 4.x: the `mirror` preset of cloud-init.py writes the mirrored-traffic server and its health check. */
  | 'mirror-preset'
  /** Node 5.0+: `-p custom`, with wallarm-oob's own NGINX configuration passed as a snippet. */
  | 'custom-snippets';

/** What `/ready` on the tool's health server asks on the node (5.0+), see docs/decisions/0005-node-health-check.md. */
export type Readiness =
  /** 4.x: the preset's own health check server. */
  | 'preset'
  /** 5.x/6.x: NGINX's Wallarm statistics answer and postanalytics (wstore) answers its metrics. */
  | 'wallarm-status'
  /** 7.x: wd's readiness endpoint (200 only once the node finished initialising). */
  | 'wd-ready';

export interface NodeLine {
  /** How users write the line: "4.8", "4.10", "5.x", "6.x", "7.x". */
  id: string;
  major: number;
  /** 4.x lines are single minors. */
  minor?: number;
  /** Month of the first release, YYYY-MM. */
  released: string;
  /** Last month of support, YYYY-MM; undefined while Wallarm has not announced an end. */
  supportedUntil?: string;
  /** Where the end of support comes from (shown with the warning). */
  supportSource: string;
  cloudInitPath: string;
  /** cloud-init.py's documented `-p/--preset` choices on this line. */
  presets: readonly string[];
  config: NodeConfigStyle;
  health: { port: number; path: string; readiness: Readiness };
  /** AMI name prefix of the line (account 679593333241); the version follows as <minor>-[<patch>-]<date>-<time>. */
  amiPrefix: string;
}

const CLOUD_INIT_AIO = '/opt/wallarm/usr/share/wallarm-common/cloud-init.py';
const VERSIONING_POLICY = 'docs.wallarm.com/updating-migrating/versioning-policy/';
/** wallarm-oob's health server on 5.0+ nodes (9445 belongs to wd's metrics on 7.x). */
export const TOOL_HEALTH = { port: 8446, path: '/ready' } as const;
const PRESET_HEALTH = { port: 9445, path: '/-/healthcheck', readiness: 'preset' } as const;

/** Oldest first. The newest line is the default. */
export const NODE_LINES: readonly NodeLine[] = [
  {
    id: '4.8',
    major: 4,
    minor: 8,
    released: '2023-10',
    supportedUntil: '2024-11',
    supportSource: VERSIONING_POLICY,
    cloudInitPath: '/usr/share/wallarm-common/cloud-init.py',
    presets: ['proxy', 'mirror', 'custom'],
    config: 'mirror-preset',
    health: PRESET_HEALTH,
    amiPrefix: 'wallarm-node-4-8-',
  },
  {
    id: '4.10',
    major: 4,
    minor: 10,
    released: '2024-01',
    supportedUntil: '2025-07',
    supportSource: VERSIONING_POLICY,
    cloudInitPath: CLOUD_INIT_AIO,
    presets: ['proxy', 'mirror', 'custom'],
    config: 'mirror-preset',
    health: PRESET_HEALTH,
    amiPrefix: 'wallarm-node-4-10-',
  },
  {
    id: '5.x',
    major: 5,
    released: '2024-07',
    // The policy's table leaves it blank; its rule (3 months after 7.x, released 2026-07) gives 2026-10.
    supportedUntil: '2026-10',
    supportSource: `${VERSIONING_POLICY} (3 months after 7.x, released July 2026)`,
    cloudInitPath: CLOUD_INIT_AIO,
    presets: ['proxy', 'custom'],
    config: 'custom-snippets',
    health: { ...TOOL_HEALTH, readiness: 'wallarm-status' },
    amiPrefix: 'wallarm-node-5-',
  },
  {
    id: '6.x',
    major: 6,
    released: '2025-03',
    supportSource: VERSIONING_POLICY,
    cloudInitPath: CLOUD_INIT_AIO,
    presets: ['proxy', 'custom'],
    config: 'custom-snippets',
    health: { ...TOOL_HEALTH, readiness: 'wallarm-status' },
    amiPrefix: 'wallarm-node-6-',
  },
  {
    id: '7.x',
    major: 7,
    released: '2026-07',
    supportSource: VERSIONING_POLICY,
    cloudInitPath: CLOUD_INIT_AIO,
    presets: ['proxy', 'custom'],
    config: 'custom-snippets',
    health: { ...TOOL_HEALTH, readiness: 'wd-ready' },
    amiPrefix: 'wallarm-node-7-',
  },
];

export const NEWEST_LINE = NODE_LINES[NODE_LINES.length - 1]!;
/** `wallarm.nodeVersion` when the config does not set it: the newest supported line. */
export const DEFAULT_NODE_VERSION = NEWEST_LINE.id;

/** What `wallarm.nodeVersion` asks for. */
export type NodeVersionRequest =
  | { kind: 'latest' }
  | { kind: 'line'; line: NodeLine }
  | { kind: 'minor'; line: NodeLine; minor: number };

/** The values `wallarm.nodeVersion` accepts, for error messages. */
export function acceptedNodeVersions(): string {
  const lines = [...NODE_LINES].reverse().map((l) => (l.minor === undefined ? `"${l.id}", "${l.major}.<minor>"` : `"${l.id}"`));
  return `${lines.join(', ')} or "latest" (e.g. "${NEWEST_LINE.major}.1")`;
}

/** Parses `wallarm.nodeVersion`; undefined when it names no line wallarm-oob supports. */
export function parseNodeVersion(text: string): NodeVersionRequest | undefined {
  if (text === 'latest') return { kind: 'latest' };
  const wildcard = /^(\d+)\.x$/.exec(text);
  if (wildcard) {
    const line = NODE_LINES.find((l) => l.major === Number(wildcard[1]) && l.minor === undefined);
    return line && { kind: 'line', line };
  }
  const exact = /^(\d+)\.(\d+)$/.exec(text);
  if (!exact) return undefined;
  const [major, minor] = [Number(exact[1]), Number(exact[2])];
  const fixed = NODE_LINES.find((l) => l.major === major && l.minor === minor);
  if (fixed) return { kind: 'line', line: fixed };
  const line = NODE_LINES.find((l) => l.major === major && l.minor === undefined);
  return line && { kind: 'minor', line, minor };
}

/** The line a parsed request deploys when no AMI says otherwise (`latest`: the newest supported line). */
export function requestedLine(request: NodeVersionRequest, now: Date): NodeLine {
  return request.kind === 'latest' ? supportedLines(now)[0] ?? NEWEST_LINE : request.line;
}

/** Lines still supported at `now`, newest first. */
export function supportedLines(now: Date): NodeLine[] {
  return [...NODE_LINES].reverse().filter((l) => !isPastSupport(l, now));
}

/** Whether `now` is after the last day of the line's last month of support. */
export function isPastSupport(line: NodeLine, now: Date): boolean {
  if (!line.supportedUntil) return false;
  const [year, month] = line.supportedUntil.split('-').map(Number) as [number, number];
  return now.getTime() >= Date.UTC(year, month, 1); // month is 1-based: this is the 1st of the month after
}

/** "November 2024" */
export function monthName(yyyyMm: string): string {
  const [year, month] = yyyyMm.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1, 1)).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** The warning for a line past its end of support, or undefined. */
export function supportWarning(line: NodeLine, now: Date): string | undefined {
  if (!isPastSupport(line, now) || !line.supportedUntil) return undefined;
  const supported = supportedLines(now).map((l) => `"${l.id}"`).join(', ');
  return (
    `Wallarm node ${line.id} reached its end of support in ${monthName(line.supportedUntil)} (${line.supportSource}): ` +
    `it gets no fixes or detection updates. Move to a supported line (${supported}) by setting wallarm.nodeVersion.`
  );
}

/** AMI name filter for a request: `wallarm-node-7-*`, `wallarm-node-7-1-*`, `wallarm-node-4-10-*`. */
export function amiNamePattern(line: NodeLine, minor?: number): string {
  return minor === undefined ? `${line.amiPrefix}*` : `${line.amiPrefix}${minor}-*`;
}

export interface AmiVersion {
  major: number;
  minor: number;
  patch?: number;
  /** YYYYMMDDhhmmss from the name, for ordering builds of one version. */
  build: string;
}

/** Reads the version out of a Wallarm node AMI name: wallarm-node-7-1-0-20260722-105251 or wallarm-node-4-8-20240601-120000. */
export function parseAmiName(name: string): AmiVersion | undefined {
  const m = /^wallarm-node-(\d+)-(\d+)(?:-(\d{1,4}))?-(\d{8})-(\d{6})$/.exec(name);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), ...(m[3] !== undefined && { patch: Number(m[3]) }), build: `${m[4]}${m[5]}` };
}

/** "7.1.0" / "4.8" */
export function formatAmiVersion(v: AmiVersion): string {
  return `${v.major}.${v.minor}${v.patch === undefined ? '' : `.${v.patch}`}`;
}

/** Newest first: by minor, patch, then build date. */
export function compareAmiVersions(a: AmiVersion, b: AmiVersion): number {
  return b.major - a.major || b.minor - a.minor || (b.patch ?? -1) - (a.patch ?? -1) || b.build.localeCompare(a.build);
}

/** The line an AMI version belongs to. */
export function lineOfVersion(v: Pick<AmiVersion, 'major' | 'minor'>): NodeLine | undefined {
  return NODE_LINES.find((l) => l.major === v.major && (l.minor === undefined || l.minor === v.minor));
}

/** The line with this id ("7.x", "4.8"); throws for an unknown id (a programming error). */
export function nodeLine(id: string): NodeLine {
  const line = NODE_LINES.find((l) => l.id === id);
  if (!line) throw new Error(`no Wallarm node line ${id}`);
  return line;
}
