// MIPS32r2 CPU state and the run-time helpers its instruction templates call. The
// instruction semantics themselves live in table.ts; this file supplies the machine they
// run on: registers, FPU state, memory accessors bound to guest memory and endianness.
import { GuestMemory, PAGE_CODE, PAGE_SHIFT, PROT_EXEC } from '../../memory/memory.js';
import { Accessors, fence, inlineAccessors, makeAccessors, memoryViews } from '../../memory/access.js';
import {
  FPE_FLTDIV, FPE_FLTINV, FPE_FLTOVF, FPE_FLTRES, FPE_FLTUND, FPE_INTDIV, FPE_INTOVF, GuestFault, SIGBUS, SIGFPE, SIGILL, SIGSEGV,
  SIGTRAP, SI_KERNEL, TRAP_BRKPT,
} from '../../engine/signals.js';
import { Handler, InsnDef, InsnFlags, InsnTable } from '../table.js';
import { mulhu } from '../arith.js';
import { FCSR_CAUSE, MIPS_GPR_NAMES, MIPS_TABLE } from './table.js';
import { MIPS16_DELAY_SLOT, MIPS16_IS_32BIT, MIPS16_TABLE } from './mips16.js';
import { mipsSyntax } from './syntax.js';
import { MIPS_DEFAULT_MODEL } from './models.js';
import { wireLockstep, type LockstepSupport, type StoreJournal } from '../../engine/lockstep.js';
import { FP_DIVZERO, FP_FTZ, FP_INEXACT, FP_INVALID, FP_OVERFLOW, FP_TRACK, FP_UNDERFLOW, inexactOf, makeFpArith } from '../fpround.js';
import type { CpuState, GuestCpu, ScannedBlock, ScannedInsn, TranslationSpec } from '../../engine/cpu.js';

export const HI = 32, LO = 33;
const DEFAULT_NAN_S = 0x7fbfffff;
const DEFAULT_NAN_D_HI = 0x7ff7ffff;
/** FCSR.FS: results tiny before rounding become zeros (qemu flushes results only, raising no flag). */
const FCSR_FS = 1 << 24;
/** FIR as a 24Kf reports it: has S, D, W, L, 3D formats; F64 clear (FR=0 build). */
const FIR = 0x00739300 & ~(1 << 22);
const MAX_BLOCK = 64;

export interface MipsSyscallHook {
  (cpu: MipsCpu, pc: number): void;
}

/**
 * Misaligned loads and stores (lh, lhu, lw, sh, sw, lwc1, ldc1, swc1, sdc1) are done, not
 * faulted: Linux fixes up a user process's address errors by default (TIF_FIXADE, which only
 * sysmips(MIPS_FIXADE, 0) clears), slowly but transparently; SWI-Prolog's mipsel build relies
 * on it. qemu-user raises SIGBUS instead. An instruction fetch, LL and SC still fault.
 */
const FIXADE = true;
/** Where MIPS32's kernel segments begin: user mode's address space ends here. */
const KSEG0 = 0x80000000;

export class MipsCpu implements GuestCpu {
  readonly isa = 'mips';
  /** GPRs 0-31, then HI and LO. */
  readonly R = new Int32Array(34);
  private readonly fpr = new ArrayBuffer(128);
  readonly FI = new Int32Array(this.fpr);
  readonly FS = new Float32Array(this.fpr);
  readonly FD = new Float64Array(this.fpr);
  /** FCSR, but for the Cause field while lazyCause holds an operation (settleCause). */
  fcsr = 0;
  /** Rounding mode (FCSR.RM) plus FP_TRACK once exception flags are being computed. */
  fpMode = 0;
  /**
   * The last FP instruction, when it left Cause to be worked out (table.ts, arith): its
   * operation (fpround.ts OP_*, 0 for none) and operands. Only whether it was inexact is open.
   */
  readonly lazyCause = new Float64Array(3);
  pc = 0;
  /** Address of the next instruction after the current block (set by branches). */
  next = 0;
  llbit = 0;
  /** The address and word of the last LL, which SC compares-and-swaps against. */
  lladdr = 0;
  llvalue = 0;
  /** UserLocal, read by rdhwr $29 (the TLS pointer set by set_thread_area). */
  tls = 0;
  private readonly env: Record<string, unknown>;
  private readonly envNames: string[];
  private handlerOf: ((d: InsnDef) => Handler) | null = null;
  private handler16Of: ((d: InsnDef) => Handler) | null = null;
  readonly translation: TranslationSpec;
  /** The instruction table as this CPU model decodes it (models.ts). */
  private readonly decoder: InsnTable;
  /** The MIPS16e table (every model urun has, as qemu's, implements the ASE). */
  private readonly decoder16: InsnTable;

