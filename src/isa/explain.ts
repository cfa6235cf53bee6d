// Plain-language descriptions of instructions (urun disasm --explain, --trace --explain).
import type { InsnDef } from './table.js';

/** The one-line description of a table entry, by its name within an ISA ('mips' or 'arm'). */
export function explainInsn(name: string, isa: string): string | undefined {
  void name;
  void isa;
  return undefined;
}

export type { InsnDef };
