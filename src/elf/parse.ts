// Typed adapter over elfy. elfy parses the header and program headers; we never call its
// section resolution (it crashes on files without section headers), and we read the raw
// numbers it maps to names itself, because it has no names for MIPS/ARM-specific types.
import * as fs from 'node:fs';
import elfy from 'elfy';
import { closeOwn, openOwn, readFully } from '../host/files.js';

export const EM_MIPS = 8, EM_ARM = 40, EM_X86_64 = 62, EM_386 = 3, EM_AARCH64 = 183, EM_RISCV = 243;
export const MACHINE_NAMES: Record<number, string> = {
  [EM_MIPS]: 'MIPS', [EM_ARM]: 'ARM', [EM_X86_64]: 'x86-64', [EM_386]: 'x86 (i386)',
  [EM_AARCH64]: 'AArch64', [EM_RISCV]: 'RISC-V', 20: 'PowerPC', 21: 'PowerPC64', 22: 'S/390',
  2: 'SPARC', 43: 'SPARC v9',
};

export const PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_NOTE = 4, PT_PHDR = 6, PT_TLS = 7;
export const PT_GNU_STACK = 0x6474e551, PT_GNU_RELRO = 0x6474e552;
export const PT_MIPS_REGINFO = 0x70000000, PT_MIPS_ABIFLAGS = 0x70000003, PT_ARM_EXIDX = 0x70000001;
export const PF_X = 1, PF_W = 2, PF_R = 4;
export const ET_EXEC = 2, ET_DYN = 3;
export const PHDR_SIZE_32 = 32, MIPS_ABIFLAGS_SIZE = 24;

export interface ProgramHeader {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  /** PF_R | PF_W | PF_X bits. */
  flags: number;
  align: number;
}

export interface ElfFile {
  is64: boolean;
  littleEndian: boolean;
  /** ET_EXEC or ET_DYN (or another raw e_type). */
  type: number;
  machine: number;
  machineName: string;
  flags: number;
  entry: number;
  phoff: number;
  phentsize: number;
  /** e_phnum as the header says; `programs` is empty when the table does not fit (validate.ts says why). */
  phnum: number;
  programs: ProgramHeader[];
  interp: string | null;
  /** The MIPS ABI flags record, when present: FP ABI and ISA level. */
  mipsAbiFlags: { isaLevel: number; isaRev: number; fpAbi: number } | null;
  /** Linked by Go's linker (a PT_NOTE holds Go's build ID): the program starts several threads at once. */
  builtByGo: boolean;
  /** The file's size in bytes. */
  size: number;
  /**
   * The file's first bytes: the headers and what they point to that parsing reads (PT_INTERP,
   * notes, MIPS ABI flags); all of the file when it was parsed from memory.
   */
  head: Buffer;
  /** Copies the file's bytes [offset, offset + length) into `target` at `at` (the loader's segments). */
  readInto(target: Uint8Array, at: number, offset: number, length: number): void;
  /** The whole file (section headers, symbols: urun info / disasm / --trace), read on first use. */
  whole(): Buffer;
  /** Lets go of the file (readElfFile's descriptor); whole() still reads it by name. */
  close(): void;
}

/** How much of a program file readElfFile reads first: its headers are almost always within. */
const HEAD_BYTES = 64 << 10;

/** A clear, one-line problem with the input file, and the errno Linux's execve gives for it. */
export class ElfError extends Error {
  constructor(message: string, readonly errno: ElfErrno = 'ENOEXEC') {
    super(message);
  }
}
export type ElfErrno = 'ENOEXEC' | 'EINVAL' | 'EIO' | 'ENOMEM' | 'EPERM';

/** Parses an ELF image held in memory. */
export function parseElf(data: Buffer, file: string): ElfFile {
  return parseHead(data, data.length, file, {
    readInto: (target, at, offset, length) => target.set(data.subarray(offset, offset + length), at),
    whole: () => data,
    close: () => {},
  });
}

/**
 * Parses a program file from its first bytes, without reading the rest: the loader copies
 * each segment from the file straight into guest memory (a 24 MB Rust program was read
 * whole into a buffer and copied again). The descriptor stays open until close(), so the
 * loader maps the file that was checked even if its name is replaced meanwhile.
 */
export function readElfFile(file: string): ElfFile {
  const fd = openOwn(file);
  let open = true;
  const close = (): void => {
    if (open) closeOwn(fd);
    open = false;
  };
  try {
    const size = fs.fstatSync(fd).size;
    const readAt = (offset: number, length: number): Buffer => {
      const buf = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      readFully(fd, buf, 0, buf.length, offset);
      return buf;
    };
    let head = readAt(0, HEAD_BYTES);
    // Headers that point past the first bytes (a program header table far into the file, then
    // what it points to): read up to the farthest.
    for (let look = 0; look < 2 && head.length < size; look++) {
      const seen = parseHead(head, size, file, null);
      const reach = Math.max(seen.phoff + seen.phnum * PHDR_SIZE_32, ...seen.programs.filter(readByParse).map((p) => p.offset + p.filesz));
      if (reach <= head.length) break;
      head = readAt(0, Math.min(reach, size));
    }
    let whole: Buffer | null = head.length === size ? head : null;
    return parseHead(head, size, file, {
      // (A file that shrank since leaves the rest zero.)
      readInto: (target, at, offset, length) => void readFully(fd, target, at, length, offset),
      whole: () => (whole ??= open ? readAt(0, size) : fs.readFileSync(file)),
      close,
    });
  } catch (e) {
    close();
    throw e;
  }
}