  constructor(readonly mem: GuestMemory, private readonly syscallHook: MipsSyscallHook, features = MIPS_DEFAULT_MODEL.features) {
    this.decoder = MIPS_TABLE.forFeatures(features);
    this.decoder16 = MIPS16_TABLE;
    // User mode cannot reach kseg0 and above: an address error there (see GuestMemory.addressErrorFrom).
    mem.addressErrorFrom = KSEG0;
    this.env = this.buildEnv(makeAccessors(mem, FIXADE), (pc) => this.syscall(pc));
    this.envNames = Object.keys(this.env);
    this.translation = {
      // gprCount 34: HI and LO (registers 32, 33) live in locals in translated code too.
      table: MIPS_TABLE, tables: [MIPS_TABLE, MIPS16_TABLE], env: this.env, gprCount: 34, zeroReg: 0,
      targetFields: ['btarget', 'jtarget', 'jxtarget', 'b8target', 'b11target', 'b16target', 'j16target'],
      storeHelpers: ['swl', 'swr', 'cas32', 'synci'], pcReg: -1, nextReg: -1, linkReg: 31,
      inline: inlineAccessors(mem.littleEndian, false),
    };
  }

  saveState(): CpuState {
    this.settleCause();
    return { pc: this.pc, R: this.R.slice(), fpu: new Uint8Array(this.fpr).slice(), fpControl: this.fcsr, fpMode: this.fpMode, tls: this.tls };
  }

  loadState(s: CpuState): void {
    this.pc = this.next = s.pc;
    this.R.set(s.R);
    new Uint8Array(this.fpr).set(s.fpu);
    this.fcsr = s.fpControl;
    this.fpMode = s.fpMode;
    this.lazyCause[0] = 0;
    this.tls = s.tls;
    this.llbit = 0;
  }

  private syscall(pc: number): void {
    this.llbit = 0;
    this.syscallHook(this, pc);
  }

