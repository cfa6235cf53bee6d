// `npm run fuzz -- [--minutes N | --ci] [--seed S] [--only elf,code,words,risu-int,risu-fpu,risu-arm]` (or one
// random-instruction mode: mips-int, mipsel-int, mips, mipsel, a32, t32, vfp):
// the fuzzers of test/fuzz, each given an equal share of the time, run from a seed (printed,
// so a run can be repeated). `--ci` runs a fixed number of cases instead (about a minute
// here), so that CI checks the same cases on any machine at any load. Exits 1 when anything
// failed, listing each failure with what reproduces it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fuzzCode, fuzzElf } from './elf.js';
import { fuzzWords } from './words.js';
import { fuzzRisu, type RisuMode } from './risu.js';
import { haveQemu } from './elf.js';

interface Options { minutes: number; seed: number; only: string[]; ci: boolean }

/** `--ci`'s cases: ELF mutants, code fixtures, word blocks per mode, guests per random-instruction mode. */
const CI_SLICE = { elf: 250, code: 32, words: 10_000, risuGuests: { 'mips-int': 24, 'mipsel-int': 24, mips: 12, mipsel: 12, a32: 16, t32: 16, vfp: 16 } as Record<RisuMode, number> };

/** The random-instruction tester's fuzzers and their modes (risu.ts, risu-arm.ts), with the sequences per guest. */
const RISU_FUZZERS: Record<string, { modes: RisuMode[]; perBatch: number }> = {
  'risu-int': { modes: ['mips-int', 'mipsel-int'], perBatch: 300 },
  'risu-fpu': { modes: ['mips', 'mipsel'], perBatch: 300 },
  // An ARM state block carries 8 KiB of scratch memory: fewer sequences per guest.
  'risu-arm': { modes: ['a32', 't32', 'vfp'], perBatch: 50 },
};
// Each mode alone too (`--only vfp`).
for (const { modes, perBatch } of Object.values(RISU_FUZZERS)) for (const m of modes) RISU_FUZZERS[m] = { modes: [m], perBatch };

function parseArgs(argv: string[]): Options {
  const o: Options = { minutes: 1, seed: Date.now() % 1_000_000, only: ['elf', 'code', 'words', 'risu-int', 'risu-arm'], ci: false };
  for (let i = 0; i < argv.length; i++) {
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
      return v;
    };
    if (argv[i] === '--minutes') o.minutes = Number(next());
    else if (argv[i] === '--seed') o.seed = Number(next());
    else if (argv[i] === '--only') o.only = next().split(',');
    else if (argv[i] === '--ci') o.ci = true;
    else throw new Error(`unknown option ${argv[i]} (use --minutes N or --ci, --seed S, --only elf,code,words,risu-int,risu-fpu,risu-arm)`);
  }
  if (!(o.minutes > 0) || !Number.isInteger(o.seed)) throw new Error('--minutes wants a positive number, --seed an integer');
  return o;
}

async function main(): Promise<void> {
  let o: Options;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`fuzz: ${(e as Error).message}`);
    process.exit(2);
  }
  console.log(`fuzz: seed ${o.seed}, ${o.ci ? 'the CI slice' : `${o.minutes} minute(s)`}, ${o.only.join(' + ')}`);
  const share = (o.minutes * 60_000) / o.only.length;
  const failures: string[] = [];
  for (const mode of o.only) {
    const deadline = o.ci ? Number.MAX_SAFE_INTEGER : Date.now() + share;
    if (mode === 'elf') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-fuzz-elf-'));
      const r = await fuzzElf({ seed: o.seed, count: o.ci ? CI_SLICE.elf : Number.MAX_SAFE_INTEGER, runEvery: 8, timeoutMs: 20_000, dir, deadline });
      console.log(`elf: ${r.mutants} mutants (${r.refused} refused, ${r.loaded} loaded), ${r.ran} run through bin/urun, ${r.failures.length} failures`);
      failures.push(...r.failures);
      if (r.failures.length === 0) fs.rmSync(dir, { recursive: true, force: true });
      else console.log(`elf: failing mutants kept in ${dir}`);
    } else if (mode === 'code') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-fuzz-code-'));
      const r = await fuzzCode({ seed: o.seed, count: o.ci ? CI_SLICE.code : Number.MAX_SAFE_INTEGER, words: 64, timeoutMs: 20_000, dir, deadline });
      console.log(`code: ${r.runs} fixtures with 64 random instructions each run under --check-jit, ${r.failures.length} failures`);
      failures.push(...r.failures);
      if (r.failures.length === 0) fs.rmSync(dir, { recursive: true, force: true });
      else console.log(`code: failing mutants kept in ${dir}`);
    } else if (RISU_FUZZERS[mode]) {
      if (!haveQemu()) {
        console.error('fuzz: the random-instruction tester needs qemu-user (apt-get install qemu-user)');
        process.exit(2);
      }
      const { modes, perBatch } = RISU_FUZZERS[mode];
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-fuzz-risu-'));
      const before = failures.length;
      for (const [k, m] of modes.entries()) {
        const started = Date.now();
        const r = fuzzRisu({ mode: m, seed: o.seed, batches: o.ci ? CI_SLICE.risuGuests[m] : Number.MAX_SAFE_INTEGER, perBatch, dir, deadline: deadline - ((modes.length - k - 1) * share) / modes.length });
        const perMinute = Math.round(r.sequences / ((Date.now() - started) / 60_000));
        console.log(`${m}: ${r.sequences} random sequences in ${r.batches} guests (${perMinute}/minute), ${r.failures.length} differences from qemu-user`);
        failures.push(...r.failures);
      }
      if (failures.length === before) fs.rmSync(dir, { recursive: true, force: true });
    } else if (mode === 'words') {
      const r = fuzzWords({ seed: o.seed, perMode: o.ci ? CI_SLICE.words : undefined, deadline });
      console.log(`words: ${r.summary}, ${r.failures.length} failures`);
      failures.push(...r.failures);
    } else {
      console.error(`fuzz: unknown fuzzer ${mode}`);
      process.exit(2);
    }
  }
  for (const f of failures) console.log(`FAIL ${f}`);
  process.exit(failures.length ? 1 : 0);
}

void main();
