// The persistent translation cache (src/engine/codecache.ts): a second run uses what the
// first compiled, in the main thread and in guest threads' Workers alike; damaged files are
// ignored with one warning; changed code never runs stale translations; URUN_CACHE=0 keeps nothing.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, urun } from './support/urun.js';
import { TranslationCache } from '../src/engine/codecache.js';
import { GuestMemory, PAGE_SIZE } from '../src/memory/memory.js';
import { hashCode } from '../src/host/hash.js';
import type { GuestCpu, ScannedBlock } from '../src/engine/cpu.js';
import { ScanPartition, scanWords } from '../src/engine/scancache.js';
import { parseElf, PF_X, PT_LOAD } from '../src/elf/parse.js';
import { MipsCpu } from '../src/isa/mips/cpu.js';
import { ArmCpu } from '../src/isa/arm/cpu.js';

const bin = (arch: string, name: string) => path.join(ROOT, 'test/fixtures/bin', arch, name);

interface Stats { regionsCompiled: number; regionsFromCache: number; instructions: number; blocksTranslated: number; blocksFromCache: number }

function run(dir: string | null, args: string[]) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', URUN_STATS: 'json' };
  if (dir === null) env.URUN_CACHE = '0';
  else env.URUN_CACHE_DIR = dir;
  const r = urun(args, { env });
  const line = r.stderr.split('\n').find((l) => l.startsWith('urun-stats: '));
  expect(line, r.stderr).toBeDefined();
  const stats = JSON.parse(line!.slice('urun-stats: '.length)) as Stats;
  return { ...r, stats, warnings: r.stderr.split('\n').filter((l) => l.startsWith('urun:')) };
}

const cacheFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)).filter((f) => /\.(bin|scan)$/.test(f));

/** A fixture's executable segment in guest memory at its address plus `shift` (a multiple of the page size). */
function loadText(arch: string, name: string, shift = 0): { mem: GuestMemory; start: number; end: number } {
  const elf = parseElf(fs.readFileSync(bin(arch, name)), name);
  const text = elf.programs.find((ph) => ph.type === PT_LOAD && ph.flags & PF_X)!;
  const mem = new GuestMemory(elf.littleEndian);
  const first = Math.floor(text.vaddr / PAGE_SIZE) * PAGE_SIZE;
  mem.map(first + shift, Math.ceil((text.vaddr + text.filesz - first) / PAGE_SIZE) * PAGE_SIZE, 5);
  elf.readInto(mem.bytes, text.vaddr + shift, text.offset, text.filesz);
  return { mem, start: text.vaddr + shift, end: text.vaddr + text.filesz + shift };
}