  /** The names the instruction templates use, bound to this CPU and to the given memory accessors. */
  private buildEnv(acc: Accessors, syscall: (pc: number) => void): Record<string, unknown> {
    const { R, FI, FS, FD, mem } = this;
    const fault = (sig: number, addr: number, what: string, code?: number): never => {
      throw new GuestFault(sig, addr, what, code);
    };
    /** LL and SC are not fixed up: a misaligned one is the SIGBUS Linux's do_ade sends (SI_KERNEL). */
    const misalignedLinked = (a: number): never => fault(SIGBUS, a, 'misaligned LL/SC at', SI_KERNEL);
    /** A break's SIGTRAP: force_sig_fault with no address (do_trap_or_bp). */
    const breakTrap = (pc: number, what: string, code: number): never => {
      const f = new GuestFault(SIGTRAP, pc, what, code);
      f.noAddress = true;
      throw f;
    };
    const cpu = this;
    const fcc = (n: number) => (cpu.fcsr >>> (n === 0 ? 23 : 24 + n)) & 1;
    const setFcc = (n: number, b: boolean) => {
      const bit = 1 << (n === 0 ? 23 : 24 + n);
      cpu.fcsr = b ? cpu.fcsr | bit : cpu.fcsr & ~bit;
    };
    const le = mem.littleEndian;
    // Exception flags go to FCSR's Flags (bits 2-6) and Cause (bits 12-16) fields; each
    // arithmetic instruction starts by clearing Cause (table.ts, FP_OP): it holds the
    // exceptions of the last instruction only (a multiply-add's two roundings together).
    // An exception whose Enable bit is set traps instead (the result is not written, the
    // Flags stay): SIGFPE at the instruction, with Cause as Linux's do_fpe leaves it for
    // the handler (the enabled bits cleared).
    const raiseFp = (f: number) => {
      if ((f & (cpu.fcsr >>> 7) & 0x1f) !== 0) fpTrap(((cpu.fcsr >>> 12) & 0x1f) | f);
      cpu.fcsr |= (f << 2) | (f << 12);
    };
    const fpTrap = (cause: number): never => {
      cpu.fcsr = (cpu.fcsr & ~FCSR_CAUSE) | ((cause & ~(cpu.fcsr >>> 7)) << 12);
      throw GuestFault.atInstruction(SIGFPE, 'floating-point exception', fpeCode(cause));
    };
    const { lazyCause } = cpu;
    /** An instruction that works out its own exceptions starts here, flags tracked (table.ts's FP_OP, inline there). */
    const restartCause = () => {
      cpu.fcsr &= ~FCSR_CAUSE;
      lazyCause[0] = 0;
    };
    /** A conversion's exceptions, flags tracked: they alone make Cause. */
    const flagConversion = (ok: boolean, inexact: boolean) => {
      restartCause();
      raiseFp(ok ? (inexact ? FP_INEXACT : 0) : FP_INVALID);
    };
    // Flags are computed only once the guest has looked at FCSR (see trackFpFlags).
    // (qemu's MIPS detects tininess after rounding, and a flushed result raises nothing.)
    const arith = makeFpArith(() => cpu.fpMode, raiseFp, { tininessAfterRounding: true, quietFlush: true });
    return {
      R, FI, FS, FD, cpu, ...acc, ...memoryViews(mem), fence, ...arith,
      /**
       * An arithmetic instruction's general path (table.ts, arith), one helper that V8 does
       * not inline into translated code: Cause restarted, then fpround's operation.
       */
      fpGeneral: (op: number, a: number, b: number) => {
        if (cpu.fpMode & FP_TRACK) restartCause();
        return arith.operate(op, a, b);
      },
      mulhu, lazyCause,
      misalignedLinked,
      ld32linked: (a: number) => {
        if (a & 3) misalignedLinked(a);
        return acc.ld32(a);
      },
      lwl: (a: number, old: number) => {
        const k = le ? 3 - (a & 3) : a & 3;
        const word = acc.ld32(a & ~3);
        return (word << (8 * k)) | (old & ((1 << (8 * k)) - 1));
      },
      lwr: (a: number, old: number) => {
        const k = le ? a & 3 : 3 - (a & 3);
        const word = acc.ld32(a & ~3);
        return (word >>> (8 * k)) | (old & ~(0xffffffff >>> (8 * k)));
      },
      swl: (a: number, v: number) => {
        const k = le ? 3 - (a & 3) : a & 3;
        const mask = 0xffffffff >>> (8 * k);
        acc.st32(a & ~3, (acc.ld32(a & ~3) & ~mask) | ((v >>> (8 * k)) & mask));
      },
      swr: (a: number, v: number) => {
        const k = le ? a & 3 : 3 - (a & 3);
        const mask = 0xffffffff << (8 * k);
        acc.st32(a & ~3, (acc.ld32(a & ~3) & ~mask) | ((v << (8 * k)) & mask));
      },
      // 64-bit FPU transfers: the even register holds the low word (misaligned ones too, see
      // FIXADE). W is FI (the templates name it for the inline accessors, memory/access.ts).
      // The word at `a` goes first: a fault is at the instruction's address, as BadVAddr says.
      ld64: (a: number, W: Int32Array, ft: number) => {
        const first = acc.ld32(a), second = acc.ld32(a + 4);
        W[ft] = le ? first : second;
        W[ft + 1] = le ? second : first;
      },
      st64: (a: number, W: Int32Array, ft: number) => {
        acc.st32(a, W[le ? ft : ft + 1]);
        acc.st32(a + 4, W[le ? ft + 1 : ft]);
      },
      // Legacy (pre-2008) MIPS NaNs: a set quiet bit marks a signalling NaN, which makes an
      // arithmetic operation Invalid (its result is the default NaN either way).
      sNaNs: (i: number) => (FI[i] & 0x7fc00000) === 0x7fc00000,
      sNaNd: (i: number) => (FI[2 * i + 1] & 0x7ff80000) === 0x7ff80000,
      invalid: () => {
        if (cpu.fpMode & FP_TRACK) raiseFp(FP_INVALID);
      },
      setS: (i: number, v: number) => {
        if (v === v) FS[i] = v;
        else FI[i] = DEFAULT_NAN_S;
      },
      setD: (i: number, v: number) => {
        if (v === v) FD[i] = v;
        else {
          FI[2 * i] = -1;
          FI[2 * i + 1] = DEFAULT_NAN_D_HI;
        }
      },
      fcc,
      setFcc,
      toW: (v: number, mode: number) => {
        const r = roundMode(v, mode < 0 ? cpu.fcsr & 3 : mode);
        const ok = r >= -2147483648 && r <= 2147483647;
        if (cpu.fpMode & FP_TRACK) flagConversion(ok, r !== v);
        return ok ? r : 0x7fffffff;
      },
      setL: (fd: number, v: number, mode: number) => {
        const r = roundMode(v, mode < 0 ? cpu.fcsr & 3 : mode);
        const ok = r >= -9223372036854775808 && r < 9223372036854775808;
        if (cpu.fpMode & FP_TRACK) flagConversion(ok, r !== v);
        if (ok) {
          const hi = Math.floor(r / 4294967296);
          FI[fd] = r - hi * 4294967296;
          FI[fd + 1] = hi;
        } else {
          FI[fd] = -1;
          FI[fd + 1] = 0x7fffffff;
        }
      },
      getL: (fs: number) => FI[fs + 1] * 4294967296 + (FI[fs] >>> 0),
      cfc1: (fs: number) => {
        cpu.settleCause();
        if (fs !== 0) cpu.trackFpFlags();
        switch (fs) {
          case 0: return FIR;
          case 25: return ((cpu.fcsr >>> 24) & 0xfe) | ((cpu.fcsr >>> 23) & 1);
          case 26: return cpu.fcsr & 0x0003f07c;
          case 28: return (cpu.fcsr & 0x00000f83) | ((cpu.fcsr >>> 22) & 4);
          case 31: return cpu.fcsr;
          default: return 0;
        }
      },
      ctc1: (fs: number, v: number) => {
        cpu.settleCause();
        if (fs === 31) cpu.fcsr = v & 0xff83ffff;
        else if (fs === 25) cpu.fcsr = (cpu.fcsr & 0x017fffff) | ((v & 0xfe) << 24) | ((v & 1) << 23);
        else if (fs === 26) cpu.fcsr = (cpu.fcsr & ~0x0003f07c) | (v & 0x0003f07c);
        else if (fs === 28) cpu.fcsr = (cpu.fcsr & ~0x01000f83) | (v & 0xf83) | ((v & 4) << 22);
        cpu.trackFpFlags();
        // Cause bits written with their Enable bits set trap at once, as the hardware does.
        const cause = (cpu.fcsr >>> 12) & 0x1f;
        if ((cause & (cpu.fcsr >>> 7)) !== 0) fpTrap(cause);
      },
      rdhwr: (n: number, pc: number) => {
        switch (n) {
          case 0: return 0; // CPUNum
          case 1: return 32; // SYNCI_Step
          case 2: return Number(process.hrtime.bigint() & 0x7fffffffn) | 0; // CC
          case 3: return 1; // CCRes
          case 29: return cpu.tls; // UserLocal
          default: return fault(SIGILL, pc, `rdhwr $${n} at`, SI_KERNEL);
        }
      },
      syscall,
      // (A store helper to the translator: it may drop the code running it.)
      synci: (addr: number) => {
        const page = (addr >>> 0) >>> PAGE_SHIFT;
        if (mem.perm[page] & PAGE_CODE) mem.onCodeWrite(page);
      },
      // Linux turns break/trap codes 6 (overflow) and 7 (divide by zero) into SIGFPE; other
      // codes are SIGTRAP, TRAP_BRKPT for a break (SI_KERNEL for BRK_BUG and BRK_MEMU) and
      // SI_KERNEL for a trap instruction.
      brk: (code: number, pc: number) => code === 6 || code === 7 ? fault(SIGFPE, pc, `break ${code} at`, intFpeCode(code))
        : breakTrap(pc, `break ${code} at`, code === 12 || code === 514 ? SI_KERNEL : TRAP_BRKPT),
      trap: (code: number, pc: number) => code === 6 || code === 7 ? fault(SIGFPE, pc, 'trap at', intFpeCode(code))
        : fault(SIGTRAP, pc, 'trap at', SI_KERNEL),
      overflow: (pc: number) => fault(SIGFPE, pc, 'integer overflow at', FPE_INTOVF),
    };
  }

