// Puts the pipeline together for one guest program: ELF → guest memory → CPU → syscalls
// → host. Everything the CLI needs to run a program, with clear errors for bad input.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ElfError, type ElfFile, EM_AARCH64, EM_386, EM_X86_64, readElfFile } from '../elf/parse.js';
import { argArea, buildStack, chooseLayout, stackSizeFor, fileRanges, imageSpan, mapImage, PROGRAM_BASE, readAuxv } from '../elf/load.js';
import { validateElf, type LoadPlan } from '../elf/validate.js';
import { GuestMemory, OutOfGuestMemory, type AddressLayout } from '../memory/memory.js';
import { Kernel, hostLimit, realpathOr, type ExecInheritance } from '../syscalls/kernel.js';
import { programName } from '../syscalls/procfs.js';
import { hostStatFields } from '../host/proc-stat.js';
import type { SandboxPolicy } from '../syscalls/sandbox.js';
import { Dispatcher } from '../syscalls/dispatch.js';
import type { ArchAbi } from '../syscalls/abi.js';
import { archOf, cpuModelFor, type ArchSetup, type ElfTarget } from '../isa/arches.js';
import type { CpuModel } from '../isa/models.js';
import { Engine } from './engine.js';
import { engineCache, openTranslationCache } from './codecache.js';
import { Lockstep, StoreJournal } from './lockstep.js';
import type { GuestCpu } from './cpu.js';
import type { DebugHook } from './debug-hook.js';
import { ThreadGroup } from './threads.js';
import { E } from '../syscalls/errno.js';
import { forkProcess, processHooks } from './lifecycle.js';
import { itimersLeft, keepItimers, routeHostSignalsTo } from '../syscalls/signals.js';

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
  /** The persistent translation cache's directory and size limit; null or absent: no cache. */
  cache?: { dir: string; maxBytes?: number } | null;
  /** The CPU model (--cpu), or the arch's default. */
  cpu?: string;
  /** --sandbox: what the guest may reach; absent or null: not sandboxed. */
  sandbox?: SandboxPolicy | null;
}

export interface RunOptions extends ProcessConfig {
  program: string;
  argv: string[];
  env: string[];
  /** What the vfork child's execve that started this process kept (see ExecInheritance). */
  inherited?: ExecInheritance;
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
  /** The debugger attached to this process (urun -g), which runs its guest code. */
  debug?: DebugHook;
  /** A forked child gdb follows: its connection (a host descriptor) and the parent stub's state, to attach before it runs. */
  pendingDebugger?: { fd: number; state: unknown };
  /** The process's threads (made at its first clone, see Kernel.startThreads). */
  threadGroup: () => ThreadGroup;
  /** The program starts threads early (a Go program): their first Workers can start with it. */
  threadsSoon?: boolean;
}

/** A program checked and read, ready to be loaded: what execve validates before the point of no return. */
export interface GuestImage {
  program: string;
  /** The file execve named, as the guest named it (a `#!` script, not its interpreter): comm and AT_EXECFN. */
  file?: string;
  argv: string[];
  env: string[];
  elf: ElfFile;
  interp: { path: string; elf: ElfFile } | null;
  /** Where its stack and mappings go (chooseLayout). */
  layout: AddressLayout;
}

export type { ElfTarget };

/** Opens and parses a program file (its headers: readElfFile); its problems are the user's (126), never urun's. */
function readProgram(file: string): ElfFile {
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new UrunError(`${file}: is a directory`, 126, E.EACCES);
    return asUrunError(() => readElfFile(file));
  } catch (e) {
    if (e instanceof UrunError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UrunError(`${file}: no such file`, 127);
    if (code === 'EACCES') throw new UrunError(`${file}: permission denied`, 126, E.EACCES);
    throw new UrunError(`${file}: cannot read (${(e as Error).message})`, 126);
  }
}

function asUrunError<T>(step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof ElfError) throw new UrunError(e.message, 126, E[e.errno]);
    throw e;
  }
}

