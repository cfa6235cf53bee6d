#!/usr/bin/env node
// Real programs: short runs of Debian's unmodified programs (busybox-static applets and
// dynamic coreutils, grep, gawk, gzip, xz, lua5.4, sqlite3 with their libraries), the way a
// CI job or a script runs them. Each runs under qemu-user, under urun with an empty
// translation cache (cold) and under urun with the cache a previous run left (warm),
// interleaved, several rounds; the table gives median wall times, the ratios to qemu and
// their geometric means, and every run's output is checked against qemu's. With GNU time
// (/usr/bin/time, Debian's `time` package) it also gives each program's peak RSS under qemu
// and under urun with a warm cache, and whether urun's is within 2 x qemu's + 60 MB.
//
//   npm run bench:real                      (= node bench/real.mjs; also part of npm run bench)
//   node bench/real.mjs --arch mipsel --rounds 3 --only factor,lua
//
// The packages come from Debian's archive (apt-get download, dpkg -x) into
// bench/build/real/<arch> the first time: that needs network access to the archive and
// root to add the foreign architecture to dpkg. Nothing here fails on timings.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { debianSysroot, run } from './debian.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = join(ROOT, 'bench', 'build', 'real');
const URUN = join(ROOT, 'bin', 'urun');
const ARCHES = { mipsel: 'qemu-mipsel', armhf: 'qemu-arm', armel: 'qemu-arm' };
const PACKAGES = ['busybox-static', 'coreutils', 'libacl1', 'libattr1', 'libselinux1', 'libpcre2-8-0',
  'libgmp10', 'grep', 'gawk', 'libmpfr6', 'libsigsegv2', 'libreadline8', 'libtinfo6', 'gzip', 'xz-utils', 'liblzma5',
  'lua5.4', 'liblua5.4-0', 'libstdc++6', 'sqlite3', 'libsqlite3-0', 'zlib1g'];

const { values: opts } = parseArgs({
  options: {
    arch: { type: 'string', default: 'mipsel,armhf,armel' },
    rounds: { type: 'string', default: '3' },
    only: { type: 'string' },
  },
});

/** A sysroot made of Debian's own packages for `arch`. */
const sysroot = (arch) => debianSysroot(join(BUILD, arch), arch, PACKAGES);

// Inputs: made up here, the same every time.
const INPUT = join(BUILD, 'input');
function inputs() {
  mkdirSync(INPUT, { recursive: true });
  const lines = [];
  let x = 12345;
  for (let i = 0; i < 20000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    lines.push(`${i},${x % 1000},name${x % 97},${(x >>> 8) % 100000}`);
  }
  writeFileSync(join(INPUT, 'data.csv'), lines.join('\n') + '\n');
  writeFileSync(join(INPUT, 'prog.lua'), 'local t = {} for i = 1, 100000 do t[#t + 1] = i * 2 end local s = 0 for _, v in ipairs(t) do s = s + v end print(s)\n');
  writeFileSync(join(INPUT, 'query.sql'), 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000) SELECT count(*), sum(x % 7) FROM c;\n');
}

/** The programs: [name, path in the sysroot, args, stdin file or null]. */
const PROGRAMS = (d) => [
  ['busybox-sort', 'bin/busybox', ['sort', '-t,', '-k2,2n', '-k1,1n', `${d}/data.csv`], null],
  ['busybox-md5sum', 'bin/busybox', ['md5sum', `${d}/data.csv`], null],
  ['busybox-awk', 'bin/busybox', ['awk', '-F,', '{ s += $4 } END { print s }', `${d}/data.csv`], null],
  ['factor', 'usr/bin/factor', ['1234567890123456789', '98765432109876543', '4444444444444'], null],
  ['sort', 'usr/bin/sort', ['-t,', '-k3,3', '-k1,1n', `${d}/data.csv`], null],
  ['md5sum', 'usr/bin/md5sum', [`${d}/data.csv`], null],
  ['grep', 'bin/grep', ['-c', 'name4[0-9]', `${d}/data.csv`], null],
  ['gawk', 'usr/bin/gawk', ['-F,', '{ n[$3]++ } END { for (k in n) c++; print c }', `${d}/data.csv`], null],
  ['gzip', 'bin/gzip', ['-c', `${d}/data.csv`], null],
  ['xz', 'usr/bin/xz', ['-c', '-1', `${d}/data.csv`], null],
  ['lua', 'usr/bin/lua5.4', [`${d}/prog.lua`], null],
  ['sqlite3', 'usr/bin/sqlite3', [':memory:'], `${d}/query.sql`],
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const geomean = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);

/** GNU time, which reports a child's peak RSS (its last stderr line, taken off again). */
const GNU_TIME = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0 ? '/usr/bin/time' : null;
const RSS_TAG = 'urun-bench-peak-rss-kb ';