describe('persistent translation cache', () => {
  for (const [arch, args] of [
    ['mipsel', ['threads', 'compute', '1', '400000']],
    ['armhf', ['threads', 'compute', '2', '400000']],
  ] as const) {
    it(`${arch}: a second run of a threaded program takes its regions from the cache, Workers included`, () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-cache-'));
      try {
        const argv = [bin(arch, args[0]), ...args.slice(1)];
        const cold = run(dir, argv);
        expect(cold.status).toBe(0);
        expect(cold.stats.regionsCompiled).toBeGreaterThan(0);
        expect(cold.stats.regionsFromCache).toBe(0);
        expect(cacheFiles(dir).length).toBeGreaterThan(0);
        const warm = run(dir, argv);
        expect(warm.stdout).toBe(cold.stdout);
        expect(warm.status).toBe(0);
        // The compute loop runs in the guest threads' Workers (the main thread compiles nothing
        // here): their regions come from the cache too, and fewer are compiled afresh.
        expect(warm.stats.regionsFromCache).toBeGreaterThan(0);
        expect(warm.stats.regionsCompiled - warm.stats.regionsFromCache).toBeLessThan(cold.stats.regionsCompiled);
        // Decoded blocks too: those the Workers decoded came back to the main thread's cache
        // (but for the last few a thread ran after its last report, as the process exited:
        // without the Workers' blocks, some 550 of 1,450 were decoded again).
        expect(warm.stats.blocksTranslated - warm.stats.blocksFromCache).toBeLessThan(16);

        // Damaged files: ignored, with one warning, and the run is the same.
        for (const f of cacheFiles(dir)) fs.truncateSync(f, Math.floor(fs.statSync(f).size / 2));
        const damaged = run(dir, argv);
        expect(damaged.stdout).toBe(cold.stdout);
        expect(damaged.status).toBe(0);
        expect(damaged.warnings.filter((w) => w.includes('damaged translation cache'))).toHaveLength(1);
        expect(damaged.stats.regionsFromCache).toBe(0);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  }

  it('URUN_CACHE=0 writes nothing and compiles as before', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-home-'));
    try {
      const r = urun([bin('mips', 'threads'), 'compute', '1', '200000'], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', URUN_CACHE: '0', XDG_CACHE_HOME: home, HOME: home },
      });
      expect(r.status).toBe(0);
      expect(fs.readdirSync(home)).toEqual([]);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('finds a region only while every block still holds the bytes it was compiled from', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-cache-'));
    try {
      const mem = new GuestMemory(true);
      mem.map(0x400000, 2 * PAGE_SIZE, 7);
      for (let i = 0; i < 64; i++) mem.bytes[0x400100 + i] = (i * 37) & 0xff;
      const entry: ScannedBlock = { start: 0x400100, end: 0x400110, insns: [] };
      const other: ScannedBlock = { start: 0x400120, end: 0x400130, insns: [] };
      const settings = { dir, warn: (m: string) => { throw new Error(m); } };
      const writer = new TranslationCache(settings, 'test');
      writer.add('lib.so', entry, mem, TranslationCache.regionOf([entry, other], mem, 'return () => 0;'));
      writer.flush();
      const reader = new TranslationCache(settings, 'test');
      expect(reader.find('lib.so', entry, mem)?.region.src).toBe('return () => 0;');
      // The same code at another address (another page offset would be another entry key).
      const moved = new GuestMemory(true);
      moved.map(0x7f000000, 2 * PAGE_SIZE, 7);
      moved.bytes.copyWithin(0x7f000000, 0x400000, 0x400000 + 2 * PAGE_SIZE);
      moved.bytes.set(mem.bytes.subarray(0x400000, 0x400000 + 2 * PAGE_SIZE), 0x7f000000);
      const at = (b: ScannedBlock): ScannedBlock => ({ ...b, start: b.start - 0x400000 + 0x7f000000, end: b.end - 0x400000 + 0x7f000000 });
      expect(new TranslationCache(settings, 'test').find('lib.so', at(entry), moved)?.region.src).toBe('return () => 0;');
      // A changed byte in a block other than the entry: a miss.
      mem.bytes[0x400125] ^= 1;
      expect(new TranslationCache(settings, 'test').find('lib.so', entry, mem)).toBeNull();
      // Another ISA key is another partition.
      mem.bytes[0x400125] ^= 1;
      expect(new TranslationCache(settings, 'other').find('lib.so', entry, mem)).toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a region\'s code from its file when it is used, from the file as it was opened even if a newer one replaced it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-cache-'));
    try {
      const mem = new GuestMemory(true);
      mem.map(0x400000, PAGE_SIZE, 7);
      for (let i = 0; i < 256; i++) mem.bytes[0x400000 + i] = (i * 91 + 7) & 0xff;
      const block = (at: number): ScannedBlock => ({ start: 0x400000 + at, end: 0x400000 + at + 16, insns: [] });
      const settings = { dir, warn: (m: string) => { throw new Error(m); } };
      const code = (at: number) => `return () => ${at}; // ${'x'.repeat(at)}`;
      const writer = new TranslationCache(settings, 'test');
      for (const at of [16, 48, 80]) writer.add('lib.so', block(at), mem, TranslationCache.regionOf([block(at)], mem, code(at)));
      writer.flush();
      const reader = new TranslationCache(settings, 'test');
      expect(reader.find('lib.so', block(16), mem)?.region.src).toBe(code(16));
      // Another process writes the file again, with more regions: every offset in it moves.
      const other = new TranslationCache(settings, 'test');
      other.add('lib.so', block(0), mem, TranslationCache.regionOf([block(0)], mem, code(0)));
      other.flush();
      expect(reader.find('lib.so', block(80), mem)?.region.src).toBe(code(80));
      expect(reader.find('lib.so', block(48), mem)?.region.src).toBe(code(48));
      expect(new TranslationCache(settings, 'test').find('lib.so', block(0), mem)?.region.src).toBe(code(0));
      expect(new TranslationCache(settings, 'test').find('lib.so', block(80), mem)?.region.src).toBe(code(80));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const [arch, name, makeCpu, thumb] of [
    ['mips', 'procs', (m: GuestMemory) => new MipsCpu(m, () => {}), false],
    ['mipsel', 'busybox', (m: GuestMemory) => new MipsCpu(m, () => {}), false],
    ['armel', 'busybox', (m: GuestMemory) => new ArmCpu(m, () => {}), false],
    ['armhf', 'busybox', (m: GuestMemory) => new ArmCpu(m, () => {}), true],
  ] as [string, string, (m: GuestMemory) => GuestCpu, boolean][]) {
    it(`${arch}: keeps decoded blocks that come back as the scanner makes them, at any address, and only over the same bytes`, () => {
      const here = loadText(arch, name), there = loadText(arch, name, 0x10000000);
      const cpu = makeCpu(here.mem), elsewhere = makeCpu(there.mem);
      const tables = cpu.translation.tables ?? [cpu.translation.table];
      const kept = new ScanPartition(new Int32Array(0));
      // The first 3,000 instruction addresses, ARM or Thumb (bit 0).
      const step = thumb ? 2 : 4, tag = thumb ? 1 : 0, at = (pc: number) => (pc - here.start) | 0;
      const starts: number[] = [];
      for (let pc = here.start; pc < here.end - 64 && starts.length < 3000; pc += step) starts.push(pc | tag);
      let faulty = 0;
      for (const pc of starts) {
        const b = cpu.scanBlock(pc);
        if (b.insns.some((i) => i.def === null)) faulty++;
        kept.add(at(pc), b, here.mem, tables);
      }
      const file = kept.serialize(new Int32Array(0));
      const read = new ScanPartition(scanWords(file));
      expect(read.size).toBe(starts.length - faulty);
      let found = 0;
      for (const pc of starts) {
        const moved = (pc + 0x10000000) | 0;
        const b = read.find(at(pc), moved, there.mem, tables);
        const fresh = elsewhere.scanBlock(moved);
        if (fresh.insns.some((i) => i.def === null)) {
          expect(b).toBeNull();
          continue;
        }
        expect(b).toStrictEqual(fresh);
        found++;
      }
      expect(found).toBe(starts.length - faulty);
      // A byte changed under a block: a miss there (the scanner decodes it again).
      const victim = starts.find((pc) => read.find(at(pc), pc, here.mem, tables) !== null)!;
      here.mem.bytes[(victim & ~1) + 1] ^= 0x10;
      expect(read.find(at(victim), victim, here.mem, tables)).toBeNull();
      // ...and the block decoded there now replaces the kept one (a changed file is kept anew).
      const changed = cpu.scanBlock(victim);
      if (!changed.insns.some((i) => i.def === null)) {
        expect(read.add(at(victim), changed, here.mem, tables)).not.toBeNull();
        const again = new ScanPartition(scanWords(read.serialize(scanWords(file))));
        expect(again.find(at(victim), victim, here.mem, tables)).toStrictEqual(changed);
        expect(again.size).toBe(starts.length - faulty);
      }
      // Damage is refused, not decoded.
      expect(() => scanWords(file.subarray(0, file.length - 2))).toThrow(/truncated/);
      const words = scanWords(file);
      words[2] = 1 << 20;
      expect(() => new ScanPartition(words)).toThrow();
    });
  }

  it('a second run decodes no block its first run decoded (static and dynamic programs)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-cache-'));
    try {
      // (.ci/run installs Debian's mipsel libc where gdb.test.ts finds it too.)
      for (const argv of [[bin('armhf', 'hello')], ['-L', '/usr/mipsel-linux-gnu', bin('mipsel', 'debugme-dyn')]]) {
        const cold = run(dir, argv);
        expect(cold.stats.blocksFromCache).toBe(0);
        const warm = run(dir, argv);
        expect(warm.stdout).toBe(cold.stdout);
        expect(warm.status).toBe(cold.status);
        expect(warm.stats.blocksTranslated).toBeGreaterThan(100);
        expect(warm.stats.blocksFromCache).toBe(warm.stats.blocksTranslated);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('never enters a region at a block other than its first, even when their keys collide', () => {
    // Two entries of an ARM jump table in Debian's pcre2test (armel): `b` at page offsets 0x1ac
    // and 0x1ec whose offset and first byte differ in the same bit. Their keys once collided,
    // and the first one's region ran for the second (it branched to the first one's target).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-cache-'));
    try {
      const mem = new GuestMemory(false);
      mem.map(0x400000, PAGE_SIZE, 7);
      mem.bytes.set([0x79, 0x00, 0x00, 0xea], 0x4001ac);
      mem.bytes.set([0x39, 0x00, 0x00, 0xea], 0x4001ec);
      const first: ScannedBlock = { start: 0x4001ac, end: 0x4001b0, insns: [] };
      const second: ScannedBlock = { start: 0x4001ec, end: 0x4001f0, insns: [] };
      const settings = { dir, warn: (m: string) => { throw new Error(m); } };
      const writer = new TranslationCache(settings, 'test');
      writer.add('pcre2test', first, mem, TranslationCache.regionOf([first], mem, 'return () => 1;'));
      writer.flush();
      const reader = new TranslationCache(settings, 'test');
      expect(reader.find('pcre2test', second, mem)).toBeNull();
      expect(reader.find('pcre2test', first, mem)?.region.src).toBe('return () => 1;');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("eviction leaves another process's fresh temporary file to be renamed, and removes stale ones", () => {
    // Another build's process in the same directory is writing a cache file (a temporary file
    // it renames a moment later); this process's eviction deleted it, and that rename failed:
    // 'urun: cannot write the translation cache ... ENOENT' on the other program's stderr.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-cache-'));
    try {
      const other = path.join(dir, 'otherbuild');
      fs.mkdirSync(other);
      const done = path.join(other, 'a.bin'), fresh = path.join(other, 'b.bin.4242.tmp'), stale = path.join(other, 'c.bin.4343.tmp');
      for (const f of [done, fresh, stale]) fs.writeFileSync(f, Buffer.alloc(4096));
      const hourAgo = new Date(Date.now() - 3600_000);
      fs.utimesSync(stale, hourAgo, hourAgo);
      const mem = new GuestMemory(false);
      mem.map(0x400000, PAGE_SIZE, 7);
      mem.bytes.set([0x79, 0x00, 0x00, 0xea], 0x4001ac);
      const block: ScannedBlock = { start: 0x4001ac, end: 0x4001b0, insns: [] };
      const writer = new TranslationCache({ dir, maxBytes: 1024, warn: (m: string) => { throw new Error(m); } }, 'test');
      writer.add('prog', block, mem, TranslationCache.regionOf([block], mem, 'return () => 1;'));
      writer.flush();
      expect(fs.existsSync(fresh)).toBe(true);
      expect(fs.existsSync(stale)).toBe(false);
      expect(fs.existsSync(done)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hashes a seed so that it cannot cancel out the first byte', () => {
    const bytes = new Uint8Array([0x79, 0x39]);
    expect(hashCode(bytes, 0, 1, 0x1ac)).not.toBe(hashCode(bytes, 1, 2, 0x1ec));
  });
});
