#!/usr/bin/env node
// The urun benchmark suite.
//
// Builds the C programs in bench/src for big- and little-endian MIPS and for
// the host, then runs each one under urun, under qemu-user and natively,
// interleaved over several rounds, and checks that every run prints exactly
// what the native program prints.  Prints a table per architecture (median
// wall times, urun/qemu and urun/native ratios, urun's guest MIPS), geometric
// means, and urun's start-up time and memory; writes it all as JSON to
// bench/build/results.json.
//
//   npm run bench                                 (= node bench/run.mjs)
//   node bench/run.mjs --scale 0.05 --rounds 1    a quick check
//   node bench/run.mjs --no-urun                  qemu and native only
//   node bench/run.mjs --help                     all the options
//
// Exits 1 on a build failure or a checksum mismatch (a run that printed the
// wrong thing, or failed); slow or noisy timings never fail it.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// Default problem sizes, each chosen so that one qemu-user run takes about
// 0.3–0.6 s on the machine the suite was written on (AMD EPYC, qemu 7.2).
// The work grows as size^dims; --scale F multiplies the work by F (the size
// by F^(1/dims)).
const BENCHMARKS = [
  { name: 'sieve', size: 75000000, dims: 1 },
  { name: 'crc', size: 170000, dims: 1 },
  { name: 'sha256', size: 17500, dims: 1 },
  { name: 'sort', size: 750000, dims: 1 },
  { name: 'matmul', size: 680, dims: 3 },
  { name: 'bytecode', size: 80000, dims: 1 },
  { name: 'pointer-chase', size: 100000000, dims: 1 },
  { name: 'strings', size: 75, dims: 1 },
  { name: 'nbody', size: 175000, dims: 1 },
  { name: 'mandelbrot', size: 250, dims: 2 },
  { name: 'mul64', size: 50000000, dims: 1 },
  { name: 'memops', size: 800, dims: 1 },
];

const GUEST_ARCHES = {
  mips: { cc: 'mips-linux-gnu-gcc', qemu: 'qemu-mips', label: 'MIPS big-endian' },
  mipsel: { cc: 'mipsel-linux-gnu-gcc', qemu: 'qemu-mipsel', label: 'MIPS little-endian' },
  armhf: { cc: 'arm-linux-gnueabihf-gcc', qemu: 'qemu-arm', label: 'ARMv7-A Thumb-2, hard float' },
  armel: { cc: 'arm-linux-gnueabi-gcc', qemu: 'qemu-arm', label: 'ARMv5TE, soft float' },
};

// Every tool the suite needs, with the Debian package that provides it.
const TOOLS = {
  'mips-linux-gnu-gcc': 'gcc-mips-linux-gnu',
  'mipsel-linux-gnu-gcc': 'gcc-mipsel-linux-gnu',
  'qemu-mips': 'qemu-user',
  'qemu-mipsel': 'qemu-user',
  'arm-linux-gnueabihf-gcc': 'gcc-arm-linux-gnueabihf',
  'arm-linux-gnueabi-gcc': 'gcc-arm-linux-gnueabi',
  'qemu-arm': 'qemu-user',
  gcc: 'gcc',
};
const APT_PACKAGES = ['gcc-mips-linux-gnu', 'gcc-mipsel-linux-gnu', 'gcc-arm-linux-gnueabihf', 'gcc-arm-linux-gnueabi', 'qemu-user', 'gcc'];

const CFLAGS = ['-std=c99', '-O2', '-Wall', '-Wextra'];
// No fused multiply-add on the host, so its doubles round as MIPS32r2's do.
const NATIVE_CFLAGS = [...CFLAGS, '-ffp-contract=off'];

const STARTUP_RUNS = 10;
const RSS_RUNS = 3;
const TIME_BIN = '/usr/bin/time';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
const BUILD_DIR = join(BENCH_DIR, 'build');
const URUN = join(ROOT, 'bin', 'urun');
const URUN_MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const HELLO = join(ROOT, 'test', 'fixtures', 'bin', 'mips', 'hello');
const NODE = process.execPath;

