// Strings that carry any bytes. A program's arguments and environment are bytes, not text: a
// test suite passes `grep $'\xe9'` or a Latin-1 file name, and the program must get those bytes
// back. Node decodes them as UTF-8 (an invalid byte becomes U+FFFD, lost), and urun carries
// arguments and environments as strings (through execve, to a spare urun as JSON, into the
// initial stack). So a byte that is not part of valid UTF-8 is kept as a lone surrogate,
// U+DC80-U+DCFF (Python's "surrogateescape"): valid UTF-8 never decodes to one, so the bytes
// come back exactly, and text that is valid UTF-8 is the plain string it always was.
import * as fs from 'node:fs';

const ESCAPE = 0xdc00;
const REPLACEMENT = '\ufffd';

/** The bytes as a string: UTF-8, each byte outside a valid sequence as U+DC80+byte. */
export function bytesToString(b: Uint8Array): string {
  const text = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
  if (!text.includes(REPLACEMENT)) return text;
  let out = '';
  for (let i = 0; i < b.length;) {
    const n = sequenceLength(b, i);
    if (n === 0) {
      out += String.fromCharCode(ESCAPE | b[i]);
      i++;
    } else {
      out += Buffer.from(b.buffer, b.byteOffset + i, n).toString('utf8');
      i += n;
    }
  }
  return out;
}

/** The length of the valid UTF-8 sequence at i (1-4), or 0 when none starts there. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (n === 0 || i + n > b.length) return 0;
  for (let k = 1; k < n; k++) if ((b[i + k] & 0xc0) !== 0x80) return 0;
  const c1 = b[i + 1];
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
  if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 >= 0xa0) || (c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 >= 0x90)) return 0;
  return n;
}

/** Whether s[i] stands for a byte that is not UTF-8: a lone U+DC80-U+DCFF (not the low half of a pair). */
function isRawByte(s: string, i: number): boolean {
  const u = s.charCodeAt(i);
  if (u < 0xdc80 || u > 0xdcff) return false;
  const before = i > 0 ? s.charCodeAt(i - 1) : 0;
  return before < 0xd800 || before > 0xdbff;
}

/** Whether s holds bytes that are not UTF-8 (see bytesToString). */
export function hasRawBytes(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isRawByte(s, i)) return true;
  return false;
}

/** The bytes a string from bytesToString stands for. */
export function stringToBytes(s: string): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    if (!isRawByte(s, i)) continue;
    parts.push(Buffer.from(s.slice(from, i), 'utf8'), Buffer.of(s.charCodeAt(i) & 0xff));
    from = i + 1;
  }
  if (parts.length === 0) return Buffer.from(s, 'utf8');
  parts.push(Buffer.from(s.slice(from), 'utf8'));
  return Buffer.concat(parts);
}

/** How many bytes s stands for (stringToBytes(s).length, without making them). */
export function byteLength(s: string): number {
  let raw = 0;
  for (let i = 0; i < s.length; i++) if (isRawByte(s, i)) raw++;
  // (Buffer.byteLength counts each lone surrogate as the 3 bytes of U+FFFD.)
  return Buffer.byteLength(s) - 2 * raw;
}

/** What to hand a C function for s: s itself, or its bytes when it has some that are not UTF-8 (NUL-terminated). */
export function cArgument(s: string): string | Buffer {
  return hasRawBytes(s) ? Buffer.concat([stringToBytes(s), Buffer.of(0)]) : s;
}

/** /proc/self/<name>'s NUL-separated strings as bytesToString gives them ([] when unreadable). */
function procStrings(name: string): string[] {
  let data: Buffer;
  try {
    data = fs.readFileSync(`/proc/self/${name}`);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (let at = 0; at < data.length;) {
    let end = data.indexOf(0, at);
    if (end < 0) end = data.length;
    out.push(bytesToString(data.subarray(at, end)));
    at = end + 1;
  }
  return out;
}

/** A string Node decoded from `exact` (bytesToString's form), replacing what was not UTF-8 with U+FFFD. */
const decodesTo = (exact: string, lossy: string): boolean => stringToBytes(exact).toString('utf8') === lossy;

/**
 * This process's last arguments, `args` (Node's process.argv decoded them: an argument that
 * was not UTF-8 lost bytes), with each such one as its exact bytes, read from /proc/self/cmdline.
 */
export function exactArguments(args: string[]): string[] {
  if (!args.some((a) => a.includes(REPLACEMENT))) return args;
  const raw = procStrings('cmdline');
  if (raw.length < args.length) return args;
  const tail = raw.slice(raw.length - args.length);
  return args.map((a, i) => (a.includes(REPLACEMENT) && decodesTo(tail[i], a) ? tail[i] : a));
}

/** Where exactEnvironment finds the environment's bytes, when not in /proc/self/environ (a spare's exec order). */
let environSource: string[] | null = null;

/** The environment urun was started with, for a spare that was given one (see exactEnvironment). */
export function setEnvironSource(entries: string[]): void {
  environSource = entries;
}

/** process.env's entries as `name=value`, each value that was not UTF-8 as its exact bytes (see exactArguments). */
export function exactEnvironment(): [string, string][] {
  const env = Object.entries(process.env).filter((kv): kv is [string, string] => kv[1] !== undefined);
  if (!env.some(([, v]) => v.includes(REPLACEMENT))) return env;
  const exact = new Map<string, string>();
  for (const kv of environSource ?? procStrings('environ')) {
    const eq = kv.indexOf('=');
    if (eq > 0) exact.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return env.map(([k, v]) => {
    const e = exact.get(k);
    return [k, v.includes(REPLACEMENT) && e !== undefined && decodesTo(e, v) ? e : v];
  });
}

/** The parts one after another, in a new array (never one of them: a caller may change it). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of parts) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
