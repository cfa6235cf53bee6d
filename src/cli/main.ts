// The urun command line: `urun [options] <program> [args...]`. Every option has a URUN_*
// environment twin so urun also works where no flags can be passed (binfmt_misc).
import { writeSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { createProcess, GuestProcess, loadImage, UrunError } from '../engine/process.js';
import { INHERIT_ARG, RESUME_ARG, SPARE_ARG, resumeForkedChild, runSpare } from '../engine/lifecycle.js';
import { ExecGuest, SwitchContext, ThreadsStarted } from '../engine/control.js';
import { ThreadGroup } from '../engine/threads.js';
import { GuestExit, GuestFault, SIGILL, SIGSEGV, dieBySignal, sayToStderr } from '../engine/signals.js';
import { runGuest } from '../engine/run.js';
import { listenForHostSignals, routeHostSignalsTo } from '../syscalls/signals.js';
import { LockstepDivergence } from '../engine/lockstep.js';
import { VERSION } from './version.js';

const collect = (v: string, prev: string[]) => [...prev, v];
const say = sayToStderr;

interface CliOptions {
  sysroot?: string;
  env: string[];
  unsetEnv: string[];
  argv0?: string;
  strace?: boolean;
  stats?: boolean;
  checkJit?: boolean;
}

function envList(name: string): string[] {
  const v = process.env[name];
  return v ? v.split(',').filter(Boolean) : [];
}

function flag(name: string): boolean {
  const v = process.env[name];
  return v !== undefined && v !== '' && v !== '0';
}

export async function main(argv: string[]): Promise<void> {
  disarmInspectorSignal();
  if (argv[0]?.startsWith(`${RESUME_ARG}=`)) {
    // A forked child: the parent's process arrives through the descriptor named.
    const proc = await resumeForkedChild(Number(argv[0].slice(RESUME_ARG.length + 1)), say).catch((e) => internalError(e, null));
    return runProcess(proc, false);
  }
  if (argv[0]?.startsWith(`${SPARE_ARG}=`)) {
    const proc = await runSpare(argv[0].slice(SPARE_ARG.length + 1), say).catch((e) => internalError(e, null));
    return runProcess(proc, false);
  }
  let inheritFds: number[] = [];
  if (argv[0]?.startsWith(`${INHERIT_ARG}=`)) {
    // Started by a guest's exec from a vfork child: these descriptors are the guest's.
    inheritFds = argv[0].slice(INHERIT_ARG.length + 1).split(',').filter(Boolean).map(Number);
    argv = argv.slice(1);
  }
  const cmd = new Command('urun')
    .description('Run a 32-bit MIPS or ARM Linux program on this machine')
    .version(VERSION, '-V, --version')
    .usage('[options] <program> [args...]')
    .option('-L, --sysroot <dir>', 'root filesystem for a dynamic program and its libraries [URUN_SYSROOT]')
    .option('-E, --env <var=value>', 'set a variable in the guest environment (repeatable) [URUN_SET_ENV=a=1,b=2]', collect, [])
    .option('-U, --unset-env <var>', 'remove a variable from the guest environment (repeatable) [URUN_UNSET_ENV]', collect, [])
    .option('-0, --argv0 <name>', "the guest's argv[0] (default: the program path) [URUN_ARGV0]")
    .option('--strace', 'log every guest syscall to stderr [URUN_STRACE=1]')
    .option('--check-jit', 'check translated code against the interpreter block by block; stop at the first difference [URUN_CHECK_JIT=1]')
    .option('--stats', 'print instruction and block counts and guest MIPS to stderr at exit [URUN_STATS=1]')
    .argument('<program>', 'the guest program')
    .argument('[args...]', "the guest program's arguments")
    .passThroughOptions()
    .exitOverride()
    .configureOutput({ writeErr: (s) => writeSync(2, s), writeOut: (s) => writeSync(1, s) });

  try {
    cmd.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
    throw e;
  }
  const o = cmd.opts<CliOptions>();
  const [program, args] = cmd.processedArgs as [string, string[]];

  const sysroot = o.sysroot ?? process.env.URUN_SYSROOT ?? process.env.QEMU_LD_PREFIX ?? null;
  const env = new Map<string, string>();
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env.set(k, v);
  for (const kv of [...envList('URUN_SET_ENV'), ...o.env]) {
    const eq = kv.indexOf('=');
    if (eq <= 0) {
      say(`urun: -E wants VAR=VALUE, got '${kv}'`);
      process.exit(2);
    }
    env.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  for (const k of [...envList('URUN_UNSET_ENV'), ...o.unsetEnv]) env.delete(k);
  const stats = o.stats || flag('URUN_STATS');
  const strace = o.strace || flag('URUN_STRACE');

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
      inheritFds,
    });
  } catch (e) {
    if (e instanceof UrunError) {
      say(`urun: ${e.message}`);
      process.exit(e.status);
    }
    internalError(e, null);
  }
  return runProcess(proc, stats);
}

/**
 * Runs the guest until it exits, through what changes the running code: a vfork child
 * starting or its parent resuming (SwitchContext) and execve of another guest program.
 */
async function runProcess(proc: GuestProcess, stats: boolean): Promise<never> {
  const started = process.hrtime.bigint();
  const finish = () => {
    if (!stats) return;
    const ns = Number(process.hrtime.bigint() - started);
    const e = proc.engine;
    const checked = proc.lockstep ? `, ${proc.lockstep.blocksChecked} blocks checked in lockstep` : '';
    say(`urun: ${e.regionsCompiled} hot regions compiled to JavaScript${checked}`);
    say(`urun: ${e.instructions} guest instructions, ${e.blocksTranslated} blocks translated, ` +
      `${e.invalidations} invalidated, ${(ns / 1e6).toFixed(1)} ms, ` +
      `${(e.instructions / (ns / 1e3)).toFixed(1)} guest MIPS`);
  };
  const end = (e: unknown): never => {
    finish();
    if (e instanceof GuestExit) {
      if (e.signal) dieBySignal(e.signal);
      process.exit(e.status);
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
    routeHostSignalsTo(proc.kernel);
    // Dispositions a forked child or an exec'd program starts with need their host listeners.
    listenForHostSignals(proc.kernel);
    try {
      await runGuest(proc);
    } catch (e) {
      if (e instanceof SwitchContext) {
        proc.cpu.loadState(e.state);
        continue;
      }
      if (e instanceof ExecGuest) {
        finish();
        proc = await loadImage(e.image, proc.config, proc.kernel).catch((err) => execFailed(err, proc));
        continue;
      }
      // The guest started a thread: its threads go on in Workers, this thread serves them.
      if (e instanceof ThreadsStarted && proc.kernel.threads instanceof ThreadGroup) {
        const exec = await proc.kernel.threads.serve(e, end);
        proc = await loadImage(exec.image, proc.config, proc.kernel).catch((err) => execFailed(err, proc));
        continue;
      }
      end(e);
    }
  }
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
