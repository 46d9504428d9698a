import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, requireBuild, root } from './run-cli.js';

beforeAll(requireBuild);

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, { pluginName: string; enableJsonFlag?: boolean; args: Record<string, unknown>; flags: Record<string, unknown> }>;
};
const ownCommands = Object.entries(manifest.commands).filter(([, c]) => c.pluginName === 'wallarm-oob');

describe('did you mean', () => {
  it('names the closest command for a typo, without the help text', async () => {
    const { code, stdout, stderr } = await cli(['plna']);
    expect(stdout).toBe('');
    expect(stderr).toContain('"plna" is not a wallarm-oob command.');
    expect(stderr).toContain('Did you mean `wallarm-oob plan`?');
    expect(stderr).not.toMatch(/USAGE|COMMANDS/);
    expect(code).toBe(1);
  });

  it('names the closest flag for a mistyped one, without dumping the help', async () => {
    const { code, stdout, stderr } = await cli(['plan', '--offline', '--detailed-exit-code', '-c', 'examples/web-server-mirror.yaml']);
    expect(stdout).toBe('');
    expect(stderr).toContain('Unknown flag --detailed-exit-code for `wallarm-oob plan`.');
    expect(stderr).toContain('Did you mean --detailed-exitcode');
    expect(stderr).not.toMatch(/USAGE|FLAGS|GLOBAL/);
    expect(stderr.match(/Error:/g)).toHaveLength(1);
    expect(code).toBe(1);
  });

  it('suggests a --no- flag and keeps a value given with =', async () => {
    const { stderr } = await cli(['apply', '--no-wiat', '--paralelism=4']);
    expect(stderr).toContain('Did you mean --no-wait (instead of --no-wiat)?');
    expect(stderr).toContain('Did you mean --parallelism=4 (instead of --paralelism=4)?');
  });
});

