// Per-instruction tests for VFPv3-D32 and Advanced SIMD (NEON). Each case is one instruction,
// named by its assembly: its A32 and T32 encodings (from GNU as), the register and memory
// state it starts from, and the state it must leave, recorded by running the same
// instruction under qemu-arm (ARM and Thumb state gave the same results). Every case runs
// in both encodings, through the interpreter and through the translator, with FPSCR's
// exception flags tracked (as after the guest reads FPSCR) and untracked; an instruction
// that does not decode fails its case with SIGILL, by name.
//
// The starting state: every VFP word k holds 0xc0de0000 + k * 0x0101 and every core
// register rn 0x1000 + 0x111 * n, then the case's setup: d (64-bit hex), q ([low, high]),
// s (words), r ('buf+k' is an address in the data page), fpscr, mem (the data buffer holds
// bytes 0x10-0x4f instead of 0xee). The expectation lists what changes: d, s, r, apsr (NZCVQ),
// fpscr, and mem as [offset, bytes].
import { describe, expect, it } from 'vitest';
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../src/memory/memory.js';
import { ArmCpu } from '../src/isa/arm/cpu.js';
import { A32_TABLE } from '../src/isa/arm/a32.js';
import { FPSCR_TRACK } from '../src/isa/arm/vfp.js';
import { C, N, Q, V, Z } from '../src/isa/arm/common.js';
import { SIGTRAP } from '../src/engine/signals.js';
import { runUntil } from './support/arm.js';

interface Setup {
  d?: Record<number, string>;
  q?: Record<number, [string, string]>;
  s?: Record<number, number>;
  r?: Record<number, number | string>;
  fpscr?: number;
  mem?: boolean;
}
interface Want {
  d?: Record<number, string>;
  s?: Record<number, number>;
  r?: Record<number, number | string>;
  apsr?: number;
  fpscr?: number;
  mem?: [number, string];
}
interface Case { asm: string; a32: number; t32: number; set: Setup; want: Want; note?: string }

const cases: Case[] = [];
function c(asm: string, a32: number, t32: number, set: Setup, want: Want, note?: string): void {
  cases.push({ asm, a32, t32, set, want, note });
}


// ---- VFP arithmetic ----
c('vadd.f64 d0, d1, d2', 0xee310b02, 0xee310b02, { d: { 1: '3ff0000000000000', 2: '4000000000000000' } },
    { d: { 0: '4008000000000000' } });
c('vadd.f32 s0, s1, s2', 0xee300a81, 0xee300a81, { s: { 1: 0x3f800000, 2: 0x40000000 } },
    { s: { 0: 0x40400000 } });
c('vsub.f64 d16, d17, d31', 0xee710bef, 0xee710bef, { d: { 17: '3ff0000000000000', 31: '4008000000000000' } },
    { d: { 16: 'c000000000000000' } });
c('vsub.f32 s3, s4, s5', 0xee721a62, 0xee721a62, { s: { 4: 0x3f800000, 5: 0x3eaaaaab } },
    { s: { 3: 0x3f2aaaaa }, fpscr: 0x00000010 });
c('vmul.f64 d0, d1, d2', 0xee210b02, 0xee210b02, { d: { 1: '4008000000000000', 2: '3fd5555555555555' } },
    { d: { 0: '3ff0000000000000' }, fpscr: 0x00000010 });
c('vmul.f32 s0, s1, s2', 0xee200a81, 0xee200a81, { s: { 1: 0x40400000, 2: 0xc0490fdb } },
    { s: { 0: 0xc116cbe4 }, fpscr: 0x00000010 });
c('vdiv.f64 d0, d1, d2', 0xee810b02, 0xee810b02, { d: { 1: '3ff0000000000000', 2: '4008000000000000' } },
    { d: { 0: '3fd5555555555555' }, fpscr: 0x00000010 });
c('vdiv.f32 s0, s1, s2', 0xee800a81, 0xee800a81, { s: { 1: 0x3f800000, 2: 0x40400000 } },
    { s: { 0: 0x3eaaaaab }, fpscr: 0x00000010 });
c('vdiv.f64 d0, d1, d2', 0xee810b02, 0xee810b02, { d: { 1: '3ff0000000000000', 2: '4008000000000000' }, fpscr: 0x00400000 },
    { d: { 0: '3fd5555555555556' }, fpscr: 0x00400010 }, 'round toward +inf, inexact');
c('vdiv.f64 d0, d1, d2', 0xee810b02, 0xee810b02, { d: { 1: '3ff0000000000000', 2: '4008000000000000' }, fpscr: 0x00c00000 },
    { d: { 0: '3fd5555555555555' }, fpscr: 0x00c00010 }, 'round toward zero');
c('vdiv.f32 s0, s1, s2', 0xee800a81, 0xee800a81, { s: { 1: 0xbf800000, 2: 0x40400000 }, fpscr: 0x00800000 },
    { s: { 0: 0xbeaaaaab }, fpscr: 0x00800010 }, 'round toward -inf');
// With Inexact already flagged (IXC, as in most programs once libc has read FPSCR), an ordinary
// result takes the inline path and leaves FPSCR as it is; any other raises its flags.
const IXC_SET = 'Inexact already flagged';
c('vadd.f64 d0, d1, d2', 0xee310b02, 0xee310b02, { d: { 1: '3ff0000000000000', 2: '4000000000000000' }, fpscr: 0x10 },
    { d: { 0: '4008000000000000' }, fpscr: 0x10 }, IXC_SET);
c('vmul.f64 d0, d1, d2', 0xee210b02, 0xee210b02, { d: { 1: '7e37e43c8800759c', 2: '7e37e43c8800759c' }, fpscr: 0x10 },
    { d: { 0: '7ff0000000000000' }, fpscr: 0x14 }, `${IXC_SET}, 1e300 * 1e300 overflows`);
c('vmul.f64 d0, d1, d2', 0xee210b02, 0xee210b02, { d: { 1: '01a56e1fc2f8f359', 2: '01a56e1fc2f8f359' }, fpscr: 0x10 },
    { d: { 0: '0000000000000000' }, fpscr: 0x18 }, `${IXC_SET}, 1e-300 * 1e-300 underflows`);
c('vmul.f32 s0, s1, s2', 0xee200a81, 0xee200a81, { s: { 1: 0x1e3ce508, 2: 0x1e3ce508 }, fpscr: 0x10 },
    { s: { 0: 0x000116c2 }, fpscr: 0x18 }, `${IXC_SET}, 1e-20 * 1e-20 is subnormal`);
c('vdiv.f64 d0, d1, d2', 0xee810b02, 0xee810b02, { d: { 1: '3ff0000000000000', 2: '0000000000000000' }, fpscr: 0x10 },
    { d: { 0: '7ff0000000000000' }, fpscr: 0x12 }, `${IXC_SET}, 1 / 0`);
c('vadd.f64 d0, d1, d2', 0xee310b02, 0xee310b02, { d: { 1: '7ff0000000000000', 2: 'fff0000000000000' }, fpscr: 0x10 },
    { d: { 0: '7ff8000000000000' }, fpscr: 0x11 }, `${IXC_SET}, inf + -inf`);
c('vsqrt.f64 d0, d1', 0xeeb10bc1, 0xeeb10bc1, { d: { 1: 'bff0000000000000' }, fpscr: 0x10 },
    { d: { 0: '7ff8000000000000' }, fpscr: 0x11 }, `${IXC_SET}, sqrt(-1)`);
c('vmla.f64 d0, d1, d2', 0xee010b02, 0xee010b02, { d: { 0: '3ff0000000000000', 1: '7e37e43c8800759c', 2: '7e37e43c8800759c' }, fpscr: 0x10 },
    { d: { 0: '7ff0000000000000' }, fpscr: 0x14 }, `${IXC_SET}, the product overflows`);
c('vdiv.f64 d0, d1, d2', 0xee810b02, 0xee810b02, { d: { 1: '3ff0000000000000', 2: '0000000000000000' } },
    { d: { 0: '7ff0000000000000' }, fpscr: 0x00000002 }, 'division by zero flag');
c('vadd.f64 d0, d1, d2', 0xee310b02, 0xee310b02, { d: { 1: '7ff0000000000000', 2: 'fff0000000000000' } },
    { d: { 0: '7ff8000000000000' }, fpscr: 0x00000001 }, 'inf - inf: default NaN, invalid');
c('vadd.f64 d0, d1, d2', 0xee310b02, 0xee310b02, { d: { 1: '3ff0000000000000', 2: '7ff0000000000456' } },
    { d: { 0: '7ff8000000000456' }, fpscr: 0x00000001 }, 'signalling NaN quieted');
c('vadd.f64 d0, d1, d2', 0xee310b02, 0xee310b02, { d: { 1: '7ff8000000000123', 2: '7ff0000000000456' } },
    { d: { 0: '7ff8000000000456' }, fpscr: 0x00000001 }, 'first signalling NaN wins');
c('vmul.f32 s0, s1, s2', 0xee200a81, 0xee200a81, { s: { 1: 0x7fc00123, 2: 0xffc00456 } },
    { s: { 0: 0x7fc00123 } }, 'first quiet NaN');
c('vadd.f64 d0, d1, d2', 0xee310b02, 0xee310b02, { d: { 1: '7ff8000000000123', 2: '3ff0000000000000' }, fpscr: 0x02000000 },
    { d: { 0: '7ff8000000000000' } }, 'default NaN mode');
c('vmul.f64 d0, d1, d2', 0xee210b02, 0xee210b02, { d: { 1: '7fefffffffffffff', 2: '4000000000000000' } },
    { d: { 0: '7ff0000000000000' }, fpscr: 0x00000014 }, 'overflow');
c('vmul.f64 d0, d1, d2', 0xee210b02, 0xee210b02, { d: { 1: '0010000000000000', 2: '3fd5555555555555' } },
    { d: { 0: '0005555555555555' }, fpscr: 0x00000018 }, 'underflow');
c('vadd.f64 d0, d1, d2', 0xee310b02, 0xee310b02, { d: { 1: '3ff0000000000000', 2: 'bff0000000000000' }, fpscr: 0x00800000 },
    { d: { 0: '8000000000000000' } }, 'exact zero is -0 rounding down');
c('vnmul.f64 d0, d1, d2', 0xee210b42, 0xee210b42, { d: { 1: '4000000000000000', 2: '4008000000000000' } },
    { d: { 0: 'c018000000000000' } });
c('vnmul.f32 s0, s1, s2', 0xee200ac1, 0xee200ac1, { s: { 1: 0x40000000, 2: 0x40400000 } },
    { s: { 0: 0xc0c00000 } });
c('vmla.f64 d0, d1, d2', 0xee010b02, 0xee010b02, { d: { 0: '3ff0000000000000', 1: '4000000000000000', 2: '4008000000000000' } },
    { s: { 1: 0x401c0000 } });
c('vmla.f32 s0, s1, s2', 0xee000a81, 0xee000a81, { s: { 0: 0x3f800000, 1: 0x40000000, 2: 0x40400000 } },
    { s: { 0: 0x40e00000 } });
c('vmls.f64 d0, d1, d2', 0xee010b42, 0xee010b42, { d: { 0: '3ff0000000000000', 1: '4000000000000000', 2: '4008000000000000' } },
    { s: { 1: 0xc0140000 } });
c('vmls.f32 s0, s1, s2', 0xee000ac1, 0xee000ac1, { s: { 0: 0x3f800000, 1: 0x40000000, 2: 0x40400000 } },
    { s: { 0: 0xc0a00000 } });
c('vnmla.f64 d0, d1, d2', 0xee110b42, 0xee110b42, { d: { 0: '3ff0000000000000', 1: '4000000000000000', 2: '4008000000000000' } },
    { s: { 1: 0xc01c0000 } });
c('vnmla.f32 s0, s1, s2', 0xee100ac1, 0xee100ac1, { s: { 0: 0x3f800000, 1: 0x40000000, 2: 0x40400000 } },
    { s: { 0: 0xc0e00000 } });
c('vnmls.f64 d0, d1, d2', 0xee110b02, 0xee110b02, { d: { 0: '3ff0000000000000', 1: '4000000000000000', 2: '4008000000000000' } },
    { s: { 1: 0x40140000 } });
c('vnmls.f32 s0, s1, s2', 0xee100a81, 0xee100a81, { s: { 0: 0x3f800000, 1: 0x40000000, 2: 0x40400000 } },
    { s: { 0: 0x40a00000 } });
c('vmla.f64 d0, d1, d2', 0xee010b02, 0xee010b02, { d: { 0: 'bff0000000000000', 1: '3ff0000000000001', 2: '3feffffffffffffe' } },
    { s: { 1: 0x00000000 }, fpscr: 0x00000010 }, 'chained: the product is rounded');
c('vfma.f64 d0, d1, d2', 0xeea10b02, 0xeea10b02, { d: { 0: 'bff0000000000000', 1: '3ff0000000000001', 2: '3feffffffffffffe' } },
    { s: { 1: 0xb9700000 } }, 'fused: exact product');
c('vfma.f32 s0, s1, s2', 0xeea00a81, 0xeea00a81, { s: { 0: 0xbf800000, 1: 0x3f800001, 2: 0x3f7ffffe } },
    { s: { 0: 0xa8800000 } }, 'fused single');
