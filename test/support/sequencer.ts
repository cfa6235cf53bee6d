// Longest files first: on two workers, a long file that starts last (Go's, 57 s, sorted last
// for its small size) makes the run's tail. Durations from a fresh CI run; files not listed
// follow in vitest's own order (its cache of earlier runs, else size).
import * as path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const LONGEST_FIRST = ['guest-suite', 'threads-guest', 'go', 'procs', 'busybox', 'lockstep', 'gdb', 'netlink', 'sockets', 'events'];

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification): number => {
      const i = LONGEST_FIRST.indexOf(path.basename(f.moduleId, '.test.ts'));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    const base = await super.sort(files);
    return base.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
  }
}
