// Lockstep checking (--check-jit): the interpreter is the reference for the translator.
// Translated code calls check() at each block start with the registers written back. The
// checker then runs the interpreter over that block first, records the state it reaches
// (registers, next PC, bytes stored, or the fault it raises), undoes it, and lets the
// translated code run the same block; at the next check point the two must agree. On a
// divergence it replays the block one instruction longer at a time in both engines to name
// the first instruction whose result differs.
import type { GuestCpu, ScannedBlock, TranslationSpec } from './cpu.js';
import type { Handler, InsnDef, InsnTable } from '../isa/table.js';
import { makeAccessors, inlineAccessors, type Accessors } from '../memory/access.js';
import type { GuestMemory } from '../memory/memory.js';
import { GuestFault } from './signals.js';
import { translateRegion, type LockstepHook } from './translate.js';

/** Records the old value of every byte stored through it, so the stores can be undone. */
export class StoreJournal {
  readonly old = new Map<number, number>();
  constructor(private readonly bytes: Uint8Array) {}

  record(addr: number, size: number): void {
    for (let a = addr >>> 0, end = a + size; a < end; a++) {
      if (!this.old.has(a)) this.old.set(a, this.bytes[a]);
    }
  }

  undo(): void {
    for (const [a, v] of this.old) this.bytes[a] = v;
    this.old.clear();
  }
}

/** What a CPU hands over to switch to lockstep checking (see GuestCpu.enableLockstep). */
export interface LockstepWiring {
  mem: GuestMemory;
  /** Whether plain loads and stores may be misaligned (ARM). */
  unaligned: boolean;
  spec: TranslationSpec;
  /** The CPU's template environment over the given accessors and syscall entry. */
  buildEnv(acc: Accessors, syscall: (pc: number) => void): Record<string, unknown>;
  syscall(pc: number): void;
  tableOf(d: InsnDef): InsnTable;
}

/**
 * Points translated code at journaled stores (into `jit`, calling `beforeSyscall` at each
 * syscall) and returns interpreter handlers for the reference runs: journaled into `ref`,
 * stopping at a syscall.
 */
export function wireLockstep(w: LockstepWiring, ref: StoreJournal, jit: StoreJournal, beforeSyscall: () => void): (d: InsnDef) => Handler {
  const base = makeAccessors(w.mem, w.unaligned);
  const journaled = (j: StoreJournal): Accessors => ({
    ...base,
    st8: (a, v) => (j.record(a, 1), base.st8(a, v)),
    st16: (a, v) => (j.record(a, 2), base.st16(a, v)),
    st32: (a, v) => (j.record(a, 4), base.st32(a, v)),
    cas32: (a, e, v) => (j.record(a, 4), base.cas32(a, e, v)),
    cas16: (a, e, v) => (j.record(a, 2), base.cas16(a, e, v)),
    cas8: (a, e, v) => (j.record(a, 1), base.cas8(a, e, v)),
    cas64: (a, el, eh, l, h) => (j.record(a, 8), base.cas64(a, el, eh, l, h)),
    xchg32: (a, v) => (j.record(a, 4), base.xchg32(a, v)),
    xchg8: (a, v) => (j.record(a, 1), base.xchg8(a, v)),
  });
  w.spec.env = {
    ...w.buildEnv(journaled(jit), (pc) => {
      beforeSyscall();
      w.syscall(pc);
    }),
    journalStore: (a: number, size: number) => jit.record(a, size),
  };
  w.spec.inline = inlineAccessors(w.mem.littleEndian, true);
  const refEnv = w.buildEnv(journaled(ref), () => {
    throw new StopAtSyscall();
  });
  const refNames = Object.keys(refEnv);
  const sets = new Map<InsnTable, (d: InsnDef) => Handler>();
  return (d) => {
    const t = w.tableOf(d);
    let of = sets.get(t);
    if (!of) sets.set(t, (of = t.handlers(refNames, refEnv)));
    return of(d);
  };
}

/** Thrown by the reference interpreter when it reaches a syscall: the comparison point. */
export class StopAtSyscall extends Error {}

export class LockstepDivergence extends Error {}

