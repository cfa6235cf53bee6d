// Per-instruction tests: instruction words with expected register results, run on both
// endiannesses through the same decode → handler path the emulator uses.
import { describe, expect, it } from 'vitest';
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../src/memory/memory.js';
import { MipsCpu, HI, LO } from '../src/isa/mips/cpu.js';
import { mulhExpr, mulhu as mulhuHelper } from '../src/isa/arith.js';
import { MIPS_TABLE } from '../src/isa/mips/table.js';
import { GuestFault, SIGSEGV, SIGTRAP } from '../src/engine/signals.js';
import { runUntil } from './support/arm.js';

const CODE = 0x10000, DATA = 0x20000;
const r = (fn: number, rs: number, rt: number, rd: number, sa = 0) =>
  ((rs << 21) | (rt << 16) | (rd << 11) | (sa << 6) | fn) >>> 0;
const i = (op: number, rs: number, rt: number, imm: number) => ((op << 26) | (rs << 21) | (rt << 16) | (imm & 0xffff)) >>> 0;
const sp2 = (fn: number, rs: number, rt: number, rd: number, sa = 0) => ((0x1c << 26) | r(fn, rs, rt, rd, sa)) >>> 0;
const sp3 = (fn: number, rs: number, rt: number, rd: number, sa = 0) => ((0x1f << 26) | r(fn, rs, rt, rd, sa)) >>> 0;
const cop1 = (fmt: number, ft: number, fs: number, fd: number, fn: number) =>
  ((0x11 << 26) | (fmt << 21) | (ft << 16) | (fs << 11) | (fd << 6) | fn) >>> 0;
const NOP = 0;
const BREAK_END = 0x0000000d; // break 0: ends the test program with SIGTRAP

function machine(le: boolean) {
  const mem = new GuestMemory(le);
  mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  mem.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
  const cpu = new MipsCpu(mem, () => {});
  return { mem, cpu };
}

/** Runs words (followed by a terminating break) with initial registers; returns the CPU. */
function run(le: boolean, words: number[], regs: Record<number, number> = {}, setup?: (m: ReturnType<typeof machine>) => void) {
  const m = machine(le);
  [...words, BREAK_END].forEach((w, k) => m.mem.view.setUint32(CODE + 4 * k, w, le));
  for (const [n, v] of Object.entries(regs)) m.cpu.R[Number(n)] = v;
  setup?.(m);
  let pc = CODE;
  for (let steps = 0; steps < 1000; steps++) {
    const b = m.cpu.decodeBlock(pc);
    try {
      b.exec();
    } catch (e) {
      if (e instanceof GuestFault && e.signal === 5 && m.cpu.pc === CODE + 4 * words.length) return m;
      throw e;
    }
    pc = m.cpu.next;
  }
  throw new Error('test program did not finish');
}