const USAGE = `usage: node bench/run.mjs [options]

  --arch A,B      guest architectures to run: mips, mipsel, armhf, armel (default: all)
  --only A,B      benchmarks to run (default: all): ${BENCHMARKS.map((b) => b.name).join(', ')}
  --rounds N      interleaved rounds; the tables show medians (default: 3)
  --scale F       multiply each benchmark's work by F, e.g. 0.05 for a quick check
  --timeout S     give up on a single run after S seconds; 0: never (default: 600)
  --no-urun       time qemu and native only (and skip the start-up section)
  --no-startup    skip the start-up section
  -h, --help      print this`;

// ---------------------------------------------------------------------------
// Options

function parseOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        arch: { type: 'string', default: 'mips,mipsel,armhf,armel' },
        only: { type: 'string' },
        rounds: { type: 'string', default: '3' },
        scale: { type: 'string', default: '1' },
        timeout: { type: 'string', default: '600' },
        'no-urun': { type: 'boolean', default: false },
        'no-startup': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    usageError(e.message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }

  const arches = splitList(values.arch);
  for (const a of arches) if (!GUEST_ARCHES[a]) usageError(`unknown arch '${a}'`);
  const names = values.only ? splitList(values.only) : BENCHMARKS.map((b) => b.name);
  for (const n of names) {
    if (!BENCHMARKS.some((b) => b.name === n)) usageError(`unknown benchmark '${n}'`);
  }
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) usageError('--rounds must be a positive integer');
  const scale = Number(values.scale);
  if (!(scale > 0)) usageError('--scale must be a positive number');
  const timeout = Number(values.timeout);
  if (!(timeout >= 0)) usageError('--timeout must be a number of seconds');

  return {
    arches,
    benchmarks: BENCHMARKS.filter((b) => names.includes(b.name)),
    rounds,
    scale,
    timeoutMs: timeout * 1000,
    urun: !values['no-urun'],
    startup: !values['no-urun'] && !values['no-startup'],
  };
}

function splitList(s) {
  return s.split(',').map((x) => x.trim()).filter(Boolean);
}

