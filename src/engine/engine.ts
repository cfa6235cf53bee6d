// The execution engine: runs guest code block by block out of a translation cache keyed
// by guest PC, and drops cached blocks when the code under them may have changed.
import type { DecodedBlock, GuestCpu } from './cpu.js';
import { GuestMemory, PAGE_CODE, PAGE_SHIFT } from '../memory/memory.js';

export class Engine {
  private readonly blocks = new Map<number, DecodedBlock>();
  private readonly pageBlocks = new Map<number, DecodedBlock[]>();
  /** Guest instructions executed. */
  instructions = 0;
  blocksTranslated = 0;
  invalidations = 0;

  constructor(readonly cpu: GuestCpu, readonly mem: GuestMemory) {
    mem.onCodeWrite = (page) => this.invalidatePage(page);
  }

  /** Runs until the guest exits or faults (both arrive as exceptions). */
  run(): never {
    const cpu = this.cpu;
    const blocks = this.blocks;
    let pc = cpu.pc;
    for (;;) {
      let b = blocks.get(pc);
      if (b === undefined) b = this.translate(pc);
      this.instructions += b.exec();
      pc = cpu.next;
    }
  }

  private translate(pc: number): DecodedBlock {
    const b = this.cpu.decodeBlock(pc);
    this.blocks.set(pc, b);
    this.blocksTranslated++;
    const last = Math.max(b.start, b.end - 1);
    for (let page = b.start >>> PAGE_SHIFT; page <= last >>> PAGE_SHIFT; page++) {
      let list = this.pageBlocks.get(page);
      if (!list) this.pageBlocks.set(page, (list = []));
      list.push(b);
      this.mem.perm[page] |= PAGE_CODE;
    }
    return b;
  }

  invalidatePage(page: number): void {
    const list = this.pageBlocks.get(page);
    if (!list) return;
    this.pageBlocks.delete(page);
    this.mem.perm[page] &= ~PAGE_CODE;
    for (const b of list) {
      if (this.blocks.get(b.start) === b) {
        this.blocks.delete(b.start);
        this.invalidations++;
      }
    }
  }

  invalidateRange(addr: number, len: number): void {
    if (len <= 0) return;
    const first = (addr >>> 0) >>> PAGE_SHIFT;
    const last = Math.min(((addr >>> 0) + len - 1) / 2 ** PAGE_SHIFT, 2 ** (32 - PAGE_SHIFT) - 1) >>> 0;
    for (let p = first; p <= last; p++) this.invalidatePage(p);
  }
}
