// The environment of a urun process urun starts (a fork, an exec, a spare): node reads every
// certificate named by NODE_EXTRA_CA_CERTS at start (~45 ms of CPU for Debian's bundle), and
// urun makes no TLS connection, so the variable travels as URUN_KEPT_NODE_EXTRA_CA_CERTS
// (`N:value`, N its position from 1), which bin/urun puts back where it was before the guest
// sees its environment. Host programs get the guest's environment as it is.

const HIDDEN = 'NODE_EXTRA_CA_CERTS';
const KEPT = 'URUN_KEPT_NODE_EXTRA_CA_CERTS';

/**
 * The shell line that starts node for urun (bin/urun's second line; binfmt's scripts): it
 * notes which of descriptors 0-2 are closed where urun starts (Node opens /dev/null in their
 * place as it starts, and the guest must find them closed: a write to a closed stdout fails
 * with EBADF), reads which signals are ignored where urun starts (Node resets them all to
 * their defaults as it starts, and the guest must find them ignored) and keeps NODE_EXTRA_CA_CERTS aside
 * (at the front: the shell passes on its environment in an order of its own anyway).
 */
export const urunShellLine = (node: string): string =>
  `':' //; URUN_HOST_CLOSED=; [ -d /proc/$$/fd ] && for URUN_HOST_CLOSED_FD in 0 1 2; do [ -L /proc/$$/fd/$URUN_HOST_CLOSED_FD ] || URUN_HOST_CLOSED=$URUN_HOST_CLOSED$URUN_HOST_CLOSED_FD; done; unset URUN_HOST_CLOSED_FD; export URUN_HOST_CLOSED; ` +
  `while read -r k v; do [ "$k" = SigIgn: ] && URUN_HOST_SIGIGN=$v && break; done < /proc/$$/status; export URUN_HOST_SIGIGN; ` +
  `if [ -n "\${${HIDDEN}+x}" ]; then export ${KEPT}="0:$${HIDDEN}"; unset ${HIDDEN}; fi; exec ${node} ${URUN_NODE_OPTIONS.join(' ')} "$0" "$@"`;

/** Puts NODE_EXTRA_CA_CERTS back where it was in the environment, before the guest's is made from it. */
export function restoreKeptEnv(): void {
  const kept = process.env[KEPT];
  if (kept === undefined) return;
  delete process.env[KEPT];
  const colon = kept.indexOf(':');
  const entries = Object.entries(process.env);
  entries.splice(Math.max(0, Number(kept.slice(0, colon)) - 1), 0, [HIDDEN, kept.slice(colon + 1)]);
  for (const [name] of entries) delete process.env[name];
  for (const [name, value] of entries) process.env[name] = value;
}

/** `envp` (NAME=value entries) for a node that runs urun: NODE_EXTRA_CA_CERTS kept aside. */
export function urunProcessEnv(envp: string[]): string[] {
  const at = envp.findIndex((kv) => kv.startsWith(`${HIDDEN}=`));
  if (at < 0 || envp.some((kv) => kv.startsWith(`${KEPT}=`))) return envp;
  const out = envp.filter((kv) => !kv.startsWith(`${HIDDEN}=`));
  out.push(`${KEPT}=${at + 1}:${envp[at].slice(HIDDEN.length + 1)}`);
  return out;
}

/**
 * The node options of a urun process (bin/urun's shell line carries them too; a test checks).
 * --v8-pool-size=2: V8's optimising compiler and its GC helpers run on two threads, not
 * Node's default four. Those threads take CPU from the thread running the guest: on a 2-core
 * machine, short programs ran 8-22% faster with two (md5sum 271 -> 238 ms, coreutils factor
 * 176 -> 164 ms, a Go hello 527 -> 485 ms), and one was faster still (211, 145, 448 ms) but
 * made multi-threaded guests slower (each guest thread's isolate compiles its own code on the
 * same pool: a Go atomic64 test 0.95 -> 1.33 s, a pthread mutex test 0.83 -> 0.97 s), where
 * two cost them little (1.06, 0.84 s).
 * --inspect-publish-uid=http: a SIGUSR1 that comes before urun takes it from Node starts
 * Node's inspector (see the CLI); Node then says so on stderr, the guest's, unless told not to.
 */
export const URUN_NODE_OPTIONS: readonly string[] = ['--v8-pool-size=2', '--inspect-publish-uid=http'];

/** `execArgv` (a urun process's node options) with URUN_NODE_OPTIONS added where missing. */
export function withUrunNodeOptions(execArgv: readonly string[]): string[] {
  const out = [...execArgv];
  for (const o of URUN_NODE_OPTIONS) if (!out.some((a) => a.split('=')[0] === o.split('=')[0])) out.push(o);
  return out;
}
