// The instruction tables' own consistency (checked here rather than at every start of urun).
import { describe, expect, it } from 'vitest';
import { InsnFlags, InsnTable } from '../src/isa/table.js';
import { MIPS_TABLE } from '../src/isa/mips/table.js';
import { A32_TABLE } from '../src/isa/arm/a32.js';
import { T32_TABLE } from '../src/isa/arm/t32.js';

describe('instruction tables', () => {
  for (const t of [MIPS_TABLE, A32_TABLE, T32_TABLE]) {
    it(`${t.isaName}: distinct encodings, matches inside masks, known fields only`, () => {
      expect(t.problems()).toEqual([]);
    });
  }

  it('problems() reports a duplicate encoding, stray match bits and an unknown field', () => {
    const t = new InsnTable('toy', [
      { name: 'a', mask: 0xff, match: 0x01, asm: '', code: 'R[$x] = 1;', flags: InsnFlags.None },
      { name: 'b', mask: 0xff, match: 0x01, asm: '', code: 'R[$y] = 1;', flags: InsnFlags.None },
      { name: 'c', mask: 0x0f, match: 0x12, asm: '', code: '', flags: InsnFlags.None },
    ], { x: { expr: 'w & 1', kind: 'int' } }, () => 0, () => '');
    expect(t.problems().sort()).toEqual([
      'toy: b and a have the same encoding',
      'toy: b uses unknown field $y',
      'toy: c match has bits outside its mask',
    ]);
  });
});
