// A random-instruction differential tester in the manner of QEMU's RISU: random *valid*
// instructions drawn from urun's own tables (no control flow; memory operands confined to a
// scratch area), each sequence wrapped in a prologue that loads random registers, FPU state
// and scratch memory from a state block and an epilogue that stores them all back. A batch
// of sequences is one tiny static ELF written here (no assembler needed) that ends by
// writing every state block to stdout; urun's bytes are compared with qemu-user's. The MIPS
// modes are here, the ARM ones (A32, T32, VFP/NEON) in risu-arm.ts.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InsnDef, InsnTable } from '../../src/isa/table.js';
import { InsnFlags } from '../../src/isa/table.js';
import { MIPS_TABLE } from '../../src/isa/mips/table.js';
import { ROOT } from './elf.js';
import { seeded, subSeed, type Random } from './random.js';
import { ARM_RISU_MODES, armMode } from './risu-arm.js';

/** `-int`: integer instructions only (the FPU's remaining differences are listed in the report). */
export const RISU_MODES = ['mips', 'mipsel', 'mips-int', 'mipsel-int', ...ARM_RISU_MODES] as const;
export type RisuMode = (typeof RISU_MODES)[number];

const LOAD_ADDR = 0x400000, CODE_OFFSET = 0x100;

/** .MIPS.abiflags of a MIPS32r2 FP32 program (fp_abi 1, "double"): FR=0 under qemu-user as under urun. */
const MIPS_ABIFLAGS_FP32 = Buffer.from([0, 0, 32, 2, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const ABIFLAGS_OFFSET = 0xc0;

/** A minimal static ELF32 executable: one RWX PT_LOAD holding the whole file (and MIPS ABI flags). */
export function elfImage(little: boolean, machine: number, flags: number, code: Buffer, data: Buffer): { file: Buffer; dataAddr: number } {
  const dataOffset = (CODE_OFFSET + code.length + 15) & ~15;
  const file = Buffer.alloc(dataOffset + data.length);
  const u16 = (at: number, v: number) => file[little ? 'writeUInt16LE' : 'writeUInt16BE'](v, at);
  const u32 = (at: number, v: number) => file[little ? 'writeUInt32LE' : 'writeUInt32BE'](v >>> 0, at);
  const mips = machine === 8;
  file.set([0x7f, 0x45, 0x4c, 0x46, 1, little ? 1 : 2, 1], 0);
  u16(16, 2); // ET_EXEC
  u16(18, machine);
  u32(20, 1);
  u32(24, LOAD_ADDR + CODE_OFFSET);
  u32(28, 52); // e_phoff
  u32(36, flags);
  u16(40, 52);
  u16(42, 32);
  u16(44, mips ? 2 : 1);
  u16(46, 40);
  // PT_LOAD, offset 0, the whole file, R+W+X
  [1, 0, LOAD_ADDR, LOAD_ADDR, file.length, file.length, 7, 0x1000].forEach((v, i) => u32(52 + 4 * i, v));
  if (mips) {
    [0x70000003, ABIFLAGS_OFFSET, LOAD_ADDR + ABIFLAGS_OFFSET, LOAD_ADDR + ABIFLAGS_OFFSET, 24, 24, 4, 8].forEach((v, i) => u32(84 + 4 * i, v));
    MIPS_ABIFLAGS_FP32.copy(file, ABIFLAGS_OFFSET);
  }
  code.copy(file, CODE_OFFSET);
  data.copy(file, dataOffset);
  return { file, dataAddr: LOAD_ADDR + dataOffset };
}

// ---- MIPS32r2 o32 with its FPU (FR=0) ----

const K0 = 26, K1 = 27;
/** State block: GPRs, HI, LO, FCSR, the 32 FPU words, then the scratch area memory operands use. */
const MIPS_BLOCK = { gpr: 0, hi: 128, lo: 132, fcsr: 136, fpr: 144, scratch: 272, scratchSize: 512, size: 784 };
const SCRATCH_CENTER = MIPS_BLOCK.scratch + MIPS_BLOCK.scratchSize / 2;

const mi = {
  lui: (rt: number, imm: number) => ((0x0f << 26) | (rt << 16) | (imm & 0xffff)) >>> 0,
  ori: (rt: number, rs: number, imm: number) => ((0x0d << 26) | (rs << 21) | (rt << 16) | (imm & 0xffff)) >>> 0,
  addiu: (rt: number, rs: number, imm: number) => ((0x09 << 26) | (rs << 21) | (rt << 16) | (imm & 0xffff)) >>> 0,
  mem: (op: number, rt: number, off: number, base: number) => ((op << 26) | (base << 21) | (rt << 16) | (off & 0xffff)) >>> 0,
  mthi: (rs: number) => ((rs << 21) | 0x11) >>> 0,
  mtlo: (rs: number) => ((rs << 21) | 0x13) >>> 0,
  mfhi: (rd: number) => ((rd << 11) | 0x10) >>> 0,
  mflo: (rd: number) => ((rd << 11) | 0x12) >>> 0,
  ctc1: (rt: number, fs: number) => ((0x11 << 26) | (0x06 << 21) | (rt << 16) | (fs << 11)) >>> 0,
  cfc1: (rt: number, fs: number) => ((0x11 << 26) | (0x02 << 21) | (rt << 16) | (fs << 11)) >>> 0,
  syscall: 0x0000000c,
};
const LW = 0x23, SW = 0x2b, LDC1 = 0x35, SDC1 = 0x3d;
const li32 = (r: number, v: number) => [mi.lui(r, v >>> 16), mi.ori(r, r, v & 0xffff)];
const MIPS_SAVED_GPRS = Array.from({ length: 31 }, (_, i) => i + 1).filter((r) => r !== K0 && r !== K1);

/** What MIPS random sequences leave out: control flow, traps, system and timing instructions, FCSR writes (trap enables). */
const MIPS_EXCLUDED = new Set(['syscall', 'break', 'sdbbp', 'rdhwr', 'add', 'addi', 'sub', 'cache', 'pref', 'prefx', 'synci', 'sync',
  'll', 'sc', 'ctc1', 'wait', 'eret', 'di', 'ei', 'tlbp', 'tlbr', 'tlbwi', 'tlbwr', 'deret', 'ssnop', 'ehb']);

/**
 * Encodings the MIPS32r2 manual calls UNPREDICTABLE, where urun and qemu-user may both be
 * right: ins with msb < lsb, ext with lsb + size > 32, and with FR=0 the 64-bit integer
 * (.l) FPU formats and luxc1/suxc1 (qemu raises SIGILL; urun computes through the pair).
 */
function mipsUnpredictable(d: InsnDef, w: number): boolean {
  const lsb = (w >>> 6) & 31, msbd = (w >>> 11) & 31;
  if (d.name === 'ins') return msbd < lsb;
  if (d.name === 'ext') return lsb + msbd + 1 > 32;
  // Division by zero leaves HI and LO UNPREDICTABLE, and a divisor may become zero on the way.
  if (d.name === 'div' || d.name === 'divu') return true;
  // Control registers other than FIR, FCCR, FEXR, FENR and FCSR are reserved.
  // (FIR, register 0, describes the implementation: urun's FPU is 32-bit, qemu's 24Kf says 64.)
  if (d.name === 'cfc1') return ![25, 26, 28, 31].includes((w >>> 11) & 31);
  // recip and rsqrt are approximations whose accuracy the architecture leaves to the implementation.
  if (/^(recip|rsqrt)\./.test(d.name)) return true;
  return /\.l(\.|$)/.test(d.name) || d.name === 'luxc1' || d.name === 'suxc1';
}

function mipsDefs(fpu: boolean): InsnDef[] {
  const isFpu = (d: InsnDef) => ((d.match >>> 26) === 0x11 || (d.match >>> 26) === 0x13 || /c1$|\.(s|d|w|l|ps)$/.test(d.name)) && !/^(mfhi|mflo|mthi|mtlo)$/.test(d.name);
  return MIPS_TABLE.defs.filter((d) => (fpu || !isFpu(d)) && !(d.flags & (InsnFlags.Branch | InsnFlags.EndsBlock)) && !MIPS_EXCLUDED.has(d.name) &&
    !/^t(eq|ne|ge|lt)/.test(d.name) && !/\bcpu\.next\b|\bnext\s*=/.test(d.code));
}

/** Register fields (by bit position) whose value must not be a reserved register. */
const MIPS_GPR_FIELDS: [string, number][] = [['rs', 21], ['rt', 16], ['rd', 11]];

/** A random encoding of `d`: reserved registers avoided, memory operands at k0 ± 256 (8-aligned), FR=0 doubles even. */
function mipsInsn(d: InsnDef, r: Random): number | null {
  const uses = (f: string) => new RegExp(`\\$${f}\\b`).test(d.asm) || new RegExp(`\\$${f}\\b`).test(d.code);
  for (let tries = 0; tries < 64; tries++) {
    let w = ((r.u32() & ~d.mask) | d.match) >>> 0;
    const memory = /\(\$rs\)/.test(d.asm);
    if (memory) {
      w = (w & ~(0x1f << 21)) | (K0 << 21);
      if (/\$imm\(/.test(d.asm)) w = (w & ~0xffff) | ((r.below(64) - 32) * 8 & 0xffff);
      if (/\$rt\(\$rs\)/.test(d.asm)) w &= ~(0x1f << 16); // indexed: base k0, index $zero
    }
    // Doubles in FR=0 live in even register pairs; an odd number is UNPREDICTABLE (qemu: SIGILL).
    if (/\.d(\.|$)|^cvt\.d|^(ldc1|sdc1|ldxc1|sdxc1|luxc1|suxc1|mfhc1|mthc1)$/.test(d.name)) {
      for (const [f, bit] of [['fs', 11], ['ft', 16], ['fd', 6], ['fr', 21]] as const) if (uses(f)) w &= ~(1 << bit);
    }
    w >>>= 0;
    if (((w & d.mask) >>> 0) !== d.match >>> 0 || MIPS_TABLE.decode(w) !== d || mipsUnpredictable(d, w)) continue;
    if (MIPS_GPR_FIELDS.some(([f, bit]) => uses(f) && !(memory && f === 'rs') && [K0, K1].includes((w >>> bit) & 31))) continue;
    return w >>> 0;
  }
  return null; // an entry its constraints (or a more specific entry) leave no encoding for
}

function mipsSequence(defs: InsnDef[], r: Random, length: number): number[] {
  const out: number[] = [];
  while (out.length < length) {
    const w = mipsInsn(r.pick(defs), r);
    if (w !== null) out.push(w);
  }
  return out;
}

/** Code for one sequence: load the block at `block`, run `body`, store everything back. */
function mipsWrap(block: number, body: number[]): number[] {
  const B = MIPS_BLOCK;
  return [
    ...li32(K0, block),
    mi.mem(LW, K1, B.fcsr, K0), mi.ctc1(K1, 31),
    mi.mem(LW, K1, B.hi, K0), mi.mthi(K1), mi.mem(LW, K1, B.lo, K0), mi.mtlo(K1),
    ...Array.from({ length: 16 }, (_, i) => mi.mem(LDC1, 2 * i, B.fpr + 8 * i, K0)),
    ...MIPS_SAVED_GPRS.map((g) => mi.mem(LW, g, B.gpr + 4 * g, K0)),
    mi.addiu(K0, K0, SCRATCH_CENTER),
    ...body,
    mi.addiu(K0, K0, -SCRATCH_CENTER),
    ...MIPS_SAVED_GPRS.map((g) => mi.mem(SW, g, B.gpr + 4 * g, K0)),
    mi.mfhi(K1), mi.mem(SW, K1, B.hi, K0), mi.mflo(K1), mi.mem(SW, K1, B.lo, K0), mi.cfc1(K1, 31), mi.mem(SW, K1, B.fcsr, K0),
    ...Array.from({ length: 16 }, (_, i) => mi.mem(SDC1, 2 * i, B.fpr + 8 * i, K0)),
  ];
}

/** Writes `size` bytes at `addr` to stdout and exits 0 (o32 write, exit_group). */
const mipsExit = (addr: number, size: number): number[] => [
  ...li32(5, addr), ...li32(6, size), mi.addiu(4, 0, 1), mi.addiu(2, 0, 4004), mi.syscall,
  mi.addiu(4, 0, 0), mi.addiu(2, 0, 4246), mi.syscall,
];

function mipsInitialBlock(r: Random, little: boolean): Buffer {
  const B = MIPS_BLOCK;
  const b = Buffer.alloc(B.size);
  const put = (at: number, v: number) => b[little ? 'writeUInt32LE' : 'writeUInt32BE'](v >>> 0, at);
  const interesting = [1, 0xffffffff, 0x7fffffff, 0x80000000, 0x8000, 0xffff, 31, 32];
  for (let g = 0; g < 32; g++) put(B.gpr + 4 * g, r.chance(0.2) ? r.pick(interesting) : r.u32());
  put(B.hi, r.u32());
  put(B.lo, r.u32());
  // FCSR: rounding mode, flags, condition codes, FS (flush to zero); no trap enables.
  put(B.fcsr, r.below(4) | (r.below(32) << 2) | (r.below(2) << 23) | (r.below(2) << 24) | (r.below(128) << 25));
  // FPU words: random bits, or a double/single of a notable value (zeros, infinities, NaNs, denormals, ones).
  // (0x00800000 and 0x00100000: the smallest normal single, and a double's high word near its smallest normal.)
  const specials = [0, 0x80000000, 0x7f800000, 0xff800000, 0x7fbfffff, 0x7fc00000, 0x00000001, 0x3f800000, 0x4f000000, 0xcf000000, 0x00800000, 0x80100000];
  for (let i = 0; i < 32; i++) put(B.fpr + 4 * i, r.chance(0.3) ? r.pick(specials) : r.chance(0.3) ? (0x3c000000 + r.below(0x8000000)) : r.u32());
  for (let at = B.scratch; at < B.scratch + B.scratchSize; at += 4) put(at, r.u32());
  return b;
}

function mipsField(at: number, little: boolean): string {
  const B = MIPS_BLOCK;
  if (at < B.hi) return MIPS_TABLE.regName('gpr', at >> 2);
  if (at < B.lo) return 'hi';
  if (at < B.fcsr) return 'lo';
  if (at < B.fpr) return 'fcsr';
  // sdc1 stores the even register at the lower address only in little-endian order.
  if (at < B.scratch) return `$f${((at - B.fpr) >> 2) ^ (little ? 0 : 1)}`;
  return `scratch+${at - SCRATCH_CENTER} ($k0${at - SCRATCH_CENTER >= 0 ? '+' : ''}${at - SCRATCH_CENTER})`;
}

// ---- batches ----

export interface Batch { mode: RisuMode; seed: number; sequences: number[][]; image: Buffer; initial: Buffer[]; blockSize: number }

/** What an ISA gives the tester: its table, random sequences, the wrapper, the state block. */
export interface IsaParts {
  table: InsnTable;
  qemuArgs: string[];
  make(r: Random, length: number): number[];
  wrap(block: number, body: number[]): number[];
  exit(addr: number, size: number): number[];
  initial(r: Random): Buffer;
  field(at: number): string;
  blockSize: number;
}

interface ModeSpec extends IsaParts { little: boolean; machine: number; flags: number; qemu: string }

/** EF_ARM_EABI_VER5 | EF_ARM_ABI_FLOAT_HARD: an armhf program (urun's default CPU, a Cortex-A15, as qemu is told). */
const ARM_EABI5_HARD = 0x05000400, EM_ARM = 40;

/** Modes are made when first used (the ARM ones sort their tables out). */
const modeCache = new Map<RisuMode, ModeSpec>();
function modeSpec(mode: RisuMode): ModeSpec {
  let spec = modeCache.get(mode);
  if (!spec) modeCache.set(mode, spec = makeMode(mode));
  return spec;
}

function makeMode(mode: RisuMode): ModeSpec {
  if ((ARM_RISU_MODES as readonly string[]).includes(mode)) {
    const arm = armMode(mode as (typeof ARM_RISU_MODES)[number]);
    return { little: true, machine: EM_ARM, flags: ARM_EABI5_HARD, qemu: 'qemu-arm', ...arm };
  }
  const little = mode.startsWith('mipsel');
  const defs = mipsDefs(!mode.endsWith('-int'));
  return {
    little, machine: 8, flags: 0x70001007, table: MIPS_TABLE, qemu: little ? 'qemu-mipsel' : 'qemu-mips', qemuArgs: [],
    make: (r: Random, length: number) => mipsSequence(defs, r, length), wrap: mipsWrap, exit: mipsExit,
    initial: (r: Random) => mipsInitialBlock(r, little), field: (at: number) => mipsField(at, little), blockSize: MIPS_BLOCK.size,
  };
}

/** A guest running `count` random sequences of 1-`maxLength` instructions, from `seed`. */
export function makeBatch(mode: RisuMode, seed: number, count: number, maxLength = 12): Batch {
  const spec = modeSpec(mode);
  const sequences: number[][] = [], initial: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const r = seeded(subSeed(seed, i));
    sequences.push(spec.make(r, 1 + r.below(maxLength)));
    initial.push(spec.initial(r));
  }
  return assemble(mode, seed, sequences, initial);
}

/** A batch of given sequences (to replay what a report lists), each from random state of `seed`. */
export function batchOf(mode: RisuMode, seed: number, sequences: number[][]): Batch {
  return assemble(mode, seed, sequences, sequences.map((_, i) => modeSpec(mode).initial(seeded(subSeed(seed, i)))));
}

/** A batch of given sequences with given initial states (to replay one sequence of a report). */
export function assemble(mode: RisuMode, seed: number, sequences: number[][], initial: Buffer[]): Batch {
  const spec = modeSpec(mode);
  const data = Buffer.concat(initial);
  // Code size does not depend on addresses, so lay it out once to learn where data goes.
  const codeFor = (dataAddr: number) => [
    ...sequences.flatMap((body, i) => spec.wrap(dataAddr + i * spec.blockSize, body)),
    ...spec.exit(dataAddr, data.length),
  ];
  const words = (list: number[]) => {
    const b = Buffer.alloc(4 * list.length);
    list.forEach((w, i) => b[spec.little ? 'writeUInt32LE' : 'writeUInt32BE'](w >>> 0, 4 * i));
    return b;
  };
  const { dataAddr } = elfImage(spec.little, spec.machine, spec.flags, words(codeFor(0)), data);
  const { file } = elfImage(spec.little, spec.machine, spec.flags, words(codeFor(dataAddr)), data);
  return { mode, seed, sequences, image: file, initial, blockSize: spec.blockSize };
}

export interface RisuRun { stdout: Buffer; status: number | null; signal: string | null; stderr: string }

function run(argv: string[], file: string): RisuRun {
  const r = spawnSync(argv[0], [...argv.slice(1), file], { maxBuffer: 256 << 20, timeout: 60_000 });
  return { stdout: r.stdout ?? Buffer.alloc(0), status: r.status, signal: r.signal, stderr: (r.stderr ?? '').toString() };
}

const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/** The first difference in sequence `i`'s final state, named. */
export function describeDifference(batch: Batch, i: number, ours: Buffer, theirs: Buffer): string {
  const spec = modeSpec(batch.mode);
  const read = (b: Buffer, at: number) => b[spec.little ? 'readUInt32LE' : 'readUInt32BE'](at);
  const base = i * batch.blockSize;
  for (let at = 0; at < batch.blockSize; at += 4) {
    const a = read(ours, base + at), b = read(theirs, base + at);
    if (a !== b) {
      return `${spec.field(at)}: urun ${hex(a)}, qemu ${hex(b)} (initially ${hex(read(batch.initial[i], at))})`;
    }
  }
  return 'no difference';
}

export function listing(batch: Batch, i: number): string {
  const spec = modeSpec(batch.mode);
  return batch.sequences[i].map((w) => `${(w >>> 0).toString(16).padStart(8, '0')}  ${spec.table.disassemble(w, 0)}`).join('; ');
}

const completes = (r: RisuRun) => r.status === 0 && r.stdout.length > 0;
const outcome = (r: RisuRun) => `${r.status ?? r.signal} (${r.stdout.length} bytes${r.stderr.trim() ? `, ${r.stderr.trim()}` : ''})`;

/** The sequence whose run ends the process early under urun or qemu (bisected over prefixes), or null. */
function firstCrash(batch: Batch, dir: string, qemu: string[]): number | null {
  const fails = (n: number) => {
    const part = assemble(batch.mode, batch.seed, batch.sequences.slice(0, n), batch.initial.slice(0, n));
    const file = path.join(dir, 'bisect');
    fs.writeFileSync(file, part.image, { mode: 0o755 });
    const bad = !completes(run([process.execPath, path.join(ROOT, 'bin/urun')], file)) || !completes(run(qemu, file));
    fs.rmSync(file);
    return bad;
  };
  let lo = 1, hi = batch.sequences.length;
  if (!fails(hi)) return null;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (fails(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

export interface RisuReport { sequences: number; batches: number; failures: string[] }

/** Runs `batches` batches of `perBatch` sequences in a mode under urun and qemu-user, and compares. */
export function fuzzRisu(opts: { mode: RisuMode; seed: number; batches: number; perBatch: number; dir: string; deadline?: number; maxFailures?: number }): RisuReport {
  const spec = modeSpec(opts.mode);
  const report: RisuReport = { sequences: 0, batches: 0, failures: [] };
  for (let k = 0; k < opts.batches; k++) {
    // Every mode runs at least one guest, however little time is left.
    if (k > 0 && opts.deadline !== undefined && Date.now() > opts.deadline) break;
    const seed = subSeed(opts.seed, k);
    const batch = makeBatch(opts.mode, seed, opts.perBatch);
    const file = path.join(opts.dir, `risu-${opts.mode}-${seed}`);
    fs.writeFileSync(file, batch.image, { mode: 0o755 });
    const ours = run([process.execPath, path.join(ROOT, 'bin/urun')], file);
    const theirs = run([spec.qemu, ...spec.qemuArgs], file);
    report.batches++;
    report.sequences += opts.perBatch;
    const tag = `${opts.mode} batch seed ${seed}`;
    if (!completes(ours) || !completes(theirs)) {
      const i = firstCrash(batch, opts.dir, [spec.qemu, ...spec.qemuArgs]);
      report.failures.push(`${tag}${i === null ? '' : ` sequence ${i}`}: urun ${outcome(ours)}; qemu ${outcome(theirs)}; file kept: ${file}` +
        (i === null ? '' : `\n    ${listing(batch, i)}`));
      continue;
    }
    let differs = false;
    for (let i = 0; i < opts.perBatch; i++) {
      const a = ours.stdout.subarray(i * batch.blockSize, (i + 1) * batch.blockSize);
      const b = theirs.stdout.subarray(i * batch.blockSize, (i + 1) * batch.blockSize);
      if (a.equals(b)) continue;
      differs = true;
      if (report.failures.length < (opts.maxFailures ?? 40)) {
        report.failures.push(`${tag} sequence ${i}: ${describeDifference(batch, i, ours.stdout, theirs.stdout)}\n    ${listing(batch, i)}`);
      }
    }
    if (!differs) fs.rmSync(file);
  }
  return report;
}