c('vfms.f64 d0, d1, d2', 0xeea10b42, 0xeea10b42, { d: { 0: '3ff0000000000000', 1: '4000000000000000', 2: '4008000000000000' } },
    { s: { 1: 0xc0140000 } });
c('vfms.f32 s0, s1, s2', 0xeea00ac1, 0xeea00ac1, { s: { 0: 0x3f800000, 1: 0x40000000, 2: 0x40400000 } },
    { s: { 0: 0xc0a00000 } });
c('vfnma.f64 d0, d1, d2', 0xee910b42, 0xee910b42, { d: { 0: '3ff0000000000000', 1: '4000000000000000', 2: '4008000000000000' } },
    { s: { 1: 0xc01c0000 } });
c('vfnma.f32 s0, s1, s2', 0xee900ac1, 0xee900ac1, { s: { 0: 0x3f800000, 1: 0x40000000, 2: 0x40400000 } },
    { s: { 0: 0xc0e00000 } });
c('vfnms.f64 d0, d1, d2', 0xee910b02, 0xee910b02, { d: { 0: '3ff0000000000000', 1: '4000000000000000', 2: '4008000000000000' } },
    { s: { 1: 0x40140000 } });
c('vfnms.f32 s0, s1, s2', 0xee900a81, 0xee900a81, { s: { 0: 0x3f800000, 1: 0x40000000, 2: 0x40400000 } },
    { s: { 0: 0x40a00000 } });
c('vfma.f64 d0, d1, d2', 0xeea10b02, 0xeea10b02, { d: { 0: '3ff0000000000000', 1: '4340000000000001', 2: '3cb0000000000001' }, fpscr: 0x00400000 },
    { d: { 0: '4008000000000003' }, fpscr: 0x00400010 }, 'fused, rounding up');
c('vsqrt.f64 d0, d1', 0xeeb10bc1, 0xeeb10bc1, { d: { 1: '4000000000000000' } },
    { d: { 0: '3ff6a09e667f3bcd' }, fpscr: 0x00000010 });
c('vsqrt.f32 s0, s1', 0xeeb10ae0, 0xeeb10ae0, { s: { 1: 0x40000000 } },
    { s: { 0: 0x3fb504f3 }, fpscr: 0x00000010 });
c('vsqrt.f64 d0, d1', 0xeeb10bc1, 0xeeb10bc1, { d: { 1: 'bff0000000000000' } },
    { d: { 0: '7ff8000000000000' }, fpscr: 0x00000001 }, 'negative: default NaN, invalid');
c('vabs.f64 d0, d1', 0xeeb00bc1, 0xeeb00bc1, { d: { 1: 'c008000000000000' } },
    { d: { 0: '4008000000000000' } });
c('vabs.f32 s0, s1', 0xeeb00ae0, 0xeeb00ae0, { s: { 1: 0xffc00001 } },
    { s: { 0: 0x7fc00001 } }, 'NaN sign cleared, no processing');
c('vneg.f64 d0, d1', 0xeeb10b41, 0xeeb10b41, { d: { 1: '7ff0000000000456' } },
    { d: { 0: 'fff0000000000456' } }, 'NaN sign flipped, not quieted');
c('vneg.f32 s0, s1', 0xeeb10a60, 0xeeb10a60, { s: { 1: 0x40400000 } },
    { s: { 0: 0xc0400000 } });
c('vmov.f64 d0, d1', 0xeeb00b41, 0xeeb00b41, { d: { 1: '7ff8000000000123' } },
    { d: { 0: '7ff8000000000123' } });
c('vmov.f32 s0, s1', 0xeeb00a60, 0xeeb00a60, { s: { 1: 0x12345678 } },
    { s: { 0: 0x12345678 } });
c('vmov.f64 d0, #-1.5', 0xeebf0b08, 0xeebf0b08, {},
    { d: { 0: 'bff8000000000000' } });
c('vmov.f32 s0, #0.125', 0xeeb40a00, 0xeeb40a00, {},
    { s: { 0: 0x3e000000 } });
c('vmov.f64 d31, #31.0', 0xeef3fb0f, 0xeef3fb0f, {},
    { d: { 31: '403f000000000000' } });

// ---- flush-to-zero (FPSCR.FZ): subnormal inputs are zeros (IDC), results tiny before rounding
// become zeros (UFC, no IXC); values from qemu-arm -cpu cortex-a15 ----
const FZ = 0x01000000;
c('vadd.f32 s0, s1, s2', 0xee300a81, 0xee300a81, { s: { 1: 0x00000001, 2: 0x3f800000 }, fpscr: FZ },
    { s: { 0: 0x3f800000 }, fpscr: FZ | 0x80 }, 'FZ: a subnormal input is zero, IDC');
c('vadd.f32 s0, s1, s2', 0xee300a81, 0xee300a81, { s: { 1: 0x00000001, 2: 0x00000001 }, fpscr: FZ },
    { s: { 0: 0 }, fpscr: FZ | 0x80 }, 'FZ: subnormal + subnormal');
// (Found by the random-instruction tester: a result near the smallest normal lost the IDC of a flushed input.)
c('vfma.f64 d0, d1, d2', 0xeea10b02, 0xeea10b02, { d: { 0: '0000000000000001', 1: '1a70000000000000', 2: '2590000000000000' }, fpscr: FZ },
    { d: { 0: '0010000000000000' }, fpscr: FZ | 0x80 }, 'FZ: fused, a subnormal input keeps IDC when the result is the smallest normal');
c('vmul.f32 s0, s1, s2', 0xee200a81, 0xee200a81, { s: { 1: 0x00800001, 2: 0x3f000000 }, fpscr: FZ },
    { s: { 0: 0 }, fpscr: FZ | 0x08 }, 'FZ: a tiny exact product flushes, UFC without IXC');
c('vmul.f32 s0, s1, s2', 0xee200a81, 0xee200a81, { s: { 1: 0x00ffffff, 2: 0x3f000000 }, fpscr: FZ | 0xc00000 },
    { s: { 0: 0 }, fpscr: FZ | 0xc00008 }, 'FZ, round toward zero');
c('vmul.f64 d0, d1, d2', 0xee210b02, 0xee210b02, { d: { 1: '001fffffffffffff', 2: '3fe0000000000000' }, fpscr: FZ },
    { d: { 0: '0000000000000000' }, fpscr: FZ | 0x08 }, 'FZ: tiny before rounding though it rounds to the smallest normal');
c('vmul.f64 d0, d1, d2', 0xee210b02, 0xee210b02, { d: { 1: '0010000000000001', 2: '3fefffffffffffff' }, fpscr: FZ },
    { d: { 0: '0010000000000000' }, fpscr: FZ | 0x10 }, 'FZ: just above the smallest normal, rounded down to it');
c('vdiv.f32 s0, s1, s2', 0xee800a81, 0xee800a81, { s: { 1: 0x00800000, 2: 0x40000000 }, fpscr: FZ },
    { s: { 0: 0 }, fpscr: FZ | 0x08 }, 'FZ: tiny quotient');
c('vsqrt.f64 d0, d1', 0xeeb10bc1, 0xeeb10bc1, { d: { 1: '000fffffffffffff' }, fpscr: FZ },
    { d: { 0: '0000000000000000' }, fpscr: FZ | 0x80 }, 'FZ: subnormal input');
c('vmla.f32 s0, s1, s2', 0xee000a81, 0xee000a81, { s: { 0: 0x3f800000, 1: 0x00800000, 2: 0x3f000000 }, fpscr: FZ },
    { s: {}, fpscr: FZ | 0x08 }, 'FZ: the rounded product flushes');
c('vfma.f32 s0, s1, s2', 0xeea00a81, 0xeea00a81, { s: { 0: 0x80800000, 1: 0x00c00000, 2: 0x3f2aaaac }, fpscr: FZ },
    { s: { 0: 0 }, fpscr: FZ | 0x08 }, 'FZ: a tiny fused result');
c('vfma.f32 s0, s1, s2', 0xeea00a81, 0xeea00a81, { s: { 0: 0x80800000, 1: 0x00c00000, 2: 0x3f2aaaac } },
    { s: { 0: 0x00000001 } }, 'without FZ: the same result is subnormal');
c('vcmp.f32 s0, s2', 0xeeb40ac1, 0xeeb40ac1, { s: { 0: 0, 2: 0x80000001 }, fpscr: FZ },
    { fpscr: 0x60000000 | FZ | 0x80 }, 'FZ: zero equals a subnormal');
c('vcvt.f64.f32 d0, s2', 0xeeb70ac1, 0xeeb70ac1, { s: { 2: 0x80000001 }, fpscr: FZ },
    { d: { 0: '8000000000000000' }, fpscr: FZ | 0x80 }, 'FZ: subnormal input');
c('vcvt.f32.f64 s0, d1', 0xeeb70bc1, 0xeeb70bc1, { d: { 1: '37d0000000000000' }, fpscr: FZ },
    { s: { 0: 0 }, fpscr: FZ | 0x08 }, 'FZ: tiny as a single');
c('vcvt.s32.f32 s0, s2', 0xeebd0ac1, 0xeebd0ac1, { s: { 2: 0x00000001 }, fpscr: FZ },
    { s: { 0: 0 }, fpscr: FZ | 0x80 }, 'FZ: subnormal input, no IXC');
c('vmul.f32 d0, d1, d2', 0xf3010d12, 0xff010d12, { d: { 1: '0080000080800001', 2: '3f0000003f000000' } },
    { d: { 0: '0000000080000000' }, fpscr: 0x08 }, 'NEON flushes whatever FPSCR.FZ says');
c('vadd.f32 d0, d1, d2', 0xf2010d02, 0xef010d02, { d: { 1: '3f8000003f800000', 2: '3380000033800000' }, fpscr: 0x400000 },
    { d: { 0: '3f8000003f800000' }, fpscr: 0x400010 }, 'NEON rounds to nearest whatever FPSCR.RMode says');

// ---- compare ----
c('vcmp.f64 d0, d1', 0xeeb40b41, 0xeeb40b41, { d: { 0: '3ff0000000000000', 1: '4000000000000000' } },
    { fpscr: 0x80000000 });
c('vcmp.f32 s0, s1', 0xeeb40a60, 0xeeb40a60, { s: { 0: 0x40400000, 1: 0x40000000 } },
    { fpscr: 0x20000000 });
c('vcmp.f64 d0, #0', 0xeeb50b40, 0xeeb50b40, { d: { 0: '8000000000000000' } },
    { fpscr: 0x60000000 });
c('vcmpe.f32 s0, #0', 0xeeb50ac0, 0xeeb50ac0, { s: { 0: 0x7fc00000 } },
    { fpscr: 0x30000001 }, 'unordered, VCMPE signals on quiet NaN');
c('vcmp.f64 d0, d1', 0xeeb40b41, 0xeeb40b41, { d: { 0: '7ff8000000000123', 1: '3ff0000000000000' } },
    { fpscr: 0x30000000 }, 'unordered, VCMP quiet');
c('vcmpe.f64 d0, d1', 0xeeb40bc1, 0xeeb40bc1, { d: { 0: '3ff0000000000000', 1: '3ff0000000000000' } },
    { fpscr: 0x60000000 });
c('vmrs APSR_nzcv, fpscr', 0xeef1fa10, 0xeef1fa10, { fpscr: 0xa0000000 },
    { apsr: 0xa0000000 }, 'N and C into the APSR');
c('vmrs r3, fpscr', 0xeef13a10, 0xeef13a10, { fpscr: 0x0280001f },
    { r: { 3: 0x0280001f } });
c('vmsr fpscr, r3', 0xeee13a10, 0xeee13a10, { r: { 3: 0x03c0009f } },
    { fpscr: 0x03c0009f });

// ---- conversions ----
c('vcvt.f64.f32 d0, s2', 0xeeb70ac1, 0xeeb70ac1, { s: { 2: 0x3eaaaaab } },
    { d: { 0: '3fd5555560000000' } });
c('vcvt.f32.f64 s0, d1', 0xeeb70bc1, 0xeeb70bc1, { d: { 1: '3fd5555555555555' } },
    { s: { 0: 0x3eaaaaab }, fpscr: 0x00000010 });
c('vcvt.f32.f64 s0, d1', 0xeeb70bc1, 0xeeb70bc1, { d: { 1: '3fd5555555555555' }, fpscr: 0x00400000 },
    { s: { 0: 0x3eaaaaab }, fpscr: 0x00400010 }, 'rounding mode applies');
c('vcvt.f64.f32 d0, s2', 0xeeb70ac1, 0xeeb70ac1, { s: { 2: 0x7f800001 } },
    { d: { 0: '7ff8000020000000' }, fpscr: 0x00000001 }, 'signalling NaN widened and quieted');
c('vcvt.f32.s32 s0, s1', 0xeeb80ae0, 0xeeb80ae0, { s: { 1: 0x01000001 } },
    { s: { 0: 0x4b800000 }, fpscr: 0x00000010 });
c('vcvt.f32.u32 s0, s1', 0xeeb80a60, 0xeeb80a60, { s: { 1: 0xffffffff } },
    { s: { 0: 0x4f800000 }, fpscr: 0x00000010 });
