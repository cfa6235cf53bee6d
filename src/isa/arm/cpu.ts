// The 32-bit ARM CPU (user mode): registers and flags, the run-time helpers the A32
// templates call, block scanning with ARM conditions, the kernel user helpers page, and
// what the translator and the lockstep checker need. Instruction semantics are in a32.ts.
//
// Blocks are keyed by PC with bit 0 set for Thumb state, so an interworking branch is
// just a jump to an odd address.
import { GuestMemory, PROT_EXEC, PROT_READ } from '../../memory/memory.js';
import { Accessors, fence, inlineAccessors, makeAccessors, memoryViews } from '../../memory/access.js';
import { GuestFault, SIGBUS, SIGILL, SIGSEGV, SIGTRAP } from '../../engine/signals.js';
import { mulhu } from '../arith.js';
import { wireLockstep, type LockstepSupport, type StoreJournal } from '../../engine/lockstep.js';
import type { CpuState, GuestCpu, ScannedBlock, ScannedInsn, TranslationSpec } from '../../engine/cpu.js';
import { Handler, InsnDef, InsnFlags, InsnTable } from '../table.js';
import { A32_TABLE, decodeA32 } from './a32.js';
import { T32_TABLE, T32_IS_32BIT } from './t32.js';
import { ARM_DEFAULT_MODEL } from './models.js';
import { VFP_STORE_HELPERS, makeVfpEnv } from './vfp.js';
import { ARM_REG_COUNT, ARM_STATE_NAMES, C, N, NEXT, V, Z, PC, conditionCode, itConditions, makeConditionTest } from './common.js';
import { armSyntax } from './syntax.js';

const MAX_BLOCK = 64;

/** The kernel user helpers (Documentation/arm/kernel_user_helpers): entry points and the version word. */
export const KUSER_PAGE = 0xffff0000;
const KUSER = { cmpxchg64: 0xffff0f60, barrier: 0xffff0fa0, cmpxchg: 0xffff0fc0, getTls: 0xffff0fe0, version: 0xffff0ffc };
const KUSER_VERSION = 5; // five 32-byte slots, as in current kernels
const KUSER_INSN = 0xe7fdde00; // + index: the helper pseudo-instruction (a32.ts 'kuser')
const BX_LR = 0xe12fff1e;

export type ArmSyscallHook = (cpu: ArmCpu, pc: number) => void;

/** Numbers per instruction in a block's interpreter array (see interpret). */
const INFO = 5;

export class ArmCpu implements GuestCpu {
  readonly isa = 'arm';
  /** r0-r15, flags, next PC (see common.ts). */
  readonly R = new Int32Array(ARM_REG_COUNT);
  pc = 0;
  next = 0;
  /** TPIDRURO, the TLS pointer set by the set_tls syscall. */
  tls = 0;
  /** The exclusive monitor: the address of the last load-exclusive, or -1, and what it read. */
  exclusive = -1;
  exclValue = 0;
  exclHigh = 0;
  /** VFP/NEON registers: D0-D31 as doubles, S0-S31 (overlapping D0-D15), raw 32-bit words. */
  readonly vfp = new ArrayBuffer(256);
  readonly D = new Float64Array(this.vfp);
  readonly S = new Float32Array(this.vfp);
  readonly VI = new Int32Array(this.vfp);
  fpscr = 0;
  private readonly env: Record<string, unknown>;
  private readonly envNames: string[];
  private readonly handlers = new Map<InsnDef, Handler>();
  private readonly handlerSets = new Map<InsnTable, (d: InsnDef) => Handler>();
  private readonly cc: (c: number) => boolean;
  readonly translation: TranslationSpec;
  /** The instruction tables as this CPU model decodes them (models.ts). */
  private readonly a32: InsnTable;
  private readonly t32: InsnTable;

