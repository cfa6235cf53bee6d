// Strings that carry any bytes (src/host/bytes.ts): arguments and environments that are not UTF-8.
import { describe, expect, it } from 'vitest';
import { byteLength, bytesToString, cArgument, hasRawBytes, stringToBytes } from '../src/host/bytes.js';

describe('bytes as strings', () => {
  it('gives back exactly the bytes it was given, for random byte strings', () => {
    let x = 0x12345678;
    for (let n = 0; n < 2000; n++) {
      const b = Buffer.alloc(n % 24);
      for (let i = 0; i < b.length; i++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        // Mostly the bytes UTF-8 sequences are made of, so that some are valid and some not.
        b[i] = x % 3 === 0 ? 0x20 + (x >>> 8) % 0x5f : 0x80 + (x >>> 8) % 0x80;
      }
      expect(stringToBytes(bytesToString(b)).equals(b)).toBe(true);
      expect(byteLength(bytesToString(b))).toBe(b.length);
    }
  });

  it('leaves valid UTF-8 as the string Node makes of it, and escapes only what is not UTF-8', () => {
    const text = 'h\u00e9 \u20ac \u{1f600}';
    expect(bytesToString(Buffer.from(text))).toBe(text);
    expect(hasRawBytes(text)).toBe(false);
    // An overlong '/', a UTF-16 surrogate and a cut-short sequence are not UTF-8.
    const s = bytesToString(Buffer.from([0x61, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xe2, 0x82]));
    expect([...s].map((c) => c.codePointAt(0)!.toString(16))).toEqual(['61', 'dcc0', 'dcaf', 'dced', 'dca0', 'dc80', 'dce2', 'dc82']);
    expect(hasRawBytes(s)).toBe(true);
    expect(cArgument('plain')).toBe('plain');
    expect(cArgument(bytesToString(Buffer.from([0xe9])))).toEqual(Buffer.from([0xe9, 0]));
  });
});
