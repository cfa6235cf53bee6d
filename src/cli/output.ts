// urun's own output (help, `info`, `disasm`, `binfmt` reports) on standard output.
import { writeSync } from 'node:fs';

/** The status of a process that SIGPIPE ended (128 + 13), as `cat --help | head -1` leaves it. */
const SIGPIPE_STATUS = 141;

/**
 * Writes `s` to standard output, all of it. A reader that has gone (`urun disasm … | head`)
 * ends urun quietly, as SIGPIPE ends a native tool, instead of with Node's EPIPE stack trace.
 */
export function writeOut(s: string): void {
  const bytes = Buffer.from(s);
  try {
    for (let done = 0; done < bytes.length;) done += writeSync(1, bytes, done);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') process.exit(SIGPIPE_STATUS);
    throw e;
  }
}
