// Random instruction words through both engines, in-process: a block of random words (any
// 32-bit word for MIPS and A32, any halfword pair for T32) is scanned, interpreted, and
// translated with the lockstep checker comparing the two from the same random registers
// and memory. Each must execute or raise a guest signal (SIGILL naming the word and PC);
// a JavaScript exception, a hang or a difference between the engines is a failure.
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../src/memory/memory.js';
import { MipsCpu } from '../../src/isa/mips/cpu.js';
import { ArmCpu } from '../../src/isa/arm/cpu.js';
import { GE, N, NEXT, Q, V } from '../../src/isa/arm/common.js';
import type { GuestCpu, ScannedBlock } from '../../src/engine/cpu.js';
import { GuestFault, IRQ, SIGILL } from '../../src/engine/signals.js';
import { Lockstep, LockstepDivergence, StoreJournal } from '../../src/engine/lockstep.js';
import { translateRegion, Untranslatable } from '../../src/engine/translate.js';
import { MIPS_TABLE } from '../../src/isa/mips/table.js';
import { A32_TABLE } from '../../src/isa/arm/a32.js';
import { T32_TABLE } from '../../src/isa/arm/t32.js';
import type { InsnTable } from '../../src/isa/table.js';
import { seeded, subSeed, type Random } from './random.js';

export const WORD_MODES = ['mips', 'mipsel', 'a32', 't32'] as const;
export type WordMode = (typeof WORD_MODES)[number];

const CODE = 0x10000, DATA = 0x40000, DATA_SIZE = 0x2000;
/** Instructions per block: enough for a few dependent instructions, few enough to stay in one block often. */
const BLOCK_WORDS = 6;

interface Machine { cpu: GuestCpu; mem: GuestMemory; lockstep: Lockstep; irq: Int32Array; thumb: boolean; little: boolean }

function machine(mode: WordMode): Machine {
  const little = mode !== 'mips';
  const mem = new GuestMemory(little);
  mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  mem.map(DATA, DATA_SIZE, PROT_READ | PROT_WRITE);
  const cpu: GuestCpu = mode === 'mips' || mode === 'mipsel' ? new MipsCpu(mem, () => {}) : new ArmCpu(mem, () => {});
  const ref = new StoreJournal(mem.bytes), jit = new StoreJournal(mem.bytes);
  // eslint-disable-next-line prefer-const
  let lockstep: Lockstep;
  const support = cpu.enableLockstep(ref, jit, () => lockstep.beforeSyscall());
  lockstep = new Lockstep(cpu, mem, support, ref, jit);
  // Set, so that a block looping on itself leaves the translated loop at its backward branch.
  const irq = new Int32Array(2);
  irq[IRQ] = 1;
  return { cpu, mem, lockstep, irq, thumb: mode === 't32', little };
}

const TABLES: Record<WordMode, InsnTable> = { mips: MIPS_TABLE, mipsel: MIPS_TABLE, a32: A32_TABLE, t32: T32_TABLE };

/**
 * One random instruction as code units (words; halfwords for Thumb): most often an encoding
 * of a random table entry with its other bits random, else any word (halfword pair).
 */
export function randomInsn(mode: WordMode, r: Random): number[] {
  for (;;) {
    const units = anyInsn(mode, r);
    if (!readsClock(mode, units)) return units;
  }
}

/** MIPS rdhwr $2 reads the cycle counter: two runs of it never agree. */
const readsClock = (mode: WordMode, units: number[]): boolean =>
  (mode === 'mips' || mode === 'mipsel') && (units[0] & 0xfc0007ff) === 0x7c00003b && ((units[0] >>> 11) & 31) === 2;

function anyInsn(mode: WordMode, r: Random): number[] {
  let w = r.u32();
  if (r.chance(0.6)) {
    const d = r.pick(TABLES[mode].defs);
    w = ((w & ~d.mask) | d.match) >>> 0;
    // Thumb 16-bit entries are 0x0000xxxx (bit 16: inside an IT block, which the scan decides).
    if (mode === 't32' && w >>> 16 <= 1) return [w & 0xffff];
  }
  return mode === 't32' ? [w >>> 16, w & 0xffff] : [w];
}

/** Places the code units at CODE and a trap after them (MIPS break; ARM/Thumb udf). */
function place(m: Machine, units: number[]): void {
  const size = m.thumb ? 2 : 4;
  units.forEach((u, i) => (m.thumb ? m.mem.view.setUint16(CODE + 2 * i, u, true) : m.mem.view.setUint32(CODE + 4 * i, u, m.little)));
  for (let at = CODE + size * units.length; at < CODE + size * units.length + 16; at += 4) {
    m.mem.view.setUint32(at, m.thumb ? 0xdefedefe : m.cpu.isa === 'mips' ? 0x0000000d : 0xe7f000f0, m.little);
  }
}

/** Random registers (a third of them pointing into the data area), FPU state and data bytes. */
function randomize(m: Machine, r: Random): void {
  const s = m.cpu.saveState();
  for (let i = 0; i < s.R.length; i++) {
    s.R[i] = r.chance(0.35) ? DATA + r.below(DATA_SIZE) : r.chance(0.2) ? r.pick([0, 1, -1, 0x7fffffff, -0x80000000, 31, 32]) : r.u32() | 0;
  }
  if (m.cpu.isa.startsWith('mips')) s.R[0] = 0;
  else {
    for (let i = N; i <= V; i++) s.R[i] = r.below(2);
    s.R[Q] = r.below(2);
    s.R[GE] = r.below(16);
    s.R[NEXT] = 0;
  }
  for (let i = 0; i < s.fpu.length; i++) s.fpu[i] = r.below(256);
  // Rounding mode and flags, not the trap-enable bits (or ARM's vector length/stride).
  s.fpControl = m.cpu.isa.startsWith('mips') ? (r.below(4) | (r.below(32) << 2)) : ((r.below(4) << 22) | r.below(32) | (r.below(16) << 28));
  m.cpu.loadState(s);
  for (let a = DATA; a < DATA + DATA_SIZE; a += 4) m.mem.write32(a, r.u32());
}

