// ARM EABI, little-endian: armhf (ARMv7-A, Thumb-2, VFPv3-D32, NEON) and armel (ARMv5TE
// code, soft float), running on the same CPU: a Cortex-A15 unless --cpu says (models.ts).
import { EM_ARM } from '../../elf/parse.js';
import { ARM_SYSCALLS, ARMEL_ABI, ARMHF_ABI, eabiSyscallHook } from '../../syscalls/arch/arm.js';
import type { ArmCpu } from './cpu.js';
import { ARM_DEFAULT_MODEL, ARM_MODELS } from './models.js';
import type { ArchSetup } from '../arches.js';

/** EF_ARM_ABI_FLOAT_HARD: the binary passes floats in VFP registers. */
const EF_ARM_ABI_FLOAT_HARD = 0x400;

const arm = (hardFloat: boolean): ArchSetup => ({
  abi: hardFloat ? ARMHF_ABI : ARMEL_ABI,
  runs: (elf) => elf.machine === EM_ARM && ((elf.flags & EF_ARM_ABI_FLOAT_HARD) !== 0) === hardFloat,
  refuse: (elf) => {
    if (elf.is64) return 'ELF class 64, but 32-bit ARM binaries are ELF class 32';
    if (!elf.littleEndian) return 'big-endian ARM is not supported; urun runs little-endian ARM';
    if ((elf.flags >>> 24) < 4) return 'old ABI (not EABI); urun runs ARM EABI binaries';
    return null;
  },
  triplet: hardFloat ? 'arm-linux-gnueabihf' : 'arm-linux-gnueabi',
  libcPackage: hardFloat ? 'libc6-armhf-cross' : 'libc6-armel-cross',
  syscalls: ARM_SYSCALLS,
  family: 'ARM',
  models: ARM_MODELS,
  defaultModel: ARM_DEFAULT_MODEL,
  stackPointer: 13,
  makeCpu: async (mem, dispatcher, model) => {
    const cpu = new (await import('./cpu.js')).ArmCpu(mem, eabiSyscallHook(dispatcher), model.features);
    dispatcher.kernel.frames = (await import('../../syscalls/arch/arm-signal.js')).armSignalFrames(dispatcher.kernel, cpu);
    return cpu;
  },
  mapKernelPages: (cpu, kernel) => {
    const page = (cpu as ArmCpu).mapKuserPage();
    kernel.nameRange(page, page + 0x1000, '[vectors]');
  },
});

export const ARM_ARCHES = [arm(true), arm(false)];
