// `urun info` and `urun disasm` on the committed debugme fixtures; disasm is diffed against
// `objdump -d` output recorded from Debian's cross binutils (test/fixtures/golden/objdump-*).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, urunAsync } from './support/urun.js';
import { comparable } from './support/objdump.js';

const bin = (arch: string, name = 'debugme') => path.join(ROOT, 'test/fixtures/bin', arch, name);
const RANGES: Record<string, string> = { mips: '0x4006c0-0x400938', mipsel: '0x4006d0-0x400948', armhf: '0x10440-0x10578', armel: '0x10564-0x10764' };

describe('urun disasm', () => {
  it.concurrent.each(Object.keys(RANGES))('%s: addresses, encodings, functions, mnemonics and operands match objdump -d', async (arch) => {
    const r = await urunAsync(['disasm', bin(arch), RANGES[arch]]);
    expect(r.status).toBe(0);
    const golden = fs.readFileSync(path.join(ROOT, `test/fixtures/golden/objdump-debugme.${arch}.txt`), 'utf8').split('\n');
    const isInsn = (l: string) => /^ +[0-9a-f]+:\t/.test(l);
    const isHeader = (l: string) => /^[0-9a-f]{8} <.*>:$/.test(l);
    const ours = r.stdout.split('\n');
    expect(ours.filter(isHeader)).toEqual(golden.filter(isHeader));
    const theirs = golden.filter(isInsn).map((l) => l.split('\t'));
    const mine = ours.filter(isInsn).map((l) => l.split('\t'));
    expect(mine.length).toBe(theirs.length);
    for (let i = 0; i < theirs.length; i++) {
      const [addr, bytes, mnemonic, operands = ''] = theirs[i];
      expect(`${mine[i][0]} ${mine[i][1].trim()}`).toBe(`${addr} ${bytes.trim()}`);
      // Mnemonics and operands as objdump writes them, line by line.
      expect(`${addr} ${comparable(mine[i][2].trim(), mine[i][3] ?? '')}`).toBe(`${addr} ${comparable(mnemonic.trim(), operands)}`);
    }
  });

  it.concurrent.each(['armhf', 'armel', 'mipsel'])('%s: a dynamic program\'s whole listing is objdump\'s: PLT entries, literals, comments', async (arch) => {
    // (MIPS registers are written with their $, and operands after ", ", as the assembler reads them.)
    const plain = (text: string) => text.split('\n').slice(2).map((l) => (arch === 'mipsel' ? l.replace(/\$(?=[a-z0-9])/g, '').replace(/, /g, ',') : l));
    const r = await urunAsync(['disasm', bin(arch, 'debugme-dyn')]);
    expect(r.status).toBe(0);
    const golden = fs.readFileSync(path.join(ROOT, `test/fixtures/golden/objdump-debugme-dyn.${arch}.txt`), 'utf8');
    expect(plain(r.stdout)).toEqual(plain(golden));
    if (arch === 'armhf') expect(r.stdout).toMatch(/^00000\w+ <printf@plt>:$/m);
  });

  it.concurrent('a stripped dynamic program: objdump\'s names from .dynsym, with versions, and before the first symbol', async () => {
    // debugme-dyn with its symbol table's section made SHT_NULL, as objdump -d read it (test/fixtures/golden).
    const elf = fs.readFileSync(bin('mipsel', 'debugme-dyn'));
    const shoff = elf.readUInt32LE(0x20), shentsize = elf.readUInt16LE(0x2e), shnum = elf.readUInt16LE(0x30);
    for (let i = 0; i < shnum; i++) if (elf.readUInt32LE(shoff + i * shentsize + 4) === 2) elf.writeUInt32LE(0, shoff + i * shentsize + 4);
    const stripped = path.join(fs.mkdtempSync(path.join(ROOT, 'dist/stripped-')), 'debugme-dyn');
    fs.writeFileSync(stripped, elf);
    const r = await urunAsync(['disasm', stripped]);
    const plain = (text: string) => text.split('\n').slice(2).map((l) => l.replace(/\$(?=[a-z0-9])/g, '').replace(/, /g, ','));
    expect(plain(r.stdout)).toEqual(plain(fs.readFileSync(path.join(ROOT, 'test/fixtures/golden/objdump-debugme-dyn-stripped.mipsel.txt'), 'utf8')));
    expect(r.stdout).toMatch(/^000007b0 <square@@Base>:$/m);
  });

  it.concurrent('a stripped armhf program: its code read in the entry point\'s state (Thumb), its PLT as ARM', async () => {
    // The fixture with its symbol table's section made SHT_NULL: no symbols, no mapping symbols.
    const elf = fs.readFileSync(bin('armhf'));
    const shoff = elf.readUInt32LE(0x20), shentsize = elf.readUInt16LE(0x2e), shnum = elf.readUInt16LE(0x30);
    for (let i = 0; i < shnum; i++) if (elf.readUInt32LE(shoff + i * shentsize + 4) === 2) elf.writeUInt32LE(0, shoff + i * shentsize + 4);
    const stripped = path.join(fs.mkdtempSync(path.join(ROOT, 'dist/stripped-')), 'debugme');
    fs.writeFileSync(stripped, elf);
    // (A branch target no symbol names is written 0x... there, as objdump does.)
    const insns = (out: string) => out.split('\n').filter((l) => /^ +[0-9a-f]+:\t/.test(l)).map((l) => l.replace(/ <[^>]*>/g, '').replace(/([\t(])0x([0-9a-f]+)(\)?)$/, '$1$2$3'));
    const whole = await urunAsync(['disasm', bin('armhf'), RANGES.armhf]);
    const bare = await urunAsync(['disasm', stripped, RANGES.armhf]);
    expect(bare.status).toBe(0);
    // The same instructions; the literal pools between functions (data only mapping symbols
    // mark) read as instructions now, as objdump reads them without the symbols.
    const code = insns(whole.stdout).filter((l) => !l.includes('.word'));
    expect(code.length).toBeGreaterThan(50);
    const got = new Set(insns(bare.stdout));
    expect(code.filter((l) => !got.has(l))).toEqual([]);
  });

  it.concurrent('names branch targets, explains, and says what it cannot find', async () => {
    const r = await urunAsync(['disasm', '--explain', bin('mips'), 'sum_squares']);
    expect(r.stdout).toMatch(/^0*400734 <sum_squares>:$/m);
    expect(r.stdout).toMatch(/\tbal\t4006c0 <square>\t# call a nearby address \(branch and link\): call 4006c0 \(\$ra ← return address\)$/m);
    // What each instruction does to its operands, in the notation of effect.ts.
    expect(r.stdout).toMatch(/\tsw\t\$ra, 36\(\$sp\)\t# store a word: mem32\[\$sp \+ 36\] ← \$ra$/m);
    expect(r.stdout).toMatch(/\tlw\t\$v0, -32668\(\$gp\)\t# load a word: \$v0 ← mem32\[\$gp − 32668\]$/m);
    expect(r.stdout).toMatch(/\tb\t4007b4 <sum_squares\+0x80>\t# branch: goto 4007b4$/m);
    const arm = await urunAsync(['disasm', '--explain', bin('armel'), 'sum_squares']);
    expect(arm.stdout).toMatch(/\tstr\tr0, \[fp, #-16\]\t# store a word: mem32\[fp − 16\] ← r0$/m);
    expect(arm.stdout).toMatch(/\tble\t105fc <sum_squares\+0x24>\t# branch: if Z \|\| N != V: goto 105fc$/m);
    expect(arm.stdout).toMatch(/\tpush\t\{fp, lr\}\t# .*: store \{fp, lr\} below sp; sp ← sp − 8$/m);
    expect(r.stdout).toMatch(/\taddiu\t\$sp, \$sp, -40\t# .+/);
    const bad = await urunAsync(['disasm', bin('mips'), 'no_such_function']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(`urun disasm: ${bin('mips')}: no symbol 'no_such_function' (give a symbol or START-END in hex)\n`);
  });
});

describe('urun disasm on damaged or odd input', () => {
  it.concurrent('warns of a section past the end of the file, refuses what it cannot read, and says why', async () => {
    const dir = fs.mkdtempSync(path.join(ROOT, 'dist/disasm-odd-'));
    const elf = fs.readFileSync(bin('mipsel'));
    const u32 = (o: number) => elf.readUInt32LE(o), u16 = (o: number) => elf.readUInt16LE(o);
    const shoff = u32(0x20), shentsize = u16(0x2e), shnum = u16(0x30), names = u32(shoff + u16(0x32) * shentsize + 16);
    const past = Buffer.from(elf);
    for (let i = 0; i < shnum; i++) {
      const at = shoff + i * shentsize;
      if (elf.toString('latin1', names + u32(at), names + u32(at) + 6) === '.text\0') past.writeUInt32LE(elf.length, at + 20);
    }
    fs.writeFileSync(path.join(dir, 'past'), past);
    const r = await urunAsync(['disasm', path.join(dir, 'past'), 'main']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`urun disasm: ${path.join(dir, 'past')}: warning: section .text runs past the end of the file\n`);
    expect(r.stdout).toMatch(/<main>:/);
    fs.writeFileSync(path.join(dir, 'cut'), elf.subarray(0, 4096));
    const cut = await urunAsync(['disasm', path.join(dir, 'cut')]);
    expect([cut.status, cut.stderr]).toEqual([1, `urun disasm: ${path.join(dir, 'cut')}: no section headers (or they lie past the end of the file): nothing tells where the code is\n`]);
    const flipped = Buffer.from(elf);
    flipped[5] = 2;
    fs.writeFileSync(path.join(dir, 'flipped'), flipped);
    const f = await urunAsync(['disasm', path.join(dir, 'flipped')]);
    expect(f.status).toBe(1);
    expect(f.stderr).toContain('machine 2048 (MIPS in the other byte order: is the header\'s byte order, EI_DATA, wrong?)');
    const empty = await urunAsync(['disasm', bin('mipsel'), '400200-400100']);
    expect([empty.status, empty.stderr]).toEqual([1, `urun disasm: ${bin('mipsel')}: 400200-400100: an empty range (START-END, END above START)\n`]);
    const extra = await urunAsync(['disasm', bin('mipsel'), 'main', 'more']);
    expect([extra.status, extra.stderr]).toEqual([2, 'urun disasm: unexpected argument more (urun disasm FILE [SYMBOL|START-END] [--explain])\n']);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('urun info', () => {
  it.concurrent('a static MIPS program and a static armhf one', async () => {
    const mips = await urunAsync(['info', bin('mips')]);
    expect(mips.status).toBe(0);
    expect(mips.stdout).toContain(`${bin('mips')}: ELF 32-bit big-endian MIPS executable\n`);
    expect(mips.stdout).toContain('ABI:       o32, hard float, FPXX (any FPU mode)\n');
    expect(mips.stdout).toContain('ISA:       MIPS32 release 2');
    expect(mips.stdout).toContain('NaN:       legacy (MIPS) encoding\n');
    expect(mips.stdout).toContain('Entry:     0x00400530 (__start)\n');
    expect(mips.stdout).toContain('Linking:   static (needs no libraries)\n');
    expect(mips.stdout).not.toContain('Built by:');
    expect(mips.stdout).toMatch(/^ {2}0x00400000-0x[0-9a-f]{8} r-x \d+ bytes from the file/m);
    expect(mips.stdout).toContain('urun runs it: yes, as mips\n');
    const hf = await urunAsync(['info', bin('armhf')]);
    expect(hf.stdout).toContain('ABI:       EABI version 5, hard float (VFP registers carry floats: armhf)\n');
    expect(hf.stdout).toContain('Code:      ARM and Thumb; entry in Thumb state\n');
    expect(hf.stdout).toContain('urun runs it: yes, as armhf\n');
    const go = await urunAsync(['info', bin('armel', 'gotest')]);
    expect(go.stdout).toContain('Linking:   static (needs no libraries)\nBuilt by:  Go (its runtime starts several threads at once)\n');
  });

  it.concurrent('a dynamic program: its interpreter and libraries, with and without a sysroot', async () => {
    const none = await urunAsync(['info', bin('mipsel', 'debugme-dyn')]);
    expect(none.stdout).toContain('Linking:   dynamic; interpreter /lib/ld.so.1 (give the sysroot with -L DIR to check it)\n');
    expect(none.stdout).toContain('Needs:     libc.so.6\n');
    expect(none.stdout).toMatch(/urun runs it: no: dynamically linked \(interpreter \/lib\/ld\.so\.1\); give the target's root filesystem with -L DIR/);
    const empty = fs.mkdtempSync(path.join(ROOT, 'dist/info-root-'));
    const missing = await urunAsync(['info', '-L', empty, bin('mipsel', 'debugme-dyn')]);
    expect(missing.stdout).toContain(`interpreter /lib/ld.so.1 (NOT found under ${empty})`);
    expect(missing.stdout).toContain(`Needs:     libc.so.6 (NOT found under ${empty})`);
    expect(missing.stdout).toMatch(/urun runs it: no: interpreter \/lib\/ld\.so\.1 not found under sysroot/);
    fs.rmSync(empty, { recursive: true });
    // Debian's multiarch directories and the directories etc/ld.so.conf includes are searched too.
    const root = fs.mkdtempSync(path.join(ROOT, 'dist/info-root-'));
    for (const d of ['lib/mipsel-linux-gnu', 'opt/lib', 'etc/ld.so.conf.d']) fs.mkdirSync(path.join(root, d), { recursive: true });
    fs.writeFileSync(path.join(root, 'lib/mipsel-linux-gnu/libc.so.6'), '');
    fs.writeFileSync(path.join(root, 'etc/ld.so.conf'), 'include /etc/ld.so.conf.d/*.conf\n');
    fs.writeFileSync(path.join(root, 'etc/ld.so.conf.d/opt.conf'), '# extra\n/opt/lib\n');
    const found = await urunAsync(['info', '-L', root, bin('mipsel', 'debugme-dyn')]);
    expect(found.stdout).toContain(`Needs:     libc.so.6 (${path.join(root, 'lib/mipsel-linux-gnu/libc.so.6')})`);
    fs.renameSync(path.join(root, 'lib/mipsel-linux-gnu/libc.so.6'), path.join(root, 'opt/lib/libc.so.6'));
    const conf = await urunAsync(['info', '-L', root, bin('mipsel', 'debugme-dyn')]);
    expect(conf.stdout).toContain(`Needs:     libc.so.6 (${path.join(root, 'opt/lib/libc.so.6')})`);
    fs.rmSync(root, { recursive: true });
  });
});

describe('--explain descriptions', () => {
  it('every entry of every instruction table has a one-line description', async () => {
    const { explainInsn } = await import('../src/isa/explain.js');
    const { MIPS_TABLE } = await import('../src/isa/mips/table.js');
    const { MIPS16_TABLE } = await import('../src/isa/mips/mips16.js');
    const { A32_TABLE } = await import('../src/isa/arm/a32.js');
    const { T32_TABLE } = await import('../src/isa/arm/t32.js');
    const missing = [
      ...[...MIPS_TABLE.defs, ...MIPS16_TABLE.defs].filter((d) => !explainInsn(d.name, 'mips')).map((d) => `mips ${d.name}`),
      ...[...A32_TABLE.defs, ...T32_TABLE.defs].filter((d) => !explainInsn(d.name, 'arm')).map((d) => `arm ${d.name}`),
    ];
    expect([...new Set(missing)]).toEqual([]);
    expect(explainInsn('adds', 'arm')).toBe('add, setting the flags');
    expect(explainInsn('vadd.f32', 'arm')).toBe('add (single-precision floats)');
    expect(explainInsn('cvt.d.w', 'mips')).toBe('convert between formats (32-bit integer to double-precision)');
    expect(explainInsn('bne', 'arm')).toBe('branch if not equal');
    expect(explainInsn('bls.w', 'arm')).toBe('branch if unsigned ≤');
  });
});
