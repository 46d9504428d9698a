/**
 * web-server-mirror: the user's NGINX / Envoy / Istio / Traefik mirrors requests to an internal ALB (HTTP 8445)
 * in front of an Auto Scaling group of Wallarm nodes. Everything it needs is the node layer's.
 */
import type { LoadedConfig } from '../../config/load.js';
import type { WebServerMirrorConfig } from '../../config/schema.js';
import { offlineNodeInputs, resolveNodeInputs } from '../common/node-inputs.js';
import { NODE_LAYER_KINDS } from '../common/node-layer.js';
import type { Topology } from '../types.js';
import { planWebServerMirror, type WebServerMirrorInputs } from './planner.js';

/** The table dispatches on config.topology, so a config reaching this module is a web-server-mirror one. */
function narrow(loaded: LoadedConfig): LoadedConfig & { config: WebServerMirrorConfig } {
  if (loaded.config.topology !== 'web-server-mirror') throw new Error(`web-server-mirror topology called with a ${loaded.config.topology} config`);
  return loaded as LoadedConfig & { config: WebServerMirrorConfig };
}

export const webServerMirror: Topology<WebServerMirrorInputs> = {
  name: 'web-server-mirror',
  offlineInputs: (loaded, regionHint) => offlineNodeInputs(narrow(loaded), regionHint, { nodeFleet: true }),
  resolveInputs: (loaded, aws) => resolveNodeInputs(narrow(loaded), aws, { nodeFleet: true }),
  plan: planWebServerMirror,
  kinds: NODE_LAYER_KINDS,
  resolutionChecks: [],
  outputsHint: 'Next: print a ready-to-paste mirror configuration with `wallarm-oob mirror-config nginx` (or envoy, istio, traefik).',
  noSourcesHint: 'A web-server-mirror deployment receives what your web servers mirror: configure the mirror in NGINX / Envoy / Istio / Traefik (wallarm-oob mirror-config).',
  init: {
    summary: 'your NGINX / Envoy / Istio / Traefik already mirrors requests; they are sent to an internal load balancer in front of the nodes',
    required: [],
    defaulted: [],
    describe: {},
    showDefault: () => ({}),
    foreign: ['mirrorSources', 'mirrorIngress', 'mirrorEgress', 'mirrorPorts'],
    ask: () => Promise.resolve(),
    configSection: () => ({}),
    nextSteps: (c) => [{ command: `wallarm-oob mirror-config nginx${c}`, why: 'after apply: the mirror block for your web server (or envoy, istio, traefik)' }],
    egress: { instances: 'The nodes' },
  },
};
