// The MIPS16e instruction table (the compressed ISA of the 4Kc, 24K and 74K cores, which gcc
// emits for `-mips16`): a MIPS CPU runs it while bit 0 of the PC (the ISA mode) is set, which
// a jump to an odd address (jr, jalr, jalx) chooses. Blocks in MIPS16 mode are keyed by their
// address with bit 0 set, as Thumb blocks are on ARM.
//
// Words: a 16-bit instruction is 0x0000xxxx; one in the delay slot of a jump has bit 16 set
// after a 4-byte jump (JAL, JALX) and bit 17 after a 2-byte one (JR, JALR), which the
// PC-relative instructions need (their base is the jump's address). An EXTENDed instruction
// is (EXTEND << 16) | instruction, and JAL/JALX (first halfword << 16) | second.
//
// Branches (B, BEQZ, BNEZ, BTEQZ, BTNEZ) and JRC/JALRC have no delay slot; JAL, JALX, JR and
// JALR have a 16-bit one (MIPS16_DELAY_SLOT). The semantics follow qemu's mips16 decoder.
import { InsnDef, InsnFlags, InsnTable, FieldDef } from '../table.js';
import { mulhExpr, u32 } from '../arith.js';
import { mipsRegName } from './table.js';

/** MIPS16 register numbers 0-7 are GPRs 16, 17, 2-7. */
const xlat = (e: string) => `((${e}) < 2 ? (${e}) + 16 : (${e}))`;
/** An EXTENDed instruction's 16-bit immediate (low 5 bits in the instruction, the rest in EXTEND). */
const IMM16 = '(((w >>> 16) & 0x1f) << 11 | ((w >>> 21) & 0x3f) << 5 | (w & 0x1f))';

const F: Record<string, FieldDef> = {
  rx: { expr: xlat('(w >>> 8) & 7'), kind: 'gpr' },
  ry: { expr: xlat('(w >>> 5) & 7'), kind: 'gpr' },
  rz: { expr: xlat('(w >>> 2) & 7'), kind: 'gpr' },
  // MOV32R's destination (any GPR: bits 7-5 are its low three bits, 4-3 its high two) and MOVR32's source.
  r32d: { expr: '((w >>> 3) & 3) << 3 | ((w >>> 5) & 7)', kind: 'gpr' },
  r32s: { expr: 'w & 31', kind: 'gpr' },
  rzm: { expr: xlat('w & 7'), kind: 'gpr' },
  u8: { expr: 'w & 0xff', kind: 'int' },
  s8: { expr: '(w << 24) >> 24', kind: 'int' },
  u5: { expr: 'w & 0x1f', kind: 'int' },
  s4: { expr: '(w << 28) >> 28', kind: 'int' },
  sa3: { expr: '(((w >>> 2) & 7) || 8)', kind: 'int' },
  code6: { expr: '(w >>> 5) & 0x3f', kind: 'int' },
  e16: { expr: `(${IMM16} << 16) >> 16`, kind: 'int' },
  eu16: { expr: IMM16, kind: 'hex' },
  e15: { expr: '((((w >>> 16) & 0xf) << 11 | ((w >>> 20) & 0x7f) << 4 | (w & 0xf)) << 17) >> 17', kind: 'int' },
  esa: { expr: '(w >>> 22) & 31', kind: 'int' },
  pc: { expr: 'pc', kind: 'hex' },
  // The base of a PC-relative access: the instruction's address, or its jump's in a delay slot, 4-aligned.
  pcbase: { expr: '((pc - (w & 0x10000 ? 4 : w & 0x20000 ? 2 : 0)) & ~3)', kind: 'hex' },
  epcbase: { expr: '(pc & ~3)', kind: 'hex' },
  b11target: { expr: '((pc + 2 + (((w << 21) >> 21) << 1)) | 1)', kind: 'target' },
  b8target: { expr: '((pc + 2 + (((w << 24) >> 24) << 1)) | 1)', kind: 'target' },
  b16target: { expr: `((pc + 4 + (((${IMM16} << 16) >> 16) << 1)) | 1)`, kind: 'target' },
  j16target: { expr: '(((pc + 4) & 0xf0000000) | ((((w >>> 16) & 0x1f) << 21 | ((w >>> 21) & 0x1f) << 16 | (w & 0xffff)) << 2) | 1)', kind: 'target' },
  jxtarget: { expr: '(((pc + 4) & 0xf0000000) | ((((w >>> 16) & 0x1f) << 21 | ((w >>> 21) & 0x1f) << 16 | (w & 0xffff)) << 2))', kind: 'target' },
  // SAVE/RESTORE: $ra, $s0, $s1, the frame size, and (EXTENDed) $s2-$s8 and the argument registers.
  sra: { expr: '(w >>> 6) & 1', kind: 'int' },
  ss0: { expr: '(w >>> 5) & 1', kind: 'int' },
  ss1: { expr: '(w >>> 4) & 1', kind: 'int' },
  frame: { expr: '((w & 0xf) || 16) << 3', kind: 'int' },
  eframe: { expr: '(((w >>> 20) & 0xf) << 4 | (w & 0xf)) << 3', kind: 'int' },
  xsregs: { expr: '(w >>> 24) & 7', kind: 'int' },
  // How many of $a0-$a3 SAVE stores to the caller's argument area, and how many of $a3, $a2...
  // it saves as static registers, by the aregs code (15 is reserved).
  nargs: { expr: '"00001111222033400".charCodeAt((w >>> 16) & 15) - 48', kind: 'int' },
  nstatic: { expr: '"0123012301240100".charCodeAt((w >>> 16) & 15) - 48', kind: 'int' },
  aregs: { expr: '(w >>> 16) & 15', kind: 'int' },
};

