// The MIPS32r2 instruction table (o32 user mode, FR=0 FPU): the single description from
// which decode, disassembly, interpretation and translation are all derived.
//
// Template environment (see cpu.ts): R = GPRs (32 = HI, 33 = LO) as Int32Array; cpu;
// memory accessors ld8s ld8u ld16s ld16u ld32 st8 st16 st32 (they check permissions and
// alignment); FI/FS/FD = the FPU registers as int32 / float32 / float64 views (FD[n] is the
// even/odd pair 2n, 2n+1); helpers named in MIPS_ENV.
import { InsnDef, InsnFlags, InsnTable, FieldDef, FieldKind, featureScope } from '../table.js';
import { MIPS_FPU, MIPS_R2 } from './models.js';
import { mulhExpr, u32 } from '../arith.js';
import { FP_TRACK, OP_ADD, OP_DIV, OP_MUL, OP_SINGLE, OP_SQRT, ordinaryResultCode } from '../fpround.js';

/** FCSR's Inexact bits: its flag (sticky) and its trap enable. */
const FCSR_INEXACT_FLAG = 1 << 2, FCSR_INEXACT_ENABLE = 1 << 7;
/** FCSR's Cause field (bits 12-17): the last FP instruction's exceptions. */
export const FCSR_CAUSE = 0x3f000;
/**
 * Starts an FP instruction that works out its own exceptions, when they are tracked: Cause
 * is to hold them alone (and lazyCause nothing). Inline: it runs at every FP instruction.
 */
const FP_OP = `if (cpu.fpMode & ${FP_TRACK}) { cpu.fcsr &= ${~FCSR_CAUSE}; lazyCause[0] = 0; }`;

const F: Record<string, FieldDef> = {
  rs: { expr: '(w >>> 21) & 31', kind: 'gpr' },
  rt: { expr: '(w >>> 16) & 31', kind: 'gpr' },
  rd: { expr: '(w >>> 11) & 31', kind: 'gpr' },
  // Shift amounts, bit positions and codes in hex, as objdump shows them.
  sa: { expr: '(w >>> 6) & 31', kind: 'hex' },
  imm: { expr: '(w << 16) >> 16', kind: 'int' },
  uimm: { expr: 'w & 0xffff', kind: 'hex' },
  pc: { expr: 'pc', kind: 'hex' },
  btarget: { expr: '(pc + 4 + (((w << 16) >> 16) << 2)) | 0', kind: 'target' },
  jtarget: { expr: '((pc + 4) & 0xf0000000) | ((w & 0x3ffffff) << 2)', kind: 'target' },
  // JALX: the same target in MIPS16 mode (the ISA mode bit set).
  jxtarget: { expr: '((pc + 4) & 0xf0000000) | ((w & 0x3ffffff) << 2) | 1', kind: 'target' },
  // FPU register numbers: fs/ft/fd at the rd/rt/sa positions, fr (COP1X) at rs.
  fs: { expr: '(w >>> 11) & 31', kind: 'fpr' },
  ft: { expr: '(w >>> 16) & 31', kind: 'fpr' },
  fd: { expr: '(w >>> 6) & 31', kind: 'fpr' },
  fr: { expr: '(w >>> 21) & 31', kind: 'fpr' },
  // Double registers (FR=0: an even/odd pair) as indices into FD.
  ds: { expr: '(w >>> 12) & 15', kind: 'int' },
  dt: { expr: '(w >>> 17) & 15', kind: 'int' },
  dd: { expr: '(w >>> 7) & 15', kind: 'int' },
  dr: { expr: '(w >>> 22) & 15', kind: 'int' },
  cc: { expr: '(w >>> 8) & 7', kind: 'fcc' },
  bcc: { expr: '(w >>> 18) & 7', kind: 'fcc' },
  cond: { expr: 'w & 15', kind: 'int' },
  tcode: { expr: '(w >>> 6) & 0x3ff', kind: 'hex' },
  bcode: { expr: '(w >>> 16) & 0x3ff', kind: 'hex' },
  // The code Linux reads from a break (do_bp): 20 bits from bit 6, halves swapped when the
  // upper one is set (assemblers put a one-part code at bit 16; `break 0,7` is at bit 6).
  kcode: { expr: '((w >>> 6) & 0xfffff) < 0x400 ? (w >>> 6) & 0x3ff : ((w >>> 6) & 0x3ff) << 10 | (w >>> 16) & 0x3ff', kind: 'int' },
  extsize: { expr: '((w >>> 11) & 31) + 1', kind: 'hex' },
  inssize: { expr: '((w >>> 11) & 31) - ((w >>> 6) & 31) + 1', kind: 'hex' },
  hwr: { expr: '(w >>> 11) & 31', kind: 'int' },
  hint: { expr: '(w >>> 16) & 31', kind: 'hex' },
};

const GPR_NAMES = ['zero', 'at', 'v0', 'v1', 'a0', 'a1', 'a2', 'a3', 't0', 't1', 't2', 't3', 't4', 't5', 't6', 't7',
  's0', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 't8', 't9', 'k0', 'k1', 'gp', 'sp', 's8', 'ra'];