function usageError(message) {
  console.error(`bench: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function scaledSize(bench, scale) {
  return Math.max(1, Math.round(bench.size * scale ** (1 / bench.dims)));
}

// ---------------------------------------------------------------------------
// Tools

function have(tool) {
  return spawnSync('sh', ['-c', `command -v '${tool}'`], { stdio: 'ignore' }).status === 0;
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function aptInstall(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', ...packages]]) {
    console.log(`bench: running apt-get ${args.join(' ')}`);
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) return false;
  }
  return true;
}

// The compilers and qemu are required: install them (as root) or say how.
function ensureTools() {
  const missing = Object.keys(TOOLS).filter((t) => !have(t));
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${APT_PACKAGES.join(' ')}`;
  if (!isRoot()) {
    console.error(`bench: missing ${missing.join(', ')}; install with: sudo sh -c '${command}'`);
    process.exit(1);
  }
  console.log(`bench: missing ${missing.join(', ')}; installing: ${command}`);
  const stillMissing = aptInstall(APT_PACKAGES) ? missing.filter((t) => !have(t)) : missing;
  if (stillMissing.length > 0) {
    console.error(`bench: could not install ${stillMissing.join(', ')}`);
    process.exit(1);
  }
}

// /usr/bin/time is optional: without it the start-up section has no RSS.
function ensureTimeBinary() {
  if (existsSync(TIME_BIN)) return true;
  if (!isRoot()) return false;
  console.log(`bench: ${TIME_BIN} missing; installing package 'time'`);
  return aptInstall(['time']) && existsSync(TIME_BIN);
}

// ---------------------------------------------------------------------------
// Building

function binaryPath(arch, name) {
  return join(BUILD_DIR, arch, name);
}

/** Whether out is older than its source or than the shared header the sources include. */
function isStale(src, out) {
  if (!existsSync(out)) return true;
  const built = statSync(out).mtimeMs;
  return [src, join(BENCH_DIR, 'src', 'xorshift.h')].some((f) => statSync(f).mtimeMs > built);
}

function compile(cc, flags, src, out) {
  const r = spawnSync(cc, [...flags, '-o', out, src, '-lm'], { encoding: 'utf8' });
  return { ok: r.status === 0, messages: (r.stderr || '') + (r.error ? String(r.error) : '') };
}

// Links the host binaries statically when the host's libc allows it.
let nativeStatic = true;

function buildOne(arch, name) {
  const src = join(BENCH_DIR, 'src', `${name}.c`);
  const out = binaryPath(arch, name);
  if (!isStale(src, out)) return true;
  mkdirSync(dirname(out), { recursive: true });
  console.log(`bench: building ${relative(ROOT, out)}`);

  let result;
  if (arch === 'native') {
    result = nativeStatic ? compile('gcc', [...NATIVE_CFLAGS, '-static'], src, out) : { ok: false };
    if (!result.ok) {
      const dynamic = compile('gcc', NATIVE_CFLAGS, src, out);
      if (dynamic.ok && nativeStatic) {
        console.log('bench: a static host link failed; linking the host binaries dynamically');
        nativeStatic = false;
      }
      result = dynamic;
    }
  } else {
    result = compile(GUEST_ARCHES[arch].cc, [...CFLAGS, '-static'], src, out);
  }
  if (result.messages.trim()) process.stderr.write(result.messages);
  if (!result.ok) console.error(`bench: BUILD FAILED: ${relative(ROOT, out)}`);
  return result.ok;
}

// Returns the set of "arch/name" pairs that failed to build.
function buildBenchmarks(arches, benchmarks) {
  const failed = new Set();
  for (const arch of ['native', ...arches]) {
    for (const { name } of benchmarks) {
      if (!buildOne(arch, name)) failed.add(`${arch}/${name}`);
    }
  }
  return failed;
}

function ensureUrunBuilt() {
  if (existsSync(URUN_MAIN)) return true;
  console.log(`bench: ${relative(ROOT, URUN_MAIN)} missing; running npm run build`);
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  return r.status === 0 && existsSync(URUN_MAIN);
}

// ---------------------------------------------------------------------------
// Running and checking

// Runs a command to completion and measures its wall time.
function timedRun(command, args, timeoutMs) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: timeoutMs || undefined,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    seconds,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    status: r.status,
    signal: r.signal,
    timedOut: r.error?.code === 'ETIMEDOUT',
    error: r.error && r.error.code !== 'ETIMEDOUT' ? String(r.error) : null,
  };
}

// Why a run is not acceptable, or null when it is.  Without `expected`, any
// output is acceptable.
function problemWith(run, expected = null) {
  if (run.timedOut) return 'timed out';
  if (run.error) return run.error;
  if (run.signal) return `killed by ${run.signal}`;
  if (run.status !== 0) return `exit status ${run.status}`;
  if (expected !== null && run.stdout !== expected) return 'output differs';
  return null;
}

// urun --stats ends with a line like
//   urun: 187000000 guest instructions, 123 blocks translated, 0 invalidated, 1830.5 ms, 102.3 guest MIPS
function parseStats(stderr) {
  const matches = [...stderr.matchAll(/urun: (\d+) guest instructions.*?([\d.]+) guest MIPS/g)];
  if (matches.length === 0) return null;
  const m = matches[matches.length - 1];
  return { instructions: Number(m[1]), mips: Number(m[2]) };
}

function firstLine(s) {
  const line = s.split('\n').find((l) => l.trim()) ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}

