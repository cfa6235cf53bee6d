// The embedding API: `import { run } from 'urun'`. Each run is its own urun process (the
// CLI, bin/urun), so guests share no state, several may run at once, and a guest's fork,
// threads and signals behave as on the command line. Options are the CLI's (cli/options.ts).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { GUEST_OPTIONS } from './cli/options.js';
import { URUN_NODE_OPTIONS, urunProcessEnv } from './host/kept-env.js';

/** Where a guest's output goes: kept and returned (the default), the caller's own, dropped, or a stream. */
export type OutputTarget = 'capture' | 'inherit' | 'ignore' | Writable;

export interface RunOptions {
  /** The guest program's path, then its arguments. */
  argv: string[];
  /** The guest's environment (default: this process's). */
  env?: Record<string, string | undefined>;
  /** The guest's working directory (default: this process's). */
  cwd?: string;
  /** Root filesystem for a dynamic program (-L). */
  sysroot?: string;
  /** CPU model (--cpu), e.g. 'arm926', '4Kc'. */
  cpu?: string;
  /** The guest's argv[0], when it should not be the program path (-0). */
  argv0?: string;
  /** Log every guest syscall to stderr (--strace). */
  strace?: boolean;
  /** Run translated code in lockstep with the interpreter (--check-jit). */
  checkJit?: boolean;
  /** false: keep no compiled code between runs (--no-cache). */
  cache?: boolean;
  /** Run it under --sandbox (see the README), with these directories readable and writable, network, host programs. */
  sandbox?: boolean;
  allowRead?: string[];
  allowWrite?: string[];
  allowNet?: boolean;
  allowExec?: boolean;
  /** Return the run's figures in RunResult.stats (--stats). */
  stats?: boolean;
  /** The guest's standard input: its bytes, or a stream to read (default: empty). */
  stdin?: string | Uint8Array | Readable;
  stdout?: OutputTarget;
  stderr?: OutputTarget;
  /** Ends the run (killing the guest and any process it started); run() then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Milliseconds after which the guest and its processes are killed (SIGKILL); the result says timedOut. */
  timeout?: number;
}

/** What --stats reports. */
export interface RunStats {
  instructions: number;
  blocksTranslated: number;
  /** Of those, the ones decoded by an earlier run (the persistent cache keeps decoded blocks too). */
  blocksFromCache: number;
  invalidations: number;
  regionsCompiled: number;
  /** Of those, the ones whose code came from the persistent translation cache. */
  regionsFromCache: number;
  milliseconds: number;
  guestMips: number;
}

export interface RunResult {
  /** The guest's exit status, or null when it died of a signal. */
  exitCode: number | null;
  /** The signal that killed it ('SIGSEGV', …), or null. */
  signal: NodeJS.Signals | null;
  /** The status a shell would show: the exit status, or 128 + the signal's number. */
  status: number;
  /** Captured output (empty unless the target was 'capture'). */
  stdout: string;
  stderr: string;
  timedOut: boolean;
  stats?: RunStats;
}

/** The line urun prints on stderr for URUN_STATS=json (main.ts). */
const STATS_PREFIX = 'urun-stats: ';

/** bin/urun, next to this module's package (dist/api.js, or src/api.ts under tsx). */
const URUN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'urun');

/** The command-line flags for these options (GUEST_OPTIONS says how each is spelled). */
function flagsOf(o: RunOptions): string[] {
  const flags: string[] = [];
  for (const def of GUEST_OPTIONS) {
    if (def.key === 'env' || def.key === 'unsetEnv' || def.key === 'stats') continue; // env is whole; stats is JSON
    if (def.key === 'cache') {
      if (o.cache === false) flags.push(def.long);
      continue;
    }
    const v = o[def.key];
    if (v === undefined || v === false) continue;
    if (def.kind === 'boolean') flags.push(def.long);
    else if (Array.isArray(v)) for (const item of v) flags.push(def.long, item);
    else flags.push(def.long, String(v));
  }
  return flags;
}

/** Runs a guest program to its end. */
export async function run(options: RunOptions): Promise<RunResult> {
  const [program, ...args] = options.argv;
  if (program === undefined) throw new TypeError('run: argv must name the guest program');
  options.signal?.throwIfAborted();
  const given: Record<string, string | undefined> = { ...(options.env ?? process.env) };
  if (options.stats) given.URUN_STATS = 'json';
  const entries = Object.entries(given).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
  const env = Object.fromEntries(urunProcessEnv(entries).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  const stdio = (t: OutputTarget | undefined) => (t === 'inherit' ? 'inherit' : t === 'ignore' ? 'ignore' : 'pipe');
  // Its own process group, so that ending the run ends the processes the guest started too.
  const child = spawn(process.execPath, [...URUN_NODE_OPTIONS, URUN, ...flagsOf(options), '--', program, ...args], {
    env, cwd: options.cwd, detached: true,
    stdio: ['pipe', stdio(options.stdout), options.stats ? 'pipe' : stdio(options.stderr)],
  });
  const killGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  let timedOut = false;
  const timer = options.timeout !== undefined ? setTimeout(() => {
    timedOut = true;
    killGroup();
  }, options.timeout) : undefined;
  const onAbort = () => killGroup();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  child.stdin!.on('error', () => {}); // the guest may exit without reading its input
  if (options.stdin instanceof Readable) options.stdin.pipe(child.stdin!);
  else child.stdin!.end(options.stdin ?? '');

  const out = collect(child.stdout, options.stdout);
  let stats: RunStats | undefined;
  const err = collect(child.stderr, options.stderr, options.stats ? (line) => {
    if (!line.startsWith(STATS_PREFIX)) return false;
    stats = JSON.parse(line.slice(STATS_PREFIX.length)) as RunStats;
    return true;
  } : undefined);

  try {
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    options.signal?.throwIfAborted();
    const signum = signal ? (await import('node:os')).constants.signals[signal] : 0;
    return {
      exitCode: code, signal, status: signal ? 128 + signum : (code ?? 0),
      stdout: out(), stderr: err(), timedOut, ...(stats ? { stats } : {}),
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    killGroup(); // whatever the guest left running in its group
  }
}

/**
 * Reads a child's output stream into a string ('capture'), or forwards it to a Writable;
 * `drop` filters out whole lines (the stats line) before either. Returns what was captured.
 */
function collect(stream: Readable | null, target: OutputTarget | undefined, drop?: (line: string) => boolean): () => string {
  if (!stream) return () => '';
  const chunks: Buffer[] = [];
  const sink = (b: Buffer) => {
    if (target instanceof Writable) target.write(b);
    else if (target === undefined || target === 'capture') chunks.push(b);
    else if (target === 'inherit') process.stderr.write(b); // only reached with a line filter (stderr)
  };
  if (!drop) {
    stream.on('data', sink);
  } else {
    let partial = '';
    stream.setEncoding('utf8');
    const lines = (text: string) => {
      for (const line of text.split(/(?<=\n)/)) if (!drop(line.replace(/\n$/, ''))) sink(Buffer.from(line));
    };
    stream.on('data', (s: string) => {
      const text = partial + s;
      const cut = text.lastIndexOf('\n') + 1;
      partial = text.slice(cut);
      if (cut > 0) lines(text.slice(0, cut));
    });
    stream.on('end', () => {
      if (partial) lines(partial);
    });
  }
  return () => Buffer.concat(chunks).toString('utf8');
}
