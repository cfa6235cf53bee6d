// Per-instruction tests for A32 (ARM state): instruction words with expected registers and
// flags, each program run through the interpreter and through the translator. Expected
// flags come from an independent BigInt model of the ARM arithmetic.
import { describe, expect, it } from 'vitest';
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../src/memory/memory.js';
import { ArmCpu } from '../src/isa/arm/cpu.js';
import { C, N, Q, V, Z } from '../src/isa/arm/common.js';
import { GuestFault, SIGILL, SIGTRAP } from '../src/engine/signals.js';
import { Engine, Model, VALUES, add, nzcv, runUntil, s32, sub, u } from './support/arm.js';

const CODE = 0x10000, STACK = 0x20000;
const BKPT = 0xe1200070;
const MRS_R12 = 0xe10fc000; // mrs r12, apsr

function run(engine: Engine, words: number[], regs: Record<number, number> = {}, flags: Partial<Record<'N' | 'Z' | 'C' | 'V', number>> = {}) {
  const mem = new GuestMemory(true);
  mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  mem.map(STACK, 0x1000, PROT_READ | PROT_WRITE);
  [...words, BKPT].forEach((w, k) => mem.view.setUint32(CODE + 4 * k, w, true));
  const cpu = new ArmCpu(mem, () => {});
  cpu.R[13] = STACK + 0x800;
  for (const [r, v] of Object.entries(regs)) cpu.R[Number(r)] = v;
  for (const [f, v] of Object.entries(flags)) cpu.R[{ N, Z, C, V }[f as 'N']] = v;
  runUntil(cpu, engine, CODE, (e) => e.signal === SIGTRAP);
  return { cpu, mem };
}

interface ArithCase { name: string; word: number; model: Model }
const ARITH: ArithCase[] = [
  { name: 'adds r2, r0, r1', word: 0xe0902001, model: (a, b) => add(a, b, 0) },
  { name: 'subs r2, r0, r1', word: 0xe0502001, model: (a, b) => sub(a, b, 1) },
  { name: 'adcs r2, r0, r1', word: 0xe0b02001, model: add },
  { name: 'sbcs r2, r0, r1', word: 0xe0d02001, model: sub },
  { name: 'rsbs r2, r0, r1', word: 0xe0702001, model: (a, b) => sub(b, a, 1) },
  { name: 'cmn r0, r1 (flags only)', word: 0xe1700001, model: (a, b) => add(a, b, 0) },
];

