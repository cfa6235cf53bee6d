// `urun info FILE [-L DIR]`: what an ELF program is and what running it needs, in plain
// words. `urun disasm FILE [SYMBOL|START-END] [--explain]`: its code disassembled from
// urun's own instruction tables, laid out as `objdump -d` does, with symbols, branch
// targets named and ARM/Thumb state followed through the mapping symbols ($a, $t, $d).
import * as fs from 'node:fs';
import { writeOut } from './output.js';
import * as path from 'node:path';
import { ElfError, EM_ARM, EM_MIPS, MACHINE_NAMES, PF_R, PF_W, PF_X, PT_DYNAMIC, PT_LOAD, parseElf, type ElfFile } from '../elf/parse.js';
import { readSections, readSymbols, relativeTo, SHF_EXECINSTR, STT_TLS, type SymbolTable } from '../elf/symbols.js';
import { archOf } from '../isa/arches.js';
import { prepareImage, UrunError } from '../engine/process.js';
import { explainInstruction } from '../isa/explain.js';
import { InsnFlags, type InsnDef, type InsnTable } from '../isa/table.js';

const say = (s: string): void => void fs.writeSync(2, s + '\n');
const hex8 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');

function load(file: string | undefined, what: string): ElfFile | null {
  if (!file) {
    say(`urun ${what}: which file? (urun ${what} FILE${what === 'disasm' ? ' [SYMBOL|START-END]' : ' [-L DIR]'})`);
    return null;
  }
  try {
    return parseElf(fs.readFileSync(file), file);
  } catch (e) {
    if (e instanceof ElfError) say(`urun: ${e.message}`);
    else say(`urun: ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    return null;
  }
}

/** Runs `urun info` or `urun disasm`; resolves with the exit status. */
export async function inspect(argv: string[]): Promise<number> {
  const [what, ...rest] = argv;
  const flags = rest.filter((a) => a.startsWith('-'));
  const args = rest.filter((a, i) => !a.startsWith('-') && !(i > 0 && (rest[i - 1] === '-L' || rest[i - 1] === '--sysroot')));
  const sysrootAt = rest.findIndex((a) => a === '-L' || a === '--sysroot');
  const sysroot = sysrootAt >= 0 ? rest[sysrootAt + 1] ?? null : process.env.URUN_SYSROOT ?? process.env.QEMU_LD_PREFIX ?? null;
  const unknown = flags.find((f) => !['-L', '--sysroot', '--explain'].includes(f));
  if (unknown) {
    say(`urun ${what}: unknown option ${unknown}`);
    return 2;
  }
  if (args.length > (what === 'disasm' ? 2 : 1)) {
    say(`urun ${what}: unexpected argument ${args[what === 'disasm' ? 2 : 1]} (urun ${what} FILE${what === 'disasm' ? ' [SYMBOL|START-END] [--explain]' : ' [-L DIR]'})`);
    return 2;
  }
  const elf = load(args[0], what);
  if (!elf) return args[0] ? 1 : 2;
  if (what === 'info') {
    writeOut(describeElf(args[0], elf, sysroot));
    return 0;
  }
  return disassemble(args[0], elf, args[1] ?? null, flags.includes('--explain'));
}

// ---- urun info ----

/** The machine's name; for an unknown number whose bytes swapped name one, the likely cause. */
function machineText(elf: ElfFile): string {
  if (MACHINE_NAMES[elf.machine]) return elf.machineName;
  const swapped = ((elf.machine & 0xff) << 8) | (elf.machine >>> 8);
  const other = MACHINE_NAMES[swapped];
  return other ? `machine ${elf.machine} (${other} in the other byte order: is the header's byte order, EI_DATA, wrong?)` : elf.machineName;
}

const MIPS_ISA = ['MIPS I', 'MIPS II', 'MIPS III', 'MIPS IV', 'MIPS V', 'MIPS32', 'MIPS64', 'MIPS32 release 2', 'MIPS64 release 2', 'MIPS32 release 6', 'MIPS64 release 6'];
const MIPS_FP_ABI = ['no FP ABI given', 'hard float, double precision', 'hard float, single precision', 'soft float', 'old 64-bit FP', 'hard float, FPXX (any FPU mode)', 'hard float, FP64', 'hard float, FP64A'];

function abiOf(elf: ElfFile, symbols: SymbolTable): string[] {
  const out: string[] = [];
  if (elf.machine === EM_MIPS) {
    const abi = elf.flags & 0x20 ? 'n32' : (elf.flags & 0xf000) === 0x1000 || !elf.is64 ? 'o32' : 'n64';
    out.push(`ABI:       ${abi}, ${MIPS_FP_ABI[elf.mipsAbiFlags?.fpAbi ?? 0] ?? 'FP ABI ' + elf.mipsAbiFlags?.fpAbi}`);
    out.push(`ISA:       ${MIPS_ISA[elf.flags >>> 28] ?? `level ${elf.flags >>> 28}`}${elf.flags & 4 ? ', position-independent code' : ''}`);
    out.push(`NaN:       ${elf.flags & 0x400 ? 'IEEE 754-2008' : 'legacy (MIPS)'} encoding`);
  } else if (elf.machine === EM_ARM) {
    const eabi = elf.flags >>> 24;
    const float = elf.flags & 0x400 ? 'hard float (VFP registers carry floats: armhf)' : elf.flags & 0x200 ? 'soft float (armel)' : 'float ABI not marked (soft float calls, like armel)';
    out.push(`ABI:       ${eabi ? `EABI version ${eabi}` : 'old ABI (not EABI)'}, ${float}`);
    const entryState = elf.entry & 1 || symbols.kindAt(elf.entry) === 't' ? 'Thumb' : 'ARM';
    const thumb = symbols.mapping.some((m) => m.kind === 't') || entryState === 'Thumb';
    out.push(`Code:      ${thumb ? 'ARM and Thumb' : 'ARM'}${symbols.guessed ? ' (no mapping symbols: stripped)' : ''}; entry in ${entryState} state`);
  }
  return out;
}

/** DT_NEEDED names of a dynamic program. */
function neededLibraries(elf: ElfFile): string[] {
  const dyn = elf.programs.find((p) => p.type === PT_DYNAMIC);
  if (!dyn || elf.is64) return [];
  const d = elf.whole(), le = elf.littleEndian;
  const u32 = (o: number) => (le ? d.readUInt32LE(o) : d.readUInt32BE(o));
  const entries: [number, number][] = [];
  for (let at = dyn.offset; at + 8 <= dyn.offset + dyn.filesz; at += 8) {
    const tag = u32(at);
    if (tag === 0) break;
    entries.push([tag, u32(at + 4)]);
  }
  const strtab = entries.find(([t]) => t === 5)?.[1];
  if (strtab === undefined) return [];
  // The string table's address, as a file offset through the segment holding it.
  const seg = elf.programs.find((p) => p.type === PT_LOAD && strtab >= p.vaddr && strtab < p.vaddr + p.filesz);
  if (!seg) return [];
  const base = seg.offset + strtab - seg.vaddr;
  return entries.filter(([t]) => t === 1).map(([, off]) => {
    const end = d.indexOf(0, base + off);
    return d.toString('latin1', base + off, end < 0 ? d.length : end);
  });
}

const LIB_DIRS = ['lib', 'usr/lib', 'lib32', 'usr/lib32'];

/** Debian's multiarch directory name for the ELF's machine, ABI and byte order. */
function multiarchOf(elf: ElfFile): string | null {
  if (elf.machine === EM_MIPS) return elf.littleEndian ? 'mipsel-linux-gnu' : 'mips-linux-gnu';
  if (elf.machine === EM_ARM) return elf.flags & 0x400 ? 'arm-linux-gnueabihf' : 'arm-linux-gnueabi';
  return null;
}

/**
 * The directories the sysroot's dynamic linker searches for libraries: the default ones, the
 * multiarch ones and those its etc/ld.so.conf names (with its include lines), as under `sysroot`.
 */
function librarySearchPath(sysroot: string, elf: ElfFile): string[] {
  const multiarch = multiarchOf(elf);
  const dirs = [...(multiarch ? [`lib/${multiarch}`, `usr/lib/${multiarch}`] : []), ...LIB_DIRS];
  const read = (conf: string, depth: number): void => {
    let text: string;
    try {
      text = fs.readFileSync(path.join(sysroot, conf), 'utf8');
    } catch {
      return;
    }
    for (const line of text.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean)) {
      const inc = /^include\s+(.+)$/.exec(line);
      if (!inc) {
        dirs.push(line.replace(/^\/+/, ''));
        continue;
      }
      if (depth > 4) continue;
      // (Only the common `dir/*.conf` pattern.)
      const pattern = inc[1].replace(/^\/+/, ''), dir = path.dirname(pattern), suffix = path.basename(pattern).replace(/^\*/, '');
      let names: string[] = [];
      try {
        names = fs.readdirSync(path.join(sysroot, dir)).filter((n) => n.endsWith(suffix)).sort();
      } catch {
        // no such directory
      }
      for (const n of names) read(path.join(dir, n), depth + 1);
    }
  };
  read('etc/ld.so.conf', 0);
  return [...new Set(dirs)];
}

const ELF_TYPES: Record<number, string> = { 1: 'relocatable object (a .o file: not a program)', 4: 'core dump' };

function describeElf(file: string, elf: ElfFile, sysroot: string | null): string {
  const symbols = readSymbols(elf);
  const lines: string[] = [];
  const order = elf.littleEndian ? 'little-endian' : 'big-endian';
  const kind = elf.type === 2 ? 'executable' : elf.type === 3 ? (elf.interp ? 'position-independent executable' : 'shared object') : ELF_TYPES[elf.type] ?? `ELF type ${elf.type}`;
  lines.push(`${file}: ELF ${elf.is64 ? '64' : '32'}-bit ${order} ${elf.machineName} ${kind}`);
  lines.push(`Machine:   ${machineText(elf)} (e_machine ${elf.machine}), ${order}, flags 0x${elf.flags.toString(16)}`);
  lines.push(...abiOf(elf, symbols));
  const entrySym = symbols.describe(elf.entry & ~1);
  lines.push(`Entry:     0x${hex8(elf.entry)}${entrySym ? ` (${entrySym})` : ''}`);
  const missing: string[] = [];
  const dynamic = elf.programs.some((p) => p.type === PT_DYNAMIC);
  if (elf.is64) {
    lines.push('Linking:   not read (urun reads 32-bit ELF files only)');
  } else if (elf.programs.length === 0) {
    lines.push('Linking:   not known: the program header table is missing or lies past the end of the file');
  } else if (elf.interp || dynamic) {
    const found = sysroot && elf.interp ? fs.existsSync(path.join(sysroot, elf.interp)) : null;
    lines.push(elf.interp ? `Linking:   dynamic; interpreter ${elf.interp}` +
      (found === null ? ' (give the sysroot with -L DIR to check it)' : found ? ` (found under ${sysroot})` : ` (NOT found under ${sysroot})`)
      : 'Linking:   a shared library (loaded by a program\'s dynamic linker)');
    const dirs = sysroot ? librarySearchPath(sysroot, elf) : [];
    for (const lib of neededLibraries(elf)) {
      const where = sysroot ? dirs.map((dir) => path.join(sysroot, dir, lib)).find((p) => fs.existsSync(p)) : undefined;
      if (sysroot && !where) missing.push(lib);
      lines.push(`Needs:     ${lib}${sysroot ? (where ? ` (${where})` : ` (NOT found under ${sysroot})`) : ''}`);
    }
  } else lines.push('Linking:   static (needs no libraries)');
  if (elf.builtByGo) lines.push('Built by:  Go (its runtime starts several threads at once)');
  const loads = elf.programs.filter((s) => s.type === PT_LOAD);
  lines.push(loads.length ? 'Segments:' : 'Segments:  none readable');
  for (const p of loads) {
    const perms = `${p.flags & PF_R ? 'r' : '-'}${p.flags & PF_W ? 'w' : '-'}${p.flags & PF_X ? 'x' : '-'}`;
    lines.push(`  0x${hex8(p.vaddr)}-0x${hex8(p.vaddr + p.memsz)} ${perms} ${p.filesz} bytes from the file, ${p.memsz} in memory`);
  }
  const arch = archOf(elf);
  let verdict: string;
  try {
    prepareImage(file, [file], [], sysroot);
    verdict = missing.length
      ? `no: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not found under ${sysroot} (its dynamic linker would stop at start-up)`
      : `yes, as ${arch?.abi.name ?? '?'}${elf.interp ? ` with -L ${sysroot}` : ''}`;
  } catch (e) {
    if (!(e instanceof UrunError)) throw e;
    verdict = `no: ${e.message.startsWith(file + ': ') ? e.message.slice(file.length + 2) : e.message}`;
  }
  lines.push(`urun runs it: ${verdict}`);
  return lines.join('\n') + '\n';
}

// ---- urun disasm ----

interface Decoders {
  isa: string;
  a32: InsnTable;
  t32: InsnTable | null;
  /** The def a word of `a32` (ARM state, or MIPS) decodes to. */
  decodeA32: (table: InsnTable, w: number) => InsnDef | null;
  isThumb32: (hw: number) => boolean;
  /** The table's disassembly as objdump writes it (`itCond`: the condition a Thumb IT block gives the instruction). */
  syntax: (text: string, w: number, a32: boolean, itCond?: number) => string;
  /** The conditions a Thumb IT instruction gives the instructions after it. */
  itConditions: (w: number) => number[];
  /** How an undefined word is written when it is a UDF (null: as data). */
  undefinedSyntax: (w: number, a32: boolean, size: number) => string | null;
}

async function decoders(elf: ElfFile): Promise<Decoders> {
  if (elf.machine === EM_MIPS) {
    const { MIPS_TABLE } = await import('../isa/mips/table.js');
    const { mipsSyntax } = await import('../isa/mips/syntax.js');
    return { isa: 'mips', a32: MIPS_TABLE, t32: null, decodeA32: (t, w) => t.decode(w), isThumb32: () => false, syntax: mipsSyntax, itConditions: () => [], undefinedSyntax: () => null };
  }
  const { A32_TABLE, decodeA32 } = await import('../isa/arm/a32.js');
  const { T32_TABLE, T32_IS_32BIT } = await import('../isa/arm/t32.js');
  const { armSyntax, udfSyntax } = await import('../isa/arm/syntax.js');
  const { itConditions } = await import('../isa/arm/common.js');
  return { isa: 'arm', a32: A32_TABLE, t32: T32_TABLE, decodeA32, isThumb32: T32_IS_32BIT, syntax: armSyntax, itConditions, undefinedSyntax: udfSyntax };
}

/** The address range to disassemble: a symbol's extent, START-END, or everything (null). */
function rangeOf(arg: string | null, symbols: SymbolTable): [number, number] | string | null {
  if (arg === null) return null;
  const m = /^(?:0x)?([0-9a-f]+)-(?:0x)?([0-9a-f]+)$/i.exec(arg);
  if (m) return [parseInt(m[1], 16), parseInt(m[2], 16)];
  const sym = symbols.byName(arg);
  if (!sym) return `no symbol '${arg}' (give a symbol or START-END in hex)`;
  const next = symbols.symbols.find((s) => s.value > sym.value);
  return [sym.value, sym.size > 0 ? sym.value + sym.size : next ? next.value : sym.value + 4];
}

async function disassemble(file: string, elf: ElfFile, arg: string | null, explain: boolean): Promise<number> {
  if ((elf.machine !== EM_MIPS && elf.machine !== EM_ARM) || elf.is64) {
    say(`urun disasm: ${file}: ${elf.is64 ? '64-bit ' : ''}${machineText(elf)} code; urun disassembles 32-bit MIPS and ARM`);
    return 1;
  }
  const sections = readSections(elf);
  const symbols = readSymbols(elf, sections);
  const range = rangeOf(arg, symbols);
  if (typeof range === 'string' || (range && range[1] <= range[0])) {
    say(`urun disasm: ${file}: ${typeof range === 'string' ? range : `${arg}: an empty range (START-END, END above START)`}`);
    return 1;
  }
  if (sections.length === 0) {
    say(`urun disasm: ${file}: no section headers (or they lie past the end of the file): nothing tells where the code is`);
    return 1;
  }
  const dec = await decoders(elf);
  const d = elf.whole();
  const code: typeof sections = [];
  for (const s of sections.filter((s) => s.flags & SHF_EXECINSTR && s.type === 1 && s.size > 0)) {
    // A section that runs past the end of the file is disassembled as far as the file goes.
    if (s.offset + s.size > d.length) say(`urun disasm: ${file}: warning: section ${s.name || '?'} runs past the end of the file`);
    const size = Math.min(s.size, Math.max(0, d.length - s.offset));
    if (size > 0) code.push({ ...s, size });
  }
  if (range && !code.some((s) => s.addr < range[1] && range[0] < s.addr + s.size)) {
    say(`urun disasm: ${file}: ${arg}: no code there`);
    return 1;
  }
  // Written as it goes (a C library is 300,000 lines).
  const out: string[] = [`\n${file}:     file format elf32-${dec.isa === 'mips' ? (elf.littleEndian ? 'tradlittlemips' : 'tradbigmips') : 'littlearm'}\n`];
  const flush = (): void => {
    writeOut(out.join('\n') + '\n');
    out.length = 0;
  };
  const le = elf.littleEndian;
  // objdump starts a stretch, with a header, at every symbol in code (mapping symbols aside).
  const headers = new Map<number, string>();
  symbols.symbols.forEach((s, i) => {
    if (!headers.has(s.value >>> 0) && s.type !== STT_TLS) headers.set(s.value >>> 0, symbols.preferredAt(i).name);
  });
  // Where objdump's stretches end (it disassembles from one symbol or mapping symbol to the next).
  const boundaries = [...new Set([...headers.keys(), ...symbols.mapping.map((m) => m.addr >>> 0)])].sort((x, y) => x - y);
  const nextBoundary = (a: number, end: number): number => {
    let lo = 0, hi = boundaries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (boundaries[mid] <= a) lo = mid + 1;
      else hi = mid;
    }
    return lo < boundaries.length ? Math.min(end, boundaries[lo]) : end;
  };
  for (const sec of code) {
    const start = Math.max(sec.addr, range ? range[0] : 0), end = Math.min(sec.addr + sec.size, range ? range[1] : Infinity);
    if (start >= end) continue;
    out.push(`\nDisassembly of section ${sec.name}:`);
    // objdump's address column: the section's highest address without its leading zeros, four digits at a time.
    const width = 8 - ((Math.max(0, 8 - (sec.addr + sec.size).toString(16).length - 1)) & ~3);
    const column = (a: number): string => (a >>> 0).toString(16).padStart(width);
    // A stretch that does not start at a symbol is named after the one before it in its section,
    // else the one after it, else the section.
    if (!headers.has(start)) {
      const before = symbols.objdumpName(start), after = symbols.symbols.find((s) => s.value > start && s.value < sec.addr + sec.size && s.type !== STT_TLS);
      const inSection = before !== null && (symbols.lookupAny(start)?.value ?? -1) >= sec.addr;
      const name = inSection ? before : after ? relativeTo(after, start) : sec.name;
      out.push(`\n${hex8(start)} <${name}>:`);
    }
    let itLeft = 0;
    let itConds: number[] = [];
    let afterDelayedBranch = false;
    for (let a = start; a < end;) {
      if (out.length > 4096) flush();
      const name = headers.get(a);
      if (name !== undefined) out.push(`\n${hex8(a)} <${name}>:`);
      const off = sec.offset + (a - sec.addr);
      const stop = nextBoundary(a, end);
      // Zeros as objdump shows them: "..." for 8 bytes or more (whole words unless they run to
      // the stretch's end), or under 3 at its end; never a MIPS branch's delay slot.
      let z = off;
      while (z < off + (stop - a) && d[z] === 0) z++;
      const zeros = z - off;
      if (!afterDelayedBranch && (zeros >= 8 || (zeros > 0 && a + zeros === stop && zeros < 3))) {
        out.push('\t...');
        a += a + zeros === stop ? zeros : zeros & ~3;
        continue;
      }
      // (A stripped file's PLT stubs and C runtime's .init and .fini are ARM code, and no mapping symbol says so.)
      const kind = dec.isa !== 'arm' ? 'a' : symbols.guessed && ARM_CODE_SECTIONS.has(sec.name) ? 'a' : symbols.kindAt(a);
      if (kind === 'd' || (kind === 'a' && a + 4 > stop)) {
        // Data: words where four bytes are left before the next symbol, else halfwords or bytes.
        const n = stop - a >= 4 && a % 4 === 0 ? 4 : stop - a >= 2 && a % 2 === 0 ? 2 : 1;
        const v = n === 4 ? (le ? d.readUInt32LE(off) : d.readUInt32BE(off)) : n === 2 ? (le ? d.readUInt16LE(off) : d.readUInt16BE(off)) : d[off];
        const hex = v.toString(16).padStart(2 * n, '0');
        out.push(`${column(a)}:\t${hex} \t${n === 4 ? '.word' : n === 2 ? '.short' : '.byte'}\t0x${hex}`);
        a += n;
        continue;
      }
      let word: number, bytesText: string, size: number, table: InsnTable;
      if (kind === 't' && dec.t32) {
        const hw = d.readUInt16LE(off);
        // A 32-bit instruction does not run across a symbol: its first half alone is data.
        size = dec.isThumb32(hw) && a + 4 <= stop ? 4 : 2;
        const hw2 = size === 4 ? d.readUInt16LE(off + 2) : 0;
        word = size === 4 ? ((hw << 16) | hw2) : hw | (itLeft > 0 ? 0x10000 : 0);
        bytesText = size === 4 ? `${hex4(hw)} ${hex4(hw2)}` : `${hex4(hw)}     `;
        table = dec.t32;
      } else {
        size = 4;
        word = le ? d.readInt32LE(off) : d.readInt32BE(off);
        bytesText = hex8(word);
        table = dec.a32;
      }
      const def = kind === 't' && size === 2 && dec.isThumb32(word & 0xffff) ? null : table === dec.a32 ? dec.decodeA32(table, word) : table.decode(word);
      afterDelayedBranch = dec.isa === 'mips' && def !== null && (def.flags & InsnFlags.Branch) !== 0;
      const itCond = itLeft > 0 ? itConds[itConds.length - itLeft] : undefined;
      let text = def ? dec.syntax(table.disassemble(word, a), word, kind === 'a', itCond) : '.word';
      // (objdump's word for an ARM or Thumb encoding that is no instruction is a comment.)
      const undefinedArm = `\t@ <UNDEFINED> instruction: 0x${size === 2 ? hex4(word & 0xffff) : hex8(word)}`;
      if (!def) text = dec.undefinedSyntax(word, kind === 'a', size) ?? (dec.isa === 'arm' ? ` ${undefinedArm}` : `.word 0x${hex8(word)}`);
      const sp = text.indexOf(' ');
      let line = `${column(a)}:\t${bytesText} \t${sp < 0 ? text : `${text.slice(0, sp)}\t${text.slice(sp + 1)}`}`;
      const target = def ? branchTarget(table, def.asm, word, a) : null;
      if (target !== null) {
        const where = symbols.objdumpName(target & ~1);
        // Without symbols to name it, objdump writes the address as a number (0x...).
        const bare = [(target >>> 0).toString(16), ((target & ~1) >>> 0).toString(16)].find((t) => line.endsWith(t));
        if (where) line += ` <${where}>`;
        else if (bare) line = `${line.slice(0, -bare.length)}0x${bare}`;
      }
      // A load from a literal pool: objdump names the literal's address (from the PC, + 8 in A32,
      // + 4 word-aligned in Thumb), as 0x... where no symbol does.
      const literal = /\[pc, #-?\d+\]\t@ |\t@ \(adr /.test(line) ? /\t@ (\(?(?:adr \w+, )?)([0-9a-f]+)(\)?)$/.exec(line) : null;
      const armLiteral = !literal && dec.isa === 'arm' && /^v?ldr/.test(text) ? /\[pc, #(-?\d+)\](\t@ 0x[0-9a-f]+)?$/.exec(line) : null;
      if (literal) {
        const where = symbols.objdumpName(parseInt(literal[2], 16));
        line = `${line.slice(0, literal.index)}\t@ ${literal[1]}${where ? `${literal[2]} <${where}>` : `0x${literal[2]}`}${literal[3]}`;
      } else if (armLiteral) {
        const addr = ((kind === 'a' ? a + 8 : (a + 4) & ~3) + Number(armLiteral[1])) >>> 0, where = symbols.objdumpName(addr);
        line = `${line.slice(0, line.length - (armLiteral[2]?.length ?? 0))}\t@ ${where ? `${addr.toString(16)} <${where}>` : `0x${addr.toString(16)}`}`;
      }
      if (explain && def) {
        const why = explainInstruction(def.name, text, dec.isa);
        if (why) line += `\t# ${why}`;
      }
      out.push(line);
      if (itLeft > 0) itLeft--;
      if (def?.name === 'it') {
        itConds = dec.itConditions(word);
        itLeft = itConds.length;
      }
      a += size;
    }
  }
  flush();
  return 0;
}

/** The sections of an ARM program that hold ARM code even where the rest is Thumb. */
const ARM_CODE_SECTIONS = new Set(['.plt', '.init', '.fini']);

/** The static branch target an instruction names in its operands, if any. */
function branchTarget(table: InsnTable, asm: string, w: number, pc: number): number | null {
  const field = /\$([a-z]*target)\b/.exec(asm)?.[1];
  return field ? table.field(field, w, pc) >>> 0 : null;
}

const hex4 = (v: number): string => (v & 0xffff).toString(16).padStart(4, '0');
