// Per-instruction tests for T32 (Thumb-2): small programs as halfwords (encodings from the
// GNU assembler, its disassembly beside each), with expected registers and flags, each run
// through the interpreter and through the translator. Expected flags for the arithmetic come
// from an independent BigInt model of the ARM arithmetic.
import { describe, expect, it } from 'vitest';
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../src/memory/memory.js';
import { ArmCpu } from '../src/isa/arm/cpu.js';
import { Q } from '../src/isa/arm/common.js';
import { T32_TABLE } from '../src/isa/arm/t32.js';
import { GuestFault, SIGILL, SIGTRAP } from '../src/engine/signals.js';
import { Engine, Model, VALUES, add, nzcv, runUntil, s32, sub, u } from './support/arm.js';

const CODE = 0x10000, STACK = 0x20000, DATA = 0x30000;
const BKPT = 0xbe00;
const MRS_R12 = [0xf3ef, 0x8c00]; // mrs r12, apsr

type Flags = Partial<Record<'N' | 'Z' | 'C' | 'V', number>>;
const FLAG_REG = { N: 16, Z: 17, C: 18, V: 19 };

interface Setup {
  regs?: Record<number, number>;
  flags?: Flags;
  data?: (mem: GuestMemory) => void;
  tls?: number;
  onSyscall?: (pc: number) => void;
}

/** Runs halfwords (then a BKPT) as Thumb code from CODE; returns the CPU at the BKPT. */
function run(engine: Engine, halfwords: number[], setup: Setup = {}) {
  const mem = new GuestMemory(true);
  mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  mem.map(STACK, 0x1000, PROT_READ | PROT_WRITE);
  mem.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
  [...halfwords, BKPT].forEach((h, k) => mem.view.setUint16(CODE + 2 * k, h, true));
  const cpu = new ArmCpu(mem, (_, pc) => setup.onSyscall?.(pc));
  cpu.R[13] = STACK + 0x800;
  cpu.tls = setup.tls ?? 0;
  for (const [r, v] of Object.entries(setup.regs ?? {})) cpu.R[Number(r)] = v;
  for (const [f, v] of Object.entries(setup.flags ?? {})) cpu.R[FLAG_REG[f as 'N']] = v;
  setup.data?.(mem);
  const bkptAt = CODE + 2 * halfwords.length;
  runUntil(cpu, engine, CODE | 1, (e) => e.signal === SIGTRAP && cpu.pc === bkptAt);
  return { cpu, mem };
}

/** The signal a program dies of. */
function signalOf(engine: Engine, halfwords: number[]): number {
  try {
    run(engine, halfwords);
  } catch (e) {
    if (e instanceof GuestFault) return e.signal;
    throw e;
  }
  return 0;
}

const flagsOf = (apsr: number) => (apsr >>> 28).toString(2).padStart(4, '0');


interface ArithCase { name: string; code: number[]; dest: number | null; model: Model }
// r0 = a, r1 = b; the result in `dest`.
const ARITH: ArithCase[] = [
  { name: 'adds r2, r0, r1 (16-bit)', code: [0x1842], dest: 2, model: (a, b) => add(a, b, 0) },
  { name: 'subs r2, r0, r1 (16-bit)', code: [0x1a42], dest: 2, model: (a, b) => sub(a, b, 1) },
  { name: 'adcs r0, r1 (16-bit)', code: [0x4148], dest: 0, model: add },
  { name: 'sbcs r0, r1 (16-bit)', code: [0x4188], dest: 0, model: sub },
  { name: 'negs r2, r0 (16-bit)', code: [0x4242], dest: 2, model: (a) => sub(0, a, 1) },
  { name: 'cmn r0, r1 (16-bit)', code: [0x42c8], dest: null, model: (a, b) => add(a, b, 0) },
  { name: 'cmp r0, r1 (16-bit)', code: [0x4288], dest: null, model: (a, b) => sub(a, b, 1) },
  { name: 'adds.w r2, r0, r1', code: [0xeb10, 0x0201], dest: 2, model: (a, b) => add(a, b, 0) },
  { name: 'sbcs.w r2, r0, r1', code: [0xeb70, 0x0201], dest: 2, model: sub },
  { name: 'rsbs.w r2, r0, r1', code: [0xebd0, 0x0201], dest: 2, model: (a, b) => sub(b, a, 1) },
];