const defs: InsnDef[] = [];
const B = InsnFlags.Branch, END = InsnFlags.EndsBlock;
function def(name: string, mask: number, match: number, asm: string, code: string, flags = InsnFlags.None): void {
  defs.push({ name, mask: mask >>> 0, match: match >>> 0, asm, code, flags });
}
/** The jumps with a (16-bit) delay slot. */
export const MIPS16_DELAY_SLOT = new Set<string>();
function jump(name: string, mask: number, match: number, asm: string, code: string): void {
  def(name, mask, match, asm, code, B);
  MIPS16_DELAY_SLOT.add(name);
}

const MAJOR = 0xf800;
const maj = (m: number) => m << 11;
/** EXTEND (11110) in the upper halfword, with the instruction's major opcode. */
const EXT = 0xf8000000, extOf = (m: number) => (0xf0000000 | (m << 11)) >>> 0;
const T = 24;

// ---- 16-bit ----
def('addiu', MAJOR, maj(0), '$rx, sp, $u8', 'R[$rx] = R[29] + ($u8 << 2);');
def('addiu', MAJOR, maj(1), '$rx, pc, $u8', 'R[$rx] = $pcbase + ($u8 << 2);');
def('b', MAJOR, maj(2), '$b11target', 'cpu.next = $b11target;', B);
def('beqz', MAJOR, maj(4), '$rx, $b8target', 'if (R[$rx] === 0) cpu.next = $b8target;', B);
def('bnez', MAJOR, maj(5), '$rx, $b8target', 'if (R[$rx] !== 0) cpu.next = $b8target;', B);
def('sll', MAJOR | 3, maj(6) | 0, '$rx, $ry, $sa3', 'R[$rx] = R[$ry] << $sa3;');
def('srl', MAJOR | 3, maj(6) | 2, '$rx, $ry, $sa3', 'R[$rx] = R[$ry] >>> $sa3;');
def('sra', MAJOR | 3, maj(6) | 3, '$rx, $ry, $sa3', 'R[$rx] = R[$ry] >> $sa3;');
def('addiu', MAJOR | 0x10, maj(8), '$ry, $rx, $s4', 'R[$ry] = R[$rx] + $s4;');
def('addiu', MAJOR, maj(9), '$rx, $s8', 'R[$rx] = R[$rx] + $s8;');
def('slti', MAJOR, maj(10), '$rx, $u8', `R[${T}] = R[$rx] < $u8 ? 1 : 0;`);
def('sltiu', MAJOR, maj(11), '$rx, $u8', `R[${T}] = ${u32('R[$rx]')} < ${u32('$u8')} ? 1 : 0;`);
const I8 = MAJOR | 0x700, i8 = (f: number) => maj(12) | (f << 8);
def('bteqz', I8, i8(0), '$b8target', `if (R[${T}] === 0) cpu.next = $b8target;`, B);
def('btnez', I8, i8(1), '$b8target', `if (R[${T}] !== 0) cpu.next = $b8target;`, B);
def('sw', I8, i8(2), 'ra, $u8(sp)', 'st32(R[29] + ($u8 << 2), R[31]);');
def('addiu', I8, i8(3), 'sp, $s8', 'R[29] = R[29] + ($s8 << 3);');
def('move', I8, i8(7), '$ry, $r32s', 'R[$ry] = R[$r32s];');
def('move', I8, i8(5), '$r32d, $rzm', 'R[$r32d] = R[$rzm];');
def('li', MAJOR, maj(13), '$rx, $u8', 'R[$rx] = $u8;');
def('cmpi', MAJOR, maj(14), '$rx, $u8', `R[${T}] = R[$rx] ^ $u8;`);
def('lb', MAJOR, maj(16), '$ry, $u5($rx)', 'R[$ry] = ld8s(R[$rx] + $u5);');
def('lh', MAJOR, maj(17), '$ry, $u5($rx)', 'R[$ry] = ld16s(R[$rx] + ($u5 << 1));');
def('lw', MAJOR, maj(18), '$rx, $u8(sp)', 'R[$rx] = ld32(R[29] + ($u8 << 2));');
def('lw', MAJOR, maj(19), '$ry, $u5($rx)', 'R[$ry] = ld32(R[$rx] + ($u5 << 2));');
def('lbu', MAJOR, maj(20), '$ry, $u5($rx)', 'R[$ry] = ld8u(R[$rx] + $u5);');
def('lhu', MAJOR, maj(21), '$ry, $u5($rx)', 'R[$ry] = ld16u(R[$rx] + ($u5 << 1));');
def('lw', MAJOR, maj(22), '$rx, $u8(pc)', 'R[$rx] = ld32($pcbase + ($u8 << 2));');
def('sb', MAJOR, maj(24), '$ry, $u5($rx)', 'st8(R[$rx] + $u5, R[$ry]);');
def('sh', MAJOR, maj(25), '$ry, $u5($rx)', 'st16(R[$rx] + ($u5 << 1), R[$ry]);');
def('sw', MAJOR, maj(26), '$rx, $u8(sp)', 'st32(R[29] + ($u8 << 2), R[$rx]);');
def('sw', MAJOR, maj(27), '$ry, $u5($rx)', 'st32(R[$rx] + ($u5 << 2), R[$ry]);');
def('addu', MAJOR | 3, maj(28) | 1, '$rz, $rx, $ry', 'R[$rz] = R[$rx] + R[$ry];');
def('subu', MAJOR | 3, maj(28) | 3, '$rz, $rx, $ry', 'R[$rz] = R[$rx] - R[$ry];');
// RR: funct in bits 4-0.
const RR = MAJOR | 0x1f, rr = (f: number) => maj(29) | f;
// J(AL)R(C): bits 7-5 are nd (no delay slot), l (link), ra (jump to $ra).
const JR = RR | 0xe0, jr = (bits: number) => rr(0) | (bits << 5);
jump('jr', JR | 0x700, jr(0b001), 'ra', 'cpu.next = R[31];');
jump('jr', JR, jr(0b000), '$rx', 'cpu.next = R[$rx];');
jump('jalr', JR, jr(0b010), '$rx', 'const t = R[$rx]; R[31] = ($pc + 4) | 1; cpu.next = t;');
def('jrc', JR | 0x700, jr(0b101), 'ra', 'cpu.next = R[31];', B);
def('jrc', JR, jr(0b100), '$rx', 'cpu.next = R[$rx];', B);
def('jalrc', JR, jr(0b110), '$rx', 'const t = R[$rx]; R[31] = ($pc + 2) | 1; cpu.next = t;', B);
def('slt', RR, rr(2), '$rx, $ry', `R[${T}] = R[$rx] < R[$ry] ? 1 : 0;`);
def('sltu', RR, rr(3), '$rx, $ry', `R[${T}] = ${u32('R[$rx]')} < ${u32('R[$ry]')} ? 1 : 0;`);
def('sllv', RR, rr(4), '$ry, $rx', 'R[$ry] = R[$ry] << (R[$rx] & 31);');
def('break', RR, rr(5), '$code6', 'brk($code6, $pc | 1);', END);
def('srlv', RR, rr(6), '$ry, $rx', 'R[$ry] = R[$ry] >>> (R[$rx] & 31);');
def('srav', RR, rr(7), '$ry, $rx', 'R[$ry] = R[$ry] >> (R[$rx] & 31);');
def('cmp', RR, rr(10), '$rx, $ry', `R[${T}] = R[$rx] ^ R[$ry];`);
def('neg', RR, rr(11), '$rx, $ry', 'R[$rx] = -R[$ry] | 0;');
def('and', RR, rr(12), '$rx, $ry', 'R[$rx] = R[$rx] & R[$ry];');
def('or', RR, rr(13), '$rx, $ry', 'R[$rx] = R[$rx] | R[$ry];');
def('xor', RR, rr(14), '$rx, $ry', 'R[$rx] = R[$rx] ^ R[$ry];');
def('not', RR, rr(15), '$rx, $ry', 'R[$rx] = ~R[$ry];');
def('mfhi', RR | 0xe0, rr(16), '$rx', 'R[$rx] = R[32];');
def('mflo', RR | 0xe0, rr(18), '$rx', 'R[$rx] = R[33];');
def('zeb', RR | 0xe0, rr(17) | (0 << 5), '$rx', 'R[$rx] = R[$rx] & 0xff;');
def('zeh', RR | 0xe0, rr(17) | (1 << 5), '$rx', 'R[$rx] = R[$rx] & 0xffff;');
def('seb', RR | 0xe0, rr(17) | (4 << 5), '$rx', 'R[$rx] = (R[$rx] << 24) >> 24;');
def('seh', RR | 0xe0, rr(17) | (5 << 5), '$rx', 'R[$rx] = (R[$rx] << 16) >> 16;');
def('mult', RR, rr(24), '$rx, $ry', `R[32] = ${mulhExpr(true, 'R[$rx]', 'R[$ry]')}; R[33] = Math.imul(R[$rx], R[$ry]);`);
def('multu', RR, rr(25), '$rx, $ry', `R[32] = ${mulhExpr(false, 'R[$rx]', 'R[$ry]')}; R[33] = Math.imul(R[$rx], R[$ry]);`);
def('div', RR, rr(26), '$rx, $ry',
  'if (R[$ry] !== 0) { const a = R[$rx], b = R[$ry]; R[33] = (a / b) | 0; R[32] = (a % b) | 0; }');
