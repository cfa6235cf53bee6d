// The T32 (Thumb-2) instruction table: 16- and 32-bit Thumb encodings, ARMv7-A user mode,
// with the same template conventions as a32.ts (see common.ts for the register file).
//
// Words: a 16-bit instruction is 0x0000hhhh, with bit 16 set when it sits inside an IT
// block (field `init`): 16-bit data-processing instructions set flags only outside one.
// A 32-bit instruction is (first halfword << 16) | second halfword. Every 16-bit def's
// mask covers bits 31-17 (which are zero). The scanner (cpu.ts) gives each instruction
// the condition of its IT block; templates never test conditions themselves except
// the conditional branch B<c>.
//
// The PC reads as the instruction's address + 4 (R[15]); Align(PC, 4) is `(R[15] & ~3)`.
// Branches write R[NEXT] with bit 0 set to stay in Thumb state (clear to go to ARM).
import { FieldDef, InsnDef, InsnTable } from '../table.js';
import { armRegName } from './common.js';
import { VFP_DEFS, VFP_FIELDS, vfpThumbForm } from './vfp.js';

/** Whether a first halfword starts a 32-bit instruction. */
export const T32_IS_32BIT = (hw: number): boolean => hw >>> 11 >= 0x1d;

const F: Record<string, FieldDef> = {
  pc: { expr: 'pc', kind: 'hex' },
  init: { expr: '(w >>> 16) & 1', kind: 'int' },
  firstcond: { expr: '(w >>> 4) & 15', kind: 'int' },
  itmask: { expr: 'w & 15', kind: 'hex' },
  ...VFP_FIELDS,
};

const defs: InsnDef[] = [];
function def(name: string, mask: number, match: number, asm: string, code: string, flags = 0): void {
  defs.push({ name, mask: mask >>> 0, match: match >>> 0, asm, code, flags });
}

// IT: the scanner reads firstcond/mask from the word itself.
def('it', 0xfffeff00, 0xbf00, '$firstcond, $itmask', '');

// VFP and NEON: the A32 defs with their Thumb encodings.
for (const d of VFP_DEFS) {
  const t = vfpThumbForm(d);
  if (t) defs.push(t);
}

export const T32_TABLE = new InsnTable('T32', defs, F, (w) => (w >>> 16 > 1 ? 32 + (w >>> 27) : (w >>> 11) & 31), armRegName);
