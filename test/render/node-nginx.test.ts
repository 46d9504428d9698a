import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { renderNodeNginx, type NodeNginxInput } from '../../src/render/node-nginx.js';
import { NODE_LINES, nodeLine } from '../../src/wallarm/node-versions.js';

const BASE: NodeNginxInput = {
  line: nodeLine('7.x'),
  mirrorPort: 8445,
  mode: 'monitoring',
  realIpFrom: ['10.0.0.0/8', '192.168.0.0/16', '10.20.0.0/16'],
};

/** Debian's nginx, which the Wallarm AMIs are built on (docs.wallarm.com/installation/inline/compute-instances/aws/aws-ami/). */
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
const haveNginx = !spawnSync(NGINX, ['-v'], { encoding: 'utf8' }).error;
if (!haveNginx) {
  if (process.env.CI) throw new Error('nginx is not installed: CI must run the nginx -t test (.ci/run installs Debian\'s nginx).');
  console.warn('\n*** SKIPPING the nginx -t checks of the node configuration: nginx is not installed (apt-get install -y nginx). CI runs them. ***\n');
}

const dir = mkdtempSync(join(tmpdir(), 'wallarm-oob-nginx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The snippet without its wallarm_* directives (stock nginx has no Wallarm module), checked by `nginx -t` inside an http block. */
function nginxTest(snippet: string, name: string): { status: number | null; stderr: string } {
  const stripped = snippet
    .split('\n')
    .filter((line) => !/^\s*wallarm_/.test(line))
    .join('\n');
  const conf = join(dir, `${name}.conf`);
  writeFileSync(conf, `pid ${join(dir, `${name}.pid`)};\nerror_log stderr;\nevents {}\nhttp {\n${stripped}\n}\n`);
  const result = spawnSync(NGINX, ['-t', '-q', '-e', 'stderr', '-p', dir, '-c', conf], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

const wallarmLines = (snippet: string) => snippet.split('\n').filter((l) => /^\s*wallarm_/.test(l)).map((l) => l.trim());

describe('node NGINX configuration (5.0+)', () => {
  it('has the documented mirrored-traffic directives, one by one, and the mode in the mirror server', () => {
    const text = renderNodeNginx(BASE);
    expect(wallarmLines(text)).toEqual([
      'wallarm_mode monitoring;',
      'wallarm_force server_addr $http_x_server_addr;',
      'wallarm_force server_port $http_x_server_port;',
      'wallarm_force response_status 0;',
      'wallarm_force response_time 0;',
      'wallarm_force response_size 0;',
      // the health server is never analysed
      'wallarm_mode off;',
    ]);
    expect(text).toContain('listen 8445 default_server;');
    for (const cidr of BASE.realIpFrom) expect(text).toContain(`set_real_ip_from ${cidr};`);
    expect(text).toContain('real_ip_header X-Forwarded-For;');
    expect(text).toContain('real_ip_recursive on;');
    expect(text).not.toMatch(/proxy_pass http:\/\/(?!127\.0\.0\.)/); // mirrored requests go nowhere
  });

  it('7.x: the health server proxies wd readiness; 5.x/6.x: wallarm-status behind a postanalytics check', () => {
    const seven = renderNodeNginx(BASE);
    expect(seven).toContain('listen 8446;');
    expect(seven).toMatch(/location = \/ready \{\s+proxy_pass http:\/\/127\.0\.0\.1:9446\/ready;/);
    expect(seven).not.toContain('9445');
    const six = renderNodeNginx({ ...BASE, line: nodeLine('6.x') });
    expect(six).toMatch(/location = \/ready \{\s+auth_request \/wallarm-oob-postanalytics;\s+proxy_pass http:\/\/127\.0\.0\.8\/wallarm-status;/);
    expect(six).toContain('proxy_pass http://127.0.0.1:9001/metrics;');
  });

  it('puts the user server snippet inside the mirror server after the tool directives, and the http snippet last', () => {
    const text = renderNodeNginx({ ...BASE, serverSnippet: 'client_max_body_size 10m;\n', httpSnippet: 'map $host $x { default 1; }\n' });
    expect(text.indexOf('client_max_body_size 10m;')).toBeGreaterThan(text.indexOf('wallarm_force response_size 0;'));
    expect(text.indexOf('client_max_body_size 10m;')).toBeLessThan(text.indexOf('listen 8446;'));
    expect(text.trimEnd().endsWith('map $host $x { default 1; }')).toBe(true);
  });

  it("a server snippet that sets real_ip_header or real_ip_recursive wins: the tool's line is left out", () => {
    const text = renderNodeNginx({ ...BASE, serverSnippet: '# ours\nreal_ip_header X-Real-IP;\n' });
    expect(text).not.toContain('real_ip_header X-Forwarded-For;');
    expect(text).toContain('real_ip_header X-Real-IP;');
    expect(text).toContain('real_ip_recursive on;');
    // a mention in a comment does not count
    expect(renderNodeNginx({ ...BASE, serverSnippet: '# real_ip_header is set by the tool\n' })).toContain('real_ip_header X-Forwarded-For;');
  });

  it('refuses a server snippet that defines location / (the mirror server answers every request there)', () => {
    expect(() => renderNodeNginx({ ...BASE, serverSnippet: 'location / { return 200; }' })).toThrow(ConfigError);
    expect(() => renderNodeNginx({ ...BASE, serverSnippet: 'location /api/ { }' })).not.toThrow();
  });

  it('is only for the custom-snippet lines', () => {
    expect(() => renderNodeNginx({ ...BASE, line: nodeLine('4.10') })).toThrow(/mirror preset/);
  });

  const variants: Record<string, NodeNginxInput> = {
    ...Object.fromEntries(NODE_LINES.filter((l) => l.config === 'custom-snippets').map((line) => [`node ${line.id}`, { ...BASE, line }])),
    'user snippets, incl. a real_ip_header override': {
      ...BASE,
      serverSnippet: 'real_ip_header X-Real-IP;\nreal_ip_recursive off;\nclient_max_body_size 10m;\nlocation /health-of-app { return 204; }\n',
      httpSnippet: 'map $http_user_agent $is_bot { default 0; ~*bot 1; }\n',
    },
    'blocking mode, one source range': { ...BASE, mode: 'block', realIpFrom: ['172.16.0.0/12'] },
  };

  it.skipIf(!haveNginx).each(Object.entries(variants))('%s: passes nginx -t once the wallarm_* lines are removed', (name, input) => {
    const result = nginxTest(renderNodeNginx(input), name.replaceAll(/[^a-z0-9]+/gi, '-'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.skipIf(!haveNginx)('the nginx -t check does catch a broken configuration', () => {
    const result = nginxTest(`${renderNodeNginx(BASE)}\nserver { listen 8445 default_server; }\n`, 'broken');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/duplicate default server/);
  });
});
