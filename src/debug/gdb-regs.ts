// The guest's registers as gdb sees them: a target description (XML) per ISA and the
// conversion between urun's register state and the remote protocol's register numbers.
// The numbering follows gdb's own descriptions (MIPS: r0-r31, status, lo, hi, badvaddr,
// cause, pc, f0-f31, fcsr, fir, restart; ARM: r0-r15, cpsr at 25, d0-d31, fpscr), so gdb's
// MIPS and ARM code finds every register it knows by name. ARM's NEON q0-q15 are sent as
// registers of their own after fpscr (views of d0-d31), as qemu-user does: gdb 13 synthesizes
// them from an org.gnu.gdb.arm.neon feature only in name (it makes none: q_pseudo_count 0).
import type { GuestCpu } from '../engine/cpu.js';
import type { MipsCpu } from '../isa/mips/cpu.js';
import type { ArmCpu } from '../isa/arm/cpu.js';

/** One register of the description: its gdb name, remote number and size in bytes. */
interface RegDesc {
  name: string;
  regnum: number;
  bytes: number;
  /** Extra XML attributes (type, group). */
  attrs?: string;
}

export interface GdbRegisters {
  /** The target description gdb asks for as target.xml. */
  readonly xml: string;
  readonly regs: RegDesc[];
  /** The register's value in target byte order, or null when there is no such register. */
  read(regnum: number): Uint8Array | null;
  /** Sets a register from target-order bytes; false when there is no such register. */
  write(regnum: number, bytes: Uint8Array): boolean;
}

const seq = (prefix: string, n: number, from: number, bytes: number, attrs?: string): RegDesc[] =>
  Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, regnum: from + i, bytes, attrs }));

function features(arch: string, osabi: string, groups: [string, RegDesc[], string?][]): string {
  const body = groups.map(([feature, regs, types]) => `<feature name="${feature}">${types ?? ''}` +
    regs.map((r) => `<reg name="${r.name}" bitsize="${r.bytes * 8}" regnum="${r.regnum}"${r.attrs ? ' ' + r.attrs : ''}/>`).join('') +
    '</feature>').join('');
  return `<?xml version="1.0"?><!DOCTYPE target SYSTEM "gdb-target.dtd"><target><architecture>${arch}</architecture><osabi>${osabi}</osabi>${body}</target>`;
}

/** Big- or little-endian 32-bit words to and from bytes. */
function word(v: number, little: boolean): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, little);
  return b;
}
const readWord = (b: Uint8Array, little: boolean): number => new DataView(b.buffer, b.byteOffset, 4).getInt32(0, little);

// MIPS CP0 Status as a user-mode program sees it: CU1 (the FPU is usable), UM, FR=0.
const MIPS_STATUS = 0x20000010;
const MIPS_FIR = 0x00739300 & ~(1 << 22);
const HI = 32, LO = 33;

function mipsRegisters(cpu: MipsCpu, little: boolean): GdbRegisters {
  const cpuRegs = seq('r', 32, 0, 4);
  cpuRegs.push({ name: 'lo', regnum: 33, bytes: 4 }, { name: 'hi', regnum: 34, bytes: 4 }, { name: 'pc', regnum: 37, bytes: 4 });
  const cp0: RegDesc[] = [{ name: 'status', regnum: 32, bytes: 4 }, { name: 'badvaddr', regnum: 35, bytes: 4 }, { name: 'cause', regnum: 36, bytes: 4 }];
  const fpu = seq('f', 32, 38, 4, 'type="ieee_single"');
  fpu.push({ name: 'fcsr', regnum: 70, bytes: 4, attrs: 'group="float"' }, { name: 'fir', regnum: 71, bytes: 4, attrs: 'group="float"' });
  const linux: RegDesc[] = [{ name: 'restart', regnum: 72, bytes: 4, attrs: 'group="system"' }];
  const xml = features('mips', 'GNU/Linux', [
    ['org.gnu.gdb.mips.cpu', cpuRegs], ['org.gnu.gdb.mips.cp0', cp0], ['org.gnu.gdb.mips.fpu', fpu], ['org.gnu.gdb.mips.linux', linux],
  ]);
  const value = (n: number): number | null => {
    if (n < 32) return cpu.R[n];
    if (n >= 38 && n < 70) return cpu.FI[n - 38];
    switch (n) {
      case 32: return MIPS_STATUS;
      case 33: return cpu.R[LO];
      case 34: return cpu.R[HI];
      case 35: case 36: case 72: return 0;
      case 37: return cpu.pc;
      case 70:
        cpu.settleCause();
        return cpu.fcsr;
      case 71: return MIPS_FIR;
      default: return null;
    }
  };
  return {
    xml,
    regs: [...cpuRegs, ...cp0, ...fpu, ...linux].sort((a, b) => a.regnum - b.regnum),
    read: (n) => {
      const v = value(n);
      return v === null ? null : word(v, little);
    },
    write: (n, b) => {
      if (value(n) === null || b.length < 4) return false;
      const v = readWord(b, little);
      if (n > 0 && n < 32) cpu.R[n] = v;
      else if (n >= 38 && n < 70) cpu.FI[n - 38] = v;
      else if (n === 33) cpu.R[LO] = v;
      else if (n === 34) cpu.R[HI] = v;
      else if (n === 37) cpu.pc = cpu.next = v;
      else if (n === 70) {
        cpu.fcsr = v;
        cpu.fcsrChanged();
      }
      return true;
    },
  };
}

