import { describe, expect, it } from 'vitest';
import { lintsCleanly } from './lint-script.js';
import { ConfigError } from '../../src/errors.js';
import {
  GO_TARBALL_SHA256,
  GO_TARBALL_URL,
  GO_VERSION,
  GOREPLAY_COMMIT,
  GOREPLAY_VXLAN_SOURCES,
  REBUILDER_DEFAULTS,
  renderRebuilderCloudInit,
  VXLAN_BUFFER_BYTES,
  VXLAN_BUFFER_UPSTREAM_BYTES,
  type RebuilderCloudInitInput,
} from '../../src/render/rebuilder-cloud-init.js';

const BASE: RebuilderCloudInitInput = {
  mirrorEndpoint: 'http://internal-wallarm-123.eu-west-1.elb.amazonaws.com:8445',
  ...REBUILDER_DEFAULTS,
};

const VARIANTS: Record<string, RebuilderCloudInitInput> = {
  'from source': BASE,
  'from source, debug': { ...BASE, debug: true, vni: 16777215, expire: '1m30s', bufferSize: '1GB' },
  'artefact tar.gz': { ...BASE, goreplay: { url: 'https://github.com/buger/goreplay/releases/download/1.3.3/gor_1.3.3_x64.tar.gz', sha256: 'ab'.repeat(32) } },
  'bare artefact binary': { ...BASE, debug: true, goreplay: { url: 'https://bucket.s3.amazonaws.com/goreplay?X-Amz-Signature=1&a=b', sha256: 'CD'.repeat(32) } },
};

describe('renderRebuilderCloudInit: static checks', () => {
  lintsCleanly('rebuilder', VARIANTS, renderRebuilderCloudInit);

  it('is a bash script with strict mode and an ERR trap, never xtrace', () => {
    for (const input of Object.values(VARIANTS)) {
      const script = renderRebuilderCloudInit(input);
      expect(script.startsWith('#!/bin/bash\n')).toBe(true);
      expect(script).toContain('\nset -Eeuo pipefail\n');
      expect(script).toContain("\ntrap 'on_error \"${LINENO}\"' ERR\n");
      expect(script).not.toMatch(/^\s*set\s+(-\w*x|-o\s+xtrace)/m);
    }
  });

  it('renders the pinned build inputs only when building from source', () => {
    const source = renderRebuilderCloudInit(BASE);
    for (const pinned of [GOREPLAY_COMMIT, GO_TARBALL_URL, GO_TARBALL_SHA256, ...GOREPLAY_VXLAN_SOURCES]) {
      expect(source).toContain(`'${pinned}'`);
    }
    expect(source).toContain(`readonly VXLAN_BUFFER_FROM='${VXLAN_BUFFER_UPSTREAM_BYTES}'`);
    expect(source).toContain(`readonly VXLAN_BUFFER_TO='${VXLAN_BUFFER_BYTES}'`);

    const artefact = renderRebuilderCloudInit(VARIANTS['artefact tar.gz'] ?? BASE);
    expect(artefact).not.toContain(GOREPLAY_COMMIT);
    expect(artefact).not.toContain(GO_TARBALL_SHA256);
    expect(artefact).not.toMatch(/\bgit\b.*clone|build-essential/);
    expect(artefact).toContain(`readonly ARTEFACT_SHA256='${'ab'.repeat(32)}'`);
  });

  it('lower-cases the artefact checksum (sha256sum -c compares case-sensitively)', () => {
    expect(renderRebuilderCloudInit(VARIANTS['bare artefact binary'] ?? BASE)).toContain(`readonly ARTEFACT_SHA256='${'cd'.repeat(32)}'`);
  });

  it('pins well-formed values', () => {
    expect(GOREPLAY_COMMIT).toMatch(/^[0-9a-f]{40}$/);
    expect(GO_TARBALL_SHA256).toMatch(/^[0-9a-f]{64}$/);
    expect(GO_TARBALL_URL).toBe(`https://go.dev/dl/go${GO_VERSION}.linux-amd64.tar.gz`);
    expect(VXLAN_BUFFER_UPSTREAM_BYTES).toBe(1526);
    // A 9001-byte EC2 jumbo frame + inner Ethernet/802.1Q header (18) + VXLAN header (8) must fit.
    expect(VXLAN_BUFFER_BYTES).toBeGreaterThanOrEqual(9001 + 18 + 8);
  });
});

