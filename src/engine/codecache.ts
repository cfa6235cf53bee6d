// The persistent translation cache: compiled regions kept on disk between runs, so that the
// code every run of a program repeats (ld.so's relocation, libc's start-up, the program's
// own start) is compiled once per machine rather than once per run.
//
// A region's JavaScript depends only on the bytes of its blocks, their offsets from the
// region's base page and the ISA (translate.ts makes every guest address base-relative), so
// a cached region is found by a hash of its entry block's bytes and page offset, and used only
// when its first block starts at that offset (keys can collide) and the bytes of all its
// blocks, read from guest memory where they would now be, hash as they did when it was
// compiled. A library mapped at another address by another program reuses its regions; a
// changed file, or code the guest rewrote, simply misses. Entries are grouped in one file
// per mapped file (by path), loaded when code from that file first runs; beside it, the
// file's decoded blocks (scancache.ts), which spare every block a run meets again its decoding.
//
// Files are written whole, to a temporary name then renamed, so concurrent urun processes
// never see a torn file (the last writer wins; a lost entry is compiled again). A file that
// does not parse is ignored with one warning. The directory is kept under a size limit by
// deleting the least recently used files. A file is read by its header: a region's code is
// read from it when the region is first used (a C library's file, shared by every program
// run, holds thousands of regions; one of 86 MB took ~0.5 s and 240 MB to decode whole).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import * as vm from 'node:vm';
import { buildFingerprint } from '../host/v8cache.js';
import { hashCode, hashName } from '../host/hash.js';
import { closeOwn, openOwn, readFully } from '../host/files.js';
import type { GuestMemory } from '../memory/memory.js';
import { PAGE_SHIFT, PROT_EXEC } from '../memory/memory.js';
import type { ScannedBlock } from './cpu.js';
import type { InsnTable } from '../isa/table.js';
import { ScanPartition, scanWords } from './scancache.js';

const MAGIC = 'URUNTC1\n';
/** Default size limit of the cache directory. */
const DEFAULT_MAX_BYTES = 256 * 2 ** 20;
/** How long a temporary file (written, then renamed over its cache file) is left to its writer by eviction. */
const TMP_GRACE_MS = 10 * 60 * 1000;
/** The parameters of a region factory (translate.ts). */
export const REGION_PARAMS = ['env', 'counter', 'self', 'lockstep', 'blocks', 'irq', 'B'];

export type RegionFactory = (...args: unknown[]) => () => number;

/** A compiled region as stored: where its blocks lie relative to its base, and its code. */
export interface CachedRegion {
  /** [start, end) of each block, relative to the region's base page. */
  blocks: number[];
  /** Hash of the bytes of all its blocks. */
  hash: number;
  src: string;
  /** V8's code cache for src, when V8 gave one. */
  v8: Buffer | null;
  /** Compiled on first use in this process. */
  factory?: RegionFactory;
}

interface Partition {
  file: string;
  name: string;
  byEntry: Map<number, CachedRegion[]>;
  /** Entries compiled in this process, to be written at exit. */
  added: { entry: number; region: CachedRegion }[];
  /** The file's decoded blocks (scancache.ts), read when first asked for. */
  scans: ScanPartition | null;
}

export interface CacheSettings {
  dir: string;
  maxBytes?: number;
  warn: (msg: string) => void;
}

/** What opens the same cache in another thread (structured-clonable). */
export interface SharedCacheSettings {
  dir: string;
  maxBytes?: number;
  isaKey: string;
}

/** Where the cache lives and whether it is on, from the environment (the CLI adds --no-cache). */
export function cacheSettingsFromEnv(env: NodeJS.ProcessEnv, warn: (msg: string) => void): CacheSettings | null {
  if (env.URUN_CACHE === '0') return null;
  // Never creates a home directory: a user whose home does not exist (nobody's /nonexistent) has no cache.
  if (!env.URUN_CACHE_DIR && !env.XDG_CACHE_HOME && !fs.existsSync(os.homedir())) return null;
  const base = env.URUN_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'urun');
  const max = Number(env.URUN_CACHE_MAX_MB);
  return { dir: base, maxBytes: max > 0 ? max * 2 ** 20 : undefined, warn };
}

/** A guest mapping of a file: where its code lies and the file's name (the cache partition). */
export interface NamedMapping {
  start: number;
  end: number;
  name: string;
}

/** The engine's view of the cache: the store, and the file mapping (and so the file) code at a guest address is in. */
export interface EngineCache {
  store: TranslationCache;
  mappingAt: (pc: number) => NamedMapping | null;
  fileAt: (pc: number) => string | null;
}

