// Everything the loader relies on, checked before anything is mapped: one list of checks,
// in the order Linux's load_elf_binary meets the same problems, each with the errno its
// execve gives (a guest's execve gets that errno; the CLI prints the line and exits 126).
// Where Linux would load the file and the process would die afterwards (an entry point
// outside the program, segments over one another), urun refuses it up front instead.
import { PAGE_SIZE } from '../memory/memory.js';
import type { AddressLayout } from '../memory/memory.js';
import {
  ElfError, ElfErrno, ElfFile, EM_ARM, EM_MIPS, ET_DYN, MIPS_ABIFLAGS_SIZE, PF_X, PHDR_SIZE_32, PT_INTERP, PT_LOAD,
  PT_MIPS_ABIFLAGS, ProgramHeader,
} from './parse.js';

/** Linux reads at most one page of program headers (ELF_MIN_ALIGN). */
const MAX_PHDR_BYTES = PAGE_SIZE;
const PATH_MAX = 4096;
/** The highest FP ABI value Linux's MIPS loader knows (MIPS_ABI_FP_64A). */
const MIPS_ABI_FP_MAX = 7;
/** Position-independent images (an interpreter placed by urun) must fit below the stack with room to spare. */
const MAX_PIE_SPAN = 0x60000000;

export interface LoadPlan {
  /** Where an ET_DYN image's lowest page goes, or null when urun chooses it at load time. */
  base: number | null;
  /** The arch's address space: segments must lie below its top and clear of the stack. */
  layout: AddressLayout;
}

