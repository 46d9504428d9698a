import type { Graph } from '../../engine/types.js';
import { nodeLayer, nodeLayerOutputs } from '../common/node-layer.js';
import type { WebServerMirrorConfig } from '../../config/schema.js';
import type { NodeInputs } from '../types.js';

export type WebServerMirrorInputs = NodeInputs<WebServerMirrorConfig>;

/** Web-server mirror: an internal ALB on 8445 in front of an Auto Scaling group of Wallarm nodes. */
export function planWebServerMirror(inputs: WebServerMirrorInputs): Graph {
  return { nodes: nodeLayer(inputs), outputs: nodeLayerOutputs() };
}
