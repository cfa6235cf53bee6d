// Fast non-cryptographic hashes: of guest code (is a cached translation still the code it
// was made from?) and of names (cache file names). Not node:crypto, whose loading costs
// every start a few milliseconds.

/** Hashes guest code bytes [start, end) (53 bits from two 32-bit hashes). */
export function hashCode(bytes: Uint8Array, start: number, end: number, seed: number): number {
  // The seed is mixed first: XORed in as it is, a seed (a page offset) and the first byte could
  // cancel out (offset 0x1ac with byte 0x79 hashed as offset 0x1ec with byte 0x39).
  let s = Math.imul(seed ^ (seed >>> 16), 0x85ebca6b);
  s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35);
  s ^= s >>> 16;
  let h1 = (0x811c9dc5 ^ s) | 0, h2 = (0x9747b28c + s) | 0;
  for (let a = start >>> 0; a < end >>> 0; a++) {
    const b = bytes[a];
    h1 = Math.imul(h1 ^ b, 0x01000193);
    h2 = Math.imul(h2 ^ b, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0) * 2 ** 21 + (h2 >>> 11);
}

/** A file name for a string (cache files, function sets): 24 hex digits from hashCode with two seeds. */
export function hashName(s: string): string {
  const b = Buffer.from(s);
  const part = (seed: number) => hashCode(b, 0, b.length, seed).toString(16).padStart(14, '0').slice(2);
  return part(0) + part(1);
}