  constructor(readonly mem: GuestMemory, private readonly syscallHook: ArmSyscallHook, features = ARM_DEFAULT_MODEL.features) {
    this.a32 = A32_TABLE.forFeatures(features);
    this.t32 = T32_TABLE.forFeatures(features);
    this.cc = makeConditionTest(this.R);
    this.env = this.buildEnv(makeAccessors(mem, true), (pc) => this.syscall(pc));
    this.envNames = Object.keys(this.env);
    this.translation = {
      table: A32_TABLE, tables: [A32_TABLE, T32_TABLE], env: this.env, gprCount: ARM_REG_COUNT, zeroReg: -1, pcReg: PC, nextReg: NEXT, linkReg: 14,
      targetFields: ['btarget', 'xtarget'], storeHelpers: ['strex', 'strexd', 'xchg32', 'xchg8', 'kuser', ...VFP_STORE_HELPERS], condition: conditionCode,
      flagRegs: [N, Z, C, V], inline: inlineAccessors(true, false),
    };
  }

  /** Maps the kernel user helpers page that ARM Linux gives every process; returns its address. */
  mapKuserPage(): number {
    this.mem.map(KUSER_PAGE, 0x1000, PROT_READ | PROT_EXEC);
    const put = (a: number, w: number) => this.mem.view.setUint32(a, w, true);
    [KUSER.cmpxchg64, KUSER.barrier, KUSER.cmpxchg, KUSER.getTls].forEach((entry, i) => {
      put(entry, KUSER_INSN + i);
      put(entry + 4, BX_LR);
    });
    put(KUSER.version, KUSER_VERSION);
    return KUSER_PAGE;
  }

  saveState(): CpuState {
    return { pc: this.pc, R: this.R.slice(), fpu: new Uint8Array(this.vfp).slice(), fpControl: this.fpscr, fpMode: 0, tls: this.tls };
  }

  loadState(s: CpuState): void {
    this.pc = this.next = s.pc;
    this.R.set(s.R);
    new Uint8Array(this.vfp).set(s.fpu);
    this.fpscr = s.fpControl;
    this.tls = s.tls;
    this.exclusive = -1;
  }

  private syscall(pc: number): void {
    this.exclusive = -1;
    this.syscallHook(this, pc);
  }

  private buildEnv(acc: Accessors, syscall: (pc: number) => void): Record<string, unknown> {
    const { R, mem } = this;
    const cpu = this;
    const fault = (sig: number, addr: number, what: string): never => {
      throw new GuestFault(sig, addr, what);
    };
    const aligned = (a: number) => {
      if (a & 3) fault(SIGBUS, a >>> 0, 'misaligned exclusive access to');
      return a;
    };
    return {
      R, cpu, ...acc, ...memoryViews(mem), fence, mulhu, ...makeVfpEnv(cpu, acc), D: cpu.D, S: cpu.S, VI: cpu.VI,
      ld32a: (a: number) => acc.ld32(aligned(a)),
      // VFP loads and stores (VLDR, VSTR, VLDM, VSTM) need word alignment, and NEON element and
      // structure transfers the alignment their :64/:128/:256 qualifier asks for, whatever
      // SCTLR.A says; Linux does not fix those up: SIGBUS (BUS_ADRALN), as qemu-user.
      valign: (a: number, m: number) => {
        if (a & m) fault(SIGBUS, a >>> 0, 'misaligned VFP/NEON access to');
        return a;
      },
      rsh: (t: number, v: number, n: number) => {
        if (n === 0) return v;
        switch (t) {
          case 0: return n >= 32 ? 0 : v << n;
          case 1: return n >= 32 ? 0 : v >>> n;
          case 2: return n >= 32 ? v >> 31 : v >> n;
          default: return (v >>> (n & 31)) | (v << (32 - (n & 31)));
        }
      },
      rshc: (t: number, v: number, n: number, c: number) => {
        if (n === 0) return c;
        switch (t) {
          case 0: return n > 32 ? 0 : (v >>> (32 - n)) & 1;
          case 1: return n > 32 ? 0 : (v >>> (n - 1)) & 1;
          case 2: return n >= 32 ? (v >>> 31) & 1 : (v >> (n - 1)) & 1;
          default: return (v >>> ((n - 1) & 31)) & 1;
        }
      },
      exclMark: (a: number, v: number, high: number) => {
        cpu.exclusive = a >>> 0;
        cpu.exclValue = v;
        cpu.exclHigh = high;
      },
      /** ldrexd: both words in one atomic load (a plain pair of loads can tear against a strexd). */
      exclLoad64: (a: number) => {
        const v = acc.ld64atomic(a);
        cpu.exclusive = a >>> 0;
        cpu.exclValue = Number(BigInt.asIntN(32, v));
        cpu.exclHigh = Number(BigInt.asIntN(32, v >> 32n));
      },
      /** A store-exclusive of `size` bytes: 0 if it stored, 1 if the monitor or the value said no. */
      strex: (a: number, v: number, size: number) => {
        const held = cpu.exclusive === a >>> 0;
        cpu.exclusive = -1;
        if (!held) return 1;
        const expect = cpu.exclValue;
        if (size === 4) return acc.cas32(a, expect, v) === expect ? 0 : 1;
        return (size === 2 ? acc.cas16(a, expect, v) : acc.cas8(a, expect, v)) === expect ? 0 : 1;
      },
      strexd: (a: number, lo: number, hi: number) => {
        const held = cpu.exclusive === a >>> 0;
        cpu.exclusive = -1;
        return held && acc.cas64(a, cpu.exclValue, cpu.exclHigh, lo, hi) ? 0 : 1;
      },
      exclClear: () => (cpu.exclusive = -1),
      syscall,
      bkpt: (pc: number) => fault(SIGTRAP, pc, 'bkpt at'),
      kuser: (index: number, pc: number) => {
        if (pc >>> 12 !== KUSER_PAGE >>> 12) fault(SIGILL, pc, `illegal instruction 0x${(KUSER_INSN + index).toString(16)} at`);
        cpu.kuser(index, acc);
      },
    };
  }

