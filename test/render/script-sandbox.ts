/**
 * What every stub-run sandbox shares: a throw-away root with a PATH (bin/) holding only stub executables and a few
 * real tools, the stubs' sources (lib/, for stubs a script "installs" later), fixtures a curl stub serves, an
 * output dir the stubs write to, a temp TMPDIR, and a WALLARM_CLOUD_INIT_PREFIX standing in for the instance's /.
 * Every stub records its call in a NUL-separated log (RECORD), read back by parseCalls.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export function which(command: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new Error(`${command} not found on PATH; the stub-run tests need it`);
}

export const BASH = which('bash');

// Each call is recorded as NUL-terminated fields: argv[0], argc, args. NUL cannot occur in an argument.
export const RECORD = 'printf \'%s\\0\' "$0" "$#" "$@" >>"${STUB_LOG:?}"';

/** `aws ssm get-parameter`: fails the first STUB_AWS_FAILURES calls (AccessDenied), then prints STUB_TOKEN. */
export const AWS_STUB = `${RECORD}
n=0
if [[ -f "\${STUB_OUT}/aws.count" ]]; then read -r n <"\${STUB_OUT}/aws.count"; fi
n=$((n + 1))
echo "$n" >"\${STUB_OUT}/aws.count"
if ((n <= \${STUB_AWS_FAILURES:-0})); then
  echo "An error occurred (AccessDeniedException) when calling the GetParameter operation" >&2
  exit 255
fi
printf '%s\\n' "\${STUB_TOKEN-}"
`;

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export interface Call {
  /** The stub's full path ($0). */
  path: string;
  /** Its file name. */
  name: string;
  args: string[];
}

/** Reads the NUL-separated call log the stubs append to: path, argc, then each argument. */
export function parseCalls(log: string): Call[] {
  const fields = log.split('\0');
  const calls: Call[] = [];
  let i = 0;
  while (i < fields.length - 1) {
    const path = fields[i++] ?? '';
    const argc = Number(fields[i++]);
    calls.push({ path, name: path.split('/').pop() ?? path, args: fields.slice(i, i + argc) });
    i += argc;
  }
  return calls;
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: Call[];
  /** A file under the prefix (i.e. the instance's /), or undefined. */
  file: (path: string) => string | undefined;
  /** A file the stubs saved in their output dir, or undefined. */
  saved: (name: string) => string | undefined;
  /** Entries left in the script's TMPDIR after it exited. */
  leftovers: () => string[];
}

export interface SandboxSetup {
  /** Names the temp root (wallarm-oob-<name>-…). */
  name: string;
  /** Stub bodies by command name (RECORD first; the shebang is added). */
  stubs: Record<string, string>;
  /** Stubs on PATH from the start; the others only in lib/, for a stub that "installs" them. */
  onPath: readonly string[];
  /** Real tools linked onto PATH. */
  tools: readonly string[];
}

export class ScriptSandbox {
  readonly root: string;
  readonly bin: string;
  readonly lib: string;
  readonly fixtures: string;
  readonly out: string;
  readonly tmp: string;
  readonly prefix: string;
  readonly log: string;

  constructor(setup: SandboxSetup) {
    this.root = mkdtempSync(join(tmpdir(), `wallarm-oob-${setup.name}-`));
    [this.bin, this.lib, this.fixtures, this.out, this.tmp, this.prefix] = ['bin', 'lib', 'fixtures', 'out', 'tmp', 'prefix'].map((dir) => join(this.root, dir)) as [string, string, string, string, string, string];
    this.log = join(this.out, 'calls');
    for (const dir of [this.bin, this.lib, this.fixtures, this.out, this.tmp, this.prefix]) mkdirSync(dir, { recursive: true });
    for (const [name, body] of Object.entries(setup.stubs)) this.writeExecutable(join(this.lib, name), `#!${BASH}\n${body}`);
    for (const name of setup.onPath) this.writeExecutable(join(this.bin, name), readFileSync(join(this.lib, name), 'utf8'));
    for (const tool of setup.tools) symlinkSync(which(tool), join(this.bin, tool));
  }

  /** Serves `content` for any URL whose last path segment is `name` (a curl stub); returns its sha256. */
  fixture(name: string, content: string | Buffer): string {
    writeFileSync(join(this.fixtures, name), content);
    return sha256(content);
  }

  run(script: string, env: Record<string, string> = {}): RunResult {
    const file = join(this.root, 'user-data.sh');
    writeFileSync(file, script);
    const result = spawnSync(BASH, [file], {
      cwd: this.root,
      encoding: 'utf8',
      timeout: 30_000,
      env: {
        PATH: this.bin,
        TMPDIR: this.tmp,
        WALLARM_CLOUD_INIT_PREFIX: this.prefix,
        STUB_LOG: this.log,
        STUB_OUT: this.out,
        STUB_LIB: this.lib,
        STUB_BIN: this.bin,
        STUB_FIXTURES: this.fixtures,
        ...env,
      },
    });
    if (result.error) throw result.error;
    const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);
    return {
      status: result.status,
      stdout: result.stdout,
      stderr: result.stderr,
      calls: existsSync(this.log) ? parseCalls(readFileSync(this.log, 'utf8')) : [],
      file: (path) => read(join(this.prefix, path)),
      saved: (name) => read(join(this.out, name)),
      leftovers: () => readdirSync(this.tmp),
    };
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  protected writeExecutable(file: string, body: string): void {
    writeFileSync(file, body);
    chmodSync(file, 0o755);
  }
}
