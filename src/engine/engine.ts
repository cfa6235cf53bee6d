// The execution engine: runs guest code out of a translation cache keyed by guest PC.
// A block starts out interpreted (pre-decoded: one handler call per instruction); once it
// has run HOT_INSNS guest instructions it becomes the entry of a region of hot blocks
// compiled to one JavaScript function (translate.ts). Each block remembers its last two
// successors, so going from block to block rarely needs the hash lookup. Cached code is
// dropped when the code under it may have changed.
import type { GuestCpu, ScannedBlock } from './cpu.js';
import { GuestMemory, PAGE_CODE, PAGE_SHIFT } from '../memory/memory.js';
import { branchesBack, generateRegion, instantiateRegion, staticTargets, translateRegion, Untranslatable } from './translate.js';
import { TranslationCache, type EngineCache } from './codecache.js';
import type { Lockstep } from './lockstep.js';
import { GuestFault, IRQ } from './signals.js';
import { CodeLog } from './codelog.js';
import type { InsnTable } from '../isa/table.js';

/**
 * Guest instructions an interpreted block runs before its region is compiled. A region
 * costs about 0.5 ms to generate and compile (more once V8 optimises it) and saves some
 * 40-80 ns per instruction over the interpreter, so it pays for itself only after several
 * thousand instructions; compiling at 40 runs made short programs (coreutils' factor)
 * spend most of their time compiling code that then ran a few hundred times.
 */
export const HOT_INSNS = 4000;
/**
 * The same for a block that does not branch back (see thresholdOf). armhf python3.11's
 * start: 2.72 s with every block at 4,000, 2.24 s at 16,000 (1.93 s at 64,000, which made
 * the short Debian programs of bench/real.mjs slower with a cold cache).
 */
const STRAIGHT_INSNS = 16000;
/**
 * Regions a thread compiles at those thresholds; past them a block must run LATE_FACTOR
 * times its threshold before it heads one. A program with a flat profile (perl, R, python
 * running library code) reaches thousands of regions, each run too little to repay V8's
 * optimising compile (about 6 ms of CPU on its background threads, meanwhile running in V8's
 * baseline tier, slower than the interpreter); the short programs of bench/real.mjs compile
 * 11-264 and the hot loops of bench/run.mjs fewer. armel perl compiling GNU parallel, warm
 * cache: 23.5 s CPU, 14.0 s wall -> 14.6 s, 10.4 s (2,019 regions -> 512 plus the late ones).
 */
const REGION_BUDGET = 512;
const LATE_FACTOR = 16;
/** Under lockstep checking: low, so that code run only a few times is checked too. */
const LOCKSTEP_INSNS = 40;
// Small regions: compiling (and V8 optimising) big ones cost more than the exits they saved
// (armel libm: 6.2 s at 48 blocks, 2.2 s at 8; the compute benchmarks were as fast or faster).
const MAX_REGION_BLOCKS = 8;
/** Under lockstep nearly every block heads a region; smaller regions keep compiling them cheap. */
const LOCKSTEP_REGION_BLOCKS = 6;
const MAX_REGION_INSNS = 200;
const RECENT_MASK = 0x3fff;
/** Blocks run per call of Engine.loop (see there). */
const DISPATCH_SLICE = 1 << 16;
/** How often (in dispatches, a power of two) the loop reads the clock for EngineOptions.tick. */
const TICK_CHECK = 64;

/** Why Engine.loop returned. */
const enum Exit {
  /** An interrupt was requested: run() returns. */
  Interrupt,
  /** It ran DISPATCH_SLICE blocks. */
  Slice,
  /** The next block is not in the block map (to be decoded or taken from the persistent cache). */
  Miss,
  /** The block that ran last has run enough instructions to head a region. */
  Promote,
  /** Another thread changed code (the code log has entries to read). */
  CodeLog,
}

/**
 * The countdown of a block that is never promoted (a region, or a block tried once). A small
 * integer, as every countdown is: a field V8 sees holding only small integers is updated in
 * place, where one holding Infinity made each dispatch allocate a heap number (100 MB of
 * garbage in a 6.5M-dispatch sqlite3 run).
 */
const NEVER = 0x3fffffff;

export class Block {
  valid = true;
  /** Guest instructions left to run before promotion (NEVER: not promoted; reset when it runs out). */
  countdown = NEVER;
  /** Its promotion was put off once, the thread's region budget being spent (see REGION_BUDGET). */
  late = false;
  /** The last two successors, checked before the cache lookup. */
  next0: Block | null = null;
  next1: Block | null = null;
  exec: () => number = () => 0;

