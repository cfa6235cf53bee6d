// urun's disassembly against GNU objdump's, instruction by instruction: one instruction of
// each operand shape objdump found in the static benchmark programs, with objdump's text
// (test/fixtures/golden/objdump-shapes.<arch>.txt; test/support/objdump-shapes.mjs makes
// them and says what is left out).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { A32_TABLE, decodeA32 } from '../src/isa/arm/a32.js';
import { T32_TABLE } from '../src/isa/arm/t32.js';
import { armSyntax } from '../src/isa/arm/syntax.js';
import { MIPS_TABLE } from '../src/isa/mips/table.js';
import { mipsSyntax } from '../src/isa/mips/syntax.js';
import { ROOT } from './support/urun.js';
import { comparable } from './support/objdump.js';

function urunText(arch: string, state: string, pc: number, word: number): string {
  if (!arch.startsWith('arm')) return mipsSyntax(MIPS_TABLE.disassemble(word, pc), word);
  if (state === 't') return armSyntax(T32_TABLE.disassemble(word, pc), word, false);
  return decodeA32(A32_TABLE, word) ? armSyntax(A32_TABLE.disassemble(word, pc), word, true) : `.word 0x${(word >>> 0).toString(16)}`;
}

/**
 * A fixture's objdump lines ("addr state word\tmnemonic\toperands") against urun's text:
 * those that differ, and how many urun decodes (a word it runs as SIGILL it writes as .word).
 */
function compareWithObjdump(fixture: string, arch: string): { lines: number; decoded: number; differ: string[] } {
  const lines = fs.readFileSync(path.join(ROOT, 'test/fixtures/golden', fixture), 'utf8').trimEnd().split('\n');
  const differ: string[] = [];
  let decoded = 0;
  for (const line of lines) {
    const [where, mnemonic, operands = ''] = line.split('\t');
    const [addr, state, hex] = where.split(' ');
    const text = urunText(arch, state, parseInt(addr, 16), parseInt(hex, 16) | 0);
    if (/\.(word|short) /.test(text)) continue;
    decoded++;
    const sp = text.indexOf(' ');
    const mine = comparable(sp < 0 ? text : text.slice(0, sp), sp < 0 ? '' : text.slice(sp + 1));
    const theirs = comparable(mnemonic, operands);
    if (mine !== theirs) differ.push(`${addr} ${hex}: objdump "${theirs}", urun "${mine}"`);
  }
  return { lines: lines.length, decoded, differ };
}