/** Every check the loader relies on (src/elf/validate.ts), after the machine is known to be one urun runs. */
function checkLoadable(elf: ElfFile, file: string, plan: LoadPlan): void {
  asUrunError(() => validateElf(elf, file, plan));
}

/** Checks that urun can run this binary; says precisely why not otherwise. */
function checkSupported(elf: ElfFile, file: string): void {
  const what = `${file}: ${elf.is64 ? '64' : '32'}-bit ${elf.littleEndian ? 'little' : 'big'}-endian ${elf.machineName}`;
  if (elf.machine === EM_X86_64 || elf.machine === EM_386) {
    throw new UrunError(`${what} binary: this is a native program for this machine; run it directly, not under urun`, 126);
  }
  if (elf.machine === EM_AARCH64) throw new UrunError(`${what} binary: AArch64 is not supported yet (urun runs 32-bit MIPS and ARM; qemu-aarch64 runs AArch64)`, 126);
  const arch = archOf(elf);
  if (!arch) throw new UrunError(`${what} binary: architecture not supported (urun runs 32-bit MIPS and ARM)`, 126);
  const refusal = arch.refuse(elf);
  if (refusal) throw new UrunError(`${what} binary: ${refusal}`, 126);
  if (elf.type !== 2 && elf.type !== 3) throw new UrunError(`${what} file is not an executable (ELF type ${elf.type})`, 126);
}

/** The architecture of a binary checkSupported accepted. */
function archSetup(elf: ElfTarget): ArchSetup {
  return archOf(elf)!;
}

/** The CPU model --cpu names for this arch (its default without a name); a UrunError if it has none such. */
function cpuModel(arch: ArchSetup, name: string | undefined): CpuModel {
  try {
    return cpuModelFor(arch, name);
  } catch (e) {
    throw new UrunError((e as Error).message, 2);
  }
}

/** The syscall ABI of a program with this ELF header. */
export function makeAbi(target: ElfTarget): ArchAbi {
  return archSetup(target).abi;
}

/** Reads and checks a guest program and its interpreter; throws UrunError naming what is wrong. */
export function prepareImage(program: string, argv: string[], env: string[], sysroot: string | null, cpu?: string, stackRlimit = hostLimit('stack')[0]): GuestImage {
  // The files stay open until loadImage has mapped them (or a check here fails).
  const opened: ElfFile[] = [];
  const open = (file: string): ElfFile => {
    const elf = readProgram(file);
    opened.push(elf);
    return elf;
  };
  try {
    return checkImage(open, program, argv, env, sysroot, cpu, stackRlimit);
  } catch (e) {
    for (const elf of opened) elf.close();
    throw e;
  }
}

function checkImage(open: (file: string) => ElfFile, program: string, argv: string[], env: string[], sysroot: string | null,
  cpu: string | undefined, stackRlimit: bigint): GuestImage {
  const elf = open(program);
  checkSupported(elf, program);
  cpuModel(archSetup(elf), cpu); // a --cpu of another family fails here, before an execve's point of no return
  // (The program is checked before its interpreter is looked for, in the layout it alone allows.)
  const linux = archSetup(elf).abi.layout;
  const stackSize = stackSizeFor(stackRlimit);
  let layout = chooseLayout(linux, elf, null, stackSize);
  checkLoadable(elf, program, { base: PROGRAM_BASE, layout });
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
    const interpElf = open(interpPath);
    checkSupported(interpElf, interpPath);
    interp = { path: interpPath, elf: interpElf };
    const both = chooseLayout(linux, elf, interpElf, stackSize);
    if (both.stackTop !== layout.stackTop) checkLoadable(elf, program, { base: PROGRAM_BASE, layout: (layout = both) });
    checkLoadable(interpElf, interpPath, { base: null, layout });
  }
  return { program, argv, env, elf, interp, layout };
}

/**
 * Shows this host process as the guest program to other processes' ps, pgrep, pidof, pstree
 * and killall (guest or host), as Linux and binfmt_misc's qemu-user show it: its command
 * line the guest's arguments, its name the guest's. (urun's own /proc/self answers the
 * guest itself; this is what everyone else reads.) Best effort: for urun's own process only.
 */
