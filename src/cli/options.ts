// The options that say how to run a guest, defined once: the command line (main.ts) makes
// its flags from these, and the embedding API (src/api.ts) turns its option object into
// the same flags. Each has an environment twin, for binfmt_misc and test runners, where no
// flags can be passed.

export interface GuestOptionDef {
  /** The option's key in the API's RunOptions and in commander's parsed options. */
  key: 'sysroot' | 'env' | 'unsetEnv' | 'argv0' | 'cpu' | 'strace' | 'stats' | 'checkJit' | 'cache'
    | 'sandbox' | 'allowRead' | 'allowWrite' | 'allowNet' | 'allowExec';
  /** Commander's flag syntax. */
  flags: string;
  /** The long flag alone, as the API passes it. */
  long: string;
  /** Takes a value (string), may repeat (list), or is a switch (boolean). */
  kind: 'string' | 'list' | 'boolean';
  env: string;
  help: string;
}

export const GUEST_OPTIONS: GuestOptionDef[] = [
  { key: 'sysroot', flags: '-L, --sysroot <dir>', long: '--sysroot', kind: 'string', env: 'URUN_SYSROOT',
    help: 'root filesystem for a dynamic program and its libraries [URUN_SYSROOT, QEMU_LD_PREFIX]' },
  { key: 'env', flags: '-E, --env <var=value>', long: '--env', kind: 'list', env: 'URUN_SET_ENV',
    help: 'set a variable in the guest environment (repeatable) [URUN_SET_ENV=a=1,b=2]' },
  { key: 'unsetEnv', flags: '-U, --unset-env <var>', long: '--unset-env', kind: 'list', env: 'URUN_UNSET_ENV',
    help: 'remove a variable from the guest environment (repeatable) [URUN_UNSET_ENV=a,b]' },
  { key: 'argv0', flags: '-0, --argv0 <name>', long: '--argv0', kind: 'string', env: 'URUN_ARGV0',
    help: "the guest's argv[0] (default: the program path) [URUN_ARGV0]" },
  { key: 'cpu', flags: '--cpu <name>', long: '--cpu', kind: 'string', env: 'URUN_CPU',
    help: 'the CPU model to emulate; `--cpu help` lists them [URUN_CPU]' },
  { key: 'strace', flags: '--strace', long: '--strace', kind: 'boolean', env: 'URUN_STRACE',
    help: 'log every guest syscall to stderr [URUN_STRACE=1]' },
  { key: 'checkJit', flags: '--check-jit', long: '--check-jit', kind: 'boolean', env: 'URUN_CHECK_JIT',
    help: 'check translated code against the interpreter block by block; stop at the first difference [URUN_CHECK_JIT=1]' },
  { key: 'stats', flags: '--stats', long: '--stats', kind: 'boolean', env: 'URUN_STATS',
    help: 'print instruction counts, time per execution tier and guest MIPS to stderr at exit [URUN_STATS=1]' },
  { key: 'cache', flags: '--no-cache', long: '--no-cache', kind: 'boolean', env: 'URUN_CACHE',
    help: 'keep no compiled or decoded code between runs (default: kept in $XDG_CACHE_HOME/urun) [URUN_CACHE=0, URUN_CACHE_DIR]' },
  { key: 'sandbox', flags: '--sandbox', long: '--sandbox', kind: 'boolean', env: 'URUN_SANDBOX',
    help: 'for untrusted programs: read only the program, the sysroot and the current directory, write nowhere, no network, no host programs (README: Sandbox) [URUN_SANDBOX=1]' },
  { key: 'allowRead', flags: '--allow-read <dir>', long: '--allow-read', kind: 'list', env: 'URUN_ALLOW_READ',
    help: 'with --sandbox: let the guest read files under DIR (repeatable) [URUN_ALLOW_READ=dir1,dir2]' },
  { key: 'allowWrite', flags: '--allow-write <dir>', long: '--allow-write', kind: 'list', env: 'URUN_ALLOW_WRITE',
    help: 'with --sandbox: let the guest create, change and read files under DIR (repeatable) [URUN_ALLOW_WRITE=dir1,dir2]' },
  { key: 'allowNet', flags: '--allow-net', long: '--allow-net', kind: 'boolean', env: 'URUN_ALLOW_NET',
    help: 'with --sandbox: let the guest use Internet and netlink sockets, interface ioctls and abstract unix socket names [URUN_ALLOW_NET=1]' },
  { key: 'allowExec', flags: '--allow-exec', long: '--allow-exec', kind: 'boolean', env: 'URUN_ALLOW_EXEC',
    help: 'with --sandbox: let the guest run host programs (which run outside the sandbox) [URUN_ALLOW_EXEC=1]' },
];

/** Whether these command-line words ask for the CPU model list (`--cpu help` before the program). */
export function asksForCpuList(argv: string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--cpu') {
      if (argv[i + 1] === 'help') return true;
      i++;
    } else if (a === '--cpu=help') {
      return true;
    } else if (a === '--' || !a.startsWith('-')) {
      // The program: what follows is the guest's. (Options taking a value skip it.)
      const prev = argv[i - 1];
      if (!prev || !GUEST_OPTIONS.some((o) => o.kind !== 'boolean' && o.flags.split(/[ ,]+/).includes(prev))) return false;
    }
  }
  return false;
}