export const mipsRegName = (kind: FieldKind, n: number): string =>
  kind === 'gpr' ? `$${GPR_NAMES[n]}` : kind === 'fpr' ? `$f${n}` : `$fcc${n}`;
export const MIPS_GPR_NAMES = GPR_NAMES;

// ---- encoding builders ----
const OP = 0xfc000000, RS = 0x03e00000, RT = 0x001f0000, RD = 0x0000f800, SA = 0x000007c0, FN = 0x3f;
const op = (o: number) => (o << 26) >>> 0;

interface Enc { mask: number; match: number }
const enc = (mask: number, match: number): Enc => ({ mask: mask >>> 0, match: match >>> 0 });
const special = (fn: number, zero = 0) => enc(OP | FN | zero, fn);
const regimm = (rt: number) => enc(OP | RT, op(1) | (rt << 16));
const special2 = (fn: number, zero = 0) => enc(OP | FN | zero, op(0x1c) | fn);
const cop1 = (fmt: number, fn: number, zero = 0) => enc(OP | RS | FN | zero, op(0x11) | (fmt << 21) | fn);
const cop1x = (fn: number, zero = 0) => enc(OP | FN | zero, op(0x13) | fn);

const defs: InsnDef[] = [];
/** What the defs need of the CPU (models.ts): MIPS32r1 with no FPU unless made in a `requiring` block. */
const { tag, requiring } = featureScope();
function def(name: string, e: Enc, asm: string, code: string, flags = InsnFlags.None): void {
  defs.push(tag({ name, mask: e.mask, match: e.match, asm, code, flags }));
}
const B = InsnFlags.Branch, BL = InsnFlags.Branch | InsnFlags.Likely, END = InsnFlags.EndsBlock;

// ---- integer ALU ----
def('nop', enc(0xffffffff, 0), '', '');
def('ssnop', enc(0xffffffff, 0x40), '', '');
def('ehb', enc(0xffffffff, 0xc0), '', '');
def('sll', special(0, RS), '$rd, $rt, $sa', 'R[$rd] = R[$rt] << $sa;');
// ROTR/ROTRV are SRL/SRLV with the R bit (21, or 6) set, which a MIPS32r1 CPU ignores (qemu's
// 4Kc too): SRL/SRLV leave that bit free and the more specific rotates win where they exist.
def('srl', special(2, 0x03c00000), '$rd, $rt, $sa', 'R[$rd] = R[$rt] >>> $sa;');
requiring(MIPS_R2, () => def('rotr', enc(OP | FN | 0x03e00000, 0x00200002), '$rd, $rt, $sa', 'R[$rd] = (R[$rt] >>> $sa) | (R[$rt] << (32 - $sa));'));
def('sra', special(3, RS), '$rd, $rt, $sa', 'R[$rd] = R[$rt] >> $sa;');
def('sllv', special(4, SA), '$rd, $rt, $rs', 'R[$rd] = R[$rt] << (R[$rs] & 31);');
def('srlv', special(6, SA & ~0x40), '$rd, $rt, $rs', 'R[$rd] = R[$rt] >>> (R[$rs] & 31);');
requiring(MIPS_R2, () => def('rotrv', enc(OP | FN | SA, 0x46), '$rd, $rt, $rs', 'R[$rd] = (R[$rt] >>> (R[$rs] & 31)) | (R[$rt] << (32 - (R[$rs] & 31)));'));
def('srav', special(7, SA), '$rd, $rt, $rs', 'R[$rd] = R[$rt] >> (R[$rs] & 31);');
def('movz', special(0xa, SA), '$rd, $rs, $rt', 'if (R[$rt] === 0) R[$rd] = R[$rs];');
def('movn', special(0xb, SA), '$rd, $rs, $rt', 'if (R[$rt] !== 0) R[$rd] = R[$rs];');
requiring(MIPS_FPU, () => def('movf', enc(OP | FN | 0x30000 | SA, 0x01), '$rd, $rs, $bcc', 'if (!fcc($bcc)) R[$rd] = R[$rs];'));
requiring(MIPS_FPU, () => def('movt', enc(OP | FN | 0x30000 | SA, 0x10001), '$rd, $rs, $bcc', 'if (fcc($bcc)) R[$rd] = R[$rs];'));
def('mfhi', special(0x10, RS | RT | SA), '$rd', 'R[$rd] = R[32];');
def('mthi', special(0x11, RT | RD | SA), '$rs', 'R[32] = R[$rs];');
def('mflo', special(0x12, RS | RT | SA), '$rd', 'R[$rd] = R[33];');
def('mtlo', special(0x13, RT | RD | SA), '$rs', 'R[33] = R[$rs];');
def('mult', special(0x18, RD | SA), '$rs, $rt', `R[32] = ${mulhExpr(true, 'R[$rs]', 'R[$rt]')}; R[33] = Math.imul(R[$rs], R[$rt]);`);
def('multu', special(0x19, RD | SA), '$rs, $rt', `R[32] = ${mulhExpr(false, 'R[$rs]', 'R[$rt]')}; R[33] = Math.imul(R[$rs], R[$rt]);`);
// Division by zero leaves HI/LO unpredictable (gcc guards it with a teq trap); keep them unchanged.
def('div', special(0x1a, RD | SA), '$rs, $rt',
  'if (R[$rt] !== 0) { const a = R[$rs], b = R[$rt]; R[33] = (a / b) | 0; R[32] = (a % b) | 0; }');
