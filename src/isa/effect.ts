// What an instruction does to its own operands, in one line of notation, for
// `urun disasm --explain` and `urun --trace --explain`: "addiu $sp, $sp, -32" is
// "$sp ← $sp + -32", "ldr r3, [r7, #4]" is "r3 ← mem32[r7 + 4]". Read from the instruction as
// disassembled (objdump's syntax), for the instructions a reader meets most: arithmetic and
// logic, moves, shifts, bit fields and extensions, compares, loads and stores (multiple too),
// branches, calls and IT blocks, barriers and hints, system calls. Others get only their
// table entry's description (explain.ts).

const ARM_CONDITION_TESTS: Record<string, string> = {
  eq: 'Z', ne: '!Z', cs: 'C', cc: '!C', mi: 'N', pl: '!N', vs: 'V', vc: '!V',
  hi: 'C && !Z', ls: '!C || Z', ge: 'N == V', lt: 'N != V', gt: '!Z && N == V', le: 'Z || N != V',
};

/** The condition that holds when one does not (an IT block's else). */
const OPPOSITE: Record<string, string> = {
  eq: 'ne', ne: 'eq', cs: 'cc', cc: 'cs', mi: 'pl', pl: 'mi', vs: 'vc', vc: 'vs', hi: 'ls', ls: 'hi', ge: 'lt', lt: 'ge', gt: 'le', le: 'gt',
};
const ORDINALS = ['the 1st', 'the 2nd', 'the 3rd', 'the 4th'];

/** Binary operators by mnemonic (both ISAs' spellings). */
const BINARY: Record<string, string> = {
  add: '+', addw: '+', addu: '+', addi: '+', addiu: '+', adc: '+', sub: '−', subw: '−', subu: '−', sbc: '−', rsb: '−',
  and: '&', andi: '&', orr: '|', or: '|', ori: '|', eor: '^', xor: '^', xori: '^', bic: '& ~', orn: '| ~',
  mul: '×', sll: '<<', sllv: '<<', lsl: '<<', srl: '>>>', srlv: '>>>', lsr: '>>>', sra: '>>', srav: '>>', asr: '>>',
  ror: 'rotated right by', rotrv: 'rotated right by',
};

const SIZES: Record<string, string> = {
  lw: 'mem32', sw: 'mem32', ll: 'mem32', sc: 'mem32', lh: 'mem16 (signed)', lhu: 'mem16', sh: 'mem16', lb: 'mem8 (signed)', lbu: 'mem8', sb: 'mem8',
  lwc1: 'mem32', swc1: 'mem32', ldc1: 'mem64', sdc1: 'mem64',
  ldr: 'mem32', str: 'mem32', ldrb: 'mem8', strb: 'mem8', ldrh: 'mem16', strh: 'mem16', ldrsb: 'mem8 (signed)', ldrsh: 'mem16 (signed)',
  ldrd: 'mem64', strd: 'mem64', ldrex: 'mem32', strex: 'mem32',
};