  handlersWith(wrap: (acc: Accessors) => Accessors): (d: InsnDef) => Handler {
    const env = this.buildEnv(wrap(makeAccessors(this.mem, FIXADE)), (pc) => this.syscall(pc));
    const of32 = MIPS_TABLE.handlers(Object.keys(env), env), of16 = MIPS16_TABLE.handlers(Object.keys(env), env);
    return (d) => (tableOf(d) === MIPS16_TABLE ? of16 : of32)(d);
  }

  enableLockstep(ref: StoreJournal, jit: StoreJournal, beforeSyscall: () => void): LockstepSupport {
    const refHandler = wireLockstep({
      mem: this.mem, unaligned: FIXADE, spec: this.translation, tableOf,
      buildEnv: (acc, syscall) => this.buildEnv(acc, syscall), syscall: (pc) => this.syscall(pc),
    }, ref, jit, beforeSyscall);
    const fprNames = Array.from({ length: 32 }, (_, i) => `$f${i}`);
    return {
      stateNames: [...MIPS_GPR_NAMES.map((n) => `$${n}`), 'hi', 'lo', ...fprNames, 'fcsr', 'llbit', 'fpu mode'],
      saveState: (out) => {
        this.settleCause();
        out.set(this.R);
        out.set(this.FI, 34);
        out[66] = this.fcsr;
        out[67] = this.llbit;
        out[68] = this.fpMode;
      },
      loadState: (s) => {
        this.R.set(s.subarray(0, 34));
        this.FI.set(s.subarray(34, 66));
        this.fcsr = s[66];
        this.llbit = s[67];
        this.fpMode = s[68];
        this.lazyCause[0] = 0;
      },
      referenceInterpreter: (block) => this.interpret(block, refHandler),
    };
  }