  /** The kernel user helpers, run natively; the compare-and-swaps are atomic across guest threads. */
  private kuser(index: number, acc: Accessors): void {
    const R = this.R;
    switch (index) {
      case 0: { // cmpxchg64: r0 = &oldval, r1 = &newval, r2 = ptr
        const same = acc.cas64(R[2], acc.ld32(R[0]), acc.ld32(R[0] + 4), acc.ld32(R[1]), acc.ld32(R[1] + 4));
        R[0] = same ? 0 : -1;
        R[C] = same ? 1 : 0;
        break;
      }
      case 1: fence(); break; // memory barrier
      case 2: { // cmpxchg: r0 = oldval, r1 = newval, r2 = ptr
        // As the kernel's helper ends (subs r3, current, oldval; ...; rsbs r0, r3, #0): r3 the
        // difference, r0 its negation (0 when it stored) and the flags of that rsbs.
        const diff = (acc.cas32(R[2], R[0], R[1]) - R[0]) | 0;
        R[3] = diff;
        R[0] = -diff | 0;
        R[N] = R[0] >>> 31;
        R[Z] = diff === 0 ? 1 : 0;
        R[C] = diff === 0 ? 1 : 0;
        R[V] = diff === -0x80000000 ? 1 : 0;
        break;
      }
      default: R[0] = this.tls; // get_tls
    }
  }

  handler(d: InsnDef): Handler {
    let h = this.handlers.get(d);
    if (!h) {
      const t = tableOf(d);
      let of = this.handlerSets.get(t);
      if (!of) this.handlerSets.set(t, (of = t.handlers(this.envNames, this.env)));
      this.handlers.set(d, (h = of(d)));
    }
    return h;
  }

  fetch(pc: number): number {
    if (pc & 1) return this.fetch16(pc & ~1);
    if (pc & 3) throw new GuestFault(SIGBUS, pc, 'instruction fetch from misaligned');
    if ((this.mem.perm[pc >>> 12] & PROT_EXEC) === 0) throw new GuestFault(SIGSEGV, pc, 'instruction fetch from');
    return this.mem.view.getInt32(pc >>> 0, true);
  }

  private fetch16(a: number): number {
    if ((this.mem.perm[a >>> 12] & PROT_EXEC) === 0) throw new GuestFault(SIGSEGV, a, 'instruction fetch from');
    return this.mem.view.getUint16(a >>> 0, true);
  }

  scanBlock(start: number): ScannedBlock {
    return start & 1 ? this.scanThumb(start | 0) : this.scanArm(start | 0);
  }

