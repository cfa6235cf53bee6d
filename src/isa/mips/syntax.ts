// MIPS instructions as objdump -d writes them: the idioms it names (move, li, b, beqz, negu),
// the operands it leaves out (jalr's $ra, a branch's $fcc0) or adds (div's $zero), and the
// FPU control registers by name.

/** The table's disassembly `text` as objdump writes it. */
export function mipsSyntax(text: string): string {
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
  if ((name === 'beq' || name === 'bne') && ops[1] === '$zero') return `${name}z ${ops[0]}, ${ops[2]}`;
  if (name === 'subu' && ops[1] === '$zero') return `negu ${ops[0]}, ${ops[2]}`;
  if (name === 'rotr') return `ror ${ops.join(', ')}`;
  if (name === 'jalr' && ops[0] === '$ra') return `jalr ${ops[1]}`;
  if ((name === 'div' || name === 'divu') && ops.length === 2) return `${name} $zero, ${ops.join(', ')}`;
  if ((name.startsWith('bc1') || name.startsWith('c.')) && ops[0] === '$fcc0') return `${name} ${ops.slice(1).join(', ')}`;
  if ((name === 'cfc1' || name === 'ctc1') && FPU_CONTROL[ops[1]]) return `${name} ${ops[0]}, ${FPU_CONTROL[ops[1]]}`;
  return text;
}

const FPU_CONTROL: Record<string, string> = { $f0: 'c1_fir', $f31: 'c1_fcsr' };
const FP_CONDITIONS = ['f', 'un', 'eq', 'ueq', 'olt', 'ult', 'ole', 'ule', 'sf', 'ngle', 'seq', 'ngl', 'lt', 'nge', 'le', 'ngt'];