/** An EngineCache over the mappings `mappings()` returns (the Kernel's list, or a thread's copy of it). */
export function engineCache(store: TranslationCache, mappings: () => readonly NamedMapping[]): EngineCache {
  // Usually the mapping the last block was in.
  let last: NamedMapping | undefined;
  const holds = (m: NamedMapping | undefined, a: number) => m !== undefined && m.start <= a && a < m.end;
  // (Plain loops: this runs for every block decoded, mostly as cold code, where a closure per call showed in allocation profiles.)
  const mappingAt = (pc: number) => {
    const a = pc >>> 0;
    const list = mappings();
    if (holds(last, a) && list.includes(last!)) return last!;
    last = undefined;
    for (let i = 0; i < list.length; i++) {
      if (holds(list[i], a)) {
        last = list[i];
        break;
      }
    }
    return last ?? null;
  };
  return { store, mappingAt, fileAt: (pc: number) => mappingAt(pc)?.name ?? null };
}

export class TranslationCache {
  private readonly root: string;
  private readonly partitions = new Map<string, Partition>();
  private warned = false;
  hits = 0;
  stored = 0;
  /** Whether blocks this thread decodes are kept: by the cache that writes at exit, and by a Worker's, which hands them over (onScan). */
  keepsScans = false;
  /** Called for every block kept here (a guest thread's Worker hands them to the main thread's cache). */
  onScan: ((name: string, record: Int32Array) => void) | null = null;
  /**
   * Called for every region compiled here (a guest thread's Worker hands its regions to the
   * main thread's cache, which writes them at exit).
   */
  onAdd: ((name: string, entry: number, region: CachedRegion) => void) | null = null;

  /** The user urun ran as when the cache was opened (a guest that changes its user changes urun's too). */
  private readonly startedAs = process.geteuid?.();

  /** `isaKey` names the ISA variant (and byte order) the code was compiled for. */
  constructor(private readonly settings: CacheSettings, private readonly isaKey: string) {
    this.root = path.join(settings.dir, buildFingerprint());
  }

  /** The region cached for the block at `b.start` in file `name` whose bytes still match, if any. */
  find(name: string, b: ScannedBlock, mem: GuestMemory): { region: CachedRegion; base: number } | null {
    const byEntry = this.partition(name).byEntry;
    // A file with nothing cached (most of a short run's blocks): no need to hash the block.
    const list = byEntry.size === 0 ? undefined : byEntry.get(entryKey(b, mem.bytes));
    if (!list) return null;
    const base = regionBaseOf(b.start);
    // The key is a hash: a region entered elsewhere in the page may share it.
    const at = (b.start - base) | 0, end = (b.end - base) | 0;
    for (const r of list) if (r.blocks[0] === at && r.blocks[1] === end && matches(r, base, mem)) {
      if (!this.readable(r)) return null;
      this.hits++;
      return { region: r, base };
    }
    return null;
  }

  /** Whether a region's code can be read from its file (one damaged since it was opened cannot). */
  private readable(r: CachedRegion): boolean {
    try {
      return r.src.length > 0 && (r.v8 === null || r.v8.length > 0);
    } catch (e) {
      this.warnOnce(`urun: ignoring damaged translation cache file: ${(e as Error).message}`);
      return false;
    }
  }

  /**
   * The block at `pc`, `rel` bytes into file `name`'s mapping, as a previous run decoded it,
   * if the same bytes are there (`tables`: TranslationSpec.tables).
   */
  findScan(name: string, rel: number, pc: number, mem: GuestMemory, tables: readonly InsnTable[]): ScannedBlock | null {
    return this.scansOf(this.partition(name)).find(rel, pc, mem, tables);
  }

  /** Keeps a block decoded at `rel` in file `name`'s mapping, to be written at exit (see onScan). */
  addScan(name: string, rel: number, b: ScannedBlock, mem: GuestMemory, tables: readonly InsnTable[]): void {
    if (!this.keepsScans) return;
    const record = this.scansOf(this.partition(name)).add(rel, b, mem, tables);
    if (record !== null) this.onScan?.(name, record);
  }

  /** Keeps a decoded block another thread of this process kept (see onScan), to be written at exit. */
  adoptScan(name: string, record: Int32Array): void {
    this.scansOf(this.partition(name)).adopt(record);
  }