  private scanArm(start: number): ScannedBlock {
    const insns: ScannedInsn[] = [];
    let pc = start;
    for (;;) {
      let w: number;
      try {
        w = this.fetch(pc);
      } catch (e) {
        if (insns.length > 0) break;
        insns.push({ pc, word: 0, def: null, fault: e as GuestFault });
        break;
      }
      const cond = w >>> 28;
      const d = decodeA32(this.a32, w);
      if (!d) {
        if (insns.length > 0) break;
        insns.push({ pc, word: w, def: null, fault: illegal(w, pc) });
        break;
      }
      insns.push({ pc, word: w, def: d, fault: null, cond: cond < 14 ? cond : undefined, pcValue: (pc + 8) | 0 });
      pc = (pc + 4) | 0;
      if (d.flags & (InsnFlags.Branch | InsnFlags.EndsBlock) || writesPc(A32_TABLE, d, w, pc - 4)) break;
      if (insns.length >= MAX_BLOCK || (pc & 0xfff) === 0) break;
    }
    return { start, end: pc | 0, insns, table: A32_TABLE };
  }

  /**
   * Thumb: 16-bit instructions are words 0x0000xxxx (with bit 16 set inside an IT block,
   * so templates can tell: 16-bit data processing sets flags only outside one); 32-bit
   * ones are (first halfword << 16) | second. Block keys carry bit 0 set; an IT block's
   * conditions go on the instructions it covers.
   */
  private scanThumb(start: number): ScannedBlock {
    const insns: ScannedInsn[] = [];
    let pc = start & ~1;
    let itConds: number[] = [];
    for (;;) {
      let w: number, size: number;
      try {
        const hw = this.fetch16(pc);
        size = T32_IS_32BIT(hw) ? 4 : 2;
        w = size === 4 ? ((hw << 16) | this.fetch16((pc + 2) | 0)) : hw | (itConds.length > 0 ? 0x10000 : 0);
      } catch (e) {
        if (insns.length > 0) break;
        insns.push({ pc, word: 0, def: null, fault: e as GuestFault });
        break;
      }
      const d = this.t32.decode(w);
      if (!d) {
        if (insns.length > 0) break;
        insns.push({ pc, word: w, def: null, fault: illegalThumb(w, size, pc) });
        break;
      }
      const cond = itConds.length > 0 ? itConds.shift()! : 14;
      // Only the last instruction of an IT block may branch (the ARM ARM makes any other
      // UNPREDICTABLE; compilers never emit one): run when its condition holds, it is SIGILL.
      const fault = itConds.length > 0 && (d.flags & InsnFlags.Branch || writesPc(T32_TABLE, d, w, pc, false))
        ? new GuestFault(SIGILL, pc, `branch 0x${((w & ~0x10000) >>> 0).toString(16)} inside an IT block but not last at`) : null;
      insns.push({ pc, word: w, def: fault ? null : d, fault, cond: cond < 14 ? cond : undefined, pcValue: (pc + 4) | 0 });
      if (d.name === 'it') itConds = itConditions(w);
      pc = (pc + size) | 0;
      // An SVC or BKPT inside an IT block lets the block go on: the IT conditions of the
      // instructions after it live only in this scan.
      // Likewise an instruction that may write the PC (ldm.w with a register list): inside an
      // IT block only the last instruction may (the ARM ARM makes any other UNPREDICTABLE), and
      // ending the block there would run the rest of the IT block unconditionally.
      if (itConds.length > 0) continue;
      if (d.flags & (InsnFlags.EndsBlock | InsnFlags.Branch) || writesPc(T32_TABLE, d, w, pc - size)) break;
      // An IT block stays in one block: its conditions live in the scan.
      if (itConds.length === 0 && (insns.length >= MAX_BLOCK || (pc & 0xfff) === 0)) break;
    }
    return { start, end: pc | 1, insns, table: T32_TABLE };
  }

