// Puts the pipeline together for one guest program: ELF → guest memory → CPU → syscalls
// → host. Everything the CLI needs to run a program, with clear errors for bad input.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ElfError, ElfFile, EM_AARCH64, EM_ARM, EM_386, EM_MIPS, EM_X86_64, parseElf } from '../elf/parse.js';
import { buildStack, mapImage } from '../elf/load.js';
import { GuestMemory, pageAlignUp } from '../memory/memory.js';
import { Kernel } from '../syscalls/kernel.js';
import { Dispatcher } from '../syscalls/dispatch.js';
import { MIPS_ABI, MIPSEL_ABI, MIPS_SYSCALLS, o32SyscallHook } from '../syscalls/arch/mips.js';
import { ARM_SYSCALLS, ARMEL_ABI, ARMHF_ABI, eabiSyscallHook } from '../syscalls/arch/arm.js';
import type { ArchAbi } from '../syscalls/abi.js';
import type { SyscallRecord } from '../syscalls/linux.js';
import { Engine } from './engine.js';
import { Lockstep, StoreJournal } from './lockstep.js';
import type { GuestCpu } from './cpu.js';

/** A problem with what the user asked for: one line, and the exit status to use. */
export class UrunError extends Error {
  constructor(message: string, readonly status = 1) {
    super(message);
  }
}

export interface RunOptions {
  program: string;
  argv: string[];
  env: string[];
  sysroot: string | null;
  strace: ((line: string) => void) | null;
  warn: (msg: string) => void;
  /** Run translated code in lockstep with the interpreter (--check-jit). */
  checkJit?: boolean;
}

export interface GuestProcess {
  engine: Engine;
  cpu: GuestCpu;
  kernel: Kernel;
  mem: GuestMemory;
  arch: string;
  lockstep: Lockstep | null;
}

function readProgram(file: string): Buffer {
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new UrunError(`${file}: is a directory`, 126);
    return fs.readFileSync(file);
  } catch (e) {
    if (e instanceof UrunError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UrunError(`${file}: no such file`, 127);
    if (code === 'EACCES') throw new UrunError(`${file}: permission denied`, 126);
    throw new UrunError(`${file}: cannot read (${(e as Error).message})`, 126);
  }
}

function parse(data: Buffer, file: string): ElfFile {
  try {
    return parseElf(data, file);
  } catch (e) {
    if (e instanceof ElfError) throw new UrunError(e.message, 126);
    throw e;
  }
}

/** Checks that urun can run this binary; says precisely why not otherwise. */
function checkSupported(elf: ElfFile, file: string): void {
  const what = `${file}: ${elf.is64 ? '64' : '32'}-bit ${elf.littleEndian ? 'little' : 'big'}-endian ${elf.machineName}`;
  if (elf.machine === EM_X86_64 || elf.machine === EM_386) {
    throw new UrunError(`${what} binary: this is a native program for this machine; run it directly, not under urun`, 126);
  }
  if (elf.machine === EM_AARCH64) throw new UrunError(`${what} binary: AArch64 is not supported yet (urun runs 32-bit MIPS and ARM)`, 126);
  if (elf.machine === EM_ARM) {
    if (!elf.littleEndian) throw new UrunError(`${what} binary: big-endian ARM is not supported; urun runs little-endian ARM`, 126);
    if ((elf.flags >>> 24) < 4) throw new UrunError(`${what} binary: old ABI (not EABI); urun runs ARM EABI binaries`, 126);
  } else if (elf.machine !== EM_MIPS) {
    throw new UrunError(`${what} binary: architecture not supported (urun runs 32-bit MIPS and ARM)`, 126);
  } else {
    if (elf.is64) throw new UrunError(`${what} binary: MIPS64 (n64) is not supported; urun runs MIPS32 o32 binaries`, 126);
    if (elf.flags & 0x20) throw new UrunError(`${what} binary: the n32 ABI is not supported; urun runs o32 binaries`, 126);
    const arch = elf.flags >>> 28;
    if (arch === 9 || arch === 0xa) {
      throw new UrunError(`${what} binary: MIPS release 6 is not supported; urun runs MIPS32 release 2 and earlier`, 126);
    }
    if (elf.flags & 0x400) throw new UrunError(`${what} binary: built for IEEE 754-2008 NaNs (-mnan=2008); urun implements legacy NaNs`, 126);
    const fpAbi = elf.mipsAbiFlags?.fpAbi ?? 0;
    if (fpAbi === 6 || fpAbi === 7) throw new UrunError(`${what} binary: built for 64-bit FPU registers (FP64); urun implements FR=0`, 126);
  }
  if (elf.type !== 2 && elf.type !== 3) throw new UrunError(`${what} file is not an executable (ELF type ${elf.type})`, 126);
}

