import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { ApplyOptions, ApplyResult } from '../../src/core/apply.js';
import type { Deployment } from '../../src/core/deployment.js';
import { addMirrorSources, editMirrorSources, removeMirrorSources } from '../../src/core/edit-sources.js';
import type { Hooks } from '../../src/core/run-plan.js';
import type { Plan, PlannedAction } from '../../src/engine/plan.js';
import { ConfigError } from '../../src/errors.js';

const applyMock = vi.hoisted(() => ({ fn: undefined as undefined | ((d: Deployment, o: ApplyOptions, h: Hooks) => Promise<ApplyResult>) }));
vi.mock('../../src/core/apply.js', () => ({ applyDeployment: (d: Deployment, o: ApplyOptions, h: Hooks) => applyMock.fn!(d, o, h) }));

const ENI_A = 'eni-0aaaaaaaaaaaaaaaa';
const ENI_B = 'eni-0bbbbbbbbbbbbbbbb';
const ENI_C = 'eni-0cccccccccccccccc';

const HEAD = `# Shop VPC mirroring: owned by the appsec team.
deployment: shop-vpc   # keep it short
topology: vpc-mirror
vpcId: vpc-0123456789abcdef0
subnets:
  loadBalancer: [subnet-0123456789abcdef0, subnet-0123456789abcdef1]   # two AZs

mirror:
  # What to mirror.
  sources:
`;
const SOURCES = `    # The web servers.
    - networkInterfaceIds: [${ENI_A}]
    # The API tier.
    - autoScalingGroup: api-asg
`;
const TAIL = `  # Requests only.
  ingress: true
  ports: [80, 443]   # HTTP and HTTPS

# Everything gets these tags.
tags: { team: appsec }
`;
const FILE = HEAD + SOURCES + TAIL;

/** The text outside the sources sequence must be unchanged, byte for byte. */
function expectOutsideUnchanged(text: string) {
  expect(text.startsWith(HEAD)).toBe(true);
  expect(text.endsWith(TAIL)).toBe(true);
}

describe('addMirrorSources / removeMirrorSources (text)', () => {
  it('adds ENIs to the existing list, a group and a tag set, preserving everything outside the sequence', () => {
    const edit = addMirrorSources(FILE, 'c.yaml', { enis: [ENI_A, ENI_B], asg: 'web-asg', tags: { role: 'web', env: 'prod' } });
    expect(edit.changed).toEqual([ENI_B, 'autoScalingGroup web-asg', 'tags role=web,env=prod']);
    expect(edit.unchanged).toEqual([`${ENI_A} (already in mirror.sources)`]);
    expectOutsideUnchanged(edit.text);
    expect(edit.text).toContain('    # The web servers.\n');
    expect(edit.text).toContain('    # The API tier.\n');
    expect(edit.text).toContain(`networkInterfaceIds: [${ENI_A}, ${ENI_B}]`);
    expect(parse(edit.text).mirror.sources).toEqual([
      { networkInterfaceIds: [ENI_A, ENI_B] },
      { autoScalingGroup: 'api-asg' },
      { autoScalingGroup: 'web-asg' },
      { tags: { role: 'web', env: 'prod' } },
    ]);
  });

  it('round trip: remove what was added gives the same data back, comments kept', () => {
    const added = addMirrorSources(FILE, 'c.yaml', { enis: [ENI_B, ENI_C], asg: 'web-asg' });
    const removed = removeMirrorSources(added.text, 'c.yaml', { enis: [ENI_B, ENI_C], asg: 'web-asg' });
    expect(removed.changed).toEqual([ENI_B, ENI_C, 'autoScalingGroup web-asg']);
    expectOutsideUnchanged(removed.text);
    expect(parse(removed.text)).toEqual(parse(FILE));
    expect(removed.text).toContain('    # The API tier.\n');
  });

  it('a file without a networkInterfaceIds item gets a new flow-style item', () => {
    const file = HEAD + '    - autoScalingGroup: api-asg\n' + TAIL;
    const edit = addMirrorSources(file, 'c.yaml', { enis: [ENI_B] });
    expectOutsideUnchanged(edit.text);
    expect(edit.text).toContain(`    - networkInterfaceIds: [${ENI_B}]\n`);
  });

  it('keeps a differently indented sequence valid (re-indented to its column)', () => {
    const file = FILE.replace(SOURCES, `  - networkInterfaceIds: [${ENI_A}]\n  - autoScalingGroup: api-asg\n`).replace('  # Requests only.\n', '  # Requests only (a comment the sequence owns).\n');
    const edit = addMirrorSources(file, 'c.yaml', { enis: [], asg: 'web-asg' });
    expect(parse(edit.text).mirror.sources).toEqual([{ networkInterfaceIds: [ENI_A] }, { autoScalingGroup: 'api-asg' }, { autoScalingGroup: 'web-asg' }]);
    expect(edit.text).toBe(file.replace('  - autoScalingGroup: api-asg\n', '  - autoScalingGroup: api-asg\n  - autoScalingGroup: web-asg\n'));
  });

  it('remove: dropping the last ENI of an item drops the item; naming something not listed is an error', () => {
    const edit = removeMirrorSources(FILE, 'c.yaml', { enis: [ENI_A] });
    expect(parse(edit.text).mirror.sources).toEqual([{ autoScalingGroup: 'api-asg' }]);
    expect(() => removeMirrorSources(FILE, 'c.yaml', { enis: [ENI_C], asg: 'nope' })).toThrow(/does not list network interface eni-0cccccccccccccccc, autoScalingGroup nope/);
    expect(() => removeMirrorSources(FILE, 'c.yaml', { enis: [ENI_A], asg: 'api-asg' })).toThrow(/would leave mirror.sources empty/);
  });
});

