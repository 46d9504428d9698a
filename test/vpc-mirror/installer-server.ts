/** A loopback HTTP server serving a small fake all-in-one installer (the tests cannot reach Wallarm's host). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';

export const FAKE_INSTALLER_BYTES = Buffer.from('#!/bin/sh\necho "fake Wallarm all-in-one installer"\n'.repeat(2000));
export const FAKE_INSTALLER_SHA256 = createHash('sha256').update(FAKE_INSTALLER_BYTES).digest('hex');

export interface InstallerServer {
  /** URL of the installer, in Wallarm's naming pattern. */
  url: string;
  /** Requests served, by path. */
  hits: string[];
  /** Serves a different body from now on (an upstream that changed the bits). */
  body: Buffer;
  close(): Promise<void>;
}

export async function installerServer(): Promise<InstallerServer> {
  const state: { body: Buffer; hits: string[] } = { body: FAKE_INSTALLER_BYTES, hits: [] };
  const server: Server = createServer((req, res) => {
    state.hits.push(req.url ?? '');
    if (req.url === '/redirect-to-plain-http') {
      res.writeHead(302, { location: 'http://example.invalid/aio.sh' }).end();
    } else if (req.url?.startsWith('/native/aio-native-')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(state.body);
    } else {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/native/aio-native-0.25.5.x86_64.sh`,
    get hits() {
      return state.hits;
    },
    get body() {
      return state.body;
    },
    set body(value: Buffer) {
      state.body = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