  interpret(block: ScannedBlock, handlerOf = (d: InsnDef) => this.handler(d)): () => number {
    const { insns } = block;
    const thumb = (block.start & 1) !== 0;
    const n = insns.length;
    // Filled by plain loops (this runs for each block the first time it is reached). Per
    // instruction, in one array: its address, what the PC reads as, where execution goes
    // next unless it branches, its word and its condition. (Five typed arrays per block
    // took ~1 KB of each block's memory, 30 MB when python3 starts.)
    const handlers = new Array<Handler>(n);
    const info = new Array<number>(INFO * n);
    for (let k = 0; k < n; k++) {
      const i = insns[k];
      if (i.def) handlers[k] = handlerOf(i.def);
      else {
        const f = i.fault;
        handlers[k] = () => {
          throw f;
        };
      }
      info[INFO * k] = i.pc;
      info[INFO * k + 1] = i.pcValue ?? 0;
      info[INFO * k + 2] = (k + 1 < n ? insns[k + 1].pc : block.end) | (thumb ? 1 : 0);
      info[INFO * k + 3] = i.word;
      info[INFO * k + 4] = i.cond ?? 14;
    }
    const { R, cc } = this;
    const cpu = this;
    return function interpretArmBlock(): number {
      for (let i = 0, j = 0; i < n; i++, j += INFO) {
        const pc = info[j], cond = info[j + 4];
        cpu.pc = pc;
        R[PC] = info[j + 1];
        R[NEXT] = info[j + 2];
        if (cond === 14 || cc(cond)) handlers[i](info[j + 3], pc);
      }
      cpu.next = R[NEXT];
      return n;
    };
  }

  /** Disassembles an A32 word, or a Thumb one (see scanThumb) when pc has bit 0 set. */
  disassemble(w: number, pc: number, cond?: number): string {
    return pc & 1 ? armSyntax(this.t32.disassemble(w, pc & ~1), w, false, cond) : armSyntax(this.a32.disassemble(w, pc), w, true);
  }

  handlersWith(wrap: (acc: Accessors) => Accessors): (d: InsnDef) => Handler {
    const env = this.buildEnv(wrap(makeAccessors(this.mem, true)), (pc) => this.syscall(pc));
    const names = Object.keys(env);
    const sets = new Map<InsnTable, (d: InsnDef) => Handler>();
    return (d) => {
      const t = tableOf(d);
      let of = sets.get(t);
      if (!of) sets.set(t, (of = t.handlers(names, env)));
      return of(d);
    };
  }

  enableLockstep(ref: StoreJournal, jit: StoreJournal, beforeSyscall: () => void): LockstepSupport {
    const refHandler = wireLockstep({
      mem: this.mem, unaligned: true, spec: this.translation, tableOf: tableOf,
      buildEnv: (acc, syscall) => this.buildEnv(acc, syscall), syscall: (pc) => this.syscall(pc),
    }, ref, jit, beforeSyscall);
    return {
      stateNames: [...ARM_STATE_NAMES, 'exclusive', 'fpscr', ...Array.from({ length: 64 }, (_, k) => `d${k >> 1}.${k & 1 ? 'hi' : 'lo'}`)],
      saveState: (out) => {
        out.set(this.R);
        // The PC and next-PC slots are scratch for the interpreter; the translator keeps them in locals.
        out[PC] = 0;
        out[NEXT] = 0;
        out[ARM_REG_COUNT] = this.exclusive;
        out[ARM_REG_COUNT + 1] = this.fpscr;
        out.set(this.VI, ARM_REG_COUNT + 2);
      },
      loadState: (s) => {
        const pc = this.R[PC], next = this.R[NEXT];
        this.R.set(s.subarray(0, ARM_REG_COUNT));
        this.R[PC] = pc;
        this.R[NEXT] = next;
        this.exclusive = s[ARM_REG_COUNT];
        this.fpscr = s[ARM_REG_COUNT + 1];
        for (let k = 0; k < 64; k++) this.VI[k] = s[ARM_REG_COUNT + 2 + k];
      },
      referenceInterpreter: (block) => this.interpret(block, refHandler),
    };
  }
}


const tableOf = (d: InsnDef): InsnTable => (T32_DEF_SET.has(d) ? T32_TABLE : A32_TABLE);
const T32_DEF_SET = new Set(T32_TABLE.defs);

