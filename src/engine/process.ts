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
import type { SyscallRecord } from '../syscalls/records.js';
import { Engine } from './engine.js';
import { Lockstep, StoreJournal } from './lockstep.js';
import type { GuestCpu } from './cpu.js';
import { ThreadGroup } from './threads.js';
import type { ArmCpu } from '../isa/arm/cpu.js';
import { E } from '../syscalls/errno.js';
import { forkProcess, processHooks } from './lifecycle.js';

/** A problem with what the user asked for: one line, and the exit status to use. */
export class UrunError extends Error {
  /** The errno a guest execve of this program gets instead (ENOEXEC unless said otherwise). */
  readonly errno: number;
  constructor(message: string, readonly status = 1, errno?: number) {
    super(message);
    this.errno = errno ?? (status === 127 ? E.ENOENT : E.ENOEXEC);
  }
}

/** How every process of a run is emulated: kept across fork and execve. */
export interface ProcessConfig {
  sysroot: string | null;
  /** Log every guest syscall (--strace). */
  strace: boolean;
  warn: (msg: string) => void;
  /** Run translated code in lockstep with the interpreter (--check-jit). */
  checkJit?: boolean;
}

export interface RunOptions extends ProcessConfig {
  program: string;
  argv: string[];
  env: string[];
  /** Host descriptors (at the same numbers) that are the guest's besides 0-2. */
  inheritFds?: number[];
}

export interface GuestProcess {
  engine: Engine;
  cpu: GuestCpu;
  kernel: Kernel;
  mem: GuestMemory;
  arch: string;
  lockstep: Lockstep | null;
  config: ProcessConfig;
  /** What chose the CPU and ABI, so a forked child can make the same. */
  target: ElfTarget;
}

/** A program checked and read, ready to be loaded: what execve validates before the point of no return. */
export interface GuestImage {
  program: string;
  argv: string[];
  env: string[];
  elf: ElfFile;
  interp: { path: string; elf: ElfFile } | null;
}

/** The ELF header fields that choose the CPU and the ABI. */
export type ElfTarget = Pick<ElfFile, 'machine' | 'flags' | 'littleEndian'>;

function readProgram(file: string): Buffer {
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new UrunError(`${file}: is a directory`, 126, E.EACCES);
    return fs.readFileSync(file);
  } catch (e) {
    if (e instanceof UrunError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UrunError(`${file}: no such file`, 127);
    if (code === 'EACCES') throw new UrunError(`${file}: permission denied`, 126, E.EACCES);
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
  makeCpu(mem: GuestMemory, dispatcher: Dispatcher): Promise<GuestCpu>;
  /**
   * Maps what the kernel gives every process of this arch (ARM: the kuser helpers page);
   * once per address space, not per thread.
   */
  mapKernelPages(cpu: GuestCpu): void;
  /** Registers at entry besides the stack pointer. */
  stackPointer: number;
}

// ARM AT_HWCAP bits for what the CPU implements: half-word loads, Thumb(-2), fast (long)
// multiplies, the DSP extension, the TLS register, VFPv3 with 32 double registers, NEON,
// and integer divide in both instruction sets.
const HWCAP_ARM_HALF = 2, HWCAP_ARM_FAST_MULT = 16, HWCAP_ARM_EDSP = 128, HWCAP_ARM_TLS = 32768;
const HWCAP_ARM_VFP = 64, HWCAP_ARM_NEON = 4096, HWCAP_ARM_VFPv3 = 8192, HWCAP_ARM_VFPD32 = 524288;
const HWCAP_ARM_THUMB = 4, HWCAP_ARM_IDIVA = 131072, HWCAP_ARM_IDIVT = 262144;

function archSetup(elf: ElfTarget): ArchSetup {
  if (elf.machine === EM_ARM) return archFor((elf.flags & 0x400) !== 0 ? 'armhf' : 'armel');
  return archFor(elf.littleEndian ? 'mipsel' : 'mips');
}

/** The setup for an ArchAbi name ('mips', 'mipsel', 'armhf', 'armel'). */
export function archFor(name: string): ArchSetup {
  if (name === 'armhf' || name === 'armel') {
    const hf = name === 'armhf';
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
        const cpu = new (await import('../isa/arm/cpu.js')).ArmCpu(mem, eabiSyscallHook(dispatcher));
        dispatcher.kernel.frames = (await import('../syscalls/arch/arm-signal.js')).armSignalFrames(dispatcher.kernel, cpu);
        return cpu;
      },
      mapKernelPages: (cpu) => (cpu as ArmCpu).mapKuserPage(),
    };
  }
  return {
    abi: name === 'mipsel' ? MIPSEL_ABI : MIPS_ABI,
    triplet: name === 'mipsel' ? 'mipsel-linux-gnu' : 'mips-linux-gnu',
    libcPackage: name === 'mipsel' ? 'libc6-mipsel-cross' : 'libc6-mips-cross',
    syscalls: MIPS_SYSCALLS,
    hwcap: 0,
    platform: null,
    stackPointer: 29,
    makeCpu: async (mem, dispatcher) => {
      const cpu = new (await import('../isa/mips/cpu.js')).MipsCpu(mem, o32SyscallHook(dispatcher));
      dispatcher.kernel.frames = (await import('../syscalls/arch/mips-signal.js')).mipsSignalFrames(dispatcher.kernel, cpu);
      return cpu;
    },
    mapKernelPages: () => {},
  };
}