for (const engine of ['interpreter', 'translator'] as const) {
  describe(`T32 through the ${engine}`, () => {
    for (const k of ARITH) {
      it(`${k.name}: result and NZCV over edge values`, () => {
        for (const a of VALUES) {
          for (const b of VALUES) {
            for (const cin of [0, 1]) {
              const { cpu } = run(engine, [...k.code, ...MRS_R12], { regs: { 0: a, 1: b }, flags: { C: cin } });
              const m = k.model(a, b, cin);
              if (k.dest !== null) expect(cpu.R[k.dest] >>> 0).toBe(m.r >>> 0);
              expect(flagsOf(cpu.R[12])).toBe(nzcv(m.r, m.c, m.v).toString(2).padStart(4, '0'));
            }
          }
        }
      });
    }

    it('CPS in user mode is a no-op, as on Linux (it was SIGILL), and not the nop.w it neighbours', () => {
      const prog = [
        0xb662, // cpsie i
        0xb673, // cpsid if
        0xf3af, 0x8480, // cpsie.w a
        0xf3af, 0x8510, // cpsie.w #16 (no bit to change: UNPREDICTABLE, a no-op)
        0xf3af, 0x8000, // nop.w
        0x2007, // movs r0, #7
      ];
      expect(run(engine, prog).cpu.R[0]).toBe(7);
    });

    it('IT: ITE EQ runs exactly one of its two instructions', () => {
      const prog = [
        0x4288, // cmp r0, r1
        0xbf0c, // ite eq
        0x2201, // moveq r2, #1
        0x2202, // movne r2, #2
      ];
      expect(run(engine, prog, { regs: { 0: 5, 1: 5, 2: 0 } }).cpu.R[2]).toBe(1);
      expect(run(engine, prog, { regs: { 0: 5, 1: 6, 2: 0 } }).cpu.R[2]).toBe(2);
    });

    it('IT: ITTE LT with a 32-bit instruction inside', () => {
      const prog = [
        0x4288, // cmp r0, r1
        0xbfba, // itte lt
        0x2201, // movlt r2, #1
        0xf503, 0x7380, // addlt.w r3, r3, #256
        0x2401, // movge r4, #1
      ];
      const at = (a: number, b: number) => [...run(engine, prog, { regs: { 0: a, 1: b, 2: 0, 3: 7, 4: 0 } }).cpu.R.subarray(2, 5)];
      expect(at(-3, 2)).toEqual([1, 0x107, 0]);
      expect(at(2, -3)).toEqual([0, 7, 1]);
    });

    it('IT: ITTTT MI skips all four when N is clear, 32-bit ldm/stm included (coreutils du)', () => {
      const prog = [
        0xbf41, // itttt mi
        0x3730, // addmi r7, #48
        0xf10c, 0x0c30, // addmi.w ip, ip, #48
        0xe897, 0x000f, // ldmiami.w r7, {r0-r3}
        0xe88c, 0x000f, // stmiami.w ip, {r0-r3}
      ];
      const regs = { 0: 1, 1: 2, 2: 3, 3: 4, 7: DATA, 12: DATA + 0x100 };
      const data = (mem: GuestMemory) => { for (let i = 0; i < 128; i++) mem.write32(DATA + 4 * i, 0x100 + i); };
      const skipped = run(engine, prog, { regs, flags: { N: 0 }, data });
      expect([skipped.cpu.R[7], skipped.cpu.R[12]]).toEqual([DATA, DATA + 0x100]);
      expect(skipped.mem.read32(DATA + 0x100)).toBe(0x140);
      const taken = run(engine, prog, { regs, flags: { N: 1 }, data });
      expect([taken.cpu.R[0], taken.cpu.R[3]]).toEqual([0x10c, 0x10f]);
      expect(taken.mem.read32(DATA + 0x130)).toBe(0x10c);
    });

    it('16-bit ADDS sets flags outside an IT block and not inside one', () => {
      const { cpu } = run(engine, [
        0x429b, // cmp r3, r3: nZCv
        0xbf08, // it eq
        0x1842, // addeq r2, r0, r1 (no flags inside IT)
        0xf3ef, 0x8c00, // mrs r12, apsr
        0x1844, // adds r4, r0, r1
        0xf3ef, 0x8b00, // mrs r11, apsr
      ], { regs: { 0: 0x7fffffff, 1: 1 } });
      expect(cpu.R[2]).toBe(-0x80000000);
      expect(flagsOf(cpu.R[12])).toBe('0110');
      expect(cpu.R[4]).toBe(-0x80000000);
      expect(flagsOf(cpu.R[11])).toBe('1001');
    });

    it('modified immediates (ThumbExpandImm) and their carry out', () => {
      const { cpu } = run(engine, [
        0xf04f, 0x10ab, // mov.w r0, #0x00ab00ab
        0xf04f, 0x21ab, // mov.w r1, #0xab00ab00
        0xf04f, 0x32ab, // mov.w r2, #0xabababab
        0xf04f, 0x537f, // mov.w r3, #0x3fc00000
        0xf05f, 0x4400, // movs.w r4, #0x80000000: C = bit 31 of the rotated constant
        0xf3ef, 0x8c00, // mrs r12, apsr
        0xf016, 0x05ff, // ands.w r5, r6, #0xff: an unrotated constant leaves C alone
        0xf3ef, 0x8b00, // mrs r11, apsr
        0xf016, 0x4700, // ands.w r7, r6, #0x80000000
        0xf3ef, 0x8a00, // mrs r10, apsr
      ], { regs: { 6: 0x12345678 } });
      expect([...cpu.R.subarray(0, 4)].map((x) => x >>> 0)).toEqual([0x00ab00ab, 0xab00ab00, 0xabababab, 0x3fc00000]);
      expect(cpu.R[4] >>> 0).toBe(0x80000000);
      expect(flagsOf(cpu.R[12])).toBe('1010');
      expect(cpu.R[5]).toBe(0x78);
      expect(flagsOf(cpu.R[11])).toBe('0010');
      expect(cpu.R[7]).toBe(0);
      expect(flagsOf(cpu.R[10])).toBe('0110');
    });

    it('32-bit data processing: shifted registers, plain immediates, movw/movt', () => {
      const { cpu } = run(engine, [
        0xea46, 0x1708, // orr.w r7, r6, r8, lsl #4
        0xf1c6, 0x0a64, // rsb sl, r6, #100
        0xf606, 0x7bff, // addw fp, r6, #4095
        0xf2ab, 0x0b01, // subw fp, fp, #1
        0xf241, 0x2934, // movw r9, #0x1234
        0xf2c5, 0x6978, // movt r9, #0x5678
        0xea66, 0x0108, // orn r1, r6, r8
        0xf026, 0x02f0, // bic.w r2, r6, #240
        0xea86, 0x2338, // eor.w r3, r6, r8, ror #8
        0xf1b6, 0x5f90, // cmp.w r6, #0x12000000
        0xf3ef, 0x8c00, // mrs r12, apsr
      ], { regs: { 6: 0x12345678, 8: 0xf00f } });
      expect(cpu.R[7] >>> 0).toBe(0x123f56f8);
      expect(cpu.R[10] >>> 0).toBe(0xedcba9ec);
      expect(cpu.R[11] >>> 0).toBe(0x12346676);
      expect(cpu.R[9] >>> 0).toBe(0x56781234);
      expect(cpu.R[1] >>> 0).toBe(0xffff5ff8);
      expect(cpu.R[2] >>> 0).toBe(0x12345608);
      expect(cpu.R[3] >>> 0).toBe(0x1d345688);
      expect(flagsOf(cpu.R[12])).toBe('0010');
    });

    it('shifts: carry out of lsls #1, lsrs #32, asrs by 33, rrx', () => {
      const { cpu } = run(engine, [
        0x0041, // lsls r1, r0, #1
        0xf3ef, 0x8c00, // mrs r12, apsr
        0x0802, // lsrs r2, r0, #32
        0xf3ef, 0x8b00, // mrs fp, apsr
        0xfa50, 0xf304, // asrs.w r3, r0, r4
        0xf3ef, 0x8a00, // mrs sl, apsr
        0xea5f, 0x0530, // movs.w r5, r0, rrx
        0xf3ef, 0x8900, // mrs r9, apsr
        0xfa00, 0xf604, // lsl.w r6, r0, r4
        0xfa60, 0xf704, // ror.w r7, r0, r4
      ], { regs: { 0: 0x80000001, 4: 33 } });
      expect(cpu.R[1]).toBe(2);
      expect(flagsOf(cpu.R[12])).toBe('0010');
      expect(cpu.R[2]).toBe(0);
      expect(flagsOf(cpu.R[11])).toBe('0110');
      expect(cpu.R[3]).toBe(-1);
      expect(flagsOf(cpu.R[10])).toBe('1010');
      expect(cpu.R[5] >>> 0).toBe(0xc0000000);
      expect(flagsOf(cpu.R[9])).toBe('1010');
      expect(cpu.R[6]).toBe(0);
      expect(cpu.R[7] >>> 0).toBe(0xc0000000);
    });

    it('loads and stores: push/pop, ldrd/strd with writeback, pre-indexed ldr', () => {
      const { cpu, mem } = run(engine, [
        0xb503, // push {r0, r1, lr}
        0xbc70, // pop {r4, r5, r6}
        0xe96d, 0x0102, // strd r0, r1, [sp, #-8]!
        0xe8fd, 0x6702, // ldrd r6, r7, [sp], #8
        0xf84d, 0x0c04, // str.w r0, [sp, #-4]
        0xf85d, 0x8d04, // ldr.w r8, [sp, #-4]!
        0x9b00, // ldr r3, [sp]
      ], { regs: { 0: 0x1234fedc, 1: 0x55, 14: 0x777 } });
      expect([cpu.R[4], cpu.R[5], cpu.R[6], cpu.R[7]]).toEqual([0x1234fedc, 0x55, 0x1234fedc, 0x55]);
      expect(mem.view.getInt32(STACK + 0x7f8, true)).toBe(0x1234fedc);
      expect(mem.view.getInt32(STACK + 0x7fc, true)).toBe(0x1234fedc); // strd's second word, then str.w
      expect(mem.view.getInt32(STACK + 0x7f4, true)).toBe(0x1234fedc); // push's r0, lowest
      expect(cpu.R[8]).toBe(0x1234fedc);
      expect(cpu.R[13]).toBe(STACK + 0x7fc);
      expect(cpu.R[3]).toBe(0x1234fedc);
    });

    it('loads and stores: register offsets, halfwords, post-index, literal, push.w/pop.w', () => {
      const { cpu } = run(engine, [
        0xf81a, 0x9021, // ldrb.w r9, [sl, r1, lsl #2]
        0xf82d, 0x0c02, // strh.w r0, [sp, #-2]
        0xf93d, 0xbc02, // ldrsh.w fp, [sp, #-2]
        0xf99a, 0xc003, // ldrsb.w ip, [sl, #3]
        0xf85a, 0x2b04, // ldr.w r2, [sl], #4
        0x4b02, // ldr r3, [pc, #8]
        0xe92d, 0x4003, // stmdb sp!, {r0, r1, lr}
        0xe8bd, 0x0070, // ldmia.w sp!, {r4, r5, r6}
        0xe001, // b.n +2
        0xf00d, 0xcafe, // .word 0xcafef00d
        0x4612, // mov r2, r2
      ], {
        regs: { 0: 0x1234fedc, 1: 0x55, 10: DATA, 14: 0x777 },
        data: (mem) => {
          mem.view.setUint32(DATA, 0x80abcdef, true);
          mem.view.setUint8(DATA + 0x154, 0xa5);
        },
      });
      expect(cpu.R[9]).toBe(0xa5);
      expect(cpu.R[11]).toBe(-0x124);
      expect(cpu.R[12]).toBe(-128);
      expect(cpu.R[2] >>> 0).toBe(0x80abcdef);
      expect(cpu.R[10]).toBe(DATA + 4);
      expect(cpu.R[3] >>> 0).toBe(0xcafef00d);
      expect([cpu.R[4], cpu.R[5], cpu.R[6]]).toEqual([0x1234fedc, 0x55, 0x777]);
      expect(cpu.R[13]).toBe(STACK + 0x800);
    });

    it('16-bit ldm/stm: writeback unless the base is in the list', () => {
      const { cpu, mem } = run(engine, [
        0x4652, // mov r2, sl
        0xc203, // stmia r2!, {r0, r1}
        0x4653, // mov r3, sl
        0xcb03, // ldmia r3!, {r0, r1}
        0x4654, // mov r4, sl
        0xcc30, // ldmia r4, {r4, r5}
      ], { regs: { 0: 11, 1: 22, 10: DATA } });
      expect([mem.view.getInt32(DATA, true), mem.view.getInt32(DATA + 4, true)]).toEqual([11, 22]);
      expect([cpu.R[2], cpu.R[3]]).toEqual([DATA + 8, DATA + 8]);
      expect([cpu.R[4], cpu.R[5]]).toEqual([11, 22]);
    });

    it('branches: cbz/cbnz, b<c> (16 and 32 bit), bl, pop {pc}', () => {
      const prog = [
        0x2400, // movs r4, #0
        0xb100, // cbz r0, +0 (skips the next)
        0x3401, // adds r4, #1
        0xb900, // cbnz r0, +0
        0x3402, // adds r4, #2
        0x2805, // cmp r0, #5
        0xdb01, // blt.n +2
        0xf104, 0x0404, // add.w r4, r4, #4 (leaves the flags)
        0xf300, 0x8002, // bgt.w +4
        0xf104, 0x0408, // add.w r4, r4, #8
        0xf000, 0xf802, // bl func
        0x3410, // adds r4, #16
        0xe002, // b.n end
        0xb500, // func: push {lr}
        0x4675, // mov r5, lr
        0xbd00, // pop {pc}
        0x4612, // end: mov r2, r2
      ];
      const at = (r0: number) => run(engine, prog, { regs: { 0: r0 } }).cpu;
      expect(at(0).R[4]).toBe(2 + 8 + 16);
      expect(at(5).R[4]).toBe(1 + 4 + 8 + 16);
      expect(at(7).R[4]).toBe(1 + 4 + 16);
      expect(at(-1).R[4]).toBe(1 + 8 + 16);
      expect(at(0).R[5]).toBe((CODE + 0x1e) | 1); // bl's return address, Thumb bit set
    });

    it('tbb and tbh jump through their tables', () => {
      const prog = [
        0xe8df, 0xf000, // tbb [pc, r0]
        0x0402, 0x0006, // .byte 2, 4, 6, 0
        0x210a, // movs r1, #10
        0xe002, // b.n done
        0x2114, // movs r1, #20
        0xe000, // b.n done
        0x211e, // movs r1, #30
        0xe8df, 0xf012, // done: tbh [pc, r2, lsl #1]
        0x0002, 0x0005, // .short 2, 5
        0x2301, // movs r3, #1
        0xf000, 0xb801, // b.w end
        0x2302, // movs r3, #2
        0xbf00, // end: nop
      ];
      for (const [r0, r1] of [[0, 10], [1, 20], [2, 30]]) {
        for (const [r2, r3] of [[0, 1], [1, 2]]) {
          const { cpu } = run(engine, prog, { regs: { 0: r0, 2: r2 } });
          expect([cpu.R[1], cpu.R[3]]).toEqual([r1, r3]);
        }
      }
    });

    it('interworking: blx to ARM code (register and immediate), bl within Thumb, bx lr back', () => {
      const { cpu } = run(engine, [
        0xa304, // adr r3, armfn
        0x4798, // blx r3
        0x3601, // adds r6, #1
        0xf000, 0xe806, // blx armfn
        0xf000, 0xf801, // bl thumbfn
        0xe005, // b.n end
        0x3610, // thumbfn: adds r6, #16
        0x4770, // bx lr
        0x6c01, 0xe286, // armfn (ARM): add r6, r6, #256
        0xff1e, 0xe12f, // bx lr
        0x4612, // end: mov r2, r2
      ], { regs: { 6: 0 } });
      expect(cpu.R[6]).toBe(256 + 1 + 256 + 16);
      expect(cpu.R[14]).toBe((CODE + 0xe) | 1);
    });

    it('exclusives: strex succeeds after ldrex and fails after clrex; mrc reads the TLS register', () => {
      const { cpu, mem } = run(engine, [
        0xe850, 0x1f00, // ldrex r1, [r0]
        0x3101, // adds r1, #1
        0xe840, 0x1200, // strex r2, r1, [r0]
        0xe850, 0x3f00, // ldrex r3, [r0]
        0xf3bf, 0x8f2f, // clrex
        0x3101, // adds r1, #1
        0xe840, 0x1400, // strex r4, r1, [r0]
        0xee1d, 0x5f70, // mrc p15, 0, r5, c13, c0, 3
      ], { regs: { 0: DATA }, tls: 0x4badf00d, data: (m) => m.view.setInt32(DATA, 41, true) });
      expect([cpu.R[2], cpu.R[3], cpu.R[4]]).toEqual([0, 42, 1]);
      expect(mem.view.getInt32(DATA, true)).toBe(42);
      expect(cpu.R[5]).toBe(0x4badf00d);
    });

    it('multiplies and divides match a 64-bit model', () => {
      const prog = [
        0xfb00, 0xf201, // mul.w r2, r0, r1
        0xfb00, 0x2301, // mla r3, r0, r1, r2
        0xfb00, 0x2411, // mls r4, r0, r1, r2
        0xfba0, 0x5601, // umull r5, r6, r0, r1
        0xfbc0, 0x7801, // smlal r7, r8, r0, r1
        0xfb90, 0xf9f1, // sdiv r9, r0, r1
        0xfbb0, 0xfaf1, // udiv sl, r0, r1
        0xfb10, 0xfb11, // smulbt fp, r0, r1
        0xfb50, 0xfc01, // smmul ip, r0, r1
      ];
      for (const [a, b] of [[-1000000, 0x30007], [0x7fffffff, -1], [-0x80000000, -1], [123, 0], [-5, 0xffff8000]]) {
        const { cpu } = run(engine, prog, { regs: { 0: a, 1: b, 7: -1, 8: 0 } });
        const p = s32(a) * s32(b);
        expect(cpu.R[2]).toBe(Number(BigInt.asIntN(32, p)));
        expect(cpu.R[3]).toBe(Number(BigInt.asIntN(32, 2n * p)));
        expect(cpu.R[4]).toBe(0);
        expect(BigInt(cpu.R[6] >>> 0) * 2n ** 32n + BigInt(cpu.R[5] >>> 0)).toBe(u(a) * u(b));
        expect(BigInt(cpu.R[8]) * 2n ** 32n + BigInt(cpu.R[7] >>> 0)).toBe(0xffffffffn + p);
        // Division by zero gives 0 (no trap); INT_MIN / -1 gives INT_MIN.
        expect(cpu.R[9]).toBe(b === 0 ? 0 : Number(BigInt.asIntN(32, s32(a) / s32(b))));
        expect(cpu.R[10] >>> 0).toBe(b === 0 ? 0 : Number(u(a) / u(b)));
        expect(cpu.R[11]).toBe((((a << 16) >> 16) * (b >> 16)) | 0);
        expect(cpu.R[12]).toBe(Number(BigInt.asIntN(32, p >> 32n)));
      }
    });

    it('bit fields, byte reversal, bit reversal, clz, extends', () => {
      const { cpu } = run(engine, [
        0xf3c0, 0x1807, // ubfx r8, r0, #4, #8
        0xf340, 0x1907, // sbfx r9, r0, #4, #8
        0xf361, 0x2a0b, // bfi sl, r1, #8, #4
        0xf36f, 0x0b03, // bfc fp, #0, #4
        0xba02, // rev r2, r0
        0xba43, // rev16 r3, r0
        0xbac4, // revsh r4, r0
        0xfa90, 0xf5a0, // rbit r5, r0
        0xfab1, 0xf681, // clz r6, r1
        0xfa51, 0xf790, // uxtab r7, r1, r0, ror #8
        0xfa0f, 0xfc80, // sxth.w ip, r0
      ], { regs: { 0: 0x12345f8c, 1: 0xab, 10: -1, 11: -1 } });
      expect(cpu.R[8]).toBe(0xf8);
      expect(cpu.R[9]).toBe(-8);
      expect(cpu.R[10] >>> 0).toBe(0xfffffbff);
      expect(cpu.R[11] >>> 0).toBe(0xfffffff0);
      expect(cpu.R[2] >>> 0).toBe(0x8c5f3412);
      expect(cpu.R[3] >>> 0).toBe(0x34128c5f);
      expect(cpu.R[4]).toBe(-0x73a1); // 0x8c5f sign-extended
      expect(cpu.R[5] >>> 0).toBe(0x31fa2c48);
      expect(cpu.R[6]).toBe(24);
      expect(cpu.R[7]).toBe(0xab + 0x5f);
      expect(cpu.R[12]).toBe(0x5f8c);
    });

    it('parallel byte arithmetic sets GE for sel; saturation sets Q', () => {
      const { cpu } = run(engine, [
        0xfa80, 0xf241, // uadd8 r2, r0, r1
        0xfaa0, 0xf381, // sel r3, r0, r1
        0xfac0, 0xf441, // usub8 r4, r0, r1
        0xfaa0, 0xf581, // sel r5, r0, r1
        0xfac0, 0xf651, // uqsub8 r6, r0, r1
        0xf381, 0x0808, // usat r8, #8, r1
        0xfa80, 0xf980, // qadd r9, r0, r0
      ], { regs: { 0: 0x80ff0102, 1: 0x01020304 } });
      expect(cpu.R[2] >>> 0).toBe(0x81010406);
      expect(cpu.R[3] >>> 0).toBe(0x01ff0304);
      expect(cpu.R[4] >>> 0).toBe(0x7ffdfefe);
      expect(cpu.R[5] >>> 0).toBe(0x80ff0304);
      expect(cpu.R[6] >>> 0).toBe(0x7ffd0000);
      expect(cpu.R[8]).toBe(255);
      expect(cpu.R[9]).toBe(-0x80000000);
      expect(cpu.R[Q]).toBe(1);
      const s = run(engine, [0xf300, 0x0707], { regs: { 0: -1000 } }).cpu; // ssat r7, #8, r0
      expect([s.R[7], s.R[Q]]).toEqual([-128, 1]);
      const t = run(engine, [0xf300, 0x0707], { regs: { 0: 100 } }).cpu;
      expect([t.R[7], t.R[Q]]).toEqual([100, 0]);
    });

    it('svc calls the syscall hook with its address and the Thumb bit; udf and undefined words raise SIGILL', () => {
      const calls: number[] = [];
      run(engine, [0xbf00, 0xdf00], { onSyscall: (pc) => calls.push(pc) }); // nop; svc 0
      expect(calls).toEqual([(CODE + 2) | 1]);
      expect(signalOf(engine, [0xde00])).toBe(SIGILL); // udf #0
      expect(signalOf(engine, [0xf7f0, 0xa001])).toBe(SIGILL); // udf.w #1
      expect(signalOf(engine, [0xbf00])).toBe(0); // nop runs on to the bkpt
    });

    it("Linux's Thumb breakpoints, udf #1 and udf.w #0, raise SIGTRAP at their address (as under qemu-user)", () => {
      for (const words of [[0xde01], [0xf7f0, 0xa000]]) {
        const mem = new GuestMemory(true);
        mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
        [0xbf00, ...words].forEach((h, i) => mem.view.setUint16(CODE + 2 * i, h, true)); // nop; udf
        let fault: GuestFault | undefined;
        runUntil(new ArmCpu(mem, () => {}), engine, CODE | 1, (e) => (fault = e).signal === SIGTRAP);
        expect(fault?.addr).toBe(CODE + 2);
      }
    });
  });
}

