import type { Graph, Outputs } from './types.js';

/** The deployment's outputs from its resources' outputs; missing ones are left out. */
export function deploymentOutputs(graph: Pick<Graph, 'outputs'>, resourceOutputs: (id: string) => Outputs | undefined): Outputs {
  const result: Outputs = {};
  for (const [name, spec] of Object.entries(graph.outputs)) {
    const value = resourceOutputs(spec.from.$ref)?.[spec.from.attr];
    if (value === undefined) continue;
    result[name] = spec.format ? spec.format.replace('{}', String(value)) : value;
  }
  return result;
}