describe('version and help', () => {
  for (const args of [['-v'], ['--version'], ['version']]) {
    it(`${args.join(' ')} prints the version`, async () => {
      const { code, stdout } = await cli(args);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^wallarm-oob/${pkg.version.replaceAll('.', '\\.')} `));
    });
  }

  it('-h prints the help of a command', async () => {
    const { code, stdout } = await cli(['plan', '-h']);
    expect(code).toBe(0);
    expect(stdout).toContain('--detailed-exitcode');
  });
});

describe('shell completion', () => {
  it('bash and zsh: builds completion functions that know the commands and their flags', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'wallarm-oob-ac-'));
    const { code } = await cli(['autocomplete', '--refresh-cache'], { XDG_CACHE_HOME: cache });
    expect(code).toBe(0);
    const bash = readFileSync(join(cache, 'wallarm-oob/autocomplete/functions/bash/wallarm-oob.bash'), 'utf8');
    expect(bash).toContain('--detailed-exitcode');
    expect(bash).toMatch(/mirror-config/);
    const zsh = readFileSync(join(cache, 'wallarm-oob/autocomplete/functions/zsh/_wallarm-oob'), 'utf8');
    expect(zsh).toContain('detailed-exitcode');
    const setup = await cli(['autocomplete', 'script', 'bash'], { XDG_CACHE_HOME: cache });
    expect(setup.stdout).toContain(join(cache, 'wallarm-oob/autocomplete/bash_setup'));
  });

  it('fish: prints a complete script of commands, flags and their values', async () => {
    const { code, stdout } = await cli(['autocomplete', 'fish']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.filter((l) => !l.startsWith('#')).every((l) => l.startsWith('complete -c wallarm-oob '))).toBe(true);
    expect(lines).toContain("complete -c wallarm-oob -n '__fish_seen_subcommand_from plan' -l detailed-exitcode -d 'Exit 0 when there are no changes, 2 when there are, 1 on error'");
    expect(lines).toContain("complete -c wallarm-oob -n '__fish_seen_subcommand_from mirror-config' -a 'nginx envoy istio traefik' -d 'The web server that mirrors the traffic'");
    expect(stdout).toMatch(/-a 'plan' -d 'Show what apply would change/);
    expect(stdout).toContain("-l config -s c -r -F");
  });
});

/** What each command needs to get past argument parsing. */
const ARGS: Record<string, string[]> = { 'mirror-config': ['nginx'], unlock: ['6f1c2d3e'], 'add-eni': ['eni-0123456789abcdef0'], 'remove-eni': ['eni-0123456789abcdef0'], 'state:show': ['node-alb'] };

function expectOneJsonError(stdout: string, command?: string): { code: string; message: string; actions: string[] } {
  const parsed = JSON.parse(stdout) as { error: { code: string; message: string; actions: string[] } };
  // validate's report lists every check; a failed one adds the same error object as every other command
  if (command === 'validate') expect(Object.keys(parsed)).toEqual(['ok', 'config', 'checks', 'error']);
  else expect(Object.keys(parsed)).toEqual(['error']);
  expect(Object.keys(parsed.error).sort()).toEqual(['actions', 'code', 'message']);
  expect(parsed.error.code).toMatch(/^[A-Z_]+$/);
  expect(parsed.error.message.length).toBeGreaterThan(0);
  expect(Array.isArray(parsed.error.actions)).toBe(true);
  return parsed.error;
}

describe('--json: every command, and every error as one JSON object on stdout with the same exit code', () => {
  it('every command has --json', () => {
    expect(ownCommands.length).toBeGreaterThanOrEqual(11);
    expect(ownCommands.filter(([, c]) => !c.enableJsonFlag).map(([id]) => id)).toEqual([]);
  });

  it('an unknown flag', async () => {
    await Promise.all(
      ownCommands.map(async ([id]) => {
        const argv = [...id.split(':'), ...(ARGS[id] ?? []), '--bogus-flag'];
        const [text, json] = await Promise.all([cli(argv), cli([...argv, '--json'])]);
        expect(text.stderr, id).toContain('Unknown flag --bogus-flag');
        expect(expectOneJsonError(json.stdout).code, id).toBe('UNKNOWN_FLAG');
        expect(json.code, id).toBe(text.code);
        expect(json.code, id).not.toBe(0);
      }),
    );
  });

  it('a failure while running (no config file; for init a file it would overwrite)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wallarm-oob-json-'));
    writeFileSync(join(dir, 'wallarm-oob.yaml'), 'deployment: x\n');
    const env = { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
    const cases = ownCommands
      .filter(([, c]) => 'config' in c.flags || c.flags.output)
      .map(([id]) => (id === 'init' ? ['init', '--topology', 'web-server-mirror', '--vpc-id', 'vpc-0123456789abcdef0'] : [id, ...(ARGS[id] ?? []), '-c', 'missing.yaml']));
    expect(cases.length).toBe(15);
    await Promise.all(
      cases.map(async (argv) => {
        const [text, json] = await Promise.all([cli(argv, env, dir), cli([...argv, '--json'], env, dir)]);
        const error = expectOneJsonError(json.stdout, argv[0]);
        expect(error.code, argv[0]).toBe(argv[0] === 'init' ? 'INIT_FILE_EXISTS' : 'CONFIG_NOT_FOUND');
        if (argv[0] === 'validate') {
          expect(error.message).toMatch(/^Config file matches the schema: No config file at .*missing\.yaml/);
          expect(text.stdout).toContain('✗ Config file matches the schema');
        } else {
          expect(text.stderr, argv[0]).toContain(error.message);
          expect(text.stdout, argv[0]).toBe('');
        }
        expect(json.code, argv[0]).toBe(text.code);
        expect(json.code, argv[0]).toBe(1);
      }),
    );
  });

  it('an unknown command', async () => {
    const json = await cli(['plna', '--json']);
    expect(expectOneJsonError(json.stdout).actions).toContain('Did you mean `wallarm-oob plan`?');
    expect(json.code).toBe(1);
  });
});

describe('negatable boolean flags written with a value', () => {
  it('plan --refresh=false is --no-refresh (Terraform writes -refresh=false), not a stray argument', async () => {
    const off = await cli(['plan', '--offline', '--refresh=false', '-c', 'examples/web-server-mirror.yaml']);
    expect(off.stderr).toBe('');
    expect(off.code).toBe(0);
    expect((await cli(['plan', '--offline', '--refresh=true', '-c', 'examples/web-server-mirror.yaml'])).code).toBe(0);
  });

  it('any other value is one clear error', async () => {
    const { code, stdout, stderr } = await cli(['plan', '--offline', '--refresh=maybe', '-c', 'examples/web-server-mirror.yaml']);
    expect(stdout).toBe('');
    expect(stderr).toContain('--refresh takes true or false, not "maybe".');
    expect(stderr).toContain('Use --refresh or --no-refresh (also written --refresh=true, --refresh=false).');
    expect(code).toBe(1);
  });
});
