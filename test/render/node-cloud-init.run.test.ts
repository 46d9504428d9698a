import { afterEach, describe, expect, it } from 'vitest';
import { renderNodeCloudInit, type NodeCloudInitInput } from '../../src/render/node-cloud-init.js';
import { CLOUD_INIT_4_10, CLOUD_INIT_4_8, Sandbox, type Call, type SandboxOptions } from './stub-sandbox.js';

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
};

const MINIMAL: NodeCloudInitInput = {
  region: 'us-east-1',
  tokenParameter: 'wallarm-token',
  apiHost: 'api.wallarm.com',
  mode: 'block',
  libdetection: false,
  nginx: {},
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
          '-t', TOKEN, '-H', 'us1.api.wallarm.com', '-p', 'mirror', '-m', 'monitoring', '--libdetection',
          '--global-snippet', tmpFile('global-snippet.conf'),
          '--http-snippet', tmpFile('http-snippet.conf'),
          '--server-snippet', tmpFile('server-snippet.conf'),
        ],
      },
      { name: 'systemctl', args: ['restart', 'nginx'] },
      { name: 'post', args: ['token=unset'] },
    ]);
    expect(named(result.calls, 'cloud-init.py')[0]?.path).toBe(`${box.prefix}/${CLOUD_INIT_4_10}`);

    expect(result.saved('global-snippet.conf')).toBe(FULL.nginx.globalSnippet);
    expect(result.saved('http-snippet.conf')).toBe(FULL.nginx.httpSnippet);
    expect(result.saved('http-snippet.conf')).toContain('$host');
    expect(result.saved('server-snippet.conf')).toBe(FULL.nginx.serverSnippet);

    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    expect(result.leftovers()).toEqual([]);
  });

  it('passes only the required arguments when no option is set', () => {
    const box = sandbox();
    const result = box.run(renderNodeCloudInit(MINIMAL), { STUB_TOKEN: TOKEN });

    expect(result.status).toBe(0);
    expect(named(result.calls, 'cloud-init.py').map((call) => call.args)).toEqual([
      ['-t', TOKEN, '-H', 'api.wallarm.com', '-p', 'mirror', '-m', 'block'],
    ]);
    expect(result.calls.at(-1)).toMatchObject({ name: 'systemctl', args: ['restart', 'nginx'] });
  });

  it.each([
    { layouts: [CLOUD_INIT_4_10], expected: CLOUD_INIT_4_10, label: 'node >= 4.10' },
    { layouts: [CLOUD_INIT_4_8], expected: CLOUD_INIT_4_8, label: 'node <= 4.8' },
    { layouts: [CLOUD_INIT_4_8, CLOUD_INIT_4_10], expected: CLOUD_INIT_4_10, label: 'both present: 4.10 wins' },
  ])('finds cloud-init.py for $label', ({ layouts, expected }) => {
    const box = sandbox({ layouts });
    const result = box.run(renderNodeCloudInit(MINIMAL), { STUB_TOKEN: TOKEN });

    expect(result.status).toBe(0);
    expect(named(result.calls, 'cloud-init.py').map((call) => call.path)).toEqual([`${box.prefix}/${expected}`]);
  });

  it('fails loudly when no Wallarm cloud-init.py exists', () => {
    const result = sandbox({ layouts: [] }).run(renderNodeCloudInit(FULL), { STUB_TOKEN: TOKEN });

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
