import { afterEach, describe, expect, it } from 'vitest';
import {
  GO_TARBALL_SHA256,
  GO_TARBALL_URL,
  GOREPLAY_COMMIT,
  GOREPLAY_REPOSITORY,
  REBUILDER_DEFAULTS,
  renderRebuilderCloudInit,
  type RebuilderCloudInitInput,
} from '../../src/render/rebuilder-cloud-init.js';
import { execStart, RebuilderSandbox, VXLAN_SOURCE, type Call } from './rebuilder-sandbox.js';

const ENDPOINT = 'http://internal-wallarm-123.eu-west-1.elb.amazonaws.com:8445';
const BASE: RebuilderCloudInitInput = { mirrorEndpoint: ENDPOINT, ...REBUILDER_DEFAULTS };
const GO_TARBALL = GO_TARBALL_URL.split('/').pop() ?? '';
const OTHER_COMMIT = 'f'.repeat(40);

const sandboxes: RebuilderSandbox[] = [];
function sandbox(): RebuilderSandbox {
  const created = new RebuilderSandbox();
  sandboxes.push(created);
  return created;
}
afterEach(() => {
  while (sandboxes.length > 0) sandboxes.pop()?.cleanup();
});

const named = (calls: Call[], name: string) => calls.filter((call) => call.name === name);
const argsOf = (calls: Call[], name: string) => named(calls, name).map((call) => call.args);
const indexOf = (calls: Call[], name: string, args: string[]) =>
  calls.findIndex((call) => call.name === name && JSON.stringify(call.args) === JSON.stringify(args));
const lastIndexOf = (calls: Call[], name: string, args: string[]) =>
  calls.findLastIndex((call) => call.name === name && JSON.stringify(call.args) === JSON.stringify(args));

/**
 * The from-source script, run against a fake Go tarball. The fake tarball's checksum differs from the pinned
 * one, so `pinGoSha` swaps the pinned literal for it; leaving it unswapped is the mismatch case.
 */
function fromSource(box: RebuilderSandbox, input: RebuilderCloudInitInput = BASE, pinGoSha = true): string {
  const fakeSha = box.goTarball(GO_TARBALL);
  const script = renderRebuilderCloudInit(input);
  expect(script).toContain(`'${GO_TARBALL_SHA256}'`);
  return pinGoSha ? script.replace(`'${GO_TARBALL_SHA256}'`, `'${fakeSha}'`) : script;
}

function expectedArgv(vni: number, expire: string, bufferSize: string, debug: boolean): string[] {
  return [
    '/usr/local/bin/goreplay',
    '--input-raw', ':1',
    '--input-raw-bpf-filter', 'udp port 0',
    '--input-raw-engine', 'vxlan',
    '--input-raw-vxlan-port', '4789',
    '--input-raw-vxlan-vni', String(vni),
    '--http-original-host',
    '--input-raw-expire', expire,
    '--input-raw-protocol', 'http',
    '--input-raw-buffer-size', bufferSize,
    ...(debug ? ['--output-stdout'] : []),
    '--output-http', ENDPOINT,
  ];
}

const IS_ACTIVE = ['is-active', '--quiet', 'goreplay.service'];