  /** Completes FCSR's Cause field from lazyCause: whatever reads FCSR calls this first. */
  settleCause(): void {
    const pending = this.lazyCause;
    if (pending[0] === 0) return;
    const inexact = inexactOf(pending[0], pending[1], pending[2]);
    this.fcsr = (this.fcsr & ~FCSR_CAUSE) | (inexact ? FP_INEXACT << 12 : 0);
    pending[0] = 0;
  }

  trackFpFlags(): void {
    this.fpMode |= FP_TRACK;
    this.fcsrChanged();
  }

  /** Derives fpMode from a changed FCSR: its rounding mode and FS (flush to zero); flag tracking stays as it was. The new value's Cause stands. */
  fcsrChanged(): void {
    this.lazyCause[0] = 0;
    this.fpMode = (this.fcsr & 3) | (this.fcsr & FCSR_FS ? FP_FTZ : 0) | (this.fpMode & FP_TRACK);
  }

  handler(d: InsnDef): Handler {
    if (tableOf(d) === MIPS16_TABLE) return (this.handler16Of ??= MIPS16_TABLE.handlers(this.envNames, this.env))(d);
    return (this.handlerOf ??= MIPS_TABLE.handlers(this.envNames, this.env))(d);
  }

  /** Reads an instruction word, raising the fault a fetch from `pc` would. */
  fetch(pc: number): number {
    if (pc & 1) return this.fetch16(pc & ~1);
    // An address error (a misaligned pc, or one in kseg0 and above) is do_ade's SIGBUS (SI_KERNEL).
    if (pc & 3) throw new GuestFault(SIGBUS, pc, 'instruction fetch from misaligned', SI_KERNEL);
    const p = this.mem.perm[pc >>> 12];
    if ((p & PROT_EXEC) === 0) throw this.fetchFault(pc);
    return this.mem.view.getInt32(pc, this.mem.littleEndian);
  }

