// ELF mutation fuzzing: the committed hello fixtures with their ELF header and program
// headers changed a few fields at a time, or cut short. Every mutant is loaded in-process
// (prepareImage + loadImage, what `urun` does before the first instruction), which must
// either load it or refuse it with a one-line UrunError naming the file; some are then run
// through bin/urun, which must not report an internal error, print a JS stack or hang.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadImage, prepareImage, UrunError } from '../../src/engine/process.js';
import { seeded, type Random } from './random.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const FUZZ_ARCHES = ['mips', 'mipsel', 'armhf', 'armel'] as const;
export type FuzzArch = (typeof FUZZ_ARCHES)[number];
export const fixture = (arch: FuzzArch): string => path.join(ROOT, 'test/fixtures/bin', arch, 'hello');

const PT_TYPES = [0, 1, 2, 3, 4, 6, 7, 0x6474e551, 0x6474e552, 0x70000000, 0x70000001, 0x70000003];
const INTERESTING = [0, 1, 2, 3, 4, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0x1001, 0xffff, 0x10000, 0x400000, 0x7f7f0000,
  0x7fff0000, 0x7fffffff, 0x80000000, 0xbf000000, 0xfffff000, 0xffff0000, 0xfffffffe, 0xffffffff];

/** Byte ranges worth mutating: the ELF header's fields and each program header's. */
interface Field { at: number; size: 1 | 2 | 4; name: string }

function fieldsOf(data: Buffer, le: boolean): Field[] {
  const fields: Field[] = [];
  const header: [number, 1 | 2 | 4, string][] = [[4, 1, 'EI_CLASS'], [5, 1, 'EI_DATA'], [6, 1, 'EI_VERSION'], [7, 1, 'EI_OSABI'],
    [16, 2, 'e_type'], [18, 2, 'e_machine'], [20, 4, 'e_version'], [24, 4, 'e_entry'], [28, 4, 'e_phoff'], [36, 4, 'e_flags'],
    [42, 2, 'e_phentsize'], [44, 2, 'e_phnum']];
  for (const [at, size, name] of header) fields.push({ at, size, name });
  const phoff = le ? data.readUInt32LE(28) : data.readUInt32BE(28);
  const phnum = le ? data.readUInt16LE(44) : data.readUInt16BE(44);
  const names = ['p_type', 'p_offset', 'p_vaddr', 'p_paddr', 'p_filesz', 'p_memsz', 'p_flags', 'p_align'];
  for (let i = 0; i < phnum; i++) names.forEach((n, j) => fields.push({ at: phoff + 32 * i + 4 * j, size: 4, name: `phdr[${i}].${n}` }));
  return fields;
}

export interface Mutant { data: Buffer; what: string[] }

/** One to three mutations of `orig`, described so a failure can be reproduced by hand. */
export function mutateElf(orig: Buffer, r: Random): Mutant {
  const data = Buffer.from(orig);
  const le = orig[5] === 1;
  const fields = fieldsOf(orig, le);
  const what: string[] = [];
  const read = (f: Field) => (f.size === 1 ? data[f.at] : f.size === 2 ? (le ? data.readUInt16LE(f.at) : data.readUInt16BE(f.at)) : (le ? data.readUInt32LE(f.at) : data.readUInt32BE(f.at)));
  const write = (f: Field, v: number) => {
    v >>>= 0;
    if (f.size === 1) data[f.at] = v & 0xff;
    else if (f.size === 2) data[le ? 'writeUInt16LE' : 'writeUInt16BE'](v & 0xffff, f.at);
    else data[le ? 'writeUInt32LE' : 'writeUInt32BE'](v, f.at);
  };
  let length = data.length;
  for (let n = 1 + r.below(3); n > 0; n--) {
    const kind = r.below(10);
    if (kind === 0) {
      // Cut the file short: mostly inside the headers, sometimes inside a segment.
      length = r.chance(0.5) ? r.below(Math.min(length, 52 + 32 * 12)) : r.below(length);
      what.push(`truncate to ${length} bytes`);
    } else if (kind === 1) {
      const at = r.below(Math.min(length, 52 + 32 * 12));
      const v = r.below(256);
      data[at] = v;
      what.push(`byte ${at} = 0x${v.toString(16)}`);
    } else {
      const f = r.pick(fields);
      const old = read(f);
      const choice = r.below(5);
      const v = f.name.endsWith('p_type') && choice < 2 ? r.pick(PT_TYPES)
        : choice === 0 ? r.pick(INTERESTING)
          : choice === 1 ? old + r.below(0x2001) - 0x1000
            : choice === 2 ? old ^ (1 << r.below(f.size * 8))
              : choice === 3 ? data.length + r.below(9) - 4 : r.u32();
      write(f, v);
      what.push(`${f.name} 0x${old.toString(16)} -> 0x${(read(f) >>> 0).toString(16)}`);
    }
  }
  return { data: data.subarray(0, length), what };
}

