// The instruction trace (--trace, --trace-from, --trace-count) on the debugme guest.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, urunAsync } from './support/urun.js';

const bin = (arch: string) => path.join(ROOT, 'test/fixtures/bin', arch, 'debugme');

describe('--trace', () => {
  it.concurrent('mips: from a symbol, N instructions, with register and memory changes and the delay slot', async () => {
    const r = await urunAsync(['--trace-from', 'square', '--trace-count', '11', bin('mips')]);
    expect(r.status).toBe(30);
    expect(r.stdout).toBe('30 45\n');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toMatch(/^0x004006c0 square +addiu \$sp, \$sp, -8 +\$sp=0x3fff[0-9a-f]{4}$/);
    expect(lines[1]).toMatch(/^0x004006c4 square\+0x4 +sw \$s8, 4\(\$sp\) +\[0x3fff[0-9a-f]{4}\]=0x3fff[0-9a-f]{4}$/);
    expect(lines[4]).toMatch(/^0x004006d0 square\+0x10 +lw \$v0, 8\(\$s8\) +\$v0=0x1$/);
    expect(lines[8]).toMatch(/^0x004006e0 square\+0x20 +addiu \$sp, \$sp, 8 +\$sp=0x3fff[0-9a-f]{4}$/);
    // jr $ra runs with its delay slot.
    expect(lines[9]).toMatch(/^0x004006e4 square\+0x24 +jr \$ra$/);
    expect(lines[10]).toMatch(/^0x004006e8 square\+0x28 +nop$/);
  });

  it.concurrent('armhf: Thumb-2 code with flags; armel: ARM code', async () => {
    const hf = await urunAsync(['--trace-from', 'square', '--trace-count', '12', bin('armhf')]);
    const hfLines = hf.stderr.trimEnd().split('\n');
    expect(hfLines).toHaveLength(12);
    expect(hfLines[0]).toMatch(/^0x00010440 square +push .* sp=0x3fff[0-9a-f]{4} \[0x3fff[0-9a-f]{4}\]=0x3fff[0-9a-f]{4}$/);
    // (adds sets N from the stack address, which is below 0x80000000: N goes from 1 to 0, a change shown.)
    expect(hfLines[7]).toMatch(/^0x00010450 square\+0x10 +adds r7, #12 +r7=0x3fff[0-9a-f]{4} N=0$/);
    expect(hfLines[11]).toMatch(/^0x000104a4 sum_squares\+0x18 /);
    const el = await urunAsync(['--trace-from', '0x105d8', '--trace-count', '13', bin('armel')]);
    const elLines = el.stderr.trimEnd().split('\n');
    expect(elLines[0]).toMatch(/^0x000105d8 sum_squares +/);
    expect(elLines[11]).toMatch(/^0x00010644 sum_squares\+0x6c +cmp r2, r3.* N=1 Z=0 C=0$/);
    expect(el.status).toBe(30);
    const explained = await urunAsync(['--explain', '--trace-from', 'square', '--trace-count', '2', bin('armel')]);
    expect(explained.stderr).toMatch(/^0x00010568 square\+0x4 +add fp, sp, #0 +fp=0x3fff[0-9a-f]{4}  # add: fp ← sp \+ 0$/m);
  });

  it.concurrent('--trace=FILE from the first instruction; a bad --trace-from is a one-line error', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'urun-trace-')), 'trace.txt');
    const r = await urunAsync([`--trace=${file}`, '--trace-count', '3', bin('mipsel')]);
    expect(r.status).toBe(30);
    expect(r.stderr).toBe('');
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^0x00400540 __start +move \$zero, \$ra$/);
    const bad = await urunAsync(['--trace-from', 'no_such_function', bin('mipsel')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`urun: --trace-from: ${bin('mipsel')} has no symbol 'no_such_function' (give a symbol or a hex address)\n`);
  });
});