  private scansOf(p: Partition): ScanPartition {
    if (p.scans === null) {
      try {
        p.scans = new ScanPartition(this.readScans(p));
      } catch (e) {
        this.warnOnce(`urun: ignoring damaged translation cache file ${scanFileOf(p)}: ${(e as Error).message}`);
        p.scans = new ScanPartition(new Int32Array(0));
      }
    }
    return p.scans;
  }

  /** A partition's block file as words (none when missing); throws when damaged. */
  private readScans(p: Partition): Int32Array {
    let data: Buffer;
    try {
      data = fs.readFileSync(scanFileOf(p));
    } catch {
      return new Int32Array(0);
    }
    return scanWords(data);
  }

  /** A region to cache, compiled from `blocks` (the first its entry) as `src`. */
  static regionOf(blocks: ScannedBlock[], mem: GuestMemory, src: string): CachedRegion {
    const base = regionBaseOf(blocks[0].start);
    const rel: number[] = [];
    for (const b of blocks) rel.push((b.start - base) | 0, (b.end - base) | 0);
    return { blocks: rel, hash: regionHash(rel, base, mem.bytes), src, v8: null };
  }

  /** Keeps a region (entered at block `entry`) of file `name`, to be written at exit. */
  add(name: string, entry: ScannedBlock, mem: GuestMemory, region: CachedRegion): void {
    const key = entryKey(entry, mem.bytes);
    this.adopt(name, key, region);
    this.onAdd?.(name, key, region);
  }

  /** Keeps a region another thread of this process compiled (see onAdd), to be written at exit. */
  adopt(name: string, entry: number, region: CachedRegion): void {
    const p = this.partition(name);
    addTo(p.byEntry, entry, region);
    p.added.push({ entry, region });
    this.stored++;
  }

  /** The settings and key a Worker needs to open the same cache. */
  get shareable(): SharedCacheSettings {
    return { dir: this.settings.dir, maxBytes: this.settings.maxBytes, isaKey: this.isaKey };
  }

  /** Compiles a region's factory, through V8's code cache when the region has one. */
  static compile(region: CachedRegion, produce: boolean): RegionFactory {
    if (region.factory) return region.factory;
    const fn = vm.compileFunction(region.src, REGION_PARAMS, {
      cachedData: region.v8 ?? undefined, produceCachedData: produce && !region.v8,
    }) as unknown as RegionFactory & { cachedData?: Buffer; cachedDataRejected?: boolean };
    if (produce && !region.v8 && fn.cachedData) region.v8 = fn.cachedData;
    region.factory = fn;
    return fn;
  }

  private partition(name: string): Partition {
    let p = this.partitions.get(name);
    if (!p) {
      const file = path.join(this.root, hashName(`${this.isaKey}\0${name}`) + '.bin');
      p = { file, name, byEntry: new Map(), added: [], scans: null };
      for (const [entry, region] of this.read(file)) addTo(p.byEntry, entry, region);
      this.partitions.set(name, p);
    }
    return p;
  }

  /** The entries of a cache file, their code left in it; none (and one warning) when it is missing or damaged. */
  private read(file: string): [number, CachedRegion][] {
    let fd: number;
    try {
      fd = openOwn(file);
    } catch {
      return [];
    }
    // (The descriptor stays open while a region may still be read: a newer file renamed over
    // this one by another process leaves this one's bytes as they were.)
    const body = fileBody(fd);
    try {
      const entries = decode(body, fs.fstatSync(fd).size);
      if (entries.length === 0) body.close();
      return entries;
    } catch (e) {
      body.close();
      this.warnOnce(`urun: ignoring damaged translation cache file ${file}: ${(e as Error).message}`);
      return [];
    }
  }

  /** A run warns about its cache once at most (a guest thread's Worker warns through the main thread's cache). */
  warnOnce(msg: string): void {
    if (!this.warned) this.settings.warn(msg);
    this.warned = true;
  }

  /** Writes the entries compiled in this process (merged with what other processes wrote meanwhile). */
  flush(): void {
    let wrote = false;
    for (const p of this.partitions.values()) {
      if (p.scans?.changed) {
        let current: Int32Array;
        try {
          current = this.readScans(p);
        } catch {
          current = new Int32Array(0);
        }
        if (!this.writeWhole(scanFileOf(p), p.scans.serialize(current))) return;
        wrote = true;
      }
      if (p.added.length === 0) continue;
      const merged = new Map<string, [number, CachedRegion]>();
      // One entry per region: its key, where it is entered, and the hash of its bytes.
      const keep = (entry: number, region: CachedRegion) => merged.set(`${entry}:${region.blocks[0]}:${region.hash}`, [entry, region]);
      const current = this.read(p.file);
      for (const [entry, region] of current) keep(entry, region);
      for (const { entry, region } of p.added) keep(entry, region);
      p.added = [];
      let data: Buffer;
      try {
        data = encode([...merged.values()]);
      } catch (e) {
        this.warnOnce(`urun: not writing the translation cache file ${p.file}: ${(e as Error).message}`);
        return;
      } finally {
        closeBodies(current);
      }
      if (!this.writeWhole(p.file, data)) return;
      wrote = true;
    }
    if (wrote) this.evict();
  }

