/**
 * vpc-mirror's questions in the init wizard (@inquirer/prompts): what to mirror and which traffic. Loaded only
 * when init can prompt.
 */
import { checkbox, confirm, input, select, Separator } from '@inquirer/prompts';
import type { MirrorSource } from '../../config/schema.js';
import { parsePorts, parseTags, portsProblem, type Defaults } from '../../init/answers.js';
import type { AsgInfo, EniInfo } from '../../init/discovery.js';
import { check } from '../../init/questions.js';

export const mirrorQuestions = {
  mirrorSources: async (asgs: AsgInfo[], enis: EniInfo[]): Promise<MirrorSource[]> => {
    const sources: MirrorSource[] = [];
    for (;;) {
      const kind = await select<'asg' | 'tags' | 'eni'>({
        message: sources.length ? 'Another source to mirror' : 'Which network interfaces should be mirrored?',
        choices: [
          { value: 'asg', name: 'The instances of an Auto Scaling group', disabled: asgs.length ? false : '(no Auto Scaling group in this VPC)' },
          { value: 'tags', name: 'The network interfaces carrying tags' },
          { value: 'eni', name: 'Network interfaces picked from a list', disabled: enis.some((e) => e.eligible) ? false : '(no eligible interface in this VPC)' },
        ],
      });
      if (kind === 'asg') {
        const name = await select<string>({
          message: 'Auto Scaling group',
          choices: asgs.map((g) => ({ value: g.name, name: `${g.name}  (${g.instances} instance${g.instances === 1 ? '' : 's'}, ${g.inService} in service, desired ${g.desired})` })),
        });
        sources.push({ autoScalingGroup: name });
      } else if (kind === 'tags') {
        const text = await input({
          message: 'Tags the interfaces carry (key=value, comma-separated; all must match)',
          required: true,
          validate: (t) => (parseTags(t) ? true : 'write key=value pairs, e.g. role=web,env=prod'),
        });
        sources.push({ tags: parseTags(text)! });
      } else {
        const ids = await checkbox<string>({
          message: 'Network interfaces to mirror',
          required: true,
          choices: [
            ...enis.filter((e) => e.eligible).map((e) => ({ value: e.id, name: eniLabel(e), short: e.id })),
            ...(enis.some((e) => !e.eligible) ? [new Separator('-- not eligible --')] : []),
            ...enis.filter((e) => !e.eligible).map((e) => ({ value: e.id, name: eniLabel(e), disabled: `(${e.reason})` })),
          ],
        });
        sources.push({ networkInterfaceIds: ids });
      }
      if (!(await confirm({ message: 'Add another source?', default: false }))) return sources;
    }
  },

  mirrorTraffic: (d: Pick<Defaults, 'mirrorIngress' | 'mirrorEgress'>) =>
    checkbox<'ingress' | 'egress'>({
      message: 'Traffic to mirror',
      required: true,
      choices: [
        { value: 'ingress', name: 'ingress (arriving at the sources)', checked: d.mirrorIngress },
        { value: 'egress', name: 'egress (leaving the sources)', checked: d.mirrorEgress },
      ],
    }).then((chosen) => ({ mirrorIngress: chosen.includes('ingress'), mirrorEgress: chosen.includes('egress') })),

  mirrorPorts: (fallback: number[]) =>
    input({
      message: 'TCP ports to mirror (comma-separated; empty mirrors all TCP traffic)',
      default: fallback.join(','),
      validate: (text) => portsProblem(text) ?? check('mirrorPorts', parsePorts)(text),
    }).then(parsePorts),
};

function eniLabel(e: EniInfo): string {
  const owner = e.instanceId ? `${e.instanceId}${e.instanceName ? ` (${e.instanceName})` : ''}${e.instanceType ? ` ${e.instanceType}` : ''}` : e.description || 'unattached';
  const note = e.eligible && e.reason ? `  [${e.reason}]` : '';
  return `${e.id}  ${e.privateIp.padEnd(15)} ${owner}${note}`;
}

