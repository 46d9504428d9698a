import { afterEach, describe, expect, it } from 'vitest';
import { renderGoNodeConfig } from '../../src/render/go-node-config.js';
import { renderNativeNodeCloudInit, type NativeNodeCloudInitInput } from '../../src/render/native-node-cloud-init.js';
import { nativeNodeInstallerUrl } from '../../src/render/native-node-installer.js';
import { lintsCleanly } from './lint-script.js';
import { FAKE_INSTALLER, NativeNodeSandbox, sha256, type Call } from './native-node-sandbox.js';

const TOKEN = 'api-token-$(touch /tmp/pwned)-`x`';
const GO_NODE = renderGoNodeConfig({ vni: 1377, ports: [80, 8080], wallarmMode: 'monitoring', proxyHeaders: [{ realIp: ['X-Forwarded-For'] }] });
const BASE: NativeNodeCloudInitInput = {
  region: 'eu-west-1',
  tokenParameter: '/wallarm-oob/shop-oob/node-token',
  apiHost: 'api.wallarm.com',
  group: 'shop-oob',
  installer: { url: nativeNodeInstallerUrl(), sha256: sha256(FAKE_INSTALLER) },
  goNodeConfig: GO_NODE,
};
const INSTALLER_NAME = nativeNodeInstallerUrl().split('/').pop()!;

lintsCleanly('native node', {
  default: BASE,
  'us cloud, loopback http installer': { ...BASE, apiHost: 'us1.api.wallarm.com', installer: { url: 'http://127.0.0.1:8080/aio.sh', sha256: 'a'.repeat(64) } },
  "odd values (quotes, $ and ')": { ...BASE, group: "it's-$HOME", goNodeConfig: "a: '$(x)'\n" },
}, renderNativeNodeCloudInit);

const sandboxes: NativeNodeSandbox[] = [];
function sandbox(): NativeNodeSandbox {
  const box = new NativeNodeSandbox();
  sandboxes.push(box);
  box.fixture(INSTALLER_NAME, FAKE_INSTALLER);
  return box;
}
afterEach(() => {
  while (sandboxes.length > 0) sandboxes.pop()?.cleanup();
});

const installerCalls = (calls: Call[]) => calls.filter((c) => c.name === 'aio-native.sh');