function time(cmd, args, env, stdinFile) {
  const argv = GNU_TIME ? ['-f', `\n${RSS_TAG}%M`, cmd, ...args] : args;
  const start = performance.now();
  const r = spawnSync(GNU_TIME ?? cmd, argv, { env, maxBuffer: 1 << 28, stdio: [stdinFile ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    input: stdinFile ? run('cat', [stdinFile]) : undefined });
  const ms = performance.now() - start;
  let stderr = r.stderr?.toString() ?? '', rssMb = NaN;
  const at = stderr.lastIndexOf(RSS_TAG);
  if (at >= 0) {
    rssMb = Number(stderr.slice(at + RSS_TAG.length)) / 1024;
    stderr = stderr.slice(0, Math.max(0, at - 1));
  }
  return { ms, out: r.stdout, status: r.status, stderr, rssMb };
}

inputs();
const rounds = Number(opts.rounds);
const only = opts.only ? new Set(opts.only.split(',')) : null;
let failed = false;
const warmDir = mkdtempSync(join(tmpdir(), 'urun-bench-warm-'));
console.log(`Real programs (Debian packages), median of ${rounds} rounds; cold = empty urun cache, warm = the cache a previous run left`);
for (const arch of opts.arch.split(',')) {
  const root = sysroot(arch);
  const qemu = ARCHES[arch];
  const programs = PROGRAMS(INPUT).filter(([name]) => !only || only.has(name));
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C' };
  const times = new Map(programs.map(([name]) => [name, { qemu: [], cold: [], warm: [], qemuRss: [], warmRss: [] }]));
  const wrong = new Set();
  // One run to fill the warm cache (and the page cache).
  for (const [, prog, args, stdin] of programs) time(URUN, ['-L', root, join(root, prog), ...args], { ...env, URUN_CACHE_DIR: warmDir }, stdin);
  for (let r = 0; r < rounds; r++) {
    for (const [name, prog, args, stdin] of programs) {
      const q = time(qemu, ['-L', root, join(root, prog), ...args], env, stdin);
      const coldDir = mkdtempSync(join(tmpdir(), 'urun-bench-cold-'));
      const c = time(URUN, ['-L', root, join(root, prog), ...args], { ...env, URUN_CACHE_DIR: coldDir }, stdin);
      rmSync(coldDir, { recursive: true, force: true });
      const w = time(URUN, ['-L', root, join(root, prog), ...args], { ...env, URUN_CACHE_DIR: warmDir }, stdin);
      for (const x of [c, w]) {
        if (x.status !== q.status || Buffer.compare(x.out, q.out) !== 0) {
          wrong.add(name);
          if (process.env.URUN_BENCH_DEBUG) console.error(name, x.status, q.status, x.stderr.slice(0, 500));
        }
      }
      const t = times.get(name);
      t.qemu.push(q.ms);
      t.cold.push(c.ms);
      t.warm.push(w.ms);
      t.qemuRss.push(q.rssMb);
      t.warmRss.push(w.rssMb);
    }
  }
  console.log(`\n${arch}`);
  const rssHead = GNU_TIME ? ` ${'qemu MB'.padStart(8)} ${'warm MB'.padStart(8)}  (peak RSS)` : '';
  console.log(`  ${'program'.padEnd(16)} ${'qemu ms'.padStart(8)} ${'cold ms'.padStart(8)} ${'cold/q'.padStart(7)} ${'warm ms'.padStart(8)} ${'warm/q'.padStart(7)}${rssHead}`);
  const coldRatios = [], warmRatios = [];
  for (const [name] of programs) {
    const t = times.get(name);
    const q = median(t.qemu), c = median(t.cold), w = median(t.warm);
    coldRatios.push(c / q);
    warmRatios.push(w / q);
    const qm = median(t.qemuRss), wm = median(t.warmRss);
    // The memory bound: urun's peak RSS within twice qemu-user's plus 60 MB.
    const rss = GNU_TIME ? ` ${qm.toFixed(0).padStart(8)} ${wm.toFixed(0).padStart(8)}${wm > 2 * qm + 60 ? '  over 2q+60' : ''}` : '';
    console.log(`  ${name.padEnd(16)} ${q.toFixed(0).padStart(8)} ${c.toFixed(0).padStart(8)} ${(c / q).toFixed(2).padStart(7)} ` +
      `${w.toFixed(0).padStart(8)} ${(w / q).toFixed(2).padStart(7)}${rss}${wrong.has(name) ? '  OUTPUT DIFFERS FROM QEMU' : ''}`);
  }
  console.log(`  ${'geometric mean'.padEnd(16)} ${''.padStart(8)} ${''.padStart(8)} ${geomean(coldRatios).toFixed(2).padStart(7)} ` +
    `${''.padStart(8)} ${geomean(warmRatios).toFixed(2).padStart(7)}`);
  failed ||= wrong.size > 0;
}
rmSync(warmDir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
