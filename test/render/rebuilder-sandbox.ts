/**
 * A throw-away sandbox for running the rendered rebuilder script without root or network: stub executables for
 * apt-get, curl, git, systemctl, nginx, sleep and uname on a PATH that holds nothing else besides a few real
 * tools (sha256sum, tar, sed, grep, ... do their real work on real files), a temp TMPDIR, and a
 * WALLARM_CLOUD_INIT_PREFIX standing in for / (so /usr/local/bin, /etc/systemd/system, /etc/nginx and
 * /usr/local/go land under it). `go` is not on PATH: it arrives inside the fake Go tarball the curl stub serves,
 * the same way the real toolchain does.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BASH, RECORD, ScriptSandbox, sha256 } from './script-sandbox.js';

export type { Call, RunResult } from './script-sandbox.js';

// Real tools the script and the stubs run.
const TOOLS = ['mktemp', 'rm', 'chmod', 'cat', 'cp', 'mkdir', 'basename', 'sha256sum', 'cut', 'tar', 'gzip', 'find', 'install', 'sed', 'grep'];

/** The upstream vxlan source line the patch targets (capture/vxlan.go). */
export const VXLAN_SOURCE = `package capture

const VxLanPacketSize = 1526 //vxlan 8 B + ethernet II 1518 B

func (v *vxlanHandle) reader() {
\tfor {
\t\tinputBytes := make([]byte, VxLanPacketSize)
\t}
}
`;

const STUBS: Record<string, string> = {
  // is-active: inactive for the first STUB_INACTIVE_CHECKS calls, active afterwards.
  systemctl: `${RECORD}
if [[ "$1" == is-active ]]; then
  n=0
  if [[ -f "\${STUB_OUT}/is-active.count" ]]; then read -r n <"\${STUB_OUT}/is-active.count"; fi
  n=$((n + 1))
  echo "$n" >"\${STUB_OUT}/is-active.count"
  if ((n <= \${STUB_INACTIVE_CHECKS:-0})); then exit 3; fi
fi
`,
  sleep: `${RECORD}\n`,
  nginx: `${RECORD}\n`,
  uname: `${RECORD}\necho "\${STUB_UNAME_M:-x86_64}"\n`,
  // Installing nginx lays out /etc/nginx with the default site, like the Debian package.
  'apt-get': `${RECORD}
if [[ "$1" != update && " $* " == *" nginx "* ]]; then
  mkdir -p "\${WALLARM_CLOUD_INIT_PREFIX:?}/etc/nginx/conf.d" "\${WALLARM_CLOUD_INIT_PREFIX}/etc/nginx/sites-enabled"
  echo 'server { listen 80 default_server; }' >"\${WALLARM_CLOUD_INIT_PREFIX}/etc/nginx/sites-enabled/default"
fi
`,
  // Serves STUB_FIXTURES/<last path segment of the URL>; 404 (exit 22, like --fail) when there is none.
  curl: `${RECORD}
out=""
url=""
while (($# > 0)); do
  case "$1" in
    --output) out="$2"; shift 2 ;;
    --retry | --retry-delay | --connect-timeout | --max-time) shift 2 ;;
    -*) shift ;;
    *) url="$1"; shift ;;
  esac
done
name="$(basename "\${url%%\\?*}")"
if [[ ! -f "\${STUB_FIXTURES}/\${name}" ]]; then
  echo "curl: (22) The requested URL returned error: 404" >&2
  exit 22
fi
cp "\${STUB_FIXTURES}/\${name}" "\${out:?}"
`,
  // clone: a checkout holding STUB_FIXTURES/vxlan.go at STUB_VXLAN_PATH (none: no vxlan source at all);
  // checkout: moves HEAD; rev-parse HEAD: prints HEAD, or STUB_GIT_HEAD to fake a wrong checkout.
  git: `${RECORD}
dir="."
if [[ "$1" == -C ]]; then dir="$2"; shift 2; fi
while [[ "$1" == -c ]]; do shift 2; done
case "$1" in
  clone)
    dest="\${*: -1}"
    mkdir -p "\${dest}"
    echo unborn >"\${dest}/.stub-head"
    path="\${STUB_VXLAN_PATH:-capture/vxlan.go}"
    if [[ "\${path}" != none ]]; then
      mkdir -p "\${dest}/\${path%/*}"
      cp "\${STUB_FIXTURES}/vxlan.go" "\${dest}/\${path}"
    fi
    if [[ -n "\${STUB_CMD_GOR-}" ]]; then mkdir -p "\${dest}/cmd/gor"; fi
    ;;
  checkout) echo "\${*: -1}" >"\${dir}/.stub-head" ;;
  rev-parse)
    if [[ -n "\${STUB_GIT_HEAD-}" ]]; then echo "\${STUB_GIT_HEAD}"; else cat "\${dir}/.stub-head"; fi
    ;;
esac
`,
};

/** The fake Go toolchain's `go`: build keeps a copy of the vxlan source it compiled, then writes a binary. */
const GO_STUB = `#!${BASH}
${RECORD}
printf '%s\\n' "$PWD" "GOTOOLCHAIN=\${GOTOOLCHAIN-}" "GOFLAGS=\${GOFLAGS-}" "CGO_ENABLED=\${CGO_ENABLED-}" >"\${STUB_OUT}/go.env"
for source in capture/vxlan.go internal/capture/vxlan.go; do
  if [[ -f "\${source}" ]]; then cp "\${source}" "\${STUB_OUT}/vxlan.go.built"; fi
done
out=""
while (($# > 0)); do
  if [[ "$1" == -o ]]; then out="$2"; shift 2; else shift; fi
done
printf '#!/bin/sh\\necho goreplay built from source\\n' >"\${out:?}"
exit "\${STUB_GO_RC:-0}"
`;

export class RebuilderSandbox extends ScriptSandbox {
  constructor() {
    super({ name: 'rebuilder', stubs: STUBS, onPath: Object.keys(STUBS), tools: TOOLS });
    this.fixture('vxlan.go', VXLAN_SOURCE);
  }

  /** A .tar.gz fixture holding `files` (relative path -> content, all executable); returns its sha256. */
  tarball(name: string, files: Record<string, string>): string {
    const staging = mkdtempSync(join(this.root, 'staging-'));
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(staging, path, '..'), { recursive: true });
      this.writeExecutable(join(staging, path), content);
    }
    const tar = spawnSync('tar', ['-czf', join(this.fixtures, name), '-C', staging, ...Object.keys(files)], { encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
    rmSync(staging, { recursive: true, force: true });
    return sha256(readFileSync(join(this.fixtures, name)));
  }

  /** A fake Go toolchain tarball (go/bin/go = the go stub) under `name`; returns its sha256. */
  goTarball(name: string): string {
    return this.tarball(name, { 'go/bin/go': GO_STUB });
  }
}

/**
 * The argv systemd would run for a unit's ExecStart: backslash-newline continuations joined, split on blanks,
 * double-quoted words kept whole (all the quoting the rendered unit uses).
 */
export function execStart(unit: string): string[] {
  const joined = unit.replace(/\\\n/g, ' ');
  const line = joined.split('\n').find((text) => text.startsWith('ExecStart='));
  if (line === undefined) throw new Error('the unit has no ExecStart=');
  return [...line.slice('ExecStart='.length).matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '');
}