  private fetchFault(pc: number): GuestFault {
    return pc >>> 0 >= this.mem.addressErrorFrom ? this.mem.addressError(pc, 'instruction fetch from') : new GuestFault(SIGSEGV, pc, 'instruction fetch from');
  }

  /** Reads a MIPS16 halfword, raising the fault a fetch from `a` would. */
  private fetch16(a: number): number {
    if ((this.mem.perm[a >>> 12] & PROT_EXEC) === 0) throw this.fetchFault(a);
    return this.mem.view.getUint16(a >>> 0, this.mem.littleEndian);
  }

  /**
   * Decodes the MIPS16e block at start (an odd address: the ISA mode bit), through the delay
   * slot of a jump (see mips16.ts for the words). Instructions report faults at their address
   * with the ISA mode bit, as EPC holds it, so that a signal handler's return resumes MIPS16
   * code; a delay slot's at its jump.
   */
  private scanMips16(start: number): ScannedBlock {
    const insns: ScannedInsn[] = [];
    let pc = start & ~1;
    let slot = 0; // in a delay slot: the size of its jump
    for (;;) {
      let w: number, size: number;
      try {
        const hw = this.fetch16(pc);
        size = MIPS16_IS_32BIT(hw) ? 4 : 2;
        w = size === 4 ? ((hw << 16) | this.fetch16((pc + 2) | 0)) : hw | (slot === 4 ? 0x10000 : slot === 2 ? 0x20000 : 0);
      } catch (e) {
        if (insns.length > 0 && !slot) break;
        insns.push({ pc, word: 0, def: null, fault: e as GuestFault, faultPc: ((slot ? pc - slot : pc) | 1) });
        pc = (pc + 2) | 0;
        break;
      }
      const d = this.decoder16.decode(w);
      const faultPc = (slot ? pc - slot : pc) | 1;
      if (!d) {
        if (insns.length > 0 && !slot) break;
        insns.push({ pc, word: w, def: null, fault: illegal16(w, size, pc), faultPc });
        pc = (pc + size) | 0;
        break;
      }
      insns.push({ pc, word: w, def: d, fault: null, faultPc });
      pc = (pc + size) | 0;
      if (slot || d.flags & InsnFlags.EndsBlock) break;
      if (d.flags & InsnFlags.Branch) {
        if (!MIPS16_DELAY_SLOT.has(d.name)) break;
        slot = size;
        continue;
      }
      if (insns.length >= MAX_BLOCK || (pc & 0xfff) === 0) break;
    }
    return { start, end: pc | 1, insns, table: MIPS16_TABLE };
  }

  /** Decodes the basic block at pc, through its delay slot. */
  scanBlock(start: number): ScannedBlock {
    if (start & 1) return this.scanMips16(start);
    const insns: ScannedInsn[] = [];
    let pc = start;
    let delaySlot = false;
    for (;;) {
      let w: number;
      try {
        w = this.fetch(pc);
      } catch (e) {
        if (insns.length > 0 && !delaySlot) break; // let the block at pc raise it
        insns.push({ pc, word: 0, def: null, fault: e as GuestFault, ...branchOf(delaySlot, pc) });
        pc += 4;
        break;
      }
      const d = this.decoder.decode(w);
      if (!d) {
        if (insns.length > 0 && !delaySlot) break;
        insns.push({ pc, word: w, def: null, fault: illegal(w, pc), ...branchOf(delaySlot, pc) });
        pc += 4;
        break;
      }
      insns.push({ pc, word: w, def: d, fault: null, ...branchOf(delaySlot, pc) });
      pc += 4;
      if (delaySlot || d.flags & InsnFlags.EndsBlock) break;
      if (d.flags & InsnFlags.Branch) {
        delaySlot = true;
        continue;
      }
      if (insns.length >= MAX_BLOCK || (pc & 0xfff) === 0) break;
    }
    return { start, end: pc | 0, insns };
  }

