import { describe, expect, it } from 'vitest';
import { lintsCleanly } from './lint-script.js';
import { ConfigError } from '../../src/errors.js';
import {
  assertUserDataSize,
  renderNodeCloudInit,
  USER_DATA_LIMIT_BYTES,
  type NodeCloudInitInput,
} from '../../src/render/node-cloud-init.js';
import { nodeLine } from '../../src/wallarm/node-versions.js';

const BASE: NodeCloudInitInput = {
  region: 'eu-west-1',
  tokenParameter: '/wallarm-oob/prod/node-token',
  apiHost: 'api.wallarm.com',
  mode: 'monitoring',
  libdetection: false,
  nginx: {},
  line: nodeLine('7.x'),
  realIpFrom: ['10.0.0.0/8', '172.16.0.0/12'],
  mirrorPort: 8445,
};

const VARIANTS: Record<string, NodeCloudInitInput> = {
  minimal: BASE,
  'every option': {
    ...BASE,
    mode: 'safe_blocking',
    libdetection: true,
    nginx: {
      globalSnippet: 'load_module modules/ngx_http_geoip_module.so;\n',
      httpSnippet: "map $host $x {\n  default 'a';\n}\n",
      serverSnippet: 'set $y "`b` $(c)";',
    },
    postScript: '#!/bin/bash\necho "done on $(hostname)"\n',
  },
  'hostile values': {
    ...BASE,
    apiHost: "h'; rm -rf / #`id`$HOME",
    tokenParameter: "p'\"$(id)\"\\",
    region: 'r \n x',
    nginx: { httpSnippet: "'\n'\\''\nEOF\n" },
    postScript: "'",
  },
  'node 6.x with a node group': { ...BASE, line: nodeLine('6.x'), nodeGroup: 'shop-oob' },
  'node 4.8 (mirror preset)': { ...BASE, line: nodeLine('4.8'), nginx: { serverSnippet: 'set $y 1;' } },
};

describe('renderNodeCloudInit: static checks', () => {
  lintsCleanly('node', VARIANTS, renderNodeCloudInit);

  it('never enables xtrace, which would log the token', () => {
    const script = renderNodeCloudInit(VARIANTS['every option'] ?? BASE);
    expect(script).not.toMatch(/^\s*set\s+(-\w*x|-o\s+xtrace)/m);
    expect(script.startsWith('#!/bin/bash\n')).toBe(true);
  });

  it('leaves out empty snippets and post script (4.x preset; 5.0+ always passes its own http snippet)', () => {
    const legacy = renderNodeCloudInit({ ...BASE, line: nodeLine('4.10'), nginx: { httpSnippet: '  \n' }, postScript: '' });
    expect(legacy).not.toContain('snippet.conf');
    expect(legacy).not.toContain('post-script');
    const current = renderNodeCloudInit({ ...BASE, nginx: { httpSnippet: '  \n', serverSnippet: '' }, postScript: '' });
    expect(current.match(/--[a-z]+-snippet /g)).toEqual(['--http-snippet ']);
    expect(current).not.toContain('wallarm.nginx.');
    expect(current).not.toContain('post-script');
  });
});

describe('user data size', () => {
  it('accepts exactly the limit and rejects one byte more, counting bytes rather than characters', () => {
    expect(() => assertUserDataSize('x', 'a'.repeat(USER_DATA_LIMIT_BYTES))).not.toThrow();
    expect(() => assertUserDataSize('x', 'a'.repeat(USER_DATA_LIMIT_BYTES + 1))).toThrow(ConfigError);
    expect(() => assertUserDataSize('x', 'é'.repeat(USER_DATA_LIMIT_BYTES / 2 + 1))).toThrow(/16386 bytes/);
  });

  it('names the largest input to shorten when the rendered script is too big', () => {
    const input = { ...BASE, nginx: { globalSnippet: 'a;\n', serverSnippet: '# x\n'.repeat(4500) } };
    let error: unknown;
    try {
      renderNodeCloudInit(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { code, message, actions } = error as ConfigError;
    expect(code).toBe('USER_DATA_TOO_LARGE');
    expect(message).toMatch(/node cloud-init user data is \d+ bytes, \d+ over the EC2 limit of 16384 bytes/);
    expect(message).toContain('nginx.serverSnippet (18000 bytes), nginx.globalSnippet (3 bytes)');
    expect(actions[0]).toMatch(/^Shorten nginx\.serverSnippet by at least \d+ bytes/);
  });

  it('counts the escaping overhead of quotes', () => {
    // 4,000 quotes fit as input but each becomes '\'' (4 bytes) in the script.
    expect(() => renderNodeCloudInit({ ...BASE, postScript: "'".repeat(4000) })).toThrow(/postScript/);
  });
});
