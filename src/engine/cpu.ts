// What the execution engine needs from a guest CPU, whatever its ISA.

/** A decoded guest basic block, ready to run. */
export interface DecodedBlock {
  start: number;
  /** Address just past the block's last instruction. */
  end: number;
  /** Number of guest instructions in the block. */
  length: number;
  /** Runs the block; sets the CPU's next PC; returns the number of instructions executed. */
  exec(): number;
}

export interface GuestCpu {
  readonly isa: string;
  pc: number;
  /** The PC to continue at after the current block. */
  next: number;
  decodeBlock(pc: number): DecodedBlock;
  disassemble(word: number, pc: number): string;
  fetch(pc: number): number;
}
