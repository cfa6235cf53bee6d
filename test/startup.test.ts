// What a short program's start loads: nothing it does not use (start-up time is paid by
// every guest program a script runs). Counts modules, never times anything.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, URUN } from './support/urun.js';
import { URUN_NODE_OPTIONS, urunProcessEnv, urunShellLine, withUrunNodeOptions } from '../src/host/kept-env.js';

/** Runs urun with a preloaded script that writes, at exit, every module this process loaded. */
function modulesLoaded(args: string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-startup-'));
  try {
    const list = path.join(dir, 'modules.txt');
    const preload = path.join(dir, 'preload.cjs');
    fs.writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, ` +
      `[...process.moduleLoadList, ...Object.keys(require.cache)].join('\\n')));\n`);
    const out = fs.openSync('/dev/null', 'w');
    try {
      const r = spawnSync(process.execPath, ['-r', preload, URUN, ...args], { stdio: ['ignore', out, 'pipe'], encoding: 'utf8', timeout: 120_000 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      fs.closeSync(out);
    }
    return fs.readFileSync(list, 'utf8').split('\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('urun hello, its output thrown away', () => {
  // (Its exit loads the FFI after the exit listeners, for _exit: see exitNow in src/engine/signals.ts.)
  it('loads neither the FFI before it exits (no poll needed on /dev/null) nor the built-ins only packages want', () => {
    const loaded = modulesLoaded([path.join(ROOT, 'test/fixtures/bin/mipsel/hello')]);
    expect(loaded).toContain('NativeModule fs');
    expect(loaded.filter((m) => /koffi/.test(m))).toEqual([]);
    for (const builtin of ['child_process', 'net', 'dgram', 'assert']) expect(loaded).not.toContain(`NativeModule ${builtin}`);
  });
});

describe("urun's node options (URUN_NODE_OPTIONS)", () => {
  it('are on the shell line that starts bin/urun, which runs urun', () => {
    const [first, second] = fs.readFileSync(URUN, 'utf8').split('\n');
    expect(first).toBe('#!/bin/sh');
    expect(second).toBe(urunShellLine('node'));
    expect(second).toMatch(new RegExp(`; exec node ${URUN_NODE_OPTIONS.join(' ')} "\\$0" "\\$@"$`));
    const r = spawnSync(URUN, [path.join(ROOT, 'test/fixtures/bin/armhf/hello')], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout).toBe('Hello, world!\n');
    expect(r.status).toBe(0);
  });

  it('are added to each urun process urun starts, where missing, and not given twice', () => {
    expect(withUrunNodeOptions(['--inspect'])).toEqual(['--inspect', ...URUN_NODE_OPTIONS]);
    expect(withUrunNodeOptions(['--v8-pool-size=3'])).toEqual(['--v8-pool-size=3', ...URUN_NODE_OPTIONS.slice(1)]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-node-options-'));
    try {
      // Each urun process (this one, started without them, and the one a guest fork starts) writes its options.
      const preload = path.join(dir, 'preload.cjs');
      fs.writeFileSync(preload, `require('node:fs').writeFileSync(${JSON.stringify(dir)} + '/' + process.pid + '.json', JSON.stringify(process.execArgv));\n`);
      const busybox = path.join(ROOT, 'test/fixtures/bin/mipsel/busybox');
      const r = spawnSync(process.execPath, ['-r', preload, URUN, busybox, 'sh', '-c', `${busybox} true; echo done`], { encoding: 'utf8', timeout: 120_000 });
      expect(r.stdout).toBe('done\n');
      const seen = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as string[]);
      expect(seen.length).toBeGreaterThan(1);
      expect(seen.filter((argv) => URUN_NODE_OPTIONS.every((o) => argv.includes(o))).length).toBe(seen.length - 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('NODE_EXTRA_CA_CERTS (node reads every certificate it names at start)', () => {
  it('is kept from the node of every urun process urun starts, and put back in its place', () => {
    const env = ['A=1', 'NODE_EXTRA_CA_CERTS=/etc/ssl/ca.pem', 'B=2'];
    expect(urunProcessEnv(env)).toEqual(['A=1', 'B=2', 'URUN_KEPT_NODE_EXTRA_CA_CERTS=2:/etc/ssl/ca.pem']);
    expect(urunProcessEnv(['A=1'])).toEqual(['A=1']);
  });

  it('is kept from bin/urun\'s own node by its shell line (node warns about a file it cannot read), and reaches the guest', () => {
    const busybox = path.join(ROOT, 'test/fixtures/bin/mipsel/busybox');
    const env = { A: '1', NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem', B: '2', PATH: '/usr/bin:/bin' };
    const r = spawnSync(URUN, [busybox, 'env'], { env, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').filter((l) => /^(A|B|NODE_EXTRA_CA_CERTS)=/.test(l)).sort()).toEqual(['A=1', 'B=2', 'NODE_EXTRA_CA_CERTS=/nonexistent/ca.pem']);
    expect(r.status).toBe(0);
  });

  it('reaches a guest that urun exec\'d and one that a fork exec\'d where it was in the environment', () => {
    const busybox = path.join(ROOT, 'test/fixtures/bin/mipsel/busybox');
    const env = { A: '1', NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem', B: '2', PATH: '/usr/bin:/bin' };
    const expected = 'A=1\nNODE_EXTRA_CA_CERTS=/nonexistent/ca.pem\nB=2\nPATH=/usr/bin:/bin\n';
    // busybox env execs its command; xargs starts its command in a vfork child.
    const r = spawnSync(process.execPath, [URUN, busybox, 'env', busybox, 'xargs', busybox, 'env'], { env, input: '\n', encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(expected);
  });
});

describe('the interpreter handlers\' script cache', () => {
  it('keeps the handlers built in guest threads\' Workers too (a Go program\'s guest code runs there only)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-handlers-'));
    try {
      const r = spawnSync(process.execPath, [URUN, path.join(ROOT, 'test/fixtures/bin/armhf/gotest'), 'goroutines'],
        { env: { ...process.env, URUN_CACHE_DIR: dir }, encoding: 'utf8', timeout: 120_000 });
      expect(r.status, r.stderr).toBe(0);
      const sets = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => /handlers-[0-9a-f]+\.fns$/.test(f));
      expect(sets).toHaveLength(1);
      // (The file: a 32-bit length, that many bytes of JSON listing each handler's key and source, then V8's code cache.)
      const data = fs.readFileSync(path.join(dir, sets[0]));
      const listed = JSON.parse(data.subarray(4, 4 + data.readUInt32LE(0)).toString('utf8')) as { keys: number[] };
      expect(listed.keys.length).toBeGreaterThan(20);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the start-up code cache', () => {
  const machines = (dir: string) => fs.readdirSync(dir).filter((f) => f.startsWith('startup-')).map((f) => /-m(\d+)\.v8$/.exec(f)?.[1]).sort();
  const runs = (node: string[], arches: string[], dir: string) => {
    for (const arch of arches) {
      const r = spawnSync(process.execPath, [...node, URUN, path.join(ROOT, `test/fixtures/bin/${arch}/hello`)], { env: { ...process.env, URUN_CACHE_DIR: dir }, encoding: 'utf8', timeout: 120_000 });
      expect(r.status).toBe(0);
    }
  };

  it('is made per guest architecture by npm run build, and a first run takes it (writing none of its own)', () => {
    expect(machines(path.join(ROOT, 'dist/startup'))).toEqual(['40', '8']); // EM_ARM, EM_MIPS
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-startup-'));
    try {
      runs([], ['mipsel', 'armhf'], dir);
      expect(machines(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is kept per guest architecture in the user\'s cache, each compiled by a run of its own, where V8 refuses the built one (other flags)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-startup-'));
    try {
      runs(['--no-opt'], ['mipsel', 'armhf', 'mipsel'], dir);
      expect(machines(dir)).toEqual(['40', '8']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has a twin for guest threads' Workers, written by the first threaded run, then read (not written again), and written again when V8 refuses it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-startup-'));
    try {
      const threaded = () => {
        const r = spawnSync(URUN, [path.join(ROOT, 'test/fixtures/bin/armhf/pthreads'), 'mutex'], { env: { ...process.env, URUN_CACHE_DIR: dir }, encoding: 'utf8', timeout: 120_000 });
        expect(r.stdout).toContain('counter: 160000\n');
        expect(r.status).toBe(0);
      };
      const threadCache = () => fs.readdirSync(dir).filter((f) => /^startup-.*-m40-thread\.v8$/.test(f));
      runs([], ['armhf'], dir);
      expect(threadCache()).toEqual([]); // a run without threads starts no Worker
      threaded();
      const [file] = threadCache();
      expect(file).toBeDefined();
      const written = fs.readFileSync(path.join(dir, file));
      expect(written.length).toBeGreaterThan(100_000);
      threaded();
      expect(fs.readFileSync(path.join(dir, file)).equals(written)).toBe(true);
      fs.writeFileSync(path.join(dir, file), 'not a code cache');
      threaded();
      expect(fs.statSync(path.join(dir, file)).size).toBeGreaterThan(100_000);
      expect(fs.readdirSync(dir).filter((f) => f.includes('.v8.'))).toEqual([]); // no temporary file left
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is chosen without opening a FIFO among the arguments for reading (which waited for a writer)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-startup-'));
    try {
      const fifo = path.join(dir, 'fifo');
      expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
      const r = spawnSync(process.execPath, [URUN, '-0', fifo, path.join(ROOT, 'test/fixtures/bin/mipsel/hello')],
        { env: { ...process.env, URUN_CACHE_DIR: dir }, encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^Hello, world!/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('names the program as Linux does: /proc/self/exe and its maps lines resolve symlinks; comm is the file run, not argv[0] nor a script\'s interpreter', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-exe-'));
    try {
      const busybox = path.join(ROOT, 'test/fixtures/bin/mipsel/busybox');
      const real = fs.realpathSync(busybox);
      const link = path.join(dir, 'sh');
      fs.symlinkSync(busybox, link);
      const script = path.join(dir, 'names.sh');
      fs.writeFileSync(script, `#!${link}\nread name < /proc/self/comm; echo $name\n`, { mode: 0o755 });
      const run = (args: string[]) => spawnSync(process.execPath, [URUN, ...args], { encoding: 'utf8', timeout: 60_000 });
      // busybox's applet is argv[0]'s: "readlink" runs readlink, in a process Linux calls "sh".
      expect(run(['-0', 'readlink', link, '/proc/self/exe']).stdout).toBe(`${real}\n`);
      expect(run(['-0', 'cat', link, '/proc/self/comm']).stdout).toBe('sh\n');
      const maps = run(['-0', 'cat', link, '/proc/self/maps']).stdout;
      expect(maps).toContain(` ${real}\n`);
      expect(maps).not.toContain(` ${link}\n`);
      // Through execve: a script is named for itself, and exec -a leaves the name alone.
      expect(run([link, '-c', `${script}; (exec -a cat ${link} /proc/self/comm)`]).stdout).toBe('names.sh\nsh\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows each guest process to the others (ps, pgrep, pidof) by its guest name and arguments, not as node', () => {
    const busybox = path.join(ROOT, 'test/fixtures/bin/mipsel/busybox');
    // (Longer than the arguments of the urun process that takes the exec, a spare: all of it shows.)
    const sleep = `${busybox} sleep 60${' 0'.repeat(80)}`;
    const r = spawnSync(process.execPath, [URUN, '-0', 'sh', busybox, '-c',
      // (Waits until the child urun has started and named itself: seconds on a loaded machine.)
      `${sleep} & i=0; until [ "$(cat /proc/$!/comm)" = busybox ] || [ $i = 300 ]; do sleep 0.1; i=$((i+1)); done; ` +
      `cat /proc/$!/comm; tr '\\0' '|' < /proc/$!/cmdline; echo; kill $!`], { encoding: 'utf8', timeout: 60_000 });
    // Node's title is one string in the old arguments' room: the command line ends at its NUL,
    // with no run of NULs after it (which dbus's _dbus_command_for_pid showed as blanks).
    expect(r.stdout).toBe(`busybox\n${sleep}|\n`);
  });
});
