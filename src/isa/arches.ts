// What differs per guest architecture when a process is put together, and the registry of
// the architectures urun runs. Adding one means its own folders (src/isa/<isa>, with its
// arch.ts, and src/syscalls/arch/<isa>*) plus its entry in ARCHES below.
import type { ElfFile } from '../elf/parse.js';
import type { GuestMemory } from '../memory/memory.js';
import type { ArchAbi } from '../syscalls/abi.js';
import type { Dispatcher } from '../syscalls/dispatch.js';
import type { Kernel } from '../syscalls/kernel.js';
import type { SyscallRecord } from '../syscalls/records.js';
import type { GuestCpu } from '../engine/cpu.js';
import { findModel, type CpuModel } from './models.js';
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
  /** The ISA family as users name it ('MIPS', 'ARM'), and the CPU models --cpu chooses among. */
  family: string;
  models: CpuModel[];
  defaultModel: CpuModel;
  /** Loads the CPU module on demand: each ISA's tables take milliseconds to build. */
  makeCpu(mem: GuestMemory, dispatcher: Dispatcher, model: CpuModel): Promise<GuestCpu>;
  /**
   * Maps what the kernel gives every process of this arch (ARM: the kuser helpers page, named
   * in /proc/self/maps); once per address space, not per thread.
   */
  mapKernelPages(cpu: GuestCpu, kernel: Kernel): void;
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

/**
 * The CPU model `name` (--cpu) for this arch, its default when no name is given; throws an
 * Error saying which models the arch has when it has none of that name.
 */
export function cpuModelFor(arch: ArchSetup, name: string | undefined): CpuModel {
  if (!name) return arch.defaultModel;
  const m = findModel(arch.models, name);
  if (m) return m;
  const elsewhere = ARCHES.find((a) => findModel(a.models, name));
  const why = elsewhere ? `is ${elsewhere.family}, not ${arch.family}` : 'is not a CPU urun knows';
  throw new Error(`--cpu ${name} ${why}; ${arch.family} models: ${arch.models.map((x) => x.name).join(', ')}`);
}

/** Every CPU model, by family, for `--cpu help`. */
export function cpuModelList(): string {
  const families = [...new Map(ARCHES.map((a) => [a.family, a])).values()];
  const abis = (family: string) => ARCHES.filter((a) => a.family === family).map((a) => a.abi.name).join(', ');
  return families.map((a) => `${a.family} (${abis(a.family)}):\n` +
    a.models.map((m) => `  ${m.name.padEnd(12)}${m.summary}`).join('\n')).join('\n');
}