c('vcvt.f64.s32 d0, s1', 0xeeb80be0, 0xeeb80be0, { s: { 1: 0xfffffff9 } },
    { d: { 0: 'c01c000000000000' } });
c('vcvt.f64.u32 d0, s1', 0xeeb80b60, 0xeeb80b60, { s: { 1: 0xfffffff9 } },
    { d: { 0: '41efffffff200000' } });
c('vcvt.s32.f64 s0, d1', 0xeebd0bc1, 0xeebd0bc1, { d: { 1: 'c004000000000000' } },
    { s: { 0: 0xfffffffe }, fpscr: 0x00000010 }, '-2.5 toward zero');
c('vcvtr.s32.f64 s0, d1', 0xeebd0b41, 0xeebd0b41, { d: { 1: 'c004000000000000' } },
    { s: { 0: 0xfffffffe }, fpscr: 0x00000010 }, '-2.5 to nearest even');
c('vcvt.u32.f32 s0, s1', 0xeebc0ae0, 0xeebc0ae0, { s: { 1: 0xbf800000 } },
    { s: { 0: 0x00000000 }, fpscr: 0x00000001 }, 'negative saturates to 0, invalid');
c('vcvtr.u32.f32 s0, s1', 0xeebc0a60, 0xeebc0a60, { s: { 1: 0x3fc00000 }, fpscr: 0x00800000 },
    { s: { 0: 0x00000001 }, fpscr: 0x00800010 }, '1.5 rounding down');
c('vcvt.s32.f32 s0, s1', 0xeebd0ae0, 0xeebd0ae0, { s: { 1: 0x7fc00000 } },
    { s: { 0: 0x00000000 }, fpscr: 0x00000001 }, 'NaN to 0');
c('vcvt.s32.f64 s0, d1', 0xeebd0bc1, 0xeebd0bc1, { d: { 1: '41f0000000000000' } },
    { s: { 0: 0x7fffffff }, fpscr: 0x00000001 }, '2^32 saturates');
c('vcvt.s16.f64 d0, d0, #4', 0xeebe0b46, 0xeebe0b46, { d: { 0: '4059000000000000' } },
    { d: { 0: '0000000000000640' } }, 'fixed point, 16 bits, sign-extended');
c('vcvt.u32.f32 s0, s0, #8', 0xeebf0acc, 0xeebf0acc, { s: { 0: 0x40490fdb } },
    { s: { 0: 0x00000324 }, fpscr: 0x00000010 });
c('vcvt.f64.s16 d0, d0, #2', 0xeeba0b47, 0xeeba0b47, { d: { 0: '00000000ffff8001' } },
    { d: { 0: 'c0bfffc000000000' } });
c('vcvt.f32.u32 s3, s3, #16', 0xeefb1ac8, 0xeefb1ac8, { s: { 3: 0x00018000 } },
    { s: { 3: 0x3fc00000 } });
c('vcvtb.f16.f32 s0, s1', 0xeeb30a60, 0xeeb30a60, { s: { 0: 0xaaaabbbb, 1: 0x3eaaaaab } },
    { s: { 0: 0xaaaa3555 }, fpscr: 0x00000010 });
c('vcvtt.f16.f32 s0, s1', 0xeeb30ae0, 0xeeb30ae0, { s: { 0: 0xaaaabbbb, 1: 0xc7c35000 } },
    { s: { 0: 0xfc00bbbb }, fpscr: 0x00000014 });
c('vcvtb.f32.f16 s0, s1', 0xeeb20a60, 0xeeb20a60, { s: { 1: 0x12343c01 } },
    { s: { 0: 0x3f802000 } });
c('vcvtt.f32.f16 s0, s1', 0xeeb20ae0, 0xeeb20ae0, { s: { 1: 0xfc003c01 } },
    { s: { 0: 0xff800000 } });
c('vcvtb.f16.f32 s0, s1', 0xeeb30a60, 0xeeb30a60, { s: { 0: 0xaaaabbbb, 1: 0x48000000 }, fpscr: 0x04000000 },
    { s: { 0: 0xaaaa7fff }, fpscr: 0x04000001 }, 'AHP: an overflow is the largest value, Invalid');
c('vcvtt.f16.f32 s0, s1', 0xeeb30ae0, 0xeeb30ae0, { s: { 0: 0xaaaabbbb, 1: 0xff92d93f }, fpscr: 0x04000000 },
    { s: { 0: 0x8000bbbb }, fpscr: 0x04000001 }, 'AHP: a NaN is a zero of its sign, Invalid');
c('vcvtb.f16.f32 s0, s1', 0xeeb30a60, 0xeeb30a60, { s: { 0: 0xaaaabbbb, 1: 0x47c00000 }, fpscr: 0x04c00000 },
    { s: { 0: 0xaaaa7e00 }, fpscr: 0x04c00000 }, 'AHP: 98304 is exact (exponent 31 is normal)');
c('vcvtt.f32.f16 s0, s1', 0xeeb20ae0, 0xeeb20ae0, { s: { 1: 0x7c013c01 }, fpscr: 0x04000000 },
    { s: { 0: 0x47802000 } }, 'AHP: exponent 31 is a number');
c('vcvt.f16.f32 d16, q8', 0xf3f60620, 0xfff60620, { q: { 8: ['000000013eaaaaab', '477ff0007f800001'] }, fpscr: 0x400000 },
    { d: { 16: '7c007e0000003555' }, fpscr: 0x400095 }, 'NEON: nearest, subnormal input flushed, default NaN, 65520 overflows');
c('vcvt.f32.f16 q8, d16', 0xf3f60720, 0xfff60720, { d: { 16: '00017c01fc003c01' }, fpscr: 0x400000 },
    { d: { 16: 'ff8000003f802000', 17: '338000007fc00000' }, fpscr: 0x400001 }, 'NEON: default NaN, a subnormal half kept');

// ---- transfers ----
c('vmov s3, r4', 0xee014a90, 0xee014a90, { r: { 4: 0xcafef00d } },
    { s: { 3: 0xcafef00d } });
c('vmov r4, s31', 0xee1f4a90, 0xee1f4a90, { s: { 31: 0x13572468 } },
    { r: { 4: 0x13572468 } });
c('vmov s4, s5, r2, r3', 0xec432a12, 0xec432a12, { r: { 2: 0x11111111, 3: 0x22222222 } },
    { d: { 2: '2222222211111111' } });
c('vmov r2, r3, s30, s31', 0xec532a1f, 0xec532a1f, { s: { 30: 0x33333333, 31: 0x44444444 } },
    { r: { 2: 0x33333333, 3: 0x44444444 } });
c('vmov d17, r2, r3', 0xec432b31, 0xec432b31, { r: { 2: 0x55555555, 3: 0x66666666 } },
    { d: { 17: '6666666655555555' } });
c('vmov r2, r3, d31', 0xec532b3f, 0xec532b3f, { d: { 31: '0123456789abcdef' } },
    { r: { 2: 0x89abcdef, 3: 0x01234567 } });
c('vmov.32 d17[1], r5', 0xee215b90, 0xee215b90, { r: { 5: 0x77777777 } },
    { s: { 35: 0x77777777 } });
c('vmov.16 d3[2], r5', 0xee235b30, 0xee235b30, { r: { 5: 0xffff8888 } },
    { s: { 7: 0xc0de8888 } });
c('vmov.8 d3[7], r5', 0xee635b70, 0xee635b70, { r: { 5: 0x00000099 } },
    { s: { 7: 0x99de0707 } });
c('vmov.32 r5, d17[0]', 0xee115b90, 0xee115b90, { d: { 17: '0123456789abcdef' } },
    { r: { 5: 0x89abcdef } });
c('vmov.s16 r5, d3[3]', 0xee335b70, 0xee335b70, { d: { 3: '8001000200030004' } },
    { r: { 5: 0xffff8001 } });
c('vmov.u16 r5, d3[3]', 0xeeb35b70, 0xeeb35b70, { d: { 3: '8001000200030004' } },
    { r: { 5: 0x00008001 } });
c('vmov.s8 r5, d3[6]', 0xee735b50, 0xee735b50, { d: { 3: '00f0000000000000' } },
    { r: { 5: 0xfffffff0 } });
c('vmov.u8 r5, d3[6]', 0xeef35b50, 0xeef35b50, { d: { 3: '00f0000000000000' } },
    { r: { 5: 0x000000f0 } });
c('vdup.8 d2, r1', 0xeec21b10, 0xeec21b10, { r: { 1: 0x00001234 } },
    { d: { 2: '3434343434343434' } });
c('vdup.16 q1, r1', 0xeea21b30, 0xeea21b30, { r: { 1: 0x00001234 } },
    { d: { 2: '1234123412341234', 3: '1234123412341234' } });
c('vdup.32 q8, r1', 0xeea01b90, 0xeea01b90, { r: { 1: 0x12345678 } },
    { d: { 16: '1234567812345678', 17: '1234567812345678' } });

// ---- loads and stores ----
c('vldr d2, [r1, #8]', 0xed912b02, 0xed912b02, { r: { 1: 'buf' }, mem: true },
    { d: { 2: '1f1e1d1c1b1a1918' } });
// (Word-aligned but not to 8: off the inline fast path, through the helpers.)
c('vldr d2, [r1, #8]', 0xed912b02, 0xed912b02, { r: { 1: 'buf+4' }, mem: true },
    { d: { 2: '232221201f1e1d1c' } }, 'an address aligned to 4, not 8');
c('vstr d2, [r1, #16]', 0xed812b04, 0xed812b04, { d: { 2: '0102030405060708' }, r: { 1: 'buf+4' }, mem: true },
    { mem: [20, '0807060504030201'] }, 'an address aligned to 4, not 8');
c('vldr s5, [r1, #-4]', 0xed512a01, 0xed512a01, { r: { 1: 'buf+8' }, mem: true },
    { s: { 5: 0x17161514 } });
c('vstr d2, [r1, #16]', 0xed812b04, 0xed812b04, { d: { 2: '0102030405060708' }, r: { 1: 'buf' }, mem: true },
    { mem: [16, '0807060504030201'] });
c('vstr s31, [r1]', 0xedc1fa00, 0xedc1fa00, { s: { 31: 0xa1b2c3d4 }, r: { 1: 'buf' }, mem: true },
    { mem: [0, 'd4c3b2a1'] });
c('vldmia r1!, {d4-d6}', 0xecb14b06, 0xecb14b06, { r: { 1: 'buf' }, mem: true },
    { d: { 4: '1716151413121110', 5: '1f1e1d1c1b1a1918', 6: '2726252423222120' }, r: { 1: 'buf+24' } });
c('vldmia r1, {s3-s7}', 0xecd11a05, 0xecd11a05, { r: { 1: 'buf' }, mem: true },
    { d: { 2: '1b1a191817161514', 3: '232221201f1e1d1c' }, s: { 3: 0x13121110 } });
c('vstmia r1!, {s3-s5}', 0xece11a03, 0xece11a03, { s: { 3: 0x00000011, 4: 0x00000022, 5: 0x00000033 }, r: { 1: 'buf' }, mem: true },
    { r: { 1: 'buf+12' }, mem: [0, '110000002200000033000000'] });
c('vstmdb r1!, {d16-d17}', 0xed610b04, 0xed610b04, { d: { 16: '1111111122222222', 17: '3333333344444444' }, r: { 1: 'buf+32' }, mem: true },
    { r: { 1: 'buf+16' }, mem: [16, '22222222111111114444444433333333'] });
c('vldmdb r1!, {s0-s1}', 0xed310a02, 0xed310a02, { r: { 1: 'buf+16' }, mem: true },
    { d: { 0: '1f1e1d1c1b1a1918' }, r: { 1: 'buf+8' } });
c('vpush {d8-d9}', 0xed2d8b04, 0xed2d8b04, { d: { 8: '1111111122222222', 9: '3333333344444444' }, r: { 13: 'buf+32' }, mem: true },
    { r: { 13: 'buf+16' }, mem: [16, '22222222111111114444444433333333'] });
c('vpop {d8-d9}', 0xecbd8b04, 0xecbd8b04, { r: { 13: 'buf+8' }, mem: true },
    { d: { 8: '1f1e1d1c1b1a1918', 9: '2726252423222120' }, r: { 13: 'buf+24' } });