describe('renderRebuilderCloudInit: validation', () => {
  const rejects = (input: Partial<RebuilderCloudInitInput>, message: RegExp) => {
    let error: unknown;
    try {
      renderRebuilderCloudInit({ ...BASE, ...input });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('REBUILDER_INPUT_INVALID');
    expect((error as ConfigError).message).toMatch(message);
    expect((error as ConfigError).actions.length).toBeGreaterThan(0);
  };

  it('rejects an endpoint that could break out of the unit file or the script', () => {
    rejects({ mirrorEndpoint: 'http://x; rm -rf /' }, /mirrorEndpoint "http:\/\/x; rm -rf \/" is not a plain http:\/\/host\[:port\] URL/);
  });

  it.each([
    'https://wallarm.internal:8445',
    'http://wallarm.internal:8445/path',
    'http://user:pw@wallarm.internal',
    'http://wallarm.internal:8445 --output-stdout',
    'http://wallarm.internal:$PORT',
    'http://%i.internal',
    'http://wallarm.internal:8445\n[Service]',
    'wallarm.internal:8445',
  ])('rejects mirrorEndpoint %j', (mirrorEndpoint) => {
    rejects({ mirrorEndpoint }, /mirrorEndpoint/);
  });

  it('rejects an out-of-range endpoint port', () => {
    rejects({ mirrorEndpoint: 'http://wallarm.internal:65536' }, /port 65536 is out of range/);
  });

  it('accepts endpoints with and without a port', () => {
    expect(() => renderRebuilderCloudInit({ ...BASE, mirrorEndpoint: 'http://10.0.1.15' })).not.toThrow();
    expect(() => renderRebuilderCloudInit({ ...BASE, mirrorEndpoint: 'http://a-b.c.d:1' })).not.toThrow();
  });

  it.each([0, -1, 1.5, 16777216, Number.NaN])('rejects vni %s', (vni) => {
    rejects({ vni }, /vni .* is not a VXLAN network id between 1 and 16777215/);
  });

  it.each(['30', '30s ', '-30s', '30s; id', '30 s', '${X}', '1d'])('rejects expire %j', (expire) => {
    rejects({ expire }, /expire .* is not a Go duration/);
  });

  it.each(['256 MB', '256MB"', '-1', 'MB', '1e9', '%h'])('rejects bufferSize %j', (bufferSize) => {
    rejects({ bufferSize }, /bufferSize .* is not a size/);
  });

  it('rejects a bad artefact URL or checksum', () => {
    rejects({ goreplay: { url: 'not a url', sha256: 'a'.repeat(64) } }, /goreplay\.url "not a url" is not a URL/);
    rejects({ goreplay: { url: 'ftp://x/gor.tar.gz', sha256: 'a'.repeat(64) } }, /goreplay\.url uses ftp:/);
    rejects({ goreplay: { url: 'https://x/gor.tar.gz', sha256: 'a'.repeat(63) } }, /goreplay\.sha256 .* is not a sha256/);
    rejects({ goreplay: { url: 'https://x/gor.tar.gz', sha256: `${'a'.repeat(63)}g` } }, /goreplay\.sha256/);
  });

  it('names goreplay.url when the script would not fit in EC2 user data', () => {
    const url = `https://example.com/${'a'.repeat(12_000)}/gor.tar.gz`;
    expect(() => renderRebuilderCloudInit({ ...BASE, goreplay: { url, sha256: 'a'.repeat(64) } })).toThrow(/goreplay\.url \(\d+ bytes\)/);
  });
});