for (const engine of ['interpreter', 'translator'] as const) {
  describe(`A32 through the ${engine}`, () => {
    for (const k of ARITH) {
      it(`${k.name}: result and NZCV over edge values`, () => {
        for (const a of VALUES) {
          for (const b of VALUES) {
            for (const cin of [0, 1]) {
              const { cpu } = run(engine, [k.word, MRS_R12], { 0: a, 1: b }, { C: cin });
              const m = k.model(a, b, cin);
              if (!k.name.startsWith('cmn')) expect(cpu.R[2] >>> 0).toBe(m.r >>> 0);
              expect((cpu.R[12] >>> 28).toString(2)).toBe(nzcv(m.r, m.c, m.v).toString(2));
            }
          }
        }
      });
    }

    it('shifter carry out: lsls #1, lsrs #32, rors by register, rrx', () => {
      let { cpu } = run(engine, [0xe1b07080, MRS_R12], { 0: 0x80000001 }); // lsls r7, r0, #1
      expect(cpu.R[7]).toBe(2);
      expect(cpu.R[12] >>> 28).toBe(0b0010);
      ({ cpu } = run(engine, [0xe1b08020, MRS_R12], { 0: 0x80000000 })); // lsrs r8, r0, #32
      expect(cpu.R[8]).toBe(0);
      expect(cpu.R[12] >>> 28).toBe(0b0110);
      ({ cpu } = run(engine, [0xe1b09170, MRS_R12], { 0: 0x000000f1, 1: 4 })); // rors r9, r0, r1
      expect(cpu.R[9] >>> 0).toBe(0x1000000f);
      expect(cpu.R[12] >>> 28).toBe(0b0000);
      ({ cpu } = run(engine, [0xe1b0a060, MRS_R12], { 0: 3 }, { C: 1 })); // rrxs r10, r0
      expect(cpu.R[10] >>> 0).toBe(0x80000001);
      expect(cpu.R[12] >>> 28).toBe(0b1010);
    });

    it('conditional execution follows cmp', () => {
      const prog = [0xe1500001, 0x028bb001, 0x128cc001, 0x828bb010, 0xb28cc010]; // cmp; addeq; addne; addhi; addlt
      const at = (a: number, b: number) => {
        const { cpu } = run(engine, prog, { 0: a, 1: b, 11: 0, 12: 0 });
        return [cpu.R[11], cpu.R[12]];
      };
      expect(at(5, 5)).toEqual([1, 0]);
      expect(at(6, 5)).toEqual([16, 1]);
      expect(at(-1, 5)).toEqual([16, 17]); // unsigned higher, signed less
      expect(at(4, 5)).toEqual([0, 17]);
    });

    it('long multiplies match a 64-bit model', () => {
      for (const a of VALUES) {
        for (const b of VALUES) {
          const { cpu } = run(engine, [0xe0832190, 0xe0e54190], { 0: a, 1: b, 4: 0x11111111, 5: -2 }); // umull r2,r3; smlal r4,r5
          expect(BigInt(cpu.R[3] >>> 0) * 2n ** 32n + BigInt(cpu.R[2] >>> 0)).toBe(u(a) * u(b));
          const acc = -2n * 2n ** 32n + 0x11111111n + s32(a) * s32(b);
          expect(BigInt(cpu.R[5]) * 2n ** 32n + BigInt(cpu.R[4] >>> 0)).toBe(BigInt.asIntN(64, acc));
        }
      }
    });

    it('loads and stores: writeback, post-index, ldm/stm, push/pop, ldrd, halfwords', () => {
      const { cpu, mem } = run(engine, [
        0xe5bd8004, // ldr r8, [sp, #4]!
        0xe40d0004, // str r0, [sp], #-4
        0xe92d0003, // push {r0, r1}
        0xe89d0600, // ldm sp, {r9, sl}
        0xe8bd0030, // pop {r4, r5}
        0xe1cd00b2, // strh r0, [sp, #2]
        0xe1dd60f2, // ldrsh r6, [sp, #2]
        0xe1dd70d2, // ldrsb r7, [sp, #2]
        0xe1cd20d4, // ldrd r2, r3, [sp, #4]
      ], { 0: 0x1234fedc, 1: 0x55 }, {});
      // sp: 0x20800 -> ldr pre-index 0x20804 -> str post-index 0x20800 -> push 0x207f8 -> pop 0x20800
      expect(cpu.R[13]).toBe(STACK + 0x800);
      expect(cpu.R[8]).toBe(0);
      expect(mem.view.getInt32(STACK + 0x804, true)).toBe(0x1234fedc);
      expect([cpu.R[9], cpu.R[10], cpu.R[4], cpu.R[5]]).toEqual([0x1234fedc, 0x55, 0x1234fedc, 0x55]);
      expect(cpu.R[6]).toBe(-0x124); // ldrsh of 0xfedc
      expect(cpu.R[7]).toBe(-0x24); // ldrsb of 0xdc
      expect([cpu.R[2], cpu.R[3]]).toEqual([0x1234fedc, 0]);
    });

    it('bit fields, byte reversal, extends, movw/movt', () => {
      const { cpu } = run(engine, [
        0xe7e78250, // ubfx r8, r0, #4, #8
        0xe7a79250, // sbfx r9, r0, #4, #8
        0xe7cba411, // bfi sl, r1, #8, #4
        0xe6bfbf30, // rev fp, r0
        0xe6efc470, // uxtb ip, r0, ror #8
        0xe6bf2070, // sxth r2, r0
        0xe3013234, // movw r3, #0x1234
        0xe3453678, // movt r3, #0x5678
        0xe16f7f11, // clz r7, r1
      ], { 0: 0x12345f8c, 1: 0xab, 10: -1 });
      expect(cpu.R[8]).toBe(0xf8);
      expect(cpu.R[9]).toBe(-8);
      expect(cpu.R[10] >>> 0).toBe(0xfffffbff);
      expect(cpu.R[11] >>> 0).toBe(0x8c5f3412);
      expect(cpu.R[12]).toBe(0x5f);
      expect(cpu.R[2]).toBe(0x5f8c);
      expect(cpu.R[3]).toBe(0x56781234);
      expect(cpu.R[7]).toBe(24);
    });

    it('DSP: smulbt, saturating qadd sets Q, usat clamps', () => {
      const { cpu } = run(engine, [0xe16401c0, 0xe1005050, 0xe6e86010], { 0: 0x7fff0003, 1: -0x20000 }); // smulbt r4,r0,r1; qadd r5,r0,r0; usat r6,#8,r0
      expect(cpu.R[4]).toBe(3 * -2);
      expect(cpu.R[5]).toBe(0x7fffffff);
      expect(cpu.R[Q]).toBe(1);
      expect(cpu.R[6]).toBe(255);
    });

    it('ARMv6 media multiplies and halving adds (Rust code in ARM state uses them), and the CP15 barriers', () => {
      const lo = (x: number) => BigInt((x << 16) >> 16), hi = (x: number) => BigInt(x >> 16);
      const byte = (x: number, i: number) => (x >>> (8 * i)) & 255;
      for (const a of VALUES) {
        for (const b of [0x7fff8000, -1, 0x00010003, 0x80008000]) {
          const c = 0x40000000, accLo = 0x90000000, accHi = 5;
          const { cpu } = run(engine, [
            0xe702f110, // smuad r2, r0, r1
            0xe7034130, // smladx r3, r0, r1, r4
            0xe7054150, // smlsd r5, r0, r1, r4
            0xe7476110, // smlald r6, r7, r0, r1
            0xee073fba, // mcr p15, 0, r3, c7, c10, 5 (dmb)
            0xe758f130, // smmulr r8, r0, r1
            0xe75941d0, // smmls r9, r0, r1, r4
            0xe78a4110, // usada8 sl, r0, r1, r4
            0xe630bf11, // shadd16 fp, r0, r1
          ], { 0: a, 1: b, 4: c, 6: accLo, 7: accHi });
          const p1 = lo(a) * lo(b), p2 = hi(a) * hi(b), x1 = lo(a) * hi(b), x2 = hi(a) * lo(b);
          expect(cpu.R[2]).toBe(Number(BigInt.asIntN(32, p1 + p2)));
          expect(cpu.R[3]).toBe(Number(BigInt.asIntN(32, x1 + x2 + BigInt(c))));
          expect(cpu.R[5]).toBe(Number(BigInt.asIntN(32, p1 - p2 + BigInt(c))));
          const acc = BigInt.asIntN(64, (BigInt(accHi) << 32n) + BigInt(accLo) + p1 + p2);
          expect([cpu.R[6], cpu.R[7]]).toEqual([Number(BigInt.asIntN(32, acc)), Number(acc >> 32n)]);
          expect(cpu.R[8]).toBe(Number(BigInt.asIntN(32, (s32(a) * s32(b) + 0x80000000n) >> 32n)));
          expect(cpu.R[9]).toBe(Number(BigInt.asIntN(32, ((BigInt(c) << 32n) - s32(a) * s32(b)) >> 32n)));
          let sad = c;
          for (let i = 0; i < 4; i++) sad += Math.abs(byte(a, i) - byte(b, i));
          expect(cpu.R[10]).toBe(sad | 0);
          expect(cpu.R[11] >>> 0).toBe(((((Number(lo(a) + lo(b)) >> 1) & 0xffff) | (Number((hi(a) + hi(b)) >> 1n) << 16)) >>> 0));
          // SMUAD's Q: set only when both products are 0x8000 * 0x8000.
          expect(cpu.R[Q]).toBe(p1 + p2 === 2n ** 31n || x1 + x2 + BigInt(c) >= 2n ** 31n || p1 - p2 + BigInt(c) >= 2n ** 31n ? 1 : 0);
        }
      }
    });

    it('byte-pair extends, halfword-pair saturation, SETEND LE and the preload hints (libdav1d and pixman in ARM state use them)', () => {
      const half = (x: number, i: number) => (x >>> (16 * i)) & 0xffff;
      const sat = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
      for (const a of VALUES) {
        for (const b of [0x80ff7f01, -1, 0x00010003, 0x7fff8000]) {
          const { cpu } = run(engine, [
            0xe6c10472, // uxtab16 r0, r1, r2, ror #8
            0xe6813072, // sxtab16 r3, r1, r2
            0xe68f4872, // sxtb16 r4, r2, ror #16
            0xe6a35f31, // ssat16 r5, #4, r1
            0xe6e46f32, // usat16 r6, #4, r2
            0xf1010000, // setend le
            0xf6d1f102, // pli [r1, r2, lsl #2]
            0xf791f102, // pldw [r1, r2, lsl #2]
            0xf751f1c2, // pld [r1, -r2, asr #3]
          ], { 1: a, 2: b });
          const rot8 = ((b >>> 8) | (b << 24)) >>> 0, rot16 = ((b >>> 16) | (b << 16)) >>> 0;
          const sbyte = (x: number, i: number) => ((x >>> (8 * i)) << 24) >> 24, ubyte = (x: number, i: number) => (x >>> (8 * i)) & 255;
          const pair = (l: number, h: number) => ((l & 0xffff) | ((h & 0xffff) << 16)) >>> 0;
          expect(cpu.R[0] >>> 0).toBe(pair(half(a, 0) + ubyte(rot8, 0), half(a, 1) + ubyte(rot8, 2)));
          expect(cpu.R[3] >>> 0).toBe(pair(half(a, 0) + sbyte(b, 0), half(a, 1) + sbyte(b, 2)));
          expect(cpu.R[4] >>> 0).toBe(pair(sbyte(rot16, 0), sbyte(rot16, 2)));
          const sh = (x: number, i: number) => (half(x, i) << 16) >> 16;
          expect(cpu.R[5] >>> 0).toBe(pair(sat(sh(a, 0), -8, 7), sat(sh(a, 1), -8, 7)));
          expect(cpu.R[6] >>> 0).toBe(pair(sat(sh(b, 0), 0, 15), sat(sh(b, 1), 0, 15)));
        }
      }
    });

    it('CPS in user mode is a no-op, as on Linux (it was SIGILL)', () => {
      const { cpu } = run(engine, [
        0xf1080080, // cpsie i
        0xf10c01c0, // cpsid aif
        0xf10e01d0, // cpsid aif, #16
        0xf1020010, // cps #16
        0xe3a00007, // mov r0, #7
      ], {});
      expect(cpu.R[0]).toBe(7);
    });

    it('Q set by a saturation in the same block as msr/mrs survives translation', () => {
      // msr APSR_nzcvq, r4; qadd r0, r1, r2; mrs r5, apsr
      const { cpu } = run(engine, [0xe128f004, 0xe1020051, 0xe10f5000], { 1: 0x7fffffff, 2: 1, 4: 0 });
      expect(cpu.R[0]).toBe(0x7fffffff);
      expect(cpu.R[5] >>> 0).toBe(0x08000010);
    });
  });
}