/** The program headers whose contents parsing reads. */
const readByParse = (p: ProgramHeader): boolean => p.type === PT_INTERP || p.type === PT_NOTE || p.type === PT_MIPS_ABIFLAGS;

type FileAccess = Pick<ElfFile, 'readInto' | 'whole' | 'close'>;

/** Parses from `data`, the first bytes of a file of `size` bytes. */
function parseHead(data: Buffer, size: number, file: string, access: FileAccess | null): ElfFile {
  const noAccess = (): never => {
    throw new Error(`${file}: ELF headers only`);
  };
  if (size < 4 || data.readUInt32BE(0) !== 0x7f454c46) {
    throw new ElfError(`${file}: not an ELF file`);
  }
  if (size < 52) throw new ElfError(`${file}: truncated ELF file (${size} bytes, header needs 52)`);
  if (data[4] !== 1 && data[4] !== 2) throw new ElfError(`${file}: invalid ELF class ${data[4]}`);
  if (data[5] !== 1 && data[5] !== 2) throw new ElfError(`${file}: invalid ELF data encoding ${data[5]}`);
  if (data[4] === 2 && size < 64) throw new ElfError(`${file}: truncated ELF file (${size} bytes)`);

  const parser = new elfy.Parser();
  let header;
  try {
    header = parser.parseHeader(data);
  } catch (e) {
    throw new ElfError(`${file}: malformed ELF header (${(e as Error).message})`);
  }
  const le = header.endian === 'lsb';
  const u16 = (o: number) => (le ? data.readUInt16LE(o) : data.readUInt16BE(o));
  const u32 = (o: number) => (le ? data.readUInt32LE(o) : data.readUInt32BE(o));
  const type = u16(16);
  const machine = u16(18);

  // Program headers are read only when they are whole, 32-byte (ELF32) entries inside the
  // file: whether they are is validate.ts's first question, asked before anything else.
  // (readElfFile's first look may have fewer bytes than the table needs: it reads more.)
  const phnum = header.phnum, phentsize = header.phentsize;
  const phdrsFit = header.class === '32' && phentsize === PHDR_SIZE_32 && phnum > 0 &&
    header.phoff + phnum * PHDR_SIZE_32 <= Math.min(size, data.length);
  const programs: ProgramHeader[] = [];
  for (let i = 0; phdrsFit && i < phnum; i++) {
    const at = header.phoff + i * PHDR_SIZE_32;
    programs.push({
      type: u32(at), offset: u32(at + 4), vaddr: u32(at + 8), filesz: u32(at + 16), memsz: u32(at + 20),
      flags: u32(at + 24), align: u32(at + 28),
    });
  }

  // Linux reads the first PT_INTERP; validate.ts checks its size and terminating NUL.
  let interp: string | null = null;
  const pInterp = programs.find((p) => p.type === PT_INTERP);
  if (pInterp && pInterp.offset + pInterp.filesz <= data.length) {
    const bytes = data.subarray(pInterp.offset, pInterp.offset + pInterp.filesz);
    const nul = bytes.indexOf(0);
    interp = bytes.subarray(0, nul < 0 ? bytes.length : nul).toString('utf8');
  }

  // Linux's MIPS arch_elf_pt_proc keeps the last PT_MIPS_ABIFLAGS.
  let mipsAbiFlags: ElfFile['mipsAbiFlags'] = null;
  const pAbi = programs.filter((p) => p.type === PT_MIPS_ABIFLAGS).pop();
  if (pAbi && pAbi.filesz >= MIPS_ABIFLAGS_SIZE && pAbi.offset + MIPS_ABIFLAGS_SIZE <= data.length) {
    mipsAbiFlags = { isaLevel: data[pAbi.offset + 2], isaRev: data[pAbi.offset + 3], fpAbi: data[pAbi.offset + 7] };
  }

  return {
    builtByGo: programs.some((p) => p.type === PT_NOTE && hasGoNote(data.subarray(p.offset, p.offset + p.filesz), le)),
    is64: header.class === '64',
    littleEndian: le,
    type,
    machine,
    machineName: MACHINE_NAMES[machine] ?? header.machine ?? `machine ${machine}`,
    flags: header.flags >>> 0,
    entry: header.entry,
    phoff: header.phoff,
    phentsize,
    phnum,
    programs,
    interp,
    mipsAbiFlags,
    size,
    head: data,
    readInto: access?.readInto ?? noAccess,
    whole: access?.whole ?? noAccess,
    close: access?.close ?? noAccess,
  };
}

/** Whether a PT_NOTE segment holds Go's build ID note (owner "Go", type 4). */
function hasGoNote(notes: Buffer, le: boolean): boolean {
  const u32 = (at: number) => (le ? notes.readUInt32LE(at) : notes.readUInt32BE(at));
  for (let at = 0; at + 12 <= notes.length;) {
    const namesz = u32(at), descsz = u32(at + 4), type = u32(at + 8);
    if (type === 4 && namesz >= 3 && notes.toString('latin1', at + 12, at + 15) === 'Go\0') return true;
    at += 12 + 4 * Math.ceil(namesz / 4) + 4 * Math.ceil(descsz / 4);
  }
  return false;
}