  readonly start: number;

  constructor(
    readonly scanned: ScannedBlock,
    /** Guest pages holding the code this block was made from. */
    readonly pages: number[],
    readonly translated: boolean,
    threshold: number,
  ) {
    this.countdown = translated ? NEVER : threshold;
    this.start = scanned.start;
  }
}

/** The engine's counters, as --stats reports them (summed over a process's threads). */
export const ENGINE_COUNTERS = [
  'instructions', 'compiledInstructions', 'dispatches', 'blocksTranslated', 'blocksFromCache', 'regionsCompiled', 'regionsFromCache',
  'invalidations', 'generateMs', 'compileMs',
] as const;
export type EngineCounters = Record<(typeof ENGINE_COUNTERS)[number], number>;

export interface EngineOptions {
  /** Compile hot code (default); false interprets everything. */
  translate?: boolean;
  /** Checks translated code against the interpreter block by block (--check-jit). */
  lockstep?: Lockstep | null;
  warn?: (msg: string) => void;
  /** The process's shared code-change log, when other threads run guest code too. */
  codeLog?: CodeLog;
  /**
   * The interrupt-request word (ThreadSignals.interrupt): when its IRQ slot is non-zero,
   * run() returns at the next block boundary or backward branch.
   */
  interrupt?: Int32Array;
  /**
   * The persistent translation cache, and the file whose code is at a guest address (the
   * cache's partition; code outside any mapped file is not cached).
   */
  cache?: EngineCache | null;
  /** Where the counters are copied (in ENGINE_COUNTERS order) whenever run() returns or pauses, for another thread to read. */
  countersOut?: Float64Array;
  /** When run() requests its interrupt itself (ThreadSignals.tick): checked every TICK_CHECK dispatches. */
  tick?: Float64Array;
  /** Regions compiled at the normal thresholds (default REGION_BUDGET; tests make it small). */
  regionBudget?: number;
}

export class Engine implements EngineCounters {
  private readonly blocks = new Map<number, Block>();
  /** A direct-mapped cache in front of `blocks`, for indirect jumps with many targets. */
  private readonly recent: (Block | null)[] = new Array<Block | null>(RECENT_MASK + 1).fill(null);
  private readonly pageBlocks = new Map<number, Block[]>();
  private readonly translateHot: boolean;
  private readonly lockstep: Lockstep | null;
  private readonly threshold: number;
  private readonly regionBudget: number;
  /** Guest instructions executed. */
  instructions = 0;
  /** Of those, the ones run by compiled regions. */
  compiledInstructions = 0;
  /** Times the engine chose the next block (a compiled region's exit, or an interpreted block's end). */
  dispatches = 0;
  blocksTranslated = 0;
  /** Of those, the ones decoded by an earlier run (the persistent cache's blocks). */
  blocksFromCache = 0;
  regionsCompiled = 0;
  /** Of those, the ones whose code came from the persistent cache. */
  regionsFromCache = 0;
  invalidations = 0;
  /** Milliseconds spent generating regions' JavaScript, and in V8 compiling it. */
  generateMs = 0;
  compileMs = 0;
  /** The tables the CPU's blocks are decoded with (TranslationSpec.tables). */
  private readonly tables: readonly InsnTable[];
  private readonly codeLog: CodeLog;
  private readonly codeLogWords: Int32Array;
  /** How many entries of the code log this engine has processed. */
  private codeLogSeen: number;
  readonly interrupt: Int32Array;
  private readonly tick: Float64Array;
  /** Addresses run() does not execute (a debugger's breakpoints), their pages, and the blocks holding them; or null. */
  private stops: { addrs: Set<number>; pages: Set<number>; blocks: WeakSet<Block> } | null = null;
  /** The block loop() ran last when it returned (see there). */
  private lastRan: Block | null = null;

