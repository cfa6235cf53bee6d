// The instruction trace (--trace): every guest instruction the program runs, one line each,
// with its address, symbol+offset, disassembly (from the ISA's table) and what it changed —
// registers and memory. It runs through the interpreter a step at a time (stepper.ts), so
// every instruction is seen; a MIPS delay slot or a Thumb IT block's changes show on the
// last line of its step. --trace-from starts it at an address or symbol (the program runs
// through the interpreter until then), --trace-count stops it after N instructions (the
// rest runs at full speed).
import * as fs from 'node:fs';
import type { DebugHook } from '../engine/debug-hook.js';
import type { GuestProcess } from '../engine/process.js';
import type { CpuState } from '../engine/cpu.js';
import { GuestExit, GuestFault } from '../engine/signals.js';
import type { Accessors } from '../memory/access.js';
import type { SymbolTable } from '../elf/symbols.js';
import { Stepper } from './stepper.js';
import { MIPS_GPR_NAMES } from '../isa/mips/table.js';
import { ARM_STATE_NAMES } from '../isa/arm/common.js';

export interface TraceOptions {
  /** The descriptor to write to. */
  fd: number;
  /** Start at this address (null: at the first instruction). */
  from: number | null;
  /** Stop after this many instructions (null: never). */
  count: number | null;
  symbols: SymbolTable;
  /** One-line descriptions of the instructions (--explain): by table entry name and the instruction as disassembled. */
  explain: ((name: string, text: string, isa: string) => string | undefined) | null;
}

/** Steps between returns to the run loop (so signals and host events are handled). */
const STEPS_PER_RUN = 10000;
const FLUSH_BYTES = 1 << 16;

export class Tracer implements DebugHook {
  private readonly stepper: Stepper;
  private active: boolean;
  private left: number;
  private done = false;
  private out = '';
  private readonly stores: [number, number][] = [];
  private readonly regNames: string[];

  constructor(private readonly proc: GuestProcess, private readonly o: TraceOptions) {
    this.stepper = new Stepper(proc.cpu, (acc) => this.recording(acc));
    this.active = o.from === null;
    this.left = o.count ?? Infinity;
    this.regNames = proc.cpu.isa === 'mips'
      ? [...MIPS_GPR_NAMES.map((n) => `$${n}`), 'hi', 'lo']
      : ARM_STATE_NAMES.map((n, i) => (i === 15 || i === 22 ? '' : n));
  }

  async run(): Promise<void> {
    const { proc } = this;
    const cpu = proc.cpu;
    if (this.done) return proc.engine.run();
    for (let n = 0; n < STEPS_PER_RUN; n++) {
      if (!this.active) {
        if ((cpu.pc & ~1) >>> 0 !== this.o.from) {
          this.stepper.step(false);
          continue;
        }
        this.active = true;
      }
      this.traceStep();
      if (this.left <= 0) {
        this.finish();
        return;
      }
    }
  }

  /** Runs one step, writing a line per instruction. */
  private traceStep(): void {
    const cpu = this.proc.cpu;
    const pc = cpu.pc | 0;
    const insns = this.stepper.insnsAt(pc);
    const thumb = pc & 1;
    const before = cpu.saveState();
    this.stores.length = 0;
    const texts = insns.map((i) => this.proc.cpu.disassemble(i.word, i.pc | thumb, i.cond));
    const lines = insns.map((i, k) => this.line(i.pc, texts[k]));
    const notes = insns.map((i, k) => (i.def && this.o.explain ? this.o.explain(i.def.name, texts[k], this.proc.cpu.isa) : undefined));
    try {
      this.stepper.step(true);
    } catch (e) {
      // The instructions up to the one that stopped (a fault, a syscall that waits or exits).
      const at = insns.findIndex((i) => i.pc === (cpu.pc & ~1));
      const upTo = at < 0 ? lines.length : at + 1;
      this.emit(lines.slice(0, upTo), notes, this.changes(before), e);
      this.left -= upTo;
      throw e;
    }
    this.emit(lines, notes, this.changes(before), null);
    this.left -= lines.length;
  }

  /** A trace line: the address, its symbol, the instruction as disassembled. */
  private line(pc: number, text: string): string {
    const where = this.o.symbols.describe(pc);
    return `0x${(pc >>> 0).toString(16).padStart(8, '0')} ${(where ?? '').padEnd(24)} ${text.padEnd(32)}`;
  }

