// The ELF loader: maps a program (and its interpreter, for dynamic binaries) into guest
// memory with segment permissions, and builds the initial stack the kernel would:
// argc, argv, envp, auxv and the strings and random bytes they point to.
import { fillRandom } from '../host/random.js';
import { byteLength, stringToBytes } from '../host/bytes.js';
import { type AddressLayout, GuestMemory, PAGE_SHIFT, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, pageAlignDown, pageAlignUp } from '../memory/memory.js';
import { ElfFile, ET_DYN, type ProgramHeader, PF_R, PF_W, PF_X, PT_LOAD, PT_PHDR } from './parse.js';

export const STACK_SIZE = 8 << 20;
/** The largest stack urun maps (a larger RLIMIT_STACK gets this much). */
const MAX_STACK_SIZE = 1 << 30;

/**
 * The size of the stack a program gets under a soft RLIMIT_STACK of `rlimit`: as under
 * qemu-user, the limit when it is finite and above 8 MiB (a shell's `ulimit -s 65536` for a
 * deeply recursive program), else 8 MiB. The whole of it is mapped from the start (only pages
 * touched cost host memory), where Linux grows the stack up to the limit.
 */
export function stackSizeFor(rlimit: bigint): number {
  const unlimited = rlimit === 0xffffffffffffffffn; // (RLIM_INFINITY)
  if (rlimit <= BigInt(STACK_SIZE) || unlimited) return STACK_SIZE;
  return rlimit >= BigInt(MAX_STACK_SIZE) ? MAX_STACK_SIZE : pageAlignUp(Number(rlimit));
}
/** Where a position-independent program (ET_DYN) is placed. */
export const PROGRAM_BASE = 0x00400000;

/** The top of the stack in the low layout (chooseLayout), 1 GiB, as under qemu-user. */
const LOW_STACK_TOP = 0x40000000;
/** Room kept free between the low layout's mappings and its stack (Linux keeps 128 MiB; qemu-user 8). */
const LOW_STACK_GAP = 16 << 20;
/** The least mmapTop the low layout may have: the interpreter is placed above 256 MiB, with room. */
const LOW_MMAP_ROOM = 0x18000000;

/**
 * The address layout a program runs in: qemu-user's when the program's fixed segments leave
 * room for it (the stack just below 1 GiB, mappings below that, the rest of the address space
 * above it for what does not fit), else Linux's for the arch. Guest addresses below 2^30 are
 * small integers to V8 (Smis): a pointer in a JavaScript local, or passed to a helper, needs
 * no heap number. Measured on armhf real programs, warm cache: 2% faster on a quiet machine
 * (10% on a loaded one, where the heap numbers' garbage costs more), xz's peak RSS 7 MB lower.
 */
export function chooseLayout(linuxLayout: AddressLayout, program: ElfFile, interp: ElfFile | null, stackSize = STACK_SIZE): AddressLayout {
  // A stack larger than the room Linux leaves below it moves the mappings down (mmap_base's gap).
  const linux = stackSize === linuxLayout.stackSize ? linuxLayout
    : { ...linuxLayout, stackSize, mmapTop: Math.min(linuxLayout.mmapTop, linuxLayout.stackTop - stackSize - LOW_STACK_GAP) };
  const low: AddressLayout = { taskSize: linux.taskSize, stackTop: LOW_STACK_TOP, mmapTop: LOW_STACK_TOP - stackSize - LOW_STACK_GAP, stackSize };
  // (The interpreter goes below mmapTop, above 256 MiB.)
  if (linux.stackTop <= low.stackTop || low.mmapTop < LOW_MMAP_ROOM) return linux;
  // The segments that do not move: the program's (at PROGRAM_BASE when it is position-independent)
  // and a fixed-address interpreter's.
  const fixed = (elf: ElfFile, bias: number) => loadSegments(elf).some((p) =>
    pageAlignUp(p.vaddr + bias + p.memsz) > low.mmapTop && pageAlignDown(p.vaddr + bias) < low.stackTop);
  const loads = loadSegments(program);
  const programBias = program.type === ET_DYN && loads.length > 0 ? PROGRAM_BASE - Math.min(...loads.map((p) => pageAlignDown(p.vaddr))) : 0;
  if (fixed(program, programBias) || (interp !== null && interp.type !== ET_DYN && fixed(interp, 0))) return linux;
  return low;
}

const AT = {
  NULL: 0, PHDR: 3, PHENT: 4, PHNUM: 5, PAGESZ: 6, BASE: 7, FLAGS: 8, ENTRY: 9, UID: 11, EUID: 12, GID: 13,
  EGID: 14, PLATFORM: 15, HWCAP: 16, CLKTCK: 17, SECURE: 23, BASE_PLATFORM: 24, RANDOM: 25, HWCAP2: 26, EXECFN: 31,
};

export interface LoadedImage {
  /** Where the program itself is mapped (its load bias is added to every vaddr). */
  bias: number;
  entry: number;
  phdr: number;
  /** Lowest page above every segment of the program: the initial program break. */
  brk: number;
  lowest: number;
}

