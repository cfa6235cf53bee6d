// What the ARM per-instruction tests share: running a program block by block in one
// engine (any guest CPU: the MIPS FPU tests use it too), and an independent BigInt model of
// the ARM flag arithmetic.
import type { GuestCpu, ScannedBlock } from '../../src/engine/cpu.js';
import { GuestFault } from '../../src/engine/signals.js';
import { translateRegion, Untranslatable } from '../../src/engine/translate.js';

export type Engine = 'interpreter' | 'translator';

/** The block, ready to run in that engine (a block the translator refuses, such as one holding an undefined instruction, is interpreted). */
function runnerFor(cpu: GuestCpu, block: ScannedBlock, engine: Engine): () => number {
  if (engine === 'translator') {
    try {
      return translateRegion(cpu.translation, [block], { instructions: 0 }, { valid: true }, null);
    } catch (e) {
      if (!(e instanceof Untranslatable)) throw e;
    }
  }
  return cpu.interpret(block);
}

/**
 * Runs from `pc` (odd: Thumb) block by block until a guest fault that `isEnd` accepts (the
 * program's terminator); any other fault propagates.
 */
export function runUntil(cpu: GuestCpu, engine: Engine, pc: number, isEnd: (e: GuestFault) => boolean, maxBlocks = 100): void {
  for (let steps = 0; steps < maxBlocks; steps++) {
    try {
      runnerFor(cpu, cpu.scanBlock(pc), engine)();
    } catch (e) {
      if (e instanceof GuestFault && isEnd(e)) return;
      throw e;
    }
    pc = cpu.next;
  }
  throw new Error('the program did not reach its end');
}

// ---- the flag model ----
export const u32 = (x: bigint) => Number(BigInt.asUintN(32, x));
export const s32 = (x: number) => BigInt(x | 0);
export const u = (x: number) => BigInt(x >>> 0);
export const inInt32 = (x: bigint) => x >= -(2n ** 31n) && x < 2n ** 31n;
/** NZCV as the top nibble of APSR, from a result and the carry/overflow the model says. */
export const nzcv = (r: number, c: boolean, v: boolean) =>
  ((r >>> 31) << 3) | ((r >>> 0) === 0 ? 4 : 0) | (c ? 2 : 0) | (v ? 1 : 0);

export type Model = (a: number, b: number, cin: number) => { r: number; c: boolean; v: boolean };
/** a + b + cin, as ADD/ADC define result, carry and overflow. */
export const add: Model = (a, b, ci) => ({ r: u32(u(a) + u(b) + BigInt(ci)), c: u(a) + u(b) + BigInt(ci) >= 2n ** 32n, v: !inInt32(s32(a) + s32(b) + BigInt(ci)) });
/** a - b - (1 - cin), as SUB/SBC define them (C is NOT borrow). */
export const sub: Model = (a, b, ci) => ({ r: u32(u(a) - u(b) - BigInt(1 - ci)), c: u(a) >= u(b) + BigInt(1 - ci), v: !inInt32(s32(a) - s32(b) - BigInt(1 - ci)) });

/** Edge operands for the arithmetic tests. */
export const VALUES = [0, 1, -1, 0x7fffffff, -0x80000000, 0x12345678, -0x1234, 0x80000001, 0xfffffffe];