/** An operand as a value: an immediate without its #, a shifted register as an expression. */
function value(op: string): string {
  const m = /^(\w+), (lsl|lsr|asr|ror) #?(\w+)$/.exec(op);
  if (m) return `(${m[1]} ${BINARY[m[2]]} ${m[3]})`;
  return op.replace(/^#/, '');
}

/** An ARM address operand ([rn, #off]!, [rn], #off, [rn, rm, lsl #2]) as the address and the base's write-back. */
function armAddress(ops: string): { at: string; after: string } | null {
  let m = /^\[(\w+)(?:, (.+?))?\](!?)$/.exec(ops);
  if (m) {
    const [, rn, off, wb] = m;
    const sum = off === undefined ? rn : offsetSum(rn, off);
    return { at: sum, after: wb ? `; ${rn} ← ${sum}` : '' };
  }
  m = /^\[(\w+)\], (.+)$/.exec(ops);
  if (m) return { at: m[1], after: `; ${m[1]} ← ${offsetSum(m[1], m[2])}` };
  return null;
}

function offsetSum(rn: string, off: string): string {
  const v = value(off.replace(/^-/, '').replace(/^#-/, '#'));
  return off.startsWith('-') || off.startsWith('#-') ? `${rn} − ${v}` : `${rn} + ${v}`;
}

/** A MIPS memory operand (off(base)) as an address. */
function mipsAddress(op: string): string | null {
  const m = /^(-?\w+)\((\$\w+)\)$/.exec(op);
  if (!m) return null;
  return m[1] === '0' ? m[2] : m[1].startsWith('-') ? `${m[2]} − ${m[1].slice(1)}` : `${m[2]} + ${m[1]}`;
}

/**
 * What `text` (an instruction as disassembled) does, or undefined when this file has no
 * notation for it. `name` is its table entry's name (ARM: without the condition suffix,
 * which comes from the text).
 */
export function effectOf(text: string, name: string, isa: string): string | undefined {
  const sp = text.indexOf(' ');
  const mnemonic = (sp < 0 ? text : text.slice(0, sp)).replace(/\.[wn]$/, '');
  const ops = sp < 0 ? [] : text.slice(sp + 1).replace(/\t.*$/, '').split(', ');
  if (isa === 'mips') return mipsEffect(mnemonic, ops) ?? floatEffect(mnemonic, ops);
  // ARM: a condition on the mnemonic (addne; ldrbeq) guards the effect.
  let base = mnemonic, cond = '';
  for (const c of Object.keys(ARM_CONDITION_TESTS)) {
    const rest = mnemonic.slice(0, -c.length);
    // (The table's name may be shorter than objdump's: stm for stmia.)
    if (mnemonic.endsWith(c) && rest !== '' && (rest.startsWith(name) || rest.replace(/s$/, '') === name.replace(/s$/, ''))) {
      base = mnemonic.slice(0, -c.length);
      cond = c;
      break;
    }
  }
  // (A VFP constant's value is in objdump's comment: vmov.f64 d13, #96 @ 0.5.)
  const constant = /\t@ (\S+)$/.exec(text)?.[1];
  if (constant !== undefined && /^vmov\.f/.test(base)) ops[1] = constant;
  const effect = base.startsWith('v') ? floatEffect(base, ops) : armEffect(base, ops, text.slice(sp + 1).replace(/\t.*$/, ''));
  return effect && cond ? `if ${ARM_CONDITION_TESTS[cond]}: ${effect}` : effect;
}

/** Effects both ISAs share under their own names: bit counts, extensions, byte swaps, fields, barriers, hints. */
function commonEffect(m: string, ops: string[]): string | undefined {
  const [a, b, c, d] = ops.map((o) => o.replace(/^#/, ''));
  if (m === 'clz') return `${a} ← the number of leading zero bits of ${b}`;
  const extend = /^([us])xt([bh])$|^se([bh])$/.exec(m);
  if (extend && ops.length >= 2) {
    const signed = extend[1] === 's' || extend[3] !== undefined, half = (extend[2] ?? extend[3]) === 'h';
    const from = ops.length === 3 ? `(${b} rotated right by ${c.replace(/^ror /, '')})` : b;
    return `${a} ← the low ${half ? 'halfword' : 'byte'} of ${from}, ${signed ? 'sign' : 'zero'}-extended`;
  }
  if (m === 'rev' || m === 'wsbh' || m === 'rev16' || m === 'revsh') {
    return `${a} ← ${b} with the bytes of ${m === 'rev' ? 'the word' : 'each halfword'} swapped${m === 'revsh' ? ', the low halfword sign-extended' : ''}`;
  }
  if ((m === 'ubfx' || m === 'sbfx' || m === 'ext') && ops.length === 4) {
    return `${a} ← bits ${c}..${Number(c) + Number(d) - 1} of ${b}${m === 'sbfx' ? ', sign-extended' : ''}`;
  }
  if ((m === 'bfi' || m === 'ins') && ops.length === 4) return `bits ${c}..${Number(c) + Number(d) - 1} of ${a} ← the low ${d} bits of ${b}`;
  if (m === 'bfc' && ops.length === 3) return `bits ${b}..${Number(b) + Number(c) - 1} of ${a} ← 0`;
  if (/^(dmb|dsb|sync)$/.test(m)) return 'no register changes: memory accesses before it are seen by other threads before those after it';
  if (m === 'isb') return 'no register changes: later instructions are fetched again';
  if (/^(pld|pldw|pli|pref|nop|yield)$/.test(m)) return 'nothing (a hint)';
  if (m === 'setend') return 'nothing: data is little-endian already';
  return undefined;
}

function mipsEffect(m: string, ops: string[]): string | undefined {
  const common = commonEffect(m, ops);
  if (common !== undefined) return common;
  const [a, b, c] = ops;
  if (m === 'syscall') return 'system call: the kernel runs the call numbered $v0 (arguments $a0-$a3, then the stack)';
  if (m === 'rdhwr' && b === '$29') return `${a} ← the thread pointer (UserLocal)`;
  if (m === 'lwl' || m === 'lwr') return `${a} ← its ${m === 'lwl' ? 'high' : 'low'} bytes merged with the unaligned word's bytes at ${mipsAddress(b) ?? b}`;
  if (m === 'swl' || m === 'swr') return `the unaligned word at ${mipsAddress(b) ?? b} ← its ${m === 'swl' ? 'high' : 'low'} bytes from ${a}`;
  if (BINARY[m] && ops.length === 3) return `${a} ← ${b} ${BINARY[m]} ${c}`;
  if (m === 'nor') return `${a} ← ~(${b} | ${c})`;
  if (m === 'slt' || m === 'slti') return `${a} ← ${b} < ${c} ? 1 : 0 (signed)`;
  if (m === 'sltu' || m === 'sltiu') return `${a} ← ${b} < ${c} ? 1 : 0 (unsigned)`;
  if (m === 'move') return `${a} ← ${b}`;
  if (m === 'li') return `${a} ← ${b}`;
  if (m === 'negu') return `${a} ← −${b}`;
  if (m === 'lui') return `${a} ← ${b} << 16`;
  if (m === 'mult' || m === 'multu') return `HI:LO ← ${a} × ${b}`;
  if ((m === 'div' || m === 'divu') && ops.length === 3) return `LO ← ${b} / ${c}; HI ← ${b} mod ${c}`;
  if (m === 'mflo' || m === 'mfhi') return `${a} ← ${m.slice(2).toUpperCase()}`;
  if (m === 'mtlo' || m === 'mthi') return `${m.slice(2).toUpperCase()} ← ${a}`;
  const size = SIZES[m];
  if (size && ops.length === 2) {
    const at = mipsAddress(b);
    if (at !== null) return m.startsWith('l') ? `${a} ← ${size}[${at}]` : `${size}[${at}] ← ${a}`;
  }
  if (m === 'b' || m === 'j') return `goto ${a}`;
  if (m === 'jal' || m === 'bal') return `call ${a} ($ra ← return address)`;
  if (m === 'jr') return a === '$ra' ? 'return (goto $ra)' : `goto ${a}`;
  if (m === 'jalr') return `call ${ops[ops.length - 1]} ($ra ← return address)`;
  const cmp: Record<string, string> = { beq: '==', bne: '!=' };
  if (cmp[m]) return `if ${a} ${cmp[m]} ${b} goto ${c}`;
  const zero: Record<string, string> = { beqz: '==', bnez: '!=', blez: '<=', bgtz: '>', bltz: '<', bgez: '>=' };
  if (zero[m]) return `if ${a} ${zero[m]} 0 goto ${b}`;
  return undefined;
}

function armEffect(m: string, ops: string[], whole: string): string | undefined {
  const common = commonEffect(m, ops);
  if (common !== undefined) return common;
  if (/^negs?$/.test(m) && ops.length === 2) return `${ops[0]} ← −${ops[1]}${m === 'negs' ? '; set N Z C V' : ''}`;
  if (m === 'mla' || m === 'mls') return `${ops[0]} ← ${m === 'mla' ? `${ops[1]} × ${ops[2]} + ${ops[3]}` : `${ops[3]} − ${ops[1]} × ${ops[2]}`}`;
  if (m === 'svc') return 'system call: the kernel runs the call numbered r7 (arguments r0-r6)';
  if (m === 'mrc' && /^15, 0, \w+, cr13, cr0, \{3\}$/.test(whole)) return `${ops[2]} ← the thread pointer (TPIDRURO)`;
  if (m === 'tbb' || m === 'tbh') {
    const at = /^\[(\w+), (\w+)/.exec(whole);
    if (at) return `goto pc + 2 × ${m === 'tbb' ? `mem8[${at[1]} + ${at[2]}]` : `mem16[${at[1]} + ${at[2]} × 2]`} (a switch table)`;
  }
  const it = /^it([te]*)$/.exec(m);
  if (it) {
    const test = ARM_CONDITION_TESTS[ops[0]] ?? 'always';
    const opposite = ARM_CONDITION_TESTS[OPPOSITE[ops[0]] ?? ''] ?? test;
    const which = ['t', ...it[1]].map((x, i) => `${ORDINALS[i]} if ${x === 't' ? test : opposite}`);
    return `the next ${which.length === 1 ? 'instruction runs' : `${which.length} instructions run`} only when their condition holds: ${which.join(', ')}`;
  }
  const multiple = /^(ldm|stm)(ia|ib|da|db)?$/.exec(m);
  if (multiple && ops.length >= 2) {
    const base = ops[0].replace(/!$/, ''), list = whole.slice(whole.indexOf('{'));
    const up = multiple[2] === undefined || multiple[2].startsWith('i');
    const n = list.split(',').length;
    const moved = multiple[1] === 'ldm' ? `load ${list} from memory ${up ? 'upward from' : 'below'} ${base}` : `store ${list} to memory ${up ? 'upward from' : 'below'} ${base}`;
    return `${moved}${ops[0].endsWith('!') ? `; ${base} ← ${base} ${up ? '+' : '−'} ${4 * n}` : ''}`;
  }
  const setsFlags = m.endsWith('s') && BINARY[m.slice(0, -1)] !== undefined;
  const op = setsFlags ? m.slice(0, -1) : m;
  const flags = setsFlags ? '; set N Z C V' : '';
  if (BINARY[op] && op !== 'mul') {
    // rd, rn, operand2 (operand2 may be a shifted register); Thumb's two-operand form rd, operand.
    const rest = ops.length === 2 ? [ops[0], ops[1]] : [ops[1], ops.slice(2).join(', ')];
    if (ops.length < 2) return undefined;
    const [x, y] = op === 'rsb' ? [value(rest[1]), rest[0]] : [rest[0], value(rest[1])];
    const carry = op === 'adc' ? ' + C' : op === 'sbc' ? ' − !C' : '';
    return `${ops[0]} ← ${x} ${BINARY[op]} ${y}${carry}${flags}`;
  }
  if (op === 'mul' && ops.length === 3) return `${ops[0]} ← ${ops[1]} × ${ops[2]}${flags}`;
  const mv = /^(mov|mvn)(s?)$/.exec(m);
  if (mv && ops.length >= 2) return `${ops[0]} ← ${mv[1] === 'mvn' ? '~' : ''}${value(ops.slice(1).join(', '))}${mv[2] ? '; set N Z' : ''}`;
  if (m === 'movw') return `${ops[0]} ← ${value(ops[1])}`;
  if (m === 'movt') return `${ops[0]} ← (${value(ops[1])} << 16) | (${ops[0]} & 0xffff)`;
  const cmp: Record<string, string> = { cmp: '−', cmn: '+', tst: '&', teq: '^' };
  if (cmp[m] && ops.length >= 2) return `set N Z C V from ${ops[0]} ${cmp[m]} ${value(ops.slice(1).join(', '))}`;
  const size = SIZES[m];
  if (size) {
    const reg = ops[0];
    const addr = armAddress(whole.slice(whole.indexOf('[')));
    if (addr) return m.startsWith('l') ? `${reg} ← ${size}[${addr.at}]${addr.after}` : `${size}[${addr.at}] ← ${reg}${addr.after}`;
  }
  if (m === 'push') return `store ${whole} below sp; sp ← sp − ${4 * (whole.split(',').length)}`;
  if (m === 'pop') return `load ${whole} from sp; sp ← sp + ${4 * (whole.split(',').length)}${/\bpc\b/.test(whole) ? ' (returns)' : ''}`;
  if (m === 'b') return `goto ${ops[0]}`;
  if (m === 'bl' || m === 'blx') return `call ${ops[0]} (lr ← return address)`;
  if (m === 'bx') return ops[0] === 'lr' ? 'return (goto lr)' : `goto ${ops[0]}`;
  if (m.startsWith('b') && ARM_CONDITION_TESTS[m.slice(1)] && ops.length === 1) return `if ${ARM_CONDITION_TESTS[m.slice(1)]}: goto ${ops[0]}`;
  if (m === 'cbz' || m === 'cbnz') return `if ${ops[0]} ${m === 'cbz' ? '==' : '!='} 0 goto ${ops[1]}`;
  return undefined;
}

/** Floating-point arithmetic, moves, conversions, loads and stores: VFP's v-names, MIPS's op.fmt. */
function floatEffect(m: string, ops: string[]): string | undefined {
  // vadd.f64 / add.d: the operation, then its type or format.
  const [op, ...types] = m.replace(/^v/, '').split('.');
  if (types.length === 0 && !/^(ldr|str|mov|mrs|lwc1|ldc1|swc1|sdc1|mtc1|mfc1)$/.test(op)) return undefined;
  const [a, b, c] = ops;
  const arith: Record<string, string> = { add: '+', sub: '−', mul: '×', div: '/' };
  if (arith[op] && ops.length === 3) return `${a} ← ${b} ${arith[op]} ${c}`;
  if (op === 'mla' || op === 'madd') return ops.length === 3 ? `${a} ← ${a} + ${b} × ${c}` : `${a} ← ${b} × ${c} + ${ops[3]}`;
  if (op === 'mls' || op === 'msub') return ops.length === 3 ? `${a} ← ${a} − ${b} × ${c}` : `${a} ← ${b} × ${c} − ${ops[3]}`;
  if (op === 'neg') return `${a} ← −${b}`;
  if (op === 'abs') return `${a} ← |${b}|`;
  if (op === 'sqrt') return `${a} ← √${b}`;
  if ((op === 'mov' || op === 'mtc1' || op === 'mfc1') && ops.length === 2) {
    const [to, from] = op === 'mtc1' || op === 'mfc1' ? [b, a] : [a, b];
    return op === 'mfc1' ? `${a} ← ${b}` : `${to} ← ${from.replace(/^#/, '')}`;
  }
  if (op === 'cvt' || op.startsWith('cvt') || op === 'trunc' || op === 'round' || op === 'floor' || op === 'ceil') {
    return ops.length === 2 ? `${a} ← ${b} as ${types[0] ?? 'the new format'}` : undefined;
  }
  if (op === 'cmp' || op === 'cmpe') return `set FPSCR's N Z C V from ${a} − ${(b ?? '').replace(/^#/, '')}`;
  if (op === 'mrs' && a === 'APSR_nzcv') return "N Z C V ← FPSCR's";
  if (m.startsWith('c.') && ops.length >= 2) {
    const [x, y] = ops.length === 3 ? [b, c] : [a, b];
    return `FP condition flag${ops.length === 3 ? ` ${a}` : ''} ← ${x} ${m.split('.')[1]} ${y}`;
  }
  const size = op === 'ldr' || op === 'str' ? (a.startsWith('d') ? 'mem64' : 'mem32') : undefined;
  const at = /^\[(\w+)(?:, #(-?)(\d+))?\]$/.exec(ops.slice(1).join(', '));
  if (size && at) {
    const addr = at[3] === undefined ? at[1] : `${at[1]} ${at[2] ? '−' : '+'} ${at[3]}`;
    return op === 'ldr' ? `${a} ← ${size}[${addr}]` : `${size}[${addr}] ← ${a}`;
  }
  return undefined;
}