describe('rendered rebuilder cloud-init, built from source, run against stubs', () => {
  it('installs, pins, patches, builds and starts goreplay, then nginx last', () => {
    const box = sandbox();
    const result = box.run(fromSource(box));

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);

    expect(argsOf(result.calls, 'apt-get')).toEqual([
      ['-o', 'DPkg::Lock::Timeout=300', 'update', '-q'],
      ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '-q', '--no-install-recommends',
        'ca-certificates', 'curl', 'nginx', 'libpcap-dev', 'git', 'build-essential'],
    ]);
    const [curl] = argsOf(result.calls, 'curl');
    expect(curl).toEqual(expect.arrayContaining(['--fail', '--location', '--retry', '5']));
    expect(curl?.at(-1)).toBe(GO_TARBALL_URL);
    expect(argsOf(result.calls, 'git')).toEqual([
      ['clone', '--quiet', GOREPLAY_REPOSITORY, expect.stringMatching(/\/goreplay$/)],
      ['-C', expect.stringMatching(/\/goreplay$/), '-c', 'advice.detachedHead=false', 'checkout', '--quiet', GOREPLAY_COMMIT],
      ['-C', expect.stringMatching(/\/goreplay$/), 'rev-parse', 'HEAD'],
    ]);

    // The toolchain came out of the verified tarball into <prefix>/usr/local/go.
    const [go] = named(result.calls, 'go');
    expect(go?.path).toBe(`${box.prefix}/usr/local/go/bin/go`);
    expect(go?.args).toEqual(['build', '-trimpath', '-o', expect.stringMatching(/\/goreplay-built$/), '.']);
    const goEnv = result.saved('go.env')?.split('\n') ?? [];
    expect(goEnv[0]).toMatch(/\/goreplay$/);
    expect(goEnv.slice(1, 4)).toEqual(['GOTOOLCHAIN=local', 'GOFLAGS=-mod=mod', 'CGO_ENABLED=1']);

    // go build saw the patched source: exactly 1526 -> 9216, nothing else touched.
    const built = result.saved('vxlan.go.built');
    expect(built).toBe(VXLAN_SOURCE.replace('const VxLanPacketSize = 1526 //', 'const VxLanPacketSize = 9216 //'));
    expect(built).not.toContain('1526 //');

    expect(result.file('usr/local/bin/goreplay')).toContain('goreplay built from source');
    const unit = result.file('etc/systemd/system/goreplay.service') ?? '';
    expect(execStart(unit)).toEqual(expectedArgv(1377, '30s', '256MB', false));
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).toMatch(/^WantedBy=multi-user\.target$/m);
    expect(result.file('etc/systemd/system/nginx.service.d/wallarm-oob.conf')).toBe('[Unit]\nRequires=goreplay.service\nAfter=goreplay.service\n');

    expect(argsOf(result.calls, 'systemctl')).toEqual([
      ['stop', 'nginx'],
      ['daemon-reload'],
      ['enable', '--now', 'goreplay.service'],
      IS_ACTIVE, IS_ACTIVE, IS_ACTIVE,
      ['enable', 'nginx'],
      ['restart', 'nginx'],
    ]);
    expect(argsOf(result.calls, 'nginx')).toEqual([['-t', '-q']]);

    expect(result.file('etc/nginx/sites-enabled/default')).toBeUndefined();
    const site = result.file('etc/nginx/conf.d/wallarm-oob-healthcheck.conf') ?? '';
    expect(site).toContain('listen 9445 default_server;');
    expect(site).toMatch(/location = \/-\/healthcheck \{\n\s+default_type text\/plain;\n\s+return 200 "OK\\n";/);

    expect(result.leftovers()).toEqual([]);
  });

  it('renders the VNI, expire, buffer size and --output-stdout (debug) into ExecStart', () => {
    const box = sandbox();
    const input = { ...BASE, vni: 42, expire: '1m30s', bufferSize: '1GB', debug: true };
    const result = box.run(fromSource(box, input));

    expect(result.status).toBe(0);
    expect(execStart(result.file('etc/systemd/system/goreplay.service') ?? '')).toEqual(expectedArgv(42, '1m30s', '1GB', true));
  });

  it('starts nginx only after goreplay has been active three checks in a row', () => {
    const box = sandbox();
    const result = box.run(fromSource(box), { STUB_INACTIVE_CHECKS: '2' });

    expect(result.status).toBe(0);
    const calls = result.calls;
    expect(argsOf(calls, 'systemctl').filter((args) => args[0] === 'is-active')).toHaveLength(5);
    expect(argsOf(calls, 'sleep')).toEqual([['2'], ['2'], ['2'], ['2']]);
    const lastCheck = lastIndexOf(calls, 'systemctl', IS_ACTIVE);
    expect(indexOf(calls, 'systemctl', ['enable', '--now', 'goreplay.service'])).toBeLessThan(indexOf(calls, 'systemctl', IS_ACTIVE));
    expect(indexOf(calls, 'nginx', ['-t', '-q'])).toBeGreaterThan(lastCheck);
    expect(indexOf(calls, 'systemctl', ['restart', 'nginx'])).toBeGreaterThan(lastCheck);
    expect(indexOf(calls, 'systemctl', ['restart', 'nginx'])).toBe(calls.length - 1);
  });

  it('exits non-zero without starting nginx when goreplay never runs steadily', () => {
    const box = sandbox();
    const result = box.run(fromSource(box), { STUB_INACTIVE_CHECKS: '1000' });

    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/goreplay\.service is not running steadily after 60 checks/);
    expect(named(result.calls, 'nginx')).toEqual([]);
    expect(argsOf(result.calls, 'systemctl').filter((args) => args.includes('nginx'))).toEqual([['stop', 'nginx']]);
    expect(result.file('etc/nginx/conf.d/wallarm-oob-healthcheck.conf')).toBeUndefined();
  });

  it('exits non-zero before cloning when the Go tarball does not match the pinned sha256', () => {
    const box = sandbox();
    const result = box.run(fromSource(box, BASE, false));

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`checksum mismatch for the Go toolchain ${GO_TARBALL_URL}: expected sha256 ${GO_TARBALL_SHA256}, got `);
    expect(result.file('usr/local/go/bin/go')).toBeUndefined();
    expect(named(result.calls, 'git')).toEqual([]);
    expect(argsOf(result.calls, 'systemctl')).toEqual([['stop', 'nginx']]);
    expect(result.leftovers()).toEqual([]);
  });

  it('exits non-zero when the Go tarball cannot be downloaded', () => {
    const box = sandbox();
    const script = renderRebuilderCloudInit(BASE); // no fixture served: curl --fail exits 22
    const result = box.run(script);

    expect(result.status).toBe(22);
    expect(result.stderr).toMatch(/rebuilder bootstrap failed at line \d+ \(exit 22\)/);
    expect(named(result.calls, 'git')).toEqual([]);
  });

  it('exits non-zero without building when the checkout is not the pinned commit', () => {
    const box = sandbox();
    const result = box.run(fromSource(box), { STUB_GIT_HEAD: OTHER_COMMIT });

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`goreplay checkout is at ${OTHER_COMMIT}, expected the pinned ${GOREPLAY_COMMIT}`);
    expect(named(result.calls, 'go')).toEqual([]);
    expect(result.file('usr/local/bin/goreplay')).toBeUndefined();
  });

  it('exits non-zero without building when the buffer patch does not apply', () => {
    const box = sandbox();
    box.fixture('vxlan.go', VXLAN_SOURCE.replace('= 1526 //', '= 1600 //'));
    const result = box.run(fromSource(box));

    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/the vxlan buffer patch \(1526 -> 9216 bytes\) did not apply to \S+\/capture\/vxlan\.go/);
    expect(named(result.calls, 'go')).toEqual([]);
    expect(result.file('usr/local/bin/goreplay')).toBeUndefined();
  });

  it('exits non-zero when the upstream constant is gone, even if 9216 appears elsewhere', () => {
    const box = sandbox();
    box.fixture('vxlan.go', `${VXLAN_SOURCE}// const VxLanPacketSize = 9216\n`.replace('const VxLanPacketSize = 1526', 'var VxLanPacketSize = 1526'));
    const result = box.run(fromSource(box));

    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/did not apply/);
    expect(named(result.calls, 'go')).toEqual([]);
  });

  it('exits non-zero when the checkout has no vxlan source at all', () => {
    const box = sandbox();
    const result = box.run(fromSource(box), { STUB_VXLAN_PATH: 'none' });

    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/has none of capture\/vxlan\.go internal\/capture\/vxlan\.go: the vxlan buffer patch cannot apply/);
    expect(named(result.calls, 'go')).toEqual([]);
  });

  it('patches internal/capture/vxlan.go and builds ./cmd/gor in the newer source layout', () => {
    const box = sandbox();
    const result = box.run(fromSource(box), { STUB_VXLAN_PATH: 'internal/capture/vxlan.go', STUB_CMD_GOR: '1' });

    expect(result.status).toBe(0);
    expect(result.saved('vxlan.go.built')).toContain('const VxLanPacketSize = 9216 //');
    expect(named(result.calls, 'go')[0]?.args.at(-1)).toBe('./cmd/gor');
  });

  it('refuses to build on a non-x86_64 instance', () => {
    const box = sandbox();
    const result = box.run(fromSource(box), { STUB_UNAME_M: 'aarch64' });

    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/needs an x86_64 instance .* this one is aarch64/);
    expect(named(result.calls, 'curl')).toEqual([]);
  });
});

