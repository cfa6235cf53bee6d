// The guest pages whose code changed, shared by every thread of a process: each thread's
// engine has its own translation cache, so a store into code (or an mmap, mprotect,
// munmap or cacheflush over it) seen by one thread must reach the caches of all of them.
// A ring of page numbers with a running count; an engine compares the count with the
// last one it processed before choosing its next block.

const LOG_BITS = 12;
const LOG_SIZE = 1 << LOG_BITS;
const PAGE_BITS = 20;
/** Int32 words a log takes: the count, then the ring. */
export const CODE_LOG_WORDS = 1 + LOG_SIZE;

/** The generation of the n-th entry; never 0, the value of a never-written entry. */
const tagOf = (n: number): number => (((n >>> LOG_BITS) % 0x7ff) + 1);

export class CodeLog {
  /** words[0] is the number of pages ever published; words[1 + (n % LOG_SIZE)] the n-th. */
  constructor(readonly words: Int32Array) {}

  /** A log no other thread writes (a single-threaded process): its count never moves. */
  static private(): CodeLog {
    return new CodeLog(new Int32Array(CODE_LOG_WORDS));
  }

  publish(page: number): void {
    const n = Atomics.add(this.words, 0, 1);
    // The entry carries the high bits of its index, so a reader can tell it from the
    // entry LOG_SIZE publications earlier that it overwrites.
    Atomics.store(this.words, 1 + (n & (LOG_SIZE - 1)), page | (tagOf(n) << PAGE_BITS));
  }

  /**
   * Calls `drop` for each page published after `seen` (which it returns updated), or `dropAll`
   * if the reader has fallen more than a ring behind.
   */
  read(seen: number, drop: (page: number) => void, dropAll: () => void): number {
    const count = Atomics.load(this.words, 0);
    if (count - seen > LOG_SIZE) {
      dropAll();
      return count;
    }
    for (let n = seen; n !== count; n = (n + 1) | 0) {
      const tag = tagOf(n);
      let entry: number;
      // A writer has taken index n but may not have stored its page yet: it is about to.
      do entry = Atomics.load(this.words, 1 + (n & (LOG_SIZE - 1)));
      while (entry >>> PAGE_BITS !== tag);
      drop(entry & ((1 << PAGE_BITS) - 1));
    }
    return count;
  }
}
