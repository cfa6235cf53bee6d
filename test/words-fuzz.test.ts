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
});