  /** Writes a cache file whole (a temporary file renamed over it); false, with one warning, when it cannot. */
  private writeWhole(file: string, data: Buffer): boolean {
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(this.root, { recursive: true });
      fs.writeFileSync(tmp, data);
      fs.renameSync(tmp, file);
      return true;
    } catch (e) {
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // Not there, or not ours to see any more (the guest gave up root: EACCES).
      }
      // (Past the guest's own RLIMIT_FSIZE, which urun's process has too, or in a directory
      // the guest gave up the right to write when it changed its user: nothing to say; the
      // program's stderr is its own.)
      // Nor in another user's directory (a program that gave up root before it forked: its
      // child urun starts as that user, with root's cache).
      if ((e as NodeJS.ErrnoException).code !== 'EFBIG' && process.geteuid?.() === this.startedAs && !anotherUsersDirectory(this.root)) {
        this.warnOnce(`urun: cannot write the translation cache in ${this.root}: ${(e as Error).message}`);
      }
      return false;
    }
  }

  /** Deletes the least recently written files (and other builds' directories) beyond the size limit. */
  private evict(): void {
    const max = this.settings.maxBytes ?? DEFAULT_MAX_BYTES;
    const files: { file: string; size: number; mtime: number }[] = [];
    const add = (file: string, old: boolean) => {
      try {
        const st = fs.statSync(file);
        if (st.isDirectory()) for (const f of fs.readdirSync(file)) add(path.join(file, f), old || file !== this.root);
        // A temporary file another process is writing, to rename it in a moment, is not ours to
        // delete (its rename would fail: 'cannot write the translation cache ... ENOENT'); one a
        // process that died left behind goes once it is old.
        else if (file.endsWith('.tmp') && Date.now() - st.mtimeMs < TMP_GRACE_MS) return;
        // Another build's entries go first: their mtime is put before every current one.
        else files.push({ file, size: st.size, mtime: old ? 0 : st.mtimeMs });
      } catch {
        // Removed meanwhile by another process.
      }
    };
    for (const f of safeReaddir(this.settings.dir)) add(path.join(this.settings.dir, f), false);
    let total = files.reduce((s, f) => s + f.size, 0);
    if (total <= max) return;
    files.sort((a, b) => a.mtime - b.mtime);
    for (const f of files) {
      if (total <= max * 0.8) break;
      try {
        fs.rmSync(f.file, { force: true });
        total -= f.size;
      } catch {
        // Another process removed or replaced it.
      }
    }
  }
}

const open = new Set<TranslationCache>();

/** A cache for one process; flushTranslationCaches writes what it gained. */
export function openTranslationCache(settings: CacheSettings, isaKey: string): TranslationCache {
  const c = new TranslationCache(settings, isaKey);
  c.keepsScans = true;
  open.add(c);
  return c;
}

/** Writes every open cache's new entries (at exit, or before an exec replaces the image). */
export function flushTranslationCaches(): void {
  for (const c of open) c.flush();
}

/** Whether `dir`, or the nearest directory above it that exists, belongs to a user other than this process's. */
function anotherUsersDirectory(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      return fs.statSync(d).uid !== process.geteuid?.();
    } catch {
      if (d === path.dirname(d)) return false;
    }
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** A partition's file of decoded blocks, beside its regions'. */
const scanFileOf = (p: Partition): string => p.file.replace(/\.bin$/, '.scan');

export const regionBaseOf = (start: number): number => (start & ~0xfff) | 0;

function addTo(m: Map<number, CachedRegion[]>, entry: number, region: CachedRegion): void {
  const list = m.get(entry);
  if (list) list.push(region);
  else m.set(entry, [region]);
}

/** The lookup key of a region entered at block b: its bytes and its offset in its page. */
function entryKey(b: ScannedBlock, bytes: Uint8Array): number {
  return hashCode(bytes, b.start & ~1, b.end, b.start & 0xfff);
}