  constructor(readonly cpu: GuestCpu, readonly mem: GuestMemory, private readonly opts: EngineOptions = {}) {
    mem.onCodeWrite = (page) => this.invalidatePage(page);
    this.codeLog = opts.codeLog ?? CodeLog.private();
    this.codeLogWords = this.codeLog.words;
    this.codeLogSeen = Atomics.load(this.codeLogWords, 0);
    this.translateHot = opts.translate ?? true;
    this.tables = cpu.translation.tables ?? [cpu.translation.table];
    this.lockstep = opts.lockstep ?? null;
    this.interrupt = opts.interrupt ?? new Int32Array(new SharedArrayBuffer(4));
    this.tick = opts.tick ?? new Float64Array(1);
    // Under lockstep, translate nearly everything so that everything gets checked.
    this.threshold = this.lockstep ? LOCKSTEP_INSNS : HOT_INSNS;
    this.regionBudget = opts.regionBudget ?? REGION_BUDGET;
  }

  /**
   * Runs guest code until an interrupt is requested (returns with cpu.pc at the next
   * instruction to run), or the guest exits, faults or waits (exceptions; a fault leaves
   * cpu.pc on the faulting instruction).
   */
  run(): void {
    if (this.lockstep) {
      try {
        this.drive();
        return;
      } catch (e) {
        if (e instanceof GuestFault) this.lockstep.onFault(e);
        throw e;
      }
    }
    try {
      this.drive();
    } finally {
      this.publishCounters();
    }
  }

  /**
   * Runs loop() until an interrupt, doing for it what it leaves to its caller: the block
   * lookups that miss its caches (decoding, the persistent cache), promotions, the code log.
   */
  private drive(): void {
    const cpu = this.cpu;
    let from: Block | null = null;
    for (;;) {
      const pc = cpu.pc | 0;
      const b = this.lookup(pc);
      if (from !== null) {
        from.next1 = from.next0;
        from.next0 = b;
      }
      const exit = this.loop(b);
      if (exit === Exit.Interrupt) return;
      from = this.lastRan;
      this.lastRan = null;
      if (exit === Exit.Slice) this.publishCounters();
      else if (exit === Exit.CodeLog) this.readCodeLog();
      else if (exit === Exit.Promote) {
        this.promote(from!);
        // (loop() returned before its own check.)
        if (this.interrupt[IRQ] !== 0) return;
      }
    }
  }

  private publishCounters(): void {
    const out = this.opts.countersOut;
    if (out) for (let i = 0; i < ENGINE_COUNTERS.length; i++) out[i] = this[ENGINE_COUNTERS[i]];
  }

  /** A copy of the counters. */
  counters(): EngineCounters {
    return Object.fromEntries(ENGINE_COUNTERS.map((k) => [k, this[k]])) as EngineCounters;
  }

  /**
   * Runs blocks from b, going from block to block through each block's last successors, the
   * recent-block cache and the block map, until one of the exits (Exit) for drive(): with
   * cpu.pc at the next block to run, and `lastRan` the block that ran last (for Promote, and to
   * link the next block to; null when none is to be linked).
   *
   * Everything rare is left to drive(), so that this loop is small for V8: it optimises it
   * once, cheaply, from feedback where every path has run. With block decoding, promotion
   * and the code log inlined here, TurboFan spent 30-80 ms on each of its compiles and
   * compiled it again after each rare path's first run deoptimised it (lua5.4 and gawk:
   * 7-8 compiles, 360-470 ms of CPU). Returning after DISPATCH_SLICE blocks matters too: a
   * function that never returns is not optimised again after a deoptimisation.
   *
   * Measured with perf on warm-cache runs of Debian's busybox awk and sqlite3 (mipsel): this
   * loop's own code is about 15% of the time spent running guest code, while regions still
   * running unoptimised (V8's Ignition and Sparkplug tiers, with their IC and arithmetic
   * builtins) take about 40%, and V8 optimising regions on its background threads is another
   * 40% of the process's CPU. Entering linked regions directly, as nested calls from region
   * to region, removed 80% of the dispatches and cost 10-25% more CPU (the calls cost what
   * the loop did, and V8 optimised 20% more functions, after twice as many deoptimisations).
   */
  private loop(b: Block): Exit {
    const cpu = this.cpu;
    const irq = this.interrupt;
    const codeLog = this.codeLogWords;
    const tick = this.tick;
    const recent = this.recent;
    let left = DISPATCH_SLICE;
    // Counted in locals and added to the fields once per call: three fewer field updates per dispatch.
    let instructions = 0, compiled = 0;
    try {
      for (;;) {
        const ran = b.exec();
        instructions += ran;
        const pc = cpu.next | 0;
        if (b.translated) compiled += ran;
        else if ((b.countdown -= ran) <= 0) {
          // (Not counted as a dispatch: arithmetic on this path, first run after V8 optimised
          // the loop, deoptimised it.)
          cpu.pc = pc;
          this.lastRan = b;
          return Exit.Promote;
        }
        if ((--left & (TICK_CHECK - 1)) === 0) {
          if (left === 0) {
            cpu.pc = pc;
            return Exit.Slice;
          }
          if (tick[0] !== 0 && performance.now() >= tick[0]) irq[IRQ] = 1;
        }
        if (irq[IRQ] !== 0) {
          cpu.pc = pc;
          return Exit.Interrupt;
        }
        // Another thread changed code: drop this thread's translations of it.
        if (codeLog[0] !== this.codeLogSeen) {
          cpu.pc = pc;
          return Exit.CodeLog;
        }
        let n = b.next0;
        if (n === null || n.start !== pc || n.valid === false) {
          n = b.next1;
          if (n === null || n.start !== pc || n.valid === false) {
            n = recent[(pc >>> 2) & RECENT_MASK];
            if (n === null || n.start !== pc || n.valid === false) {
              n = this.cached(pc);
              if (n === null) {
                cpu.pc = pc;
                this.lastRan = b;
                return Exit.Miss;
              }
            }
            b.next1 = b.next0;
            b.next0 = n;
          }
        }
        b = n;
      }
    } catch (e) {
      // Instructions record their address without the Thumb bit; the block key has it.
      cpu.pc |= b.start & 1;
      throw e;
    } finally {
      this.instructions += instructions;
      this.compiledInstructions += compiled;
      this.dispatches += DISPATCH_SLICE - left;
    }
  }