const NEXT_WRITES = new RegExp(`R\\[${NEXT}\\]\\s*=(?!=)`, 'g');
const PC_IN_LIST = new RegExp(`if \\(\\$([a-z][a-z0-9]*) & 0x8000\\) R\\[${NEXT}\\]\\s*=(?!=)`, 'g');
/**
 * Whether an instruction may write the PC (so ends its block): its template writes R[NEXT]
 * itself, or writes a register field (rdw, rnw, ...) whose value is NEXT for this word (a
 * base register's write-back only when this word writes back: a literal load,
 * ldr r3, [pc, #8], ended its block, which split the loops of ARM-state code).
 * Worked out per template once, not by specialising each instruction. Writes of R[NEXT] that
 * only some words make count when `maybe`: an ldm or pop with the PC in its list, any other.
 */
function writesPc(table: InsnTable, d: InsnDef, w: number, pc: number, maybe = true): boolean {
  let how = pcWrites.get(d);
  if (!how) {
    const writes = [...d.code.matchAll(FIELD_WRITE)].map((m) => m[1]);
    // A32 loads and stores write their base back only when post-indexed (!$p) or when $wb.
    const writeBacks = [...d.code.matchAll(WRITE_BACK)].map((m) => m[1]);
    const count = (list: string[], f: string) => list.filter((x) => x === f).length;
    const fields = [...new Set(writes)];
    // ldm and pop load the PC only when bit 15 of their list is set.
    const listGuards = [...d.code.matchAll(PC_IN_LIST)].map((m) => table.fieldFn(m[1]));
    how = {
      literal: (d.code.match(NEXT_WRITES)?.length ?? 0) > listGuards.length,
      pcInList: listGuards,
      fields: fields.map((f) => table.fieldFn(f)),
      writeBackOnly: fields.map((f) => count(writeBacks, f) === count(writes, f)),
      // The guard's own fields, read as the template reads them.
      writeBack: writeBacks.length > 0 ? { p: table.fieldFn('p'), wb: table.fieldFn('wb') } : null,
    };
    pcWrites.set(d, how);
  }
  if (how.literal) return maybe;
  // (Indexed: this runs for each instruction of each new block, mostly as cold code.)
  const { fields, writeBackOnly, pcInList, writeBack } = how;
  if (maybe) for (let i = 0; i < pcInList.length; i++) if (pcInList[i](w, pc) & 0x8000) return true;
  const writesBack = writeBack === null || !writeBack.p(w, pc) || writeBack.wb(w, pc) !== 0;
  for (let i = 0; i < fields.length; i++) if ((writesBack || !writeBackOnly[i]) && fields[i](w, pc) === NEXT) return true;
  return false;
}
const FIELD_WRITE = /R\[\$([a-z][a-z0-9]*)\]\s*=(?!=)/g;
const WRITE_BACK = /if \(!\$p \|\| \$wb\) R\[\$([a-z][a-z0-9]*)\]\s*=(?!=)/g;
type FieldFn = (w: number, pc: number) => number;
const pcWrites = new WeakMap<InsnDef, {
  literal: boolean; pcInList: FieldFn[]; fields: FieldFn[]; writeBackOnly: boolean[]; writeBack: { p: FieldFn; wb: FieldFn } | null;
}>();

function illegal(w: number, pc: number): GuestFault {
  if ((w & 0x0fffffff) === LINUX_ARM_BREAK) return new GuestFault(SIGTRAP, pc, 'breakpoint at');
  return new GuestFault(SIGILL, pc, `illegal instruction 0x${(w >>> 0).toString(16).padStart(8, '0')} at`);
}

/*
 * The undefined instructions Linux keeps as breakpoints (its undef hooks in ptrace.c): they
 * raise SIGTRAP (TRAP_BRKPT) rather than SIGILL, as gdb's breakpoints and Go's
 * runtime.Breakpoint expect. ARM: 0x07f001f0 under any condition; Thumb: udf #1, udf.w #0.
 */
const LINUX_ARM_BREAK = 0x07f001f0;
function illegalThumb(w: number, size: number, pc: number): GuestFault {
  if (size === 2 ? (w & 0xffff) === 0xde01 : w >>> 0 === 0xf7f0a000) return new GuestFault(SIGTRAP, pc, 'breakpoint at');
  const text = size === 4 ? (w >>> 0).toString(16).padStart(8, '0') : w.toString(16).padStart(4, '0');
  return new GuestFault(SIGILL, pc, `illegal Thumb instruction 0x${text} at`);
}