describe('disassembly as objdump writes it', () => {
  it.each(['armel', 'armhf', 'mips', 'mipsel'])('%s: every operand shape of the benchmark programs', (arch) => {
    const r = compareWithObjdump(`objdump-shapes.${arch}.txt`, arch);
    expect(r.lines).toBeGreaterThan(100);
    expect(r.decoded).toBe(r.lines);
    expect(r.differ).toEqual([]);
  });

  // Random words: encodings no compiler emitted for the benchmarks (test/support/objdump-random.mjs).
  // (objdump names some words urun runs as SIGILL: UNPREDICTABLE fields, ARMv8's hlt.)
  it.each([['arm', 'armhf'], ['thumb', 'armhf'], ['mips', 'mips']])('%s: random instruction words urun decodes', (isa, arch) => {
    const r = compareWithObjdump(`objdump-random.${isa}.txt`, arch);
    expect(r.decoded / r.lines).toBeGreaterThan(0.6);
    expect(r.differ).toEqual([]);
  });

  // Words from Debian's libraries (libdav1d, pixman, zstd, python...) and gas, with
  // objdump 2.40's text for each.
  it.each([
    ['a', 0xf3880a11, 'vmovl.u8\tq0, d1'], ['a', 0xeeba0bcb, 'vcvt.f64.s32\td0, d0, #10'], ['a', 0xeebf0a46, 'vcvt.u16.f32\ts0, s0, #4'],
    ['a', 0xf3b52144, 'vceq.i16\tq1, q2, #0'], ['a', 0xf3b91002, 'vcgt.s32\td1, d2, #0'], ['a', 0xe320f000, 'nop\t{0}'], ['a', 0xe320f005, 'sevl'],
    ['a', 0xf3c7073c, 'vbic.i32\td16, #-67108864\t@ 0xfc000000'], ['a', 0xe8bd0080, 'ldmfd\tsp!, {r7}'], ['a', 0xe92d0080, 'stmfd\tsp!, {r7}'],
    ['a', 0xec510a10, 'vmov\tr0, r1, s0, s1'], ['a', 0xec410a11, 'vmov\ts2, s3, r0, r1'], ['a', 0xf3800f50, 'vmov.f32\tq0, #-2\t@ 0xc0000000'],
    ['a', 0xe10f0000, 'mrs\tr0, CPSR'], ['a', 0xe12cf000, 'msr\tCPSR_fs, r0'], ['a', 0xed121b00, 'vldr\td1, [r2, #-0]'],
    ['a', 0xe6c10472, 'uxtab16\tr0, r1, r2, ror #8'], ['a', 0xf6d1f102, 'pli\t[r1, r2, lsl #2]'], ['a', 0xf791f102, 'pldw\t[r1, r2, lsl #2]'],
    ['a', 0xf751f1c2, 'pld\t[r1, -r2, asr #3]'], ['a', 0xf451f008, 'pli\t[r1, #-8]'], ['a', 0xe6a35f31, 'ssat16\tr5, #4, r1'],
    ['t', 0xefd06a32, 'vmovl.s16\tq11, d18'], ['t', 0xbf50, 'sevl'], ['t', 0xf3808800, 'msr\tCPSR_f, r0'], ['t', 0xef817f16, 'vmov.f32\td7, #5.5\t@ 0x40b00000'],
    ['t', 0xf32c0002, 'ssat16\tr0, #3, ip'], ['t', 0xf81ff008, 'pld\t[pc, #-8]'], ['t', 0xf831fc08, 'pldw\t[r1, #-8]'], ['t', 0xb650, 'setend\tle'],
    ['m', 0x00000140, 'pause'], ['m', 0x0000040f, 'sync_mb'], ['m', 0x4ce2200f, 'prefx\t0x4,v0(a3)'], ['m', 0x00000034, 'teq\tzero,zero'],
    ['m', 0x00022822, 'neg\ta1,v0'], ['m', 0x0320fc09, 'jalr.hb\tt9'],
  ] as const)('%s %s: %s', (state, word, objdump) => {
    const text = urunText(state === 'm' ? 'mips' : 'armhf', state, 0x10000, word | 0);
    const sp = text.indexOf(' '), [mnemonic, operands = ''] = objdump.split('\t');
    expect(comparable(sp < 0 ? text : text.slice(0, sp), sp < 0 ? '' : text.slice(sp + 1))).toBe(comparable(mnemonic, operands));
  });

  it('ARM: addressing modes, register lists, shifts and immediates', () => {
    const a32 = (w: number) => armSyntax(A32_TABLE.disassemble(w | 0, 0x8000), w | 0, true);
    expect(a32(0xe52de004)).toBe('push {lr}\t\t@ (str lr, [sp, #-4]!)');
    expect(a32(0xe5bef008)).toBe('ldr pc, [lr, #8]!');
    expect(a32(0x0009dbf0)).toBe('strdeq sp, [r9], -r0');
    expect(a32(0xe14420d4 & ~0x00800000)).toBe('ldrd r2, [r4, #-4]');
    expect(a32(0xe08fe00e)).toBe('add lr, pc, lr');
    expect(a32(0xe353010e)).toBe('cmp r3, #-2147483645\t@ 0x80000003');
    expect(a32(0xe1a08108)).toBe('lsl r8, r8, #2');
    expect(a32(0xe1a00060)).toBe('rrx r0, r0');
    expect(a32(0x08bd8030)).toBe('popeq {r4, r5, pc}');
    expect(a32(0xe8ac000f)).toBe('stmia ip!, {r0, r1, r2, r3}');
    expect(a32(0xe4f32004)).toBe('ldrbt r2, [r3], #4');
    expect(a32(0xe6ff3073)).toBe('uxth r3, r3');
    const t32 = (w: number, cond?: number) => armSyntax(T32_TABLE.disassemble(w | 0, 0x8000), w | 0, false, cond);
    expect(t32(0xe8bd4110)).toBe('ldmia.w sp!, {r4, r8, lr}');
    expect(t32(0xf000f802)).toBe('bl 8008');
    // Inside an IT block: the condition goes on the mnemonic, and a 16-bit movs leaves the flags alone.
    expect(t32(0x12000 | 0x0001, 1)).toBe('movne r0, #1');
    expect(t32(0xf8d93000, 0)).toBe('ldreq.w r3, [r9]');
    expect(t32(0xe7fd)).toBe('b.n 7ffe');
    // A NEON modified immediate: one element's value (gcc -O3's vectorised loops use them).
    expect(t32(0xefc04053)).toBe('vmov.i32 q10, #3\t@ 0x00000003');
  });

  it('ARM and Thumb: objdump\'s comments on immediates and offsets beyond -16..32, as objdump -D writes these words', () => {
    const a32 = (w: number) => armSyntax(A32_TABLE.disassemble(w | 0, 0x8000), w | 0, true);
    const t32 = (w: number) => armSyntax(T32_TABLE.disassemble(w | 0, 0x8000), w | 0, false);
    expect(a32(0xe28cca58)).toBe('add ip, ip, #88, 20\t@ 0x58000');
    expect(a32(0xe3a00c01)).toBe('mov r0, #256\t@ 0x100');
    expect(a32(0xe51b3014)).toBe('ldr r3, [fp, #-20]\t@ 0xffffffec');
    expect(a32(0xe1c300d4)).toBe('ldrd r0, [r3, #4]');
    expect(a32(0x049df004)).toBe('popeq {pc}\t\t@ (ldreq pc, [sp], #4)');
    expect(a32(0xe1a00000)).toBe('nop \t\t@ (mov r0, r0)');
    // A 32-bit Thumb load's negative offset has none; ldrd's is its magnitude.
    expect(t32(0xf8053c24)).toBe('strb.w r3, [r5, #-36]');
    expect(t32(0xe95a000d)).toBe('ldrd r0, r0, [sl, #-52]\t@ 0x34');
    expect(t32(0xdfe8)).toBe('svc 232\t@ 0xe8');
    expect(t32(0x2b2f)).toBe('cmp r3, #47\t@ 0x2f');
    // A VFP constant: its single-precision bits and its value with 1, 3 or 7 decimals.
    expect(t32(0xeef77a00)).toBe('vmov.f32 s15, #112\t@ 0x3f800000  1.0');
    expect(t32(0xeeb60b0c)).toBe('vmov.f64 d0, #108\t@ 0x3f600000  0.875');
  });

  it('NEON structure loads and stores: one lane, all lanes, registers two apart, alignment', () => {
    // Checked against objdump on 4,000 random encodings per state: every one urun decodes is alike.
    const a32 = (w: number) => armSyntax(A32_TABLE.disassemble(w | 0, 0x8000), w | 0, true);
    const t32 = (w: number) => armSyntax(T32_TABLE.disassemble(w | 0, 0x8000), w | 0, false);
    expect(t32(0xf9a0088f)).toBe('vld1.32 {d0[1]}, [r0]');
    expect(t32(0xf9a0054f)).toBe('vld2.16 {d0[1],d1[1]}, [r0]');
    expect(t32(0xf980033f)).toBe('vst4.8 {d0[1],d1[1],d2[1],d3[1]}, [r0 :32]');
    expect(t32(0xf980 << 16 | 0x0ac1)).toBe('vst3.32 {d0[1],d2[1],d4[1]}, [r0], r1');
    expect(t32(0xf9a04cbd)).toBe('vld1.32 {d4[]-d5[]}, [r0 :32]!');
    expect(a32(0xf4a00f3f)).toBe('vld4.8 {d0[],d2[],d4[],d6[]}, [r0 :32]');
    expect(a32(0xf4e02f9a)).toBe('vld4.32 {d18[]-d21[]}, [r0 :64], sl');
    expect(a32(0xf420090f)).toBe('vld2.8 {d0,d2}, [r0]');
    expect(a32(0xf420113f)).toBe('vld4.8 {d1,d3,d5,d7}, [r0 :256]');
    expect(a32(0xf4000265)).toBe('vst1.16 {d0-d3}, [r0 :128], r5');
    expect(a32(0xf3ff1b4d)).toBe('vtbx.8 d17, {d15-d18}, d13');
  });
});

