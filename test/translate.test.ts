// The translator: hot loops compile into regions, faults inside them leave the CPU state the
// interpreter would, and the lockstep checker catches (and names) a translation bug.
import { describe, expect, it } from 'vitest';
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../src/memory/memory.js';
import { MipsCpu } from '../src/isa/mips/cpu.js';
import { ArmCpu } from '../src/isa/arm/cpu.js';
import { Engine } from '../src/engine/engine.js';
import { GuestFault, SIGSEGV, SIGTRAP } from '../src/engine/signals.js';
import { Lockstep, LockstepDivergence, StoreJournal } from '../src/engine/lockstep.js';
import { generateRegion, isInt32Expr, localizeRegisters, translateRegion, Untranslatable, withoutIdentityOps } from '../src/engine/translate.js';

const CODE = 0x10000, DATA = 0x20000;
// A few MIPS encodings (rs, rt, rd are register numbers).
const addiu = (rt: number, rs: number, imm: number) => ((9 << 26) | (rs << 21) | (rt << 16) | (imm & 0xffff)) >>> 0;
const addu = (rd: number, rs: number, rt: number) => ((rs << 21) | (rt << 16) | (rd << 11) | 0x21) >>> 0;
const mult = (rs: number, rt: number) => ((rs << 21) | (rt << 16) | 0x18) >>> 0;
const mfhi = (rd: number) => ((rd << 11) | 0x10) >>> 0;
const sw = (rt: number, imm: number, rs: number) => ((0x2b << 26) | (rs << 21) | (rt << 16) | (imm & 0xffff)) >>> 0;
const lw = (rt: number, imm: number, rs: number) => ((0x23 << 26) | (rs << 21) | (rt << 16) | (imm & 0xffff)) >>> 0;
/** bne rs, rt to an instruction index, from the instruction at index `at`. */
const bne = (rs: number, rt: number, at: number, to: number) => ((5 << 26) | (rs << 21) | (rt << 16) | ((to - at - 1) & 0xffff)) >>> 0;
const NOP = 0, BREAK = 0x0000000d;
const T0 = 8, T1 = 9, T2 = 10, T3 = 11, V0 = 2;

/** t0 counts down from n; t1 += t0 and t2 accumulates the high words of t0 * 0x10001 * 0x10001. */
const LOOP = (n: number) => [
  addiu(T0, 0, n), // 0
  addu(T1, T1, T0), // 1: loop
  mult(T0, T3), // 2
  mfhi(V0), // 3
  addu(T2, T2, V0), // 4
  addiu(T0, T0, -1), // 5
  bne(T0, 0, 6, 1), // 6
  NOP, // 7
  BREAK, // 8
];

