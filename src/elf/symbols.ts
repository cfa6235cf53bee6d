// Sections and symbols of a 32-bit ELF file, for the instruction trace, `urun disasm` and
// `urun info`: the symbol tables (.symtab, else .dynsym) give names to addresses, and ARM's
// mapping symbols ($a, $t, $d) say where ARM code, Thumb code and data lie.
import type { ElfFile } from './parse.js';

export const SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_DYNSYM = 11;
export const SHF_EXECINSTR = 4;
const STT_OBJECT = 1, STT_FUNC = 2;

export interface Section {
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
}

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  /** STT_FUNC, STT_OBJECT... */
  type: number;
}

export type MappingKind = 'a' | 't' | 'd';

export class SymbolTable {
  /** Functions and objects by address (Thumb functions without their bit 0). */
  readonly symbols: ElfSymbol[];
  /** ARM mapping symbols by address. */
  readonly mapping: { addr: number; kind: MappingKind }[];

  constructor(
    symbols: ElfSymbol[],
    mapping: { addr: number; kind: MappingKind }[],
    /** What lies where no mapping symbol says (before the first). */
    readonly defaultKind: MappingKind = 'a',
    /** The mapping was made from the functions' Thumb bits: the file has no mapping symbols (stripped). */
    readonly guessed = false,
  ) {
    this.symbols = symbols.sort((a, b) => a.value - b.value);
    this.mapping = mapping.sort((a, b) => a.addr - b.addr);
  }

  /** The symbol at or before addr that covers it (or the nearest one before it, for size-less symbols). */
  lookup(addr: number): ElfSymbol | null {
    addr >>>= 0;
    const s = this.symbols;
    let lo = 0, hi = s.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid].value <= addr) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best < 0) return null;
    // Prefer a function among symbols at the same address.
    let pick = best;
    for (let i = best; i >= 0 && s[i].value === s[best].value; i--) if (s[i].type === STT_FUNC) pick = i;
    const sym = s[pick];
    if (sym.size > 0 && addr >= sym.value + sym.size) return null;
    return sym;
  }

  /** `name+0x10` for an address, or null without a symbol there. */
  describe(addr: number): string | null {
    const s = this.lookup(addr);
    if (!s) return null;
    const off = (addr >>> 0) - s.value;
    return off === 0 ? s.name : `${s.name}+0x${off.toString(16)}`;
  }

  /** A function or object symbol by name. */
  byName(name: string): ElfSymbol | undefined {
    return this.symbols.find((s) => s.name === name);
  }

  /** What the mapping symbols say lies at addr (defaultKind before the first). */
  kindAt(addr: number): MappingKind {
    const m = this.mapping;
    let lo = 0, hi = m.length - 1, kind = this.defaultKind;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (m[mid].addr <= addr) {
        kind = m[mid].kind;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return kind;
  }
}

export function readSections(elf: ElfFile): Section[] {
  if (elf.is64) return [];
  const d = elf.data, le = elf.littleEndian;
  const u16 = (o: number) => (le ? d.readUInt16LE(o) : d.readUInt16BE(o));
  const u32 = (o: number) => (le ? d.readUInt32LE(o) : d.readUInt32BE(o));
  const shoff = u32(32), shentsize = u16(46), shnum = u16(48), shstrndx = u16(50);
  if (shoff === 0 || shnum === 0 || shoff + shnum * shentsize > d.length) return [];
  const raw = Array.from({ length: shnum }, (_, i) => {
    const at = shoff + i * shentsize;
    return { nameOff: u32(at), type: u32(at + 4), flags: u32(at + 8), addr: u32(at + 12), offset: u32(at + 16), size: u32(at + 20), link: u32(at + 24) };
  });
  const strtab = raw[shstrndx];
  return raw.map((s) => ({ ...s, name: strtab ? cString(d, strtab.offset + s.nameOff) : '' }));
}

/** The program's symbols: .symtab when it has one (not stripped), else .dynsym. */
export function readSymbols(elf: ElfFile, sections: Section[] = readSections(elf)): SymbolTable {
  const table = sections.find((s) => s.type === SHT_SYMTAB) ?? sections.find((s) => s.type === SHT_DYNSYM);
  const symbols: ElfSymbol[] = [];
  const mapping: { addr: number; kind: MappingKind }[] = [];
  const arm = elf.machine === 40;
  // Where a stripped ARM file has no mapping symbols, the entry point's state is the best guess
  // for its code (armhf programs are Thumb-2 throughout, but for the PLT).
  const entryKind: MappingKind = arm && (elf.entry & 1) !== 0 ? 't' : 'a';
  if (!table || table.link >= sections.length) return new SymbolTable(symbols, mapping, entryKind, arm);
  const d = elf.data, le = elf.littleEndian;
  const u16 = (o: number) => (le ? d.readUInt16LE(o) : d.readUInt16BE(o));
  const u32 = (o: number) => (le ? d.readUInt32LE(o) : d.readUInt32BE(o));
  const strings = sections[table.link];
  const functionStates: { addr: number; kind: MappingKind }[] = [];
  for (let at = table.offset + 16; at + 16 <= table.offset + table.size && at + 16 <= d.length; at += 16) {
    const name = cString(d, strings.offset + u32(at));
    const value = u32(at + 4), size = u32(at + 8), type = d[at + 12] & 0xf, shndx = u16(at + 14);
    if (shndx === 0 || name === '') continue;
    if (arm && /^\$[atd](\.|$)/.test(name)) {
      mapping.push({ addr: value, kind: name[1] as MappingKind });
      continue;
    }
    if (type !== STT_FUNC && type !== STT_OBJECT && type !== 0) continue;
    if (type === 0 && (name.startsWith('$') || name.startsWith('.L'))) continue;
    // A Thumb function's address has bit 0 set.
    symbols.push({ name, value: type === STT_FUNC && arm ? value & ~1 : value, size, type });
    if (arm && type === STT_FUNC) functionStates.push({ addr: value & ~1, kind: value & 1 ? 't' : 'a' });
  }
  // Without mapping symbols, each function's own state (its Thumb bit) says what its code is.
  if (arm && mapping.length === 0) return new SymbolTable(symbols, functionStates, entryKind, true);
  return new SymbolTable(symbols, mapping);
}

function cString(d: Buffer, at: number): string {
  if (at >= d.length) return '';
  const end = d.indexOf(0, at);
  return d.toString('latin1', at, end < 0 ? d.length : end);
}
