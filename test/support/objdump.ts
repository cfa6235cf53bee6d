// Comparing urun's disassembly with GNU objdump's, line by line.

/**
 * An instruction's text as both listings can be compared: without objdump's comments (@ ...),
 * symbol annotations (<sum+0x8>), without MIPS's $ (urun writes registers as the assembler
 * does, $sp; objdump as sp) and without spaces.
 */
export function comparable(mnemonic: string, operands: string): string {
  const ops = operands.replace(/\s*@.*$/, '').replace(/\s*<[^>]*>/g, '').replace(/\$/g, '').replace(/\s+/g, '');
  return `${mnemonic} ${ops}`;
}