for (const le of [false, true]) {
  describe(`MIPS32r2 instructions (${le ? 'little' : 'big'}-endian)`, () => {
    const R = (words: number[], regs: Record<number, number> = {}) => run(le, words, regs).cpu.R;

    it('arithmetic and logic', () => {
      expect(R([r(0x21, 8, 9, 10)], { 8: 0x7fffffff, 9: 1 })[10]).toBe(-0x80000000); // addu wraps
      expect(R([r(0x23, 8, 9, 10)], { 8: 5, 9: 7 })[10]).toBe(-2); // subu
      expect(R([r(0x24, 8, 9, 10)], { 8: 0xff0, 9: 0x0ff })[10]).toBe(0xf0); // and
      expect(R([r(0x25, 8, 9, 10)], { 8: 0xf00, 9: 0x0f })[10]).toBe(0xf0f); // or
      expect(R([r(0x26, 8, 9, 10)], { 8: 0xff, 9: 0x0f })[10]).toBe(0xf0); // xor
      expect(R([r(0x27, 8, 9, 10)], { 8: 0, 9: 0 })[10]).toBe(-1); // nor
      expect(R([r(0x2a, 8, 9, 10)], { 8: -1, 9: 1 })[10]).toBe(1); // slt
      expect(R([r(0x2b, 8, 9, 10)], { 8: -1, 9: 1 })[10]).toBe(0); // sltu
      expect(R([i(9, 8, 9, -3)], { 8: 10 })[9]).toBe(7); // addiu
      expect(R([i(0xa, 8, 9, -3)], { 8: -4 })[9]).toBe(1); // slti
      expect(R([i(0xb, 8, 9, -1)], { 8: 5 })[9]).toBe(1); // sltiu compares with 0xffffffff
      expect(R([i(0xc, 8, 9, 0xff00)], { 8: -1 })[9]).toBe(0xff00); // andi zero-extends
      expect(R([i(0xd, 8, 9, 0x8000)], { 8: 1 })[9]).toBe(0x8001); // ori
      expect(R([i(0xf, 0, 9, 0x8001)])[9]).toBe(-0x7fff0000); // lui
      expect(R([i(9, 0, 0, 5)])[0]).toBe(0); // $zero stays zero
    });

    it('shifts and rotates', () => {
      expect(R([r(0, 0, 8, 9, 4)], { 8: 0x81 })[9]).toBe(0x810); // sll
      expect(R([r(2, 0, 8, 9, 4)], { 8: -16 })[9]).toBe(0x0fffffff); // srl
      expect(R([r(3, 0, 8, 9, 4)], { 8: -16 })[9]).toBe(-1); // sra
      expect(R([r(2, 1, 8, 9, 8)], { 8: 0x12345678 })[9]).toBe(0x78123456); // rotr
      expect(R([r(6, 10, 8, 9, 1)], { 8: 0x12345678, 10: 36 })[9]).toBe(0x81234567 | 0); // rotrv uses low 5 bits
      expect(R([r(4, 10, 8, 9)], { 8: 1, 10: 33 })[9]).toBe(2); // sllv
      expect(R([r(7, 10, 8, 9)], { 8: -256, 10: 4 })[9]).toBe(-16); // srav
    });

    it('multiply and divide', () => {
      let c = R([r(0x18, 8, 9, 0)], { 8: -3, 9: 0x7fffffff }); // mult
      expect([c[HI], c[LO]]).toEqual([-2, (-3 * 0x7fffffff) | 0]);
      c = R([r(0x19, 8, 9, 0)], { 8: -1, 9: -1 }); // multu
      expect([c[HI], c[LO]]).toEqual([-2, 1]);
      c = R([r(0x1a, 8, 9, 0)], { 8: -7, 9: 2 }); // div truncates toward zero
      expect([c[LO], c[HI]]).toEqual([-3, -1]);
      c = R([r(0x1b, 8, 9, 0)], { 8: -1, 9: 16 }); // divu
      expect([c[LO], c[HI]]).toEqual([0x0fffffff, 15]);
      c = R([r(0x1a, 8, 9, 0)], { 8: -0x80000000, 9: -1 }); // overflow case does not throw
      expect(c[LO]).toBe(-0x80000000);
      expect(R([sp2(2, 8, 9, 10)], { 8: 100000, 9: 100000 })[10]).toBe((1e10 % 2 ** 32) | 0); // mul
      c = R([sp2(0, 8, 9, 0)], { 8: 2, 9: 3, [HI]: 0, [LO]: -1 }); // madd carries into HI
      expect([c[HI], c[LO]]).toEqual([1, 5]);
      c = R([sp2(4, 8, 9, 0)], { 8: 2, 9: 3, [HI]: 1, [LO]: 5 }); // msub
      expect([c[HI], c[LO]]).toEqual([0, -1]);
      c = R([sp2(1, 8, 9, 0)], { 8: -1, 9: 2, [HI]: 0, [LO]: 0 }); // maddu
      expect([c[HI], c[LO]]).toEqual([1, -2]);
      expect(R([r(0x10, 0, 0, 10), r(0x12, 0, 0, 11)], { [HI]: 7, [LO]: 9 }).slice(10, 12)).toEqual(Int32Array.from([7, 9]));
    });

    it('bit manipulation', () => {
      expect(R([sp2(0x20, 8, 10, 10)], { 8: 0x00010000 })[10]).toBe(15); // clz
      expect(R([sp2(0x21, 8, 10, 10)], { 8: 0xf0000000 | 0 })[10]).toBe(4); // clo
      expect(R([sp3(0, 8, 9, 7, 4)], { 8: 0x12345678 })[9]).toBe(0x67); // ext pos 4 size 8
      expect(R([sp3(0, 8, 9, 31, 0)], { 8: -5 })[9]).toBe(-5); // ext size 32
      expect(R([sp3(4, 8, 9, 11, 4)], { 8: 0xab, 9: 0x12345678 })[9]).toBe(0x12345ab8); // ins pos 4 size 8
      expect(R([sp3(0x20, 0, 8, 9, 2)], { 8: 0x11223344 })[9]).toBe(0x22114433); // wsbh
      expect(R([sp3(0x20, 0, 8, 9, 0x10)], { 8: 0x80 })[9]).toBe(-128); // seb
      expect(R([sp3(0x20, 0, 8, 9, 0x18)], { 8: 0x18000 })[9]).toBe(-0x8000); // seh
      expect(R([r(0xa, 8, 9, 10)], { 8: 5, 9: 0, 10: 1 })[10]).toBe(5); // movz
      expect(R([r(0xb, 8, 9, 10)], { 8: 5, 9: 0, 10: 1 })[10]).toBe(1); // movn not taken
    });

    it('loads and stores in guest byte order', () => {
      const m = run(le, [
        i(0x2b, 8, 9, 0), // sw $t1, 0($t0)
        i(0x20, 8, 10, le ? 0 : 3), // lb low byte
        i(0x24, 8, 11, le ? 3 : 0), // lbu high byte
        i(0x21, 8, 12, le ? 2 : 0), // lh high half
        i(0x25, 8, 13, le ? 0 : 2), // lhu low half
        i(0x28, 8, 9, 4), // sb
        i(0x29, 8, 9, 6), // sh
      ], { 8: DATA, 9: 0x89abcdef | 0 });
      expect(m.mem.view.getUint32(DATA, le)).toBe(0x89abcdef);
      expect(m.cpu.R[10]).toBe(-17); // 0xef sign-extended
      expect(m.cpu.R[11]).toBe(0x89);
      expect(m.cpu.R[12]).toBe(0x89ab - 0x10000);
      expect(m.cpu.R[13]).toBe(0xcdef);
      expect(m.mem.bytes[DATA + 4]).toBe(0xef);
      expect(m.mem.view.getUint16(DATA + 6, le)).toBe(0xcdef);
    });

    it('misaligned lh/lw/sh/sw/ldc1 are done, as Linux fixes up address errors (TIF_FIXADE)', () => {
      const m = run(le, [
        i(0x2b, 8, 9, 1), // sw $t1, 1($t0)
        i(0x23, 8, 10, 1), // lw $t2, 1($t0)
        i(0x21, 8, 11, 3), // lh $t3, 3($t0)
        i(0x29, 8, 9, 7), // sh $t1, 7($t0)
        i(0x25, 8, 12, 7), // lhu $t4, 7($t0)
        i(0x35, 8, 2, 1), // ldc1 $f2, 1($t0)
        i(0x3d, 8, 2, 13), // sdc1 $f2, 13($t0)
        i(0x23, 8, 13, 17), // lw $t5, 17($t0): the sdc1's second word
      ], { 8: DATA, 9: 0x89abcdef | 0 });
      expect(m.mem.view.getUint32(DATA + 1, le)).toBe(0x89abcdef);
      expect(m.cpu.R[10]).toBe(0x89abcdef | 0);
      expect(m.cpu.R[11]).toBe((le ? 0x89ab : 0xcdef) - 0x10000);
      expect(m.cpu.R[12]).toBe(0xcdef);
      expect(m.mem.view.getUint32(DATA + 13, le)).toBe(m.mem.view.getUint32(DATA + 1, le));
      expect(m.cpu.R[13]).toBe(m.mem.view.getInt32(DATA + 5, le));
    });

    it('unaligned lwl/lwr and swl/swr pairs', () => {
      const bytes = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];
      // The idiom gcc emits for an unaligned word at address A: lwl/lwr at A and A+3 (BE) or A+3 and A (LE).
      for (const off of [0, 1, 2, 3]) {
        const [lwlOff, lwrOff] = le ? [off + 3, off] : [off, off + 3];
        const m = run(le, [i(0x22, 8, 9, lwlOff), i(0x26, 8, 9, lwrOff),
          i(0x2a, 8, 9, 16 + lwlOff), i(0x2e, 8, 9, 16 + lwrOff)], { 8: DATA }, (mm) => mm.mem.bytes.set(bytes, DATA));
        const expected = Buffer.from(bytes.slice(off, off + 4));
        expect(m.cpu.R[9] >>> 0).toBe(le ? expected.readUInt32LE() : expected.readUInt32BE());
        expect([...m.mem.bytes.subarray(DATA + 16 + off, DATA + 20 + off)]).toEqual(bytes.slice(off, off + 4));
      }
    });

    it('LL/SC succeed with no intervening event', () => {
      const m = run(le, [i(0x30, 8, 9, 0), i(9, 9, 9, 1), i(0x38, 8, 9, 0)], { 8: DATA }, (mm) => mm.mem.view.setInt32(DATA, 41, le));
      expect(m.mem.view.getInt32(DATA, le)).toBe(42);
      expect(m.cpu.R[9]).toBe(1);
    });

    it('branches execute their delay slot; likely branches annul it when not taken', () => {
      // beq $0,$0,+2 ; addiu $t1,$t1,1 (delay) ; addiu $t1,$t1,100 (skipped) ; addiu $t2,$0,7
      let c = R([i(4, 0, 0, 2), i(9, 9, 9, 1), i(9, 9, 9, 100), i(9, 0, 10, 7)]);
      expect([c[9], c[10]]).toEqual([1, 7]);
      // beql $0,$t0 (not taken, t0=1): delay slot annulled
      c = R([i(0x14, 0, 8, 2), i(9, 9, 9, 1), i(9, 9, 9, 100)], { 8: 1 });
      expect(c[9]).toBe(100);
      // bal +1: links $ra = pc + 8
      c = R([(1 << 26 | 0x11 << 16 | 1) >>> 0, NOP, NOP]);
      expect(c[31]).toBe(CODE + 8);
      // jalr $t9: $ra = pc + 8, jumps to $t9
      c = R([r(9, 25, 0, 31), i(9, 0, 10, 3), i(9, 0, 10, 99)], { 25: CODE + 12 });
      expect([c[31], c[10]]).toEqual([CODE + 8, 3]);
    });

    it('traps and overflow raise the signals Linux sends', () => {
      const sig = (words: number[], regs: Record<number, number>) => {
        try {
          run(le, words, regs);
          return 0;
        } catch (e) {
          return (e as GuestFault).signal;
        }
      };
      expect(sig([r(0x34, 9, 0, 0) | (7 << 6)], { 9: 0 })).toBe(8); // teq $t1,$0,7: divide by zero → SIGFPE
      expect(sig([r(0x34, 9, 0, 0) | (7 << 6)], { 9: 1 })).toBe(0); // not taken
      expect(sig([r(0x20, 8, 9, 10)], { 8: 0x7fffffff, 9: 1 })).toBe(8); // add overflow → SIGFPE
      // break codes as Linux reads them: 7 at bit 16 (`break 7`) or at bit 6 (`break 0,7`) is a divide by zero.
      expect(sig([(7 << 16) | 0xd], {})).toBe(8);
      expect(sig([(7 << 6) | 0xd], {})).toBe(8);
      expect(sig([(7 << 16) | (3 << 6) | 0xd], {})).toBe(5); // `break 7,3`: code 3079 → SIGTRAP
      expect(sig([i(0x23, 8, 9, 0)], { 8: 0 })).toBe(11); // lw from NULL → SIGSEGV
      expect(sig([i(0x30, 8, 9, 2)], { 8: DATA })).toBe(7); // misaligned ll → SIGBUS (not fixed up)
      expect(sig([i(0x23, 8, 9, 0xffe)], { 8: DATA })).toBe(11); // misaligned lw into an unmapped page → SIGSEGV
      expect(sig([i(0x2b, 8, 9, 0)], { 8: CODE })).toBe(11); // store to read-only code page
      expect(sig([0xffffffff], {})).toBe(4); // reserved encoding → SIGILL
    });

    it('rdhwr $29 reads the TLS pointer', () => {
      const m = run(le, [sp3(0x3b, 0, 3, 29)], {}, (mm) => (mm.cpu.tls = 0x1234));
      expect(m.cpu.R[3]).toBe(0x1234);
    });

    it('FPU arithmetic, conversions and compares', () => {
      const D = (m: ReturnType<typeof run>, n: number) => m.cpu.FD[n >> 1];
      const setup = (mm: ReturnType<typeof machine>) => {
        mm.cpu.FD[1] = 1.5; // $f2
        mm.cpu.FD[2] = -2.25; // $f4
        mm.cpu.FS[6] = 3.5; // $f6 single
      };
      let m = run(le, [cop1(0x11, 4, 2, 8, 0)], {}, setup); // add.d $f8,$f2,$f4
      expect(D(m, 8)).toBe(-0.75);
      m = run(le, [cop1(0x11, 4, 2, 8, 2)], {}, setup); // mul.d
      expect(D(m, 8)).toBe(-3.375);
      m = run(le, [cop1(0x11, 4, 2, 8, 3)], {}, setup); // div.d
      expect(D(m, 8)).toBe(1.5 / -2.25);
      m = run(le, [cop1(0x10, 6, 6, 8, 2)], {}, setup); // mul.s $f8,$f6,$f6
      expect(m.cpu.FS[8]).toBe(12.25);
      m = run(le, [cop1(0x11, 0, 4, 8, 0x0d)], {}, setup); // trunc.w.d $f8,$f4
      expect(m.cpu.FI[8]).toBe(-2);
      m = run(le, [cop1(0x11, 0, 4, 8, 0x0c)], {}, setup); // round.w.d: -2.25 → -2
      expect(m.cpu.FI[8]).toBe(-2);
      m = run(le, [cop1(0x11, 0, 4, 8, 0x0f)], {}, setup); // floor.w.d → -3
      expect(m.cpu.FI[8]).toBe(-3);
      m = run(le, [cop1(0x10, 0, 6, 8, 0x21)], {}, setup); // cvt.d.s
      expect(D(m, 8)).toBe(3.5);
      m = run(le, [cop1(0x11, 0, 4, 8, 0x07)], {}, setup); // neg.d
      expect(D(m, 8)).toBe(2.25);
      // c.lt.d $f4,$f2 sets fcc0; movt $t1,$t2,$fcc0 then moves
      m = run(le, [cop1(0x11, 2, 4, 0, 0x3c), r(1, 10, 1 << 0 | 0, 9) | (1 << 16)], { 10: 77 }, setup);
      expect(m.cpu.fcsr & (1 << 23)).toBeTruthy();
      expect(m.cpu.R[9]).toBe(77);
      // 0/0 gives the MIPS legacy default NaN bit pattern
      m = run(le, [cop1(0x11, 0, 0, 8, 3)], {}, setup);
      expect([m.cpu.FI[8], m.cpu.FI[9]]).toEqual([-1, 0x7ff7ffff]);
    });

    it('ldc1/sdc1 move doubles in guest byte order', () => {
      const m = run(le, [i(0x35, 8, 2, 0), i(0x3d, 8, 2, 8)], { 8: DATA }, (mm) => mm.mem.view.setFloat64(DATA, Math.PI, le));
      expect(m.cpu.FD[1]).toBe(Math.PI);
      expect(m.mem.view.getFloat64(DATA + 8, le)).toBe(Math.PI);
    });

    it('ldc1/sdc1 in both engines: aligned to 8 (the inline fast path), to 4 (fixed up), and onto an unmapped page', () => {
      for (const engine of ['interpreter', 'translator'] as const) {
        for (const off of [0, 4]) {
          const m = machine(le);
          // ldc1 $f2, off($t0); sdc1 $f2, off + 16($t0)
          [i(0x35, 8, 2, off), i(0x3d, 8, 2, off + 16), BREAK_END].forEach((w, k) => m.mem.view.setUint32(CODE + 4 * k, w, le));
          m.cpu.R[8] = DATA;
          m.mem.view.setFloat64(DATA + off, Math.E, le);
          runUntil(m.cpu, engine, CODE, (e) => e.signal === SIGTRAP);
          expect(m.cpu.FD[1], `${engine} +${off}`).toBe(Math.E);
          expect(m.mem.view.getFloat64(DATA + off + 16, le), `${engine} +${off}`).toBe(Math.E);
        }
        const m = machine(le);
        [i(0x3d, 8, 2, 0x1000), BREAK_END].forEach((w, k) => m.mem.view.setUint32(CODE + 4 * k, w, le)); // sdc1 past the page
        m.cpu.R[8] = DATA;
        let fault: GuestFault | undefined;
        runUntil(m.cpu, engine, CODE, (e) => ((fault = e), true));
        expect([fault?.signal, fault?.addr], engine).toEqual([SIGSEGV, DATA + 0x1000]); // (a big-endian one stored its high word first)
      }
    });

    it('FCSR rounding mode drives cvt.w.d', () => {
      // ctc1 $t0,$31 (RM = 3: toward -inf), then cvt.w.d $f8,$f2
      const m = run(le, [cop1(6, 8, 31, 0, 0), cop1(0x11, 0, 2, 8, 0x24)], { 8: 3 }, (mm) => (mm.cpu.FD[1] = 2.5));
      expect(m.cpu.FI[8]).toBe(2);
      const n = run(le, [cop1(6, 8, 31, 0, 0), cop1(0x11, 0, 2, 8, 0x24)], { 8: 0 }, (mm) => (mm.cpu.FD[1] = 2.5));
      expect(n.cpu.FI[8]).toBe(2); // nearest-even
      const o = run(le, [cop1(6, 8, 31, 0, 0), cop1(0x11, 0, 2, 8, 0x24)], { 8: 2 }, (mm) => (mm.cpu.FD[1] = 2.25));
      expect(o.cpu.FI[8]).toBe(3); // toward +inf
    });
  });
}

