// MIPS CPU models. Feature bits for InsnDef.requires in table.ts.
import type { CpuModel } from '../models.js';

/** MIPS32 release 2 (rotates, bit-field extract/insert, seb/seh/wsbh, hazard barriers). */
export const MIPS_R2 = 1;
/**
 * The FPU (COP1, COP1X, the FP condition moves). Without it an FPU instruction is SIGILL:
 * qemu-mips -cpu 4Kc/24Kc does this; a real no-FPU MIPS running Linux would instead have the
 * kernel emulate the instruction (CONFIG_MIPS_FPU_EMULATOR). urun matches qemu, so a model
 * without an FPU tells whether a build is really soft-float.
 */
export const MIPS_FPU = 2;

const model = (name: string, summary: string, features: number, cpuModel: string): CpuModel => ({
  name, summary, features, hwcap: 0, platform: null, basePlatform: features & MIPS_R2 ? 'mips32r2' : 'mips32',
  cpuinfo: { kind: 'mips', model: cpuModel, isa: features & MIPS_R2 ? 'mips1 mips2 mips32r1 mips32r2' : 'mips1 mips2 mips32r1' },
});

export const MIPS_MODELS: CpuModel[] = [
  model('4Kc', 'MIPS32 release 1, no FPU', 0, 'MIPS 4Kc V0.1'),
  model('24Kc', 'MIPS32 release 2, no FPU', MIPS_R2, 'MIPS 24Kc V7.4'),
  model('24Kf', 'MIPS32 release 2 with an FPU (the default)', MIPS_R2 | MIPS_FPU, 'MIPS 24Kf V7.4  FPU V7.4'),
  model('74Kf', 'MIPS32 release 2 with an FPU (no DSP ASE)', MIPS_R2 | MIPS_FPU, 'MIPS 74Kf V4.12  FPU V4.12'),
];

export const MIPS_DEFAULT_MODEL = MIPS_MODELS[2];
