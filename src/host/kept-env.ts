// The environment of a urun process urun starts (a fork, an exec, a spare): node reads every
// certificate named by NODE_EXTRA_CA_CERTS at start (~45 ms of CPU for Debian's bundle), and
// urun makes no TLS connection, so the variable travels as URUN_KEPT_NODE_EXTRA_CA_CERTS
// (`N:value`, N its position from 1), which bin/urun puts back where it was before the guest
// sees its environment. Host programs get the guest's environment as it is.

const HIDDEN = 'NODE_EXTRA_CA_CERTS';
const KEPT = 'URUN_KEPT_NODE_EXTRA_CA_CERTS';

/** `envp` (NAME=value entries) for a node that runs urun: NODE_EXTRA_CA_CERTS kept aside. */
export function urunProcessEnv(envp: string[]): string[] {
  const at = envp.findIndex((kv) => kv.startsWith(`${HIDDEN}=`));
  if (at < 0 || envp.some((kv) => kv.startsWith(`${KEPT}=`))) return envp;
  const out = envp.filter((kv) => !kv.startsWith(`${HIDDEN}=`));
  out.push(`${KEPT}=${at + 1}:${envp[at].slice(HIDDEN.length + 1)}`);
  return out;
}