def('divu', special(0x1b, RD | SA), '$rs, $rt',
  'if (R[$rt] !== 0) { const a = R[$rs] >>> 0, b = R[$rt] >>> 0; R[33] = (a / b) | 0; R[32] = (a % b) | 0; }');
def('add', special(0x20, SA), '$rd, $rs, $rt',
  'const r = R[$rs] + R[$rt]; if ((r | 0) !== r) overflow($pc); R[$rd] = r;');
def('addu', special(0x21, SA), '$rd, $rs, $rt', 'R[$rd] = R[$rs] + R[$rt];');
def('sub', special(0x22, SA), '$rd, $rs, $rt',
  'const r = R[$rs] - R[$rt]; if ((r | 0) !== r) overflow($pc); R[$rd] = r;');
def('subu', special(0x23, SA), '$rd, $rs, $rt', 'R[$rd] = R[$rs] - R[$rt];');
def('and', special(0x24, SA), '$rd, $rs, $rt', 'R[$rd] = R[$rs] & R[$rt];');
def('or', special(0x25, SA), '$rd, $rs, $rt', 'R[$rd] = R[$rs] | R[$rt];');
def('xor', special(0x26, SA), '$rd, $rs, $rt', 'R[$rd] = R[$rs] ^ R[$rt];');
def('nor', special(0x27, SA), '$rd, $rs, $rt', 'R[$rd] = ~(R[$rs] | R[$rt]);');
def('slt', special(0x2a, SA), '$rd, $rs, $rt', 'R[$rd] = R[$rs] < R[$rt] ? 1 : 0;');
def('sltu', special(0x2b, SA), '$rd, $rs, $rt', `R[$rd] = ${u32('R[$rs]')} < ${u32('R[$rt]')} ? 1 : 0;`);
def('addi', enc(OP, op(8)), '$rt, $rs, $imm',
  'const r = R[$rs] + $imm; if ((r | 0) !== r) overflow($pc); R[$rt] = r;');
def('addiu', enc(OP, op(9)), '$rt, $rs, $imm', 'R[$rt] = R[$rs] + $imm;');
def('slti', enc(OP, op(0xa)), '$rt, $rs, $imm', 'R[$rt] = R[$rs] < $imm ? 1 : 0;');
def('sltiu', enc(OP, op(0xb)), '$rt, $rs, $imm', `R[$rt] = ${u32('R[$rs]')} < ${u32('$imm')} ? 1 : 0;`);
def('andi', enc(OP, op(0xc)), '$rt, $rs, $uimm', 'R[$rt] = R[$rs] & $uimm;');
def('ori', enc(OP, op(0xd)), '$rt, $rs, $uimm', 'R[$rt] = R[$rs] | $uimm;');
def('xori', enc(OP, op(0xe)), '$rt, $rs, $uimm', 'R[$rt] = R[$rs] ^ $uimm;');
def('lui', enc(OP | RS, op(0xf)), '$rt, $uimm', 'R[$rt] = $uimm << 16;');

// SPECIAL2 / SPECIAL3
// HI:LO += or -= the 64-bit product, in the template (HI and LO are registers 32 and 33, which
// the translator keeps in locals like the GPRs; a helper would need them in R).
const hiLoAccumulate = (signed: boolean, sign: '+' | '-') =>
  `{ const x = R[$rs], y = R[$rt]; const l = (R[33] >>> 0) ${sign} (Math.imul(x, y) >>> 0); ` +
  `R[32] = R[32] ${sign} ${mulhExpr(signed, 'x', 'y')} ${sign} (${sign === '+' ? 'l > 0xffffffff' : 'l < 0'} ? 1 : 0); R[33] = l; }`;