describe('rendered rebuilder cloud-init, prebuilt artefact, run against stubs', () => {
  const GOR = '#!/bin/sh\necho prebuilt goreplay\n';

  it('downloads, verifies and installs the gor binary from a tar.gz, without Go or git', () => {
    const box = sandbox();
    const sha = box.tarball('gor_1.3.3_x64.tar.gz', { gor: GOR });
    const url = 'https://github.com/buger/goreplay/releases/download/1.3.3/gor_1.3.3_x64.tar.gz';
    const result = box.run(renderRebuilderCloudInit({ ...BASE, debug: true, goreplay: { url, sha256: sha } }));

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(argsOf(result.calls, 'apt-get')[1]).toEqual([
      '-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '-q', '--no-install-recommends', 'ca-certificates', 'curl', 'nginx', 'libpcap-dev',
    ]);
    expect(argsOf(result.calls, 'curl').map((args) => args.at(-1))).toEqual([url]);
    expect(named(result.calls, 'git')).toEqual([]);
    expect(named(result.calls, 'go')).toEqual([]);
    expect(result.file('usr/local/bin/goreplay')).toBe(GOR);
    expect(execStart(result.file('etc/systemd/system/goreplay.service') ?? '')).toEqual(expectedArgv(1377, '30s', '256MB', true));
    expect(indexOf(result.calls, 'systemctl', ['restart', 'nginx'])).toBe(result.calls.length - 1);
    expect(result.leftovers()).toEqual([]);
  });

  it('finds a goreplay binary nested in the archive', () => {
    const box = sandbox();
    const sha = box.tarball('goreplay.tgz', { 'goreplay-v2/README': 'x', 'goreplay-v2/bin/goreplay': GOR });
    const result = box.run(renderRebuilderCloudInit({ ...BASE, goreplay: { url: 'https://example.com/dl/goreplay.tgz', sha256: sha } }));

    expect(result.status).toBe(0);
    expect(result.file('usr/local/bin/goreplay')).toBe(GOR);
  });

  it('installs a bare binary artefact as is', () => {
    const box = sandbox();
    const sha = box.fixture('goreplay-linux-amd64', GOR);
    const url = 'https://bucket.s3.eu-west-1.amazonaws.com/tools/goreplay-linux-amd64?X-Amz-Signature=abc';
    const result = box.run(renderRebuilderCloudInit({ ...BASE, goreplay: { url, sha256: sha.toUpperCase() } }));

    expect(result.status).toBe(0);
    expect(result.file('usr/local/bin/goreplay')).toBe(GOR);
  });

  it('exits non-zero without installing or starting anything when the artefact checksum does not match', () => {
    const box = sandbox();
    box.tarball('gor.tar.gz', { gor: GOR });
    const wrong = 'e'.repeat(64);
    const result = box.run(renderRebuilderCloudInit({ ...BASE, goreplay: { url: 'https://example.com/gor.tar.gz', sha256: wrong } }));

    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(new RegExp(`checksum mismatch for the goreplay artefact https://example.com/gor.tar.gz: expected sha256 ${wrong}, got [0-9a-f]{64}`));
    expect(result.file('usr/local/bin/goreplay')).toBeUndefined();
    expect(result.file('etc/systemd/system/goreplay.service')).toBeUndefined();
    expect(argsOf(result.calls, 'systemctl')).toEqual([['stop', 'nginx']]);
    expect(result.leftovers()).toEqual([]);
  });

  it('exits non-zero when the archive holds no goreplay binary', () => {
    const box = sandbox();
    const sha = box.tarball('other.tar.gz', { 'bin/something-else': GOR });
    const result = box.run(renderRebuilderCloudInit({ ...BASE, goreplay: { url: 'https://example.com/other.tar.gz', sha256: sha } }));

    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/holds no file named goreplay or gor/);
    expect(named(result.calls, 'systemctl').map((call) => call.args)).toEqual([['stop', 'nginx']]);
  });
});
