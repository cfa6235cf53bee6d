// What differs per guest architecture when a process is put together, and the registry of
// the architectures urun runs. Adding one means its own folders (src/isa/<isa>, with its
// arch.ts, and src/syscalls/arch/<isa>*) plus its entry in ARCHES below.
import type { ElfFile } from '../elf/parse.js';
import type { GuestMemory } from '../memory/memory.js';
import type { ArchAbi } from '../syscalls/abi.js';
import type { Dispatcher } from '../syscalls/dispatch.js';
import type { SyscallRecord } from '../syscalls/records.js';
import type { GuestCpu } from '../engine/cpu.js';
import { ARM_ARCHES } from './arm/arch.js';
import { MIPS_ARCHES } from './mips/arch.js';

/** The ELF header fields that choose the CPU and the ABI. */
export type ElfTarget = Pick<ElfFile, 'machine' | 'flags' | 'littleEndian'>;

export interface ArchSetup {
  abi: ArchAbi;
  /** The ELF machine (EM_*) this arch runs, and which of its binaries (byte order, float ABI). */
  runs(elf: ElfTarget): boolean;
  /** Why urun cannot run this binary of the arch's machine (one line), or null. */
  refuse(elf: ElfFile): string | null;
  triplet: string;
  /** The Debian package holding the sysroot, for the error message. */
  libcPackage: string;
  syscalls: SyscallRecord[];
  hwcap: number;
  platform: string | null;
  /** Loads the CPU module on demand: each ISA's tables take milliseconds to build. */
  makeCpu(mem: GuestMemory, dispatcher: Dispatcher): Promise<GuestCpu>;
  /**
   * Maps what the kernel gives every process of this arch (ARM: the kuser helpers page);
   * once per address space, not per thread.
   */
  mapKernelPages(cpu: GuestCpu): void;
  /** The stack pointer's register number. */
  stackPointer: number;
}

export const ARCHES: ArchSetup[] = [...MIPS_ARCHES, ...ARM_ARCHES];

/** The setup for an ArchAbi name ('mips', 'mipsel', 'armhf', 'armel'). */
export function archFor(name: string): ArchSetup {
  const a = ARCHES.find((x) => x.abi.name === name);
  if (!a) throw new Error(`no architecture named ${name}`);
  return a;
}

/** The setup that runs this binary, or undefined for a machine urun does not emulate. */
export function archOf(elf: ElfTarget): ArchSetup | undefined {
  return ARCHES.find((a) => a.runs(elf));
}