export type LoadVerdict = { kind: 'loaded' } | { kind: 'refused'; message: string; errno: number } | { kind: 'bug'; message: string };

/** What urun does with a mutant before its first instruction: loads it, refuses it cleanly, or breaks. */
export async function loadVerdict(file: string): Promise<LoadVerdict> {
  try {
    const image = prepareImage(file, [file], [], null);
    await loadImage(image, { sysroot: null, strace: false, warn: () => {} });
    return { kind: 'loaded' };
  } catch (e) {
    if (!(e instanceof UrunError)) return { kind: 'bug', message: `${(e as Error)?.stack ?? String(e)}` };
    const ok = e.status === 126 && e.message.startsWith(`${file}: `) && !e.message.includes('\n');
    return ok ? { kind: 'refused', message: e.message, errno: e.errno } : { kind: 'bug', message: `status ${e.status}: ${e.message}` };
  }
}

export interface RunVerdict { status: number | null; signal: string | null; stderr: string; timedOut: boolean }

/** Runs a program under bin/urun (or qemu-user) and waits at most `timeoutMs`. */
export function runProgram(argv: string[], timeoutMs: number): Promise<RunVerdict> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.resume();
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
  });
}

export const QEMU: Record<FuzzArch, string> = { mips: 'qemu-mips', mipsel: 'qemu-mipsel', armhf: 'qemu-arm', armel: 'qemu-arm' };
export const haveQemu = (): boolean => spawnSync('sh', ['-c', 'command -v qemu-mips'], { stdio: 'ignore' }).status === 0;

/** Why a run of a mutant under urun shows a bug in urun, or null. */
export function runProblem(v: RunVerdict, loaded: LoadVerdict, file: string): string | null {
  if (/internal error/.test(v.stderr)) return `internal error: ${v.stderr.trim()}`;
  if (/\n\s+at /.test(v.stderr)) return `JavaScript stack on stderr: ${v.stderr.trim()}`;
  if (v.timedOut) return 'timed out';
  if (loaded.kind === 'refused') {
    const lines = v.stderr.trimEnd().split('\n');
    if (v.status !== 126 || lines.length !== 1 || !lines[0].startsWith(`urun: ${file}: `)) {
      return `refused in-process (${loaded.message}) but bin/urun gave status ${v.status ?? v.signal}: ${v.stderr.trim()}`;
    }
  }
  return null;
}

/**
 * Whether qemu-user's run of a mutant that timed out under urun explains it: qemu timed out
 * too, or (MIPS) died of SIGBUS, at a misaligned load or store that Linux, and so urun, fixes
 * up and runs past (FIXADE, src/isa/mips/cpu.ts), into whatever the mutant does next.
 */
const explainsTimeout = (arch: FuzzArch, q: RunVerdict): boolean => q.timedOut || (arch.startsWith('mips') && q.signal === 'SIGBUS');

export interface ElfFuzzReport { mutants: number; refused: number; loaded: number; ran: number; failures: string[] }

/**
 * Fuzzes `count` mutants per arch from `seed`; runs every `runEvery`-th loaded one (and
 * every refused one among them) through bin/urun, `parallel` at a time.
 */