describe('T32 table', () => {
  it('disassembles from the same table', () => {
    expect(T32_TABLE.disassemble(0x1842, 0)).toBe('adds r2, r0, r1');
    expect(T32_TABLE.disassemble(0xf04f10ab | 0, 0)).toBe('mov r0, #0xab00ab');
    expect(T32_TABLE.disassemble(0xf000f802 | 0, 0x10016)).toBe('bl 1001e');
    expect(T32_TABLE.disassemble(0xe8bd4110 | 0, 0)).toBe('ldmia sp (wb 1), {0x4110}');
    expect(T32_TABLE.disassemble(0xde00, 0)).toBe('.word 0x0000de00');
  });

  it('decodes literal loads and preload hints ahead of the general forms they overlap', () => {
    // ldr.w r2, [pc, #-8]: its second halfword also reads as a register-offset form.
    expect(T32_TABLE.decode(0xf85f2008 | 0)?.code).toContain('$lit12');
    expect(T32_TABLE.field('lit12', 0xf85f2008 | 0, 0x1000)).toBe(0x1004 - 8);
    // pld [pc, #-4] and pld [r0, r1] are hints, not loads into the PC.
    expect(T32_TABLE.decode(0xf81ff004 | 0)?.name).toBe('pld');
    expect(T32_TABLE.decode(0xf810f001 | 0)?.name).toBe('pld');
    expect(T32_TABLE.decode(0xf890f010 | 0)?.name).toBe('pld');
  });

  it('16-bit defs leave bit 16 (inside an IT block) free and fix bits 31-17', () => {
    for (const d of T32_TABLE.defs) {
      if (d.match >>> 16 !== 0) continue;
      expect(d.mask & 0xfffe0000).toBe(0xfffe0000 | 0);
      expect(d.mask & 0x10000).toBe(0);
    }
  });
});

describe('an SVC inside an IT block', () => {
  // ite eq; svceq #0; movne r0, #2; bkpt
  const PROGRAM = [0xbf0c, 0xdf00, 0x2002, 0xbe00];
  for (const engine of ['interpreter', 'translator'] as const) {
    for (const z of [1, 0]) {
      it(`keeps the IT conditions after the SVC (${engine}, Z=${z})`, () => {
        const mem = new GuestMemory(true);
        mem.map(0x10000, 0x1000, PROT_READ | PROT_EXEC);
        PROGRAM.forEach((h, i) => mem.view.setUint16(0x10000 + 2 * i, h, true));
        let syscalls = 0;
        const cpu = new ArmCpu(mem, () => void syscalls++);
        cpu.R[17] = z;
        cpu.R[0] = 7;
        runUntil(cpu, engine, 0x10001, (e) => e.signal === SIGTRAP, 10);
        expect([syscalls, cpu.R[0]]).toEqual(z ? [1, 7] : [0, 2]);
      });
    }
  }
});
