// The random-instruction tester's ARM modes (see risu.ts): A32 integer instructions, T32
// (Thumb-2, entered from an A32 wrapper by BLX and left by BX LR) and VFP/NEON in their A32
// encodings, all drawn from urun's own tables. r12 points into the scratch area and is never
// an operand otherwise; sp and pc are never operands (their values are the emulator's), nor
// lr in T32 (it holds the way back). Memory operands are r12 plus an immediate, without
// writeback; the scratch area (8 KiB around r12) holds every immediate offset the encodings
// allow. A state block holds r0-r11 and lr, the APSR (NZCV, Q, GE), the FPSCR, d0-d31 and
// the scratch area; the wrapper loads it before the sequence and stores it after.
import type { FieldDef, InsnDef, InsnTable } from '../../src/isa/table.js';
import { InsnFlags } from '../../src/isa/table.js';
import { A32_DEFS, A32_FIELDS, A32_TABLE } from '../../src/isa/arm/a32.js';
import { T32_DEFS, T32_FIELDS, T32_TABLE } from '../../src/isa/arm/t32.js';
import { vfpDefs } from '../../src/isa/arm/vfp.js';
import { seeded, type Random } from './random.js';
import type { IsaParts } from './risu.js';

export const ARM_RISU_MODES = ['a32', 't32', 'vfp'] as const;
export type ArmRisuMode = (typeof ARM_RISU_MODES)[number];

const SCRATCH_SIZE = 8192;
/** State block: r0-r11 and lr (13 words, as LDM/STM {r0-r11, lr} lay them), APSR, FPSCR, d0-d31, scratch. */
export const ARM_BLOCK = { gpr: 0, apsr: 52, fpscr: 56, fpr: 64, scratch: 320, scratchSize: SCRATCH_SIZE, size: 320 + SCRATCH_SIZE };
const SCRATCH_CENTER = ARM_BLOCK.scratch + SCRATCH_SIZE / 2;
const BASE = 12;

// ---- the wrapper, in A32 ----

const AL = 0xe0000000;
const movw = (rd: number, v: number) => (AL | 0x03000000 | (((v >>> 12) & 15) << 16) | (rd << 12) | (v & 0xfff)) >>> 0;
const movt = (rd: number, v: number) => (AL | 0x03400000 | (((v >>> 28) & 15) << 16) | (rd << 12) | ((v >>> 16) & 0xfff)) >>> 0;
const li32 = (rd: number, v: number) => [movw(rd, v & 0xffff), movt(rd, v >>> 0)];
const ldrImm = (rt: number, rn: number, off: number) => (AL | 0x05900000 | (rn << 16) | (rt << 12) | off) >>> 0;
const strImm = (rt: number, rn: number, off: number) => (AL | 0x05800000 | (rn << 16) | (rt << 12) | off) >>> 0;
/** ADD/SUB rd, rn, #v for any v below 2^16, as one or two rotated immediates. */
function addImm(rd: number, rn: number, v: number, sub = false): number[] {
  const op = sub ? 0x02400000 : 0x02800000;
  const out: number[] = [];
  for (const part of [v & 0xff00, v & 0xff]) {
    if (part === 0) continue;
    // part = imm8 << (2n): encoded as imm8 ror (32 - 2n).
    let shift = 0;
    while (part >>> shift > 0xff) shift += 2;
    const rot = ((32 - shift) / 2) & 15;
    out.push((AL | op | (out.length ? rd : rn) << 16 | (rd << 12) | (rot << 8) | (part >>> shift)) >>> 0);
  }
  return out;
}
const LIST_R0_R11_LR = 0x4fff;
const W = {
  msrFlags: (rm: number) => (AL | 0x012cf000 | rm) >>> 0, // MSR APSR_nzcvqg, rm
  mrs: (rd: number) => (AL | 0x010f0000 | (rd << 12)) >>> 0, // MRS rd, APSR
  vmsr: (rt: number) => (AL | 0x0ee10a10 | (rt << 12)) >>> 0, // VMSR FPSCR, rt
  vmrs: (rt: number) => (AL | 0x0ef10a10 | (rt << 12)) >>> 0, // VMRS rt, FPSCR
  /** VLDMIA/VSTMIA rn(!), {d0-d15} or {d16-d31}. */
  vxfer: (load: boolean, rn: number, high: boolean, writeback: boolean) =>
    (AL | 0x0c800b20 | (load ? 1 << 20 : 0) | (writeback ? 1 << 21 : 0) | (high ? 1 << 22 : 0) | (rn << 16)) >>> 0,
  ldm: (rn: number, list: number) => (AL | 0x08900000 | (rn << 16) | list) >>> 0,
  stm: (rn: number, list: number) => (AL | 0x08800000 | (rn << 16) | list) >>> 0,
  svc: (AL | 0x0f000000) >>> 0,
  movImm: (rd: number, v: number) => (AL | 0x03a00000 | (rd << 12) | v) >>> 0,
};

