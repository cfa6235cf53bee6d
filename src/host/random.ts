// Random bytes for the guest (AT_RANDOM, getrandom) from the host's /dev/urandom. Not
// node:crypto: loading it and starting OpenSSL's generator cost ~5-10 ms of every start.
import * as fs from 'node:fs';

let urandom = -1;

/** Fills `out` with random bytes. */
export function fillRandom(out: Uint8Array): Uint8Array {
  if (urandom < 0) urandom = fs.openSync('/dev/urandom', 'r');
  for (let at = 0; at < out.length;) at += fs.readSync(urandom, out, at, out.length - at, null);
  return out;
}
