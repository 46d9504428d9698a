/**
 * web-server-mirror: the user's NGINX / Envoy / Istio / Traefik mirrors requests to an internal ALB (HTTP 8445)
 * in front of an Auto Scaling group of Wallarm nodes. Everything it needs is the node layer's.
 */
import type { Topology } from '../types.js';
import { planWebServerMirror, type WebServerMirrorInputs } from './planner.js';

export const webServerMirror: Topology<WebServerMirrorInputs> = {
  name: 'web-server-mirror',
  offlineInputs: (_loaded, node) => node,
  resolveInputs: async (_loaded, _aws, node) => node,
  plan: planWebServerMirror,
  resolutionChecks: [],
  noSourcesHint: 'A web-server-mirror deployment receives what your web servers mirror: configure the mirror in NGINX / Envoy / Istio / Traefik (wallarm-oob mirror-config).',
  init: {
    summary: 'your NGINX / Envoy / Istio / Traefik already mirrors requests; they are sent to an internal load balancer in front of the nodes',
    required: [],
    defaulted: [],
    describe: {},
    showDefault: () => ({}),
    foreign: ['mirrorSources', 'mirrorIngress', 'mirrorEgress', 'mirrorPorts'],
    ask: async () => undefined,
    configSection: () => ({}),
    nextSteps: (c) => [{ command: `wallarm-oob mirror-config nginx${c}`, why: 'after apply: the mirror block for your web server (or envoy, istio, traefik)' }],
    egress: { instances: 'The nodes' },
  },
};
