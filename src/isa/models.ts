// CPU models (--cpu / URUN_CPU): what a guest CPU implements and advertises. A model names
// the ISA features its instruction tables keep (InsnDef.requires; the rest decode as
// undefined and raise SIGILL), the AT_HWCAP and AT_PLATFORM the program starts with, and
// what /proc/cpuinfo says. Names are qemu's, so `-cpu arm926` and `--cpu arm926` agree.

export interface CpuModel {
  /** The name --cpu takes (matched without regard to case). */
  name: string;
  /** One line for `--cpu help`. */
  summary: string;
  /** ISA feature bits (the ISA's own: see mips/models.ts, arm/models.ts). */
  features: number;
  hwcap: number;
  platform: string | null;
  /** AT_BASE_PLATFORM, the ISA level (MIPS only: arch/mips/kernel/cpu-probe.c set_isa), or null. */
  basePlatform?: string | null;
  /** The per-processor lines of /proc/cpuinfo that name the CPU (procfs.ts lays them out). */
  cpuinfo: MipsCpuinfo | ArmCpuinfo;
}

export interface MipsCpuinfo {
  kind: 'mips';
  /** "cpu model" as arch/mips/kernel/proc.c prints it. */
  model: string;
  isa: string;
}

export interface ArmCpuinfo {
  kind: 'arm';
  /** "model name": the processor name and (platform). */
  modelName: string;
  architecture: string;
  part: number;
  revision: number;
}

/** The model called `name` among `models` (case-insensitive), or undefined. */
export function findModel(models: readonly CpuModel[], name: string): CpuModel | undefined {
  const want = name.toLowerCase();
  return models.find((m) => m.name.toLowerCase() === want);
}
