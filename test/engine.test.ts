// The block cache drops cached code when the guest writes to it or remaps it.
import { describe, expect, it } from 'vitest';
import { GuestMemory, PAGE_CODE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../src/memory/memory.js';
import { MipsCpu } from '../src/isa/mips/cpu.js';
import { Engine, type EngineOptions } from '../src/engine/engine.js';
import { GuestFault } from '../src/engine/signals.js';

const CODE = 0x10000;
const ADDIU_T0 = (imm: number) => ((9 << 26) | (8 << 16) | imm) >>> 0; // addiu $t0, $zero, imm
const BREAK = 0x0000000d;

function setup(opts: EngineOptions = {}) {
  const mem = new GuestMemory(false);
  mem.map(CODE, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
  const cpu = new MipsCpu(mem, () => {});
  const engine = new Engine(cpu, mem, opts);
  const runOnce = (at = CODE) => {
    cpu.pc = at;
    try {
      engine.run();
    } catch (e) {
      if (!(e instanceof GuestFault) || e.signal !== 5) throw e;
    }
    return cpu.R[8];
  };
  return { mem, cpu, engine, runOnce };
}

describe('translation cache invalidation', () => {
  it('a guest store into cached code takes effect', () => {
    const { mem, engine, runOnce } = setup();
    mem.write32(CODE, ADDIU_T0(1));
    mem.write32(CODE + 4, BREAK);
    expect(runOnce()).toBe(1);
    expect(mem.perm[CODE >>> 12] & PAGE_CODE).toBeTruthy();
    mem.write32(CODE, ADDIU_T0(2)); // the checked store path the guest's sw uses
    expect(mem.perm[CODE >>> 12] & PAGE_CODE).toBe(0);
    expect(runOnce()).toBe(2);
    expect(engine.invalidations).toBe(1);
  });

  it('mprotect and cacheflush drop cached blocks', () => {
    const { mem, engine, runOnce } = setup();
    mem.write32(CODE, ADDIU_T0(1));
    mem.write32(CODE + 4, BREAK);
    runOnce();
    mem.protect(CODE, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
    expect(engine.invalidations).toBe(1);
    runOnce();
    engine.invalidateRange(CODE, 8);
    expect(engine.invalidations).toBe(2);
    expect(mem.perm[CODE >>> 12] & PAGE_CODE).toBe(0);
  });

  it('a mapping placed over cached code (a file mapped there in turn) drops it', () => {
    const { mem, engine, runOnce } = setup();
    mem.write32(CODE, ADDIU_T0(1));
    mem.write32(CODE + 4, BREAK);
    expect(runOnce()).toBe(1);
    // mmap(MAP_FIXED) of a file over the page: mapped, then its bytes copied in unchecked.
    mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
    expect(engine.invalidations).toBe(1);
    const bytes = new DataView(new ArrayBuffer(8));
    bytes.setUint32(0, ADDIU_T0(3));
    bytes.setUint32(4, BREAK);
    mem.poke(CODE, new Uint8Array(bytes.buffer)); // (big-endian, as the memory is)
    expect(runOnce()).toBe(3);
  });

  it('synci drops the line\'s cached code (new code written through another mapping)', () => {
    const { mem, engine, runOnce } = setup();
    const code = (at: number, ...words: number[]) => {
      const v = new DataView(new ArrayBuffer(words.length * 4));
      words.forEach((w, i) => v.setUint32(i * 4, w));
      mem.poke(at, new Uint8Array(v.buffer)); // unchecked, as a write through an alias is
    };
    code(CODE, ADDIU_T0(1), BREAK);
    expect(runOnce()).toBe(1);
    code(CODE, ADDIU_T0(5), BREAK);
    expect(runOnce()).toBe(1); // (stale until synced)
    const LUI_T1 = (0xf << 26) | (9 << 16) | (CODE >>> 16);
    const SYNCI_T1 = ((1 << 26) | (9 << 21) | (0x1f << 16) | 4) >>> 0; // synci 4($t1)
    code(CODE + 0x800, LUI_T1, SYNCI_T1, BREAK);
    runOnce(CODE + 0x800);
    expect(engine.invalidations).toBeGreaterThan(0);
    expect(runOnce()).toBe(5);
  });

  it('a compiled region that patches code ahead of it, then branches there, runs the new code', () => {
    // F (page 0) stores a new first instruction into G (page 1) when $a1 is set, flushes it
    // (the cacheflush syscall), then branches to G, which sets $t0 and ends. Once F is hot,
    // F and G are one compiled region; the store must not leave it running G's old translation
    // (the region went on to blocks ahead of the store, and ran G's old code once).
    const mem = new GuestMemory(false);
    mem.map(CODE, 0x2000, PROT_READ | PROT_WRITE | PROT_EXEC);
    let engine: Engine | null = null;
    const cpu = new MipsCpu(mem, (c) => engine!.invalidateRange(c.R[4], c.R[5])); // cacheflush(a0, a1)
    engine = new Engine(cpu, mem);
    const G = CODE + 0x1000;
    const words = [
      0x10a00003, // beqz $a1, +3 (to the branch to G)
      0x00000000, // nop
      0xac8a0000, // sw $t2, 0($a0)
      0x0000000c, // syscall
      (0x10000000 | ((G - (CODE + 20)) >> 2)) >>> 0, // b G
      0x00000000, // nop
    ];
    words.forEach((w, i) => mem.write32(CODE + 4 * i, w));
    mem.write32(G, ADDIU_T0(1));
    mem.write32(G + 4, BREAK);
    const call = (patch: number) => {
      cpu.R[4] = G;
      cpu.R[5] = patch ? 8 : 0;
      cpu.R[10] = ADDIU_T0(patch);
      cpu.pc = CODE;
      try {
        engine!.run();
      } catch (e) {
        if (!(e instanceof GuestFault) || e.signal !== 5) throw e;
      }
      return cpu.R[8];
    };
    expect(call(2)).toBe(2);
    for (let i = 0; i < 10000; i++) expect(call(0)).toBe(2); // (F is straight code: hot at 16,000 instructions)
    expect(engine.regionsCompiled).toBeGreaterThan(0);
    expect(call(3)).toBe(3);
    expect(call(0)).toBe(3);
  });
});

describe('promotion', () => {
  // Two straight blocks A and B, each `addiu $t0, $zero, n; j END; nop`, END a break.
  const A = CODE, B = CODE + 0x100, END = CODE + 0x200;
  function twoBlocks(regionBudget?: number) {
    const { mem, engine, runOnce } = setup({ regionBudget });
    const J_END = ((2 << 26) | ((END >>> 2) & 0x3ffffff)) >>> 0;
    for (const [at, n] of [[A, 1], [B, 2]]) {
      mem.write32(at, ADDIU_T0(n));
      mem.write32(at + 4, J_END);
      mem.write32(at + 8, 0);
    }
    mem.write32(END, BREAK);
    const runs = (at: number, times: number) => {
      for (let i = 1; i < times; i++) runOnce(at);
      return runOnce(at);
    };
    return { engine, runs };
  }

  it('past the region budget a block heads a region only after 16 times its threshold', () => {
    // (A straight block's threshold is 16,000 instructions: 5,334 runs of these three.)
    const { engine, runs } = twoBlocks(1);
    expect(runs(A, 6000)).toBe(1);
    expect(engine.regionsCompiled).toBe(1);
    expect(runs(B, 6000)).toBe(2);
    expect(engine.regionsCompiled).toBe(1);
    expect(runs(B, 80000)).toBe(2);
    expect(engine.regionsCompiled).toBe(2);
    expect(runs(A, 1)).toBe(1);
  });

  it('within the budget both blocks head regions at their threshold', () => {
    const { engine, runs } = twoBlocks();
    runs(A, 6000);
    runs(B, 6000);
    expect(engine.regionsCompiled).toBe(2);
  });
});

describe('guest memory', () => {
  it('mapping again over pages mapped before commits no host memory for those never touched', () => {
    // A guest that mallocs and frees 64 MiB blocks in a loop: urun's resident size grew by
    // every block mapped again (each was zero-filled whole), 2 GB for a guest using 30 pages.
    const mem = new GuestMemory(true);
    const at = 0x10000000, len = 256 << 20;
    mem.map(at, len, PROT_READ | PROT_WRITE);
    for (let a = at; a < at + len; a += 64 << 20) mem.write8(a + 5, 7);
    mem.unmap(at, len);
    const before = process.memoryUsage().rss;
    mem.map(at, len, PROT_READ | PROT_WRITE);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 << 20);
    for (let a = at; a < at + len; a += 64 << 20) expect(mem.read8(a + 5)).toBe(0);
  });
});
