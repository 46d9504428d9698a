import type { CheckResult } from '../core/validate.js';
import { amiNamePattern, parseNodeVersion, requestedLine, supportWarning } from './node-versions.js';

/** `validate`'s line about wallarm.nodeVersion: which line it deploys, and a warning past its end of support. */
export function nodeVersionCheck(nodeVersion: string, amiId: string | undefined, now: Date): CheckResult {
  const title = 'Wallarm node version supported';
  const request = parseNodeVersion(nodeVersion);
  if (!request) return { id: 'node-version', title, status: 'failed', detail: `wallarm.nodeVersion ${nodeVersion} is not a known line` };
  const line = requestedLine(request, now);
  const warning = supportWarning(line, now);
  if (warning) return { id: 'node-version', title, status: 'warning', code: 'NODE_VERSION_UNSUPPORTED', detail: warning };
  const what = amiId ? `AMI ${amiId} (nodes.amiId)` : `newest AMI named ${amiNamePattern(line, request.kind === 'minor' ? request.minor : undefined)}`;
  return { id: 'node-version', title, status: 'ok', detail: `"${nodeVersion}": node ${line.id}, ${what}` };
}
