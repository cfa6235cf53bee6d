// Sections and symbols of a 32-bit ELF file, for the instruction trace, `urun disasm` and
// `urun info`: the symbol tables (.symtab, else .dynsym) give names to addresses, and ARM's
// mapping symbols ($a, $t, $d) say where ARM code, Thumb code and data lie.
import type { ElfFile } from './parse.js';

export const SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_DYNSYM = 11;
export const SHF_EXECINSTR = 4;
const STT_OBJECT = 1, STT_FUNC = 2, STT_SECTION = 3, STT_GNU_IFUNC = 10;
export const STT_TLS = 6;
const SHT_REL = 9, SHT_GNU_VERDEF = 0x6ffffffd, SHT_GNU_VERSYM = 0x6fffffff;
/** The ARM relocation a PLT entry's GOT slot carries. */
const R_ARM_JUMP_SLOT = 22;

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
  /** STB_LOCAL 0, STB_GLOBAL 1, STB_WEAK 2: objdump prefers global, then weak, among symbols at one address. */
  binding?: number;
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

  /** The index of the last symbol at or before addr (-1: none). */
  private atOrBefore(addr: number): number {
    const s = this.symbols;
    let lo = 0, hi = s.length - 1, best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid].value <= addr) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }

  /** The symbol at or before addr that covers it (or the nearest one before it, for size-less
   * symbols); a function, an object or a label, not a section or TLS symbol. */
  lookup(addr: number): ElfSymbol | null {
    addr >>>= 0;
    const s = this.symbols;
    let best = this.atOrBefore(addr);
    while (best >= 0 && (s[best].type === STT_SECTION || s[best].type === STT_TLS)) best--;
    if (best < 0) return null;
    // Prefer a function among symbols at the same address.
    let pick = best;
    for (let i = best; i >= 0 && s[i].value === s[best].value; i--) if (s[i].type === STT_FUNC) pick = i;
    const sym = s[pick];
    if (sym.size > 0 && addr >= sym.value + sym.size) return null;
    return sym;
  }

  /** The name objdump gives addr: the nearest symbol at or before it, whatever its size or
   * section (`abort@@GLIBC_2.4+0x19c`), the preferred one where several share an address;
   * before every symbol, the first one (`main-0x20`); null without symbols. */
  objdumpName(addr: number): string | null {
    addr >>>= 0;
    if (this.symbols.length === 0) return null;
    return relativeTo(this.preferredAt(Math.max(0, this.atOrBefore(addr))), addr);
  }

  /** The nearest symbol at or before addr, of any kind and size. */
  lookupAny(addr: number): ElfSymbol | null {
    const i = this.atOrBefore(addr >>> 0);
    return i < 0 ? null : this.symbols[i];
  }

  /** Of the symbols sharing symbols[i]'s address, the one objdump names: a function, then an
   * object, global before weak before local, a section symbol last, names starting with '.' after others. */
  preferredAt(i: number): ElfSymbol {
    const s = this.symbols, v = s[i].value;
    let first = i;
    while (first > 0 && s[first - 1].value === v) first--;
    let best = s[first];
    for (let k = first + 1; k < s.length && s[k].value === v; k++) if (objdumpOrder(s[k], best) < 0) best = s[k];
    return best;
  }

  /** `name+0x10` for an address, or null without a symbol there. */
  describe(addr: number): string | null {
    const s = this.lookup(addr);
    return s ? relativeTo(s, addr >>> 0) : null;
  }

  /** A function or object symbol by name; `abort` finds a versioned `abort@@GLIBC_2.4` too. */
  byName(name: string): ElfSymbol | undefined {
    const named = this.symbols.filter((s) => s.type !== STT_SECTION && s.type !== STT_TLS);
    return named.find((s) => s.name === name) ?? named.find((s) => s.name.startsWith(`${name}@`));
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

/** `name`, `name+0x10` or (before the symbol) `name-0x10`: addr by its offset from s. */
export function relativeTo(s: ElfSymbol, addr: number): string {
  const off = addr - s.value;
  return off === 0 ? s.name : off > 0 ? `${s.name}+0x${off.toString(16)}` : `${s.name}-0x${(-off).toString(16)}`;
}

/** objdump's order of preference among symbols at one address (negative: a first). */
function objdumpOrder(a: ElfSymbol, b: ElfSymbol): number {
  const bindingRank = (b = 0) => (b === 1 ? 0 : b === 2 ? 1 : 2);
  const rank = (s: ElfSymbol) => [s.type === STT_SECTION ? 1 : 0, s.type === STT_FUNC ? 0 : 1, s.type === STT_OBJECT ? 0 : 1, bindingRank(s.binding), s.name.startsWith('.') ? 1 : 0];
  const ra = rank(a), rb = rank(b);
  for (let k = 0; k < ra.length; k++) if (ra[k] !== rb[k]) return ra[k] - rb[k];
  // By name without the version; where that ties, the symbol table's order decides.
  const an = a.name.split('@')[0], bn = b.name.split('@')[0];
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/** The file's 16- and 32-bit fields in its byte order (0 past its end). */
function fieldReaders(elf: ElfFile): { u16: (o: number) => number; u32: (o: number) => number } {
  const d = elf.whole(), le = elf.littleEndian;
  return {
    u16: (o) => (o + 2 <= d.length ? (le ? d.readUInt16LE(o) : d.readUInt16BE(o)) : 0),
    u32: (o) => (o + 4 <= d.length ? (le ? d.readUInt32LE(o) : d.readUInt32BE(o)) : 0),
  };
}

export function readSections(elf: ElfFile): Section[] {
  if (elf.is64) return [];
  const d = elf.whole();
  const { u16, u32 } = fieldReaders(elf);
  const shoff = u32(32), shentsize = u16(46), shnum = u16(48), shstrndx = u16(50);
  if (shoff === 0 || shnum === 0 || shoff + shnum * shentsize > d.length) return [];
  const raw = Array.from({ length: shnum }, (_, i) => {
    const at = shoff + i * shentsize;
    return { nameOff: u32(at), type: u32(at + 4), flags: u32(at + 8), addr: u32(at + 12), offset: u32(at + 16), size: u32(at + 20), link: u32(at + 24) };
  });
  const strtab = raw[shstrndx];
  return raw.map((s) => ({ ...s, name: strtab ? cString(d, strtab.offset + s.nameOff) : '' }));
}

/** The program's symbols: .symtab when it has one (not stripped), else .dynsym, whose defined
 * symbols carry their versions as objdump writes them (`abort@@GLIBC_2.4`); and, for ARM, a
 * `name@plt` for each PLT entry, as objdump makes them. Section symbols go by their section's name. */
export function readSymbols(elf: ElfFile, sections: Section[] = readSections(elf)): SymbolTable {
  const table = sections.find((s) => s.type === SHT_SYMTAB) ?? sections.find((s) => s.type === SHT_DYNSYM);
  const symbols: ElfSymbol[] = [];
  const mapping: { addr: number; kind: MappingKind }[] = [];
  const arm = elf.machine === 40;
  // Where a stripped ARM file has no mapping symbols, the entry point's state is the best guess
  // for its code (armhf programs are Thumb-2 throughout, but for the PLT).
  const entryKind: MappingKind = arm && (elf.entry & 1) !== 0 ? 't' : 'a';
  if (!table || table.link >= sections.length) return new SymbolTable(symbols, mapping, entryKind, arm);
  const d = elf.whole();
  const { u16, u32 } = fieldReaders(elf);
  const strings = sections[table.link];
  const versions = table.type === SHT_DYNSYM ? symbolVersions(elf, sections) : null;
  const functionStates: { addr: number; kind: MappingKind }[] = [];
  for (let at = table.offset + 16, i = 1; at + 16 <= table.offset + table.size && at + 16 <= d.length; at += 16, i++) {
    let name = cString(d, strings.offset + u32(at)), type = d[at + 12] & 0xf;
    const value = u32(at + 4), size = u32(at + 8), binding = d[at + 12] >> 4, shndx = u16(at + 14);
    // (objdump names nothing after .dynsym's section symbols.)
    if (type === STT_SECTION) name = table.type === SHT_SYMTAB && shndx < sections.length ? sections[shndx].name : '';
    if (shndx === 0 || name === '') continue;
    if (arm && /^\$[atd](\.|$)/.test(name)) {
      mapping.push({ addr: value, kind: name[1] as MappingKind });
      continue;
    }
    // (An IFUNC's code is its resolver, a function like any other.)
    if (type === STT_GNU_IFUNC) type = STT_FUNC;
    if (type !== STT_FUNC && type !== STT_OBJECT && type !== 0 && type !== STT_SECTION && type !== STT_TLS) continue;
    if (type === 0 && (name.startsWith('$') || name.startsWith('.L'))) continue;
    const version = versions?.get(i);
    if (version) name += version;
    // A Thumb function's address has bit 0 set.
    symbols.push({ name, value: type === STT_FUNC && arm ? value & ~1 : value, size, type, binding });
    if (arm && type === STT_FUNC) functionStates.push({ addr: value & ~1, kind: value & 1 ? 't' : 'a' });
  }
  if (arm) symbols.push(...armPltSymbols(elf, sections));
  // Without mapping symbols, each function's own state (its Thumb bit) says what its code is.
  if (arm && mapping.length === 0) return new SymbolTable(symbols, functionStates, entryKind, true);
  return new SymbolTable(symbols, mapping);
}

/** The version suffix of each dynamic symbol, by its index, as objdump writes it: `@@V` for
 * the default version, `@V` for a hidden one, `@@Base` for an unversioned global (from
 * .gnu.version and .gnu.version_d). Only defined symbols are looked up. */
function symbolVersions(elf: ElfFile, sections: Section[]): Map<number, string> {
  const out = new Map<number, string>();
  const versym = sections.find((s) => s.type === SHT_GNU_VERSYM), verdef = sections.find((s) => s.type === SHT_GNU_VERDEF);
  if (!versym) return out;
  const d = elf.whole();
  const { u16, u32 } = fieldReaders(elf);
  const names = new Map<number, string>();
  const strings = verdef && verdef.link < sections.length ? sections[verdef.link].offset : 0;
  // Each Elf32_Verdef (index at 4, first Verdaux at +12, next at +16) names its version in its first Verdaux.
  for (let at = verdef?.offset ?? d.length, n = 0; strings && at + 20 <= d.length && n < 1000; n++) {
    const aux = at + u32(at + 12);
    if (aux + 4 <= d.length) names.set(u16(at + 4), cString(d, strings + u32(aux)));
    const next = u32(at + 16);
    if (next === 0) break;
    at += next;
  }
  for (let i = 1; versym.offset + 2 * i + 2 <= Math.min(d.length, versym.offset + versym.size); i++) {
    // 0 is local: no version; 1 is global, the file's base version.
    const v = u16(versym.offset + 2 * i), name = (v & 0x7fff) === 1 ? 'Base' : names.get(v & 0x7fff);
    if ((v & 0x7fff) > 0 && name) out.set(i, `${v & 0x8000 ? '@' : '@@'}${name}`);
  }
  return out;
}

/** `name@plt` at each ARM PLT entry (at its Thumb stub when it has one), found as objdump
 * finds them: each entry's instructions say which GOT slot it jumps through, and .rel.plt
 * says whose slot that is. */
function armPltSymbols(elf: ElfFile, sections: Section[]): ElfSymbol[] {
  const plt = sections.find((s) => s.name === '.plt'), rel = sections.find((s) => s.name === '.rel.plt' && s.type === SHT_REL);
  if (!plt || !rel || rel.link >= sections.length) return [];
  const dynsym = sections[rel.link];
  if (dynsym.link >= sections.length) return [];
  const d = elf.whole();
  const { u16, u32 } = fieldReaders(elf);
  const slots = new Map<number, string>();
  for (let at = rel.offset; at + 8 <= rel.offset + rel.size && at + 8 <= d.length; at += 8) {
    const info = u32(at + 4);
    if ((info & 0xff) !== R_ARM_JUMP_SLOT) continue;
    const name = cString(d, sections[dynsym.link].offset + u32(dynsym.offset + 16 * (info >>> 8)));
    if (name) slots.set(u32(at), `${name}@plt`);
  }
  const out: ElfSymbol[] = [];
  const rotated = (w: number) => {
    const imm = w & 0xff, rot = ((w >>> 8) & 15) * 2;
    return rot ? ((imm >>> rot) | (imm << (32 - rot))) >>> 0 : imm;
  };
  for (let a = plt.addr; a + 12 <= plt.addr + plt.size; ) {
    const off = plt.offset + (a - plt.addr);
    // A Thumb caller's stub (bx pc, then nop or b.n back to it) comes before the entry.
    const stub = u16(off) === 0x4778 ? 4 : 0;
    // add ip, pc, #imm; (add ip, ip, #imm)...; ldr pc, [ip, #imm]!
    let k = off + stub, got = a + stub + 8;
    if (u32(k) >>> 12 !== 0xe28fc) {
      a += 4;
      continue;
    }
    got += rotated(u32(k));
    for (k += 4; u32(k) >>> 12 === 0xe28cc; k += 4) got += rotated(u32(k));
    if (u32(k) >>> 12 !== 0xe5bcf) {
      a += 4;
      continue;
    }
    const name = slots.get((got + (u32(k) & 0xfff)) >>> 0);
    if (name) out.push({ name, value: a, size: k + 4 - off, type: STT_FUNC, binding: 1 });
    a += k + 4 - off;
  }
  return out;
}

function cString(d: Buffer, at: number): string {
  if (at >= d.length) return '';
  const end = d.indexOf(0, at);
  return d.toString('latin1', at, end < 0 ? d.length : end);
}
