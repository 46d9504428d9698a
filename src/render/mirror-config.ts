import { renderTextTemplate } from './template.js';

export type MirrorServer = 'nginx' | 'envoy' | 'istio' | 'traefik';

export const MIRROR_SERVERS: readonly MirrorServer[] = ['nginx', 'envoy', 'istio', 'traefik'];

export interface MirrorEndpoint {
  /** The internal ALB DNS name (or an IPv4 address). */
  host: string;
  port: number;
}

// DNS name or IPv4 only: the templates interpolate it unquoted into nginx and YAML, so nothing else may pass.
const HOST = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** The web-server mirror configuration for `server`, filled with the live endpoint, ready to paste. */
export function renderMirrorConfig(server: MirrorServer, endpoint: MirrorEndpoint): string {
  if (!MIRROR_SERVERS.includes(server)) throw new TypeError(`unknown mirror server '${String(server)}'`);
  if (!HOST.test(endpoint.host)) throw new TypeError(`mirror endpoint host '${endpoint.host}' is not a DNS name or IPv4 address`);
  if (!Number.isInteger(endpoint.port) || endpoint.port < 1 || endpoint.port > 65535) {
    throw new TypeError(`mirror endpoint port ${endpoint.port} is not a TCP port`);
  }
  return renderTextTemplate(`mirror/${server}.eta`, { host: endpoint.host, port: endpoint.port });
}
