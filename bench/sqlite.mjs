#!/usr/bin/env node
// sqlite3 benchmark: Debian's dynamic sqlite3 (downloaded with apt-get download for each
// arch, with its libraries and Debian's libc6 as the sysroot: bench/debian.mjs) runs
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

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { debianSysroot, run } from './debian.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = join(ROOT, 'bench', 'build', 'sqlite');
const ARCHES = { mipsel: { qemu: 'qemu-mipsel' }, armhf: { qemu: 'qemu-arm' }, armel: { qemu: 'qemu-arm' } };
const PACKAGES = ['sqlite3', 'libsqlite3-0', 'libreadline8', 'libtinfo6', 'zlib1g'];

const { values: opts } = parseArgs({
  options: { inserts: { type: 'string', default: '500' }, arch: { type: 'string', default: 'mipsel,armhf' } },
});
const inserts = Number(opts.inserts);

/** A sysroot of Debian's packages with sqlite3 for `arch`. */
const sysroot = (arch) => debianSysroot(join(BUILD, arch), arch, PACKAGES);

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
