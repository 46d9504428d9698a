import { afterEach, describe, expect, it } from 'vitest';
import { renderNodeCloudInit, type NodeCloudInitInput } from '../../src/render/node-cloud-init.js';
import { DEFAULT_NODE_VERSION, NODE_LINES, nodeLine } from '../../src/wallarm/node-versions.js';
import { Sandbox, type Call, type SandboxOptions } from './stub-sandbox.js';

const DEFAULT_LINE = nodeLine(DEFAULT_NODE_VERSION);

const TOKEN = 'tok-SECRET-7f3a9c';

const FULL: NodeCloudInitInput = {
  region: 'eu-west-1',
  tokenParameter: '/wallarm-oob/prod/node-token',
  apiHost: 'us1.api.wallarm.com',
  mode: 'monitoring',
  libdetection: true,
  nginx: {
    globalSnippet: 'worker_rlimit_nofile 65535;\n',
    httpSnippet: "map $host $backend {\n  default 'it''s \"quoted\"';\n}\n",
    serverSnippet: 'set $mirror_flag "`date` $(id)";',
  },
  // Runs after the node is configured; `${token-unset}` is evaluated by the post script itself, proving both
  // that its text arrived literally and that the token is not exported to it.
  postScript: '#!/bin/bash\nprintf \'%s\\0\' post 1 "token=${token-unset}" >>"$STUB_LOG"\n',
  line: DEFAULT_LINE,
  nodeGroup: 'shop-oob',
  realIpFrom: ['10.0.0.0/8', '10.20.0.0/16'],
  mirrorPort: 8445,
};

const MINIMAL: NodeCloudInitInput = {
  region: 'us-east-1',
  tokenParameter: 'wallarm-token',
  apiHost: 'api.wallarm.com',
  mode: 'block',
  libdetection: false,
  nginx: {},
  line: DEFAULT_LINE,
  realIpFrom: ['10.0.0.0/8'],
  mirrorPort: 8445,
};

const sandboxes: Sandbox[] = [];
function sandbox(options?: SandboxOptions): Sandbox {
  const created = new Sandbox(options);
  sandboxes.push(created);
  return created;
}
afterEach(() => {
  while (sandboxes.length > 0) sandboxes.pop()?.cleanup();
});

const named = (calls: Call[], name: string) => calls.filter((call) => call.name === name);
const awsArgs = (input: NodeCloudInitInput) => [
  'ssm', 'get-parameter', '--name', input.tokenParameter, '--with-decryption', '--region', input.region,
  '--query', 'Parameter.Value', '--output', 'text',
];