function armWrap(thumb: boolean, block: number, body: number[]): number[] {
  const B = ARM_BLOCK;
  const prologue = [
    ...li32(BASE, block),
    ldrImm(0, BASE, B.apsr), W.msrFlags(0),
    ldrImm(0, BASE, B.fpscr), W.vmsr(0),
    ...addImm(0, BASE, B.fpr), W.vxfer(true, 0, false, true), W.vxfer(true, 0, true, false),
    W.ldm(BASE, LIST_R0_R11_LR),
    ...addImm(BASE, BASE, SCRATCH_CENTER),
  ];
  const epilogue = [
    ...addImm(BASE, BASE, SCRATCH_CENTER, true),
    W.stm(BASE, LIST_R0_R11_LR),
    W.mrs(0), strImm(0, BASE, B.apsr),
    W.vmrs(0), strImm(0, BASE, B.fpscr),
    ...addImm(0, BASE, B.fpr), W.vxfer(false, 0, false, true), W.vxfer(false, 0, true, false),
  ];
  if (!thumb) return [...prologue, ...body, ...epilogue];
  // BLX to the Thumb body just after the next word (which branches over the body when it returns).
  const halves: number[] = [];
  for (const w of body) {
    if (w > 0xffff) halves.push(w >>> 16, w & 0xffff);
    else halves.push(w);
  }
  halves.push(0x4770); // bx lr
  if (halves.length & 1) halves.push(0xbf00); // nop
  const packed: number[] = [];
  for (let i = 0; i < halves.length; i += 2) packed.push((halves[i] | (halves[i + 1] << 16)) >>> 0);
  const blx = 0xfa000000; // BLX to pc + 8: the word after the branch below
  const skip = (AL | 0x0a000000 | ((packed.length - 1) & 0xffffff)) >>> 0; // B over the body
  return [...prologue, blx, skip, ...packed, ...epilogue];
}

/** Writes `size` bytes at `addr` to stdout and exits 0 (EABI write, exit_group). */
const armExit = (addr: number, size: number): number[] => [
  ...li32(1, addr), ...li32(2, size), W.movImm(0, 1), W.movImm(7, 4), W.svc, W.movImm(0, 0), W.movImm(7, 248), W.svc,
];

// ---- random instructions ----

