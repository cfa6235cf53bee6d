// The instruction lines of an `objdump -d` listing, as the fixture makers read them
// (objdump-shapes.mjs, objdump-random.mjs).

/**
 * Each instruction line: its address, bytes (space-separated groups), mnemonic, the rest
 * (operands and comments), and whether an IT instruction before it covers it (Thumb).
 */
export function* listingLines(listing) {
  let inIt = 0;
  for (const line of listing.split('\n')) {
    const m = /^ +([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, addr, bytes, mnemonic, rest] = m;
    const covered = inIt > 0;
    if (inIt > 0) inIt--;
    if (/^it[te]*$/.test(mnemonic)) inIt = mnemonic.length - 1;
    yield { line, addr, bytes, mnemonic, rest, covered };
  }
}
