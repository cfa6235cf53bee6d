// The urun command line: `urun [options] <program> [args...]`. Every option has a URUN_*
// environment twin so urun also works where no flags can be passed (binfmt_misc).
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { writeOut } from './output.js';
import { exactArguments, exactEnvironment } from '../host/bytes.js';
import { writeSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { createProcess, GuestProcess, loadImage, showGuestName, UrunError } from '../engine/process.js';
import { INHERIT_ARG, RESUME_ARG, SANDBOX_POLICY_ARG, SPARE_ARG, resumeForkedChild, runSpare } from '../engine/lifecycle.js';
import { ExecGuest, SwitchContext, ThreadsStarted } from '../engine/control.js';
import { ThreadGroup } from '../engine/threads.js';
import { GuestExit, GuestFault, SIGILL, SIGSEGV, dieBySignal, exitNow, hostSignalRoute, sayToStderr, skipErrorStacks } from '../engine/signals.js';
import { runGuest } from '../engine/run.js';
import { listenForHostSignals, routeHostSignalsTo } from '../syscalls/signals.js';
import { LockstepDivergence } from '../engine/lockstep.js';
import { VERSION } from './version.js';
import type { ExecInheritance } from '../syscalls/kernel.js';
import { cacheSettingsFromEnv, flushTranslationCaches } from '../engine/codecache.js';
import { flushScriptCaches, setScriptCacheDir } from '../host/v8cache.js';
import { GUEST_OPTIONS, asksForCpuList } from './options.js';
import { cpuModelList } from '../isa/arches.js';
import { sandboxPolicy, type SandboxPolicy } from '../syscalls/sandbox.js';

// Repeatable options start undefined (a default would show as "(default: [])" in --help).
const collect = (v: string, prev: string[] | undefined) => [...(prev ?? []), v];
const say = sayToStderr;
/** Workers started with a Go program (see where they start). */
const GO_START_WORKERS = 4;

interface CliOptions {
  sysroot?: string;
  env?: string[];
  unsetEnv?: string[];
  argv0?: string;
  cpu?: string;
  strace?: boolean;
  stats?: boolean;
  checkJit?: boolean;
  cache: boolean;
  sandbox?: boolean;
  allowRead?: string[];
  allowWrite?: string[];
  allowNet?: boolean;
  allowExec?: boolean;
  sandboxPolicy?: string;
  gdb?: string;
  reverse?: boolean;
  trace?: boolean;
  traceOutput?: string;
  traceFrom?: string;
  traceCount?: string;
  explain?: boolean;
}

function envList(name: string): string[] {
  const v = process.env[name];
  return v ? v.split(',').filter(Boolean) : [];
}

function flag(name: string): boolean {
  const v = process.env[name];
  return v !== undefined && v !== '' && v !== '0';
}

// (bin/urun and binfmt's scripts call it before main.)
export { restoreKeptEnv } from '../host/kept-env.js';

/**
 * Subcommands: `urun <name> ...`. They take the place of a program of the same name,
 * which still runs as `urun ./name`.
 */
const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<void>> = {
  binfmt: async (argv) => (await import('./binfmt.js')).binfmtCommand(argv),
  info: async (argv) => process.exit(await (await import('./inspect.js')).inspect(['info', ...argv])),
  disasm: async (argv) => process.exit(await (await import('./inspect.js')).inspect(['disasm', ...argv])),
};

export async function main(argv: string[]): Promise<void> {
  // (Node's process.argv lost the bytes of an argument that is not UTF-8.)
  argv = exactArguments(argv);
  const sub = Object.hasOwn(SUBCOMMANDS, argv[0] ?? '') ? SUBCOMMANDS[argv[0]] : undefined;
  // A subcommand's own bug is one line too (exit 70, as a run's), not a stack trace.
  if (sub) return sub(argv.slice(1)).catch((e) => internalError(e, null));
  disarmInspectorSignal();
  skipErrorStacks();
  // A process urun started (a forked child, an exec's program, a spare) may have had a
  // SIGUSR1 before urun could take it from Node (a kill(0, SIGUSR1) right after a fork).
  if ([RESUME_ARG, INHERIT_ARG, SPARE_ARG].some((a) => argv[0]?.startsWith(`${a}=`))) usr1BeforeStart = inspectorStartedBySignal();
  if (argv[0]?.startsWith(`${RESUME_ARG}=`)) {
    // A forked child: the parent's process arrives through the descriptor named.
    const proc = await resumeForkedChild(Number(argv[0].slice(RESUME_ARG.length + 1)), say).catch((e) => internalError(e, null));
    return runProcess(proc, false);
  }
  let inherited: ExecInheritance | undefined;
  /** gdb's connection, when gdb follows the vfork child whose exec a spare took over. */
  let debuggerHandOff: GuestProcess['pendingDebugger'];
  if (argv[0]?.startsWith(`${SPARE_ARG}=`)) {
    const taken = await runSpare(argv[0].slice(SPARE_ARG.length + 1), say).catch((e) => internalError(e, null));
    if (!('inherited' in taken)) return runProcess(taken, false);
    // The program a guest's exec starts: as if urun had been started for it (see spawnGuest).
    ({ argv, inherited, debugger: debuggerHandOff } = taken);
  } else if (argv[0]?.startsWith(`${INHERIT_ARG}=`)) {
    // Started by a guest's exec from a vfork child: what that execve keeps (ExecInheritance).
    inherited = JSON.parse(argv[0].slice(INHERIT_ARG.length + 1)) as ExecInheritance;
    argv = argv.slice(1);
  }
  if (asksForCpuList(argv) || (process.env.URUN_CPU === 'help' && argv.length > 0)) {
    writeOut(`CPU models (--cpu NAME, or URUN_CPU):\n${cpuModelList()}\n`);
    process.exit(0);
  }
  const cmd = new Command('urun')
    .description('Run a 32-bit MIPS (big- or little-endian, o32) or ARM (EABI: armhf, armel) Linux program on this machine')
    .version(`urun ${VERSION} (Node.js ${process.version})`, '-V, --version', "print urun's and Node.js's versions")
    .usage('[options] <program> [args...]\n       urun binfmt|info|disasm ...')
    .addHelpText('after', '\nSubcommands:\n  binfmt    register urun with binfmt_misc (urun binfmt --help)\n' +
      '  info      what an ELF file is and what running it needs (urun info FILE [-L DIR])\n' +
      '  disasm    disassemble an ELF file (urun disasm FILE [SYMBOL|START-END] [--explain])');
  for (const o of GUEST_OPTIONS) {
    if (o.kind === 'list') cmd.option(o.flags, o.help, collect);
    else cmd.option(o.flags, o.help);
  }
  cmd
    .option('--trace', 'log every guest instruction run (address, symbol, disassembly, changes) to stderr; --trace=FILE to a file [URUN_TRACE=1|FILE]')
    .option('--trace-from <where>', 'start the trace at this symbol or address')
    .option('--trace-count <n>', 'stop the trace after N instructions')
    .option('--explain', 'with --trace: describe each instruction in plain words')
    .addOption(new Option('--trace-output <file>').hideHelp())
    .addOption(new Option(`${SANDBOX_POLICY_ARG} <json>`).hideHelp())
    .option('-g, --gdb <port>', 'wait for gdb on 127.0.0.1:PORT before the first instruction (0: any free port) [URUN_GDB]')
    .option('--reverse', "with -g: record the run so that gdb's reverse-step, reverse-continue... work (runs in the interpreter; the history ends when the guest starts a thread) [URUN_GDB_REVERSE=1]")
    .argument('<program>', 'the guest program')
    .argument('[args...]', "the guest program's arguments")
    .passThroughOptions()
    .exitOverride()
    .configureOutput({ writeErr: (s) => writeSync(2, s), writeOut });

  try {
    cmd.parse(traceFileOption(argv), { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
    throw e;
  }
  const o = cmd.opts<CliOptions>();
  const [program, args] = cmd.processedArgs as [string, string[]];

  const sysroot = o.sysroot ?? process.env.URUN_SYSROOT ?? process.env.QEMU_LD_PREFIX ?? null;
  const env = new Map<string, string>();
  for (const [k, v] of exactEnvironment()) env.set(k, v);
  for (const kv of [...envList('URUN_SET_ENV'), ...(o.env ?? [])]) {
    const eq = kv.indexOf('=');
    if (eq <= 0) {
      say(`urun: -E wants VAR=VALUE, got '${kv}'`);
      process.exit(2);
    }
    env.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  for (const k of [...envList('URUN_UNSET_ENV'), ...(o.unsetEnv ?? [])]) env.delete(k);
  // The debugger attaches to this program only, not to the programs it runs.
  const gdbPort = o.gdb ?? process.env.URUN_GDB;
  const reverse = o.reverse || flag('URUN_GDB_REVERSE');
  env.delete('URUN_GDB');
  env.delete('URUN_GDB_REVERSE');
  const stats = o.stats || flag('URUN_STATS');
  const strace = o.strace || flag('URUN_STRACE');

  // A guest's execve started this urun: its sandbox, as it was (sandboxPolicy adds nothing).
  const sandbox = o.sandboxPolicy ? (JSON.parse(o.sandboxPolicy) as SandboxPolicy) : sandboxPolicy({
    on: o.sandbox || flag('URUN_SANDBOX'), program, sysroot,
    read: [...envList('URUN_ALLOW_READ'), ...(o.allowRead ?? [])], write: [...envList('URUN_ALLOW_WRITE'), ...(o.allowWrite ?? [])],
    net: o.allowNet || flag('URUN_ALLOW_NET'), exec: o.allowExec || flag('URUN_ALLOW_EXEC'),
  });
  if (typeof sandbox === 'string') {
    say(`urun: ${sandbox}`);
    process.exit(2);
  }

  let proc: GuestProcess;
  try {
    proc = await createProcess({
      program,
      argv: [o.argv0 ?? process.env.URUN_ARGV0 ?? program, ...args],
      env: [...env].map(([k, v]) => `${k}=${v}`),
      sysroot,
      strace,
      warn: say,
      checkJit: o.checkJit || flag('URUN_CHECK_JIT'),
      cache: o.cache ? cacheSettingsFromEnv(process.env, say) : null,
      cpu: o.cpu ?? (process.env.URUN_CPU || undefined),
      inherited,
      sandbox,
    });
  } catch (e) {
    if (e instanceof UrunError) {
      say(`urun: ${e.message}`);
      process.exit(e.status);
    }
    internalError(e, null);
  }
  showGuestName(proc.kernel);
  const trace = traceRequest(o);
  if (gdbPort !== undefined && trace) {
    say('urun: --trace and -g cannot be used together');
    process.exit(2);
  }
  if (reverse && gdbPort === undefined) {
    say('urun: --reverse needs -g PORT (it records the run for gdb)');
    process.exit(2);
  }
  proc.pendingDebugger = debuggerHandOff;
  if (gdbPort !== undefined) await attachGdb(proc, gdbPort, reverse);
  if (trace) await attachTracer(proc, program, trace, o);
  return runProcess(proc, stats);
}

/**
 * Runs the guest until it exits, through what changes the running code: a vfork child
 * starting or its parent resuming (SwitchContext) and execve of another guest program.
 */
async function runProcess(proc: GuestProcess, stats: boolean): Promise<never> {
  const started = process.hrtime.bigint();
  if (proc.pendingDebugger) {
    // A forked child gdb follows: the parent's stub handed it gdb's connection.
    const { GdbStub } = await import('../debug/gdb-stub.js');
    proc.debug = GdbStub.adopt(proc, proc.pendingDebugger.fd, proc.pendingDebugger.state);
    proc.pendingDebugger = undefined;
  }
  setScriptCacheDir(proc.config.cache?.dir ?? null);
  const finish = () => {
    flushTranslationCaches();
    flushScriptCaches();
    if (!stats) return;
    const ns = Number(process.hrtime.bigint() - started);
    // A multi-threaded process's guest code ran in its threads' Workers too.
    const threads = proc.kernel.threads;
    const e = threads instanceof ThreadGroup ? threads.addCounters(proc.engine.counters()) : proc.engine;
    if (process.env.URUN_STATS === 'json') {
      // For the embedding API (src/api.ts), which takes this line out of the guest's stderr.
      say(`urun-stats: ${JSON.stringify({
        instructions: e.instructions, blocksTranslated: e.blocksTranslated, blocksFromCache: e.blocksFromCache, invalidations: e.invalidations,
        regionsCompiled: e.regionsCompiled, regionsFromCache: e.regionsFromCache, milliseconds: ns / 1e6, guestMips: e.instructions / (ns / 1e3),
      })}`);
      return;
    }
    const checked = proc.lockstep ? `, ${proc.lockstep.blocksChecked} blocks checked in lockstep` : '';
    const share = (n: number) => `${e.instructions ? ((100 * n) / e.instructions).toFixed(1) : '0.0'}%`;
    say(`urun: ${e.regionsCompiled} hot regions compiled to JavaScript${checked} (${e.regionsFromCache} from the cache): ` +
      `${e.generateMs.toFixed(1)} ms generating, ${e.compileMs.toFixed(1)} ms in V8 compiling; ` +
      `${e.blocksFromCache} of ${e.blocksTranslated} blocks decoded by an earlier run`);
    say(`urun: tiers: ${share(e.instructions - e.compiledInstructions)} of instructions interpreted, ` +
      `${share(e.compiledInstructions)} in compiled regions; ${e.dispatches} dispatches ` +
      `(${(e.instructions / Math.max(1, e.dispatches)).toFixed(1)} instructions each)`);
    say(`urun: ${e.instructions} guest instructions, ${e.blocksTranslated} blocks translated, ` +
      `${e.invalidations} invalidated, ${(ns / 1e6).toFixed(1)} ms, ` +
      `${(e.instructions / (ns / 1e3)).toFixed(1)} guest MIPS`);
    if (threads instanceof ThreadGroup) {
      const s = threads.started;
      say(`urun: threads: ${s.threads} run by ${threads.workers} Workers; ${s.waited} waited for their Worker to start, ` +
        `${s.waitedMs.toFixed(1)} ms in all`);
    }
  };
  const end = (e: unknown): never => {
    finish();
    if (e instanceof GuestExit) {
      if (e.signal) dieBySignal(e.signal);
      // (A debugger's connection may still hold the exit report, written asynchronously.)
      if (proc.debug) process.exit(e.status);
      exitNow(e.status);
    }
    if (e instanceof GuestFault) {
      if (e.signal === SIGILL) {
        say(`urun: ${e.message}`);
      }
      dieBySignal(e.signal);
    }
    if (e instanceof LockstepDivergence) {
      say(`urun: --check-jit: ${e.message}`);
      process.exit(70);
    }
    internalError(e, proc);
  };
  for (;;) {
    // A Go program starts threads at once, the Workers of its first four start now (not for a
    // debugger or --check-jit, which run threads their own way): its runtime's start makes
    // three to five threads (hello on mipsle, GOMAXPROCS 1 to 8), and its first goroutine
    // waits for the goroutines the new threads run.
    const goThreads = proc.threadsSoon && !proc.debug && !proc.lockstep;
    if (goThreads) proc.threadGroup().prestart(GO_START_WORKERS);
    proc.threadsSoon = false;
    routeHostSignalsTo(proc.kernel);
    // Dispositions a forked child or an exec'd program starts with need their host listeners.
    listenForHostSignals(proc.kernel);
    if (usr1BeforeStart) {
      usr1BeforeStart = false;
      hostSignalRoute.deliver(SIGUSR1_HOST);
    }
    try {
      // A Go program's first thread runs in a Worker from its first instruction, as it would
      // from its first clone a few milliseconds later: the Worker then keeps the code it has
      // decoded (the runtime's start) instead of decoding it again after the move.
      if (goThreads) {
        proc.kernel.threads = proc.threadGroup();
        throw new ThreadsStarted(proc.cpu.saveState());
      }
      await runGuest(proc);
    } catch (e) {
      if (e instanceof SwitchContext) {
        proc.cpu.loadState(e.state);
        continue;
      }
      if (e instanceof ExecGuest) {
        finish();
        const debug = proc.debug;
        proc = await loadImage(e.image, proc.config, proc.kernel).catch((err) => execFailed(err, proc));
        showGuestName(proc.kernel);
        debug?.exec(proc);
        continue;
      }
      // The guest started a thread: its threads go on in Workers, this thread serves them.
      if (e instanceof ThreadsStarted && proc.kernel.threads instanceof ThreadGroup) {
        const group = proc.kernel.threads;
        const debug = proc.debug;
        const followed = debug?.threadsStarted?.(group) === true;
        if (!followed) debug?.detach('the guest started a thread');
        const exec = await group.serve(e, followed ? (x) => (debug!.endNow?.(x), end(x)) : end);
        proc = await loadImage(exec.image, proc.config, proc.kernel).catch((err) => execFailed(err, proc));
        showGuestName(proc.kernel);
        if (followed) debug!.exec(proc);
        continue;
      }
      await proc.debug?.end(e);
      end(e);
    }
  }
}

/** `--trace=FILE` (before the program) as the hidden `--trace-output FILE`. */
function traceFileOption(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-')) return [...out, ...argv.slice(i)];
    if (a.startsWith('--trace=')) out.push('--trace', '--trace-output', a.slice('--trace='.length));
    else out.push(a);
  }
  return out;
}

/** Where the trace goes: 'stderr', a file, or null without --trace (or its limits) / URUN_TRACE. */
function traceRequest(o: CliOptions): string | null {
  if (o.traceOutput) return o.traceOutput;
  if (o.trace || o.traceFrom !== undefined || o.traceCount !== undefined) return 'stderr';
  const env = process.env.URUN_TRACE;
  if (env === undefined || env === '' || env === '0') return null;
  return env === '1' ? 'stderr' : env;
}

/** Runs the guest under the instruction trace (--trace). */
async function attachTracer(proc: GuestProcess, program: string, where: string, o: CliOptions): Promise<void> {
  const { Tracer } = await import('../debug/trace.js');
  const { readSymbols } = await import('../elf/symbols.js');
  const { parseElf } = await import('../elf/parse.js');
  const { readFileSync, openSync } = fs;
  const symbols = readSymbols(parseElf(readFileSync(program), program));
  let from: number | null = null;
  if (o.traceFrom !== undefined) {
    const sym = symbols.byName(o.traceFrom);
    from = sym ? sym.value : /^(0x)?[0-9a-f]+$/i.test(o.traceFrom) ? parseInt(o.traceFrom, 16) >>> 0 : NaN;
    if (Number.isNaN(from)) {
      say(`urun: --trace-from: ${program} has no symbol '${o.traceFrom}' (give a symbol or a hex address)`);
      process.exit(2);
    }
  }
  const count = o.traceCount === undefined ? null : /^\d+$/.test(o.traceCount) ? Number(o.traceCount) : NaN;
  if (Number.isNaN(count)) {
    say(`urun: --trace-count wants a number of instructions, got '${o.traceCount}'`);
    process.exit(2);
  }
  let fd = 2;
  if (where !== 'stderr') {
    try {
      fd = openSync(where, 'w');
    } catch (e) {
      say(`urun: --trace=${where}: cannot open (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      process.exit(1);
    }
  }
  const explain = o.explain ? (await import('../isa/explain.js')).explainInstruction : null;
  proc.debug = new Tracer(proc, { fd, from, count, symbols, explain });
}

/** Starts the GDB stub (urun -g PORT) and says where it listens. */
async function attachGdb(proc: GuestProcess, arg: string, reverse: boolean): Promise<void> {
  const port = /^\d+$/.test(arg) ? Number(arg) : NaN;
  if (!(port <= 65535)) {
    say(`urun: -g wants a TCP port number (0-65535), got '${arg}'`);
    process.exit(2);
  }
  const { GdbStub } = await import('../debug/gdb-stub.js');
  try {
    const { stub, port: bound } = await GdbStub.listen(proc, port, reverse);
    proc.debug = stub;
    say(`urun: waiting for gdb on 127.0.0.1:${bound}`);
  } catch (e) {
    say(`urun: -g ${arg}: cannot listen on 127.0.0.1:${port} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    process.exit(1);
  }
}

/** A SIGUSR1 came before urun took it from Node: it is delivered once the guest can have it. */
let usr1BeforeStart = false;
const SIGUSR1_HOST = 10;

/**
 * Whether Node's inspector was started by a SIGUSR1 that came before disarmInspectorSignal
 * (Node 20 has no option against it); it is closed again. (Asked only in processes urun
 * started: loading the inspector module costs ~2 ms.)
 */
function inspectorStartedBySignal(): boolean {
  const inspector = createRequire(import.meta.url)('node:inspector') as typeof import('node:inspector');
  if (inspector.url() === undefined) return false;
  inspector.close();
  return true;
}

/**
 * Node opens its inspector on 127.0.0.1:9229 when a SIGUSR1 arrives that no JavaScript
 * listener takes. A listener added and removed leaves SIGUSR1 at the host's default action
 * instead (death, as for the native program), with no thread polling for it; while the
 * guest handles or ignores SIGUSR1, urun listens for it (syscalls/signals.ts).
 */
function disarmInspectorSignal(): void {
  const none = (): void => {};
  process.on('SIGUSR1', none);
  process.off('SIGUSR1', none);
}

/** An exec that fails after the old image is gone kills the process with SIGSEGV, as on Linux. */
function execFailed(e: unknown, proc: GuestProcess): never {
  if (!(e instanceof UrunError)) internalError(e, proc);
  say(`urun: ${e.message}`);
  dieBySignal(SIGSEGV);
}

function internalError(e: unknown, proc: GuestProcess | null): never {
  const where = proc ? ` at guest pc 0x${(proc.cpu.pc >>> 0).toString(16)}` : '';
  say(`urun: internal error${where}: ${(e as Error)?.message ?? String(e)}`);
  if (process.env.URUN_DEBUG) say(String((e as Error)?.stack));
  process.exit(70);
}