  /**
   * Sets the addresses run() leaves to the caller: a block holding one requests an interrupt
   * instead of running, so run() returns with cpu.pc at its start (a debugger steps through
   * it, checking its breakpoints, while the rest of the program runs translated). The
   * translations of the pages concerned are dropped, so that no region runs through them.
   */
  setStops(addrs: Set<number> | null): void {
    const old = this.stops?.pages ?? new Set<number>();
    this.stops = addrs !== null && addrs.size > 0
      ? { addrs, pages: new Set([...addrs].map((a) => (a >>> 0) >>> PAGE_SHIFT)), blocks: new WeakSet() } : null;
    for (const page of new Set([...old, ...(this.stops?.pages ?? [])])) this.dropPage(page);
  }

  /** Whether the block at pc holds one of the stop addresses (see setStops). */
  stopsAt(pc: number): boolean {
    return this.stops !== null && this.stops.pages.has((pc >>> 0) >>> PAGE_SHIFT) && this.stops.blocks.has(this.lookup(pc));
  }

  /** The block at pc in the block map (then also in the recent-block cache), or null. */
  private cached(pc: number): Block | null {
    const b = this.blocks.get(pc);
    if (b === undefined) return null;
    this.recent[(pc >>> 2) & RECENT_MASK] = b;
    return b;
  }

  /** The cached block at pc, decoding it on a miss (for the interpreter, or from the persistent cache). */
  lookup(pc: number): Block {
    const cached = this.cached(pc);
    if (cached !== null) return cached;
    const scanned = this.scan(pc);
    const stops = this.stops;
    if (stops !== null && stops.pages.has((pc >>> 0) >>> PAGE_SHIFT) && scanned.insns.some((i) => stops.addrs.has(i.pc >>> 0))) {
      return this.stopBlock(pc, stops.blocks);
    }
    this.blocksTranslated++;
    const b = this.fromCache(scanned) ?? new Block(scanned, pagesOfBlock(scanned), false, this.thresholdOf(scanned));
    if (!b.translated) b.exec = this.cpu.interpret(scanned);
    this.install(b);
    return b;
  }

  /**
   * The block at pc decoded, or as an earlier run decoded it when the persistent cache kept
   * it for the file mapped there (and the same bytes are there now).
   */
  private scan(pc: number): ScannedBlock {
    const cache = this.opts.cache;
    const m = cache ? cache.mappingAt(pc) : null;
    if (!cache || m === null) return this.cpu.scanBlock(pc);
    const rel = (pc - m.start) | 0;
    const kept = cache.store.findScan(m.name, rel, pc, this.mem, this.tables);
    if (kept !== null) {
      this.blocksFromCache++;
      return kept;
    }
    const scanned = this.cpu.scanBlock(pc);
    cache.store.addScan(m.name, rel, scanned, this.mem, this.tables);
    return scanned;
  }