function commandsFor(arch, name, size) {
  const guest = relative(ROOT, binaryPath(arch, name));
  return {
    urun: [URUN, ['--stats', guest, String(size)]],
    qemu: [GUEST_ARCHES[arch].qemu, [guest, String(size)]],
    native: [binaryPath('native', name), [String(size)]],
  };
}

const progress = {
  show(text) {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
  },
  clear() {
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  },
};

// Runs one benchmark: first the native program once, untimed, for the
// reference output; then each round urun, qemu and native in turn, each run
// timed and checked against the reference.
function runBenchmark(arch, bench, options) {
  const size = scaledSize(bench, options.scale);
  const commands = commandsFor(arch, bench.name, size);
  const runners = options.urun ? ['urun', 'qemu', 'native'] : ['qemu', 'native'];
  const result = { arch, name: bench.name, size, expected: null, failures: [] };
  for (const who of runners) result[who] = { seconds: [] };
  if (options.urun) Object.assign(result.urun, { guestMips: [], instructions: null });

  progress.show(`${arch} ${bench.name} ${size}: native reference run`);
  const reference = timedRun(...commands.native, options.timeoutMs);
  const problem = problemWith(reference);
  if (problem) {
    addFailure(result, 'native', 0, `${problem} (the reference run; nothing else run)`, reference);
    return result;
  }
  result.expected = reference.stdout;

  for (let round = 1; round <= options.rounds; round++) {
    for (const who of runners) {
      progress.show(`${arch} ${bench.name} ${size}: round ${round}/${options.rounds}, ${who}`);
      const run = timedRun(...commands[who], options.timeoutMs);
      recordRun(result, who, round, run);
    }
  }
  progress.clear();
  return result;
}

function recordRun(result, who, round, run) {
  const problem = problemWith(run, result.expected);
  if (problem) {
    addFailure(result, who, round, problem, run);
    return; // a failed run's time means nothing
  }
  result[who].seconds.push(run.seconds);
  if (who === 'urun') {
    const stats = parseStats(run.stderr);
    if (stats) {
      result.urun.guestMips.push(stats.mips);
      result.urun.instructions = stats.instructions;
    }
  }
}

function addFailure(result, who, round, problem, run) {
  result.failures.push({ who, round, problem, stdout: firstLine(run.stdout), stderr: firstLine(run.stderr) });
  reportFailure(result, who, round, problem, run);
}

function reportFailure(result, who, round, problem, run) {
  progress.clear();
  const kind = problem === 'timed out' ? 'TIMEOUT' : 'MISMATCH';
  const when = round === 0 ? 'reference run' : `round ${round}`;
  console.log(`bench: ${kind} ${result.arch} ${result.name} ${result.size} under ${who}, ${when}: ${problem}`);
  if (result.expected !== null) console.log(`         expected: ${firstLine(result.expected)}`);
  console.log(`         stdout:   ${firstLine(run.stdout)}`);
  if (run.stderr.trim()) console.log(`         stderr:   ${firstLine(run.stderr)}`);
}

// ---------------------------------------------------------------------------
// Statistics and tables

function median(xs) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function geomean(xs) {
  const ok = xs.filter((x) => x > 0 && Number.isFinite(x));
  if (ok.length === 0) return null;
  return Math.exp(ok.reduce((sum, x) => sum + Math.log(x), 0) / ok.length);
}

function ratio(a, b) {
  return a !== null && b !== null && b > 0 ? a / b : null;
}

function summarize(result) {
  for (const who of ['urun', 'qemu', 'native']) {
    if (result[who]) result[who].median = median(result[who].seconds);
  }
  if (result.urun) result.urun.medianMips = median(result.urun.guestMips);
  result.ok = result.failures.length === 0;
  result.ratios = {
    urunQemu: ratio(result.urun?.median ?? null, result.qemu.median),
    urunNative: ratio(result.urun?.median ?? null, result.native.median),
    qemuNative: ratio(result.qemu.median, result.native.median),
  };
  return result;
}

