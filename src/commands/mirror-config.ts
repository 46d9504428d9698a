import { Args, Flags } from '@oclif/core';
import { StateError } from '../errors.js';
import { MIRROR_SERVERS, renderMirrorConfig, type MirrorServer } from '../render/mirror-config.js';
import { BaseCommand } from '../ui/base-command.js';
import { configFlag } from '../ui/flags.js';
import { MIRROR_PORT } from '../topologies/common/node-layer.js';

export interface MirrorConfigResult {
  server: MirrorServer;
  endpoint: { host: string; port: number };
  /** The configuration text, as printed without --json. */
  config: string;
}

export default class MirrorConfig extends BaseCommand {
  static override summary = 'Print the web-server configuration that mirrors traffic to the deployment, ready to paste.';
  static override description = 'Fills the NGINX, Envoy, Istio or Traefik mirroring configuration with the live mirror endpoint (the internal ALB).';
  static override examples = ['<%= config.bin %> mirror-config nginx', '<%= config.bin %> mirror-config istio --endpoint internal-x.eu-west-1.elb.amazonaws.com'];
  static override enableJsonFlag = true;
  static override args = {
    server: Args.string({ description: 'The web server that mirrors the traffic.', required: true, options: [...MIRROR_SERVERS] }),
  };
  static override flags = {
    config: configFlag,
    endpoint: Flags.string({ description: 'Use this endpoint host (or host:port) instead of reading the live deployment.' }),
  };

  async run(): Promise<MirrorConfigResult> {
    const { args, flags } = await this.parse(MirrorConfig);
    const endpoint = flags.endpoint ? parseEndpoint(flags.endpoint) : await this.liveEndpoint(flags);
    const config = renderMirrorConfig(args.server as MirrorServer, endpoint);
    this.log(config);
    return { server: args.server as MirrorServer, endpoint, config };
  }

  private async liveEndpoint(flags: { config: string; profile?: string; region?: string }) {
    const { loadConfig } = await import('../config/load.js');
    const { Deployment } = await import('../core/deployment.js');
    const deployment = new Deployment(await loadConfig(flags.config), flags);
    const url = (await deployment.store.load())?.outputs.mirrorEndpoint;
    if (typeof url !== 'string') {
      throw new StateError('NOT_DEPLOYED', `Deployment "${deployment.name}" has no mirror endpoint yet.`, {
        actions: ['Run `wallarm-oob apply` first, or pass --endpoint HOST.'],
      });
    }
    return parseEndpoint(new URL(url).host);
  }
}

function parseEndpoint(text: string): { host: string; port: number } {
  const [host = '', port] = text.replace(/^https?:\/\//, '').split(':');
  return { host, port: port ? Number(port) : MIRROR_PORT };
}