describe('native node bootstrap, run against stubs', () => {
  it('downloads the pinned installer, verifies it, writes the go-node config and runs the installer in batch mode as documented', () => {
    const box = sandbox();
    const result = box.run(renderNativeNodeCloudInit(BASE), { STUB_TOKEN: TOKEN });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);

    const curl = result.calls.filter((c) => c.name === 'curl');
    expect(curl).toHaveLength(1);
    expect(curl[0]!.args.at(-1)).toBe('https://meganode.wallarm.com/native/aio-native-0.25.5.x86_64.sh');
    expect(curl[0]!.args).toEqual(expect.arrayContaining(['--fail', '--proto', '=https', '--proto-redir', '=https']));

    const [installer, ...more] = installerCalls(result.calls);
    expect(more).toEqual([]);
    const configPath = `${box.prefix}/etc/wallarm-oob/go-node.yaml`;
    // docs.wallarm.com/installation/oob/tcp-traffic-mirror/deployment/, step 4 (EU Cloud)
    expect(installer!.args).toEqual(['--', '--batch', '--token', TOKEN, '--mode=tcp-capture-v2', `--go-node-config=${configPath}`, '--host', 'api.wallarm.com']);
    expect(result.saved('labels')).toBe('group=shop-oob');
    expect(result.saved('go-node.yaml')).toBe(GO_NODE);
    expect(result.saved('token-in-env')).toBeUndefined();

    // The token reached the installer's argv and nothing else's: not aws, apt-get, curl, sleep, nor the output.
    for (const call of result.calls.filter((c) => c.name !== 'aio-native.sh')) expect(call.args.join(' ')).not.toContain(TOKEN);
    expect(result.stdout).not.toContain(TOKEN);
    expect(result.calls.filter((c) => c.name === 'aws').map((c) => c.args)).toEqual([
      ['ssm', 'get-parameter', '--name', BASE.tokenParameter, '--with-decryption', '--region', 'eu-west-1', '--query', 'Parameter.Value', '--output', 'text'],
    ]);
    // The download and config happen before the token is read; the token is read right before the installer runs.
    const names = result.calls.map((c) => c.name);
    expect(names.indexOf('curl')).toBeLessThan(names.indexOf('aws'));
    expect(names.indexOf('aws')).toBe(names.indexOf('aio-native.sh') - 1);
    expect(result.leftovers()).toEqual([]);
  });

  it('uses the US host when the cloud is us', () => {
    const box = sandbox();
    const result = box.run(renderNativeNodeCloudInit({ ...BASE, apiHost: 'us1.api.wallarm.com' }), { STUB_TOKEN: TOKEN });
    expect(result.status).toBe(0);
    expect(installerCalls(result.calls)[0]!.args.slice(-2)).toEqual(['--host', 'us1.api.wallarm.com']);
  });

  it('a wrong checksum aborts the boot non-zero before the installer or the token is touched', () => {
    const box = sandbox();
    const result = box.run(renderNativeNodeCloudInit({ ...BASE, installer: { ...BASE.installer, sha256: 'b'.repeat(64) } }), { STUB_TOKEN: TOKEN });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`checksum mismatch for ${BASE.installer.url}: expected sha256 ${'b'.repeat(64)}, got ${BASE.installer.sha256}`);
    expect(installerCalls(result.calls)).toEqual([]);
    expect(result.calls.some((c) => c.name === 'aws')).toBe(false);
    expect(result.leftovers()).toEqual([]);
  });

  it('a failed download aborts the boot', () => {
    const box = sandbox();
    const result = box.run(renderNativeNodeCloudInit({ ...BASE, installer: { url: 'https://example.com/missing.sh', sha256: 'c'.repeat(64) } }), { STUB_TOKEN: TOKEN });
    expect(result.status).toBe(22);
    expect(result.stderr).toMatch(/native node bootstrap failed at line \d+ \(exit 22\)/);
    expect(installerCalls(result.calls)).toEqual([]);
  });

  it('a failing installer fails the boot with its exit code', () => {
    const box = sandbox();
    const result = box.run(renderNativeNodeCloudInit(BASE), { STUB_TOKEN: TOKEN, STUB_INSTALLER_RC: '3' });
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/native node bootstrap failed at line \d+ \(exit 3\)/);
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('retries reading the token, then gives up with a message naming the parameter', () => {
    const box = sandbox();
    const retried = box.run(renderNativeNodeCloudInit(BASE), { STUB_TOKEN: TOKEN, STUB_AWS_FAILURES: '2' });
    expect(retried.status).toBe(0);
    expect(retried.calls.filter((c) => c.name === 'sleep').map((c) => c.args)).toEqual([['2'], ['4']]);

    const box2 = sandbox();
    const failed = box2.run(renderNativeNodeCloudInit(BASE), { STUB_TOKEN: TOKEN, STUB_AWS_FAILURES: '99' });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`could not read SSM parameter ${BASE.tokenParameter} in eu-west-1 after 6 attempts`);
    expect(installerCalls(failed.calls)).toEqual([]);
  });

  it('an empty token parameter fails before the installer runs', () => {
    const box = sandbox();
    const result = box.run(renderNativeNodeCloudInit(BASE), { STUB_TOKEN: '' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('is empty: store a Wallarm API token with the Node deployment/Deployment usage in it');
    expect(installerCalls(result.calls)).toEqual([]);
  });
});

describe('native node bootstrap inputs', () => {
  it('refuses a plain http installer URL other than loopback, and a malformed sha256', () => {
    expect(() => renderNativeNodeCloudInit({ ...BASE, installer: { url: 'http://example.com/aio.sh', sha256: 'a'.repeat(64) } })).toThrow(/only fetched over https/);
    expect(() => renderNativeNodeCloudInit({ ...BASE, installer: { url: BASE.installer.url, sha256: 'nope' } })).toThrow(/not a sha256/);
    expect(renderNativeNodeCloudInit({ ...BASE, installer: { url: 'http://[::1]:9/aio.sh', sha256: 'a'.repeat(64) } })).toContain("'=http,https'");
  });

  it('holds no token, only the parameter name', () => {
    const script = renderNativeNodeCloudInit(BASE);
    expect(script).toContain("readonly TOKEN_PARAMETER='/wallarm-oob/shop-oob/node-token'");
    expect(script).not.toMatch(/^\s*set -[a-z]*x/m);
  });
});