/** The PT_LOAD segments that occupy memory (Linux skips those of size zero). */
export function loadSegments(elf: ElfFile): ProgramHeader[] {
  return elf.programs.filter((p) => p.type === PT_LOAD && p.memsz > 0);
}

/**
 * What /proc/self/maps names of an image mapped with load bias `bias`: each segment's pages
 * that hold file bytes, with the file offset they come from (the rest of a segment, its bss,
 * is anonymous, as Linux shows it).
 */
export function fileRanges(elf: ElfFile, bias: number): { start: number; end: number; offset: number }[] {
  return loadSegments(elf).filter((p) => p.filesz > 0).map((p) => ({
    start: pageAlignDown(p.vaddr + bias), end: pageAlignUp(p.vaddr + bias + p.filesz), offset: pageAlignDown(p.offset),
  }));
}

/** How many bytes of address space an image's pages cover. */
export function imageSpan(elf: ElfFile): number {
  const loads = loadSegments(elf);
  return pageAlignUp(Math.max(...loads.map((p) => p.vaddr + p.memsz))) - Math.min(...loads.map((p) => pageAlignDown(p.vaddr)));
}

function protOf(flags: number): number {
  return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}

/** Maps an ELF image's PT_LOAD segments. `base` is used for ET_DYN images. */
export function mapImage(mem: GuestMemory, elf: ElfFile, file: string, base: number, layout: AddressLayout): LoadedImage {
  // validate.ts has refused what cannot be mapped; a failure here is a bug in urun.
  const loads = loadSegments(elf);
  if (loads.length === 0) throw new Error(`${file}: no loadable segments`);
  const lo = Math.min(...loads.map((p) => pageAlignDown(p.vaddr)));
  const bias = elf.type === ET_DYN ? base - lo : 0;
  // Every page is mapped writable while the segments are read in; each then gets the union of
  // the permissions of the segments on it (two may share a page). Runs of pages, not pages:
  // a 24 MB program has 6,000 of them.
  const firstPage = (lo + bias) >>> PAGE_SHIFT;
  const prots = new Uint8Array(((Math.max(...loads.map((p) => pageAlignUp(p.vaddr + bias + p.memsz))) - (lo + bias)) >>> PAGE_SHIFT));
  let top = 0;
  for (const p of loads) {
    const start = pageAlignDown(p.vaddr + bias);
    const end = pageAlignUp(p.vaddr + bias + p.memsz);
    if (start < PAGE_SIZE || end > layout.taskSize || (start < layout.stackTop && end > layout.stackTop - layout.stackSize)) {
      throw new Error(`${file}: segment at 0x${(p.vaddr >>> 0).toString(16)} does not fit the guest address space (out of guest memory)`);
    }
    const prot = protOf(p.flags);
    for (let page = start >>> PAGE_SHIFT, last = end >>> PAGE_SHIFT; page < last;) {
      // (0x80 marks a page mapped here, as a segment may have no permissions at all.)
      if (prots[page - firstPage] !== 0) {
        prots[page - firstPage] |= prot;
        page++;
        continue;
      }
      const from = page;
      for (; page < last && prots[page - firstPage] === 0; page++) prots[page - firstPage] = prot | 0x80;
      mem.map(from * PAGE_SIZE, (page - from) * PAGE_SIZE, PROT_READ | PROT_WRITE);
    }
    elf.readInto(mem.bytes, (p.vaddr + bias) >>> 0, p.offset, p.filesz);
    top = Math.max(top, end);
  }
  for (let i = 0; i < prots.length;) {
    const prot = prots[i];
    let j = i + 1;
    while (j < prots.length && prots[j] === prot) j++;
    if (prot !== 0) mem.protect((firstPage + i) * PAGE_SIZE, (j - i) * PAGE_SIZE, prot & 0x7f);
    i = j;
  }
  const pPhdr = elf.programs.find((p) => p.type === PT_PHDR);
  const first = loads.find((p) => p.offset <= elf.phoff && elf.phoff < p.offset + p.filesz);
  const phdr = pPhdr ? pPhdr.vaddr + bias : first ? first.vaddr + bias + (elf.phoff - first.offset) : 0;
  return { bias, entry: (elf.entry + bias) >>> 0, phdr, brk: top, lowest: lo + bias };
}

export interface StackSpec {
  argv: string[];
  envp: string[];
  execfn: string;
  platform: string | null;
  /** AT_BASE_PLATFORM's string (MIPS: the ISA level, as Linux 5.9 on gives it), or null for none. */
  basePlatform?: string | null;
  hwcap: number;
  hwcap2: number;
  program: LoadedImage;
  programElf: ElfFile;
  interpBase: number;
  stackTop: number;
  /** The size of the stack mapping (the layout's stackSize). */
  stackSize?: number;
}

/**
 * Linux's limits on execve's strings: 32 pages for one, 6 MiB for all of them (below that, a
 * quarter of RLIMIT_STACK: argumentsTooLong).
 */
export const MAX_ARG_STRLEN = 32 * PAGE_SIZE, MAX_ARG_TOTAL = 6 << 20;