/** What an ISA provides for lockstep checking. */
export interface LockstepSupport {
  /** A name for each slot of the saved state (registers, FPU, flags). */
  readonly stateNames: string[];
  /** Copies the state into `out` (stateNames.length slots). */
  saveState(out: Int32Array): void;
  loadState(s: Int32Array): void;
  /** An interpreter for the block whose stores go to `ref` and which throws StopAtSyscall at a syscall. */
  referenceInterpreter(block: ScannedBlock): () => number;
}

interface Outcome {
  state: Int32Array;
  next: number;
  fault: GuestFault | null;
  atSyscall: boolean;
  stores: Map<number, number>;
}

interface Pending {
  block: ScannedBlock;
  before: Int32Array;
  expected: Outcome;
}

export class Lockstep implements LockstepHook {
  private pending: Pending | null = null;
  private readonly referenceRuns = new WeakMap<ScannedBlock, () => number>();
  private readonly before: Int32Array;
  private readonly now: Int32Array;
  private readonly expected: Int32Array;
  /** Set while a divergence is being replayed: syscalls must not really run then. */
  private replaying = false;
  blocksChecked = 0;

  constructor(
    private readonly cpu: GuestCpu,
    private readonly mem: GuestMemory,
    private readonly support: LockstepSupport,
    /** Stores made by the reference interpreter. */
    private readonly ref: StoreJournal,
    /** Stores made by translated code. */
    private readonly jit: StoreJournal,
  ) {
    this.before = new Int32Array(support.stateNames.length);
    this.now = new Int32Array(support.stateNames.length);
    this.expected = new Int32Array(support.stateNames.length);
  }

  private save(out: Int32Array = new Int32Array(this.support.stateNames.length)): Int32Array {
    this.support.saveState(out);
    return out;
  }

  check(block: ScannedBlock | null): void {
    if (this.pending) this.compare(this.pending, block ? block.start : this.cpu.next, null, false);
    this.pending = null;
    this.jit.old.clear();
    if (!block) return;
    const before = this.save(this.before);
    this.pending = { block, before, expected: this.runReference(block, before, block.insns.length, this.expected) };
    this.blocksChecked++;
  }

  /** Translated code reached a syscall. */
  beforeSyscall(): void {
    if (this.replaying) throw new StopAtSyscall();
    if (this.pending) this.compare(this.pending, this.cpu.next, null, true);
    this.pending = null;
    this.jit.old.clear();
  }

  /** Translated code raised a guest fault. */
  onFault(fault: GuestFault): void {
    if (this.pending) this.compare(this.pending, this.cpu.next, fault, false);
    this.pending = null;
  }

  /** Runs the interpreter over `block` from state `before`, then undoes everything it did. */
  private runReference(block: ScannedBlock, before: Int32Array, insns: number, out: Int32Array = new Int32Array(before.length)): Outcome {
    let run = insns === block.insns.length ? this.referenceRuns.get(block) : undefined;
    if (!run) {
      run = this.support.referenceInterpreter(truncate(block, insns));
      if (insns === block.insns.length) this.referenceRuns.set(block, run);
    }
    this.support.loadState(before);
    const { fault, atSyscall } = runToComparison(run);
    const stores = new Map<number, number>();
    for (const a of this.ref.old.keys()) stores.set(a, this.mem.bytes[a]);
    const outcome: Outcome = { state: this.save(out), next: this.cpu.next, fault, atSyscall, stores };
    this.ref.undo();
    this.support.loadState(before);
    return outcome;
  }

  private compare(p: Pending, next: number, fault: GuestFault | null, atSyscall: boolean): void {
    const now = this.save(this.now);
    if (this.agrees(p.expected, now, next, fault, atSyscall)) return;
    const problems = this.differences(p.expected, now, next, fault, atSyscall);
    // A fault always takes this slower check; the same fault with the same state agrees.
    if (problems.length === 0) return;
    this.pending = null;
    this.replaying = true;
    throw new LockstepDivergence(this.explain(p, problems));
  }

  /** The fast check; differences() says what differs. */
  private agrees(e: Outcome, state: Int32Array, next: number, fault: GuestFault | null, atSyscall: boolean): boolean {
    if (e.fault !== null || fault !== null || e.atSyscall !== atSyscall) return false;
    if (!atSyscall && e.next !== next) return false;
    for (let i = 0; i < state.length; i++) if (state[i] !== e.state[i]) return false;
    const bytes = this.mem.bytes;
    for (const [a, v] of e.stores) if (bytes[a] !== v) return false;
    for (const [a, v] of this.jit.old) if (!e.stores.has(a) && bytes[a] !== v) return false;
    return true;
  }