export function showGuestName(k: Kernel): void {
  const comm = programName(k);
  try {
    process.title = k.argv.join(' ') || comm;
    fs.writeFileSync('/proc/self/comm', comm);
    endTitle();
  } catch {
    // (no /proc, or a title the host refuses: the host name stays Node's)
  }
}

/**
 * Node writes its title over the room its own arguments had and fills the rest of it with
 * NULs, and Linux's /proc/<pid>/cmdline reads that whole room when its last byte is a NUL: the
 * title and a run of NULs, which readers that turn NULs into spaces (dbus-daemon's comm=,
 * dbus's _dbus_command_for_pid) show as trailing blanks. A last byte that is not a NUL is
 * Linux's mark of a rewritten title (setproctitle): it then reads up to the first NUL only,
 * the title and its one NUL, as the guest's own arguments end.
 */
function endTitle(): void {
  const stat = hostStatFields(process.pid);
  const argEnd = stat ? Number(stat[49 - 3]) : 0;
  if (!(argEnd >= 2)) return;
  // (A host that refuses the write, /proc/self/mem being ptrace-checked, leaves the NULs.)
  const fd = fs.openSync('/proc/self/mem', 'r+');
  try {
    const tail = Buffer.alloc(2);
    // (A title that filled the room ends at its last byte: that NUL must stay.)
    if (fs.readSync(fd, tail, 0, 2, argEnd - 2) === 2 && tail[0] === 0 && tail[1] === 0) fs.writeSync(fd, Buffer.from(' '), 0, 1, argEnd - 1);
  } finally {
    fs.closeSync(fd);
  }
}

export async function createProcess(opts: RunOptions): Promise<GuestProcess> {
  // (A stack limit the guest set in the process that started this one is its.)
  const stack = opts.inherited?.rlimits.find(([name]) => name === 'stack');
  const stackRlimit = stack ? BigInt(stack[1]) : hostLimit('stack')[0];
  return loadImage(prepareImage(opts.program, opts.argv, opts.env, opts.sysroot, opts.cpu, stackRlimit), opts, undefined, opts.inherited);
}

/**
 * Maps a prepared program into a fresh address space and builds its CPU. `execFrom` is the
 * kernel of the process that exec'd it: descriptors, dispositions and the rest that Linux
 * keeps across execve come from there.
 */
export async function loadImage(image: GuestImage, config: ProcessConfig, execFrom?: Kernel, inherited?: ExecInheritance): Promise<GuestProcess> {
  try {
    return await mapAndAssemble(image, config, execFrom, inherited);
  } finally {
    image.elf.close();
    image.interp?.elf.close();
  }
}

