#!/usr/bin/env node
// Makes test/fixtures/golden/objdump-shapes.<arch>.txt: one instruction of each operand shape
// (mnemonic and operand pattern, registers and numbers aside) that Debian's cross objdump -d
// finds in a program, with the text objdump gives it. test/syntax.test.ts checks that urun's
// disassembly writes each the same way. Made from the static benchmark programs (npm run
// bench builds them into bench/build/<arch>):
//
//   node test/support/objdump-shapes.mjs armel bench/build/armel/sort bench/build/armel/nbody
//
// Left out, as urun does not write them as objdump does (or at all): FPA and coprocessor
// instructions that Linux programs never run (ldf/stf, ldc/stc), permanently undefined
// encodings (udf), data (.word), hints by number (nop {0}), the FLDMX/FSTMX forms,
// and Thumb instructions inside IT blocks (their condition comes from
// the IT instruction, which test/inspect.test.ts covers).
//
//   node test/support/objdump-shapes.mjs (armel|armhf|mips|mipsel) bench/build/ARCH/{sort,nbody,sha256,strings}
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listingLines } from './objdump-listing.mjs';

const [arch, ...programs] = process.argv.slice(2);
const OBJDUMP = { armel: 'arm-linux-gnueabi-objdump', armhf: 'arm-linux-gnueabihf-objdump', mips: 'mips-linux-gnu-objdump', mipsel: 'mipsel-linux-gnu-objdump' }[arch];
if (!OBJDUMP || programs.length === 0) {
  console.error('usage: objdump-shapes.mjs armel|armhf|mips|mipsel PROGRAM...');
  process.exit(2);
}
const LEFT_OUT = /^(ldf|stf|ldc|stc|udf|fldm|fstm|\.)/;
const REGISTER = /\b(r\d+|sl|fp|ip|sp|lr|pc|[sdq]\d+|zero|at|v[01]|a[0-3]|t\d|s[0-8]|k[01]|gp|ra)\b/g;
const seen = new Set();
const out = [];
for (const program of programs) {
  const listing = spawnSync(OBJDUMP, ['-d', program], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout;
  for (const { addr, bytes, mnemonic, rest, covered } of listingLines(listing)) {
    const operands = rest.replace(/\s*<[^>]*>/g, '').trim();
    if (covered || LEFT_OUT.test(mnemonic) || (mnemonic === 'nop' && operands !== '')) continue;
    const shape = `${mnemonic} ${operands.replace(/\s*[@;].*$/, '').replace(REGISTER, 'R').replace(/[0-9a-f]+/g, 'N')}`;
    if (seen.has(shape)) continue;
    seen.add(shape);
    // The word as urun's tables take it: A32 and MIPS words; Thumb halfwords (the first one high).
    const halves = bytes.split(' ');
    const thumb = arch.startsWith('arm') && halves[0].length === 4;
    const word = thumb ? (halves.length === 2 ? `${halves[0]}${halves[1]}` : halves[0]) : halves[0];
    out.push(`${addr} ${thumb ? 't' : 'a'} ${word}\t${mnemonic}\t${operands}`);
  }
}
const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'golden', `objdump-shapes.${arch}.txt`);
writeFileSync(file, out.join('\n') + '\n');
console.log(`${file}: ${out.length} instructions`);