/** What differs per guest architecture when a process is put together. */
interface ArchSetup {
  abi: ArchAbi;
  triplet: string;
  /** The Debian package holding the sysroot, for the error message. */
  libcPackage: string;
  syscalls: SyscallRecord[];
  hwcap: number;
  platform: string | null;
  /** Loads the CPU module on demand: each ISA's tables take milliseconds to build. */
  makeCpu(mem: GuestMemory, dispatcher: Dispatcher): Promise<GuestCpu & { tls: number; R: Int32Array }>;
  /** Registers at entry besides the stack pointer. */
  stackPointer: number;
}

// ARM AT_HWCAP bits for what the CPU implements: half-word loads, Thumb(-2), fast (long)
// multiplies, the DSP extension, the TLS register, VFPv3 with 32 double registers, NEON,
// and integer divide in both instruction sets.
const HWCAP_ARM_HALF = 2, HWCAP_ARM_FAST_MULT = 16, HWCAP_ARM_EDSP = 128, HWCAP_ARM_TLS = 32768;
const HWCAP_ARM_VFP = 64, HWCAP_ARM_NEON = 4096, HWCAP_ARM_VFPv3 = 8192, HWCAP_ARM_VFPD32 = 524288;
const HWCAP_ARM_THUMB = 4, HWCAP_ARM_IDIVA = 131072, HWCAP_ARM_IDIVT = 262144;

function archSetup(elf: ElfFile): ArchSetup {
  if (elf.machine === EM_ARM) {
    const hf = (elf.flags & 0x400) !== 0;
    return {
      abi: hf ? ARMHF_ABI : ARMEL_ABI,
      triplet: hf ? 'arm-linux-gnueabihf' : 'arm-linux-gnueabi',
      libcPackage: hf ? 'libc6-armhf-cross' : 'libc6-armel-cross',
      syscalls: ARM_SYSCALLS,
      hwcap: HWCAP_ARM_HALF | HWCAP_ARM_FAST_MULT | HWCAP_ARM_EDSP | HWCAP_ARM_TLS |
        HWCAP_ARM_VFP | HWCAP_ARM_VFPv3 | HWCAP_ARM_VFPD32 | HWCAP_ARM_NEON | HWCAP_ARM_THUMB | HWCAP_ARM_IDIVA | HWCAP_ARM_IDIVT,
      platform: 'v7l',
      stackPointer: 13,
      makeCpu: async (mem, dispatcher) => {
        const { ArmCpu } = await import('../isa/arm/cpu.js');
        const cpu = new ArmCpu(mem, eabiSyscallHook(dispatcher));
        cpu.mapKuserPage();
        dispatcher.kernel.frames = (await import('../syscalls/arch/arm-signal.js')).armSignalFrames(dispatcher.kernel, cpu);
        return cpu;
      },
    };
  }
  return {
    abi: elf.littleEndian ? MIPSEL_ABI : MIPS_ABI,
    triplet: elf.littleEndian ? 'mipsel-linux-gnu' : 'mips-linux-gnu',
    libcPackage: elf.littleEndian ? 'libc6-mipsel-cross' : 'libc6-mips-cross',
    syscalls: MIPS_SYSCALLS,
    hwcap: 0,
    platform: null,
    stackPointer: 29,
    makeCpu: async (mem, dispatcher) => {
      const cpu = new (await import('../isa/mips/cpu.js')).MipsCpu(mem, o32SyscallHook(dispatcher));
      dispatcher.kernel.frames = (await import('../syscalls/arch/mips-signal.js')).mipsSignalFrames(dispatcher.kernel, cpu);
      return cpu;
    },
  };
}