async function mapAndAssemble(image: GuestImage, config: ProcessConfig, execFrom?: Kernel, inherited?: ExecInheritance): Promise<GuestProcess> {
  const { elf, program } = image;
  // The old image's shared mappings end (SysV segments are detached, as by Linux's execve).
  execFrom?.mem.dropShared();
  const mem = new GuestMemory(elf.littleEndian);
  // /proc/self/exe and the program's lines of /proc/self/maps name the file itself, its
  // symlinks resolved, as Linux's d_path does (ld.so's $ORIGIN is read from that link).
  const kernel = new Kernel(mem, archSetup(elf).abi, {
    exePath: realpathOr(path.resolve(program)), sysroot: config.sysroot, warn: config.warn, inherited, sandbox: config.sandbox, hostDescriptors: !inherited && !execFrom,
  });
  if (execFrom) {
    kernel.inheritAcrossExec(execFrom);
    // An alarm (and the other itimers) goes on across execve; POSIX timers end with the old program.
    keepItimers(kernel, itimersLeft(execFrom));
    // Host signals that come while the new program loads are its own.
    routeHostSignalsTo(kernel);
  }
  kernel.layout = image.layout;
  const loaded = mapImage(mem, elf, program, PROGRAM_BASE, kernel.layout);
  let entry = loaded.entry;
  let interpBase = 0;
  if (image.interp) {
    // PT_INTERP is the program's to choose ("/../../x" leaves the sysroot): under --sandbox it must be readable.
    if (kernel.sandbox && kernel.sandbox.checkExec(image.interp.path, true) < 0) {
      throw new UrunError(`${program}: the sandbox denies reading its interpreter ${image.interp.path}`, 126, E.EACCES);
    }
    const ie = image.interp.elf;
    const size = imageSpan(ie);
    try {
      interpBase = mem.findFree(size, kernel.layout.mmapTop, 0x10000000);
    } catch (e) {
      if (e instanceof OutOfGuestMemory) throw new UrunError(`${program}: no room for its interpreter (${size} bytes) beside its segments`, 126, E.ENOMEM);
      throw e;
    }
    const interpImage = mapImage(mem, ie, image.interp.path, interpBase, kernel.layout);
    entry = interpImage.entry;
    const interpName = realpathOr(path.resolve(image.interp.path));
    for (const r of fileRanges(ie, interpImage.bias)) kernel.mappingNames.push({ ...r, name: interpName });
  }
  kernel.brkStart = kernel.brk = loaded.brk;
  kernel.argv = image.argv;
  kernel.envp = image.env;
  // Linux names the process after the file it runs, not after argv[0] (a login shell's "-bash" is "bash").
  kernel.comm = path.basename(image.file ?? program);
  for (const r of fileRanges(elf, loaded.bias)) kernel.mappingNames.push({ ...r, name: kernel.opts.exePath });

  const arch = archSetup(elf);
  const model = cpuModel(arch, config.cpu);
  // AT_EXECFN is the file execve was given (Linux's bprm->filename), whatever argv[0] says.
  const sp = buildStack(mem, {
    argv: image.argv, envp: image.env, execfn: image.file ?? program, platform: model.platform, basePlatform: model.basePlatform ?? null, hwcap: model.hwcap, hwcap2: 0,
    program: loaded, programElf: elf, interpBase, stackTop: kernel.layout.stackTop, stackSize: kernel.layout.stackSize,
  });
  kernel.auxv = readAuxv(mem, sp);
  kernel.argArea = argArea(mem, sp);
  const proc = await assemble(mem, kernel, elf, config);
  // A Go program starts threads within its first milliseconds of guest time.
  proc.threadsSoon = elf.builtByGo;
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
  const model = cpuModel(arch, config.cpu);
  const cpu = await arch.makeCpu(mem, dispatcher, model);
  kernel.cpuModel = model;
  arch.mapKernelPages(cpu, kernel);
  let lockstep: Lockstep | null = null;
  if (config.checkJit) {
    const ref = new StoreJournal(mem.bytes), jit = new StoreJournal(mem.bytes);
    const support = cpu.enableLockstep(ref, jit, () => lockstep!.beforeSyscall());
    lockstep = new Lockstep(cpu, mem, support, ref, jit);
  }
  const cache = config.cache && !lockstep
    ? engineCache(openTranslationCache({ ...config.cache, warn: config.warn }, `${cpu.isa}-${mem.littleEndian ? 'le' : 'be'}-${model.name}`), () => kernel.mappingNames)
    : null;
  const engine = new Engine(cpu, mem, { lockstep, warn: config.warn, interrupt: kernel.signals.interrupt, tick: kernel.signals.tick, cache });
  kernel.setTls = (v) => (cpu.tls = v);
  kernel.invalidateCode = (a, len) => engine.invalidateRange(a, len);
  kernel.stackPointer = () => cpu.R[arch.stackPointer];
  let group: ThreadGroup | null = null;
  const threadGroup = (): ThreadGroup => (group ??= new ThreadGroup({
    kernel, dispatcher, mem, abi: arch.abi.name, cpu: model.name, strace: strace !== null, cache: cache?.store ?? null, fork: (state, req) => forkProcess(proc, state, req),
  }));
  const proc: GuestProcess = {
    engine, cpu, kernel, mem, arch: arch.abi.name, lockstep, config,
    target: { machine: target.machine, flags: target.flags, littleEndian: target.littleEndian }, threadGroup,
  };
  kernel.cpu = cpu;
  kernel.startThreads = threadGroup;
  kernel.process = processHooks(proc);
  return proc;
}