describe('A32 should-be-zero fields', () => {
  // MUL, SMULxy and SMULWy with bits 15-12 set are SIGILL under qemu-user (found by the ARM
  // random-instruction tester); with them clear they decode.
  const words: [string, number, number][] = [
    ['mul r3, r1, r2', 0xe0035291, 0xe0030291],
    ['smulbb r3, r1, r2', 0xe1635281, 0xe1630281],
    ['smulwb r3, r1, r2', 0xe12352a1, 0xe12302a1],
  ];
  const decode = (w: number) => {
    const mem = new GuestMemory(true);
    mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
    mem.view.setUint32(CODE, w, true);
    return new ArmCpu(mem, () => {}).scanBlock(CODE).insns[0].def;
  };
  for (const [name, bad, good] of words) {
    it(`${name}: undefined with bits 15-12 set`, () => {
      expect(decode(bad)).toBeNull();
      expect(decode(good)).not.toBeNull();
    });
  }
});

describe('A32 block ends', () => {
  /** How many instructions the block at CODE holds: these words, then a branch to itself. */
  const blockLength = (words: number[]) => {
    const mem = new GuestMemory(true);
    mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
    [...words, 0xeafffffe].forEach((w, i) => mem.view.setUint32(CODE + 4 * i, w, true));
    return new ArmCpu(mem, () => {}).scanBlock(CODE).insns.length;
  };
  const ADD = 0xe0833002; // add r3, r3, r2

  it('go on past a literal load (ldr r3, [pc, #8]: no write-back, so no PC write)', () => {
    expect(blockLength([0xe59f3008, ADD])).toBe(3);
    expect(blockLength([0xe1cf20d8, ADD])).toBe(3); // ldrd r2, r3, [pc, #8]
  });

  it('stop at a load that writes the PC back or loads it', () => {
    expect(blockLength([0xe49f3004, ADD])).toBe(1); // ldr r3, [pc], #4 (post-indexed)
    expect(blockLength([0xe5bf3008, ADD])).toBe(1); // ldr r3, [pc, #8]!
    expect(blockLength([0xe59ff008, ADD])).toBe(1); // ldr pc, [pc, #8]
  });

  it('go on past an ldm without the PC in its list, stop at one with it', () => {
    expect(blockLength([0xe8900006, ADD])).toBe(3); // ldm r0, {r1, r2}
    expect(blockLength([0xe8908002, ADD])).toBe(1); // ldm r0, {r1, pc}
  });

  it('in Thumb too: pop and ldmia.w end a block only when they load the PC', () => {
    /** The Thumb block at CODE: these halfwords, then a branch to itself. */
    const thumbLength = (halfwords: number[]) => {
      const mem = new GuestMemory(true);
      mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
      [...halfwords, 0xe7fe].forEach((h, i) => mem.view.setUint16(CODE + 2 * i, h, true));
      return new ArmCpu(mem, () => {}).scanBlock(CODE | 1).insns.length;
    };
    const ADDS = 0x1889; // adds r1, r1, r2
    expect(thumbLength([0xbc30, ADDS])).toBe(3); // pop {r4, r5}
    expect(thumbLength([0xbd30, ADDS])).toBe(1); // pop {r4, r5, pc}
    expect(thumbLength([0xe890, 0x0006, ADDS])).toBe(3); // ldmia.w r0, {r1, r2}
    expect(thumbLength([0xe890, 0x8002, ADDS])).toBe(1); // ldmia.w r0, {r1, pc}
  });
});