def('divu', RR, rr(27), '$rx, $ry',
  'if (R[$ry] !== 0) { const a = R[$rx] >>> 0, b = R[$ry] >>> 0; R[33] = (a / b) | 0; R[32] = (a % b) | 0; }');

// SAVE and RESTORE (I8 function 4, bit 7 set for SAVE), as qemu's gen_mips16_save/restore:
// below the incoming $sp go $ra, $s8/$s7-$s2 (xsregs), $s1, $s0 and the static argument
// registers; SAVE also stores $a0-$a3 (nargs) in the caller's argument area above $sp.
function saveRestore(save: boolean, frame: string, extended: boolean): string {
  const one = (reg: number) => save ? `a = (a - 4) | 0; st32(a, R[${reg}]);` : `a = (a - 4) | 0; R[${reg}] = ld32(a);`;
  let code = save ? 'let a = R[29];' : `let a = (R[29] + ${frame}) | 0;`;
  if (save && extended) {
    for (let i = 3; i >= 0; i--) code += ` if ($nargs > ${i}) st32((R[29] + ${4 * i}) | 0, R[${4 + i}]);`;
  }
  code += ` if ($sra) { ${one(31)} }`;
  if (extended) {
    const xs = [30, 23, 22, 21, 20, 19, 18];
    xs.forEach((reg, k) => (code += ` if ($xsregs > ${6 - k}) { ${one(reg)} }`));
  }
  code += ` if ($ss1) { ${one(17)} } if ($ss0) { ${one(16)} }`;
  if (extended) for (let i = 0; i < 4; i++) code += ` if ($nstatic > ${i}) { ${one(7 - i)} }`;
  return `${code} R[29] = (R[29] ${save ? '-' : '+'} ${frame}) | 0;`;
}
const SVRS = I8 | 0x80;
def('save', SVRS, i8(4) | 0x80, '$frame', saveRestore(true, '$frame', false));
def('restore', SVRS, i8(4), '$frame', saveRestore(false, '$frame', false));