// ARM register file slots (see isa/arm/common.ts).
const N = 16, Z = 17, C = 18, V = 19, Q = 20, GE = 21;
const CPSR = 25, FPSCR = 58, Q0 = 59;
/** The type of a q register: its 16 bytes as vectors of each element size, as gdb shows NEON registers. */
const NEON_LANES: [string, string, number][] = [['u8', 'uint8', 16], ['u16', 'uint16', 8], ['u32', 'uint32', 4], ['u64', 'uint64', 2], ['f32', 'ieee_single', 4], ['f64', 'ieee_double', 2]];
const NEON_Q_TYPE = NEON_LANES.map(([, t, n]) => `<vector id="q_${t}" type="${t}" count="${n}"/>`).join('') +
  `<union id="neon_q">${NEON_LANES.map(([f, t]) => `<field name="${f}" type="q_${t}"/>`).join('')}</union>`;
const USER_MODE = 0x10, THUMB_BIT = 0x20;

function armRegisters(cpu: ArmCpu): GdbRegisters {
  const core: RegDesc[] = [
    ...seq('r', 13, 0, 4, 'type="uint32"'),
    { name: 'sp', regnum: 13, bytes: 4, attrs: 'type="data_ptr"' }, { name: 'lr', regnum: 14, bytes: 4 },
    { name: 'pc', regnum: 15, bytes: 4, attrs: 'type="code_ptr"' }, { name: 'cpsr', regnum: CPSR, bytes: 4 },
  ];
  const vfp: RegDesc[] = [
    ...seq('d', 32, 26, 8, 'type="ieee_double" group="float"'), { name: 'fpscr', regnum: FPSCR, bytes: 4, attrs: 'type="int" group="float"' },
    ...seq('q', 16, Q0, 16, 'type="neon_q" group="vector"'),
  ];
  const xml = features('arm', 'GNU/Linux', [['org.gnu.gdb.arm.core', core], ['org.gnu.gdb.arm.vfp', vfp, NEON_Q_TYPE]]);
  const R = cpu.R;
  const cpsr = (): number => (R[N] << 31) | (R[Z] << 30) | (R[C] << 29) | (R[V] << 28) | (R[Q] << 27) |
    ((R[GE] & 0xf) << 16) | (cpu.pc & 1 ? THUMB_BIT : 0) | USER_MODE;
  return {
    xml,
    regs: [...core, ...vfp].sort((a, b) => a.regnum - b.regnum),
    read: (n) => {
      if (n < 15) return word(R[n], true);
      if (n === 15) return word(cpu.pc & ~1, true);
      if (n === CPSR) return word(cpsr(), true);
      if (n >= 26 && n < 58) return new Uint8Array(cpu.vfp, (n - 26) * 8, 8).slice();
      if (n === FPSCR) return word(cpu.fpscr, true);
      if (n >= Q0 && n < Q0 + 16) return new Uint8Array(cpu.vfp, (n - Q0) * 16, 16).slice();
      return null;
    },
    write: (n, b) => {
      if (n >= 26 && n < 58) {
        if (b.length < 8) return false;
        new Uint8Array(cpu.vfp, (n - 26) * 8, 8).set(b.subarray(0, 8));
        return true;
      }
      if (n >= Q0 && n < Q0 + 16) {
        if (b.length < 16) return false;
        new Uint8Array(cpu.vfp, (n - Q0) * 16, 16).set(b.subarray(0, 16));
        return true;
      }
      if (b.length < 4) return false;
      const v = readWord(b, true);
      if (n < 15) R[n] = v;
      else if (n === 15) cpu.pc = cpu.next = (v & ~1) | (cpu.pc & 1);
      else if (n === CPSR) {
        R[N] = (v >>> 31) & 1;
        R[Z] = (v >>> 30) & 1;
        R[C] = (v >>> 29) & 1;
        R[V] = (v >>> 28) & 1;
        R[Q] = (v >>> 27) & 1;
        R[GE] = (v >>> 16) & 0xf;
        cpu.pc = cpu.next = (cpu.pc & ~1) | (v & THUMB_BIT ? 1 : 0);
      } else if (n === FPSCR) cpu.fpscr = v;
      else return false;
      return true;
    },
  };
}

export function gdbRegisters(cpu: GuestCpu, littleEndian: boolean): GdbRegisters {
  return cpu.isa === 'mips' ? mipsRegisters(cpu as MipsCpu, littleEndian) : armRegisters(cpu as ArmCpu);
}