  /** Scans and interprets the block at pc (the per-instruction tests drive the CPU this way). */
  decodeBlock(pc: number): { start: number; end: number; length: number; exec: () => number } {
    const b = this.scanBlock(pc);
    return { start: b.start, end: b.end, length: b.insns.length, exec: this.interpret(b) };
  }

  /** The interpreter: runs a scanned block one handler call per instruction. */
  interpret(block: ScannedBlock, handlerOf = (d: InsnDef) => this.handler(d)): () => number {
    const handlers = block.insns.map((i): Handler => {
      if (i.def) return handlerOf(i.def);
      const f = i.fault;
      return () => {
        throw f;
      };
    });
    const n = handlers.length;
    // Each instruction's word and the address its faults report, in one plain array (two
    // typed arrays per block cost ~400 bytes of each block's memory).
    const info = new Array<number>(3 * n);
    for (let k = 0; k < n; k++) {
      info[3 * k] = block.insns[k].word;
      info[3 * k + 1] = block.insns[k].faultPc ?? block.insns[k].pc;
      info[3 * k + 2] = block.insns[k].pc;
    }
    const R = this.R;
    const cpu = this;
    const { end } = block;
    return function interpretBlock(): number {
      cpu.next = end;
      for (let i = 0; i < n; i++) {
        cpu.pc = info[3 * i + 1];
        const r = handlers[i](info[3 * i], info[3 * i + 2]);
        R[0] = 0;
        if (r === 1) return i + 1;
      }
      return n;
    };
  }

  disassemble(w: number, pc: number): string {
    if (pc & 1) return this.decoder16.disassemble(w, pc & ~1);
    return mipsSyntax(this.decoder.disassemble(w, pc), w);
  }
}

/** The si_code of a break or trap code 6 (BRK_OVERFLOW) or 7 (BRK_DIVZERO). */
const intFpeCode = (code: number) => (code === 6 ? FPE_INTOVF : FPE_INTDIV);

/** The si_code of an FPU trap with these Cause bits: Linux's order of precedence. */
function fpeCode(cause: number): number {
  if (cause & FP_INVALID) return FPE_FLTINV;
  if (cause & FP_DIVZERO) return FPE_FLTDIV;
  if (cause & FP_OVERFLOW) return FPE_FLTOVF;
  if (cause & FP_UNDERFLOW) return FPE_FLTUND;
  return FPE_FLTRES;
}

/** A delay slot's faults are the branch's (ScannedInsn.faultPc). */
const branchOf = (delaySlot: boolean, pc: number) => (delaySlot ? { faultPc: (pc - 4) | 0 } : {});

/**
 * A reserved or unusable-coprocessor instruction: Linux's do_ri/do_cpu send SIGILL with
 * force_sig, so si_code is SI_KERNEL and there is no si_addr (as qemu-user gives).
 */
function illegal(w: number, pc: number): GuestFault {
  return new GuestFault(SIGILL, pc, `illegal instruction 0x${(w >>> 0).toString(16).padStart(8, '0')} at`, SI_KERNEL);
}

/** The table an instruction definition belongs to (MIPS32's or MIPS16e's). */
const tableOf = (d: InsnDef): InsnTable => (MIPS16_TABLE.indexOf(d) >= 0 ? MIPS16_TABLE : MIPS_TABLE);

function illegal16(w: number, size: number, pc: number): GuestFault {
  const text = size === 4 ? (w >>> 0).toString(16).padStart(8, '0') : (w & 0xffff).toString(16).padStart(4, '0');
  return new GuestFault(SIGILL, pc | 1, `illegal MIPS16 instruction 0x${text} at`, SI_KERNEL);
}

/** Rounds to an integer: 0 nearest-even, 1 toward zero, 2 up, 3 down (the FCSR RM encoding). */
export function roundMode(v: number, mode: number): number {
  switch (mode) {
    case 0: {
      const f = Math.floor(v);
      const d = v - f;
      return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
    }
    case 1: return Math.trunc(v);
    case 2: return Math.ceil(v);
    default: return Math.floor(v);
  }
}