/**
 * Whether execve would refuse these arguments and environment with E2BIG: together they may
 * take a quarter of the soft RLIMIT_STACK `stackRlimit`, at most 6 MiB and at least 128 KiB
 * (Linux's bprm_stack_limits).
 */
export function argumentsTooLong(argv: string[], envp: string[], stackRlimit = BigInt(STACK_SIZE)): boolean {
  const quarter = stackRlimit / 4n;
  const limit = Math.max(32 * PAGE_SIZE, quarter < BigInt(MAX_ARG_TOTAL) ? Number(quarter) : MAX_ARG_TOTAL);
  let total = 0;
  for (const s of [...argv, ...envp]) {
    const size = byteLength(s) + 1;
    if (size > MAX_ARG_STRLEN) return true;
    total += size + 4; // the string and its pointer
  }
  return total > limit;
}

/** Maps the stack and writes the initial process state; returns the initial stack pointer. */
export function buildStack(mem: GuestMemory, s: StackSpec): number {
  const stackSize = s.stackSize ?? STACK_SIZE;
  mem.map(s.stackTop - stackSize, stackSize, PROT_READ | PROT_WRITE);
  // Laid out as Linux lays it out (fs/exec.c, create_elf_tables), from the top down: a null
  // word, the file name, the argument and environment strings in order (argv[0] lowest: a
  // program may take them as one area, as setproctitle does), the platform and base platform names, the random
  // bytes, then the vectors.
  let sp = s.stackTop - 4;
  const pushBytes = (b: Uint8Array): number => {
    sp -= b.length;
    mem.poke(sp, b);
    return sp;
  };
  const cString = (str: string): Buffer => stringToBytes(str + '\0');
  const pushString = (str: string): number => pushBytes(cString(str));

  const execfn = pushString(s.execfn);
  const strings = [...s.argv, ...s.envp].map(cString);
  let at = pushBytes(Buffer.concat(strings));
  const pointers = strings.map((b) => (at += b.length) - b.length);
  const argPtrs = pointers.slice(0, s.argv.length), envPtrs = pointers.slice(s.argv.length);
  const platform = s.platform ? pushString(s.platform) : 0;
  const basePlatform = s.basePlatform ? pushString(s.basePlatform) : 0;
  const random = pushBytes(fillRandom(new Uint8Array(16)));
  sp = (sp & ~15) >>> 0;

  const uid = process.getuid?.() ?? 0, gid = process.getgid?.() ?? 0;
  const auxv: [number, number][] = [
    [AT.PHDR, s.program.phdr], [AT.PHENT, s.programElf.phentsize], [AT.PHNUM, s.programElf.programs.length],
    [AT.PAGESZ, PAGE_SIZE], [AT.BASE, s.interpBase], [AT.FLAGS, 0], [AT.ENTRY, s.program.entry],
    [AT.UID, uid], [AT.EUID, process.geteuid?.() ?? uid], [AT.GID, gid], [AT.EGID, process.getegid?.() ?? gid],
    [AT.HWCAP, s.hwcap], [AT.HWCAP2, s.hwcap2], [AT.CLKTCK, 100], [AT.SECURE, 0], [AT.RANDOM, random],
    [AT.EXECFN, execfn],
  ];
  if (platform) auxv.push([AT.PLATFORM, platform]);
  if (basePlatform) auxv.push([AT.BASE_PLATFORM, basePlatform]);
  auxv.push([AT.NULL, 0]);

  const words = [s.argv.length, ...argPtrs, 0, ...envPtrs, 0, ...auxv.flat()];
  sp -= words.length * 4;
  sp = (sp & ~15) >>> 0;
  words.forEach((w, i) => mem.view.setUint32(sp + 4 * i, w >>> 0, mem.littleEndian));
  return sp;
}

/**
 * Where an initial stack's argument and environment strings lie: [start, end of the argument
 * strings, end of the environment strings] (Linux's arg_start, arg_end, env_end).
 */
export function argArea(mem: GuestMemory, sp: number): [number, number, number] {
  const argc = mem.read32(sp);
  const end = (ptr: number): number => ptr + (mem.readCBytes(ptr, MAX_ARG_STRLEN)?.length ?? 0) + 1;
  const envp = sp + 4 * (argc + 2);
  let envc = 0;
  while (mem.read32(envp + 4 * envc) !== 0) envc++;
  if (argc === 0) {
    const at = envc ? mem.read32(envp) : 0;
    return [at, at, envc ? end(mem.read32(envp + 4 * (envc - 1))) : at];
  }
  const argEnd = end(mem.read32(sp + 4 * argc));
  return [mem.read32(sp + 4), argEnd, envc ? end(mem.read32(envp + 4 * (envc - 1))) : argEnd];
}

/** The auxiliary vector of an initial stack (argc, argv, NULL, envp, NULL, then [type, value] pairs to AT_NULL). */
export function readAuxv(mem: GuestMemory, sp: number): number[] {
  let at = sp + 4 * (mem.read32(sp) + 2);
  while (mem.read32(at) !== 0) at += 4;
  const words: number[] = [];
  for (at += 4; ; at += 8) {
    words.push(mem.read32(at), mem.read32(at + 4));
    if (mem.read32(at) === AT.NULL) return words;
  }
}
