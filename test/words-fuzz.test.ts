// Random instruction words through the interpreter and the translator (test/fuzz/words.ts),
// a fixed-seed slice; `npm run fuzz` runs more. Every block executes or raises a guest
// signal, never a JavaScript exception, and the lockstep checker finds the engines agree.
import { describe, expect, it } from 'vitest';
import { fuzzWords, WORD_MODES } from './fuzz/words.js';
import { GuestMemory, PROT_EXEC, PROT_READ } from '../src/memory/memory.js';
import { MipsCpu } from '../src/isa/mips/cpu.js';
import { ArmCpu } from '../src/isa/arm/cpu.js';
import { GuestFault, SIGILL } from '../src/engine/signals.js';

describe('random instruction words', () => {
  it('run in both engines alike, or raise a guest signal', () => {
    const r = fuzzWords({ seed: 11, perMode: 600 });
    expect(r.failures).toEqual([]);
    expect(r.cases).toBe(600 * WORD_MODES.length);
    // Both outcomes are exercised in every mode.
    for (const mode of WORD_MODES) expect(r.summary).toMatch(new RegExp(`${mode}: [1-9]\\d* ran, [1-9]\\d* signalled`));
  }, 60_000);

  it('an undefined encoding is a SIGILL naming the word and the PC', () => {
    const at = 0x10000;
    const cases: [string, (m: GuestMemory) => { scanBlock(pc: number): { insns: { fault: GuestFault | null }[] } }, boolean, number, number, RegExp][] = [
      ['mips', (m) => new MipsCpu(m, () => {}), false, at, 0xfc000000, /^illegal instruction 0xfc000000 at 0x00010000$/],
      ['a32', (m) => new ArmCpu(m, () => {}), true, at, 0xe7f000f0, /^illegal instruction 0xe7f000f0 at 0x00010000$/],
      ['t32', (m) => new ArmCpu(m, () => {}), true, at | 1, 0xdededede, /^illegal Thumb instruction 0xdede at 0x00010000$/],
    ];
    for (const [, make, little, pc, word, message] of cases) {
      const mem = new GuestMemory(little);
      mem.map(at, 0x1000, PROT_READ | PROT_EXEC);
      mem.view.setUint32(at, word >>> 0, little);
      const fault = make(mem).scanBlock(pc).insns[0].fault;
      expect(fault).toBeInstanceOf(GuestFault);
      expect(fault!.signal).toBe(SIGILL);
      expect(fault!.message).toMatch(message);
    }
  });

  it('a pop of the PC inside an IT block but not last runs alike in both engines (found by npm run fuzz, seed 777)', () => {
    // add r6, sp, #128; ldr r4, [sp, #312]; vhsub.s32; itte; pop {r0, r4, r7, pc}; vrsra.s32:
    // UNPREDICTABLE. The interpreter sets the next PC anew for each instruction, so the pop's
    // write was void there; the translated block jumped to the popped value.
    const r = fuzzWords({ seed: 777, first: 6886, perMode: 1, modes: ['t32'] });
    expect(r.failures).toEqual([]);
    expect(r.summary).toMatch(/t32: 1 ran/);
  });

  it('a branch inside an IT block but not its last instruction is a SIGILL (found by the CI fuzz slice)', () => {
    // itt mi; b .+0x78e; ldr r6, [sp, #608]: the engines used to disagree on whether the rest ran.
    const at = 0x10000, mem = new GuestMemory(true);
    mem.map(at, 0x1000, PROT_READ | PROT_EXEC);
    [0xbf44, 0xe3c2, 0x9e98, 0x4770].forEach((hw, i) => mem.view.setUint16(at + 2 * i, hw, true));
    const cpu = new ArmCpu(mem, () => {});
    const b = cpu.scanBlock(at | 1);
    expect(cpu.disassemble(b.insns[0].word, at | 1)).toBe('itt mi');
    expect(b.insns[1].fault?.signal).toBe(SIGILL);
    expect(b.insns[1].fault?.message).toMatch(/^branch 0xe3c2 inside an IT block but not last at 0x00010002$/);
    expect(b.insns[2].def?.name).toBe('ldr');
  });
});
