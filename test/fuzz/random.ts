// A small seeded generator (mulberry32): every fuzz run is reproducible from its seed.
export interface Random {
  /** A uniform unsigned 32-bit integer. */
  u32(): number;
  /** An integer in [0, n). */
  below(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function seeded(seed: number): Random {
  let s = seed >>> 0;
  const u32 = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const below = (n: number): number => Math.floor((u32() / 2 ** 32) * n);
  return { u32, below, pick: (items) => items[below(items.length)], chance: (p) => u32() / 2 ** 32 < p };
}

/** A seed for derived generators: item `index` of a run seeded with `seed`. */
export const subSeed = (seed: number, index: number): number => (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