/** Left out: what changes control flow, the mode, the endianness or system state, or waits; exclusives. */
const EXCLUDED_NAME = /^((ld|st)rex[bhd]?|svc|swi|bkpt|udf|setend|cps|srs|rfe|mrc2?|mcr2?|mrrc2?|mcrr2?|cdp2?|ldc2?|stc2?|msr|mrs|vmsr|vmrs|it|nop|yield|wfe|wfi|sev|dmb|dsb|isb|pld|pldw|pli|clrex|swpb?|dbg|smc|hvc|bx|blx|bxj|tbb|tbh)\b/;
const EXCLUDED_CODE = /\b(syscall|udf|kuser|excl\w*|cpu\.)\b|R\[(13|14|15|22)\]/;
const MEMORY_CODE = /\b(ld8[us]|ld16[us]|ld32a?|ld64|st8|st16|st32|st64|strexd?|vmld|vmst|nvstruct|nvlane|nvall)\(/;
/** Fields that must say "no writeback" (0) and "offset addressing" (1). */
const NO_WRITEBACK = new Set(['wb', 'w8', 'vw', 'ldmwb']);
const PRE_INDEXED = new Set(['p', 'p8', 'pd']);

interface ArmDef { def: InsnDef; fields: [string, (w: number) => number][]; base: string | null; memory: boolean; list: boolean }

function fieldReaders(fields: Record<string, FieldDef>): Record<string, (w: number) => number> {
  return Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, new Function('w', 'pc', `return ${f.expr};`) as (w: number) => number]));
}

