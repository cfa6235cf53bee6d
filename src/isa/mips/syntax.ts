// MIPS instructions as objdump -d writes them: the idioms it names (move, li, b, beqz, negu),
// the operands it leaves out (jalr's $ra, a branch's $fcc0) or adds (div's $zero), and the
// FPU control registers by name.

/** The table's disassembly `text` of the word `w` as objdump writes it. */
export function mipsSyntax(text: string, w = 0): string {
  // The code fields objdump shows: syscall's 20 bits, break's two of 10.
  if (text === 'syscall' || text.startsWith('break')) {
    const code = (w >>> 6) & 0xfffff, hi = code >>> 10, lo = code & 0x3ff;
    if (text === 'syscall') return code ? `syscall 0x${code.toString(16)}` : text;
    return code === 0 ? 'break' : lo === 0 ? `break 0x${hi.toString(16)}` : `break 0x${hi.toString(16)},0x${lo.toString(16)}`;
  }
  // sll $zero, $zero, 5 is pause; sync's stype names the barrier.
  if (w === 0x140) return 'pause';
  if (text === 'sync') {
    const stype = (w >>> 6) & 31;
    return stype === 0 ? 'sync' : SYNC_TYPES[stype] ?? `sync 0x${stype.toString(16)}`;
  }
  const sp = text.indexOf(' ');
  if (sp < 0) return text;
  let name = text.slice(0, sp), ops = text.slice(sp + 1).split(', ');
  // c.cond.fmt N, ...: the comparison by its name (c.ult.d).
  if (name.startsWith('c.cond.') && FP_CONDITIONS[Number(ops[0])] !== undefined) {
    name = `c.${FP_CONDITIONS[Number(ops[0])]}.${name.slice('c.cond.'.length)}`;
    ops = ops.slice(1);
    text = `${name} ${ops.join(', ')}`;
  }
  if ((name === 'or' || name === 'addu') && ops[2] === '$zero') return `move ${ops[0]}, ${ops[1]}`;
  if ((name === 'addiu' || name === 'ori') && ops[1] === '$zero') return `li ${ops[0]}, ${ops[2]}`;
  if (name === 'beq' && ops[0] === '$zero' && ops[1] === '$zero') return `b ${ops[2]}`;
  if ((name === 'bgez' || name === 'bgezal') && ops[0] === '$zero') return `${name === 'bgez' ? 'b' : 'bal'} ${ops[1]}`;
  if ((name === 'beq' || name === 'bne') && ops[1] === '$zero') return `${name}z ${ops[0]}, ${ops[2]}`;
  if ((name === 'beql' || name === 'bnel') && ops[1] === '$zero') return `${name.slice(0, 3)}zl ${ops[0]}, ${ops[2]}`;
  if ((name === 'subu' || name === 'sub') && ops[1] === '$zero') return `${name === 'sub' ? 'neg' : 'negu'} ${ops[0]}, ${ops[2]}`;
  // A trap's code is shown only when it is not 0; prefx's hint leads.
  if (/^t(eq|ne|ge|geu|lt|ltu)$/.test(name) && ops.length === 3 && ops[2] === '0x0') return `${name} ${ops[0]}, ${ops[1]}`;
  if (name === 'prefx') return `prefx 0x${((w >>> 11) & 31).toString(16)}, ${ops.join(', ')}`;
  if (name === 'rotr' || name === 'rotrv') return `${name === 'rotr' ? 'ror' : 'rorv'} ${ops.join(', ')}`;
  // cache's first operand is the operation, a number.
  if (name === 'cache') return `cache 0x${((w >>> 16) & 31).toString(16)}, ${ops[1]}`;
  if ((name === 'jalr' || name === 'jalr.hb') && ops[0] === '$ra') return `${name} ${ops[1]}`;
  if ((name === 'div' || name === 'divu') && ops.length === 2) return `${name} $zero, ${ops.join(', ')}`;
  if ((name.startsWith('bc1') || name.startsWith('c.')) && ops[0] === '$fcc0') return `${name} ${ops.slice(1).join(', ')}`;
  if ((name === 'cfc1' || name === 'ctc1') && FPU_CONTROL[ops[1]]) return `${name} ${ops[0]}, ${FPU_CONTROL[ops[1]]}`;
  return text;
}

const FPU_CONTROL: Record<string, string> = { $f0: 'c1_fir', $f31: 'c1_fcsr' };
const SYNC_TYPES: Record<number, string> = { 4: 'sync_wmb', 16: 'sync_mb', 17: 'sync_acquire', 18: 'sync_release', 19: 'sync_rmb' };
const FP_CONDITIONS = ['f', 'un', 'eq', 'ueq', 'olt', 'ult', 'ole', 'ule', 'sf', 'ngle', 'seq', 'ngl', 'lt', 'nge', 'le', 'ngt'];