function machine(words: number[], lockstep = false) {
  const mem = new GuestMemory(false);
  mem.map(CODE, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
  words.forEach((w, i) => mem.write32(CODE + 4 * i, w));
  const cpu = new MipsCpu(mem, () => {});
  let checker: Lockstep | null = null;
  if (lockstep) {
    const ref = new StoreJournal(mem.bytes), jit = new StoreJournal(mem.bytes);
    checker = new Lockstep(cpu, mem, cpu.enableLockstep(ref, jit, () => checker!.beforeSyscall()), ref, jit);
  }
  const engine = new Engine(cpu, mem, { lockstep: checker, translate: true });
  cpu.R[T3] = 0x10001 * 0x7fff;
  cpu.pc = CODE;
  const run = () => {
    try {
      engine.run();
    } catch (e) {
      return e;
    }
    throw new Error('unreachable');
  };
  return { mem, cpu, engine, run };
}

/** Runs a machine (by default a fresh one of `words`) in the interpreter alone; its CPU and the fault that stopped it. */
function interpreted(words: number[], m = machine(words)) {
  const engine = new Engine(m.cpu, m.mem, { translate: false });
  m.cpu.pc = CODE;
  let fault: GuestFault | null = null;
  try {
    engine.run();
  } catch (e) {
    if (!(e instanceof GuestFault)) throw e;
    fault = e;
  }
  return { cpu: m.cpu, fault };
}

describe('register writes without a redundant | 0', () => {
  it('knows the expressions that give a 32-bit integer', () => {
    for (const e of ['r3', '(r3)', '12', '-0x80000000', '0x7fffffff', 'Math.imul(a, b)', 'a | b', 'x - y | 0', 'a & 0xff',
      'a ^ b', '~a', 'a << 3', 'a >> b', 'r >>> 31', '(r >>> 1)', 'a === 0 ? 1 : 0', 'c ? r1 : 5', 'a ? b ? 1 : 2 : 3',
      'a + 1 << 2', 'x < y & 1', '__A(-4096)', '(__O(12))']) {
      expect(isInt32Expr(e), e).toBe(true);
    }
  });
  it('keeps | 0 for everything else', () => {
    for (const e of ['x', 'a + b', 'a * b', 'a >>> 0', 'a >>> b', 'a >>> 32', 'a < b', 'a === b', '0x80000000', '1.5',
      '4294967295', '-0', 'f(a)', 'Math.imul(a, b) + 1', 'a ? 1 : x', 'a ? 1.5 : 0', '(m0 = a) | 0 ? 1 : 0, 2', 'a = 1', 'a && 1',
      '-a', '!a', 'a ?? 1', '~a + 1', '"1"', 'Math.floor(a)', 'r', 'r3 + r4', '(a, 1)']) {
      expect(isInt32Expr(e), e).toBe(false);
    }
  });
  it('drops an assigned const\'s | 0 when its every initialiser is an int32, and a register shifted by 0', () => {
    expect(withoutIdentityOps('{ const r = (x - y) | 0; r16 = (r >>> 31); r5 = (r) | 0; }')).toBe('{ const r = (x - y) | 0; r16 = (r >>> 31); r5 = (r); }');
    expect(withoutIdentityOps('{ const a = r2, b = (r3 << 0); const r = (a ^ b); r5 = (r) | 0; }')).toBe('{ const a = r2, b = r3; const r = (a ^ b); r5 = (r); }');
    // Not where one initialiser may not be an int32, nor a let, nor where the | 0 applies to more than the name.
    expect(withoutIdentityOps('{ if (c) { const r = x + y; r1 = (r) | 0; } else { const r = (x) | 0; r2 = (r) | 0; } }'))
      .toBe('{ if (c) { const r = x + y; r1 = (r) | 0; } else { const r = (x) | 0; r2 = (r) | 0; } }');
    expect(withoutIdentityOps('{ let r = 1; r = r * 3; r1 = (r) | 0; }')).toBe('{ let r = 1; r = r * 3; r1 = (r) | 0; }');
    expect(withoutIdentityOps('{ const r = 1; r1 = y + (r) | 0; r2 = (r) | 0 + 1; }')).toBe('{ const r = 1; r1 = y + (r) | 0; r2 = (r) | 0 + 1; }');
    // A call's parentheses are not a shift's.
    expect(withoutIdentityOps('{ r1 = f(r3 << 0); }')).toBe('{ r1 = f(r3 << 0); }');
  });

  it('drops it from translated register writes only where it is redundant', () => {
    const st = { gprCount: 32, zeroReg: 0, reads: new Set<number>(), writes: new Set<number>() };
    expect(localizeRegisters('R[2] = R[3] | R[4]; R[5] = R[3] + R[4]; R[6] = R[3] >>> 0;', st))
      .toBe('r2 = (r3 | r4); r5 = (r3 + r4) | 0; r6 = (r3 >>> 0) | 0;');
  });
});

describe('translated regions', () => {
  it('compile a hot loop and compute what the interpreter computes', () => {
    const m = machine(LOOP(5000));
    const e = m.run();
    expect(e).toBeInstanceOf(GuestFault);
    expect((e as GuestFault).signal).toBe(SIGTRAP);
    expect(m.engine.regionsCompiled).toBeGreaterThan(0);
    const ref = interpreted(LOOP(5000)).cpu;
    for (const r of [T0, T1, T2, V0]) expect(m.cpu.R[r]).toBe(ref.R[r]);
    expect(m.cpu.R[T1]).toBe((5000 * 5001) / 2);
    // The break that stops the run raises before it counts.
    expect(m.engine.instructions).toBe(1 + 5000 * 7);
  });

  it('a NULL store inside a translated loop is SIGSEGV at that instruction, with registers written back', () => {
    // After 2000 iterations (enough to be compiled) the base register drops from a valid address to 0.
    const words = [
      addiu(T0, 0, 2000), // 0
      sw(T0, 0, T2), // 1: loop: *(t2) = t0
      addiu(T0, T0, -1), // 2
      bne(T0, 0, 3, 1), // 3
      NOP, // 4
      addiu(T2, 0, 0), // 5: t2 = NULL
      addiu(T0, 0, 5), // 6
      bne(T0, 0, 7, 1), // 7: back into the loop
      NOP, // 8
    ];
    const m = machine(words);
    m.mem.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
    m.cpu.R[T2] = DATA;
    const e = m.run() as GuestFault;
    expect(e).toBeInstanceOf(GuestFault);
    expect(e.signal).toBe(SIGSEGV);
    expect(e.addr).toBe(0);
    expect(m.cpu.pc).toBe(CODE + 4);
    expect(m.cpu.R[T0]).toBe(5);
    expect(m.cpu.R[T2]).toBe(0);
    expect(m.engine.regionsCompiled).toBeGreaterThan(0);
  });
});

describe('memory accesses in translated regions', () => {
  /** 20 loads and stores through t2 (the 11th through t3 instead), then a break or a branch back to the start. */
  const accesses = (loop: boolean) => [
    ...Array.from({ length: 20 }, (_, i) => (i % 2 ? sw(T0, 4 * i, i === 11 ? T3 : T2) : lw(T0, 4 * i, T2))),
    addiu(T1, T1, 1), // 20
    loop ? bne(T1, 0, 21, 0) : BREAK, // 21
    NOP,
  ];
  const setup = (words: number[]) => {
    const m = machine(words);
    m.mem.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
    for (let i = 0; i < 0x200; i += 4) m.mem.write32(DATA + i, (i * 0x9e3779b9) | 0);
    m.cpu.R[T2] = DATA;
    m.cpu.R[T3] = DATA + 0x100;
    return m;
  };

  it('are calls in a region without a loop that makes many, inline in a loop', () => {
    const straight = setup(accesses(false));
    const src = generateRegion(straight.cpu.translation, [straight.cpu.scanBlock(CODE)], false, new Map());
    expect(src).toContain('ld32((');
    expect(src).not.toContain('perm[');
    const looped = setup(accesses(true));
    const loopSrc = generateRegion(looped.cpu.translation, [looped.cpu.scanBlock(CODE)], false, new Map());
    expect(loopSrc).not.toContain('ld32((');
    expect(loopSrc).toContain('perm[');
  });

  it('a call that faults leaves the state the interpreter leaves', () => {
    const words = accesses(false);
    const ref = setup(words);
    ref.cpu.R[T3] = 0;
    const refFault = interpreted(words, ref).fault;
    const m = setup(words);
    m.cpu.R[T3] = 0;
    m.cpu.pc = CODE;
    const region = translateRegion(m.cpu.translation, [m.cpu.scanBlock(CODE)], { instructions: 0 }, { valid: true }, null);
    let fault: unknown;
    try {
      region();
    } catch (e) {
      fault = e;
    }
    expect(fault).toBeInstanceOf(GuestFault);
    expect((fault as GuestFault).signal).toBe(SIGSEGV);
    expect((fault as GuestFault).addr).toBe(refFault?.addr);
    expect(m.cpu.pc).toBe(CODE + 4 * 11);
    expect(m.cpu.pc).toBe(ref.cpu.pc);
    expect([...m.cpu.R.slice(0, 32)]).toEqual([...ref.cpu.R.slice(0, 32)]);
    expect([...m.mem.bytes.subarray(DATA, DATA + 0x200)]).toEqual([...ref.mem.bytes.subarray(DATA, DATA + 0x200)]);
    expect(m.mem.read32(DATA + 4)).toBe(m.mem.read32(DATA)); // (the stores before the fault were made)
  });
});

describe('misaligned MIPS words in translated code', () => {
  it('are stored and loaded (Linux fixes up the address error), checked in lockstep', () => {
    const words = [
      addiu(T0, 0, 2000), // 0
      sw(T0, 1, T2), // 1: loop: *(t2 + 1) = t0
      lw(T3, 1, T2), // 2: t3 = *(t2 + 1)
      addu(T1, T1, T3), // 3
      addiu(T0, T0, -1), // 4
      bne(T0, 0, 5, 1), // 5
      NOP, // 6
      BREAK, // 7
    ];
    const m = machine(words, true);
    m.mem.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
    m.cpu.R[T2] = DATA;
    const e = m.run() as GuestFault;
    expect(e.signal).toBe(SIGTRAP);
    expect(m.cpu.R[T1]).toBe((2000 * 2001) / 2);
    expect(m.mem.view.getUint32(DATA + 1, false)).toBe(1);
    expect(m.engine.regionsCompiled).toBeGreaterThan(0);
  });
});

/** A Math whose imul is wrong, for a translation env (the interpreter's handlers use the real one). */
const brokenImul = () => Object.assign(Object.create(Math) as Math, { imul: () => 12345 });

describe('lockstep checking', () => {
  it('passes correct translations', () => {
    const m = machine(LOOP(300), true);
    expect((m.run() as GuestFault).signal).toBe(SIGTRAP);
    expect(m.cpu.R[T1]).toBe((300 * 301) / 2);
  });

  it('stops at a translation bug and names the instruction and the register', () => {
    const m = machine(LOOP(300), true);
    // Break the translated code's multiply: its env's Math is not the interpreter's.
    m.cpu.translation.env.Math = brokenImul();
    const e = m.run();
    expect(e).toBeInstanceOf(LockstepDivergence);
    const msg = (e as Error).message;
    expect(msg).toMatch(/first differing instruction 0x10008: mult \$t0, \$t3/);
    expect(msg).toMatch(/(hi|lo): interpreter 0x[0-9a-f]+, translated 0x[0-9a-f]+/);
  });
});

describe('lockstep checking of Thumb code', () => {
  it('replays a Thumb block to name the first differing instruction', () => {
    // loop: umull r3, r1, r0, r2; subs r4, #1; bne loop; bkpt
    const mem = new GuestMemory(true);
    mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
    [0xfba0, 0x3102, 0x3c01, 0xd1fb, 0xbe00].forEach((h, i) => mem.view.setUint16(CODE + 2 * i, h, true));
    const cpu = new ArmCpu(mem, () => {});
    const ref = new StoreJournal(mem.bytes), jit = new StoreJournal(mem.bytes);
    const checker: Lockstep = new Lockstep(cpu, mem, cpu.enableLockstep(ref, jit, () => checker.beforeSyscall()), ref, jit);
    const engine = new Engine(cpu, mem, { lockstep: checker });
    Object.assign(cpu.R, { 0: -3, 2: 0x12345, 4: 100 });
    cpu.pc = CODE | 1;
    cpu.translation.env.Math = brokenImul();
    let e: unknown;
    try {
      engine.run();
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(LockstepDivergence);
    expect((e as Error).message).toMatch(/first differing instruction 0x10000: umull r3, r1, r0, r2/);
  });
});

describe('ARM flags and constants in translated code', () => {
  /** The region source of one Thumb block made of these halfwords. */
  const thumbRegion = (halfwords: number[]) => {
    const mem = new GuestMemory(true);
    mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
    halfwords.forEach((h, i) => mem.view.setUint16(CODE + 2 * i, h, true));
    const cpu = new ArmCpu(mem, () => {});
    return generateRegion(cpu.translation, [cpu.scanBlock(CODE | 1)], false, new Map());
  };
  const flagWrites = (src: string) => src.match(/\br1[6-9] = \(/g)?.length ?? 0;

  it('leaves out flag writes the next instruction overwrites unread', () => {
    // cmp r0, #1; cmp r1, #2; beq: only the second compare's four flags are computed.
    expect(flagWrites(thumbRegion([0x2801, 0x2902, 0xd000]))).toBe(4);
  });

  it('keeps them across an instruction that can fault, or one that reads them', () => {
    // cmp r0, #1; ldr r2, [r3]; cmp r1, #2; beq
    expect(flagWrites(thumbRegion([0x2801, 0x681a, 0x2902, 0xd000]))).toBe(8);
    // cmp r0, #1; adcs r2, r3 (reads C, writes NZCV); cmp r1, #2; beq
    expect(flagWrites(thumbRegion([0x2801, 0x415a, 0x2902, 0xd000]))).toBe(5);
  });

  it('turns a branch target into one base-relative constant', () => {
    // cmp r0, #1; beq to pc + 4 + 8 (0x1000e, Thumb): the target, not the offset's decoding, is in the code.
    const src = thumbRegion([0x2801, 0xd004]);
    const name = /(__a\d+) = \(B \+ 15\) \| 0/.exec(src)?.[1];
    expect(name).toBeDefined();
    expect(src).toContain(`nx = (${name});`);
    expect(src).not.toContain('>>> 17');
  });

  it('computes addresses in the factory, so that no path of the region adds to B', () => {
    // cmp r0, #1; beq: the taken target and the fall-through (an address plus the instruction's
    // length in the template) are both constants; an addition on a path V8 had not seen run
    // (a loop's exit) threw away its optimised code when it first ran.
    const src = thumbRegion([0x2801, 0xd004]);
    const region = src.slice(src.indexOf('return (function'), src.indexOf('} catch (e)'));
    expect(region).not.toMatch(/B \+/);
    expect(src.match(/__a\d+ = \(B \+ -?\d+\) \| 0/g)?.length).toBeGreaterThanOrEqual(2);
  });
});

describe('register localisation', () => {
  const st = () => ({ gprCount: 32, zeroReg: 0, reads: new Set<number>(), writes: new Set<number>() });

  it('turns register reads and writes into locals, wrapping writes to 32 bits', () => {
    const s = st();
    expect(localizeRegisters('R[3] = R[4] + R[5];', s)).toBe('r3 = (r4 + r5) | 0;');
    expect([...s.reads].sort()).toEqual([4, 5]);
    expect([...s.writes]).toEqual([3]);
  });

  it('evaluates writes to $zero for their side effects only and reads it as 0', () => {
    expect(localizeRegisters('R[0] = ld32(R[0] + 4);', st())).toBe('(ld32(0 + 4));');
  });

  it('leaves registers past the GPRs (HI, LO) in the array', () => {
    expect(localizeRegisters('R[32] = R[33];', st())).toBe('R[32] = R[33];');
  });

  it('refuses what it cannot translate', () => {
    expect(() => localizeRegisters('R[3] += 1;', st())).toThrow(Untranslatable);
    expect(() => localizeRegisters('R[i] = 1;', st())).toThrow(Untranslatable);
  });
});
