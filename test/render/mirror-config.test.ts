import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { MIRROR_SERVERS, renderMirrorConfig, type MirrorServer } from '../../src/render/mirror-config.js';

const endpoint = { host: 'internal-wallarm-oob-prod-1234567890.eu-west-1.elb.amazonaws.com', port: 8445 };
const url = `http://${endpoint.host}:${endpoint.port}`;

/** Parses every YAML document, failing on any syntax error or warning. */
function yamlDocs(server: MirrorServer): unknown[] {
  return parseAllDocuments(renderMirrorConfig(server, endpoint)).map((doc) => {
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
    return doc.toJS();
  });
}

describe('renderMirrorConfig', () => {
  it.each(MIRROR_SERVERS)('%s: names the live endpoint', (server) => {
    const text = renderMirrorConfig(server, endpoint);
    expect(text).toContain(url);
    expect(text).not.toMatch(/<%|%>|undefined/);
  });

  it('nginx: mirrors into an internal location that proxies to the endpoint with the forwarding headers', () => {
    const text = renderMirrorConfig('nginx', endpoint);
    expect(text).toContain('mirror /wallarm-mirror;');
    expect(text).toContain('mirror_request_body on;');
    expect(text).toMatch(/location = \/wallarm-mirror \{\n\s+internal;/);
    expect(text).toContain(`    proxy_pass ${url}$request_uri;`);
    for (const header of ['X-Forwarded-For', 'X-Forwarded-Port', 'X-Forwarded-Proto', 'X-Request-ID $request_id']) {
      expect(text).toContain(`proxy_set_header ${header}`);
    }
    const code = text.replace(/#.*$/gm, '');
    expect(code.split('{').length).toBe(code.split('}').length);
  });

  it('envoy: a STRICT_DNS wallarm cluster and a route mirror policy pointing at it', () => {
    const [clusters, routes] = yamlDocs('envoy');
    const endpoints = [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: endpoint.host, port_value: 8445 } } } }] }];
    expect(clusters).toMatchObject({
      clusters: [{ name: 'wallarm', type: 'STRICT_DNS', load_assignment: { cluster_name: 'wallarm', endpoints } }],
    });
    expect(routes).toMatchObject({
      routes: [{ route: { request_mirror_policies: [{ cluster: 'wallarm', runtime_fraction: { default_value: { numerator: 100 } } }] } }],
    });
  });

  it('istio: a MESH_EXTERNAL ServiceEntry and a VirtualService mirroring 100 %', () => {
    const [serviceEntry, virtualService] = yamlDocs('istio');
    expect(serviceEntry).toMatchObject({
      kind: 'ServiceEntry',
      spec: {
        hosts: [endpoint.host],
        location: 'MESH_EXTERNAL',
        ports: [{ number: 8445, name: 'http', protocol: 'HTTP' }],
        resolution: 'DNS',
      },
    });
    expect(virtualService).toMatchObject({
      kind: 'VirtualService',
      spec: { http: [{ mirror: { host: endpoint.host, port: { number: 8445 } }, mirrorPercentage: { value: 100 } }] },
    });
  });

  it('traefik: a mirroring service and the wallarm load balancer service', () => {
    expect(yamlDocs('traefik')).toMatchObject([
      {
        http: {
          services: {
            'with-wallarm-mirror': { mirroring: { mirrors: [{ name: 'wallarm', percent: 100 }] } },
            wallarm: { loadBalancer: { servers: [{ url }] } },
          },
        },
      },
    ]);
  });

  it('every server sends the headers the node consumes, or says in a comment which it cannot send', () => {
    const nginx = renderMirrorConfig('nginx', endpoint);
    for (const header of ['X-SERVER-ADDR $server_addr', 'X-SERVER-PORT $server_port', 'HOST $http_host', 'X-Forwarded-For $realip_remote_addr']) {
      expect(nginx).toContain(`proxy_set_header ${header};`);
    }
    const envoy = yamlDocs('envoy')[1] as { routes: { request_headers_to_add: { header: { key: string; value: string } }[]; route: { request_mirror_policies: object[] } }[] };
    expect(envoy.routes[0]!.request_headers_to_add.map((h) => [h.header.key, h.header.value])).toEqual([
      ['X-SERVER-ADDR', '%DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT%'],
      ['X-SERVER-PORT', '%DOWNSTREAM_LOCAL_PORT%'],
    ]);
    expect(envoy.routes[0]!.route.request_mirror_policies[0]).toMatchObject({ disable_shadow_host_suffix_append: true });
    for (const server of ['istio', 'traefik'] as const) {
      const text = renderMirrorConfig(server, endpoint);
      expect(text).toMatch(/^# .*cannot set X-SERVER-ADDR \/ X-SERVER-PORT/m);
      expect(text).toMatch(/^# .*X-Forwarded-For/m);
    }
  });

  it('accepts an IPv4 endpoint and another port', () => {
    expect(renderMirrorConfig('nginx', { host: '10.0.1.25', port: 80 })).toContain('proxy_pass http://10.0.1.25:80$request_uri;');
  });

  it.each([
    { host: 'evil.example.com; }', port: 8445 },
    { host: 'a b', port: 8445 },
    { host: '', port: 8445 },
    { host: 'x\nserver { }', port: 8445 },
    { host: 'ok.example.com', port: 0 },
    { host: 'ok.example.com', port: 65536 },
    { host: 'ok.example.com', port: 84.5 },
  ])('refuses endpoint $host:$port, which would corrupt the config', (bad) => {
    expect(() => renderMirrorConfig('nginx', bad)).toThrow(TypeError);
  });
});