describe('editMirrorSources (apply mocked)', () => {
  let dir: string;
  let path: string;
  let messages: string[];
  let hooks: Hooks;

  const action = (id: string, kind: PlannedAction['kind'], act: PlannedAction['action'] = 'update'): PlannedAction => ({ id, kind, action: act, physicalId: `phys-${id}`, reasons: [], changes: [] });
  const planWith = (actions: PlannedAction[]): Plan => ({ actions } as unknown as Plan);
  const options = { configPath: '', global: {}, autoApprove: true, parallelism: 5, lockTimeoutMs: 0, wait: false };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wallarm-oob-edit-'));
    path = join(dir, 'wallarm-oob.yaml');
    writeFileSync(path, FILE);
    messages = [];
    hooks = { showPlan: () => undefined, confirm: async () => true, onEvent: () => undefined, info: (m) => messages.push(m), warn: (m) => messages.push(m) };
  });
  afterEach(() => {
    applyMock.fn = undefined;
  });

  it('plans the edited config from memory, writes the file right before applying the session change', async () => {
    let seen: { sources: unknown; fileAtPlan: string; fileAtStart?: string } | undefined;
    applyMock.fn = async (deployment, _o, h) => {
      seen = { sources: (deployment.loaded.config as { mirror: { sources: unknown } }).mirror.sources, fileAtPlan: readFileSync(path, 'utf8') };
      const plan = planWith([action('mirror-sessions', 'traffic-mirror-session'), action('node-alb', 'load-balancer', 'noop')]);
      h.showPlan(plan);
      await h.starting?.(plan.actions);
      seen.fileAtStart = readFileSync(path, 'utf8');
      return { plan, changed: true, outputs: { sessionCount: 2 } };
    };
    const result = await editMirrorSources('add-eni', { enis: [ENI_B] }, { ...options, configPath: path }, hooks);
    expect(seen!.sources).toEqual([{ networkInterfaceIds: [ENI_A, ENI_B] }, { autoScalingGroup: 'api-asg' }]);
    expect(seen!.fileAtPlan).toBe(FILE); // not written while planning
    expect(seen!.fileAtStart).toContain(ENI_B); // written before the sessions are created
    expect(result).toMatchObject({ changed: [ENI_B], written: true });
  });

  it('refuses when the deployment has other pending changes, and leaves the file alone', async () => {
    applyMock.fn = async (_d, _o, h) => {
      const plan = planWith([action('mirror-sessions', 'traffic-mirror-session'), action('node-launch-template', 'launch-template')]);
      h.showPlan(plan);
      throw new Error('unreachable');
    };
    const error = await editMirrorSources('add-eni', { enis: [ENI_B] }, { ...options, configPath: path }, hooks).catch((x: unknown) => x);
    expect((error as ConfigError).code).toBe('OTHER_CHANGES_PENDING');
    expect((error as Error).message).toMatch(/1 other pending change\(s\): node-launch-template \(update\)/);
    expect((error as ConfigError).actions[0]).toMatch(/wallarm-oob apply/);
    expect(readFileSync(path, 'utf8')).toBe(FILE);
  });

  it('declined: the file is not written', async () => {
    applyMock.fn = async (_d, _o, h) => {
      if (!(await h.confirm('Apply these changes?'))) throw new Error('declined');
      throw new Error('unreachable');
    };
    hooks.confirm = async (q) => {
      expect(q).toMatch(/^Apply these changes and update .*wallarm-oob\.yaml\?$/);
      return false;
    };
    await expect(editMirrorSources('remove-eni', { enis: [], asg: 'api-asg' }, { ...options, autoApprove: false, configPath: path }, hooks)).rejects.toThrow('declined');
    expect(readFileSync(path, 'utf8')).toBe(FILE);
  });

  it('refuses a web-server-mirror deployment and an edit the schema rejects', async () => {
    const web = join(dir, 'web.yaml');
    writeFileSync(web, 'deployment: shop\ntopology: web-server-mirror\nvpcId: vpc-0123456789abcdef0\nsubnets:\n  loadBalancer: [subnet-0123456789abcdef0, subnet-0123456789abcdef1]\n');
    await expect(editMirrorSources('add-eni', { enis: [ENI_B] }, { ...options, configPath: web }, hooks)).rejects.toMatchObject({ code: 'NOT_VPC_MIRROR' });
    await expect(editMirrorSources('add-eni', { enis: ['eni-nothex'] }, { ...options, configPath: path }, hooks)).rejects.toMatchObject({ code: 'BAD_ENI_ID' });
    await expect(editMirrorSources('add-eni', { enis: [], asg: 'x'.repeat(300) }, { ...options, configPath: path }, hooks)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(readFileSync(path, 'utf8')).toBe(FILE);
  });

  it('nothing to add: no plan, no write', async () => {
    applyMock.fn = async () => {
      throw new Error('should not plan');
    };
    const result = await editMirrorSources('add-eni', { enis: [ENI_A] }, { ...options, configPath: path }, hooks);
    expect(result).toMatchObject({ changed: [], written: false });
    expect(messages[0]).toMatch(/Nothing to change/);
  });
});
