// Runs guest code one step at a time through the interpreter, for the debugger and the
// instruction trace. A step is one instruction, except a MIPS branch with its delay slot
// and a Thumb IT instruction with the instructions it covers (their conditions live in the
// scan), which run as one. A scan decodes a whole block; each of its steps is kept by PC.
import type { GuestCpu, ScannedBlock, ScannedInsn } from '../engine/cpu.js';
import type { Accessors } from '../memory/access.js';
import { InsnFlags, type Handler, type InsnDef } from '../isa/table.js';

interface Step {
  /** The word a fetch at the step's PC gave when it was decoded (NaN: the fetch faults). */
  word: number;
  block: ScannedBlock;
  plain: (() => number) | null;
  watched: (() => number) | null;
  /** The step enters the kernel or reads the clock: its outcome is not decided by guest state alone. */
  external: boolean;
}

export class Stepper {
  private readonly steps = new Map<number, Step>();
  private watchedHandlers: ((d: InsnDef) => Handler) | null = null;

  /** `wrap` gives the accessors watched steps use (see GuestCpu.handlersWith). */
  constructor(private readonly cpu: GuestCpu, private readonly wrap: (acc: Accessors) => Accessors) {}

  /**
   * Runs the step at cpu.pc and leaves cpu.pc at the next one; `watched` runs it with the
   * wrapped accessors. Faults and syscall outcomes are thrown with cpu.pc on the instruction.
   */
  step(watched: boolean): void {
    const cpu = this.cpu;
    const pc = cpu.pc | 0;
    const s = this.at(pc);
    const run = watched ? (s.watched ??= cpu.interpret(s.block, (this.watchedHandlers ??= cpu.handlersWith(this.wrap)))) : (s.plain ??= cpu.interpret(s.block));
    try {
      run();
    } catch (e) {
      // Instructions record their address without the Thumb bit.
      cpu.pc |= pc & 1;
      throw e;
    }
    cpu.pc = cpu.next;
  }

  /** The instructions of the step at pc. */
  insnsAt(pc: number): ScannedInsn[] {
    return this.at(pc | 0).block.insns;
  }

  /** Whether the step at pc enters the kernel (syscall, svc) or reads the cycle counter (rdhwr $2). */
  externalAt(pc: number): boolean {
    return this.at(pc | 0).external;
  }

  /** The step at pc, decoded (again if the code under it changed). */
  private at(pc: number): Step {
    const word = fetchOrNaN(this.cpu, pc);
    let step = this.steps.get(pc);
    if (!step || !(step.word === word || (step.word !== step.word && word !== word))) {
      for (const b of splitSteps(this.cpu.scanBlock(pc), this.cpu.isa === 'mips')) {
        this.steps.set(b.start, { word: fetchOrNaN(this.cpu, b.start), block: b, plain: null, watched: null, external: b.insns.some(isExternal) });
      }
      step = this.steps.get(pc)!;
    }
    return step;
  }
}

/** A scanned block cut into steps. */
function splitSteps(b: ScannedBlock, delaySlots: boolean): ScannedBlock[] {
  const out: ScannedBlock[] = [];
  const thumb = b.start & 1;
  for (let i = 0; i < b.insns.length;) {
    const first = b.insns[i];
    let n = 1;
    if (first.def) {
      if (first.def.flags & InsnFlags.Branch && delaySlots) n = 2;
      else if (first.def.name === 'it') n = 1 + (4 - ctz4(first.word & 0xf));
    }
    n = Math.min(n, b.insns.length - i);
    const end = i + n < b.insns.length ? b.insns[i + n].pc | thumb : b.end;
    out.push({ start: first.pc | thumb, end, insns: b.insns.slice(i, i + n), table: b.table });
    i += n;
  }
  return out;
}

/** The word at pc as an instruction fetch reads it, or NaN where the fetch faults (the step raises it). */
function fetchOrNaN(cpu: GuestCpu, pc: number): number {
  try {
    return cpu.fetch(pc);
  } catch {
    return NaN;
  }
}

/** Instructions whose outcome comes from outside the guest's registers and memory. */
function isExternal(i: ScannedInsn): boolean {
  const name = i.def?.name;
  return name === 'syscall' || name === 'svc' || (name === 'rdhwr' && ((i.word >>> 11) & 31) === 2);
}

const ctz4 = (m: number): number => (m & 1 ? 0 : m & 2 ? 1 : m & 4 ? 2 : 3);