  /**
   * A block that branches back (a loop's latch) heads a region at HOT_INSNS; other code
   * waits STRAIGHT_INSNS. Code run a few thousand times without looping (python's start)
   * ran slower compiled, in V8's baseline tier and then paying TurboFan's compile, than
   * interpreted; raising the threshold for every block instead grew loops' regions (armhf
   * matmul 1.68 -> 2.05 s at 16,000).
   */
  private thresholdOf(b: ScannedBlock): number {
    if (this.lockstep) return this.threshold;
    // The branch ends the block, or comes just before its delay slot (MIPS).
    const start = b.start & ~1;
    for (let k = Math.max(0, b.insns.length - 2); k < b.insns.length; k++) {
      if (branchesBack(this.cpu.translation, b, b.insns[k], start)) return this.threshold;
    }
    return STRAIGHT_INSNS;
  }

  /** In place of a block holding a stop address: it runs nothing and requests the interrupt that makes run() return at pc. */
  private stopBlock(pc: number, registry: WeakSet<Block>): Block {
    const irq = this.interrupt, cpu = this.cpu;
    const b = new Block({ start: pc, end: pc, insns: [] }, [(pc >>> 0) >>> PAGE_SHIFT], false, NEVER);
    b.exec = () => {
      cpu.next = pc;
      Atomics.store(irq, IRQ, 1);
      return 0;
    };
    registry.add(b);
    this.install(b);
    return b;
  }

  /** A region compiled by an earlier run for this very code, when the persistent cache has one. */
  private fromCache(entry: ScannedBlock): Block | null {
    const cache = this.opts.cache;
    if (!cache || !this.translateHot || this.lockstep || entry.insns.some((i) => i.def === null)) return null;
    const file = cache.fileAt(entry.start);
    if (file === null) return null;
    const found = cache.store.find(file, entry, this.mem);
    if (!found) return null;
    const { region, base } = found;
    const spans: ScannedBlock[] = [];
    for (let i = 0; i < region.blocks.length; i += 2) {
      spans.push({ start: (base + region.blocks[i]) | 0, end: (base + region.blocks[i + 1]) | 0, insns: [] });
    }
    const r = new Block(entry, pagesOf(spans), true, 0);
    const began = performance.now();
    r.exec = instantiateRegion(TranslationCache.compile(region, true), this.cpu.translation, this, r, null, null, this.interrupt, entry.start);
    this.compileMs += performance.now() - began;
    this.regionsCompiled++;
    this.regionsFromCache++;
    return r;
  }

  private install(b: Block): void {
    const old = this.blocks.get(b.start);
    if (old) old.valid = false;
    this.blocks.set(b.start, b);
    // (Indexed: cold code, where for-of makes an iterator each time.)
    for (let i = 0; i < b.pages.length; i++) {
      const page = b.pages[i];
      let list = this.pageBlocks.get(page);
      if (!list) this.pageBlocks.set(page, (list = []));
      list.push(b);
      this.mem.perm[page] |= PAGE_CODE;
    }
  }

  /** Compiles the region of already-run blocks reachable from b into one function. */
  private promote(b: Block): void {
    // Tried once: a block whose region cannot be compiled stays interpreted. (A region that
    // ran NEVER instructions just starts counting again.)
    b.countdown = NEVER;
    if (b.translated || !this.translateHot || !b.valid) return;
    if (!b.late && this.regionsCompiled >= this.regionBudget && !this.lockstep) {
      b.late = true;
      b.countdown = this.thresholdOf(b.scanned) * (LATE_FACTOR - 1);
      return;
    }
    const { blocks, observed } = this.collectRegion(b);
    const r = new Block(b.scanned, pagesOf(blocks), true, 0);
    const began = performance.now();
    try {
      const file = this.opts.cache && !this.lockstep ? this.opts.cache.fileAt(b.start) : null;
      if (file !== null) {
        // Compiled through the cache, so that V8's code cache for it is kept too.
        const src = generateRegion(this.cpu.translation, blocks, false, observed);
        const generated = performance.now();
        this.generateMs += generated - began;
        const region = TranslationCache.regionOf(blocks, this.mem, src);
        let factory;
        try {
          factory = TranslationCache.compile(region, true);
        } catch (e) {
          throw new Untranslatable(`generated code does not compile (${(e as Error).message})`);
        }
        this.opts.cache!.store.add(file, blocks[0], this.mem, region);
        r.exec = instantiateRegion(factory, this.cpu.translation, this, r, null, blocks, this.interrupt);
        this.compileMs += performance.now() - generated;
      } else {
        r.exec = translateRegion(this.cpu.translation, blocks, this, r, this.lockstep, observed, this.interrupt);
        this.generateMs += performance.now() - began;
      }
    } catch (e) {
      if (!(e instanceof Untranslatable)) throw e;
      if (process.env.URUN_DEBUG) this.opts.warn?.(`urun: not translating 0x${(b.start >>> 0).toString(16)}: ${e.message}`);
      return;
    }
    this.regionsCompiled++;
    this.install(r);
  }