function regionHash(rel: number[], base: number, bytes: Uint8Array): number {
  let h = 0;
  for (let i = 0; i < rel.length; i += 2) {
    h = hashCode(bytes, (base + rel[i]) & ~1, base + rel[i + 1], (h + rel[i] * 31 + rel[i + 1]) | 0);
  }
  return h;
}

/** Whether a cached region's blocks are executable here and hold the bytes it was compiled from. */
function matches(r: CachedRegion, base: number, mem: GuestMemory): boolean {
  for (let i = 0; i < r.blocks.length; i += 2) {
    const first = ((base + r.blocks[i]) >>> 0) >>> PAGE_SHIFT, last = ((base + r.blocks[i + 1] - 1) >>> 0) >>> PAGE_SHIFT;
    for (let p = first; p <= last; p++) if ((mem.perm[p] & PROT_EXEC) === 0) return false;
  }
  return regionHash(r.blocks, base, mem.bytes) === r.hash;
}

interface Header {
  entries: { k: number; h: number; b: number[]; s: number; v: number }[];
}

/** Where a cache file's region code is read from (the file, open). */
interface FileBody {
  read(at: number, length: number): Buffer;
  close(): void;
}

function fileBody(fd: number): FileBody {
  let open = true;
  return {
    read(at, length) {
      const buf = Buffer.allocUnsafe(length);
      // (Checked against the file's size when it was opened; a shorter read is a file damaged since.)
      if (!open || readFully(fd, buf, 0, length, at) < length) throw new Error('translation cache file shrank while in use');
      return buf;
    },
    close() {
      if (open) closeOwn(fd);
      open = false;
    },
  };
}

/** Closes the files the entries `read` gave were read from. */
function closeBodies(entries: [number, CachedRegion][]): void {
  for (const [, r] of entries) if (r instanceof StoredRegion) r.close();
}

/** A region as a cache file holds it: its code is read when first asked for. */
class StoredRegion implements CachedRegion {
  factory?: RegionFactory;
  private code: string | null = null;
  private v8Bytes: Buffer | null | undefined;
  constructor(readonly blocks: number[], readonly hash: number, private readonly body: FileBody,
    private readonly at: number, private readonly srcLength: number, private readonly v8Length: number) {}

  get src(): string {
    return (this.code ??= this.srcBytes().toString('utf8'));
  }

  get v8(): Buffer | null {
    if (this.v8Bytes === undefined) this.v8Bytes = this.v8Length ? this.body.read(this.at + this.srcLength, this.v8Length) : null;
    return this.v8Bytes;
  }

  set v8(bytes: Buffer | null) {
    this.v8Bytes = bytes;
  }

  /** The code's bytes as stored (encode copies them without decoding them). */
  srcBytes(): Buffer {
    return this.body.read(this.at, this.srcLength);
  }

  /** Lets go of the file (every region read from it shares it). */
  close(): void {
    this.body.close();
  }
}

function encode(entries: [number, CachedRegion][]): Buffer {
  const parts: Buffer[] = [];
  const header: Header = { entries: [] };
  for (const [k, r] of entries) {
    const src = r instanceof StoredRegion ? r.srcBytes() : Buffer.from(r.src, 'utf8');
    const v8 = r.v8;
    header.entries.push({ k, h: r.hash, b: r.blocks, s: src.length, v: v8?.length ?? 0 });
    parts.push(src);
    if (v8) parts.push(v8);
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  return Buffer.concat([Buffer.from(MAGIC), len, json, ...parts]);
}

/** A cache file's entries from its header; their code stays in the file (`size` bytes) until used. */
function decode(body: FileBody, size: number): [number, CachedRegion][] {
  const start = MAGIC.length + 4;
  if (size < start) throw new Error('not a urun cache file');
  const first = body.read(0, start);
  if (first.subarray(0, MAGIC.length).toString() !== MAGIC) throw new Error('not a urun cache file');
  const len = first.readUInt32LE(MAGIC.length);
  let at = start + len;
  if (at > size) throw new Error('truncated');
  const header = JSON.parse(body.read(start, len).toString('utf8')) as Header;
  const out: [number, CachedRegion][] = [];
  for (const e of header.entries) {
    if (at + e.s + e.v > size) throw new Error('truncated');
    out.push([e.k, new StoredRegion(e.b, e.h, body, at, e.s, e.v)]);
    at += e.s + e.v;
  }
  if (at !== size) throw new Error('trailing bytes');
  return out;
}