describe('rendered node cloud-init, run against stubs', () => {
  it('configures the node with every option on, in order, keeping snippets literal and the token secret', () => {
    const box = sandbox();
    const result = box.run(renderNodeCloudInit(FULL), { STUB_TOKEN: TOKEN });

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const tmpFile = (name: string) => expect.stringMatching(new RegExp(`^${box.tmp}/[^/]+/${name}$`));
    expect(result.calls.map(({ name, args }) => ({ name, args }))).toEqual([
      { name: 'systemctl', args: ['stop', 'nginx'] },
      { name: 'aws', args: awsArgs(FULL) },
      {
        name: 'cloud-init.py',
        args: [
          '-t', TOKEN, '-H', 'us1.api.wallarm.com', '-p', 'custom', '-m', 'monitoring', '--libdetection',
          '--global-snippet', tmpFile('global-snippet.conf'),
          '--http-snippet', tmpFile('http-snippet.conf'),
        ],
      },
      { name: 'systemctl', args: ['restart', 'nginx'] },
      { name: 'post', args: ['token=unset'] },
    ]);
    expect(named(result.calls, 'cloud-init.py')[0]?.path).toBe(`${box.prefix}${DEFAULT_LINE.cloudInitPath}`);
    expect(result.saved('cloud-init.env')).toBe('WALLARM_LABELS=group=shop-oob\n');

    expect(result.saved('global-snippet.conf')).toBe(FULL.nginx.globalSnippet);
    // The tool's mirror server, with the user's server snippet inside it and the user's http snippet after it.
    const http = result.saved('http-snippet.conf') ?? '';
    expect(http).toContain('wallarm_force server_addr $http_x_server_addr;');
    expect(http.indexOf(FULL.nginx.serverSnippet!)).toBeGreaterThan(http.indexOf('wallarm_force response_size 0;'));
    expect(http.endsWith(`${FULL.nginx.httpSnippet!.trimEnd()}\n`)).toBe(true);
    expect(result.saved('server-snippet.conf')).toBeUndefined();

    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(result.leftovers()).toEqual([]);
  });

  it('passes only the required arguments when no option is set', () => {
    const box = sandbox();
    const result = box.run(renderNodeCloudInit(MINIMAL), { STUB_TOKEN: TOKEN });

    expect(result.status).toBe(0);
    expect(named(result.calls, 'cloud-init.py').map((call) => call.args)).toEqual([
      ['-t', TOKEN, '-H', 'api.wallarm.com', '-p', 'custom', '-m', 'block', '--http-snippet', expect.stringMatching(/http-snippet\.conf$/)],
    ]);
    expect(result.saved('cloud-init.env')).toBe('WALLARM_LABELS=<unset>\n');
    expect(result.calls.at(-1)).toMatchObject({ name: 'systemctl', args: ['restart', 'nginx'] });
  });

  it.each(NODE_LINES.map((line) => ({ line, preset: line.config === 'mirror-preset' ? 'mirror' : 'custom' })))(
    'node $line.id: the bootstrap passes its cloud-init.py (at $line.cloudInitPath) with -p $preset',
    ({ line, preset }) => {
      const box = sandbox({ lines: [line] });
      const input = { ...MINIMAL, line, nodeGroup: 'g1' };
      const result = box.run(renderNodeCloudInit(input), { STUB_TOKEN: TOKEN });

      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const [call] = named(result.calls, 'cloud-init.py');
      expect(call?.path).toBe(`${box.prefix}${line.cloudInitPath}`);
      expect(call?.args.slice(0, 8)).toEqual(['-t', TOKEN, '-H', 'api.wallarm.com', '-p', preset, '-m', 'block']);
      expect(call?.args.slice(8)).toEqual(preset === 'custom' ? ['--http-snippet', expect.stringMatching(/http-snippet\.conf$/)] : []);
      expect(result.saved('cloud-init.env')).toBe('WALLARM_LABELS=group=g1\n');
    },
  );

  it('rendering the 4.x (mirror preset) bootstrap against a 5.0+ cloud-init.py fails the boot', () => {
    // 4.10 and 7.x keep cloud-init.py at the same path: only the preset tells them apart.
    const box = sandbox({ lines: [DEFAULT_LINE] });
    const result = box.run(renderNodeCloudInit({ ...MINIMAL, line: nodeLine('4.10') }), { STUB_TOKEN: TOKEN });

    expect(result.status).toBe(2);
    expect(result.stderr).toContain("argument -p/--preset: invalid choice: 'mirror' (choose from 'proxy', 'custom')");
    expect(named(result.calls, 'systemctl').map((call) => call.args)).toEqual([['stop', 'nginx']]);
  });

  it('fails loudly when no Wallarm cloud-init.py exists', () => {
    const result = sandbox({ lines: [] }).run(renderNodeCloudInit(FULL), { STUB_TOKEN: TOKEN });

    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/cloud-init\.py not found/);
    expect(named(result.calls, 'systemctl').map((call) => call.args)).toEqual([['stop', 'nginx']]);
  });

  it('retries the token fetch with backoff while the instance profile is not usable yet', () => {
    const result = sandbox().run(renderNodeCloudInit(MINIMAL), { STUB_TOKEN: TOKEN, STUB_AWS_FAILURES: '2' });

    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/failed at line/);
    expect(named(result.calls, 'aws')).toHaveLength(3);
    expect(named(result.calls, 'sleep').map((call) => call.args)).toEqual([['2'], ['4']]);
    expect(named(result.calls, 'cloud-init.py')).toHaveLength(1);
  });

  it('exits non-zero, without configuring or restarting nginx, when the token cannot be read', () => {
    const result = sandbox().run(renderNodeCloudInit(FULL), { STUB_TOKEN: TOKEN, STUB_AWS_FAILURES: '99' });

    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/could not read SSM parameter \/wallarm-oob\/prod\/node-token in eu-west-1 after 6 attempts/);
    expect(named(result.calls, 'aws')).toHaveLength(6);
    expect(named(result.calls, 'sleep').map((call) => call.args)).toEqual([['2'], ['4'], ['8'], ['16'], ['32']]);
    expect(named(result.calls, 'cloud-init.py')).toEqual([]);
    expect(named(result.calls, 'systemctl').map((call) => call.args)).toEqual([['stop', 'nginx']]);
  });

  it('refuses an empty token', () => {
    const result = sandbox().run(renderNodeCloudInit(MINIMAL), { STUB_TOKEN: '' });

    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/SSM parameter wallarm-token is empty/);
    expect(named(result.calls, 'cloud-init.py')).toEqual([]);
  });

  it('exits non-zero and skips the restart and post script when cloud-init.py fails', () => {
    const box = sandbox();
    const result = box.run(renderNodeCloudInit(FULL), { STUB_TOKEN: TOKEN, STUB_CLOUD_INIT_RC: '3' });

    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/node bootstrap failed at line \d+ \(exit 3\)/);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(result.calls.map((call) => call.name)).toEqual(['systemctl', 'aws', 'cloud-init.py']);
    expect(result.leftovers()).toEqual([]);
  });

  it('exits non-zero when the post script fails', () => {
    const input = { ...MINIMAL, postScript: '#!/bin/bash\nexit 7\n' };
    const result = sandbox().run(renderNodeCloudInit(input), { STUB_TOKEN: TOKEN });

    expect(result.status).toBe(7);
    expect(result.stderr).toMatch(/failed at line \d+ \(exit 7\)/);
  });

  it('installs awscli with apt-get when aws is missing', () => {
    const result = sandbox({ aws: false }).run(renderNodeCloudInit(MINIMAL), { STUB_TOKEN: TOKEN });

    expect(result.status).toBe(0);
    expect(named(result.calls, 'apt-get').map((call) => call.args)).toEqual([
      ['update', '-q'],
      ['install', '-y', '-q', 'awscli'],
    ]);
    expect(named(result.calls, 'aws').map((call) => call.args)).toEqual([awsArgs(MINIMAL)]);
  });

  it('passes hostile values through as single literal arguments', () => {
    const hostile = "x'; touch pwned; echo '$HOME `id` $(id) \"q\" a  b\\";
    const input = { ...FULL, apiHost: `api ${hostile}`, tokenParameter: `/p ${hostile}`, region: `r ${hostile}` };
    const box = sandbox();
    const result = box.run(renderNodeCloudInit(input), { STUB_TOKEN: TOKEN });

    expect(result.status).toBe(0);
    expect(named(result.calls, 'aws').map((call) => call.args)).toEqual([awsArgs(input)]);
    const [cloudInit] = named(result.calls, 'cloud-init.py');
    expect(cloudInit?.args.slice(0, 4)).toEqual(['-t', TOKEN, '-H', input.apiHost]);
    expect(result.leftovers()).toEqual([]);
  });
});