  /**
   * The entry block plus the blocks it reaches through static branches that have already
   * run. Also the successors each block was seen to take: a return (an indirect jump) to a
   * call site inside the region then stays inside it. (Growing regions along those
   * successors too made them larger and slower to enter than the dispatches they saved.)
   */
  private collectRegion(entry: Block): { blocks: ScannedBlock[]; observed: Map<ScannedBlock, number[]> } {
    const spec = this.cpu.translation;
    const blocks: ScannedBlock[] = [];
    const observed = new Map<ScannedBlock, number[]>();
    const seen = new Set<number>();
    const work = [entry];
    let insns = 0;
    const maxBlocks = this.lockstep ? LOCKSTEP_REGION_BLOCKS : MAX_REGION_BLOCKS;
    while (work.length > 0 && blocks.length < maxBlocks) {
      const b = work.shift()!;
      const s = b.scanned;
      if (seen.has(s.start)) continue;
      seen.add(s.start);
      if (s.insns.length === 0 || s.insns.some((i) => i.def === null)) continue;
      if (insns + s.insns.length > MAX_REGION_INSNS) break;
      insns += s.insns.length;
      blocks.push(s);
      const targets = [s.end, ...s.insns.flatMap((i) => staticTargets(spec, s, i))];
      if (!b.translated) observed.set(s, [b.next0, b.next1].filter((n) => n !== null).map((n) => n!.start));
      for (const t of targets) {
        const nb = this.blocks.get(t);
        // Another region's entry is left to that region (chained to, not compiled twice).
        // Following it too cut busybox awk's dispatches from 11.0M to 7.0M (sqlite3's from
        // 6.3M to 4.3M) and saved no time: the bigger regions cost V8 more to optimise.
        if (nb && nb.valid && !nb.translated && !seen.has(nb.start)) work.push(nb);
      }
    }
    return { blocks, observed };
  }

  private readCodeLog(): void {
    this.codeLogSeen = this.codeLog.read(this.codeLogSeen, (page) => this.dropPage(page), () => {
      for (const page of [...this.pageBlocks.keys()]) this.dropPage(page);
    });
  }

  /** Drops the code cached from a page, in this engine and (through the code log) every other thread's. */
  invalidatePage(page: number): void {
    this.dropPage(page);
    if (this.opts.codeLog) this.codeLog.publish(page);
  }

  private dropPage(page: number): void {
    // The bit may be another thread's, whose copy the code log drops.
    this.mem.perm[page] &= ~PAGE_CODE;
    const list = this.pageBlocks.get(page);
    if (!list) return;
    this.pageBlocks.delete(page);
    for (const b of list) {
      if (!b.valid) continue;
      b.valid = false;
      if (this.blocks.get(b.start) === b) {
        this.blocks.delete(b.start);
        this.invalidations++;
      }
    }
  }

  invalidateRange(addr: number, len: number): void {
    if (len <= 0) return;
    const first = (addr >>> 0) >>> PAGE_SHIFT;
    const last = Math.min(((addr >>> 0) + len - 1) / 2 ** PAGE_SHIFT, 2 ** (32 - PAGE_SHIFT) - 1) >>> 0;
    for (let p = first; p <= last; p++) this.invalidatePage(p);
  }
}

/** The guest pages a region's blocks lie in. */
function pagesOf(blocks: ScannedBlock[]): number[] {
  return [...new Set(blocks.flatMap(pagesOfBlock))];
}

/** The guest pages one block lies in (without a Set: this runs for every block decoded; most lie in one page). */
function pagesOfBlock(b: ScannedBlock): number[] {
  const first = (b.start >>> 0) >>> PAGE_SHIFT, last = (Math.max(b.start, b.end - 1) >>> 0) >>> PAGE_SHIFT;
  const pages = [first];
  for (let p = first + 1; p <= last; p++) pages.push(p);
  return pages;
}
