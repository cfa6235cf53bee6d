// MIPS16e: test/guest/mips16.c built with -mips16 (test/fixtures/build-mips16.sh) runs its
// compressed code mixed with the MIPS32 C library (jalx, jr and jalr to odd addresses), as
// under qemu-user (test/fixtures/golden/mips16.json). urun once ran no MIPS16 code at all: the
// first jump into it was a SIGBUS with no message.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, urunAsync } from './support/urun.js';
import { MIPS16_TABLE } from '../src/isa/mips/mips16.js';

const GOLDEN = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/golden/mips16.json'), 'utf8')) as
  Record<string, { stdout: string; status: number }>;

describe.each(['mips', 'mipsel'])('MIPS16e code, on %s', (arch) => {
  for (const [name, want] of Object.entries(GOLDEN)) {
    it.concurrent(name, async () => {
      const r = await urunAsync([path.join(ROOT, 'test/fixtures/bin', arch, 'mips16'), name], { env: {} });
      expect({ stdout: r.stdout, status: r.status }, r.stderr).toEqual(want);
    });
  }
});

describe('the MIPS16e table', () => {
  it('disassembles as objdump does, but for register names', () => {
    // (objdump -d of the same halfwords: 'xor a0,a2', 'sltiu a0,1', 'jr ra', 'move v0,t8', 'save 32,ra'.)
    expect(MIPS16_TABLE.disassemble(0xecce, 0)).toBe('xor $a0, $a2');
    expect(MIPS16_TABLE.disassemble(0x5c01, 0)).toBe('sltiu $a0, 1');
    expect(MIPS16_TABLE.disassemble(0xe820, 0)).toBe('jr ra');
    expect(MIPS16_TABLE.disassemble(0x6758, 0)).toBe('move $v0, $t8');
  });
});
