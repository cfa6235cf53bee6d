// The execution engine: runs guest code out of a translation cache keyed by guest PC.
// A block starts out interpreted; once it has run HOT_THRESHOLD times it becomes the entry
// of a region of hot blocks compiled to one JavaScript function (translate.ts). Each block
// remembers its last two successors, so going from block to block rarely needs the hash
// lookup. Cached code is dropped when the code under it may have changed.
import type { GuestCpu, ScannedBlock } from './cpu.js';
import { GuestMemory, PAGE_CODE, PAGE_SHIFT } from '../memory/memory.js';
import { staticTargets, translateRegion, Untranslatable } from './translate.js';
import type { Lockstep } from './lockstep.js';
import { GuestFault, IRQ } from './signals.js';
import { CodeLog } from './codelog.js';

/** Runs of an interpreted block before its region is compiled. */
export const HOT_THRESHOLD = 40;
/** Under lockstep checking: low, so that code run only a few times is checked too. */
const LOCKSTEP_THRESHOLD = 8;
// Small regions: compiling (and V8 optimising) big ones cost more than the exits they saved
// (armel libm: 6.2 s at 48 blocks, 2.2 s at 8; the compute benchmarks were as fast or faster).
const MAX_REGION_BLOCKS = 8;
/** Under lockstep nearly every block heads a region; smaller regions keep compiling them cheap. */
const LOCKSTEP_REGION_BLOCKS = 6;
const MAX_REGION_INSNS = 200;
const RECENT_MASK = 0x3fff;

export class Block {
  valid = true;
  /** Counts down to promotion; translated regions start below zero and never reach it. */
  countdown: number;
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
    this.countdown = translated ? -1 : threshold;
    this.start = scanned.start;
  }
}

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
}

export class Engine {
  private readonly blocks = new Map<number, Block>();
  /** A direct-mapped cache in front of `blocks`, for indirect jumps with many targets. */
  private readonly recent: (Block | null)[] = new Array<Block | null>(RECENT_MASK + 1).fill(null);
  private readonly pageBlocks = new Map<number, Block[]>();
  private readonly translateHot: boolean;
  private readonly lockstep: Lockstep | null;
  private readonly threshold: number;
  /** Guest instructions executed. */
  instructions = 0;
  blocksTranslated = 0;
  regionsCompiled = 0;
  invalidations = 0;
  private readonly codeLog: CodeLog;
  private readonly codeLogWords: Int32Array;
  /** How many entries of the code log this engine has processed. */
  private codeLogSeen: number;
  readonly interrupt: Int32Array;

  constructor(readonly cpu: GuestCpu, readonly mem: GuestMemory, private readonly opts: EngineOptions = {}) {
    mem.onCodeWrite = (page) => this.invalidatePage(page);
    this.codeLog = opts.codeLog ?? CodeLog.private();
    this.codeLogWords = this.codeLog.words;
    this.codeLogSeen = Atomics.load(this.codeLogWords, 0);
    this.translateHot = opts.translate ?? true;
    this.lockstep = opts.lockstep ?? null;
    this.interrupt = opts.interrupt ?? new Int32Array(new SharedArrayBuffer(4));
    // Under lockstep, translate nearly everything so that everything gets checked.
    this.threshold = this.lockstep ? LOCKSTEP_THRESHOLD : HOT_THRESHOLD;
  }

  /**
   * Runs guest code until an interrupt is requested (returns with cpu.pc at the next
   * instruction to run), or the guest exits, faults or waits (exceptions; a fault leaves
   * cpu.pc on the faulting instruction).
   */
  run(): void {
    if (this.lockstep) {
      try {
        this.loop();
        return;
      } catch (e) {
        if (e instanceof GuestFault) this.lockstep.onFault(e);
        throw e;
      }
    }
    this.loop();
  }

  private loop(): void {
    const cpu = this.cpu;
    const irq = this.interrupt;
    let b = this.lookup(cpu.pc | 0);
    try {
      for (;;) {
        this.instructions += b.exec();
        if (--b.countdown === 0) this.promote(b);
        const pc = cpu.next | 0;
        if (irq[IRQ] !== 0) {
          cpu.pc = pc;
          return;
        }
        // Another thread changed code: drop this thread's translations of it.
        if (this.codeLogWords[0] !== this.codeLogSeen) this.readCodeLog();
        let n = b.next0;
        if (n === null || n.start !== pc || !n.valid) {
          n = b.next1;
          if (n === null || n.start !== pc || !n.valid) {
            n = this.recent[(pc >>> 2) & RECENT_MASK];
            if (n === null || n.start !== pc || !n.valid) n = this.lookup(pc);
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
    }
  }

  /** The cached block at pc, decoding it for the interpreter on a miss. */
  lookup(pc: number): Block {
    const cached = this.blocks.get(pc);
    if (cached !== undefined) {
      this.recent[(pc >>> 2) & RECENT_MASK] = cached;
      return cached;
    }
    const scanned = this.cpu.scanBlock(pc);
    const b = new Block(scanned, pagesOf([scanned]), false, this.threshold);
    b.exec = this.cpu.interpret(scanned);
    this.blocksTranslated++;
    this.install(b);
    return b;
  }

  private install(b: Block): void {
    const old = this.blocks.get(b.start);
    if (old) old.valid = false;
    this.blocks.set(b.start, b);
    for (const page of b.pages) {
      let list = this.pageBlocks.get(page);
      if (!list) this.pageBlocks.set(page, (list = []));
      list.push(b);
      this.mem.perm[page] |= PAGE_CODE;
    }
  }

  /** Compiles the region of already-run blocks reachable from b into one function. */
  private promote(b: Block): void {
    if (!this.translateHot || !b.valid) return;
    const { blocks, observed } = this.collectRegion(b);
    const r = new Block(b.scanned, pagesOf(blocks), true, 0);
    try {
      r.exec = translateRegion(this.cpu.translation, blocks, this, r, this.lockstep, observed, this.interrupt);
    } catch (e) {
      if (!(e instanceof Untranslatable)) throw e;
      // Stays interpreted; the countdown has passed zero, so this is not retried.
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
      if (s.insns.some((i) => i.def === null)) continue;
      if (insns + s.insns.length > MAX_REGION_INSNS) break;
      insns += s.insns.length;
      blocks.push(s);
      const targets = [s.end, ...s.insns.flatMap((i) => staticTargets(spec, s, i))];
      if (!b.translated) observed.set(s, [b.next0, b.next1].filter((n) => n !== null).map((n) => n!.start));
      for (const t of targets) {
        const nb = this.blocks.get(t);
        // Another region's entry is left to that region (chained to, not compiled twice).
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

function pagesOf(blocks: ScannedBlock[]): number[] {
  const pages = new Set<number>();
  for (const b of blocks) {
    const last = Math.max(b.start, b.end - 1) >>> 0;
    for (let p = (b.start >>> 0) >>> PAGE_SHIFT; p <= last >>> PAGE_SHIFT; p++) pages.add(p);
  }
  return [...pages];
}
