// What the execution engine needs from a guest CPU, whatever its ISA.
import type { Handler, InsnDef, InsnTable } from '../isa/table.js';
import type { Accessors, InlineExpander } from '../memory/access.js';
import type { GuestFault } from './signals.js';
import type { LockstepSupport, StoreJournal } from './lockstep.js';

/** One instruction of a scanned block: decoded, or the fault its fetch/decode raises. */
export interface ScannedInsn {
  pc: number;
  word: number;
  def: InsnDef | null;
  /** Set when the instruction cannot run (bad fetch, illegal encoding): running it raises this. */
  fault: GuestFault | null;
  /** Runs only when this condition (TranslationSpec.condition) holds: ARM conditions, IT blocks. */
  cond?: number;
  /** What the PC register (TranslationSpec.pcReg) reads as in this instruction (ARM: pc + 8). */
  pcValue?: number;
  /**
   * Where the CPU says it was when this instruction faults, when not at `pc`: a MIPS delay
   * slot's fault is reported at its branch (EPC with Cause.BD), so that a signal handler that
   * returns runs the branch again instead of falling through past the slot.
   */
  faultPc?: number;
}

/** A guest basic block as decoded (through a MIPS delay slot), before it is made runnable. */
export interface ScannedBlock {
  start: number;
  /** Address just past the block's last instruction. */
  end: number;
  insns: ScannedInsn[];
  /** The table the instructions were decoded with, when the CPU has several (ARM, Thumb). */
  table?: InsnTable;
}

/** Everything the translator needs to turn an ISA's templates into JavaScript. */
export interface TranslationSpec {
  table: InsnTable;
  /** Every table a ScannedBlock may name (ARM: A32 and Thumb), when there are others than `table`; the first is `table`. */
  tables?: InsnTable[];
  /** Names and values the templates use (registers, memory accessors, helpers). */
  env: Record<string, unknown>;
  /** The integer register file the templates index as `R[n]`; these become JS locals. */
  gprCount: number;
  /** A register that always reads as zero (MIPS $zero), or -1. */
  zeroReg: number;
  /** Helpers (memory accessors) the translator expands inline instead of calling. */
  inline: Record<string, InlineExpander>;
  /** Helpers besides the inline stores that can write guest memory (and so change code). */
  storeHelpers: string[];
  /** Fields holding a branch's static target address. */
  targetFields: string[];
  /** A register whose reads give the instruction's pcValue (ARM's PC), or -1. */
  pcReg: number;
  /** A register whose writes choose the next PC, as `cpu.next` does (ARM), or -1. */
  nextReg: number;
  /** The link register calls write their return address to (MIPS $ra, ARM lr), or -1. */
  linkReg: number;
  /** A JavaScript condition over the registers for ScannedInsn.cond. */
  condition?: (cond: number) => string;
  /**
   * Registers whose writes have no side effect and are often overwritten unread (ARM's
   * NZCV flags): a write another instruction of the block overwrites before anything reads
   * it, or can fault, is left out of the translation.
   */
  flagRegs?: number[];
}

/**
 * A guest thread's whole register state, structured-clonable: what fork hands the child
 * process, a new thread starts from, and a Worker resumes from.
 */
export interface CpuState {
  pc: number;
  /** The integer register file as the templates index it (MIPS: GPRs, HI, LO; ARM: see arm/common.ts). */
  R: Int32Array;
  /** The FPU/VFP register file's bytes. */
  fpu: Uint8Array;
  /** FCSR (MIPS) or FPSCR (ARM). */
  fpControl: number;
  /** ISA-private FPU mode bits (MIPS fpMode), 0 elsewhere. */
  fpMode: number;
  /** The TLS pointer (MIPS UserLocal, ARM TPIDRURO). */
  tls: number;
}

export interface GuestCpu {
  readonly isa: string;
  /** The integer register file (see CpuState.R). */
  readonly R: Int32Array;
  /** The TLS pointer (see CpuState.tls). */
  tls: number;
  /** A copy of the register state (see CpuState). */
  saveState(): CpuState;
  /** Replaces the register state with a copy of `s`. */
  loadState(s: CpuState): void;
  pc: number;
  /** The PC to continue at after the current block. */
  next: number;
  scanBlock(pc: number): ScannedBlock;
  /**
   * An interpreter for a scanned block: runs it, sets `next`, returns instructions executed.
   * `handlerOf` supplies other instruction handlers (see handlersWith).
   */
  interpret(block: ScannedBlock, handlerOf?: (d: InsnDef) => Handler): () => number;
  /**
   * Instruction handlers whose guest memory accesses go through `wrap(plain accessors)`,
   * for interpret(): the debugger watches loads and stores this way.
   */
  handlersWith(wrap: (acc: Accessors) => Accessors): (d: InsnDef) => Handler;
  readonly translation: TranslationSpec;
  /** An instruction as objdump writes it (`cond`: the condition a Thumb IT block gives it, as ScannedInsn.cond). */
  disassemble(word: number, pc: number, cond?: number): string;
  /**
   * Switches translated code to journaled stores (into `jit`) with `beforeSyscall` called at
   * each syscall, and returns what the lockstep checker needs from this ISA.
   */
  enableLockstep(ref: StoreJournal, jit: StoreJournal, beforeSyscall: () => void): LockstepSupport;
  fetch(pc: number): number;
}
