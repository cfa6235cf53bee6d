// MIPS32 o32, big- and little-endian.
import { EM_MIPS } from '../../elf/parse.js';
import { MIPS_ABI, MIPSEL_ABI, MIPS_SYSCALLS, o32SyscallHook } from '../../syscalls/arch/mips.js';
import type { ArchSetup } from '../arches.js';
import { MIPS_DEFAULT_MODEL, MIPS_MODELS } from './models.js';

const mips = (little: boolean): ArchSetup => ({
  abi: little ? MIPSEL_ABI : MIPS_ABI,
  runs: (elf) => elf.machine === EM_MIPS && elf.littleEndian === little,
  refuse: (elf) => {
    if (elf.is64) return 'MIPS64 (n64) is not supported; urun runs MIPS32 o32 binaries (qemu-mips64 and qemu-mips64el run MIPS64)';
    if (elf.flags & 0x20) return 'the n32 ABI is not supported; urun runs o32 binaries';
    const isa = elf.flags >>> 28;
    if (isa === 9 || isa === 0xa) return 'MIPS release 6 is not supported; urun runs MIPS32 release 2 and earlier';
    if (elf.flags & 0x400) return 'built for IEEE 754-2008 NaNs (-mnan=2008); urun implements legacy NaNs';
    const fpAbi = elf.mipsAbiFlags?.fpAbi ?? 0;
    if (fpAbi === 6 || fpAbi === 7) return 'built for 64-bit FPU registers (FP64); urun implements FR=0';
    return null;
  },
  triplet: little ? 'mipsel-linux-gnu' : 'mips-linux-gnu',
  libcPackage: little ? 'libc6-mipsel-cross' : 'libc6-mips-cross',
  syscalls: MIPS_SYSCALLS,
  family: 'MIPS',
  models: MIPS_MODELS,
  defaultModel: MIPS_DEFAULT_MODEL,
  stackPointer: 29,
  makeCpu: async (mem, dispatcher, model) => {
    const cpu = new (await import('./cpu.js')).MipsCpu(mem, o32SyscallHook(dispatcher), model.features);
    dispatcher.kernel.frames = (await import('../../syscalls/arch/mips-signal.js')).mipsSignalFrames(dispatcher.kernel, cpu);
    return cpu;
  },
  mapKernelPages: () => {},
});

export const MIPS_ARCHES = [mips(false), mips(true)];
