// ARM CPU models. Feature bits for InsnDef.requires in a32.ts, t32.ts and vfp.ts; a def
// without them is ARMv5TE (ARM state, and 16-bit Thumb with BL/BLX).
import type { CpuModel } from '../models.js';

/** ARMv6K: REV, the extends, SIMD bytes and halves, SEL, PKH, SSAT/USAT, LDREX/STREX, CLREX, TPIDRURO. */
export const ARM_V6 = 1;
/** ARMv6T2/ARMv7-A: Thumb-2 (32-bit Thumb, IT, CBZ), MOVW/MOVT, bit fields, MLS, RBIT, DMB/DSB/ISB. */
export const ARM_V7 = 2;
/** SDIV/UDIV (ARM and Thumb). */
export const ARM_IDIV = 4;
/** VFPv2. Without it (ARM Linux has no VFP emulation) VFP instructions are SIGILL. */
export const ARM_VFP = 8;
/** VFPv3: VMOV immediate, fixed-point VCVT, half-precision VCVTB/VCVTT. */
export const ARM_VFP3 = 16;
/** VFPv4: fused multiply-add. */
export const ARM_VFP4 = 32;
/** Advanced SIMD (NEON), and the VFP register transfers only it has (8/16-bit scalars, VDUP). */
export const ARM_NEON = 64;

// AT_HWCAP bits (arch/arm/include/uapi/asm/hwcap.h).
const SWP = 1, HALF = 2, THUMB = 4, FAST_MULT = 16, VFP = 64, EDSP = 128, JAVA = 256, NEON = 4096, VFPv3 = 8192,
  TLS = 32768, VFPv4 = 65536, IDIVA = 131072, IDIVT = 262144, VFPD32 = 524288;
const V7_HWCAP = HALF | THUMB | FAST_MULT | VFP | EDSP | NEON | VFPv3 | TLS | VFPD32;
const V7 = ARM_V6 | ARM_V7 | ARM_VFP | ARM_VFP3 | ARM_NEON;

const model = (name: string, summary: string, features: number, hwcap: number, platform: string,
  modelName: string, architecture: string, part: number, revision: number): CpuModel => ({
  name, summary, features, hwcap, platform, cpuinfo: { kind: 'arm', modelName, architecture, part, revision },
});

export const ARM_MODELS: CpuModel[] = [
  model('arm926', 'ARMv5TE (ARM926EJ-S), no VFP', 0, SWP | HALF | THUMB | FAST_MULT | EDSP | JAVA, 'v5l',
    'ARM926EJ-S rev 5 (v5l)', '5TEJ', 0x926, 5),
  // ARM11's CPUID scheme makes Linux print architecture 7 (as a Raspberry Pi 1 shows).
  model('arm1176', 'ARMv6K (ARM1176JZF-S), VFPv2', ARM_V6 | ARM_VFP, SWP | HALF | THUMB | FAST_MULT | VFP | EDSP | JAVA | TLS, 'v6l',
    'ARMv6-compatible processor rev 7 (v6l)', '7', 0xb76, 7),
  model('cortex-a7', 'ARMv7-A, VFPv4-D32, NEON, integer divide', V7 | ARM_VFP4 | ARM_IDIV, V7_HWCAP | VFPv4 | IDIVA | IDIVT, 'v7l',
    'ARMv7 Processor rev 5 (v7l)', '7', 0xc07, 5),
  model('cortex-a9', 'ARMv7-A, VFPv3-D32, NEON, no integer divide', V7, V7_HWCAP, 'v7l',
    'ARMv7 Processor rev 0 (v7l)', '7', 0xc09, 0),
  model('cortex-a15', 'ARMv7-A, VFPv4-D32, NEON, integer divide (the default)', V7 | ARM_VFP4 | ARM_IDIV,
    V7_HWCAP | VFPv4 | IDIVA | IDIVT, 'v7l', 'ARMv7 Processor rev 3 (v7l)', '7', 0xc0f, 3),
];

export const ARM_DEFAULT_MODEL = ARM_MODELS[4];