export async function createProcess(opts: RunOptions): Promise<GuestProcess> {
  const data = readProgram(opts.program);
  const elf = parse(data, opts.program);
  checkSupported(elf, opts.program);
  const mem = new GuestMemory(elf.littleEndian);
  const arch = archSetup(elf);
  const { abi, triplet } = arch;

  let interpElf: ElfFile | null = null;
  let interpPath = '';
  if (elf.interp) {
    if (!opts.sysroot) {
      throw new UrunError(`${opts.program}: dynamically linked (interpreter ${elf.interp}); give the target's root ` +
        `filesystem with -L DIR (or URUN_SYSROOT), e.g. -L /usr/${triplet} from Debian's ${arch.libcPackage}`, 126);
    }
    interpPath = path.join(opts.sysroot, elf.interp);
    if (!fs.existsSync(interpPath)) {
      throw new UrunError(`${opts.program}: interpreter ${elf.interp} not found under sysroot ${opts.sysroot} (looked for ${interpPath})`, 127);
    }
    interpElf = parse(readProgram(interpPath), interpPath);
    checkSupported(interpElf, interpPath);
  }

  const exePath = path.resolve(opts.program);
  const kernel = new Kernel(mem, abi, { exePath, sysroot: opts.sysroot, warn: opts.warn });
  const image = mapImage(mem, elf, opts.program, 0x00400000);
  let entry = image.entry;
  let interpBase = 0;
  if (interpElf) {
    const size = pageAlignUp(Math.max(...interpElf.programs.filter((p) => p.type === 1).map((p) => p.vaddr + p.memsz)));
    const base = mem.findFree(size, kernel.mmapTop, 0x10000000);
    const interp = mapImage(mem, interpElf, interpPath, base);
    interpBase = base;
    entry = interp.entry;
  }
  kernel.brkStart = kernel.brk = image.brk;

  const sp = buildStack(mem, {
    argv: opts.argv, envp: opts.env, execfn: opts.argv[0] ?? opts.program, platform: arch.platform, hwcap: arch.hwcap, hwcap2: 0,
    program: image, programElf: elf, interpBase,
  });

  const dispatcher = new Dispatcher(kernel, arch.syscalls, opts.strace);
  const cpu = await arch.makeCpu(mem, dispatcher);
  let lockstep: Lockstep | null = null;
  if (opts.checkJit) {
    const ref = new StoreJournal(mem.bytes), jit = new StoreJournal(mem.bytes);
    const support = cpu.enableLockstep(ref, jit, () => lockstep!.beforeSyscall());
    lockstep = new Lockstep(cpu, mem, support, ref, jit);
  }
  const engine = new Engine(cpu, mem, { lockstep, warn: opts.warn, interrupt: kernel.thread.interrupt });
  kernel.setTls = (v) => (cpu.tls = v);
  kernel.invalidateCode = (a, len) => engine.invalidateRange(a, len);
  kernel.stackPointer = () => cpu.R[arch.stackPointer];
  cpu.pc = entry;
  // Registers start at zero (glibc's _start takes a zero rtld_fini from $v0 / r0).
  cpu.R[arch.stackPointer] = sp;
  return { engine, cpu, kernel, mem, arch: abi.name, lockstep };
}