describe('MIPS table', () => {
  it('disassembles from the same table', () => {
    expect(MIPS_TABLE.disassemble(r(0x21, 8, 9, 10), 0)).toBe('addu $t2, $t0, $t1');
    expect(MIPS_TABLE.disassemble(i(0x23, 29, 31, 28), 0)).toBe('lw $ra, 28($sp)');
    expect(MIPS_TABLE.disassemble(i(4, 8, 0, -1), 0x400000)).toBe('beq $t0, $zero, 400000');
    expect(MIPS_TABLE.disassemble(0, 0)).toBe('nop');
    expect(MIPS_TABLE.disassemble(0xffffffff, 0)).toBe('.word 0xffffffff');
  });
  it('multiplies high words correctly', () => {
    const mulhs = new Function('a', 'b', `return ${mulhExpr(true, 'a', 'b')};`) as (a: number, b: number) => number;
    const mulhu = new Function('mulhu', 'a', 'b', `return ${mulhExpr(false, 'a', 'b')};`).bind(null, mulhuHelper) as (a: number, b: number) => number;
    const edges = [0, 1, 2, 3, -1, -2, 0xffff, 0x10000, 0x7fffffff, 0x7ffffffe, -0x80000000, -0x7fffffff, 123456789, -987654321];
    let x = 0x2545f491;
    const values = [...edges, ...Array.from({ length: 300 }, () => (x = (Math.imul(x, 1103515245) + 12345) | 0))];
    const wrong: string[] = [];
    for (const a of values) {
      for (const b of values) {
        if (mulhs(a, b) !== Number(BigInt.asIntN(32, (BigInt(a) * BigInt(b)) >> 32n))) wrong.push(`mulhs ${a} ${b}`);
        if (mulhu(a, b) !== Number(BigInt.asIntN(32, (BigInt(a >>> 0) * BigInt(b >>> 0)) >> 32n))) wrong.push(`mulhu ${a} ${b}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('a fault in a delay slot', () => {
  // jalr $t9 with lw $s2, 0($v1) in its delay slot (as gcc schedules a C call), $v1 = NULL:
  // Linux reports the fault at the branch (EPC with Cause.BD), so a handler that returns runs
  // the branch again, and Go prints the branch's pc in "[signal SIGSEGV ... pc=...]" as under qemu.
  for (const engine of ['interpreter', 'translator'] as const) {
    for (const le of [false, true]) {
      it(`is reported at its branch (${engine}, ${le ? 'little' : 'big'}-endian)`, () => {
        const { mem, cpu } = machine(le);
        [NOP, r(9, 25, 0, 31), i(0x23, 3, 18, 0), NOP].forEach((w, k) => mem.view.setUint32(CODE + 4 * k, w, le));
        cpu.R[25] = CODE + 12;
        cpu.R[3] = 0;
        let fault: GuestFault | undefined;
        try {
          runUntil(cpu, engine, CODE, () => false);
        } catch (e) {
          fault = e as GuestFault;
        }
        expect([fault?.signal, fault?.addr, cpu.pc]).toEqual([11, 0, CODE + 4]);
      });
    }
  }
});