// ---- EXTENDed ----
const EM = (EXT | MAJOR) >>> 0;
def('addiu', EM | 0xe0, extOf(0), '$rx, sp, $e16', 'R[$rx] = R[29] + $e16;');
def('addiu', EM | 0xe0, extOf(1), '$rx, pc, $e16', 'R[$rx] = $epcbase + $e16;');
def('b', EM | 0x7e0, extOf(2), '$b16target', 'cpu.next = $b16target;', B);
def('beqz', EM | 0xe0, extOf(4), '$rx, $b16target', 'if (R[$rx] === 0) cpu.next = $b16target;', B);
def('bnez', EM | 0xe0, extOf(5), '$rx, $b16target', 'if (R[$rx] !== 0) cpu.next = $b16target;', B);
def('sll', (EM | 0x1f) >>> 0, extOf(6) | 0, '$rx, $ry, $esa', 'R[$rx] = R[$ry] << $esa;');
def('srl', (EM | 0x1f) >>> 0, extOf(6) | 2, '$rx, $ry, $esa', 'R[$rx] = R[$ry] >>> $esa;');
def('sra', (EM | 0x1f) >>> 0, extOf(6) | 3, '$rx, $ry, $esa', 'R[$rx] = R[$ry] >> $esa;');
def('addiu', (EM | 0x10) >>> 0, extOf(8), '$ry, $rx, $e15', 'R[$ry] = R[$rx] + $e15;');
def('addiu', EM | 0xe0, extOf(9), '$rx, $e16', 'R[$rx] = R[$rx] + $e16;');
def('slti', EM | 0xe0, extOf(10), '$rx, $e16', `R[${T}] = R[$rx] < $e16 ? 1 : 0;`);
def('sltiu', EM | 0xe0, extOf(11), '$rx, $e16', `R[${T}] = ${u32('R[$rx]')} < ${u32('$e16')} ? 1 : 0;`);
const EI8 = (EM | 0x7e0) >>> 0, ei8 = (f: number) => (extOf(12) | (f << 8)) >>> 0;
def('bteqz', EI8, ei8(0), '$b16target', `if (R[${T}] === 0) cpu.next = $b16target;`, B);
def('btnez', EI8, ei8(1), '$b16target', `if (R[${T}] !== 0) cpu.next = $b16target;`, B);
def('sw', EI8, ei8(2), 'ra, $e16(sp)', 'st32(R[29] + $e16, R[31]);');
def('addiu', EI8, ei8(3), 'sp, $e16', 'R[29] = R[29] + $e16;');
const ESVRS = (EM | 0x780) >>> 0;
def('save', ESVRS, ei8(4) | 0x80, '$eframe', saveRestore(true, '$eframe', true));
def('restore', ESVRS, ei8(4), '$eframe', saveRestore(false, '$eframe', true));
def('li', EM | 0xe0, extOf(13), '$rx, $eu16', 'R[$rx] = $eu16;');
def('cmpi', EM | 0xe0, extOf(14), '$rx, $eu16', `R[${T}] = R[$rx] ^ $eu16;`);
def('lb', EM, extOf(16), '$ry, $e16($rx)', 'R[$ry] = ld8s(R[$rx] + $e16);');
def('lh', EM, extOf(17), '$ry, $e16($rx)', 'R[$ry] = ld16s(R[$rx] + $e16);');
def('lw', EM | 0xe0, extOf(18), '$rx, $e16(sp)', 'R[$rx] = ld32(R[29] + $e16);');
def('lw', EM, extOf(19), '$ry, $e16($rx)', 'R[$ry] = ld32(R[$rx] + $e16);');
def('lbu', EM, extOf(20), '$ry, $e16($rx)', 'R[$ry] = ld8u(R[$rx] + $e16);');
def('lhu', EM, extOf(21), '$ry, $e16($rx)', 'R[$ry] = ld16u(R[$rx] + $e16);');
def('lw', EM | 0xe0, extOf(22), '$rx, $e16(pc)', 'R[$rx] = ld32($epcbase + $e16);');
def('sb', EM, extOf(24), '$ry, $e16($rx)', 'st8(R[$rx] + $e16, R[$ry]);');
def('sh', EM, extOf(25), '$ry, $e16($rx)', 'st16(R[$rx] + $e16, R[$ry]);');
def('sw', EM | 0xe0, extOf(26), '$rx, $e16(sp)', 'st32(R[29] + $e16, R[$rx]);');
def('sw', EM, extOf(27), '$ry, $e16($rx)', 'st32(R[$rx] + $e16, R[$ry]);');

// ---- JAL, JALX (32-bit, delay slot) ----
jump('jal', 0xfc000000, 0x18000000, '$j16target', 'R[31] = ($pc + 6) | 1; cpu.next = $j16target;');
jump('jalx', 0xfc000000, 0x1c000000, '$jxtarget', 'R[31] = ($pc + 6) | 1; cpu.next = $jxtarget;');

/** Whether a halfword starts a 32-bit MIPS16 instruction (EXTEND, JAL, JALX). */
export const MIPS16_IS_32BIT = (hw: number): boolean => (hw >>> 11) === 0x1e || (hw >>> 11) === 3;

export const MIPS16_TABLE = new InsnTable('MIPS16', defs, F,
  (w) => ((w >>> 27) === 0x1e ? 32 + ((w >>> 11) & 31) : (w >>> 27) === 3 ? 64 : (w >>> 11) & 31), mipsRegName);