def('madd', special2(0, RD | SA), '$rs, $rt', hiLoAccumulate(true, '+'));
def('maddu', special2(1, RD | SA), '$rs, $rt', hiLoAccumulate(false, '+'));
def('mul', special2(2, SA), '$rd, $rs, $rt', 'R[$rd] = Math.imul(R[$rs], R[$rt]);');
def('msub', special2(4, RD | SA), '$rs, $rt', hiLoAccumulate(true, '-'));
def('msubu', special2(5, RD | SA), '$rs, $rt', hiLoAccumulate(false, '-'));
def('clz', special2(0x20, SA), '$rd, $rs', 'R[$rd] = Math.clz32(R[$rs]);');
def('clo', special2(0x21, SA), '$rd, $rs', 'R[$rd] = Math.clz32(~R[$rs]);');
// MIPS32r2's SPECIAL3 bit fields and byte/half extends.
requiring(MIPS_R2, () => {
  def('ext', enc(OP | FN, op(0x1f) | 0), '$rt, $rs, $sa, $extsize',
    'R[$rt] = $extsize === 32 ? R[$rs] >>> $sa : (R[$rs] >>> $sa) & ((1 << $extsize) - 1);');
  def('ins', enc(OP | FN, op(0x1f) | 4), '$rt, $rs, $sa, $inssize',
    'if ($inssize > 0) { const m = ($inssize === 32 ? -1 : (1 << $inssize) - 1) << $sa; R[$rt] = (R[$rt] & ~m) | ((R[$rs] << $sa) & m); }');
  def('wsbh', enc(OP | RS | SA | FN, op(0x1f) | (2 << 6) | 0x20), '$rd, $rt',
    'R[$rd] = ((R[$rt] & 0x00ff00ff) << 8) | ((R[$rt] >>> 8) & 0x00ff00ff);');
  def('seb', enc(OP | RS | SA | FN, op(0x1f) | (0x10 << 6) | 0x20), '$rd, $rt', 'R[$rd] = (R[$rt] << 24) >> 24;');
  def('seh', enc(OP | RS | SA | FN, op(0x1f) | (0x18 << 6) | 0x20), '$rd, $rt', 'R[$rd] = (R[$rt] << 16) >> 16;');
});
// RDHWR is MIPS32r2, but Linux emulates `rdhwr $29` (the TLS pointer) on every CPU, as qemu does.
def('rdhwr', enc(OP | RS | SA | FN, op(0x1f) | 0x3b), '$rt, $$hwr', 'R[$rt] = rdhwr($hwr, $pc);');

// ---- loads and stores ----
def('lb', enc(OP, op(0x20)), '$rt, $imm($rs)', 'R[$rt] = ld8s(R[$rs] + $imm);');
def('lh', enc(OP, op(0x21)), '$rt, $imm($rs)', 'R[$rt] = ld16s(R[$rs] + $imm);');
def('lwl', enc(OP, op(0x22)), '$rt, $imm($rs)', 'R[$rt] = lwl(R[$rs] + $imm, R[$rt]);');
def('lw', enc(OP, op(0x23)), '$rt, $imm($rs)', 'R[$rt] = ld32(R[$rs] + $imm);');
def('lbu', enc(OP, op(0x24)), '$rt, $imm($rs)', 'R[$rt] = ld8u(R[$rs] + $imm);');
def('lhu', enc(OP, op(0x25)), '$rt, $imm($rs)', 'R[$rt] = ld16u(R[$rs] + $imm);');
def('lwr', enc(OP, op(0x26)), '$rt, $imm($rs)', 'R[$rt] = lwr(R[$rs] + $imm, R[$rt]);');
def('sb', enc(OP, op(0x28)), '$rt, $imm($rs)', 'st8(R[$rs] + $imm, R[$rt]);');
def('sh', enc(OP, op(0x29)), '$rt, $imm($rs)', 'st16(R[$rs] + $imm, R[$rt]);');
def('swl', enc(OP, op(0x2a)), '$rt, $imm($rs)', 'swl(R[$rs] + $imm, R[$rt]);');
def('sw', enc(OP, op(0x2b)), '$rt, $imm($rs)', 'st32(R[$rs] + $imm, R[$rt]);');
def('swr', enc(OP, op(0x2e)), '$rt, $imm($rs)', 'swr(R[$rs] + $imm, R[$rt]);');
def('cache', enc(OP, op(0x2f)), '$rt, $imm($rs)', '');
// LL remembers the address and the word it loaded; SC stores only if the word still holds
// it, as one compare-and-swap, so it is atomic against guest threads in other Workers. A
// syscall in between (or a signal) clears cpu.llbit. A misaligned SC faults even when it
// would fail, as its address error comes first.
def('ll', enc(OP, op(0x30)), '$rt, $imm($rs)',
  'const a = (R[$rs] + $imm) | 0; const v = ld32linked(a); cpu.lladdr = a; cpu.llvalue = v; cpu.llbit = 1; R[$rt] = v;');
def('sc', enc(OP, op(0x38)), '$rt, $imm($rs)',
  'const a = (R[$rs] + $imm) | 0; if (a & 3) misalignedLinked(a); const ok = cpu.llbit === 1 && cpu.lladdr === a && cas32(a, cpu.llvalue, R[$rt]) === cpu.llvalue; ' +
  'cpu.llbit = 0; R[$rt] = ok ? 1 : 0;');
def('pref', enc(OP, op(0x33)), '$hint, $imm($rs)', '');
def('sync', special(0xf, RS | RT | RD), '', 'fence();');
// SYNCI makes the line's new code visible to instruction fetch: the translations of its page
// are dropped (a store there already drops them, but not one made through another mapping of
// the same memory, a MAP_SHARED file mapped twice, or by another process).
requiring(MIPS_R2, () => def('synci', regimm(0x1f), '$imm($rs)', 'synci(R[$rs] + $imm);'));

