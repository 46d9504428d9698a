/**
 * A table of malformed configs: each must fail with one ConfigError naming the file, the key path, the line
 * (where the key is in the file) and a fix, without stack text.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { BASE, configError, tempDir, VPC_BASE } from './helpers.js';

interface Case {
  name: string;
  text: string;
  /** Key path as printed; omitted for syntax errors, which have a line but no schema path. */
  path?: string;
  line?: number;
  fix: RegExp;
  code?: string;
  file?: string;
  extraFiles?: Record<string, string>;
}

/** Every bad nodeVersion gets the list of accepted values. */
const ACCEPTED = /not a Wallarm node version wallarm-oob can deploy; write one of "7\.x", "7\.<minor>", "6\.x", "6\.<minor>", "5\.x", "5\.<minor>", "4\.10", "4\.8" or "latest"/;

const replace = (from: string, to: string, text = BASE) => {
  if (!text.includes(from)) throw new Error(`fixture: ${from} not in text`);
  return text.replace(from, to);
};

const cases: Case[] = [
  // names and types
  { name: 'upper-case deployment', text: replace('shop-oob', 'Shop-OOB'), path: 'deployment', line: 1, fix: /lowercase letters.*e\.g\. shop-oob/ },
  { name: 'deployment longer than 20', text: replace('shop-oob', 'a'.repeat(21)), path: 'deployment', line: 1, fix: /1-20/ },
  { name: 'deployment starting with a digit', text: replace('shop-oob', '1shop'), path: 'deployment', line: 1, fix: /starting with a letter/ },
  { name: 'missing deployment', text: BASE.split('\n').slice(1).join('\n'), path: 'deployment', fix: /required but missing; add it/ },
  { name: 'topology typo', text: replace('web-server-mirror', 'web-server-miror'), path: 'topology', line: 2, fix: /did you mean "web-server-mirror"\?/ },
  { name: 'vpcId with too few digits', text: replace('vpc-0123456789abcdef0', 'vpc-123'), path: 'vpcId', line: 3, fix: /8 or 17 lowercase hex digits, e\.g\. vpc-/ },
  { name: 'vpcId as a number', text: replace('vpc-0123456789abcdef0', '12345'), path: 'vpcId', line: 3, fix: /is the number 12345; write text/ },
  { name: 'region that is not a region', text: `${BASE}region: europe\n`, path: 'region', line: 6, fix: /e\.g\. eu-west-1/ },
  // subnets
  { name: 'bad subnet id', text: replace('subnet-0123456789abcdef1', 'subnet-XYZ'), path: 'subnets.loadBalancer[1]', line: 5, fix: /e\.g\. subnet-/ },
  { name: 'one load balancer subnet', text: replace(', subnet-0123456789abcdef1', ''), path: 'subnets.loadBalancer', line: 5, fix: /needs at least 2; add 1/ },
  { name: 'duplicate subnets', text: replace('subnet-0123456789abcdef1', 'subnet-0123456789abcdef0'), path: 'subnets.loadBalancer[1]', line: 5, fix: /listed twice.*remove the repeat/ },
  { name: 'subnets as a single string', text: replace('[subnet-0123456789abcdef0, subnet-0123456789abcdef1]', 'subnet-0123456789abcdef0'), path: 'subnets.loadBalancer', line: 5, fix: /write a list, e\.g\. \[subnet-/ },
  // unknown keys
  { name: 'unknown top-level key', text: `${BASE}regoin: eu-west-1\n`, path: 'regoin', line: 6, fix: /did you mean `region`\?/ },
  { name: 'misspelt nested key', text: `${BASE}nodes:\n  instnceType: t3.large\n`, path: 'nodes.instnceType', line: 7, fix: /did you mean `instanceType`\?/ },
  { name: 'snake_case key', text: `${BASE}nodes:\n  min_size: 2\n`, path: 'nodes.min_size', line: 7, fix: /did you mean `minSize`\?/ },
  { name: 'unrelated unknown key', text: `${BASE}loadBalancer:\n  colour: blue\n`, path: 'loadBalancer.colour', line: 7, fix: /remove it \(keys allowed here: deletionProtection\)/ },
  // nodes
  { name: 'minSize above maxSize', text: `${BASE}nodes:\n  minSize: 4\n  maxSize: 3\n`, path: 'nodes.minSize', line: 7, fix: /lower minSize or raise maxSize/ },
  { name: 'desiredCapacity above maxSize', text: `${BASE}nodes: { desiredCapacity: 5 }\n`, path: 'nodes.desiredCapacity', line: 6, fix: /between minSize \(1\) and maxSize \(3\)/ },
  { name: 'maxSize above 100', text: `${BASE}nodes:\n  maxSize: 101\n`, path: 'nodes.maxSize', line: 7, fix: /use 100 or less/ },
  { name: 'quoted number', text: `${BASE}nodes:\n  maxSize: "3"\n`, path: 'nodes.maxSize', line: 7, fix: /without quotes: 3/ },
  { name: 'cpuTargetPercent of 0', text: `${BASE}nodes:\n  cpuTargetPercent: 0\n`, path: 'nodes.cpuTargetPercent', line: 7, fix: /use 1 or more/ },
  { name: 'bad AMI id', text: `${BASE}nodes:\n  amiId: ami-12345\n`, path: 'nodes.amiId', line: 7, fix: /e\.g\. ami-/ },
  { name: 'Graviton instance type', text: `${BASE}nodes:\n  instanceType: m7g.large\n`, path: 'nodes.instanceType', line: 7, fix: /x86_64.*t3\.medium/ },
  { name: 'extra port already open', text: `${BASE}nodes:\n  extraInboundPorts: [8080, 8445]\n`, path: 'nodes.extraInboundPorts[1]', line: 7, fix: /always open already; remove it/ },
  { name: 'empty nodes section', text: `${BASE}nodes:\n`, path: 'nodes', line: 6, fix: /has no value; give it one.*or delete the key/ },
  // wallarm
  { name: 'nodeVersion as a YAML number', text: `${BASE}wallarm:\n  nodeVersion: 4.10\n`, path: 'wallarm.nodeVersion', line: 7, fix: /in quotes, e\.g\. nodeVersion: "7\.x"/ },
  { name: 'nodeVersion older than 4.8', text: `${BASE}wallarm:\n  nodeVersion: "3.6"\n`, path: 'wallarm.nodeVersion', line: 7, fix: ACCEPTED },
  { name: 'nodeVersion without minor', text: `${BASE}wallarm:\n  nodeVersion: "5"\n`, path: 'wallarm.nodeVersion', line: 7, fix: ACCEPTED },
  { name: 'nodeVersion of a line that does not exist', text: `${BASE}wallarm:\n  nodeVersion: "8.0"\n`, path: 'wallarm.nodeVersion', line: 7, fix: ACCEPTED },
  { name: 'nodeVersion of a 4.x minor that was never a line', text: `${BASE}wallarm:\n  nodeVersion: "4.9"\n`, path: 'wallarm.nodeVersion', line: 7, fix: ACCEPTED },
  { name: 'nodeGroup with a quote', text: `${BASE}wallarm:\n  nodeGroup: "a'b"\n`, path: 'wallarm.nodeGroup', line: 7, fix: /not a node group name/ },
  { name: 'unknown mode', text: `${BASE}wallarm:\n  mode: blocking\n`, path: 'wallarm.mode', line: 7, fix: /did you mean "block"\?/ },
  { name: 'unknown cloud', text: `${BASE}wallarm:\n  cloud: asia\n`, path: 'wallarm.cloud', line: 7, fix: /use one of eu, us/ },
  { name: 'apiHost with a scheme', text: `${BASE}wallarm:\n  apiHost: https://api.wallarm.com\n`, path: 'wallarm.apiHost', line: 7, fix: /host name only/ },
  { name: 'tokenParameter without a leading slash', text: `${BASE}wallarm:\n  tokenParameter: node-token\n`, path: 'wallarm.tokenParameter', line: 7, fix: /\/<folder>\/<name>/ },
  { name: 'tokenParameter under /aws', text: `${BASE}wallarm:\n  tokenParameter: /aws/token\n`, path: 'wallarm.tokenParameter', line: 7, fix: /prefix AWS reserves.*choose another path/ },
  { name: 'tokenParameter on the state path', text: `${BASE}wallarm:\n  tokenParameter: /wallarm-oob/shop-oob/state\n`, path: 'wallarm.tokenParameter', line: 7, fix: /state or lock; use another path/ },
  { name: 'libdetection as text', text: `${BASE}wallarm:\n  libdetection: "yes"\n`, path: 'wallarm.libdetection', line: 7, fix: /write true or false/ },
  // network
  { name: 'CIDR with host bits', text: `${BASE}network:\n  nodeInboundCidrs: [10.1.2.3/8]\n`, path: 'network.nodeInboundCidrs[0]', line: 7, fix: /write 10\.0\.0\.0\/8, or 10\.1\.2\.3\/32/ },
  { name: 'CIDR with a bad octet', text: `${BASE}network:\n  mirrorSourceCidrs: [10.0.0.0/8, 256.0.0.0/8]\n`, path: 'network.mirrorSourceCidrs[1]', line: 7, fix: /0-255/ },
  { name: 'CIDR prefix /33', text: `${BASE}network:\n  nodeOutboundCidrs: [0.0.0.0/33]\n`, path: 'network.nodeOutboundCidrs[0]', line: 7, fix: /use \/0 to \/32/ },
  { name: 'address without prefix', text: `${BASE}network:\n  sshCidrs: [192.0.2.7]\n`, path: 'network.sshCidrs[0]', line: 7, fix: /write 192\.0\.2\.7\/32/ },
  { name: 'IPv6 range', text: `${BASE}network:\n  nodeOutboundCidrs: ["::/0"]\n`, path: 'network.nodeOutboundCidrs[0]', line: 7, fix: /IPv6.*use IPv4/ },
  { name: 'empty CIDR list', text: `${BASE}network:\n  mirrorSourceCidrs: []\n`, path: 'network.mirrorSourceCidrs', line: 7, fix: /needs at least 1; add 1/ },
  // tags
  { name: 'tag with aws: prefix', text: `${BASE}tags:\n  aws:team: x\n`, path: 'tags.aws:team', line: 7, fix: /reserved prefix "aws:"; choose a key without it/ },
  { name: 'tag with wallarm-oob: prefix', text: `${BASE}tags:\n  wallarm-oob:id: x\n`, path: 'tags.wallarm-oob:id', line: 7, fix: /reserved prefix "wallarm-oob:"/ },
  { name: 'managed-by tag', text: `${BASE}tags:\n  managed-by: me\n`, path: 'tags.managed-by', line: 7, fix: /set by wallarm-oob itself; choose another key/ },
  { name: 'numeric tag value', text: `${BASE}tags:\n  cost-centre: 42\n`, path: 'tags.cost-centre', line: 7, fix: /quoting it.*"42"/ },
  { name: 'too many tags', text: `${BASE}tags:\n${Array.from({ length: 41 }, (_, i) => `  t${i}: v\n`).join('')}`, path: 'tags', line: 6, fix: /more than 40.*remove 1/ },
  // topology sections
  { name: 'mirror on web-server-mirror', text: `${BASE}mirror:\n  sources: [{ autoScalingGroup: web }]\n`, path: 'mirror', line: 6, fix: /only applies to topology vpc-mirror; remove the mirror section/ },
  { name: 'rebuilder on web-server-mirror', text: `${BASE}rebuilder: { count: 1 }\n`, path: 'rebuilder', line: 6, fix: /only applies to topology vpc-mirror/ },
  { name: 'vpc-mirror without mirror', text: replace('web-server-mirror', 'vpc-mirror'), path: 'mirror', fix: /add a mirror section/ },
  { name: 'vpc-mirror with no sources', text: `${replace('web-server-mirror', 'vpc-mirror')}mirror:\n  sources: []\n`, path: 'mirror.sources', line: 7, fix: /at least 1; add 1/ },
  { name: 'source with two selectors', text: replace('    - autoScalingGroup: web-asg\n', '    - { autoScalingGroup: web-asg, tags: { role: web } }\n', VPC_BASE), path: 'mirror.sources[0]', line: 8, fix: /exactly one of.*split it/ },
  { name: 'source key in the wrong case', text: replace('autoScalingGroup', 'autoscalingGroup', VPC_BASE), path: 'mirror.sources[0].autoscalingGroup', line: 8, fix: /did you mean `autoScalingGroup`\?/ },
  { name: 'bad ENI id', text: replace('autoScalingGroup: web-asg', 'networkInterfaceIds: [eni-zz]', VPC_BASE), path: 'mirror.sources[0].networkInterfaceIds[0]', line: 8, fix: /e\.g\. eni-/ },
  { name: 'neither ingress nor egress (goreplay)', text: `${VPC_BASE}  receiver: goreplay\n  ingress: false\n`, path: 'mirror.ingress', line: 10, fix: /set ingress: true/ },
  { name: 'native-node without egress', text: `${VPC_BASE}  egress: false\n`, path: 'mirror.egress', line: 9, fix: /remove mirror\.egress \(or set it to true\), or use receiver: goreplay/ },
  { name: 'VNI out of range', text: `${VPC_BASE}  vni: 16777216\n`, path: 'mirror.vni', line: 9, fix: /use 16777215 or less/ },
  { name: 'mirror port 0', text: `${VPC_BASE}  ports: [0]\n`, path: 'mirror.ports[0]', line: 9, fix: /use 1 or more/ },
  { name: 'goreplay url without sha256', text: `${VPC_BASE}rebuilder:\n  goreplay:\n    url: https://example.com/gor.tar.gz\n`, path: 'rebuilder.goreplay.sha256', line: 10, fix: /set both url and sha256, or neither/ },
  { name: 'goreplay sha256 too short', text: `${VPC_BASE}rebuilder:\n  goreplay: { url: "https://example.com/gor.tgz", sha256: abc123 }\n`, path: 'rebuilder.goreplay.sha256', line: 10, fix: /64 hex digits/ },
  // files and syntax
  { name: 'missing snippet file', text: `${BASE}wallarm:\n  nginx:\n    serverSnippet: ./server.conf\n`, path: 'wallarm.nginx.serverSnippet', line: 8, fix: /server\.conf does not exist; fix the path \(relative to the config file\) or create the file/, code: 'CONFIG_FILE_UNREADABLE' },
  { name: 'snippet path is a directory', text: `${BASE}wallarm:\n  postScript: ./scripts\n`, path: 'wallarm.postScript', line: 7, fix: /scripts is not a regular file/, code: 'CONFIG_FILE_UNREADABLE', extraFiles: { 'scripts/x': '' } },
  { name: 'YAML bad indentation', text: `${BASE}nodes:\n  minSize: 1\n maxSize: 2\n`, line: 8, fix: /YAML syntax error: All mapping items must start at the same column; fix the indentation/, code: 'CONFIG_SYNTAX' },
  { name: 'YAML tab indentation', text: `${BASE}nodes:\n\tminSize: 1\n`, line: 7, fix: /YAML syntax error: Tabs are not allowed/, code: 'CONFIG_SYNTAX' },
  { name: 'duplicate key', text: `${BASE}nodes:\n  minSize: 1\n  minSize: 2\n`, path: 'minSize', line: 8, fix: /duplicate key; keep only one `minSize`/, code: 'CONFIG_SYNTAX' },
  { name: 'top-level list', text: '- deployment: shop-oob\n', path: '(top level)', fix: /must be a mapping of keys/ },
  { name: 'JSON trailing comma', text: '{\n  "deployment": "shop-oob",\n}\n', file: 'oob.json', line: 3, fix: /JSON syntax error.*write the file as YAML/, code: 'CONFIG_SYNTAX' },
  { name: 'empty file', text: '', fix: /wallarm-oob init/, code: 'CONFIG_EMPTY' },
  { name: 'comments only', text: '# deployment: shop-oob\n', fix: /wallarm-oob init/, code: 'CONFIG_EMPTY' },
];

describe('malformed configs', () => {
  it('has a table of at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('$name', async ({ text, path, line, fix, code, file = 'oob.yaml', extraFiles = {} }) => {
    const dir = await tempDir({});
    for (const [name, content] of Object.entries(extraFiles)) {
      await mkdir(dirname(join(dir, name)), { recursive: true });
      await writeFile(join(dir, name), content);
    }
    const configPath = join(dir, file);
    await writeFile(configPath, text);
    const error = await configError(loadConfig(configPath));
    const message = `${error.message}\n${error.actions.join('\n')}`;
    expect(error.code).toBe(code ?? 'CONFIG_INVALID');
    expect(error.message).toContain(configPath);
    const lineOf = (l: string) => (path ? l.includes(`: ${path}: `) : true) && (line ? l.includes(`${configPath}:${line}:`) : true);
    const matching = error.message.split('\n').filter(lineOf);
    expect(matching, `no line for ${path ?? ''} at line ${line ?? '-'} in:\n${error.message}`).not.toEqual([]);
    // Problems listed one per line carry their fix on that line; single-problem errors may say it in `actions`.
    if (code === 'CONFIG_EMPTY') expect(message).toMatch(fix);
    else expect(matching.some((l) => fix.test(l)), `fix ${fix} not on the line of ${path ?? ''}:\n${error.message}`).toBe(true);
  });
});