describe("Linux's ARM breakpoint", () => {
  // 0x?7f001f0 is undefined, but Linux's undef hook makes it SIGTRAP under any condition (gdb's
  // breakpoint, Go's runtime.Breakpoint); qemu-user does the same. Other UDF words stay SIGILL.
  const faultOf = (w: number, engine: Engine) => {
    const mem = new GuestMemory(true);
    mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
    mem.view.setUint32(CODE, 0xe1a00000, true); // mov r0, r0
    mem.view.setUint32(CODE + 4, w, true);
    let fault: GuestFault | undefined;
    try {
      runUntil(new ArmCpu(mem, () => {}), engine, CODE, (e) => !!(fault = e));
    } catch (e) {
      if (!(e instanceof GuestFault)) throw e;
      fault = e;
    }
    return [fault?.signal, fault?.addr];
  };
  for (const engine of ['interpreter', 'translator'] as const) {
    it(`raises SIGTRAP at its address, whatever its condition (${engine})`, () => {
      expect(faultOf(0xe7f001f0, engine)).toEqual([SIGTRAP, CODE + 4]);
      expect(faultOf(0x07f001f0, engine)).toEqual([SIGTRAP, CODE + 4]);
      expect(faultOf(0xe7f002f0, engine)).toEqual([SIGILL, CODE + 4]);
    });
  }
});