// ---- control transfer (delay slot follows in the same block) ----
def('j', enc(OP, op(2)), '$jtarget', 'cpu.next = $jtarget;', B);
def('jal', enc(OP, op(3)), '$jtarget', 'R[31] = $pc + 8; cpu.next = $jtarget;', B);
// JALX calls MIPS16e code (mips16.ts); a jr or jalr to an odd address enters it too.
def('jalx', enc(OP, op(0x1d)), '$jxtarget', 'R[31] = $pc + 8; cpu.next = $jxtarget;', B);
def('jr', enc(OP | FN | RT | RD | 0x7c0, 0x08), '$rs', 'cpu.next = R[$rs];', B);
requiring(MIPS_R2, () => def('jr.hb', enc(OP | FN | RT | RD | 0x7c0, 0x408), '$rs', 'cpu.next = R[$rs];', B));
def('jalr', enc(OP | FN | RT | 0x7c0, 0x09), '$rd, $rs', 'const t = R[$rs]; R[$rd] = $pc + 8; cpu.next = t;', B);
requiring(MIPS_R2, () => def('jalr.hb', enc(OP | FN | RT | 0x7c0, 0x409), '$rd, $rs', 'const t = R[$rs]; R[$rd] = $pc + 8; cpu.next = t;', B));
const branches: [string, Enc, string, string][] = [
  ['beq', enc(OP, op(4)), '$rs, $rt, $btarget', 'R[$rs] === R[$rt]'],
  ['bne', enc(OP, op(5)), '$rs, $rt, $btarget', 'R[$rs] !== R[$rt]'],
  ['blez', enc(OP | RT, op(6)), '$rs, $btarget', 'R[$rs] <= 0'],
  ['bgtz', enc(OP | RT, op(7)), '$rs, $btarget', 'R[$rs] > 0'],
  ['bltz', regimm(0), '$rs, $btarget', 'R[$rs] < 0'],
  ['bgez', regimm(1), '$rs, $btarget', 'R[$rs] >= 0'],
];
for (const [name, e, asm, cond] of branches) {
  def(name, e, asm, `cpu.next = (${cond}) ? $btarget : ($pc + 8) | 0;`, B);
}
const likely: [string, Enc, string, string][] = [
  ['beql', enc(OP, op(0x14)), '$rs, $rt, $btarget', 'R[$rs] === R[$rt]'],
  ['bnel', enc(OP, op(0x15)), '$rs, $rt, $btarget', 'R[$rs] !== R[$rt]'],
  ['blezl', enc(OP | RT, op(0x16)), '$rs, $btarget', 'R[$rs] <= 0'],
  ['bgtzl', enc(OP | RT, op(0x17)), '$rs, $btarget', 'R[$rs] > 0'],
  ['bltzl', regimm(2), '$rs, $btarget', 'R[$rs] < 0'],
  ['bgezl', regimm(3), '$rs, $btarget', 'R[$rs] >= 0'],
];
for (const [name, e, asm, cond] of likely) {
  def(name, e, asm, `if (${cond}) cpu.next = $btarget; else { cpu.next = ($pc + 8) | 0; return 1; }`, BL);
}
// Linking branches write $ra whether or not they are taken; the condition reads rs first.
def('bal', enc(0xffff0000, op(1) | (0x11 << 16)), '$btarget', 'R[31] = $pc + 8; cpu.next = $btarget;', B);
def('bltzal', regimm(0x10), '$rs, $btarget', 'const c = R[$rs] < 0; R[31] = $pc + 8; cpu.next = c ? $btarget : ($pc + 8) | 0;', B);
def('bgezal', regimm(0x11), '$rs, $btarget', 'const c = R[$rs] >= 0; R[31] = $pc + 8; cpu.next = c ? $btarget : ($pc + 8) | 0;', B);
def('bltzall', regimm(0x12), '$rs, $btarget',
  'const c = R[$rs] < 0; R[31] = $pc + 8; if (c) cpu.next = $btarget; else { cpu.next = ($pc + 8) | 0; return 1; }', BL);
def('bgezall', regimm(0x13), '$rs, $btarget',
  'const c = R[$rs] >= 0; R[31] = $pc + 8; if (c) cpu.next = $btarget; else { cpu.next = ($pc + 8) | 0; return 1; }', BL);

// ---- traps, syscall ----
def('syscall', special(0xc), '', 'cpu.next = ($pc + 4) | 0; syscall($pc);', END);
def('break', special(0xd), '$bcode', 'brk($kcode, $pc);', END);
const traps: [string, number, string][] = [
  ['tge', 0x30, 'R[$rs] >= R[$rt]'], ['tgeu', 0x31, '(R[$rs] >>> 0) >= (R[$rt] >>> 0)'],
  ['tlt', 0x32, 'R[$rs] < R[$rt]'], ['tltu', 0x33, '(R[$rs] >>> 0) < (R[$rt] >>> 0)'],
  ['teq', 0x34, 'R[$rs] === R[$rt]'], ['tne', 0x36, 'R[$rs] !== R[$rt]'],
];
for (const [name, fn, cond] of traps) def(name, special(fn), '$rs, $rt, $tcode', `if (${cond}) trap($tcode, $pc);`);
const trapsImm: [string, number, string][] = [
  ['tgei', 8, 'R[$rs] >= $imm'], ['tgeiu', 9, '(R[$rs] >>> 0) >= ($imm >>> 0)'],
  ['tlti', 0xa, 'R[$rs] < $imm'], ['tltiu', 0xb, '(R[$rs] >>> 0) < ($imm >>> 0)'],
  ['teqi', 0xc, 'R[$rs] === $imm'], ['tnei', 0xe, 'R[$rs] !== $imm'],
];
for (const [name, rt, cond] of trapsImm) def(name, regimm(rt), '$rs, $imm', `if (${cond}) trap(0, $pc);`);