interface Check {
  /** The problem (without the file name), or null when the file passes. */
  problem(elf: ElfFile, plan: LoadPlan): string | null;
  errno: ElfErrno;
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;
const loads = (elf: ElfFile): ProgramHeader[] => elf.programs.filter((p) => p.type === PT_LOAD && p.memsz > 0);
/** The first program header of a kind for which `bad` says something, as "segment N ...". */
function firstBad(elf: ElfFile, type: number, bad: (p: ProgramHeader) => string | null): string | null {
  for (const [i, p] of elf.programs.entries()) {
    if (p.type !== type) continue;
    const why = bad(p);
    if (why !== null) return `program header ${i}: ${why}`;
  }
  return null;
}
/** An ET_DYN image's load bias, or 0 when placed where it says (ET_EXEC, or not yet known). */
function biasOf(elf: ElfFile, plan: LoadPlan): number {
  if (elf.type !== ET_DYN || plan.base === null) return 0;
  return plan.base - Math.min(...loads(elf).map((p) => p.vaddr - (p.vaddr % PAGE_SIZE)));
}

const CHECKS: Check[] = [
  { errno: 'ENOEXEC', problem: (elf) => (elf.is64 ? 'ELF class 64 (urun runs 32-bit programs)' : null) },
  { errno: 'ENOEXEC', problem: (elf) => (elf.phentsize !== PHDR_SIZE_32 ? `program header size ${elf.phentsize} (ELF32 needs ${PHDR_SIZE_32})` : null) },
  { errno: 'ENOEXEC', problem: (elf) => (elf.phnum === 0 ? 'no program headers' : null) },
  {
    errno: 'ENOEXEC',
    problem: (elf) => (elf.phnum * PHDR_SIZE_32 > MAX_PHDR_BYTES ? `${elf.phnum} program headers (at most ${MAX_PHDR_BYTES / PHDR_SIZE_32})` : null),
  },
  {
    errno: 'EIO',
    problem: (elf) => {
      const end = elf.phoff + elf.phnum * PHDR_SIZE_32;
      return end > elf.size ? `truncated ELF file (program headers end at byte ${end}, file has ${elf.size})` : null;
    },
  },
  {
    errno: 'ENOEXEC',
    problem: (elf) => firstBad(elf, PT_INTERP, (p) => {
      if (p.filesz < 2 || p.filesz > PATH_MAX) return `interpreter path of ${p.filesz} bytes (2 to ${PATH_MAX})`;
      return null;
    }),
  },
  {
    errno: 'EIO',
    problem: (elf) => firstBad(elf, PT_INTERP, (p) =>
      (p.offset + p.filesz > elf.size ? `interpreter path ends at byte ${p.offset + p.filesz}, past the end of the file` : null)),
  },
  {
    errno: 'ENOEXEC',
    problem: (elf) => firstBad(elf, PT_INTERP, (p) =>
      (elf.head[p.offset + p.filesz - 1] !== 0 ? 'interpreter path is not NUL-terminated' : elf.interp === '' ? 'empty interpreter path' : null)),
  },
  {
    errno: 'EINVAL',
    problem: (elf) => (elf.machine !== EM_MIPS ? null : firstBad(elf, PT_MIPS_ABIFLAGS, (p) =>
      (p.filesz < MIPS_ABIFLAGS_SIZE ? `MIPS ABI flags of ${p.filesz} bytes (${MIPS_ABIFLAGS_SIZE} needed)` : null))),
  },
  {
    errno: 'EIO',
    problem: (elf) => (elf.machine !== EM_MIPS ? null : firstBad(elf, PT_MIPS_ABIFLAGS, (p) =>
      (p.offset + MIPS_ABIFLAGS_SIZE > elf.size ? 'MIPS ABI flags past the end of the file' : null))),
  },
  {
    errno: 'EINVAL', // Linux's ELIBBAD; the guest sees EINVAL as qemu's loader gives
    problem: (elf) => ((elf.mipsAbiFlags?.fpAbi ?? 0) > MIPS_ABI_FP_MAX ? `unknown MIPS FP ABI ${elf.mipsAbiFlags!.fpAbi}` : null),
  },
  { errno: 'ENOEXEC', problem: (elf) => (loads(elf).length === 0 ? 'no loadable segment (PT_LOAD)' : null) },
  {
    errno: 'EINVAL',
    problem: (elf) => firstBad(elf, PT_LOAD, (p) =>
      (p.filesz > p.memsz ? `segment's file size ${hex(p.filesz)} exceeds its memory size ${hex(p.memsz)}` : null)),
  },
  {
    errno: 'EIO',
    problem: (elf) => {
      const cut = elf.programs.findIndex((p) => p.type === PT_LOAD && p.filesz > 0 && p.offset + p.filesz > elf.size);
      if (cut < 0) return null;
      const end = elf.programs[cut].offset + elf.programs[cut].filesz;
      return `truncated ELF file (segment of program header ${cut} ends at byte ${end}, file has ${elf.size})`;
    },
  },
  {
    errno: 'EINVAL',
    problem: (elf) => firstBad(elf, PT_LOAD, (p) => (p.memsz > 0 && p.offset % PAGE_SIZE !== p.vaddr % PAGE_SIZE
      ? `segment at ${hex(p.vaddr)} has file offset ${hex(p.offset)}: they differ within the page, so it cannot be mapped`
      : null)),
  },
  {
    errno: 'ENOMEM',
    problem: (elf, plan) => {
      if (elf.type !== ET_DYN || plan.base !== null) return null;
      const ls = loads(elf);
      const span = Math.max(...ls.map((p) => p.vaddr + p.memsz)) - Math.min(...ls.map((p) => p.vaddr));
      return span > MAX_PIE_SPAN ? `segments span ${hex(span)} bytes, more than the address space has free` : null;
    },
  },
  {
    errno: 'EINVAL',
    problem: (elf, plan) => {
      if (elf.type === ET_DYN && plan.base === null) return null; // placed by urun where it fits
      const bias = biasOf(elf, plan), { taskSize: top, stackTop } = plan.layout;
      const stackLow = stackTop - plan.layout.stackSize;
      return firstBad(elf, PT_LOAD, (p) => {
        if (p.memsz === 0) return null;
        const start = p.vaddr + bias, end = p.vaddr + bias + p.memsz;
        const where = `segment ${hex(start)}-${hex(end)}`;
        if (end > top) return `${where} reaches past the top of user space (${hex(top)})`;
        if (start < PAGE_SIZE) return `${where} starts below the lowest mappable address (${hex(PAGE_SIZE)})`;
        if (start < stackTop && end > stackLow) return `${where} overlaps the stack (${hex(stackLow)}-${hex(stackTop)})`;
        return null;
      });
    },
  },
  {
    errno: 'EINVAL',
    problem: (elf) => {
      const ls = loads(elf).slice().sort((a, b) => a.vaddr - b.vaddr);
      for (let i = 1; i < ls.length; i++) {
        const a = ls[i - 1], b = ls[i];
        if (a.vaddr + a.memsz > b.vaddr) return `segments at ${hex(a.vaddr)} and ${hex(b.vaddr)} overlap`;
      }
      return null;
    },
  },
  {
    errno: 'ENOEXEC',
    problem: (elf) => {
      // ARM's elf_check_arch: a Thumb entry is odd, an ARM one word-aligned. MIPS code is word-aligned.
      const misaligned = elf.machine === EM_ARM ? (elf.entry & 3) === 2 : (elf.entry & 3) !== 0;
      return misaligned ? `misaligned entry point ${hex(elf.entry)}` : null;
    },
  },
  {
    errno: 'ENOEXEC',
    problem: (elf) => {
      const at = (elf.entry & ~1) >>> 0;
      const inside = loads(elf).some((p) => p.flags & PF_X && at >= p.vaddr && at < p.vaddr + p.memsz);
      return inside ? null : `entry point ${hex(elf.entry)} is outside every executable segment`;
    },
  },
];

/** Throws an ElfError naming the file and its first problem, or returns when urun can load it. */
export function validateElf(elf: ElfFile, file: string, plan: LoadPlan): void {
  for (const check of CHECKS) {
    const problem = check.problem(elf, plan);
    if (problem !== null) throw new ElfError(`${file}: ${problem}`, check.errno);
  }
}