function prepare(defs: InsnDef[], fields: Record<string, FieldDef>): ArmDef[] {
  const read = fieldReaders(fields);
  const out: ArmDef[] = [];
  for (const d of defs) {
    if (d.flags & (InsnFlags.Branch | InsnFlags.EndsBlock) || EXCLUDED_NAME.test(d.name) || EXCLUDED_CODE.test(d.code)) continue;
    const used = [...new Set([...`${d.asm} ${d.code}`.matchAll(/\$(\w+)/g)].map((m) => m[1]))].filter((f) => read[f]);
    const memory = MEMORY_CODE.test(d.code);
    // The base of a memory operand: [$rn...], "$rn (", or NEON's [$vrn]; register offsets are left out.
    const base = /\[\$(\w+)/.exec(d.asm)?.[1] ?? /^\$(\w+) \(/.exec(d.asm)?.[1] ?? (/\$vrn\b/.test(d.asm) ? 'vrn' : null);
    if (memory && (base === null || /\[\$\w+, [-+]?\$r/.test(d.asm) || /!/.test(d.asm) || /\$lit/.test(d.asm))) continue;
    out.push({ def: d, fields: used.map((f) => [f, read[f]]), base: memory ? base : null, memory, list: used.some((f) => /^list/.test(f)) });
  }
  return out;
}

/** Encodings the architecture calls UNPREDICTABLE (qemu-user raises SIGILL; urun computes something). */
function unpredictable(d: InsnDef, w: number, thumb: boolean): boolean {
  if (/^(bfi|bfc)$/.test(d.name)) {
    const [msb, lsb] = thumb ? [w & 31, ((w >>> 10) & 0x1c) | ((w >>> 6) & 3)] : [(w >>> 16) & 31, (w >>> 7) & 31];
    return msb < lsb;
  }
  if (/^[su]bfx$/.test(d.name)) {
    const [widthm1, lsb] = thumb ? [w & 31, ((w >>> 10) & 0x1c) | ((w >>> 6) & 3)] : [(w >>> 16) & 31, (w >>> 7) & 31];
    return lsb + widthm1 > 31;
  }
  // T32 SSAT/USAT with ASR #0 is SSAT16/USAT16, whose bits 5-4 should be zero.
  if (thumb && /^[su]sat$/.test(d.name) && /asr/.test(d.asm)) return (((w >>> 10) & 0x1c) | ((w >>> 6) & 3)) === 0;
  // T32 LDM/STM of fewer than two registers, or writing back a base that is in the list
  // (qemu-user: SIGILL).
  if (thumb && /^(ldm|stm)(ia|db)$/.test(d.name)) {
    const list = w & 0xffff;
    let count = 0;
    for (let k = list; k !== 0; k &= k - 1) count++;
    return count < 2 || ((w & 0x200000) !== 0 && ((list >>> ((w >>> 16) & 15)) & 1) === 1);
  }
  // Long multiplies with RdLo = RdHi.
  if (/^(u|s)(mull|mlal|maal)|^smlal<|^sml[as]ld/.test(d.name)) return ((w >>> 12) & 15) === (thumb ? (w >>> 8) & 15 : (w >>> 16) & 15);
  // VLDM/VSTM of no registers or past the last one (and FLDMX/FSTMX, odd word counts of doubles).
  if (/^v(ld|st)m/.test(d.name)) {
    const words = w & 0xff;
    if (w & 0x100) return words === 0 || (words & 1) === 1 || words > 32 || vdd(w) + words / 2 > 32;
    return words === 0 || vsd(w) + words > 32;
  }
  // VZIP, VUZP and VTRN of a register with itself; VTBL/VTBX lists past d31.
  if (/^v(zip|uzp|trn)\./.test(d.name)) return vdd(w) === vdm(w);
  if (/^vtb[lx]/.test(d.name)) return vdn(w) + ((w >>> 8) & 3) > 31;
  // Element and structure transfers past d31.
  const multi = /nvstruct\(\d, a0, \$vdd, (\d), (\d), (\d)/.exec(d.code) ?? /vm(ld|st)\(a0, 2 \* \$vdd, (\d+)\)/.exec(d.code);
  if (multi) {
    const last = multi.length === 4 ? vdd(w) + (Number(multi[1]) * Number(multi[2]) - 1) * Number(multi[3]) : vdd(w) + Number(multi[2]) / 2 - 1;
    return last > 31;
  }
  return false;
}
/**
 * A NEON structure transfer with a :256 qualifier, whose 32-byte alignment qemu-user enforces
 * only to 16 bytes (its pow2_align: "256-bit alignment cannot be supported... enforce only
 * 128-bit alignment for now"), where urun raises the architecture's SIGBUS (files vfp_align).
 */
const qemuUnderAligns = (d: InsnDef, w: number): boolean => /\$vlam\b/.test(d.code) && ((w >>> 4) & 3) === 3;
const vdd = (w: number) => ((w >>> 18) & 0x10) | ((w >>> 12) & 15);
const vdm = (w: number) => ((w >>> 1) & 0x10) | (w & 15);
const vdn = (w: number) => ((w >>> 3) & 0x10) | ((w >>> 16) & 15);
const vsd = (w: number) => ((w >>> 11) & 0x1e) | ((w >>> 22) & 1);

/** A random encoding of `d` meeting the constraints, or null when none turned up. */
function armInsn(a: ArmDef, table: InsnTable, gprKinds: Set<string>, reserved: Set<number>, thumb: boolean, r: Random): number | null {
  const d = a.def;
  for (let tries = 0; tries < 4000; tries++) {
    let w = ((r.u32() & ~d.mask) | d.match) >>> 0;
    if (thumb && d.mask <= 0xffff) w &= 0xffff; // a 16-bit instruction
    // Condition 1111 is the unconditional space: an entry without it there is UNDEFINED.
    if (!thumb && (d.mask >>> 28) !== 0xf && w >>> 28 === 0xf) continue;
    if (table.decode(w) !== d || unpredictable(d, w, thumb) || qemuUnderAligns(d, w)) continue;
    let ok = true;
    for (const [name, read] of a.fields) {
      const v = read(w);
      if (name === a.base) ok = v === BASE;
      else if (NO_WRITEBACK.has(name)) ok = v === 0;
      else if (PRE_INDEXED.has(name) && !a.list) ok = v === 1;
      else if (name === 'vrm' && a.memory) ok = v === 15; // NEON [rn] without post-increment
      else if (/^list/.test(name) && a.memory) ok = v !== 0 && (v & 0xf000) === 0;
      else if (gprKinds.has(name)) ok = !reserved.has(v);
      if (!ok) break;
    }
    if (ok) return w;
  }
  return null;
}

export function armMode(mode: ArmRisuMode): IsaParts {
  const thumb = mode === 't32';
  const table = thumb ? T32_TABLE : A32_TABLE;
  const fields = thumb ? T32_FIELDS : A32_FIELDS;
  const vfp = new Set(vfpDefs());
  const defs = thumb ? T32_DEFS : A32_DEFS.filter((d) => vfp.has(d) === (mode === 'vfp'));
  const prepared = prepare(defs, fields);
  const gprKinds = new Set(Object.entries(fields).filter(([, f]) => f.kind === 'gpr').map(([n]) => n));
  const reserved = new Set([BASE, 13, 15, 22, ...(thumb ? [14] : [])]);
  // Entries no encoding meets the constraints of (a Thumb load whose base must be a low register) are left out.
  const probe = seeded(0x5eed);
  const usable = prepared.filter((a) => armInsn(a, table, gprKinds, reserved, thumb, probe) !== null);
  return {
    table,
    make(r, length) {
      const out: number[] = [];
      while (out.length < length) {
        const w = armInsn(r.pick(usable), table, gprKinds, reserved, thumb, r);
        if (w !== null) out.push(w);
      }
      return out;
    },
    wrap: (block, body) => armWrap(thumb, block, body),
    exit: armExit,
    initial: armInitialBlock,
    field: armField,
    blockSize: ARM_BLOCK.size,
    qemuArgs: ['-cpu', 'cortex-a15'],
  };
}

function armInitialBlock(r: Random): Buffer {
  const B = ARM_BLOCK;
  const b = Buffer.alloc(B.size);
  const put = (at: number, v: number) => b.writeUInt32LE(v >>> 0, at);
  const interesting = [0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x8000, 0xffff, 0x7fff, 31, 32, 0x80008000, 0x7f7f7f7f];
  for (let i = 0; i < 13; i++) put(B.gpr + 4 * i, r.chance(0.25) ? r.pick(interesting) : r.u32());
  // NZCVQ and GE; the rest of the CPSR is not the program's to set.
  put(B.apsr, (r.u32() & 0xf80f0000) >>> 0);
  // FPSCR: NZCV, QC, DN, FZ, the rounding mode and the cumulative flags; no trap enables, no
  // short vectors, no AHP.
  put(B.fpscr, (r.u32() & 0xfbc0009f) >>> 0);
  // Words of notable singles, and high words of notable doubles: zeros, infinities, NaNs,
  // subnormals and the smallest normals (for flush-to-zero), ones, powers of two.
  const specials = [0, 0x80000000, 0x7f800000, 0xff800000, 0x7fbfffff, 0x7fc00000, 0x00000001, 0x807fffff, 0x00800000, 0x80800001,
    0x3f800000, 0x4f000000, 0xcf000000, 0x7ff00000, 0x7ff80000, 0xfff00000, 0x000fffff, 0x80010000, 0x00100000, 0x3ff00000];
  for (let i = 0; i < 64; i++) put(B.fpr + 4 * i, r.chance(0.3) ? r.pick(specials) : r.chance(0.3) ? 0x3c000000 + r.below(0x8000000) : r.u32());
  for (let at = B.scratch; at < B.scratch + B.scratchSize; at += 4) put(at, r.u32());
  return b;
}

function armField(at: number): string {
  const B = ARM_BLOCK;
  if (at < B.apsr) return at === 48 ? 'lr' : `r${at >> 2}`;
  if (at < B.fpscr) return 'apsr';
  if (at < B.fpr) return at === B.fpscr ? 'fpscr' : 'pad';
  if (at < B.scratch) return `d${(at - B.fpr) >> 3}${(at - B.fpr) & 4 ? ' (high word)' : ' (low word)'}`;
  return `scratch+${at - SCRATCH_CENTER} (r12${at - SCRATCH_CENTER >= 0 ? '+' : ''}${at - SCRATCH_CENTER})`;
}