// ---- FPU (COP1), FR=0: only on a CPU with an FPU (models.ts) ----
requiring(MIPS_FPU, () => {
  const S = 0x10, D = 0x11, W = 0x14, L = 0x15;
  def('mfc1', cop1(0, 0, 0x7ff), '$rt, $fs', 'R[$rt] = FI[$fs];');
  requiring(MIPS_R2, () => def('mfhc1', cop1(3, 0, 0x7ff), '$rt, $fs', 'R[$rt] = FI[$fs | 1];'));
  def('mtc1', cop1(4, 0, 0x7ff), '$rt, $fs', 'FI[$fs] = R[$rt];');
  requiring(MIPS_R2, () => def('mthc1', cop1(7, 0, 0x7ff), '$rt, $fs', 'FI[$fs | 1] = R[$rt];'));
  def('cfc1', cop1(2, 0, 0x7ff), '$rt, $fs', 'R[$rt] = cfc1($fs);');
  def('ctc1', cop1(6, 0, 0x7ff), '$rt, $fs', 'ctc1($fs, R[$rt]);');
  const bc1 = (nd: number, tf: number) => enc(OP | RS | 0x30000, op(0x11) | (8 << 21) | (nd << 17) | (tf << 16));
  def('bc1f', bc1(0, 0), '$bcc, $btarget', 'cpu.next = !fcc($bcc) ? $btarget : ($pc + 8) | 0;', B);
  def('bc1t', bc1(0, 1), '$bcc, $btarget', 'cpu.next = fcc($bcc) ? $btarget : ($pc + 8) | 0;', B);
  def('bc1fl', bc1(1, 0), '$bcc, $btarget', 'if (!fcc($bcc)) cpu.next = $btarget; else { cpu.next = ($pc + 8) | 0; return 1; }', BL);
  def('bc1tl', bc1(1, 1), '$bcc, $btarget', 'if (fcc($bcc)) cpu.next = $btarget; else { cpu.next = ($pc + 8) | 0; return 1; }', BL);

  def('lwc1', enc(OP, op(0x31)), '$ft, $imm($rs)', 'FI[$ft] = ld32(R[$rs] + $imm);');
  def('swc1', enc(OP, op(0x39)), '$ft, $imm($rs)', 'st32(R[$rs] + $imm, FI[$ft]);');
  def('ldc1', enc(OP, op(0x35)), '$ft, $imm($rs)', 'ld64(R[$rs] + $imm, FI, $ft);');
  def('sdc1', enc(OP, op(0x3d)), '$ft, $imm($rs)', 'st64(R[$rs] + $imm, FI, $ft);');
  def('lwxc1', cop1x(0, RD), '$fd, $rt($rs)', 'FI[$fd] = ld32(R[$rs] + R[$rt]);');
  def('ldxc1', cop1x(1, RD), '$fd, $rt($rs)', 'ld64(R[$rs] + R[$rt], FI, $fd);');
  def('luxc1', cop1x(5, RD), '$fd, $rt($rs)', 'ld64((R[$rs] + R[$rt]) & ~7, FI, $fd);');
  def('swxc1', cop1x(8, SA), '$fs, $rt($rs)', 'st32(R[$rs] + R[$rt], FI[$fs]);');
  def('sdxc1', cop1x(9, SA), '$fs, $rt($rs)', 'st64(R[$rs] + R[$rt], FI, $fs);');
  def('suxc1', cop1x(0xd, SA), '$fs, $rt($rs)', 'st64((R[$rs] + R[$rt]) & ~7, FI, $fs);');
  def('prefx', cop1x(0xf, SA), '$rt($rs)', '');

  // Arithmetic: single results are rounded by fround and NaNs replaced with the MIPS
  // legacy default NaN by setS/setD. Singles live in FS[$fs]; doubles in FD[$ds] (pair).
  for (const fmt of [S, D]) {
    const single = fmt === S;
    const sfx = single ? 's' : 'd';
    const val = (r: 's' | 't' | 'r') => (single ? `FS[$f${r}]` : `FD[$d${r}]`);
    const fs = val('s'), ft = val('t'), fr = val('r');
    // While FCSR asks for round-to-nearest and no flags are tracked (fpMode 0), arithmetic is
    // plain JavaScript, inline: a helper V8 does not inline returns its double boxed as a heap
    // number (1.4 GB of garbage in 100k n-body steps). Otherwise the rounding-mode-aware
    // helpers (fpround.ts: dadd, smul, ...) do it. NaN results become the MIPS default NaN,
    // and a signalling NaN operand (of those named, as register fields) makes them Invalid.
    const sNaN = (ops: string[]) => ops.map((o) => `${single ? 'sNaNs' : 'sNaNd'}(${o})`).join(' || ');
    const set = (v: string, ops: string[]) => `${FP_OP} { const r = ${v}; ` +
      `if (r === r) ${single ? 'FS[$fd]' : 'FD[$dd]'} = r; else { if (${sNaN(ops)}) invalid(); ${single ? 'setS($fd, r)' : 'setD($dd, r)'}; } }`;
    const [rs, rt, rr] = single ? ['$fs', '$ft', '$fr'] : ['$ds', '$dt', '$dr'];
    const fop = (name: string) => `${single ? 's' : 'd'}${name}`;
    const JS_OP: Record<string, string> = { add: '+', sub: '-', mul: '*', div: '/' };
    // Round to nearest with flags tracked (fpMode FP_TRACK, as after strtod) is inline too:
    // near() raises Inexact and says whether the plain result is the IEEE one (fpround.ts).
    const OPS: Record<string, number> = { add: OP_ADD, sub: OP_ADD, mul: OP_MUL, div: OP_DIV, sqrt: OP_SQRT };
    const opOf = (name: string) => OPS[name] | (single ? OP_SINGLE : 0);
    const rounded = (v: string) => (single ? `Math.fround(${v})` : v);
    const fp = (name: string, x: string, y?: string) => {
      const plain = rounded(y === undefined ? `Math.${name}(${x})` : `(${x}) ${JS_OP[name]} (${y})`);
      const nearArgs = y === undefined ? `${x}, 0` : name === 'sub' ? `${x}, -(${y})` : `${x}, ${y}`;
      return `(cpu.fpMode === 0 || (cpu.fpMode === ${FP_TRACK} && near(${opOf(name)}, ${nearArgs})) ? ${plain} : ${fop(name)}(${y === undefined ? x : `${x}, ${y}`}))`;
    };
    // The one-operation instructions go further once FCSR's Inexact flag is set (and its trap
    // is not enabled): an ordinary result (fpround.ts) then raises nothing new, and only
    // Cause, which holds the last instruction's exceptions, could say Inexact. That one check
    // is left to whoever reads FCSR: lazyCause keeps the operation (MipsCpu.settleCause).
    const arith = (name: string) => {
      const op = opOf(name), unary = name === 'sqrt';
      const b = name === 'sub' ? '-b' : 'b';
      const plain = rounded(unary ? 'Math.sqrt(a)' : `a ${JS_OP[name]} b`);
      const dest = single ? 'FS[$fd]' : 'FD[$dd]';
      return `{ const a = ${fs}, b = ${unary ? '0' : ft}; let r = ${plain}; const m = cpu.fpMode; if (m !== 0) { ` +
        `if (m === ${FP_TRACK} && (cpu.fcsr & ${FCSR_INEXACT_FLAG | FCSR_INEXACT_ENABLE}) === ${FCSR_INEXACT_FLAG} && ${ordinaryResultCode(op, 'r')}) ` +
        `{ lazyCause[0] = ${op}; lazyCause[1] = a; lazyCause[2] = ${b}; } ` +
        `else r = fpGeneral(${op}, a, ${b}); } ` +
        `if (r === r) ${dest} = r; else { if (${sNaN(unary ? [rs] : [rs, rt])}) invalid(); ${single ? 'setS($fd, r)' : 'setD($dd, r)'}; } }`;
    };
    const asm3 = '$fd, $fs, $ft', asm2 = '$fd, $fs';
    def(`add.${sfx}`, cop1(fmt, 0), asm3, arith('add'));
    def(`sub.${sfx}`, cop1(fmt, 1), asm3, arith('sub'));
    def(`mul.${sfx}`, cop1(fmt, 2), asm3, arith('mul'));
    def(`div.${sfx}`, cop1(fmt, 3), asm3, arith('div'));
    def(`sqrt.${sfx}`, cop1(fmt, 4, RT), asm2, arith('sqrt'));
    def(`recip.${sfx}`, cop1(fmt, 0x15, RT), asm2, set(fp('div', '1', fs), [rs]));
    def(`rsqrt.${sfx}`, cop1(fmt, 0x16, RT), asm2, set(fp('div', '1', fp('sqrt', fs)), [rs]));
    // mov/abs/neg work on the bit pattern (the sign bit is in the high word), NaNs included.
    const mov = single ? 'FI[$fd] = FI[$fs];' : 'FI[$fd] = FI[$fs]; FI[$fd + 1] = FI[$fs + 1];';
    const hi = single ? 'FI[$fd]' : 'FI[$fd + 1]';
    def(`mov.${sfx}`, cop1(fmt, 6, RT), asm2, mov);
    def(`abs.${sfx}`, cop1(fmt, 5, RT), asm2, `${mov} ${hi} &= 0x7fffffff;`);
    def(`neg.${sfx}`, cop1(fmt, 7, RT), asm2, `${mov} ${hi} ^= 0x80000000;`);
    const movIf = (c: string) => `if (${c}) { ${mov} }`;
    def(`movf.${sfx}`, enc(OP | RS | 0x30000 | FN, op(0x11) | (fmt << 21) | 0x11), '$fd, $fs, $bcc', movIf('!fcc($bcc)'));
    def(`movt.${sfx}`, enc(OP | RS | 0x30000 | FN, op(0x11) | (fmt << 21) | 0x10011), '$fd, $fs, $bcc', movIf('fcc($bcc)'));
    def(`movz.${sfx}`, cop1(fmt, 0x12), '$fd, $fs, $rt', movIf('R[$rt] === 0'));
    def(`movn.${sfx}`, cop1(fmt, 0x13), '$fd, $fs, $rt', movIf('R[$rt] !== 0'));
    // Conversions to integers: mode 0 nearest-even, 1 toward zero, 2 up, 3 down, -1 FCSR's mode.
    const modes: [string, number][] = [['round', 0], ['trunc', 1], ['ceil', 2], ['floor', 3]];
    for (const [m, mode] of modes) {
      def(`${m}.l.${sfx}`, cop1(fmt, 8 + mode, RT), asm2, `setL($fd, ${fs}, ${mode});`);
      def(`${m}.w.${sfx}`, cop1(fmt, 0xc + mode, RT), asm2, `FI[$fd] = toW(${fs}, ${mode});`);
    }
    def(`cvt.w.${sfx}`, cop1(fmt, 0x24, RT), asm2, `FI[$fd] = toW(${fs}, -1);`);
    def(`cvt.l.${sfx}`, cop1(fmt, 0x25, RT), asm2, `setL($fd, ${fs}, -1);`);
    if (single) def('cvt.d.s', cop1(S, 0x21, RT), asm2, `${FP_OP} if (sNaNs($fs)) invalid(); setD($dd, FS[$fs]);`);
    else def('cvt.s.d', cop1(D, 0x20, RT), asm2, `${FP_OP} if (sNaNd($ds)) invalid(); setS($fd, tosingle(FD[$ds]));`);
    // A compare is an arithmetic instruction for FCSR: its Cause is its own (Invalid, or nothing), as under qemu-user.
    // Invalid: a NaN operand for the signalling conditions (8-15), a signalling NaN for all.
    def(`c.cond.${sfx}`, enc(OP | RS | 0xf0, op(0x11) | (fmt << 21) | 0x30), '$cond, $cc, $fs, $ft',
      // Inline: passing doubles to a helper V8 does not inline boxes them.
      `${FP_OP} { const a = ${fs}, b = ${ft}; setFcc($cc, (($cond & 1) !== 0 && (a !== a || b !== b)) || (($cond & 2) !== 0 && a === b) || (($cond & 4) !== 0 && a < b)); ` +
      `if ((a !== a || b !== b) && (($cond & 8) !== 0 || ${sNaN([rs, rt])})) invalid(); }`);
    // COP1X multiply-adds round twice on MIPS32r2 (they are not fused).
    const cx = single ? 0 : 1;
    const asm4 = '$fd, $fr, $fs, $ft';
    const prod = fp('mul', fs, ft);
    const ops4 = [rs, rt, rr];
    def(`madd.${sfx}`, cop1x(0x20 | cx), asm4, set(fp('add', prod, fr), ops4));
    def(`msub.${sfx}`, cop1x(0x28 | cx), asm4, set(fp('sub', prod, fr), ops4));
    // The negated forms flip the sign of the rounded result, a NaN's too (the default NaN
    // comes out negative, as under qemu-user).
    const negated = (v: string) => `${set(v, ops4)} ${single ? 'FI[$fd]' : 'FI[2 * $dd + 1]'} ^= 0x80000000;`;
    def(`nmadd.${sfx}`, cop1x(0x30 | cx), asm4, negated(fp('add', prod, fr)));
    def(`nmsub.${sfx}`, cop1x(0x38 | cx), asm4, negated(fp('sub', prod, fr)));
  }
  // (An integer converts to a double exactly, never to a NaN.)
  def('cvt.s.w', cop1(W, 0x20, RT), '$fd, $fs', `${FP_OP} setS($fd, tosingle(FI[$fs]));`);
  def('cvt.d.w', cop1(W, 0x21, RT), '$fd, $fs', `${FP_OP} FD[$dd] = FI[$fs];`);
  def('cvt.s.l', cop1(L, 0x20, RT), '$fd, $fs', `${FP_OP} setS($fd, tosingle(getL($fs)));`);
  def('cvt.d.l', cop1(L, 0x21, RT), '$fd, $fs', `${FP_OP} setD($dd, getL($fs));`);
});

export const MIPS_TABLE = new InsnTable('MIPS', defs, F, (w) => (w >>> 26) & 0x3f, mipsRegName);