describe('what an instruction does to its operands (--explain)', () => {
  it('arithmetic, moves, compares, memory, branches and calls, conditions', async () => {
    const { effectOf } = await import('../src/isa/effect.js');
    expect(effectOf('addiu $sp, $sp, -32', 'addiu', 'mips')).toBe('$sp ← $sp + -32');
    expect(effectOf('sltu $v0, $a0, $a1', 'sltu', 'mips')).toBe('$v0 ← $a0 < $a1 ? 1 : 0 (unsigned)');
    expect(effectOf('lbu $v0, 0($a1)', 'lbu', 'mips')).toBe('$v0 ← mem8[$a1]');
    expect(effectOf('bnez $v1, 400314', 'bne', 'mips')).toBe('if $v1 != 0 goto 400314');
    expect(effectOf('jr $ra', 'jr', 'mips')).toBe('return (goto $ra)');
    expect(effectOf('ldr pc, [lr, #8]!', 'ldr', 'arm')).toBe('pc ← mem32[lr + 8]; lr ← lr + 8');
    expect(effectOf('strdeq sp, [r9], -r0', 'strd', 'arm')).toBe('if Z: mem64[r9] ← sp; r9 ← r9 − r0');
    expect(effectOf('ldr r3, [r9, r3, lsl #2]', 'ldr', 'arm')).toBe('r3 ← mem32[r9 + (r3 << 2)]');
    expect(effectOf('add r3, r3, r2, lsl #2', 'add', 'arm')).toBe('r3 ← r3 + (r2 << 2)');
    expect(effectOf('rsbs r0, r1, #0', 'rsbs', 'arm')).toBe('r0 ← 0 − r1; set N Z C V');
    expect(effectOf('adds r7, #12', 'adds', 'arm')).toBe('r7 ← r7 + 12; set N Z C V');
    expect(effectOf('movne r3, #0', 'movs', 'arm')).toBe('if !Z: r3 ← 0');
    expect(effectOf('cmp r2, r3', 'cmp', 'arm')).toBe('set N Z C V from r2 − r3');
    expect(effectOf('pop {r4, r5, pc}', 'ldm', 'arm')).toBe('load {r4, r5, pc} from sp; sp ← sp + 12 (returns)');
    expect(effectOf('bls 1044', 'b', 'arm')).toBe('if !C || Z: goto 1044');
    expect(effectOf('bl 87b0', 'bl', 'arm')).toBe('call 87b0 (lr ← return address)');
    expect(effectOf('cbz r3, 1022e', 'cbz', 'arm')).toBe('if r3 == 0 goto 1022e');
    expect(effectOf('vadd.f64 d0, d1, d2', 'vadd.f64', 'arm')).toBe('d0 ← d1 + d2');
    expect(effectOf('vmov.f64 d13, #96\t@ 0.5', 'vmov.f64', 'arm')).toBe('d13 ← 0.5');
    expect(effectOf('vldr d6, [r3, #-8]', 'vldr', 'arm')).toBe('d6 ← mem64[r3 − 8]');
    expect(effectOf('mul.d $f4, $f0, $f4', 'mul.d', 'mips')).toBe('$f4 ← $f0 × $f4');
    expect(effectOf('mtc1 $a0, $f6', 'mtc1', 'mips')).toBe('$f6 ← $a0');
    expect(effectOf('ldmia r0!, {r1, r2}', 'ldm', 'arm')).toBe('load {r1, r2} from memory upward from r0; r0 ← r0 + 8');
    expect(effectOf('stmdbcs sp!, {r4, lr}', 'stm', 'arm')).toBe('if C: store {r4, lr} to memory below sp; sp ← sp − 8');
    expect(effectOf('ite ne', 'it', 'arm')).toBe('the next 2 instructions run only when their condition holds: the 1st if !Z, the 2nd if Z');
    expect(effectOf('tbb [pc, r3]', 'tbb', 'arm')).toBe('goto pc + 2 × mem8[pc + r3] (a switch table)');
    expect(effectOf('ubfx r0, r1, #4, #8', 'ubfx', 'arm')).toBe('r0 ← bits 4..11 of r1');
    expect(effectOf('ext $v0, $a0, 3, 5', 'ext', 'mips')).toBe('$v0 ← bits 3..7 of $a0');
    expect(effectOf('uxtb r3, r3', 'uxtb', 'arm')).toBe('r3 ← the low byte of r3, zero-extended');
    expect(effectOf('seh $v0, $v1', 'seh', 'mips')).toBe('$v0 ← the low halfword of $v1, sign-extended');
    expect(effectOf('mla r0, r1, r2, r3', 'mla', 'arm')).toBe('r0 ← r1 × r2 + r3');
    expect(effectOf('clz r0, r1', 'clz', 'arm')).toBe('r0 ← the number of leading zero bits of r1');
    expect(effectOf('mrc 15, 0, r0, cr13, cr0, {3}', 'mrc', 'arm')).toBe('r0 ← the thread pointer (TPIDRURO)');
    expect(effectOf('rdhwr $v1, $29', 'rdhwr', 'mips')).toBe('$v1 ← the thread pointer (UserLocal)');
    expect(effectOf('dmb ish', 'dmb', 'arm')).toMatch(/^no register changes/);
    expect(effectOf('uadd8 r0, r1, r2', 'uadd8', 'arm')).toBeUndefined();
  });
});