  /** Writes a step's lines: the changes on its last line, then each line's --explain note. */
  private emit(lines: string[], notes: (string | undefined)[], changes: string, stopped: unknown): void {
    if (lines.length === 0) return;
    lines[lines.length - 1] += changes ? `  ${changes}` : '';
    lines.forEach((l, i) => {
      if (notes[i]) lines[i] = `${l.trimEnd()}  # ${notes[i]}`;
    });
    if (stopped instanceof GuestFault) lines.push(`--- ${stopped.message} (signal ${stopped.signal})`);
    this.out += lines.map((l) => l.trimEnd()).join('\n') + '\n';
    if (this.out.length >= FLUSH_BYTES) this.flush();
  }

  /** The registers and memory the step changed, as `name=value` words. */
  private changes(before: CpuState): string {
    const cpu = this.proc.cpu;
    const after = cpu.saveState();
    const out: string[] = [];
    for (let i = 0; i < after.R.length; i++) {
      const name = this.regNames[i];
      if (name && after.R[i] !== before.R[i]) out.push(`${name}=${ARM_FLAGS.has(name) ? after.R[i] : hex(after.R[i])}`);
    }
    const fpuWords = new Int32Array(after.fpu.buffer, after.fpu.byteOffset, after.fpu.length >> 2);
    const oldWords = new Int32Array(before.fpu.buffer, before.fpu.byteOffset, before.fpu.length >> 2);
    const arm = cpu.isa === 'arm';
    for (let i = 0; i < fpuWords.length; i++) {
      if (fpuWords[i] === oldWords[i]) continue;
      if (arm) {
        // A d register once, as its double value and bits.
        const d = i >> 1;
        if ((i & 1) === 1 && fpuWords[i - 1] !== oldWords[i - 1]) continue;
        const view = new DataView(after.fpu.buffer, after.fpu.byteOffset + d * 8, 8);
        out.push(`d${d}=${view.getFloat64(0, true)}`);
      } else out.push(`$f${i}=${hex(fpuWords[i])}`);
    }
    if (after.fpControl !== before.fpControl) out.push(`${arm ? 'fpscr' : 'fcsr'}=${hex(after.fpControl)}`);
    if (after.tls !== before.tls) out.push(`tls=${hex(after.tls)}`);
    const mem = this.proc.mem;
    for (const [a, size] of this.stores) {
      const v = size === 1 ? mem.bytes[a] : size === 2 ? mem.view.getUint16(a, mem.littleEndian) : mem.view.getUint32(a, mem.littleEndian);
      out.push(`[${hex(a)}]=0x${v.toString(16).padStart(size * 2, '0')}`);
    }
    return out.join(' ');
  }

  /** Accessors that note every store (address and size). */
  private recording(acc: Accessors): Accessors {
    const note = (a: number, size: number) => this.stores.push([a >>> 0, size]);
    return {
      ...acc,
      st8: (a, v) => (acc.st8(a, v), note(a, 1)),
      st16: (a, v) => (acc.st16(a, v), note(a, 2)),
      st32: (a, v) => (acc.st32(a, v), note(a, 4)),
      cas32: (a, e, v) => { const r = acc.cas32(a, e, v); note(a, 4); return r; },
      cas16: (a, e, v) => { const r = acc.cas16(a, e, v); note(a, 2); return r; },
      cas8: (a, e, v) => { const r = acc.cas8(a, e, v); note(a, 1); return r; },
      cas64: (a, el, eh, l, h) => { const r = acc.cas64(a, el, eh, l, h); note(a, 4); note(a + 4, 4); return r; },
      xchg32: (a, v) => { const r = acc.xchg32(a, v); note(a, 4); return r; },
      xchg8: (a, v) => { const r = acc.xchg8(a, v); note(a, 1); return r; },
    };
  }

  private finish(): void {
    this.done = true;
    this.flush();
  }

  private flush(): void {
    if (this.out) fs.writeSync(this.o.fd, this.out);
    this.out = '';
  }

  fault(): Promise<boolean> {
    return Promise.resolve(true);
  }

  end(e: unknown): Promise<void> {
    if (e instanceof GuestExit && !this.done) this.out += `--- exit ${e.signal ? `by signal ${e.signal}` : e.status}\n`;
    this.flush();
    return Promise.resolve();
  }

  exec(next: GuestProcess): void {
    this.detach(`the guest runs another program (${next.kernel.opts.exePath})`);
  }

  stopRequested(): boolean {
    return false;
  }

  detach(reason: string): void {
    if (this.done) return;
    this.out += `--- trace ends: ${reason}\n`;
    this.finish();
  }
}

/** ARM's flags (N Z C V Q, the GE bits) print as small numbers. */
const ARM_FLAGS = new Set(['N', 'Z', 'C', 'V', 'Q', 'GE']);
const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;