// ---- NEON integer ----
c('vadd.i8 q0, q1, q2', 0xf2020844, 0xef020844, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'], 2: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: '8081828385868788', 1: 'f0e1cfbe2f9e1081' } });
c('vadd.i16 d0, d1, d2', 0xf2110802, 0xef110802, { d: { 1: 'f0e0d0c0b0a09080', 2: '0001fffe7ffe8001' } },
    { d: { 0: 'f0e1d0be309e1081' } });
c('vadd.i32 q0, q1, q2', 0xf2220844, 0xef220844, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'], 2: ['0000000100000002', 'ffffffff80000000'] } },
    { d: { 0: '010203050506070a', 1: 'f0e0d0bf30a09080' } });
c('vadd.i64 q0, q1, q2', 0xf2320844, 0xef320844, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'], 2: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: '8081828385868788', 1: 'f0e2d0bf309f1081' } });
c('vsub.i8 d0, d1, d2', 0xf3010802, 0xff010802, { d: { 1: '0102030405060708', 2: '7f7f7f7f80808080' } },
    { d: { 0: '8283848585868788' } });
c('vsub.i64 d0, d1, d2', 0xf3310802, 0xff310802, { d: { 1: '0102030405060708', 2: '0001fffe7ffe8001' } },
    { d: { 0: '0100030585078707' } });
c('vmul.i16 q0, q1, q2', 0xf2120954, 0xef120954, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'], 2: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: '7dfe7afc83008400', 1: 'f0e05e809ec09080' } });
c('vmul.i32 d0, d1, d2', 0xf2210912, 0xef210912, { d: { 1: 'ffffffff80000000', 2: '0102030405060708' } },
    { d: { 0: 'fefdfcfc00000000' } });
c('vmul.p8 d0, d1, d2', 0xf3010912, 0xff010912, { d: { 1: 'f0e0d0c0b0a09080', 2: '7f7f7f7f80808080' } },
    { d: { 0: '50a0b04000000000' } });
c('vmla.i8 q0, q1, q2', 0xf2020944, 0xef020944, { q: { 0: ['0000000100000002', 'ffffffff80000000'], 1: ['0102030405060708', 'f0e0d0c0b0a09080'], 2: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: '7ffe7dfd80008002', 1: 'ffdf2f7fd0c00080' } });
c('vmls.i32 q0, q1, q2', 0xf3220944, 0xff220944, { q: { 0: ['0000000100000002', 'ffffffff80000000'], 1: ['0102030405060708', 'f0e0d0c0b0a09080'], 2: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: '05858505f5787c02', 1: '4041a17fa81f6f80' } });
c('vqadd.s8 q0, q1, q2', 0xf2020054, 0xef020054, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'], 2: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: '7f7f7f7f85868788', 1: 'f0e1cfbe2f9e8081' }, fpscr: 0x08000000 }, 'saturates, sets QC');
c('vqadd.u16 d0, d1, d2', 0xf3110012, 0xff110012, { d: { 1: 'f0e0d0c0b0a09080', 2: '0001fffe7ffe8001' } },
    { d: { 0: 'f0e1ffffffffffff' }, fpscr: 0x08000000 });
c('vqsub.s64 d0, d1, d2', 0xf2310212, 0xef310212, { d: { 1: '8000000000000001', 2: '0000000000000002' } },
    { d: { 0: '8000000000000000' }, fpscr: 0x08000000 });
c('vhadd.s16 d0, d1, d2', 0xf2110002, 0xef110002, { d: { 1: 'f0e0d0c0b0a09080', 2: '0001fffe7ffe8001' } },
    { d: { 0: 'f870e85f184f8840' } });
c('vrhadd.u8 d0, d1, d2', 0xf3010102, 0xff010102, { d: { 1: 'f0e0d0c0b0a09080', 2: '0001fffe7ffe8001' } },
    { d: { 0: '7871e8df98cf8841' } });
c('vhsub.u32 d0, d1, d2', 0xf3210202, 0xff210202, { d: { 1: 'ffffffff80000000', 2: '0102030405060708' } },
    { d: { 0: '7f7efe7d3d7cfc7c' } });
c('vmax.s8 d0, d1, d2', 0xf2010602, 0xef010602, { d: { 1: 'f0e0d0c0b0a09080', 2: '7f7f7f7f80808080' } },
    { d: { 0: '7f7f7f7fb0a09080' } });
c('vmin.u16 q0, q1, q2', 0xf3120654, 0xff120654, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'], 2: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: '0102030405060708', 1: '0001d0c07ffe8001' } });
c('vabd.s32 d0, d1, d2', 0xf2210702, 0xef210702, { d: { 1: 'ffffffff80000000', 2: 'f0e0d0c0b0a09080' } },
    { d: { 0: '0f1f2f3f30a09080' } });
c('vaba.u8 d0, d1, d2', 0xf3010712, 0xff010712, { d: { 0: '0000000100000002', 1: 'f0e0d0c0b0a09080', 2: '0001fffe7ffe8001' } },
    { d: { 0: 'f0df2f3f315e1081' } });
c('vceq.i8 d0, d1, d2', 0xf3010812, 0xff010812, { d: { 1: '0102030405060708', 2: '0102000405000708' } },
    { d: { 0: 'ffff00ffff00ffff' } });
c('vcgt.s16 d0, d1, d2', 0xf2110302, 0xef110302, { d: { 1: 'f0e0d0c0b0a09080', 2: '0001fffe7ffe8001' } },
    { d: { 0: '000000000000ffff' } });
c('vcge.u32 q0, q1, q2', 0xf3220354, 0xff220354, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'], 2: ['0000000100000002', 'ffffffff80000000'] } },
    { d: { 0: 'ffffffffffffffff', 1: '00000000ffffffff' } });
c('vtst.8 d0, d1, d2', 0xf2010812, 0xef010812, { d: { 1: '0102030405060708', 2: '7f7f7f7f80808080' } },
    { d: { 0: 'ffffffff00000000' } });
c('vshl.s16 d0, d1, d2', 0xf2120401, 0xef120401, { d: { 1: 'f0e0d0c0b0a09080', 2: 'fffc0003fff00001' } },
    { d: { 0: 'ff0e8600ffff2100' } }, 'negative shifts go right');
c('vshl.u64 d0, d1, d2', 0xf3320401, 0xff320401, { d: { 1: 'f0e0d0c0b0a09080', 2: '00000000000000fc' } },
    { d: { 0: '0f0e0d0c0b0a0908' } });
c('vrshl.s8 d0, d1, d2', 0xf2020501, 0xef020501, { d: { 1: 'f0e0d0c0b0a09080', 2: 'fdfefffc01020300' } },
    { d: { 0: 'fef8e8fc60808080' } });
c('vqshl.u8 d0, d1, d2', 0xf3020411, 0xff020411, { d: { 1: 'f0e0d0c0b0a09080', 2: '0102030405060708' } },
    { d: { 0: 'ffffffffffffffff' }, fpscr: 0x08000000 });
c('vqrshl.s32 d0, d1, d2', 0xf2220511, 0xef220511, { d: { 1: 'ffffffff80000000', 2: '00000001ffffffff' } },
    { d: { 0: 'fffffffec0000000' } });
c('vqdmulh.s16 d0, d1, d2', 0xf2110b02, 0xef110b02, { d: { 1: '8000400020001000', 2: '8000400020003000' } },
    { d: { 0: '7fff200008000600' }, fpscr: 0x08000000 });
c('vqrdmulh.s32 d0, d1, d2', 0xf3210b02, 0xff210b02, { d: { 1: '8000000040000001', 2: '8000000012345679' } },
    { d: { 0: '7fffffff091a2b3d' }, fpscr: 0x08000000 });
c('vpadd.i16 d0, d1, d2', 0xf2110b12, 0xef110b12, { d: { 1: 'f0e0d0c0b0a09080', 2: '0001fffe7ffe8001' } },
    { d: { 0: 'ffffffffc1a04120' } });
c('vpmax.u8 d0, d1, d2', 0xf3010a02, 0xff010a02, { d: { 1: 'f0e0d0c0b0a09080', 2: '7f7f7f7f80808080' } },
    { d: { 0: '7f7f8080f0d0b090' } });
c('vpmin.s32 d0, d1, d2', 0xf2210a12, 0xef210a12, { d: { 1: 'ffffffff80000000', 2: '0102030405060708' } },
    { d: { 0: '0102030480000000' } });
c('vand q0, q1, q2', 0xf2020154, 0xef020154, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'], 2: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: '0102030400000000', 1: '0000d0c030a08000' } });
c('vbic d0, d1, d2', 0xf2110112, 0xef110112, { d: { 1: 'f0e0d0c0b0a09080', 2: '0001fffe7ffe8001' } },
    { d: { 0: 'f0e0000080001080' } });
c('vorr d0, d1, d2', 0xf2210112, 0xef210112, { d: { 1: 'f0e0d0c0b0a09080', 2: '0001fffe7ffe8001' } },
    { d: { 0: 'f0e1fffefffe9081' } });
c('vorn q0, q1, q2', 0xf2320154, 0xef320154, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'], 2: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: '818283847f7f7f7f', 1: 'fffed0c1b0a1fffe' } });
c('veor d0, d1, d2', 0xf3010112, 0xff010112, { d: { 1: 'f0e0d0c0b0a09080', 2: '0001fffe7ffe8001' } },
    { d: { 0: 'f0e12f3ecf5e1081' } });
c('vbsl d0, d1, d2', 0xf3110112, 0xff110112, { d: { 0: 'ff00ff00f0f0f0f0', 1: 'f0e0d0c0b0a09080', 2: '0001fffe7ffe8001' } },
    { d: { 0: 'f001d0febfae9081' } });
c('vbit q0, q1, q2', 0xf3220154, 0xff220154, { q: { 0: ['0000000100000002', 'ffffffff80000000'], 1: ['0102030405060708', 'f0e0d0c0b0a09080'], 2: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 1: 'fffed0c1b0a08000' }, s: { 1: 0x01020304 } });
c('vbif d0, d1, d2', 0xf3310112, 0xff310112, { d: { 0: '0000000100000002', 1: 'f0e0d0c0b0a09080', 2: '0001fffe7ffe8001' } },
    { d: { 0: 'f0e0000080001080' } });
c('vmov q0, q1', 0xf2220152, 0xef220152, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'] } },
    { d: { 0: '0102030405060708', 1: 'f0e0d0c0b0a09080' } });

// ---- NEON float ----
c('vadd.f32 q0, q1, q2', 0xf2020d44, 0xef020d44, { q: { 1: ['3f80000040000000', 'c040000000000001'], 2: ['3f0000003f800000', '4040000080000000'] } },
    { d: { 0: '3fc0000040400000', 1: '0000000000000000' }, fpscr: 0x00000080 }, 'subnormal inputs flush to zero');
c('vsub.f32 d0, d1, d2', 0xf2210d02, 0xef210d02, { d: { 1: '3f80000040000000', 2: '3f0000003f800000' } },
    { d: { 0: '3f0000003f800000' } });
c('vmul.f32 q0, q1, q2', 0xf3020d54, 0xff020d54, { q: { 1: ['3f80000040000000', 'c040000000000001'], 2: ['3f0000003f800000', '4040000080000000'] } },
    { d: { 0: '3f00000040000000', 1: 'c110000080000000' }, fpscr: 0x00000080 });
c('vmla.f32 d0, d1, d2', 0xf2010d12, 0xef010d12, { d: { 0: '4040000080000000', 1: '3f80000040000000', 2: '3f0000003f800000' } },
    { d: { 0: '4060000040000000' } });
c('vmls.f32 q0, q1, q2', 0xf2220d54, 0xef220d54, { q: { 0: ['3f0000003f800000', '4040000080000000'], 1: ['3f80000040000000', 'c040000000000001'], 2: ['3f0000003f800000', '4040000080000000'] } },
    { d: { 0: '00000000bf800000', 1: '4140000000000000' }, fpscr: 0x00000080 });
c('vfma.f32 d0, d1, d2', 0xf2010c12, 0xef010c12, { d: { 0: '3f0000003f800000', 1: '3f80000040000000', 2: '3f0000003f800000' } },
    { d: { 0: '3f80000040400000' } });
c('vfms.f32 q0, q1, q2', 0xf2220c54, 0xef220c54, { q: { 0: ['3f0000003f800000', '4040000080000000'], 1: ['3f80000040000000', 'c040000000000001'], 2: ['3f0000003f800000', '4040000080000000'] } },
    { d: { 0: '00000000bf800000', 1: '4140000000000000' }, fpscr: 0x00000080 });
c('vfms.f32 d0, d1, d2', 0xf2210c12, 0xef210c12, { d: { 0: '7ff800007fc00000', 1: '007f00803f800000', 2: 'ff8000003f800000' } },
    { d: { 0: '7fc000007fc00000' }, fpscr: 0x81 }, 'a NaN addend and a flushed zero times infinity: Invalid (found by the random-instruction tester)');
c('vabd.f32 d0, d1, d2', 0xf3210d02, 0xff210d02, { d: { 1: 'c040000000000001', 2: '4040000080000000' } },
    { d: { 0: '40c0000000000000' }, fpscr: 0x00000080 });
c('vmax.f32 q0, q1, q2', 0xf2020f44, 0xef020f44, { q: { 1: ['3f80000040000000', 'c040000000000001'], 2: ['3f0000003f800000', '4040000080000000'] } },
    { d: { 0: '3f80000040000000', 1: '4040000000000000' }, fpscr: 0x00000080 });
c('vmin.f32 d0, d1, d2', 0xf2210f02, 0xef210f02, { d: { 1: '3f80000040000000', 2: '3f0000003f800000' } },
    { d: { 0: '3f0000003f800000' } });
c('vpadd.f32 d0, d1, d2', 0xf3010d02, 0xff010d02, { d: { 1: '3f80000040000000', 2: '3f0000003f800000' } },
    { d: { 0: '3fc0000040400000' } });
c('vpmax.f32 d0, d1, d2', 0xf3010f02, 0xff010f02, { d: { 1: 'c040000000000001', 2: '4040000080000000' } },
    { d: { 0: '4040000000000000' }, fpscr: 0x00000080 });
c('vpmin.f32 d0, d1, d2', 0xf3210f02, 0xff210f02, { d: { 1: 'c040000000000001', 2: '4040000080000000' } },
    { d: { 0: '80000000c0400000' }, fpscr: 0x00000080 });
c('vceq.f32 d0, d1, d2', 0xf2010e02, 0xef010e02, { d: { 1: '3f8000007fc00000', 2: '3f8000007fc00000' } },
    { d: { 0: 'ffffffff00000000' } });
c('vcge.f32 q0, q1, q2', 0xf3020e44, 0xff020e44, { q: { 1: ['3f80000040000000', 'c040000000000001'], 2: ['3f0000003f800000', '4040000080000000'] } },
    { d: { 0: 'ffffffffffffffff', 1: '00000000ffffffff' }, fpscr: 0x00000080 });
c('vcgt.f32 d0, d1, d2', 0xf3210e02, 0xff210e02, { d: { 1: '3f80000040000000', 2: '3f0000003f800000' } },
    { d: { 0: 'ffffffffffffffff' } });
c('vacge.f32 d0, d1, d2', 0xf3010e12, 0xff010e12, { d: { 1: 'c040000000000001', 2: '4040000080000000' } },
    { d: { 0: 'ffffffffffffffff' }, fpscr: 0x00000080 });
c('vacgt.f32 d0, d1, d2', 0xf3210e12, 0xff210e12, { d: { 1: 'c040000000000001', 2: '4040000080000000' } },
    { d: { 0: '0000000000000000' }, fpscr: 0x00000080 });
c('vrecps.f32 d0, d1, d2', 0xf2010f12, 0xef010f12, { d: { 1: '3f80000040000000', 2: '3f0000003f800000' } },
    { d: { 0: '3fc0000000000000' } });
c('vrsqrts.f32 d0, d1, d2', 0xf2210f12, 0xef210f12, { d: { 1: '3f80000040000000', 2: '3f0000003f800000' } },
    { d: { 0: '3fa000003f000000' } });
c('vrsqrts.f32 d0, d1, d2 (a product too small to change 3 - p: inexact all the same)', 0xf2210f12, 0xef210f12,
    { d: { 1: '4f0000004f000000', 2: '0484e2ad0484e2ad' } }, { d: { 0: '3fc000003fc00000' }, fpscr: 0x00000010 },
    'found by the ARM random-instruction tester (qemu-user sets IXC)');
c('vadd.f32 d0, d1, d2', 0xf2010d02, 0xef010d02, { d: { 1: '7f8000017fc00000', 2: '3f8000003f800000' } },
    { d: { 0: '7fc000007fc00000' }, fpscr: 0x00000001 }, 'NaNs become the default NaN');
c('vrecpe.f32 d0, d1', 0xf3bb0501, 0xffbb0501, { d: { 1: '40400000c2c80000' } },
    { d: { 0: '3eaa8000bc238000' } });
c('vrsqrte.f32 d0, d1', 0xf3bb0581, 0xffbb0581, { d: { 1: '4040000041200000' } },
    { d: { 0: '3f1380003ea18000' } });
c('vrecpe.u32 d0, d1', 0xf3bb0401, 0xffbb0401, { d: { 1: '80000000c0000001' } },
    { d: { 0: 'ff800000aa800000' } });
c('vrsqrte.u32 d0, d1', 0xf3bb0481, 0xffbb0481, { d: { 1: '40000000c0000001' } },
    { d: { 0: 'ff80000093800000' } });

// ---- long, wide, narrow ----
c('vaddl.u8 q0, d2, d3', 0xf3820003, 0xff820003, { d: { 2: 'f0e0d0c0b0a09080', 3: '0001fffe7ffe8001' } },
    { d: { 0: '012f019e01100081', 1: '00f000e101cf01be' } });
c('vaddl.s32 q0, d2, d3', 0xf2a20003, 0xefa20003, { d: { 2: 'ffffffff80000000', 3: 'ffffffff80000000' } },
    { d: { 0: 'ffffffff00000000', 1: 'fffffffffffffffe' } });
c('vaddw.s16 q0, q1, d4', 0xf2920104, 0xef920104, { d: { 4: 'f0e0d0c0b0a09080' }, q: { 1: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: '7f7f301f80801100', 1: '0001f0de7ffe50c1' } });
c('vsubl.u16 q0, d2, d3', 0xf3920203, 0xff920203, { d: { 2: '0102030405060708', 3: '7f7f7f7f80808080' } },
    { d: { 0: 'ffff8486ffff8688', 1: 'ffff8183ffff8385' } });
c('vsubw.u32 q0, q1, d4', 0xf3a20304, 0xffa20304, { d: { 4: 'ffffffff80000000' }, q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'] } },
    { d: { 0: '0102030385060708', 1: 'f0e0d0bfb0a09081' } });
c('vmull.s8 q0, d2, d3', 0xf2820c03, 0xef820c03, { d: { 2: 'f0e0d0c0b0a09080', 3: '0001fffe7ffe8001' } },
    { d: { 0: 'd85000c03800ff80', 1: '0000ffe000300080' } });
c('vmull.u32 q0, d2, d3', 0xf3a20c03, 0xffa20c03, { d: { 2: 'ffffffff80000000', 3: 'ffffffff80000000' } },
    { d: { 0: '4000000000000000', 1: 'fffffffe00000001' } });
c('vmull.p8 q0, d2, d3', 0xf2820e03, 0xef820e03, { d: { 2: 'f0e0d0c0b0a09080', 3: '0001fffe7ffe8001' } },
    { d: { 0: '379060c048000080', 1: '000000e04fb04080' } });
c('vmlal.u16 q0, d2, d3', 0xf3920803, 0xff920803, { d: { 2: '0102030405060708', 3: '7f7f7f7f80808080' }, q: { 0: ['0000000100000002', 'ffffffff80000000'] } },
    { d: { 0: '0285830103878402', 1: '00807dfd81807afc' } });
c('vmlsl.s32 q0, d2, d3', 0xf2a20a03, 0xefa20a03, { d: { 2: 'ffffffff80000000', 3: '0102030405060708' }, q: { 0: ['0000000100000002', 'ffffffff80000000'] } },
    { s: { 1: 0x02830385, 2: 0x81020304 } });
c('vabal.u8 q0, d2, d3', 0xf3820503, 0xff820503, { d: { 2: 'f0e0d0c0b0a09080', 3: '0001fffe7ffe8001' }, q: { 0: ['0102030405060708', 'f0e0d0c0b0a09080'] } },
    { d: { 0: '0133036205160787', 1: 'f1d0d19fb0cf90be' } });
c('vabdl.s16 q0, d2, d3', 0xf2920703, 0xef920703, { d: { 2: 'f0e0d0c0b0a09080', 3: '0001fffe7ffe8001' } },
    { d: { 0: '0000cf5e0000107f', 1: '00000f2100002f3e' } });
c('vqdmull.s16 q0, d2, d3', 0xf2920d03, 0xef920d03, { d: { 2: '8000400020001000', 3: '8000400020003000' } },
    { d: { 0: '0800000006000000', 1: '7fffffff20000000' }, fpscr: 0x08000000 });
c('vqdmlal.s32 q0, d2, d3', 0xf2a20903, 0xefa20903, { d: { 2: '8000000040000001', 3: '8000000012345679' }, q: { 0: ['0000000100000002', 'ffffffff80000000'] } },
    { d: { 0: '091a2b3da468acf4', 1: '7fffffff7fffffff' }, fpscr: 0x08000000 });
c('vqdmlsl.s16 q0, d2, d3', 0xf2920b03, 0xef920b03, { d: { 2: '8000400020001000', 3: '8000400020003000' }, q: { 0: ['0102030405060708', 'f0e0d0c0b0a09080'] } },
    { d: { 0: 'f9020304ff060708', 1: '8000000090a09080' }, fpscr: 0x08000000 });
c('vaddhn.i16 d0, q1, q2', 0xf2820404, 0xef820404, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'], 2: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: 'f0d0301080828587' } });
c('vraddhn.i32 d0, q1, q2', 0xf3920404, 0xff920404, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'], 2: ['0000000100000002', 'ffffffff80000000'] } },
    { d: { 0: 'f0e130a101020506' } });
c('vsubhn.i64 d0, q1, q2', 0xf2a20604, 0xefa20604, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'], 2: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: 'f0ded0c281828384' } });
c('vrsubhn.i16 d0, q1, q2', 0xf3820604, 0xff820604, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'], 2: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: 'f1d1311082848587' } });
c('vmovl.u8 q0, d2', 0xf3880a12, 0xff880a12, { d: { 2: 'f0e0d0c0b0a09080' } },
    { d: { 0: '00b000a000900080', 1: '00f000e000d000c0' } });
c('vmovl.s16 q0, d2', 0xf2900a12, 0xef900a12, { d: { 2: 'f0e0d0c0b0a09080' } },
    { d: { 0: 'ffffb0a0ffff9080', 1: 'fffff0e0ffffd0c0' } });
c('vmovn.i32 d0, q1', 0xf3b60202, 0xffb60202, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'] } },
    { d: { 0: 'd0c0908003040708' } });
c('vqmovn.s16 d0, q1', 0xf3b20282, 0xffb20282, { q: { 1: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: '01fe7f807f7f8080' }, fpscr: 0x08000000 });
c('vqmovn.u64 d0, q1', 0xf3ba02c2, 0xffba02c2, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'] } },
    { d: { 0: 'ffffffffffffffff' }, fpscr: 0x08000000 });
c('vqmovun.s32 d0, q1', 0xf3b60242, 0xffb60242, { q: { 1: ['0000000100000002', 'ffffffff80000000'] } },
    { d: { 0: '0000000000010002' }, fpscr: 0x08000000 });

// ---- by scalar ----
c('vmul.i16 d0, d1, d2[3]', 0xf291086a, 0xef91086a, { d: { 1: 'f0e0d0c0b0a09080', 2: '0001fffe7ffe8001' } },
    { d: { 0: 'f0e0d0c0b0a09080' } });
c('vmla.i32 q0, q1, d2[1]', 0xf3a20062, 0xffa20062, { d: { 2: '7f7f7f7f80808080' }, q: { 0: ['0000000100000002', 'ffffffff80000000'], 1: ['0102030405060708', 'f0e0d0c0b0a09080'] } },
    { d: { 0: '141918113c3d3422', 1: 'c77582ffc533c200' } });
c('vmls.i16 q0, q1, d7[0]', 0xf3920447, 0xff920447, { d: { 7: '0001fffe7ffe8001' }, q: { 0: ['0000000100000002', 'ffffffff80000000'], 1: ['0102030405060708', 'f0e0d0c0b0a09080'] } },
    { d: { 0: 'fefefcfdfafaf8fa', 1: '0f1f2f3fcf606f80' } });
c('vmul.f32 q0, q1, d4[1]', 0xf3a20964, 0xffa20964, { d: { 4: '3f0000003f800000' }, q: { 1: ['3f80000040000000', 'c040000000000001'] } },
    { d: { 0: '3f0000003f800000', 1: 'bfc0000000000000' }, fpscr: 0x00000080 });
c('vmla.f32 d0, d1, d2[0]', 0xf2a10142, 0xefa10142, { d: { 0: '4040000080000000', 1: '3f80000040000000', 2: '3f0000003f800000' } },
    { d: { 0: '4080000040000000' } });
c('vmls.f32 q0, q1, d0[1]', 0xf3a20560, 0xffa20560, { q: { 0: ['3f0000003f800000', '4040000080000000'], 1: ['3f80000040000000', 'c040000000000001'] } },
    { d: { 0: '0000000000000000' }, s: { 3: 0x40900000 }, fpscr: 0x00000080 }, 'the scalar is in the destination');
c('vmull.u16 q0, d1, d2[2]', 0xf3910a62, 0xff910a62, { d: { 1: 'f0e0d0c0b0a09080', 2: '0001fffe7ffe8001' } },
    { d: { 0: 'b09e9ec0907edf00', 1: 'f0de1e40d0be5e80' } });
c('vmlal.s32 q0, d1, d2[1]', 0xf2a10262, 0xefa10262, { d: { 1: 'ffffffff80000000', 2: '0102030405060708' }, q: { 0: ['0000000100000002', 'ffffffff80000000'] } },
    { s: { 1: 0xff7efe7f, 2: 0x7efdfcfc } });
c('vmlsl.u16 q0, d1, d2[0]', 0xf3910642, 0xff910642, { d: { 1: 'f0e0d0c0b0a09080', 2: '0001fffe7ffe8001' }, q: { 0: ['0000000100000002', 'ffffffff80000000'] } },
    { d: { 1: '7fff8000ffff8001' }, s: { 1: 0xbfff8001 } });
c('vqdmulh.s16 d0, d1, d2[1]', 0xf2910c4a, 0xef910c4a, { d: { 1: '8000400020001000', 2: '8000400020003000' } },
    { d: { 0: 'e000100008000400' } });
c('vqrdmulh.s32 q0, q1, d2[0]', 0xf3a20d42, 0xffa20d42, { d: { 2: '8000000040000001' }, q: { 1: ['0000000100000002', 'ffffffff80000000'] } },
    { d: { 0: '0000000000000000', 1: '00000000fffffffe' } });
c('vqdmull.s16 q0, d1, d2[3]', 0xf2910b6a, 0xef910b6a, { d: { 1: '8000400020001000', 2: '8000400020003000' } },
    { d: { 0: 'e0000000f0000000', 1: '7fffffffc0000000' }, fpscr: 0x08000000 });
c('vqdmlal.s32 q0, d1, d2[1]', 0xf2a10362, 0xefa10362, { d: { 1: '8000000040000001', 2: '8000000012345679' }, q: { 0: ['0000000100000002', 'ffffffff80000000'] } },
    { d: { 0: '7fffffffffffffff' }, s: { 3: 0x00000000 }, fpscr: 0x08000000 });
c('vqdmlsl.s16 q0, d1, d2[2]', 0xf2910762, 0xef910762, { d: { 1: '8000400020001000', 2: '8000400020003000' }, q: { 0: ['0102030405060708', 'f0e0d0c0b0a09080'] } },
    { d: { 0: '28b203043cc60708', 1: 'f870d0c0c8409080' } });

// ---- shifts ----
c('vshr.s8 d0, d1, #3', 0xf28d0011, 0xef8d0011, { d: { 1: 'f0e0d0c0b0a09080' } },
    { d: { 0: 'fefcfaf8f6f4f2f0' } });
c('vshr.u64 q0, q1, #63', 0xf38100d2, 0xff8100d2, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'] } },
    { d: { 0: '0000000000000000', 1: '0000000000000001' } });
c('vsra.u16 d0, d1, #15', 0xf3910111, 0xff910111, { d: { 0: 'ffffffff80000000', 1: 'f0e0d0c0b0a09080' } },
    { d: { 0: '0000000080010001' } });
c('vrshr.s32 q0, q1, #1', 0xf2bf0252, 0xefbf0252, { q: { 1: ['0000000100000002', 'ffffffff80000000'] } },
    { d: { 0: '0000000100000001', 1: '00000000c0000000' } });
c('vrsra.u8 d0, d1, #8', 0xf3880311, 0xff880311, { d: { 0: '7f7f7f7f80808080', 1: 'f0e0d0c0b0a09080' } },
    { d: { 0: '8080808081818181' } });
c('vsri.32 d0, d1, #4', 0xf3bc0411, 0xffbc0411, { d: { 0: '7f7f7f7f80808080', 1: 'f0e0d0c0b0a09080' } },
    { d: { 0: '7f0e0d0c8b0a0908' } });
c('vshl.i16 q0, q1, #15', 0xf29f0552, 0xef9f0552, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'] } },
    { d: { 0: '0000000000000000', 1: '0000000000000000' } });
c('vsli.8 d0, d1, #3', 0xf38b0511, 0xff8b0511, { d: { 0: '7f7f7f7f80808080', 1: 'f0e0d0c0b0a09080' } },
    { d: { 0: '8707870780008000' } });
c('vqshl.s32 d0, d1, #30', 0xf2be0711, 0xefbe0711, { d: { 1: 'ffffffff80000000' } },
    { d: { 0: 'c000000080000000' }, fpscr: 0x08000000 });
c('vqshl.u64 d0, d1, #4', 0xf3840791, 0xff840791, { d: { 1: 'f0e0d0c0b0a09080' } },
    { d: { 0: 'ffffffffffffffff' }, fpscr: 0x08000000 });
c('vqshlu.s8 d0, d1, #2', 0xf38a0611, 0xff8a0611, { d: { 1: 'f0e0d0c0b0a09080' } },
    { d: { 0: '0000000000000000' }, fpscr: 0x08000000 });
c('vshrn.i16 d0, q1, #4', 0xf28c0812, 0xef8c0812, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'] } },
    { d: { 0: '0e0c0a0810305070' } });
c('vrshrn.i32 d0, q1, #16', 0xf2900852, 0xef900852, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'] } },
    { d: { 0: 'f0e1b0a101020506' } });
c('vqshrn.s64 d0, q1, #8', 0xf2b80912, 0xefb80912, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'] } },
    { d: { 0: '800000007fffffff' }, fpscr: 0x08000000 });
c('vqrshrn.u16 d0, q1, #1', 0xf38f0952, 0xff8f0952, { q: { 1: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: '01ffffffffffffff' }, fpscr: 0x08000000 });
c('vqshrun.s32 d0, q1, #3', 0xf39d0812, 0xff9d0812, { q: { 1: ['0000000100000002', 'ffffffff80000000'] } },
    { d: { 0: '0000000000000000' }, fpscr: 0x08000000 });
c('vqrshrun.s16 d0, q1, #8', 0xf3880852, 0xff880852, { q: { 1: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: '000080007f7f0000' }, fpscr: 0x08000000 });
c('vshll.s8 q0, d2, #3', 0xf28b0a12, 0xef8b0a12, { d: { 2: 'f0e0d0c0b0a09080' } },
    { d: { 0: 'fd80fd00fc80fc00', 1: 'ff80ff00fe80fe00' } });
c('vshll.u32 q0, d2, #32', 0xf3ba0302, 0xffba0302, { d: { 2: 'ffffffff80000000' } },
    { d: { 0: '8000000000000000', 1: 'ffffffff00000000' } });
c('vcvt.s32.f32 q0, q1, #8', 0xf2b80f52, 0xefb80f52, { q: { 1: ['3f80000040000000', 'c040000000000001'] } },
    { d: { 0: '0000010000000200', 1: 'fffffd0000000000' }, fpscr: 0x00000080 });
c('vcvt.f32.u32 d0, d1, #4', 0xf3bc0e11, 0xffbc0e11, { d: { 1: 'ffffffff80000000' } },
    { d: { 0: '4d8000004d000000' }, fpscr: 0x00000010 });

// ---- misc ----
c('vrev64.8 d0, d1', 0xf3b00001, 0xffb00001, { d: { 1: '0102030405060708' } },
    { d: { 0: '0807060504030201' } });
c('vrev64.32 q0, q1', 0xf3b80042, 0xffb80042, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'] } },
    { d: { 0: '0506070801020304', 1: 'b0a09080f0e0d0c0' } });
c('vrev32.16 d0, d1', 0xf3b40081, 0xffb40081, { d: { 1: '0102030405060708' } },
    { d: { 0: '0304010207080506' } });
c('vrev16.8 q0, q1', 0xf3b00142, 0xffb00142, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'] } },
    { d: { 0: '0201040306050807', 1: 'e0f0c0d0a0b08090' } });
c('vpaddl.u8 d0, d1', 0xf3b00281, 0xffb00281, { d: { 1: 'f0e0d0c0b0a09080' } },
    { d: { 0: '01d0019001500110' } });
c('vpaddl.s32 q0, q1', 0xf3b80242, 0xffb80242, { q: { 1: ['0000000100000002', 'ffffffff80000000'] } },
    { d: { 0: '0000000000000003', 1: 'ffffffff7fffffff' } });
c('vpadal.s16 d0, d1', 0xf3b40601, 0xffb40601, { d: { 0: '0000000100000002', 1: 'f0e0d0c0b0a09080' } },
    { d: { 0: 'ffffc1a1ffff4122' } });
c('vcls.s8 d0, d1', 0xf3b00401, 0xffb00401, { d: { 1: 'f0e0d0c0b0a09080' } },
    { d: { 0: '0302010100000000' } });
c('vclz.i16 q0, q1', 0xf3b404c2, 0xffb404c2, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'] } },
    { d: { 0: '0007000600050005', 1: '0000000000000000' } });
c('vcnt.8 d0, d1', 0xf3b00501, 0xffb00501, { d: { 1: 'f0e0d0c0b0a09080' } },
    { d: { 0: '0403030203020201' } });
c('vmvn d0, d1', 0xf3b00581, 0xffb00581, { d: { 1: 'f0e0d0c0b0a09080' } },
    { d: { 0: '0f1f2f3f4f5f6f7f' } });
c('vqabs.s8 d0, d1', 0xf3b00701, 0xffb00701, { d: { 1: '7f7f7f7f80808080' } },
    { d: { 0: '7f7f7f7f7f7f7f7f' }, fpscr: 0x08000000 });
c('vqneg.s32 d0, d1', 0xf3b80781, 0xffb80781, { d: { 1: 'ffffffff80000000' } },
    { d: { 0: '000000017fffffff' }, fpscr: 0x08000000 });
c('vabs.s16 q0, q1', 0xf3b50342, 0xffb50342, { q: { 1: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: '7f7f7f7f7f807f80', 1: '000100027ffe7fff' } });
c('vneg.s8 d0, d1', 0xf3b10381, 0xffb10381, { d: { 1: 'f0e0d0c0b0a09080' } },
    { d: { 0: '1020304050607080' } });
c('vabs.f32 d0, d1', 0xf3b90701, 0xffb90701, { d: { 1: 'bf800000ffc00001' } },
    { d: { 0: '3f8000007fc00001' } });
c('vneg.f32 q0, q1', 0xf3b907c2, 0xffb907c2, { q: { 1: ['3f80000040000000', 'c040000000000001'] } },
    { d: { 0: 'bf800000c0000000', 1: '4040000080000001' } });
c('vcgt.s8 d0, d1, #0', 0xf3b10001, 0xffb10001, { d: { 1: 'f0e0d0c0b0a09080' } },
    { d: { 0: '0000000000000000' } });
c('vcge.s16 d0, d1, #0', 0xf3b50081, 0xffb50081, { d: { 1: '0001fffe7ffe8001' } },
    { d: { 0: 'ffff0000ffff0000' } });
c('vceq.i32 d0, d1, #0', 0xf3b90101, 0xffb90101, { d: { 1: '0000000000000002' } },
    { d: { 0: 'ffffffff00000000' } });
c('vcle.s32 q0, q1, #0', 0xf3b901c2, 0xffb901c2, { q: { 1: ['0000000100000002', 'ffffffff80000000'] } },
    { d: { 0: '0000000000000000', 1: 'ffffffffffffffff' } });
c('vclt.s8 d0, d1, #0', 0xf3b10201, 0xffb10201, { d: { 1: '7f7f7f7f80808080' } },
    { d: { 0: '00000000ffffffff' } });
c('vcgt.f32 d0, d1, #0', 0xf3b90401, 0xffb90401, { d: { 1: 'c040000000000001' } },
    { d: { 0: '0000000000000000' }, fpscr: 0x00000080 });
c('vclt.f32 q0, q1, #0', 0xf3b90642, 0xffb90642, { q: { 1: ['3f0000003f800000', '4040000080000000'] } },
    { d: { 0: '0000000000000000', 1: '0000000000000000' } });
c('vswp d0, d1', 0xf3b20001, 0xffb20001, { d: { 0: '0102030405060708', 1: '7f7f7f7f80808080' } },
    { d: { 0: '7f7f7f7f80808080', 1: '0102030405060708' } });
c('vtrn.8 d0, d1', 0xf3b20081, 0xffb20081, { d: { 0: '0102030405060708', 1: '7f7f7f7f80808080' } },
    { d: { 0: '7f027f0480068008', 1: '7f017f0380058007' } });
c('vtrn.32 q0, q1', 0xf3ba00c2, 0xffba00c2, { q: { 0: ['0102030405060708', 'f0e0d0c0b0a09080'], 1: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { s: { 1: 0x80808080, 3: 0x7ffe8001, 4: 0x01020304, 6: 0xf0e0d0c0 } });
c('vuzp.16 d0, d1', 0xf3b60101, 0xffb60101, { d: { 0: '0102030405060708', 1: '7f7f7f7f80808080' } },
    { d: { 0: '7f7f808003040708', 1: '7f7f808001020506' } });
c('vuzp.8 q0, q1', 0xf3b20142, 0xffb20142, { q: { 0: ['0102030405060708', 'f0e0d0c0b0a09080'], 1: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: 'e0c0a08002040608', 1: '01fefe017f7f8080', 2: 'f0d0b09001030507', 3: '00ff7f807f7f8080' } });
c('vzip.8 d0, d1', 0xf3b20181, 0xffb20181, { d: { 0: '0102030405060708', 1: '7f7f7f7f80808080' } },
    { d: { 0: '8005800680078008', 1: '7f017f027f037f04' } });
c('vzip.32 q0, q1', 0xf3ba01c2, 0xffba01c2, { q: { 0: ['0102030405060708', 'f0e0d0c0b0a09080'], 1: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 1: '7f7f7f7f01020304', 2: '7ffe8001b0a09080' }, s: { 1: 0x80808080, 6: 0xf0e0d0c0 } });
c('vcvt.f32.s32 q0, q1', 0xf3bb0642, 0xffbb0642, { q: { 1: ['0000000100000002', 'ffffffff80000000'] } },
    { d: { 0: '3f80000040000000', 1: 'bf800000cf000000' } });
c('vcvt.f32.u32 d0, d1', 0xf3bb0681, 0xffbb0681, { d: { 1: 'ffffffff80000000' } },
    { d: { 0: '4f8000004f000000' }, fpscr: 0x00000010 });
c('vcvt.s32.f32 q0, q1', 0xf3bb0742, 0xffbb0742, { q: { 1: ['7fc000004f000000', 'cf0000013fc00000'] } },
    { d: { 0: '000000007fffffff', 1: '8000000000000001' }, fpscr: 0x00000011 });
c('vcvt.u32.f32 d0, d1', 0xf3bb0781, 0xffbb0781, { d: { 1: 'bf8000004f800000' } },
    { d: { 0: '00000000ffffffff' }, fpscr: 0x00000001 });

// ---- immediates, permutes ----
c('vmov.i32 q0, #0x4d00', 0xf284025d, 0xef84025d, {},
    { d: { 0: '00004d0000004d00', 1: '00004d0000004d00' } });
c('vmov.i16 d0, #0xab', 0xf382081b, 0xff82081b, {},
    { d: { 0: '00ab00ab00ab00ab' } });
c('vmov.i8 q3, #0x5a', 0xf2856e5a, 0xef856e5a, {},
    { d: { 6: '5a5a5a5a5a5a5a5a', 7: '5a5a5a5a5a5a5a5a' } });
c('vmov.i32 d0, #0x12ffff', 0xf2810d12, 0xef810d12, {},
    { d: { 0: '0012ffff0012ffff' } });
c('vmov.i64 d0, #0xff0000ff00ffff00', 0xf3810e36, 0xff810e36, {},
    { d: { 0: 'ff0000ff00ffff00' } });
c('vmov.f32 q1, #-2.5', 0xf3802f54, 0xff802f54, {},
    { d: { 2: 'c0200000c0200000', 3: 'c0200000c0200000' } });
c('vmvn.i32 d0, #0x12000000', 0xf2810632, 0xef810632, {},
    { d: { 0: 'edffffffedffffff' } });
c('vmvn.i16 q0, #0x34', 0xf2830874, 0xef830874, {},
    { d: { 0: 'ffcbffcbffcbffcb', 1: 'ffcbffcbffcbffcb' } });
c('vorr.i32 d0, #0x5500', 0xf2850315, 0xef850315, { d: { 0: '0102030405060708' } },
    { d: { 0: '0102570405065708' } });
c('vorr.i16 q0, #0xa0', 0xf3820950, 0xff820950, { q: { 0: ['0102030405060708', 'f0e0d0c0b0a09080'] } },
    { d: { 0: '01a203a405a607a8', 1: 'f0e0d0e0b0a090a0' } });
c('vbic.i32 d0, #0xff', 0xf387013f, 0xff87013f, { d: { 0: '0001fffe7ffe8001' } },
    { d: { 0: '0001ff007ffe8000' } });
c('vbic.i16 d0, #0xff00', 0xf3870b3f, 0xff870b3f, { d: { 0: '0001fffe7ffe8001' } },
    { d: { 0: '000100fe00fe0001' } });
c('vext.8 d0, d1, d2, #3', 0xf2b10302, 0xefb10302, { d: { 1: '0102030405060708', 2: '7f7f7f7f80808080' } },
    { d: { 0: '8080800102030405' } });
c('vext.8 q0, q1, q2, #13', 0xf2b20d44, 0xefb20d44, { q: { 1: ['0102030405060708', 'f0e0d0c0b0a09080'], 2: ['7f7f7f7f80808080', '0001fffe7ffe8001'] } },
    { d: { 0: '7f80808080f0e0d0', 1: 'fe7ffe80017f7f7f' } });
c('vtbl.8 d0, {d1}, d2', 0xf3b10802, 0xffb10802, { d: { 1: 'f0e0d0c0b0a09080', 2: '0007010608020503' } },
    { d: { 0: '80f090e000a0d0b0' } });
c('vtbl.8 d0, {d1, d2}, d3', 0xf3b10903, 0xffb10903, { d: { 1: 'f0e0d0c0b0a09080', 2: '0001fffe7ffe8001', 3: '200f0e010908ff00' } },
    { d: { 0: '0000019080010080' } });
c('vtbx.8 d0, {d1, d2, d3}, d4', 0xf3b10a44, 0xffb10a44, { d: { 0: '0000000100000002', 1: '0102030405060708', 2: 'f0e0d0c0b0a09080', 3: '7f7f7f7f80808080', 4: '1718191a00054020' } },
    { d: { 0: '7f00000108030002' } });
c('vdup.8 d0, d1[5]', 0xf3bb0c01, 0xffbb0c01, { d: { 1: 'f0e0d0c0b0a09080' } },
    { d: { 0: 'd0d0d0d0d0d0d0d0' } });
c('vdup.16 q0, d1[3]', 0xf3be0c41, 0xffbe0c41, { d: { 1: 'f0e0d0c0b0a09080' } },
    { d: { 0: 'f0e0f0e0f0e0f0e0', 1: 'f0e0f0e0f0e0f0e0' } });
c('vdup.32 q0, d31[1]', 0xf3bc0c6f, 0xffbc0c6f, { d: { 31: 'ffffffff80000000' } },
    { d: { 0: 'ffffffffffffffff', 1: 'ffffffffffffffff' } });

// ---- element and structure loads/stores ----
c('vld1.8 {d0-d3}, [r1]!', 0xf421020d, 0xf921020d, { r: { 1: 'buf' }, mem: true },
    { d: { 0: '1716151413121110', 1: '1f1e1d1c1b1a1918', 2: '2726252423222120', 3: '2f2e2d2c2b2a2928' }, r: { 1: 'buf+32' } });
c('vld1.32 {d16, d17}, [r1], r2', 0xf4610a82, 0xf9610a82, { r: { 1: 'buf+1', 2: 0x00000064 }, mem: true },
    { d: { 16: '1817161514131211', 17: '201f1e1d1c1b1a19' }, r: { 1: 'buf+101' } });
c('vld1.64 {d5}, [r1]', 0xf42157cf, 0xf92157cf, { r: { 1: 'buf+8' }, mem: true },
    { d: { 5: '1f1e1d1c1b1a1918' } });
c('vst1.16 {d0, d1, d2}, [r1]!', 0xf401064d, 0xf901064d, { q: { 0: ['0102030405060708', 'f0e0d0c0b0a09080'], 1: ['7f7f7f7f80808080', '0001fffe7ffe8001'] }, r: { 1: 'buf' }, mem: true },
    { r: { 1: 'buf+24' }, mem: [0, '08070605040302018090a0b0c0d0e0f0808080807f7f7f7f'] });
c('vst1.8 {d31}, [r1], r2', 0xf441f702, 0xf941f702, { d: { 31: 'ffffffff80000000' }, r: { 1: 'buf+3', 2: -2 }, mem: true },
    { r: { 1: 'buf+1' }, mem: [3, '00000080ffffffff'] });
c('vld2.8 {d0, d1}, [r1]', 0xf421080f, 0xf921080f, { r: { 1: 'buf' }, mem: true },
    { d: { 0: '1e1c1a1816141210', 1: '1f1d1b1917151311' } });
c('vld2.16 {d0, d2}, [r1]!', 0xf421094d, 0xf921094d, { r: { 1: 'buf' }, mem: true },
    { d: { 0: '1d1c191815141110', 2: '1f1e1b1a17161312' }, r: { 1: 'buf+16' } });
c('vld2.32 {d0-d3}, [r1]', 0xf421038f, 0xf921038f, { r: { 1: 'buf' }, mem: true },
    { d: { 0: '1b1a191813121110', 1: '2b2a292823222120', 2: '1f1e1d1c17161514', 3: '2f2e2d2c27262524' } });
c('vst2.8 {d0, d1}, [r1]', 0xf401080f, 0xf901080f, { q: { 0: ['0102030405060708', 'f0e0d0c0b0a09080'] }, r: { 1: 'buf' }, mem: true },
    { mem: [0, '0880079006a005b004c003d002e001f0'] });
c('vst2.32 {d0-d3}, [r1]!', 0xf401038d, 0xf901038d, { q: { 0: ['0102030405060708', 'f0e0d0c0b0a09080'], 1: ['7f7f7f7f80808080', '0001fffe7ffe8001'] }, r: { 1: 'buf' }, mem: true },
    { r: { 1: 'buf+32' }, mem: [0, '0807060580808080040302017f7f7f7f8090a0b00180fe7fc0d0e0f0feff0100'] });
c('vld3.8 {d0, d1, d2}, [r1]!', 0xf421040d, 0xf921040d, { r: { 1: 'buf' }, mem: true },
    { d: { 0: '25221f1c19161310', 1: '2623201d1a171411', 2: '2724211e1b181512' }, r: { 1: 'buf+24' } });
c('vld3.16 {d0, d2, d4}, [r1]', 0xf421054f, 0xf921054f, { r: { 1: 'buf' }, mem: true },
    { d: { 0: '23221d1c17161110', 2: '25241f1e19181312', 4: '272621201b1a1514' } });
c('vst3.32 {d0, d1, d2}, [r1]', 0xf401048f, 0xf901048f, { q: { 0: ['0102030405060708', 'f0e0d0c0b0a09080'], 1: ['7f7f7f7f80808080', '0001fffe7ffe8001'] }, r: { 1: 'buf' }, mem: true },
    { mem: [0, '080706058090a0b08080808004030201c0d0e0f07f7f7f7f'] });
c('vld4.8 {d0-d3}, [r1]', 0xf421000f, 0xf921000f, { r: { 1: 'buf' }, mem: true },
    { d: { 0: '2c2824201c181410', 1: '2d2925211d191511', 2: '2e2a26221e1a1612', 3: '2f2b27231f1b1713' } });
c('vld4.16 {d0, d2, d4, d6}, [r1]!', 0xf421014d, 0xf921014d, { r: { 1: 'buf' }, mem: true },
    { d: { 0: '2928212019181110', 2: '2b2a23221b1a1312', 4: '2d2c25241d1c1514', 6: '2f2e27261f1e1716' }, r: { 1: 'buf+32' } });
c('vst4.8 {d0-d3}, [r1]!', 0xf401000d, 0xf901000d, { q: { 0: ['0102030405060708', 'f0e0d0c0b0a09080'], 1: ['7f7f7f7f80808080', '0001fffe7ffe8001'] }, r: { 1: 'buf' }, mem: true },
    { r: { 1: 'buf+32' }, mem: [0, '088080010790808006a080fe05b0807f04c07ffe03d07fff02e07f0101f07f00'] });
c('vld1.8 {d0[5]}, [r1]', 0xf4a100af, 0xf9a100af, { d: { 0: 'ffffffff80000000' }, r: { 1: 'buf+7' }, mem: true },
    { s: { 1: 0xffff17ff } });
c('vld1.16 {d0[3]}, [r1]!', 0xf4a104cd, 0xf9a104cd, { d: { 0: 'ffffffff80000000' }, r: { 1: 'buf+2' }, mem: true },
    { s: { 1: 0x1312ffff }, r: { 1: 'buf+4' } });
c('vld1.32 {d0[1]}, [r1], r2', 0xf4a10882, 0xf9a10882, { d: { 0: 'ffffffff80000000' }, r: { 1: 'buf+4', 2: 0x0000000c }, mem: true },
    { s: { 1: 0x17161514 }, r: { 1: 'buf+16' } });
c('vst1.8 {d3[7]}, [r1]', 0xf48130ef, 0xf98130ef, { d: { 3: 'f0e0d0c0b0a09080' }, r: { 1: 'buf+1' }, mem: true },
    { mem: [1, 'f0'] });
c('vst1.32 {d3[1]}, [r1]!', 0xf481388d, 0xf981388d, { d: { 3: 'f0e0d0c0b0a09080' }, r: { 1: 'buf' }, mem: true },
    { r: { 1: 'buf+4' }, mem: [0, 'c0d0e0f0'] });
c('vld2.16 {d0[1], d1[1]}, [r1]', 0xf4a1054f, 0xf9a1054f, { q: { 0: ['0000000100000002', 'ffffffff80000000'] }, r: { 1: 'buf' }, mem: true },
    { s: { 0: 0x11100002, 2: 0x13120000 } });
c('vld2.32 {d0[0], d2[0]}, [r1]!', 0xf4a1094d, 0xf9a1094d, { q: { 0: ['0000000100000002', 'ffffffff80000000'], 1: ['0102030405060708', 'f0e0d0c0b0a09080'] }, r: { 1: 'buf' }, mem: true },
    { s: { 0: 0x13121110, 4: 0x17161514 }, r: { 1: 'buf+8' } });
c('vst2.8 {d0[2], d1[2]}, [r1]', 0xf481014f, 0xf981014f, { q: { 0: ['0102030405060708', 'f0e0d0c0b0a09080'] }, r: { 1: 'buf' }, mem: true },
    { mem: [0, '06a0'] });
c('vld3.8 {d0[7], d1[7], d2[7]}, [r1]', 0xf4a102ef, 0xf9a102ef, { q: { 0: ['0000000100000002', 'ffffffff80000000'], 1: ['0102030405060708', 'f0e0d0c0b0a09080'] }, r: { 1: 'buf' }, mem: true },
    { s: { 1: 0x10000001, 3: 0x11ffffff, 5: 0x12020304 } });
c('vst3.16 {d0[0], d2[0], d4[0]}, [r1]!', 0xf481062d, 0xf981062d, { q: { 0: ['0102030405060708', 'f0e0d0c0b0a09080'], 1: ['7f7f7f7f80808080', '0001fffe7ffe8001'], 2: ['0000000100000002', 'ffffffff80000000'] }, r: { 1: 'buf' }, mem: true },
    { r: { 1: 'buf+6' }, mem: [0, '080780800200'] });
c('vld4.32 {d0[1], d1[1], d2[1], d3[1]}, [r1]', 0xf4a10b8f, 0xf9a10b8f, { q: { 0: ['0000000100000002', 'ffffffff80000000'], 1: ['0102030405060708', 'f0e0d0c0b0a09080'] }, r: { 1: 'buf' }, mem: true },
    { s: { 1: 0x13121110, 3: 0x17161514, 5: 0x1b1a1918, 7: 0x1f1e1d1c } });
c('vst4.8 {d0[4], d1[4], d2[4], d3[4]}, [r1]', 0xf481038f, 0xf981038f, { q: { 0: ['0102030405060708', 'f0e0d0c0b0a09080'], 1: ['7f7f7f7f80808080', '0001fffe7ffe8001'] }, r: { 1: 'buf' }, mem: true },
    { mem: [0, '04c07ffe'] });
c('vld1.8 {d0[]}, [r1]', 0xf4a10c0f, 0xf9a10c0f, { r: { 1: 'buf+5' }, mem: true },
    { d: { 0: '1515151515151515' } });
c('vld1.16 {d0[], d1[]}, [r1]!', 0xf4a10c6d, 0xf9a10c6d, { r: { 1: 'buf+2' }, mem: true },
    { d: { 0: '1312131213121312', 1: '1312131213121312' }, r: { 1: 'buf+4' } });
c('vld1.32 {d4[]}, [r1], r2', 0xf4a14c82, 0xf9a14c82, { r: { 1: 'buf+4', 2: 0x00000008 }, mem: true },
    { d: { 4: '1716151417161514' }, r: { 1: 'buf+12' } });
c('vld2.8 {d0[], d1[]}, [r1]', 0xf4a10d0f, 0xf9a10d0f, { r: { 1: 'buf' }, mem: true },
    { d: { 0: '1010101010101010', 1: '1111111111111111' } });
c('vld3.16 {d0[], d2[], d4[]}, [r1]!', 0xf4a10e6d, 0xf9a10e6d, { r: { 1: 'buf' }, mem: true },
    { d: { 0: '1110111011101110', 2: '1312131213121312', 4: '1514151415141514' }, r: { 1: 'buf+6' } });
c('vld4.32 {d0[], d1[], d2[], d3[]}, [r1]', 0xf4a10f8f, 0xf9a10f8f, { r: { 1: 'buf' }, mem: true },
    { d: { 0: '1312111013121110', 1: '1716151417161514', 2: '1b1a19181b1a1918', 3: '1f1e1d1c1f1e1d1c' } });

const CODE = 0x10000, DATA = 0x20000, BUF = DATA + 0x100;
const BKPT = 0xe1200070, THUMB_UDF = 0xde00;
const FLAGS = 0x9f; // FPSCR's cumulative exception flags

const lo = (hex: string) => Number(BigInt.asIntN(32, BigInt(`0x${hex}`)));
const hi = (hex: string) => Number(BigInt.asIntN(32, BigInt(`0x${hex}`) >> 32n));
const addr = (v: number | string) => (typeof v === 'number' ? v | 0 : (BUF + Number(v.slice(3))) | 0);
const hex64 = (vi: Int32Array, n: number) =>
  ((BigInt(vi[2 * n + 1] >>> 0) << 32n) | BigInt(vi[2 * n] >>> 0)).toString(16).padStart(16, '0');

/** The state a case starts from, and the one it must end in (both as plain arrays). */
function states(k: Case) {
  const vfp = Int32Array.from({ length: 64 }, (_, w) => 0xc0de0000 + w * 0x0101);
  const regs = Int32Array.from({ length: 14 }, (_, n) => 0x1000 + 0x111 * n);
  const mem = new Uint8Array(64).fill(0xee);
  const { set, want } = k;
  for (const [n, v] of Object.entries(set.d ?? {})) [vfp[2 * +n], vfp[2 * +n + 1]] = [lo(v), hi(v)];
  for (const [n, [l, h]] of Object.entries(set.q ?? {})) {
    [vfp[4 * +n], vfp[4 * +n + 1], vfp[4 * +n + 2], vfp[4 * +n + 3]] = [lo(l), hi(l), lo(h), hi(h)];
  }
  for (const [n, v] of Object.entries(set.s ?? {})) vfp[+n] = v;
  for (const [n, v] of Object.entries(set.r ?? {})) regs[+n] = addr(v);
  if (set.mem) mem.forEach((_, i) => (mem[i] = 0x10 + i));
  const before = { vfp: vfp.slice(), regs: regs.slice(), mem: mem.slice(), fpscr: set.fpscr ?? 0 };
  for (const [n, v] of Object.entries(want.d ?? {})) [vfp[2 * +n], vfp[2 * +n + 1]] = [lo(v), hi(v)];
  for (const [n, v] of Object.entries(want.s ?? {})) vfp[+n] = v;
  for (const [n, v] of Object.entries(want.r ?? {})) regs[+n] = addr(v);
  if (want.mem) Buffer.from(want.mem[1], 'hex').forEach((b, i) => (mem[want.mem![0] + i] = b));
  const after = { vfp, regs, mem, fpscr: want.fpscr ?? before.fpscr, apsr: want.apsr ?? 0 };
  return { before, after };
}

function machine() {
  const mem = new GuestMemory(true);
  mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  mem.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
  const cpu = new ArmCpu(mem, () => {
    throw new Error('syscall');
  });
  return { mem, cpu };
}

/** Runs from `start` (odd: Thumb) until the terminator at `end` faults. */
function execute(cpu: ArmCpu, start: number, end: number, translate: boolean): void {
  // The terminator: BKPT (SIGTRAP), or a Thumb UDF (however it is decoded).
  runUntil(cpu, translate ? 'translator' : 'interpreter', start,
    (e) => (e.addr === end || cpu.pc === end) && ((start & 1) !== 0 || e.signal === SIGTRAP), 10);
}

/** Runs one case's instruction (A32 or T32) and returns the final state. */
function run(k: Case, thumb: boolean, translate: boolean, track: boolean) {
  const { mem, cpu } = machine();
  // Thumb code sits at an address that is 2 mod 4, as it often does.
  const at = thumb ? CODE + 2 : CODE, end = at + 4;
  if (thumb) {
    mem.view.setUint16(at, k.t32 >>> 16, true);
    mem.view.setUint16(at + 2, k.t32 & 0xffff, true);
    mem.view.setUint16(end, THUMB_UDF, true);
  } else {
    mem.view.setUint32(at, k.a32, true);
    mem.view.setUint32(end, BKPT, true);
  }
  const { before } = states(k);
  mem.bytes.fill(0xee, DATA, DATA + 0x1000);
  mem.bytes.set(before.mem, BUF);
  cpu.VI.set(before.vfp);
  cpu.R.set(before.regs);
  cpu.fpscr = before.fpscr | (track ? FPSCR_TRACK : 0);
  execute(cpu, thumb ? at | 1 : at, end, translate);
  const R = cpu.R;
  const apsr = ((R[N] << 31) | (R[Z] << 30) | (R[C] << 29) | (R[V] << 28) | (R[Q] << 27)) >>> 0;
  return { vfp: cpu.VI.slice(), regs: cpu.R.slice(0, 14), mem: mem.bytes.slice(BUF, BUF + 64), fpscr: cpu.fpscr & ~FPSCR_TRACK, apsr };
}

const hex = (a: ArrayLike<number>) => Array.from(a, (v) => (v >>> 0).toString(16).padStart(8, '0'));
/** Instruction names the decoder gives some aliases. */
const ALIASES: Record<string, string> = { vpush: 'vstmdb', vpop: 'vldmia', vmovl: 'vshll', vcmpe: 'vcmp<e>', vcmp: 'vcmp<e>', vcvtb: 'vcvt<bt>', vcvtt: 'vcvt<bt>' };

describe('VFP and NEON instructions', () => {
  it('has cases that can fail: each expects a change', () => {
    for (const k of cases) {
      const { before, after } = states(k);
      const changed = hex(before.vfp).join() !== hex(after.vfp).join() || hex(before.regs).join() !== hex(after.regs).join() ||
        Buffer.compare(before.mem, after.mem) !== 0 || before.fpscr !== after.fpscr || after.apsr !== 0;
      expect(changed, k.asm).toBe(true);
    }
  });

  for (const k of cases) {
    const title = k.note ? `${k.asm} (${k.note})` : k.asm;
    it(title, () => {
      const mnemonic = k.asm.split(/[ .]/)[0];
      const d = A32_TABLE.decode(k.a32);
      const name = (ALIASES[mnemonic] ?? mnemonic).replace(/[<>]/g, '\\$&');
      expect(d?.name ?? 'no A32 decode', `${k.asm}: 0x${k.a32.toString(16)}`).toMatch(new RegExp(`^(${name}|vorr)(\\.|$)`));
      const { after } = states(k);
      for (const thumb of [false, true]) {
        for (const translate of [false, true]) {
          for (const track of [true, false]) {
            const how = `${thumb ? 'T32' : 'A32'} ${translate ? 'translated' : 'interpreted'}${track ? ', flags tracked' : ''}`;
            const got = run(k, thumb, translate, track);
            expect(hex(got.vfp), `${how}: VFP registers`).toEqual(hex(after.vfp));
            expect(hex(got.regs), `${how}: core registers`).toEqual(hex(after.regs));
            expect(Buffer.from(got.mem).toString('hex'), `${how}: memory`).toBe(Buffer.from(after.mem).toString('hex'));
            expect(got.apsr.toString(16), `${how}: APSR`).toBe(after.apsr.toString(16));
            // Without tracking, the cumulative exception flags are not computed.
            const mask = track ? ~0 : ~FLAGS;
            expect(((got.fpscr & mask) >>> 0).toString(16), `${how}: FPSCR`).toBe(((after.fpscr & mask) >>> 0).toString(16));
          }
        }
      }
    });
  }
});

describe('VFP and NEON: PC-relative loads and UNDEFINED encodings', () => {
  it('vldr d1, [pc, #8]; vldr s5, [pc, #-4]: the base is PC + 8 (A32), Align(PC + 4, 4) (T32)', () => {
    for (const translate of [false, true]) {
      // A32 at CODE: the loads read CODE + 16 and CODE + 8 (the BKPT itself).
      let { mem, cpu } = machine();
      [0xed9f1b02, 0xed5f2a01, BKPT, 0, 0x11111111, 0x22222222].forEach((w, i) => mem.view.setUint32(CODE + 4 * i, w, true));
      execute(cpu, CODE, CODE + 8, translate);
      expect([hex64(cpu.VI, 1), hex([cpu.VI[5]])[0]]).toEqual(['2222222211111111', 'e1200070']);
      // T32 at CODE + 2: PC reads CODE + 6 and CODE + 10, aligned down to CODE + 4 and CODE + 8.
      ({ mem, cpu } = machine());
      [0xed9f, 0x1b02, 0xed5f, 0x2a01, THUMB_UDF, 0x3333, 0x3333, 0x4444, 0x4444].forEach((h, i) => mem.view.setUint16(CODE + 2 + 2 * i, h, true));
      execute(cpu, (CODE + 2) | 1, CODE + 10, translate);
      expect([hex64(cpu.VI, 1), hex([cpu.VI[5]])[0]]).toEqual(['4444444433333333', 'ed5f1b02']);
    }
  });

  // (binutils: <UNDEFINED> or an illegal operand width)
  const undefinedWords: [string, number][] = [
    ['vext.8 d0, d0, d0, #8 (a D register has bytes 0-7)', 0xf2b00800],
    ['vld1.32 {d0[0]}, [r0] with index_align 0010', 0xf4a0082e],
    ['VFP opc1 1x00 with op = 1 (no such VDIV)', 0xee800a40],
    ['modified immediate, op = 1 with cmode 1111', 0xf2880e30],
    // Multiple structures with an align the type forbids (found by the ARM random-instruction tester).
    ['vld2.32 {d11, d12}, [r12] with align 11 (two registers)', 0xf42cb8bf],
    ['vst2.32 {d3, d5}, [r12] with align 11 (two registers, spacing 2)', 0xf40c39bf],
    ['vst1 {d11-d13}, [r12] with align 1x (three registers)', 0xf40cb62f],
    ['vuzp.32 d17, d3 (D registers: UNDEFINED; the Q form exists)', 0xf3fa1103],
    ['vzip.32 d17, d3', 0xf3fa1183],
    ['vld3.16 {d11[], d12[], d13[]}, [r12] with a = 1', 0xf4acbe5f],
    ['vld4.32 {d17[]...}, [r12] with size 11 and a = 0', 0xf4ec1fef],
    ['vld1.8 {d1[]}, [r12] with a = 1', 0xf4ac1c1f],
  ];
  for (const [what, w] of undefinedWords) {
    it(`does not decode ${what}`, () => {
      const { mem, cpu } = machine();
      mem.view.setUint32(CODE, w, true);
      const block = cpu.scanBlock(CODE);
      expect(block.insns[0].def).toBeNull();
      expect(() => cpu.interpret(block)()).toThrow(/illegal instruction/);
    });
  }
});