export interface WordCaseResult { failure: string | null; kind: 'executed' | 'signal' }

function describe(m: Machine, block: ScannedBlock): string {
  return block.insns.map((i) => `0x${(i.pc >>> 0).toString(16)}: ${(i.word >>> 0).toString(16).padStart(8, '0')}  ${m.cpu.disassemble(i.word, i.pc | (block.start & 1))}`).join('; ');
}

/** One block of random words through the interpreter, then the translator under lockstep. */
function runCase(m: Machine, units: number[], r: Random): WordCaseResult {
  place(m, units);
  const start = CODE | (m.thumb ? 1 : 0);
  let block: ScannedBlock;
  try {
    block = m.cpu.scanBlock(start);
  } catch (e) {
    return { failure: `scanBlock threw ${(e as Error)?.stack ?? String(e)}`, kind: 'signal' };
  }
  const listing = () => describe(m, block);
  let kind: WordCaseResult['kind'] = 'executed';
  randomize(m, r);
  const state = m.cpu.saveState();
  const data = m.mem.bytes.slice(DATA, DATA + DATA_SIZE);
  try {
    m.cpu.pc = start;
    m.cpu.interpret(block)();
  } catch (e) {
    if (!(e instanceof GuestFault)) return { failure: `interpreter threw ${(e as Error)?.stack ?? String(e)} in ${listing()}`, kind };
    kind = 'signal';
    if (e.signal === SIGILL && !/0x[0-9a-f]{4,8}\b.* 0x[0-9a-f]{8}$/.test(e.message) && !/ at 0x[0-9a-f]{8}$/.test(e.message)) {
      return { failure: `SIGILL without word and PC: "${e.message}" in ${listing()}`, kind };
    }
  }
  // Translation: blocks with an undecodable word stay interpreted (the engine never translates them).
  if (block.insns.some((i) => i.def === null)) return { failure: null, kind };
  m.cpu.loadState(state);
  m.mem.bytes.set(data, DATA);
  let fn;
  try {
    fn = translateRegion(m.cpu.translation, [block], { instructions: 0 }, { valid: true }, m.lockstep, new Map(), m.irq);
  } catch (e) {
    if (e instanceof Untranslatable) return { failure: null, kind };
    return { failure: `translator threw ${(e as Error)?.stack ?? String(e)} in ${listing()}`, kind };
  }
  try {
    m.cpu.pc = start;
    fn();
  } catch (e) {
    if (e instanceof GuestFault) {
      try {
        m.lockstep.onFault(e);
      } catch (d) {
        return { failure: d instanceof LockstepDivergence ? d.message : `lockstep threw ${(d as Error)?.stack}`, kind };
      }
      return { failure: null, kind };
    }
    if (e instanceof LockstepDivergence) return { failure: e.message, kind };
    return { failure: `translated code threw ${(e as Error)?.stack ?? String(e)} in ${listing()}`, kind };
  }
  return { failure: null, kind };
}

export interface WordFuzzReport { cases: number; summary: string; failures: string[] }

/** Runs random blocks in every mode, `perMode` each or until the deadline (ms since epoch). */
export function fuzzWords(opts: { seed: number; perMode?: number; first?: number; deadline?: number; modes?: readonly WordMode[]; maxFailures?: number }): WordFuzzReport {
  const modes = opts.modes ?? WORD_MODES;
  const machines = modes.map((mode) => machine(mode));
  const counts = modes.map(() => ({ executed: 0, signal: 0 }));
  const failures: string[] = [];
  let cases = 0;
  const first = opts.first ?? 0;
  for (let i = first; i < first + (opts.perMode ?? Number.MAX_SAFE_INTEGER); i++) {
    if (opts.deadline !== undefined && (i & 63) === 0 && Date.now() > opts.deadline) break;
    for (const [k, mode] of modes.entries()) {
      // Each case from its own seed, so that one failure can be replayed alone (`first`).
      const r = seeded(subSeed(opts.seed, i * WORD_MODES.length + WORD_MODES.indexOf(mode)));
      const words = Array.from({ length: 1 + r.below(BLOCK_WORDS) }, () => randomInsn(mode, r)).flat();
      const res = runCase(machines[k], words, r);
      cases++;
      counts[k][res.kind]++;
      // A divergence leaves the checker replaying: start the next case on a fresh machine.
      if (res.failure) machines[k] = machine(mode);
      if (res.failure && failures.length < (opts.maxFailures ?? 50)) {
        failures.push(`seed ${opts.seed} case ${i} (${mode}) code ${words.map((w) => w.toString(16).padStart(mode === 't32' ? 4 : 8, '0')).join(' ')}: ${res.failure}`);
      }
    }
  }
  const summary = `${cases} blocks (` + modes.map((m, k) => `${m}: ${counts[k].executed} ran, ${counts[k].signal} signalled`).join('; ') + ')';
  return { cases, summary, failures };
}
