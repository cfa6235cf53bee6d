#!/usr/bin/env node
// Makes test/fixtures/golden/objdump-random.<isa>.txt: random instruction words (a fixed
// seed) as Debian's cross objdump -d writes them, for A32, Thumb (16- and 32-bit) and
// MIPS32r2. test/syntax.test.ts checks that every one urun's tables decode reads as objdump
// writes it, which reaches encodings no compiler emitted for the benchmark programs.
// Left out: what objdump calls undefined, unpredictable, invalid or illegal (and vldm of more
// than 16 registers, which it does not call so), coprocessor and FPA
// instructions, Thumb instructions inside IT blocks (test/inspect.test.ts covers those).
//
//   node test/support/objdump-random.mjs   (needs binutils-{arm-linux-gnueabihf,mips-linux-gnu})
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listingLines } from './objdump-listing.mjs';

const COUNT = 6000;
const ISAS = {
  arm: { prefix: 'arm-linux-gnueabihf-', head: '.syntax unified\n.arm\n', as: ['-march=armv7-a', '-mfpu=neon'], word: (r) => `.inst 0x${hex(r())}` },
  thumb: {
    prefix: 'arm-linux-gnueabihf-', head: '.syntax unified\n.thumb\n', as: ['-march=armv7-a', '-mfpu=neon'],
    word: (r) => {
      const first = r() >>> 16;
      return first >>> 11 >= 0x1d ? `.inst.w 0x${hex(((first << 16) | (r() & 0xffff)) >>> 0)}` : `.inst.n 0x${first.toString(16)}`;
    },
  },
  mips: { prefix: 'mips-linux-gnu-', head: '.set noreorder\n', as: ['-march=mips32r2'], word: (r) => `.insn\n.word 0x${hex(r())}` },
};
const LEFT_OUT = /undefined|UNDEFINED|UNPREDICTABLE|unpredictable|illegal|<und>|bad align|overflow|Deprecated|\(bad\)|\(invalid/;
const COPROCESSOR = /^(ldc|stc|cdp|mcr|mrc|mcrr|mrrc|ldf|stf|lfm|sfm|udf|bkpt|\.)/;
const hex = (n) => (n >>> 0).toString(16).padStart(8, '0');

/** mulberry32: a small PRNG, so that the fixture is the same at every run. */
function random(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const dir = mkdtempSync(join(tmpdir(), 'objdump-random-'));
try {
  for (const [isa, o] of Object.entries(ISAS)) {
    const r = random(0x5eed + isa.length);
    const src = join(dir, `${isa}.s`), obj = join(dir, `${isa}.o`);
    writeFileSync(src, `${o.head}.global f\nf:\n${Array.from({ length: COUNT }, () => o.word(r)).join('\n')}\n`);
    const as = spawnSync(`${o.prefix}as`, [...o.as, src, '-o', obj], { encoding: 'utf8' });
    if (as.status !== 0) throw new Error(as.stderr);
    const listing = spawnSync(`${o.prefix}objdump`, ['-d', obj], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout;
    const out = [];
    for (const { line, addr, bytes, mnemonic, rest, covered } of listingLines(listing)) {
      if (covered || /^it[te]*$/.test(mnemonic) || LEFT_OUT.test(line) || COPROCESSOR.test(mnemonic)) continue;
      const halves = bytes.split(' ');
      const word = isa === 'thumb' ? halves.join('') : halves[0];
      // More than 16 D registers: UNPREDICTABLE, though objdump names some.
      if (/^(vldm|vstm|vpush|vpop)/.test(mnemonic) && (parseInt(word, 16) & 0xff) > 32) continue;
      out.push(`${addr} ${isa === 'thumb' ? 't' : 'a'} ${word}\t${mnemonic}\t${rest.replace(/\s*<[^>]*>/g, '').trim()}`);
    }
    const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'golden', `objdump-random.${isa}.txt`);
    writeFileSync(file, out.join('\n') + '\n');
    console.log(`${file}: ${out.length} of ${COUNT} words`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
