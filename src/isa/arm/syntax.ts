// ARM instructions as objdump -d writes them. The tables' operand text is generic: it shows a
// load's addressing-mode bits as they sit in the word ("[r3, #4] (101)"), register lists as
// masks ("{0x4008}"), every shift ("r2, lsl #0") and immediates in hex. This turns it into
// what a reader sees in GNU objdump's listing of the same code: "[r3, #-4]!", "push {r3, lr}",
// "r2", "#284", "lsl r8, r8, #2", conditions as suffixes (addne) and IT's then/else letters.
import { ARM_GPR_NAMES, COND_NAMES, itConditions } from './common.js';

/** A register list mask as objdump writes it: {r3, lr}. */
const registerList = (mask: number): string => `{${ARM_GPR_NAMES.filter((_, k) => (mask >>> k) & 1).join(', ')}}`;

/** Barrier options (dmb, dsb, isb) by their 4-bit field. */
const BARRIER_OPTIONS: Record<number, string> = { 15: 'sy', 14: 'st', 11: 'ish', 10: 'ishst', 7: 'nsh', 6: 'nshst', 3: 'osh', 2: 'oshst' };

/** A shifted register operand without the shifts objdump leaves out (lsl #0) and with the ones #0 encodes (lsr #32, rrx). */
const shifted = (op: string): string =>
  op.replace(/, lsl #0$/, '').replace(/, (lsr|asr) #0$/, ', $1 #32').replace(/, ror #0$/, ', rrx');

/**
 * An instruction as objdump writes it, from the table's disassembly `text` of word `w`
 * (A32 when `a32`, else Thumb; `itCond`: the condition an IT block gives a Thumb one).
 */
export function armSyntax(text: string, w: number, a32: boolean, itCond?: number): string {
  if (!a32 && text.startsWith('it ')) {
    const conds = itConditions(w);
    return 'it' + conds.slice(1).map((c) => (c === conds[0] ? 't' : 'e')).join('') + ' ' + (COND_NAMES[conds[0]] || 'al');
  }
  const sp = text.indexOf(' ');
  let name = sp < 0 ? text : text.slice(0, sp);
  let ops = sp < 0 ? '' : text.slice(sp + 1);
  [name, ops] = objdumpOperands(name, ops, w, a32);
  // Thumb widths as objdump marks them: b.n for a 16-bit branch, .w on a 32-bit encoding of
  // an instruction that also has a 16-bit one (ldr.w, add.w, beq.w).
  if (!a32 && !name.includes('.')) {
    const wide = w >>> 0 > 0x1ffff;
    if (!wide && BRANCH.test(name)) name += '.n';
    else if (wide && (THUMB_16[name] || BRANCH.test(name))) name += '.w';
  }
  // (An IT block's condition may be AL, which objdump writes too: addal.)
  const cond = a32 ? w >>> 28 : itCond ?? 14;
  if (cond < 14 || (!a32 && itCond !== undefined)) {
    // Inside an IT block a 16-bit data-processing instruction leaves the flags alone (movs is mov).
    if (!a32 && w >>> 0 <= 0x1ffff && FLAG_SETTING_16.test(name)) name = name.slice(0, -1);
    // The condition goes before a width suffix: addeq.w.
    const suffix = COND_NAMES[cond] || 'al', dot = name.indexOf('.');
    name = dot < 0 ? name + suffix : name.slice(0, dot) + suffix + name.slice(dot);
  }
  return ops ? `${name} ${withValueComment(ops, !a32 && w >>> 0 > 0x1ffff ? name : null)}` : name;
}

/** objdump's comment on a decimal immediate or offset beyond -16..32: its value in hex
 * (add ip, ip, #974848 @ 0xee000; ldr r3, [fp, #-20] @ 0xffffffec; a rotated #88, 20 is
 * 0x58000); shift amounts have none, nor a 32-bit Thumb load's or store's negative offset
 * (but ldrd's and strd's, whose comment is its magnitude). `thumb32`: the instruction's name when it is one. */
function withValueComment(ops: string, thumb32: string | null = null): string {
  if (ops.includes('\t@')) return ops;
  let value: number | null = null;
  for (const m of ops.matchAll(/(lsl |lsr |asr |ror |)#(-?\d+)(?![\d.])(?:, (\d+)$)?/g)) {
    value = m[1] ? null : Number(m[2]);
    if (value !== null && m[3]) value = ((value >>> Number(m[3])) | (value << (32 - Number(m[3])))) >>> 0;
  }
  if (value !== null && value < 0 && thumb32 !== null) value = /^(ldr|str)d/.test(thumb32) ? -value : null;
  return value !== null && (value > 32 || value < -16) ? `${ops}\t@ 0x${(value >>> 0).toString(16)}` : ops;
}

/** b and its conditional forms (beq...), which Thumb encodes in 16 bits too. */
const BRANCH = new RegExp(`^b(${COND_NAMES.filter((c) => c !== '').join('|')})?$`);

/** The instructions Thumb also encodes in 16 bits (as objdump names them; s forms and the forms inside IT blocks). */
const THUMB_16: Record<string, true> = Object.fromEntries(
  ['adc', 'add', 'and', 'asr', 'bic', 'cmn', 'cmp', 'eor', 'lsl', 'lsr', 'mov', 'mul', 'mvn', 'orr', 'ror', 'sbc', 'sub', 'tst', 'neg']
    .flatMap((n) => [n, `${n}s`])
    .concat(['ldmia', 'stmia', 'ldr', 'ldrb', 'ldrh', 'ldrsb', 'ldrsh', 'str', 'strb', 'strh', 'push', 'pop', 'rev', 'rev16', 'revsh',
      'sxtb', 'sxth', 'uxtb', 'uxth', 'nop', 'yield', 'wfe', 'wfi', 'sev'])
    .map((n) => [n, true]),
);

/** The 16-bit Thumb data-processing instructions that set the flags outside an IT block. */
const FLAG_SETTING_16 = /^(mov|add|sub|lsl|lsr|asr|ror|and|eor|orr|bic|mvn|adc|sbc|rsb|neg|mul)s$/;

function objdumpOperands(name: string, ops: string, w: number, a32: boolean): [string, string] {
  if (name.startsWith('v')) return vfpOperands(name, ops, w);
  ops = ops.replace(/\{0x([0-9a-f]+)\}/, (_, mask: string) => registerList(parseInt(mask, 16)));
  // A literal's address is objdump's comment: ldr r3, [pc, #24] @ (10488).
  ops = ops.replace(/ ; 0x([0-9a-f]+)$/, '\t@ ($1)');
  // Block transfers: A32 "sp (011), {...}" (P, U, W), Thumb "sp (wb 1), {...}".
  let m = /^(\w+) \(([01])([01])([01])\), (\{.*\})$/.exec(ops);
  if (m && (name === 'ldm' || name === 'stm')) {
    const [, rn, p, u, wb, list] = m;
    const mode = p === '0' ? (u === '1' ? '' : 'da') : u === '1' ? 'ib' : 'db';
    if (rn === 'sp' && wb === '1' && ((name === 'ldm' && mode === '') || (name === 'stm' && mode === 'db'))) {
      // (One register is LDR/STR's to push or pop: an LDM/STM of one is written as such.)
      if (a32 && !list.includes(',') && !list.includes('-')) return [name === 'ldm' ? 'ldmfd' : 'stmfd', `sp!, ${list}`];
      return [name === 'ldm' ? 'pop' : 'push', list];
    }
    // (objdump spells an incrementing store with write-back stmia, and the load ldm.)
    return [name + (mode === '' && name === 'stm' && wb === '1' ? 'ia' : mode), `${rn}${wb === '1' ? '!' : ''}, ${list}`];
  }
  m = /^(\w+) \(wb ([01])\), (\{.*\})$/.exec(ops) ?? /^(\w+), (\{.*\}) \(wb ([01])\)$/.exec(ops);
  if (m) {
    const [rn, wb, list] = m[2].startsWith('{') ? [m[1], m[3], m[2]] : [m[1], m[2], m[3]];
    return [name === 'ldm' || name === 'stm' ? `${name}ia` : name, `${rn}${wb === '1' ? '!' : ''}, ${list}`];
  }
  if (!a32 && name === 'stm') name = 'stmia';
  // Single loads and stores: "[rn, offset] (PUW)" or, post-indexed, "[rn], offset (PUW)".
  m = /^(.*?)\[(\w+)(?:, (.+?))?\](?:, (.+?))? \(([01])([01])([01])\)$/.exec(ops);
  if (m) {
    const [, regs, rn, inner, post, p, u, wb] = m;
    const off = inner ?? post ?? '#0';
    const negative = u === '0';
    const offset = off.startsWith('#')
      ? (off === '#0' && !negative && p === '1' && wb === '0' ? '' : `#${negative ? '-' : ''}${off.slice(1)}`)
      : `${negative ? '-' : ''}${shifted(off)}`;
    if (a32 && rn === 'sp' && off === '#4' && /^\w+, $/.test(regs)) {
      // A single-register push or pop.
      const reg = regs.slice(0, -2);
      // (objdump's comment says which instruction it is.)
      const cond = a32 ? COND_NAMES[w >>> 28] ?? '' : '';
      if (name === 'str' && p === '1' && negative && wb === '1') return ['push', `{${reg}}\t\t@ (str${cond} ${reg}, [sp, #-4]!)`];
      if (name === 'ldr' && p === '0' && !negative && wb === '0') return ['pop', `{${reg}}\t\t@ (ldr${cond} ${reg}, [sp], #4)`];
    }
    if (p === '1') return [name, `${regs}[${rn}${offset ? `, ${offset}` : ''}]${wb === '1' ? '!' : ''}`];
    // Post-indexed with W set is the unprivileged form (ldrt, strbt) in ARM state.
    return [a32 && wb === '1' ? `${name}t` : name, `${regs}[${rn}], ${offset || '#0'}`];
  }
  // A Thumb-2 literal load or preload: objdump gives the offset from the PC (the address goes in a comment).
  m = /^(?:(\w+), )?0x([0-9a-f]+)$/.exec(ops);
  if (!a32 && m && /^(ldr|pld|pli)/.test(name) && (w >>> 16) > 0xe800) {
    return [name, `${m[1] ? `${m[1]}, ` : ''}[pc, #${(w >>> 23) & 1 ? '' : '-'}${w & 0xfff}]\t@ ${m[2]}`];
  }
  m = /^(\w+, \w+), 0x[0-9a-f]+$/.exec(ops);
  if (!a32 && m && name === 'ldrd') return [name, `${m[1]}, [pc, #${(w >>> 23) & 1 ? '' : '-'}${(w & 0xff) * 4}]`];
  // Thumb's adr is objdump's add from the PC, or its addw or subw in 32 bits.
  m = /^(\w+), 0x([0-9a-f]+)$/.exec(ops);
  if (!a32 && m && name === 'adr') {
    if (w >>> 0 <= 0x1ffff) return ['add', `${m[1]}, pc, #${(w & 0xff) << 2}\t@ (adr ${m[1]}, ${m[2]})`];
    const imm = (((w >>> 26) & 1) << 11) | (((w >>> 12) & 7) << 8) | (w & 0xff);
    return [(w >>> 23) & 1 ? 'subw' : 'addw', `${m[1]}, pc, #${imm}\t@ 0x${imm.toString(16)}`];
  }
  if (name === 'nop' || name === 'nop.w') return hint(name, w, a32);
  // The status register as objdump names it, with MSR's fields (f, s, x, c).
  if (name === 'mrs') return [name, ops.replace(/apsr$/, 'CPSR')];
  if (name === 'msr') {
    const mask = a32 ? (w >>> 16) & 15 : (w >>> 8) & 15;
    const fields = `${mask & 8 ? 'f' : ''}${mask & 4 ? 's' : ''}${mask & 2 ? 'x' : ''}${mask & 1 ? 'c' : ''}`;
    ops = ops.replace(/^apsr/, `CPSR_${fields}`);
  }
  name = specificName(name, w, a32);
  // A 16-bit muls has two operands (rdm, rn).
  if (!a32 && name === 'muls' && w >>> 0 <= 0x1ffff) ops = ops.replace(/, \w+$/, '');
  if (name === 'bkpt') return [name, `0x${(a32 ? ((w >>> 4) & 0xfff0) | (w & 15) : w & 0xff).toString(16).padStart(4, '0')}`];
  // Thumb's mov r8, r8 is the old nop.
  if (!a32 && w >>> 0 === 0x46c0) return ['nop', '\t\t@ (mov r8, r8)'];
  if (name === 'svc') return [name, a32 ? `0x${(w & 0xffffff).toString(16).padStart(8, '0')}` : withValueComment(`#${w & 0xff}`).slice(1)];
  if (name === 'dmb' || name === 'dsb' || name === 'isb') return [name, BARRIER_OPTIONS[w & 15] ?? `#${w & 15}`];
  m = /^(\w+), tpidruro$/.exec(ops);
  if (m) return [name, `15, 0, ${m[1]}, cr13, cr0, {3}`];
  m = /^p15, 0, (\w+), c7, c(\d+), (\d+)$/.exec(ops);
  if (m) return [name, `15, 0, ${m[1]}, cr7, cr${m[2]}, {${m[3]}}`];
  // An extend's rotation of 0 is none (ror #0 is rrx elsewhere).
  if (/^[su]xt/.test(name)) ops = ops.replace(/, ror #0$/, '');
  ops = shifted(ops).replace(/, lsl #0\]/, ']');
  // A 32-bit Thumb load or store at offset 0 shows none (a 16-bit one shows #0).
  if (!a32 && w >>> 0 > 0x1ffff) ops = ops.replace(/, #0\]$/, ']');
  if (a32 && w >>> 0 === 0xe1a00000) return ['nop', '\t\t@ (mov r0, r0)'];
  // The multiplies' S bit is not in their table names.
  if (a32 && (w >>> 20) & 1 && /^(mul|mla|[su]mull|[su]mlal)$/.test(name)) name += 's';
  if (/^negs?$/.test(name)) ops = ops.replace(/, #0$/, '');
  // A 16-bit lsl by 0 is the flag-setting move.
  if (!a32 && name === 'lsls' && w >>> 0 <= 0x1ffff) {
    m = /^(\w+), (\w+), #0$/.exec(ops);
    if (m) return ['movs', `${m[1]}, ${m[2]}`];
  }
  // An ARM-state immediate that a smaller rotation could also encode is written with its
  // rotation (add ip, pc, #0, 12), as objdump does.
  if (a32 && ((w >>> 25) & 7) === 1 && !/^mov[wt]$/.test(name) && /#0x[0-9a-f]+$/.test(ops)) {
    const rotate = (w >>> 7) & 30, imm8 = w & 0xff;
    const value = ((imm8 >>> rotate) | (imm8 << (32 - rotate))) >>> 0;
    let i = 0;
    while (i < 32 && ((value << i) | (value >>> ((32 - i) & 31))) >>> 0 > 0xff) i += 2;
    if (i !== rotate) return [name, ops.replace(/#0x[0-9a-f]+$/, `#${imm8}, ${rotate}`)];
  }
  if (a32) {
    // A move with a shift is the shift itself to objdump: lsl r8, r8, #2; rrx r0, r1.
    m = /^(mov)(s?) (\w+), (\w+), (lsl|lsr|asr|ror) (#\d+|\w+)$/.exec(`${name} ${ops}`);
    if (m) return [`${m[5]}${m[2]}`, `${m[3]}, ${m[4]}, ${m[6]}`];
    m = /^(mov)(s?) (\w+), (\w+), rrx$/.exec(`${name} ${ops}`);
    if (m) return [`rrx${m[2]}`, `${m[3]}, ${m[4]}`];
  }
  // ssat's width is one more than its field; ARM state's shift of the operand (lsl #0 is none).
  if (name === 'ssat' || name === 'ssat16') ops = ops.replace(/#(\d+)/, (_, n: string) => `#${Number(n) + 1}`);
  if (a32 && (name === 'ssat' || name === 'usat')) {
    const sh = (w >>> 7) & 31;
    if ((w >>> 6) & 1) ops += `, asr #${sh || 32}`;
    else if (sh) ops += `, lsl #${sh}`;
  }
  // A 16-bit lsr or asr by 0 is by 32.
  if (!a32 && w >>> 0 <= 0x1ffff && /^(lsr|asr)s?$/.test(name)) ops = ops.replace(/, #0$/, ', #32');
  // Immediates in decimal: signed in ARM state, unsigned in Thumb, as objdump has them
  // (VFP's and NEON's are left as they are).
  if (!name.startsWith('v')) ops = ops.replace(/#0x([0-9a-f]+)/g, (_, h: string) => `#${a32 ? parseInt(h, 16) | 0 : parseInt(h, 16)}`);
  return [name, ops];
}

/**
 * A NEON structure's D registers as objdump writes them: a range when they follow each other
 * ({d0-d3}, {d0[]-d1[]}), else each one ({d0,d2}); a lane's list is always written out
 * ({d0[1],d1[1]}).
 */
function structureList(first: number, count: number, stride: number, suffix: string, each = false): string {
  if (count === 1) return `{d${first}${suffix}}`;
  if (stride === 1 && !each) return `{d${first}${suffix}-d${first + count - 1}${suffix}}`;
  return `{${Array.from({ length: count }, (_, i) => `d${first + i * stride}${suffix}`).join(',')}}`;
}

/**
 * The alignment (in bits) a structure access asks for, 0 for none: bits 5:4 of a multiple
 * one, index_align (bits 7:4) of one lane, the a bit (4) of an all-lanes load, read with the
 * element size (bits 11:10, or 7:6 for all lanes) and n.
 */
function structureAlignment(w: number, n: number, form: 'multiple' | 'one' | 'all'): number {
  if (form === 'multiple') {
    const align = (w >>> 4) & 3;
    return align ? 64 << (align - 1) : 0;
  }
  if (n === 3) return 0;
  if (form === 'all') {
    if (((w >>> 4) & 1) === 0) return 0;
    const size = (w >>> 6) & 3;
    return n === 4 ? [32, 64, 64, 128][size] : (8 * n) << size;
  }
  const size = (w >>> 10) & 3, ia = (w >>> 4) & 15;
  if (n === 1) return size === 1 && ia & 1 ? 16 : size === 2 && (ia & 3) === 3 ? 32 : 0;
  if (n === 2) return ia & 1 ? 16 << size : 0;
  if (size < 2) return ia & 1 ? 32 << size : 0;
  return (ia & 3) === 1 ? 64 : (ia & 3) === 2 ? 128 : 0;
}

/** The single-precision number whose bits are `bits`. */
const float32Of = (bits: number): number => new Float32Array(new Uint32Array([bits]).buffer)[0];

/** The hints nop's encodings hold, by number. */
const HINTS = ['nop', 'yield', 'wfe', 'wfi', 'sev', 'sevl'];

/**
 * A name the tables keep generic, as its bits make it specific: the halves of smla<x><y>
 * (smlabt) and the exchange and rounding bits (smladx, smmlar).
 */
function specificName(name: string, w: number, a32: boolean): string {
  // x is bit 5 in both states; y, X and R are bit 6, 5 and 5 in ARM state, bit 4 in Thumb.
  const x = (w >>> 5) & 1, y = (w >>> (a32 ? 6 : 4)) & 1, xr = (w >>> (a32 ? 5 : 4)) & 1;
  if (name.includes('<')) return name.replace('<x>', x ? 't' : 'b').replace('<y>', y ? 't' : 'b');
  if (/^(smuad|smlad|smusd|smlsd|smlald|smlsld)$/.test(name)) return xr ? `${name}x` : name;
  if (/^smm(ul|la|ls)$/.test(name)) return xr ? `${name}r` : name;
  return name;
}

/** The hint a nop encoding is (yield, wfe, wfi, sev), or nop {n} for one without a name. */
function hint(name: string, w: number, a32: boolean): [string, string] {
  const wide = name === 'nop.w' ? '.w' : '';
  const n = a32 || wide ? w & 0xff : (w >>> 4) & 15;
  // (ARM state's hint 0 is nop {0}: a plain nop there is mov r0, r0.)
  if (a32 && n === 0) return ['nop', '{0}'];
  return n < HINTS.length ? [HINTS[n] + wide, ''] : [`nop${wide}`, `{${n}}`];
}

/** A register range as objdump writes it: {d8}, {d8-d15}. */
const registerRange = (kind: string, first: number, count: number): string =>
  count <= 1 ? `{${kind}${first}}` : `{${kind}${first}-${kind}${first + count - 1}}`;

/** VFP and NEON operands: compare-with-exception and half-precision letters, multiple-register lists, post-index forms. */
function vfpOperands(name: string, ops: string, w: number): [string, string] {
  // vcmp<e>.f64 d0, d1 (1) is vcmpe; vcvt<bt>... (1) is vcvtt: the letter comes from the field in brackets.
  let m = /^(.*)<(e|bt)>(.*)$/.exec(name);
  if (m) {
    const bit = /\((\d)\)$/.exec(ops)?.[1] ?? '0';
    name = m[1] + (m[2] === 'e' ? (bit === '1' ? 'e' : '') : bit === '1' ? 't' : 'b') + m[3];
  }
  ops = ops.replace(/ \(\d+\)$/, '');
  // An offset of 0 is none, but a subtracted one is #-0.
  ops = ops.replace(/, #0\]$/, /^v(ldr|str)/.test(name) && ((w >>> 23) & 1) === 0 ? ', #-0]' : ']');
  // Two consecutive single-precision registers (vmov r0, r1, s0, s1).
  ops = ops.replace(/s(\d+)\+1/, (_, n: string) => `s${Number(n) + 1}`);
  // A fixed-point conversion's size is 16 or 32 bits (sx, bit 7).
  name = name.replace('<16|32>', (w >>> 7) & 1 ? '32' : '16');
  // A shift left long by 0 is a lengthening move; a compare with zero shows the zero.
  if (/^vshll\./.test(name) && ops.endsWith(', #0')) return [`vmovl${name.slice(5)}`, ops.slice(0, -4)];
  if (/^vc(eq|ge|gt|le|lt)\./.test(name) && ops.split(', ').length === 2) ops += ', #0';
  // A compare with zero compares with the float 0.0.
  if (name.startsWith('vcmp')) ops = ops.replace(/, #0$/, ', #0.0');
  // A floating-point constant: objdump gives its 8-bit encoding, and the value in a comment.
  m = /^(vmov\.f(32|64)) ([sd]\d+), #0x([0-9a-f]+)$/.exec(`${name} ${ops}`);
  if (m) {
    const bits = parseInt(m[4], 16);
    const value = m[2] === '32' ? float32Of(bits) : new Float64Array(new Uint32Array([0, bits]).buffer)[0];
    // The comment: the value's single-precision bits, then the value with 1, 3 or 7 decimals
    // (the fewest that are exact), a space where a minus sign would be.
    const single = new Uint32Array(new Float32Array([value]).buffer)[0];
    const magnitude = Math.abs(value), digits = [1, 3, 7].find((p) => Number(magnitude.toFixed(p)) === magnitude) ?? 7;
    return [name, `${m[3]}, #${((w >>> 12) & 0xf0) | (w & 15)}\t@ 0x${single.toString(16).padStart(8, '0')} ${value < 0 ? '-' : ' '}${magnitude.toFixed(digits)}`];
  }
  // A NEON modified immediate (the table shows the expanded doubleword, hi:lo): objdump gives
  // one element's value, and it in hex in a comment; a 64-bit one in hex.
  m = /^v(mov|mvn|orr|bic)\.i(8|16|32|64)$/.test(name) ? /^(\w+), #0x([0-9a-f]+):0x([0-9a-f]+)$/.exec(ops) : null;
  if (m) {
    const bits = Number(name.slice(name.indexOf('.i') + 2)), hi = parseInt(m[2], 16), lo = parseInt(m[3], 16);
    if (bits === 64) return [name, `${m[1]}, #0x${hi.toString(16).padStart(8, '0')}${lo.toString(16).padStart(8, '0')}`];
    const v = bits === 32 ? lo >>> 0 : lo & ((1 << bits) - 1);
    // (A 32-bit one is signed.)
    return [name, `${m[1]}, #${bits === 32 ? v | 0 : v}\t@ 0x${v.toString(16).padStart(bits / 4, '0')}`];
  }
  // NEON's floating-point immediate: the value, its bits in a comment.
  m = name === 'vmov.f32' ? /^(\w+), #0x([0-9a-f]+):0x([0-9a-f]+)$/.exec(ops) : null;
  if (m) {
    const bits = parseInt(m[3], 16);
    return [name, `${m[1]}, #${Number(float32Of(bits).toPrecision(7))}\t@ 0x${bits.toString(16).padStart(8, '0')}`];
  }
  // vldm/vstm: "rn(W), {d8+}, words 4"; vpush and vpop are the stack's.
  m = /^(\w+)(\(([01])\)|!), \{([sd])(\d+)\+\}, words (\d+)$/.exec(ops);
  if (m) {
    const [, rn, , wbBit, kind, first, words] = m;
    const count = kind === 'd' ? Number(words) >> 1 : Number(words);
    const list = registerRange(kind, Number(first), count);
    const wb = wbBit === undefined || wbBit === '1';
    if (rn === 'sp' && wb && (name === 'vldmia' || name === 'vstmdb')) return [name === 'vldmia' ? 'vpop' : 'vpush', list];
    return [name, `${rn}${wb ? '!' : ''}, ${list}`];
  }
  // A shift left by an immediate is signed to objdump (vshl.s32 q0, q1, #3).
  if (/^vshl\.i\d+$/.test(name) && /#\d+$/.test(ops)) name = `vshl.s${name.slice(6)}`;
  // Element and structure loads and stores: their element size (bits 7:6, or 11:10 for one lane).
  if (/^v(ld|st)[1-4]$/.test(name)) name += `.${8 << (((w >>> 23) & 1 ? w >>> 10 : w >>> 6) & 3)}`;
  // vtbl/vtbx: a table of 1-4 registers ({d1}+2 is {d1-d2}).
  m = /^(d\d+), \{d(\d+)\}\+(\d), (d\d+)$/.exec(ops);
  if (m) return [name, `${m[1]}, ${structureList(Number(m[2]), Number(m[3]), 1, '')}, ${m[4]}`];
  // Element and structure loads and stores ({d0}x2, {d0[1]}x2+1 or {d0[]}x2, then [rn], rm):
  // rm = sp means write-back, pc none, others a post-index register.
  m = /^\{d(\d+)(\[(\d*)\])?\}x(\d+)(?:\+(\d))?, \[(\w+)\], (\w+)/.exec(ops);
  if (m) {
    const [, first, lanePart, lane, count, laneStride, rn, rm] = m;
    const post = rm === 'sp' ? '!' : rm === 'pc' ? '' : `, ${rm}`;
    const n = Number(name[3]);
    const align = structureAlignment(w, n, lanePart === undefined ? 'multiple' : lane === '' ? 'all' : 'one');
    const at = `[${rn}${align ? ` :${align}` : ''}]${post}`;
    if (lanePart === undefined) {
      // Multiple structures: types 1001, 0101 and 0001 (bits 11:8) space the registers two apart.
      const stride = [1, 5, 9].includes((w >>> 8) & 15) ? 2 : 1;
      return [name, `${structureList(Number(first), Number(count), stride, '')}, ${at}`];
    }
    // One lane of n registers (spaced as bits 7:4 say), or all lanes: VLD1's t bit (5) loads
    // two registers, VLD2-4's spaces their n registers two apart.
    const t = (w >>> 5) & 1;
    const regs = lane === '' && n === 1 ? t + 1 : Number(count);
    const stride = lane === '' ? (n === 1 ? 1 : t + 1) : Number(laneStride);
    return [name, `${structureList(Number(first), regs, stride, `[${lane}]`, lane !== '')}, ${at}`];
  }
  return [name, ops];
}

/**
 * A permanently undefined encoding (UDF, gcc's __builtin_trap) as objdump writes it; null for
 * any other word. (Running one raises SIGILL, as any undefined instruction does.)
 */
export function udfSyntax(w: number, a32: boolean, size: number): string | null {
  if (a32) return (w & 0xfff000f0) >>> 0 === 0xe7f000f0 ? `udf ${withValueComment(`#${((w >>> 4) & 0xfff0) | (w & 15)}`)}` : null;
  if (size === 2) return (w & 0xff00) === 0xde00 ? `udf ${withValueComment(`#${w & 0xff}`)}` : null;
  return (w & 0xfff0f000) >>> 0 === 0xf7f0a000 ? `udf.w ${withValueComment(`#${((w >>> 4) & 0xf000) | (w & 0xfff)}`)}` : null;
}
