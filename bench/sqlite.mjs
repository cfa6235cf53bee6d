#!/usr/bin/env node
// sqlite3 benchmark: Debian's dynamic sqlite3 (downloaded with apt-get download for each
// arch, with the cross C library from libc6-<arch>-cross as the rest of the sysroot) runs
// under urun and under qemu-user, one after the other in the same run, on a WAL-mode
// database: N single-row INSERTs, each its own transaction (so each one takes the WAL
// locks, writes the WAL and updates the shared-memory index through MAP_SHARED). Prints
// inserts per second per runner and checks both counted every row.
//
//   npm run bench:sqlite                  (= node bench/sqlite.mjs)
//   node bench/sqlite.mjs --inserts 500 --arch mipsel,armhf
//
// Needs network access to Debian's archive the first time, and root to add the foreign
// architecture to dpkg when it is missing.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = join(ROOT, 'bench', 'build', 'sqlite');
const ARCHES = {
  mipsel: { triplet: 'mipsel-linux-gnu', qemu: 'qemu-mipsel' },
  armhf: { triplet: 'arm-linux-gnueabihf', qemu: 'qemu-arm' },
  armel: { triplet: 'arm-linux-gnueabi', qemu: 'qemu-arm' },
};
const PACKAGES = ['sqlite3', 'libsqlite3-0', 'libreadline8', 'libtinfo6', 'zlib1g'];

const { values: opts } = parseArgs({
  options: { inserts: { type: 'string', default: '500' }, arch: { type: 'string', default: 'mipsel,armhf' } },
});
const inserts = Number(opts.inserts);

const run = (cmd, args, o = {}) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...o });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr ?? ''}`);
  return r.stdout;
};

/** A sysroot with the cross C library and Debian's sqlite3 for `arch`. */
function sysroot(arch) {
  const dir = join(BUILD, arch);
  if (existsSync(join(dir, 'usr/bin/sqlite3'))) return dir;
  if (!run('dpkg', ['--print-foreign-architectures']).split('\n').includes(arch)) {
    run('dpkg', ['--add-architecture', arch]);
    run('apt-get', ['update', '-q']);
  }
  const debs = join(BUILD, `${arch}-debs`);
  mkdirSync(debs, { recursive: true });
  run('apt-get', ['download', '-q', ...PACKAGES.map((p) => `${p}:${arch}`)], { cwd: debs });
  for (const d of readdirSync(debs)) run('dpkg', ['-x', join(debs, d), dir]);
  const cross = `/usr/${ARCHES[arch].triplet}/lib`;
  if (!existsSync(cross)) throw new Error(`${cross} missing: apt-get install libc6-${arch}-cross`);
  cpSync(cross, join(dir, 'lib'), { recursive: true });
  return dir;
}

const script = ['PRAGMA journal_mode=WAL;', 'PRAGMA synchronous=NORMAL;', 'CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);',
  ...Array.from({ length: inserts }, (_, i) => `INSERT INTO t(b) VALUES ('row ${i}');`), 'SELECT count(*) FROM t;'].join('\n');

function measure(cmd, args, db) {
  rmSync(db, { force: true });
  rmSync(`${db}-wal`, { force: true });
  rmSync(`${db}-shm`, { force: true });
  const start = performance.now();
  const out = run(cmd, [...args, db], { input: script });
  const seconds = (performance.now() - start) / 1000;
  const count = Number(out.trim().split('\n').pop());
  return { rate: inserts / seconds, seconds, ok: count === inserts };
}

mkdirSync(BUILD, { recursive: true });
const scriptFile = join(BUILD, 'inserts.sql');
writeFileSync(scriptFile, script);
let failed = false;
console.log(`sqlite3 (Debian, dynamic, -L sysroot), WAL mode, ${inserts} INSERTs in their own transactions`);
for (const arch of opts.arch.split(',')) {
  const root = sysroot(arch);
  const sqlite = join(root, 'usr/bin/sqlite3');
  const db = join(BUILD, `${arch}.db`);
  console.log(arch);
  for (const [name, cmd, args] of [['qemu', ARCHES[arch].qemu, ['-L', root, sqlite]], ['urun', process.execPath, [join(ROOT, 'bin/urun'), '-L', root, sqlite]]]) {
    const r = measure(cmd, args, db);
    failed ||= !r.ok;
    console.log(`  ${name.padEnd(6)} ${r.rate.toFixed(0).padStart(7)} inserts/s (${r.seconds.toFixed(2)} s)${r.ok ? '' : '  WRONG COUNT'}`);
  }
}
process.exit(failed ? 1 : 0);