export async function fuzzElf(opts: { seed: number; count: number; runEvery: number; timeoutMs: number; dir: string; parallel?: number; deadline?: number }): Promise<ElfFuzzReport> {
  const report: ElfFuzzReport = { mutants: 0, refused: 0, loaded: 0, ran: 0, failures: [] };
  const qemu = haveQemu();
  const urunBin = path.join(ROOT, 'bin/urun');
  const pending: Promise<void>[] = [];
  const r = seeded(opts.seed);
  for (let i = 0; i < opts.count; i++) {
    if (opts.deadline !== undefined && Date.now() > opts.deadline) break;
    for (const arch of FUZZ_ARCHES) {
      const orig = fs.readFileSync(fixture(arch));
      const m = mutateElf(orig, r);
      const file = path.join(opts.dir, `${arch}-${i}`);
      fs.writeFileSync(file, m.data, { mode: 0o755 });
      const tag = `seed ${opts.seed} mutant ${i} (${arch}): ${m.what.join(', ')}`;
      const verdict = await loadVerdict(file);
      report.mutants++;
      if (verdict.kind === 'bug') {
        report.failures.push(`${tag}: in-process load: ${verdict.message}`);
        continue;
      }
      if (verdict.kind === 'refused') report.refused++;
      else report.loaded++;
      if (i % opts.runEvery !== 0) {
        fs.rmSync(file);
        continue;
      }
      const job = async () => {
        const v = await runProgram([process.execPath, urunBin, file], opts.timeoutMs);
        report.ran++;
        let problem = runProblem(v, verdict, file);
        // A mutant may loop for ever on Linux too: a hang is urun's only if qemu-user finishes.
        if (problem === 'timed out' && qemu && explainsTimeout(arch, await runProgram([QEMU[arch], file], opts.timeoutMs))) problem = null;
        if (problem) report.failures.push(`${tag}: ${problem}`);
        else fs.rmSync(file);
      };
      pending.push(job());
      if (pending.length >= (opts.parallel ?? 2)) await Promise.all(pending.splice(0));
    }
  }
  await Promise.all(pending);
  return report;
}

/** `count` random instructions (words; Thumb-aligned halfwords on armhf) written over the executable segment. */
export function mutateCode(orig: Buffer, arch: FuzzArch, r: Random, count: number): Mutant {
  const data = Buffer.from(orig);
  const le = orig[5] === 1;
  const u32 = (at: number) => (le ? data.readUInt32LE(at) : data.readUInt32BE(at));
  const phoff = u32(28), phnum = le ? data.readUInt16LE(44) : data.readUInt16BE(44);
  let text = { offset: 0, size: 0, vaddr: 0 };
  for (let i = 0; i < phnum; i++) {
    const at = phoff + 32 * i;
    if (u32(at) === 1 && u32(at + 24) & 1) text = { offset: u32(at + 4), size: u32(at + 16), vaddr: u32(at + 8) };
  }
  const what: string[] = [];
  const unit = arch === 'armhf' ? 2 : 4;
  for (let n = 0; n < count; n++) {
    // Past the first page: the text segment starts with the ELF header and program headers.
    const skip = Math.max(0, 0x1000 - text.offset);
    const at = text.offset + skip + unit * r.below(Math.floor((text.size - skip) / unit) - 1);
    const w = r.u32();
    if (unit === 2) data.writeUInt16LE(w & 0xffff, at);
    else data[le ? 'writeUInt32LE' : 'writeUInt32BE'](w, at);
    what.push(`0x${(text.vaddr + at - text.offset).toString(16)} = 0x${(unit === 2 ? w & 0xffff : w).toString(16)}`);
  }
  return { data, what };
}

/**
 * Random words at random places in the fixtures' code, run under bin/urun --check-jit: no
 * internal error, no JS stack, no divergence between the engines, no hang qemu-user does not share.
 */
export async function fuzzCode(opts: { seed: number; count: number; words: number; timeoutMs: number; dir: string; parallel?: number; deadline?: number }): Promise<{ runs: number; failures: string[] }> {
  const qemu = haveQemu();
  const urunBin = path.join(ROOT, 'bin/urun');
  const failures: string[] = [];
  const pending: Promise<void>[] = [];
  let runs = 0;
  const r = seeded(opts.seed);
  for (let i = 0; i < opts.count; i++) {
    if (opts.deadline !== undefined && Date.now() > opts.deadline) break;
    for (const arch of FUZZ_ARCHES) {
      const m = mutateCode(fs.readFileSync(fixture(arch)), arch, r, opts.words);
      const file = path.join(opts.dir, `code-${arch}-${i}`);
      fs.writeFileSync(file, m.data, { mode: 0o755 });
      const tag = `seed ${opts.seed} code mutant ${i} (${arch}): ${m.what.join(', ')}`;
      pending.push((async () => {
        const v = await runProgram([process.execPath, urunBin, '--check-jit', file], opts.timeoutMs);
        runs++;
        let problem = /--check-jit:/.test(v.stderr) ? `engines differ: ${v.stderr.trim()}` : runProblem(v, { kind: 'loaded' }, file);
        if (problem === 'timed out' && qemu && explainsTimeout(arch, await runProgram([QEMU[arch], file], opts.timeoutMs))) problem = null;
        if (problem) failures.push(`${tag}: ${problem}`);
        else fs.rmSync(file);
      })());
      if (pending.length >= (opts.parallel ?? 2)) await Promise.all(pending.splice(0));
    }
  }
  await Promise.all(pending);
  return { runs, failures };
}