function geomeans(results) {
  const pick = (key) => geomean(results.map((r) => r.ratios?.[key]).filter((x) => x !== null && x !== undefined));
  return { urunQemu: pick('urunQemu'), urunNative: pick('urunNative'), qemuNative: pick('qemuNative') };
}

const fmt = {
  s: (x) => (x === null || x === undefined ? '-' : x.toFixed(3)),
  x: (x) => (x === null || x === undefined ? '-' : `${x.toFixed(x < 10 ? 2 : 1)}x`),
  mips: (x) => (x === null || x === undefined ? '-' : x.toFixed(1)),
};

function checkLabel(result) {
  if (result.buildFailed) return 'BUILD FAILED';
  if (result.ok) return 'ok';
  const who = [...new Set(result.failures.map((f) => f.who))];
  const timedOut = result.failures.every((f) => f.problem === 'timed out');
  return `${timedOut ? 'TIMEOUT' : 'MISMATCH'} (${who.join(',')})`;
}

function printTable(title, rows) {
  const header = ['benchmark', 'size', 'urun s', 'qemu s', 'native s', 'urun/qemu', 'urun/native', 'guest MIPS', 'check'];
  const lines = rows.map((r) => [
    r.name,
    String(r.size),
    fmt.s(r.urun?.median),
    fmt.s(r.qemu?.median),
    fmt.s(r.native?.median),
    fmt.x(r.ratios?.urunQemu),
    fmt.x(r.ratios?.urunNative),
    fmt.mips(r.urun?.medianMips),
    checkLabel(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  // Names and the check column align left, numbers right.
  const pad = (cells) =>
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(`\n${title}`);
  console.log(pad(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(pad(l));
}

function printGeomeans(label, g) {
  const parts = [];
  if (g.urunQemu !== null) parts.push(`urun/qemu ${fmt.x(g.urunQemu)}`);
  if (g.urunNative !== null) parts.push(`urun/native ${fmt.x(g.urunNative)}`);
  if (g.qemuNative !== null) parts.push(`qemu/native ${fmt.x(g.qemuNative)}`);
  console.log(`${label}: ${parts.length ? parts.join(', ') : 'no data'}`);
}

// ---------------------------------------------------------------------------
// Start-up

function measureStartup(options) {
  if (!existsSync(HELLO)) {
    console.log(`\nstart-up: skipped (${relative(ROOT, HELLO)} not found)`);
    return null;
  }
  const hello = relative(ROOT, HELLO);
  const urunTimes = [];
  const nodeTimes = [];
  const failures = [];
  for (let i = 1; i <= STARTUP_RUNS; i++) {
    progress.show(`start-up: run ${i}/${STARTUP_RUNS}`);
    const u = timedRun(URUN, [hello], options.timeoutMs);
    const problem = problemWith(u, 'Hello, world!\n');
    if (problem) failures.push({ who: 'urun', round: i, problem, stdout: firstLine(u.stdout), stderr: firstLine(u.stderr) });
    else urunTimes.push(u.seconds);
    nodeTimes.push(timedRun(NODE, ['-e', '0'], options.timeoutMs).seconds);
  }
  progress.clear();
  for (const f of failures) {
    console.log(`bench: MISMATCH urun ${hello}, run ${f.round}: ${f.problem}; stdout: ${f.stdout}`);
  }

  const urunMs = median(urunTimes) === null ? null : median(urunTimes) * 1000;
  const nodeMs = median(nodeTimes) * 1000;
  const rss = ensureTimeBinary()
    ? { urunKiB: peakRss([URUN, hello]), nodeKiB: peakRss([NODE, '-e', '0']) }
    : null;
  const startup = { runs: STARTUP_RUNS, hello, urunMs, nodeMs, extraMs: urunMs === null ? null : urunMs - nodeMs, rss, failures };

  console.log(`\nstart-up (median of ${STARTUP_RUNS} interleaved runs)`);
  const line = (label, value) => console.log(`  ${label.padEnd(40)} ${value}`);
  line(`urun ${hello}`, urunMs === null ? 'failed' : `${urunMs.toFixed(1)} ms`);
  line('node -e 0', `${nodeMs.toFixed(1)} ms`);
  if (startup.extraMs !== null) line('difference (urun start-up)', `${startup.extraMs.toFixed(1)} ms`);
  if (rss) {
    line('peak RSS, urun hello', fmtKiB(rss.urunKiB));
    line('peak RSS, node -e 0', fmtKiB(rss.nodeKiB));
  } else {
    line('peak RSS', `skipped (${TIME_BIN} not found; apt-get install -y time)`);
  }
  return startup;
}

// Peak resident set size in KiB, by GNU time: the median of a few runs.
function peakRss(command) {
  const values = [];
  for (let i = 0; i < RSS_RUNS; i++) {
    const r = spawnSync(TIME_BIN, ['-f', '%M', ...command], { cwd: ROOT, encoding: 'utf8' });
    const last = (r.stderr || '').trim().split('\n').pop();
    if (/^\d+$/.test(last ?? '')) values.push(Number(last));
  }
  return median(values);
}

function fmtKiB(kib) {
  return kib === null ? '?' : `${(kib / 1024).toFixed(1)} MiB`;
}

// ---------------------------------------------------------------------------

function hostInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

function main() {
  const options = parseOptions(process.argv.slice(2));
  ensureTools();
  const buildFailures = buildBenchmarks(options.arches, options.benchmarks);
  if (options.urun && !ensureUrunBuilt()) {
    console.error('bench: BUILD FAILED: npm run build');
    process.exit(1);
  }

  const report = {
    date: new Date().toISOString(),
    host: hostInfo(),
    options: {
      arches: options.arches,
      benchmarks: options.benchmarks.map((b) => b.name),
      rounds: options.rounds,
      scale: options.scale,
      urun: options.urun,
    },
    nativeStatic,
    arches: {},
    overall: null,
    startup: null,
    buildFailures: [...buildFailures],
  };

  const all = [];
  for (const arch of options.arches) {
    const rows = [];
    for (const bench of options.benchmarks) {
      if (buildFailures.has(`${arch}/${bench.name}`) || buildFailures.has(`native/${bench.name}`)) {
        rows.push({ name: bench.name, size: scaledSize(bench, options.scale), buildFailed: true, failures: [] });
        continue;
      }
      const result = summarize(runBenchmark(arch, bench, options));
      delete result.expected;
      rows.push(result);
      if (!process.stderr.isTTY) console.log(`bench: ${arch} ${bench.name} done`);
    }
    const g = geomeans(rows);
    report.arches[arch] = { benchmarks: rows, geomean: g };
    all.push(...rows);
    printTable(`${arch} (${GUEST_ARCHES[arch].label}), median of ${options.rounds} round(s), wall seconds`, rows);
    printGeomeans('geometric mean', g);
  }
  if (options.arches.length > 1) {
    report.overall = geomeans(all);
    console.log('');
    printGeomeans(`overall geometric mean (${options.arches.join(', ')})`, report.overall);
  }

  if (options.startup) report.startup = measureStartup(options);

  mkdirSync(BUILD_DIR, { recursive: true });
  const out = join(BUILD_DIR, 'results.json');
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nresults: ${relative(process.cwd(), out) || out}`);

  const mismatches = all.filter((r) => r.failures.some((f) => f.problem !== 'timed out')).length +
    (report.startup?.failures.length ? 1 : 0);
  if (buildFailures.size > 0 || mismatches > 0) {
    console.log(`bench: FAILED: ${buildFailures.size} build failure(s), ${mismatches} benchmark(s) with a mismatch`);
    process.exit(1);
  }
}

main();