/** The syscall ABI of a program with this ELF header. */
export function makeAbi(target: ElfTarget): ArchAbi {
  return archSetup(target).abi;
}

/** Reads and checks a guest program and its interpreter; throws UrunError naming what is wrong. */
export function prepareImage(program: string, argv: string[], env: string[], sysroot: string | null): GuestImage {
  const elf = parse(readProgram(program), program);
  checkSupported(elf, program);
  let interp: GuestImage['interp'] = null;
  if (elf.interp) {
    const { triplet, libcPackage } = archSetup(elf);
    if (!sysroot) {
      throw new UrunError(`${program}: dynamically linked (interpreter ${elf.interp}); give the target's root ` +
        `filesystem with -L DIR (or URUN_SYSROOT), e.g. -L /usr/${triplet} from Debian's ${libcPackage}`, 126, E.ENOENT);
    }
    const interpPath = path.join(sysroot, elf.interp);
    if (!fs.existsSync(interpPath)) {
      throw new UrunError(`${program}: interpreter ${elf.interp} not found under sysroot ${sysroot} (looked for ${interpPath})`, 127);
    }
    const interpElf = parse(readProgram(interpPath), interpPath);
    checkSupported(interpElf, interpPath);
    interp = { path: interpPath, elf: interpElf };
  }
  return { program, argv, env, elf, interp };
}

export async function createProcess(opts: RunOptions): Promise<GuestProcess> {
  return loadImage(prepareImage(opts.program, opts.argv, opts.env, opts.sysroot), opts, undefined, opts.inheritFds);
}

/**
 * Maps a prepared program into a fresh address space and builds its CPU. `execFrom` is the
 * kernel of the process that exec'd it: descriptors, dispositions and the rest that Linux
 * keeps across execve come from there.
 */
export async function loadImage(image: GuestImage, config: ProcessConfig, execFrom?: Kernel, inheritFds?: number[]): Promise<GuestProcess> {
  const { elf, program } = image;
  // The old image's shared mappings end (SysV segments are detached, as by Linux's execve).
  execFrom?.mem.dropShared();
  const mem = new GuestMemory(elf.littleEndian);
  const kernel = new Kernel(mem, archSetup(elf).abi, { exePath: path.resolve(program), sysroot: config.sysroot, warn: config.warn, inheritFds });
  if (execFrom) kernel.inheritAcrossExec(execFrom);
  const loaded = mapImage(mem, elf, program, 0x00400000);
  let entry = loaded.entry;
  let interpBase = 0;
  if (image.interp) {
    const ie = image.interp.elf;
    const size = pageAlignUp(Math.max(...ie.programs.filter((p) => p.type === 1).map((p) => p.vaddr + p.memsz)));
    interpBase = mem.findFree(size, kernel.mmapTop, 0x10000000);
    entry = mapImage(mem, ie, image.interp.path, interpBase).entry;
    kernel.mappingNames.push({ start: interpBase, end: interpBase + size, name: path.resolve(image.interp.path) });
  }
  kernel.brkStart = kernel.brk = loaded.brk;
  kernel.argv = image.argv;
  kernel.envp = image.env;
  kernel.mappingNames.push({ start: loaded.lowest, end: loaded.brk, name: kernel.opts.exePath });

  const arch = archSetup(elf);
  const sp = buildStack(mem, {
    argv: image.argv, envp: image.env, execfn: image.argv[0] ?? program, platform: arch.platform, hwcap: arch.hwcap, hwcap2: 0,
    program: loaded, programElf: elf, interpBase,
  });
  const proc = await assemble(mem, kernel, elf, config);
  proc.cpu.pc = entry;
  // Registers start at zero (glibc's _start takes a zero rtld_fini from $v0 / r0).
  proc.cpu.R[arch.stackPointer] = sp;
  return proc;
}

/** Builds the CPU, engine and syscall layer over a kernel and its memory. */
export async function assemble(mem: GuestMemory, kernel: Kernel, target: ElfTarget, config: ProcessConfig): Promise<GuestProcess> {
  const arch = archSetup(target);
  const strace = config.strace ? (line: string) => config.warn(`${process.pid} ${line}`) : null;
  const dispatcher = new Dispatcher(kernel, arch.syscalls, strace);
  const cpu = await arch.makeCpu(mem, dispatcher);
  arch.mapKernelPages(cpu);
  let lockstep: Lockstep | null = null;
  if (config.checkJit) {
    const ref = new StoreJournal(mem.bytes), jit = new StoreJournal(mem.bytes);
    const support = cpu.enableLockstep(ref, jit, () => lockstep!.beforeSyscall());
    lockstep = new Lockstep(cpu, mem, support, ref, jit);
  }
  const engine = new Engine(cpu, mem, { lockstep, warn: config.warn, interrupt: kernel.signals.interrupt });
  kernel.setTls = (v) => (cpu.tls = v);
  kernel.invalidateCode = (a, len) => engine.invalidateRange(a, len);
  kernel.stackPointer = () => cpu.R[arch.stackPointer];
  const proc: GuestProcess = {
    engine, cpu, kernel, mem, arch: arch.abi.name, lockstep, config,
    target: { machine: target.machine, flags: target.flags, littleEndian: target.littleEndian },
  };
  kernel.cpu = cpu;
  kernel.startThreads = () => new ThreadGroup({
    kernel, dispatcher, mem, abi: arch.abi.name, strace: strace !== null, fork: (state, req) => forkProcess(proc, state, req),
  });
  kernel.process = processHooks(proc);
  return proc;
}
