// The instruction tables' own consistency (checked here rather than at every start of urun).
import { describe, expect, it } from 'vitest';
import { InsnFlags, InsnTable } from '../src/isa/table.js';
import { MIPS_TABLE } from '../src/isa/mips/table.js';
import { MIPS16_TABLE } from '../src/isa/mips/mips16.js';
import { A32_TABLE } from '../src/isa/arm/a32.js';
import { T32_TABLE } from '../src/isa/arm/t32.js';
import { PREBUILT_DEFS_FILE } from '../src/isa/prebuilt.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './support/urun.js';

describe('instruction tables', () => {
  for (const t of [MIPS_TABLE, MIPS16_TABLE, A32_TABLE, T32_TABLE]) {
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

  it('the bundle\'s prebuilt ARM tables are what the generators make (npm run build writes them)', () => {
    const prebuilt = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist', PREBUILT_DEFS_FILE), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(prebuilt).sort()).toEqual(['A32', 'T32']);
    // Through JSON too, so that a def's absent `requires` compares equal to the file's.
    expect(prebuilt.A32).toEqual(JSON.parse(JSON.stringify(A32_TABLE.defs)));
    expect(prebuilt.T32).toEqual(JSON.parse(JSON.stringify(T32_TABLE.defs)));
  });
});
