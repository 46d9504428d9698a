/** vpc-mirror's part of `init`: what to mirror (checked against the VPC) and which traffic. */
import type { Answers } from '../../init/answers.js';
import { tlsPortsWarning } from '../../init/classify.js';
import type { AsgInfo, EniInfo } from '../../init/discovery.js';
import type { TopologyInit } from '../types.js';

export const vpcMirrorInit: TopologyInit = {
  summary: "AWS VPC Traffic Mirroring copies packets from network interfaces to Wallarm's Native Node, which rebuilds each TCP flow and analyses requests and responses",
  required: ['mirrorSources'],
  defaulted: ['mirrorIngress', 'mirrorEgress', 'mirrorPorts'],
  describe: { mirrorSources: 'what to mirror: an Auto Scaling group, interface ids, or key=value tags' },
  showDefault: (d) => ({ mirrorIngress: String(d.mirrorIngress), mirrorEgress: String(d.mirrorEgress), mirrorPorts: 'all TCP ports' }),
  foreign: [],

  async ask(a, ctx) {
    const discovery = await import('../../init/discovery.js');
    const questions = ctx.canAsk(false) || ctx.canAsk(true) ? (await import('./questions.js')).mirrorQuestions : undefined;
    const given = a.mirrorSources;
    const needAsgs = given ? given.some((s) => 'autoScalingGroup' in s) : true;
    const needEnis = given ? given.some((s) => 'networkInterfaceIds' in s) : true;
    const [asgs, enis] = await ctx.spin('Reading Auto Scaling groups and network interfaces', () =>
      Promise.all([
        needAsgs ? discovery.listAutoScalingGroups(ctx.aws, ctx.subnets.map((s) => s.id)) : Promise.resolve([] as AsgInfo[]),
        needEnis ? discovery.listNetworkInterfaces(ctx.aws, a.vpcId!) : Promise.resolve([] as EniInfo[]),
      ]),
    );
    if (given) {
      for (const source of given) {
        if ('autoScalingGroup' in source && !asgs.some((g) => g.name === source.autoScalingGroup)) {
          throw ctx.fail('mirrorSources', `--mirror-asg ${source.autoScalingGroup}: no Auto Scaling group of that name has subnets in ${a.vpcId}.`, [
            asgs.length ? `Auto Scaling groups in ${a.vpcId}: ${asgs.map((g) => g.name).join(', ')}` : `No Auto Scaling group has subnets in ${a.vpcId}.`,
          ]);
        }
        if ('networkInterfaceIds' in source) {
          for (const id of source.networkInterfaceIds) {
            const eni = enis.find((e) => e.id === id);
            if (!eni) throw ctx.fail('mirrorSources', `--mirror-eni ${id}: no such network interface in ${a.vpcId}.`);
            if (!eni.eligible) throw ctx.fail('mirrorSources', `--mirror-eni ${id}: cannot be a traffic mirror source: ${eni.reason}.`);
          }
        }
      }
    } else {
      a.mirrorSources = await questions!.mirrorSources(asgs, enis);
    }
    const d = ctx.defaults;
    if (a.mirrorIngress === undefined && a.mirrorEgress === undefined && ctx.canAsk(true)) Object.assign(a, await questions!.mirrorTraffic(d));
    a.mirrorIngress ??= d.mirrorIngress;
    a.mirrorEgress ??= d.mirrorEgress;
    if (a.mirrorPorts === undefined) a.mirrorPorts = ctx.canAsk(true) ? await questions!.mirrorPorts(d.mirrorPorts) : d.mirrorPorts;
  },

  configSection: (a: Answers) => ({ mirror: { sources: a.mirrorSources, ingress: a.mirrorIngress, egress: a.mirrorEgress, ports: a.mirrorPorts } }),

  warnings(a) {
    const tls = tlsPortsWarning(a.mirrorPorts ?? []);
    return tls ? [`mirror.ports: ${tls}`] : [];
  },

  egress: { instances: 'The nodes and rebuilders', alsoReaches: 'download the rebuilder build' },
};
