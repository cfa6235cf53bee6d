// ARM EABI, little-endian: armhf (ARMv7-A, Thumb-2, VFPv3-D32, NEON) and armel (ARMv5TE
// code, soft float), running on the same ARMv7 CPU.
import { EM_ARM } from '../../elf/parse.js';
import { ARM_SYSCALLS, ARMEL_ABI, ARMHF_ABI, eabiSyscallHook } from '../../syscalls/arch/arm.js';
import type { ArmCpu } from './cpu.js';
import type { ArchSetup } from '../arches.js';

// AT_HWCAP bits for what the CPU implements: half-word loads, Thumb(-2), fast (long)
// multiplies, the DSP extension, the TLS register, VFPv3 with 32 double registers, NEON,
// and integer divide in both instruction sets.
const HWCAP_ARM_HALF = 2, HWCAP_ARM_FAST_MULT = 16, HWCAP_ARM_EDSP = 128, HWCAP_ARM_TLS = 32768;
const HWCAP_ARM_VFP = 64, HWCAP_ARM_NEON = 4096, HWCAP_ARM_VFPv3 = 8192, HWCAP_ARM_VFPD32 = 524288;
const HWCAP_ARM_THUMB = 4, HWCAP_ARM_IDIVA = 131072, HWCAP_ARM_IDIVT = 262144;
export const ARM_HWCAP = HWCAP_ARM_HALF | HWCAP_ARM_FAST_MULT | HWCAP_ARM_EDSP | HWCAP_ARM_TLS |
  HWCAP_ARM_VFP | HWCAP_ARM_VFPv3 | HWCAP_ARM_VFPD32 | HWCAP_ARM_NEON | HWCAP_ARM_THUMB | HWCAP_ARM_IDIVA | HWCAP_ARM_IDIVT;

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
  hwcap: ARM_HWCAP,
  platform: 'v7l',
  stackPointer: 13,
  makeCpu: async (mem, dispatcher) => {
    const cpu = new (await import('./cpu.js')).ArmCpu(mem, eabiSyscallHook(dispatcher));
    dispatcher.kernel.frames = (await import('../../syscalls/arch/arm-signal.js')).armSignalFrames(dispatcher.kernel, cpu);
    return cpu;
  },
  mapKernelPages: (cpu) => (cpu as ArmCpu).mapKuserPage(),
});

export const ARM_ARCHES = [arm(true), arm(false)];
