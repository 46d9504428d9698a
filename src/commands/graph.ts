import { Flags } from '@oclif/core';
import { BaseCommand } from '../ui/base-command.js';
import { configFlag } from '../ui/flags.js';
import type { GraphEdge, GraphNode } from '../ui/plan-graph.js';

export default class Graph extends BaseCommand {
  static override summary = 'Print the resource graph of the plan (Graphviz dot or Mermaid): each resource with its kind and planned action, edges from the references between them.';
  static override description = 'Edges point from a resource to the resources that use it, labelled with the outputs they reference (a dashed edge is an ordering-only dependency). Like `plan`, it reads the account unless --offline.';
  static override examples = [
    '<%= config.bin %> graph --offline | dot -Tsvg > graph.svg',
    '<%= config.bin %> graph --format mermaid',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    config: configFlag,
    format: Flags.string({ description: 'Output format.', options: ['dot', 'mermaid'], default: 'dot' }),
    offline: Flags.boolean({ description: 'Graph the plan against an empty state without calling AWS.', default: false }),
  };

  async run(): Promise<{ deployment: string; nodes: GraphNode[]; edges: GraphEdge[] }> {
    const { flags } = await this.parse(Graph);
    const { loadConfig } = await import('../config/load.js');
    const { planOffline, planOnline } = await import('../core/planning.js');
    const loaded = await loadConfig(flags.config);
    let plan;
    if (flags.offline) {
      plan = planOffline(loaded, flags.region).plan;
    } else {
      const { Deployment } = await import('../core/deployment.js');
      plan = (await planOnline(new Deployment(loaded, flags))).plan;
    }
    const { formatGraph, planGraphOf } = await import('../ui/plan-graph.js');
    if (!this.jsonEnabled()) this.log(formatGraph(plan, flags.format as 'dot' | 'mermaid'));
    return { deployment: plan.deployment, ...planGraphOf(plan) };
  }
}