  private differences(e: Outcome, state: Int32Array, next: number, fault: GuestFault | null, atSyscall: boolean): string[] {
    const out: string[] = [];
    const h = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
    const what = (f: GuestFault | null, sys: boolean) => (f ? `signal ${f.signal} (${f.message})` : sys ? 'a syscall' : 'no fault');
    if ((e.fault === null) !== (fault === null) || (e.fault && fault && (e.fault.signal !== fault.signal || e.fault.addr !== fault.addr))) {
      out.push(`interpreter raised ${what(e.fault, false)}, translated code ${what(fault, false)}`);
    }
    if (e.atSyscall !== atSyscall) out.push(`interpreter reached ${e.atSyscall ? 'a syscall' : 'no syscall'}, translated code ${atSyscall ? 'did' : 'did not'}`);
    if (!e.fault && !fault && !e.atSyscall && !atSyscall && e.next !== next) {
      out.push(`next pc: interpreter ${h(e.next)}, translated ${h(next)}`);
    }
    for (let i = 0; i < state.length; i++) {
      if (state[i] !== e.state[i]) out.push(`${this.support.stateNames[i]}: interpreter ${h(e.state[i])}, translated ${h(state[i])}`);
    }
    const addrs = new Set([...e.stores.keys(), ...this.jit.old.keys()]);
    for (const a of addrs) {
      const want = e.stores.get(a) ?? this.jit.old.get(a)!;
      if (this.mem.bytes[a] !== want) {
        out.push(`byte at ${h(a)}: interpreter 0x${want.toString(16)}, translated 0x${this.mem.bytes[a].toString(16)}`);
      }
    }
    return out;
  }

  /** Names the first instruction of the block after which the two engines disagree. */
  private explain(p: Pending, problems: string[]): string {
    const { block, before } = p;
    const dis = (i: number) => {
      const ins = block.insns[i];
      // Bit 0 of a block's start marks a second instruction set (Thumb).
      return `0x${(ins.pc >>> 0).toString(16)}: ${this.cpu.disassemble(ins.word, ins.pc | (block.start & 1), ins.cond)}`;
    };
    let culprit = '';
    try {
      // Back to the state before the block: undo the translated code's stores, reload registers.
      this.jit.undo();
      for (let k = 1; k <= block.insns.length && !culprit; k++) {
        const expected = this.runReference(block, before, k);
        const part = truncate(block, k);
        const fn = translateRegion(this.cpu.translation, [part], { instructions: 0 }, { valid: true }, null);
        this.support.loadState(before);
        const { fault, atSyscall } = runToComparison(fn);
        const diff = this.differences(expected, this.save(), this.cpu.next, fault, atSyscall);
        this.jit.undo();
        if (diff.length > 0) {
          culprit = `first differing instruction ${dis(k - 1)}\n  ${diff.join('\n  ')}`;
        }
      }
    } catch (e) {
      culprit = `(could not replay the block: ${(e as Error).message})`;
    }
    const listing = block.insns.map((_, i) => `    ${dis(i)}`).join('\n');
    return `translated code diverges from the interpreter in the block at 0x${(block.start >>> 0).toString(16)}:\n` +
      `  ${problems.join('\n  ')}\n  ${culprit}\n  block:\n${listing}`;
  }
}

/** Runs one engine over a block up to its comparison point: its end, a guest fault, or a syscall. */
function runToComparison(run: () => number): { fault: GuestFault | null; atSyscall: boolean } {
  try {
    run();
  } catch (e) {
    if (e instanceof StopAtSyscall) return { fault: null, atSyscall: true };
    if (e instanceof GuestFault) return { fault: e, atSyscall: false };
    throw e;
  }
  return { fault: null, atSyscall: false };
}

/** The first `n` instructions of a block, as a block of their own (same table, same state bit). */
function truncate(b: ScannedBlock, n: number): ScannedBlock {
  if (n >= b.insns.length) return b;
  return { ...b, end: b.insns[n].pc | (b.start & 1), insns: b.insns.slice(0, n) };
}