describe("the kernel's __kuser_cmpxchg (0xffff0fc0)", () => {
  // Linux's helper ends with `subs r3, r3, r0` (current - oldval) and `rsbs r0, r3, #0`: r0 is
  // 0 when it stored and oldval - current when not, r3 the difference, the flags those of the
  // rsbs (C: it stored). Checked against the flag model over edge values.
  const BLX_R12 = 0xe12fff3c;
  const cmpxchg = (engine: Engine, current: number, oldval: number) => {
    const mem = new GuestMemory(true);
    mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
    mem.map(STACK, 0x1000, PROT_READ | PROT_WRITE);
    [BLX_R12, MRS_R12, BKPT].forEach((w, k) => mem.view.setUint32(CODE + 4 * k, w, true));
    mem.view.setInt32(STACK, current, true);
    const cpu = new ArmCpu(mem, () => {});
    cpu.mapKuserPage();
    cpu.R[0] = oldval;
    cpu.R[1] = 0x5a5a5a5a;
    cpu.R[2] = STACK;
    cpu.R[12] = 0xffff0fc0;
    runUntil(cpu, engine, CODE, (e) => e.signal === SIGTRAP);
    return { r0: cpu.R[0] >>> 0, r3: cpu.R[3] >>> 0, flags: cpu.R[12] >>> 28, word: mem.view.getUint32(STACK, true) };
  };
  for (const engine of ['interpreter', 'translator'] as const) {
    it(`returns oldval - current, the difference in r3 and the flags of rsbs r0, r3, #0 (${engine})`, () => {
      for (const current of VALUES) {
        for (const oldval of [...VALUES, current]) {
          const diff = sub(current, oldval, 1).r;
          const m = sub(0, diff, 1);
          expect(cmpxchg(engine, current, oldval)).toEqual({
            r0: m.r >>> 0, r3: diff >>> 0, flags: nzcv(m.r, m.c, m.v), word: (diff === 0 ? 0x5a5a5a5a : current) >>> 0,
          });
        }
      }
    });
  }
});
