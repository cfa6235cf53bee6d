// The loader validates before it maps: each malformation issue 11 lists, made by hand in a
// committed hello fixture, is refused with one line naming the file and the problem (status
// 126; a guest's execve gets the errno), or runs where Linux would run it. Then a
// fixed-seed slice of the ELF mutation fuzzer (test/fuzz/elf.ts; `npm run fuzz` runs more).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { E } from '../src/syscalls/errno.js';
import { argumentsTooLong, buildStack, chooseLayout, mapImage, readAuxv, stackSizeFor } from '../src/elf/load.js';
import { parseElf, readElfFile, type ElfFile } from '../src/elf/parse.js';
// @ts-expect-error: plain ESM helper shared with the fixture build script
import { BIN_DIR } from './fixtures/cases.mjs';
import { GuestMemory } from '../src/memory/memory.js';

const AT_PLATFORM = 15, AT_BASE_PLATFORM = 24, AT_EXECFN = 31;
import { fixture, fuzzElf, loadVerdict, type FuzzArch } from './fuzz/elf.js';
import { urunAsync } from './support/urun.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-loader-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const PT_NULL = 0, PT_LOAD = 1, PT_INTERP = 3, PT_NOTE = 4, PT_GNU_STACK = 0x6474e551, PT_GNU_RELRO = 0x6474e552, PT_MIPS_ABIFLAGS = 0x70000003;
const PHDR_FIELDS = { type: 0, offset: 4, vaddr: 8, filesz: 16, memsz: 20, flags: 24 } as const;

/** Editing access to a fixture's ELF header and program headers, in its byte order. */
class ElfEdit {
  readonly data: Buffer;
  private readonly le: boolean;
  constructor(arch: FuzzArch) {
    this.data = fs.readFileSync(fixture(arch));
    this.le = this.data[5] === 1;
  }
  u32(at: number, v?: number): number {
    if (v !== undefined) this.data[this.le ? 'writeUInt32LE' : 'writeUInt32BE'](v >>> 0, at);
    return this.le ? this.data.readUInt32LE(at) : this.data.readUInt32BE(at);
  }
  u16(at: number, v: number): void {
    this.data[this.le ? 'writeUInt16LE' : 'writeUInt16BE'](v, at);
  }
  /** Index of the n-th program header of a type. */
  find(type: number, n = 0): number {
    const phoff = this.u32(28), phnum = this.le ? this.data.readUInt16LE(44) : this.data.readUInt16BE(44);
    for (let i = 0; i < phnum; i++) if (this.u32(phoff + 32 * i) === type && n-- === 0) return i;
    throw new Error(`no program header of type ${type}`);
  }
  ph(i: number, field: keyof typeof PHDR_FIELDS, v?: number): number {
    return this.u32(this.u32(28) + 32 * i + PHDR_FIELDS[field], v);
  }
  write(name: string, length = this.data.length): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, this.data.subarray(0, length), { mode: 0o755 });
    return file;
  }
}

interface Malformed { name: string; arch: FuzzArch; edit(e: ElfEdit): number | void; problem: RegExp; errno: number }

const text = (e: ElfEdit) => e.find(PT_LOAD, 0), data = (e: ElfEdit) => e.find(PT_LOAD, 1);
const MALFORMED: Malformed[] = [
  { name: 'truncated header', arch: 'mips', edit: () => 40, problem: /truncated ELF file/, errno: E.ENOEXEC },
  { name: 'truncated program headers', arch: 'mips', edit: (e) => e.u32(28) + 40, problem: /truncated ELF file \(program headers/, errno: E.EIO },
  { name: 'truncated segment', arch: 'armel', edit: (e) => e.ph(data(e), 'offset') + 10, problem: /truncated ELF file \(segment/, errno: E.EIO },
  { name: 'bad class', arch: 'mips', edit: (e) => void (e.data[4] = 3), problem: /invalid ELF class 3/, errno: E.ENOEXEC },
  { name: '64-bit class', arch: 'armhf', edit: (e) => void (e.data[4] = 2), problem: /64-bit little-endian ARM binary: ELF class 64/, errno: E.ENOEXEC },
  { name: 'e_phentsize', arch: 'mips', edit: (e) => e.u16(42, 56), problem: /program header size 56/, errno: E.ENOEXEC },
  { name: 'e_phnum zero', arch: 'mipsel', edit: (e) => e.u16(44, 0), problem: /no program headers/, errno: E.ENOEXEC },
  { name: 'e_phnum huge', arch: 'mipsel', edit: (e) => e.u16(44, 1000), problem: /1000 program headers \(at most 128\)/, errno: E.ENOEXEC },
  { name: 'e_phoff past the end', arch: 'armhf', edit: (e) => void e.u32(28, 0xfffffff0), problem: /truncated ELF file \(program headers/, errno: E.EIO },
  {
    name: 'no PT_LOAD', arch: 'armhf', edit: (e) => {
      e.ph(data(e), 'type', PT_NULL);
      e.ph(text(e), 'type', PT_NULL);
    }, problem: /no loadable segment/, errno: E.ENOEXEC,
  },
  { name: 'p_filesz > p_memsz', arch: 'mips', edit: (e) => void e.ph(data(e), 'filesz', e.ph(data(e), 'memsz') + 4), problem: /file size .* exceeds its memory size/, errno: E.EINVAL },
  { name: 'p_offset past the end', arch: 'mipsel', edit: (e) => void e.ph(data(e), 'offset', 0x7fff0000 + (e.ph(data(e), 'vaddr') & 0xfff)), problem: /truncated ELF file \(segment/, errno: E.EIO },
  { name: 'segments overlapping', arch: 'armel', edit: (e) => void e.ph(data(e), 'vaddr', e.ph(text(e), 'vaddr') + 0x1000 + (e.ph(data(e), 'offset') & 0xfff)), problem: /segments at .* overlap/, errno: E.EINVAL },
  { name: 'segment past 4 GiB', arch: 'armhf', edit: (e) => void e.ph(data(e), 'memsz', 0xfffff000), problem: /past the top of user space/, errno: E.EINVAL },
  {
    // Over both stacks urun may choose (chooseLayout): the low one at 1 GiB and Linux's.
    name: 'segment over the stack', arch: 'mips', edit: (e) => {
      e.ph(data(e), 'vaddr', 0x3f800000 + (e.ph(data(e), 'offset') & 0xfff));
      e.ph(data(e), 'memsz', 0x40000000);
    }, problem: /overlaps the stack/, errno: E.EINVAL,
  },
  { name: 'segment over the kuser page', arch: 'armel', edit: (e) => void e.ph(data(e), 'vaddr', 0xffff0000 + (e.ph(data(e), 'offset') & 0xfff)), problem: /past the top of user space/, errno: E.EINVAL },
  { name: 'segment at page zero', arch: 'mipsel', edit: (e) => void e.ph(data(e), 'vaddr', e.ph(data(e), 'offset') & 0xfff), problem: /below the lowest mappable address/, errno: E.EINVAL },
  { name: 'huge p_memsz', arch: 'mipsel', edit: (e) => void e.ph(data(e), 'memsz', 0x7f400000), problem: /overlaps the stack/, errno: E.EINVAL },
  { name: 'misaligned segment', arch: 'armhf', edit: (e) => void e.ph(data(e), 'offset', e.ph(data(e), 'offset') + 1), problem: /differ within the page/, errno: E.EINVAL },
  { name: 'entry outside executable segments', arch: 'mips', edit: (e) => void e.u32(24, e.ph(data(e), 'vaddr')), problem: /entry point 0x49a000 is outside every executable segment/, errno: E.ENOEXEC },
  { name: 'misaligned entry', arch: 'armel', edit: (e) => void e.u32(24, e.u32(24) + 2), problem: /misaligned entry point/, errno: E.ENOEXEC },
  {
    name: 'PT_INTERP without its NUL', arch: 'armhf', edit: (e) => {
      const i = e.find(PT_NOTE);
      e.ph(i, 'type', PT_INTERP);
      e.ph(i, 'offset', 0); // "\x7fELF"
      e.ph(i, 'filesz', 4);
    },
    problem: /interpreter path is not NUL-terminated/, errno: E.ENOEXEC,
  },
  {
    name: 'PT_INTERP too long', arch: 'mipsel', edit: (e) => {
      const i = e.find(PT_NOTE);
      e.ph(i, 'type', PT_INTERP);
      e.ph(i, 'filesz', 0x100000);
    }, problem: /interpreter path of 1048576 bytes/, errno: E.ENOEXEC,
  },
  { name: 'PT_MIPS_ABIFLAGS too short', arch: 'mips', edit: (e) => void e.ph(e.find(PT_MIPS_ABIFLAGS), 'filesz', 8), problem: /MIPS ABI flags of 8 bytes/, errno: E.EINVAL },
  { name: 'unknown MIPS FP ABI', arch: 'mipsel', edit: (e) => void (e.data[e.ph(e.find(PT_MIPS_ABIFLAGS), 'offset') + 7] = 200), problem: /unknown MIPS FP ABI 200/, errno: E.EINVAL },
];

describe('malformed ELF files', () => {
  for (const m of MALFORMED) {
    it(`are refused: ${m.name}`, async () => {
      const e = new ElfEdit(m.arch);
      const length = m.edit(e);
      const file = e.write(m.name.replace(/\W+/g, '-'), length ?? undefined);
      const v = await loadVerdict(file);
      expect(v.kind).toBe('refused');
      if (v.kind !== 'refused') return;
      expect(v.message).toMatch(m.problem);
      expect(v.errno).toBe(m.errno);
    });
  }

  it('get one line and status 126 from bin/urun', async () => {
    const e = new ElfEdit('armel');
    e.ph(data(e), 'filesz', e.ph(data(e), 'memsz') + 4);
    const file = e.write('cli-check');
    const r = await urunAsync([file]);
    expect(r.status).toBe(126);
    expect(r.stderr).toBe(`urun: ${file}: program header ${data(e)}: segment's file size 0x${(e.ph(data(e), 'filesz') >>> 0).toString(16)} exceeds its memory size 0x${e.ph(data(e), 'memsz').toString(16)}\n`);
  });

  it('make a guest execve fail with the errno (the guest goes on)', async () => {
    const bad = new ElfEdit('mipsel');
    bad.u16(42, 40);
    const overlap = new ElfEdit('armhf');
    overlap.ph(data(overlap), 'filesz', 0xffffff00);
    const r = await urunAsync([path.join(path.dirname(fixture('mipsel')), 'procs'), 'exec_other_arch', bad.write('exec-phentsize'), overlap.write('exec-filesz')]);
    expect(r.stdout).toBe('execve failed: ENOEXEC\ntarget 1: exit 126\nexecve failed: EINVAL\ntarget 2: exit 126\n');
    expect(r.status).toBe(0);
  });
});

describe('unusual but valid ELF files run as on Linux', () => {
  const cases: [string, FuzzArch, (e: ElfEdit) => void][] = [
    ['EI_VERSION and e_version unchecked', 'mips', (e) => {
      e.data[6] = 0;
      e.u32(20, 7);
    }],
    ['a zero-length PT_LOAD and two PT_GNU_STACKs', 'armel', (e) => {
      const note = e.find(PT_NOTE);
      e.ph(note, 'type', PT_LOAD);
      e.ph(note, 'filesz', 0);
      e.ph(note, 'memsz', 0);
      e.ph(e.find(PT_GNU_RELRO), 'type', PT_GNU_STACK);
    }],
  ];
  for (const [name, arch, edit] of cases) {
    it(name, async () => {
      const e = new ElfEdit(arch);
      edit(e);
      const r = await urunAsync([e.write(name.replace(/\W+/g, '-'))]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('Hello, world!\n');
      expect(r.status).toBe(0);
    });
  }
});

describe('what the loader learns from the program headers', () => {
  it('a program Go linked is known by its build-ID note (its first threads start early), a C program is not', () => {
    const goBuilt = (arch: string, name: string) => parseElf(fs.readFileSync(path.join(BIN_DIR as string, arch, name)), name).builtByGo;
    for (const arch of ['mips', 'mipsel', 'armhf', 'armel']) {
      expect(goBuilt(arch, 'gotest'), arch).toBe(true);
      expect(goBuilt(arch, 'procs'), arch).toBe(false);
    }
    // A note of another owner with the same type, and one cut short, are not Go's.
    const e = new ElfEdit('mips');
    const note = e.find(PT_NOTE);
    expect(parseElf(e.data, 'hello').builtByGo).toBe(false);
    const at = e.ph(note, 'offset');
    e.data.write('Go\0\0', at + 12, 'latin1');
    e.u32(at + 8, 4);
    expect(parseElf(e.data, 'hello').builtByGo).toBe(true);
    e.ph(note, 'filesz', 14);
    expect(parseElf(e.data, 'hello').builtByGo).toBe(false);
  });
});

describe('a program file', () => {
  const layout = { taskSize: 0x80000000, stackTop: 0x40000000, mmapTop: 0x3e000000, stackSize: 8 << 20 };
  /** Guest memory as mapImage leaves it: permissions and bytes of every page it mapped. */
  const mapped = (elf: ElfFile, file: string) => {
    const mem = new GuestMemory(elf.littleEndian);
    mapImage(mem, elf, file, 0x400000, layout);
    const pages = [...mem.perm.keys()].filter((p) => mem.perm[p] !== 0);
    return { perms: pages.map((p) => [p, mem.perm[p]]), bytes: Buffer.concat(pages.map((p) => mem.bytes.subarray(p * 4096, (p + 1) * 4096))) };
  };

  it('is read from its headers: each segment goes from the file into guest memory, as when the whole file is read', () => {
    for (const arch of ['mips', 'mipsel', 'armhf', 'armel']) {
      const file = path.join(BIN_DIR as string, arch, 'hello');
      const elf = readElfFile(file);
      try {
        expect(elf.size).toBe(fs.statSync(file).size);
        expect(elf.head.length, arch).toBeLessThan(elf.size);
        const fromFile = mapped(elf, file), fromMemory = mapped(parseElf(fs.readFileSync(file), file), file);
        expect(fromFile.perms.length, arch).toBeGreaterThan(10);
        expect(fromFile.perms, arch).toEqual(fromMemory.perms);
        expect(fromFile.bytes.equals(fromMemory.bytes), arch).toBe(true);
        expect(elf.whole().equals(fs.readFileSync(file))).toBe(true);
      } finally {
        elf.close();
      }
    }
  });

  it('whose program headers lie past its first 64 KiB has them read too', () => {
    const e = new ElfEdit('armhf');
    const phoff = e.u32(28), table = e.data.subarray(phoff, phoff + 32 * e.data.readUInt16LE(44));
    const moved = Buffer.concat([e.data, table]);
    moved.writeUInt32LE(e.data.length, 28);
    const file = path.join(dir, 'far-phdrs');
    fs.writeFileSync(file, moved);
    const elf = readElfFile(file);
    elf.close();
    const whole = parseElf(e.data, 'hello');
    expect(elf.programs).toEqual(whole.programs);
    expect(elf.programs.length).toBeGreaterThan(3);
  });
});

describe('execve arguments', () => {
  it('over Linux\'s limits give E2BIG (a string over 128 KiB, or over 2 MiB in all)', () => {
    const s = (n: number) => 'x'.repeat(n - 1);
    expect(argumentsTooLong(['prog', s(131072)], [])).toBe(false);
    expect(argumentsTooLong(['prog', s(131073)], [])).toBe(true);
    expect(argumentsTooLong(['prog'], Array.from({ length: 17 }, () => s(131072)))).toBe(true);
    expect(argumentsTooLong(['prog'], Array.from({ length: 15 }, () => s(131072)))).toBe(false);
  });

  it('may take a quarter of RLIMIT_STACK, at most 6 MiB (a shell\'s ulimit -s 65536 before a long xargs command)', () => {
    const s = (n: number) => 'x'.repeat(n - 1);
    const args = (count: number) => Array.from({ length: count }, () => s(131072));
    expect(argumentsTooLong(['prog'], args(30), 32n << 20n)).toBe(false);
    expect(argumentsTooLong(['prog'], args(40), 64n << 20n)).toBe(false);
    expect(argumentsTooLong(['prog'], args(49), 0xffffffffffffffffn)).toBe(true);
    expect(argumentsTooLong(['prog'], args(2), 1n << 20n)).toBe(true);
  });
});

describe('the address space', () => {
  // test/guest/hightext.c: ARM code at 0xb0000000, Thumb code at 0x90000000. urun once refused
  // both ('entry point ... is outside every executable segment': a signed entry address).
  it.concurrent.each([['armel', 'at 0xb0000000'], ['armhf', 'at 0x90000000']])('runs an ARM program linked above 2 GiB (%s, %s), as Linux and qemu-arm do', async (arch) => {
    const r = await urunAsync([path.join(BIN_DIR as string, arch, 'hightext')]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('running above 2 GiB\n');
    expect(r.status).toBe(0);
  });

  it('knows a PROT_NONE reservation holds zeros, and a page made PROT_NONE over data does not (what a fork copies)', () => {
    const mem = new GuestMemory(true);
    const page = 0x10000;
    mem.map(page * 4096, 4 * 4096, 0);
    expect(mem.holdsOnlyZeros(page)).toBe(true);
    mem.protect(page * 4096, 4096, 3);
    expect(mem.holdsOnlyZeros(page)).toBe(true);
    mem.bytes[page * 4096 + 100] = 1;
    mem.protect(page * 4096, 4096, 0);
    expect(mem.holdsOnlyZeros(page)).toBe(false);
    mem.poke((page + 2) * 4096 + 4090, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    expect([mem.holdsOnlyZeros(page + 1), mem.holdsOnlyZeros(page + 2), mem.holdsOnlyZeros(page + 3)]).toEqual([true, false, false]);
    mem.map(page * 4096, 4 * 4096, 0);
    expect(mem.holdsOnlyZeros(page) && mem.holdsOnlyZeros(page + 3)).toBe(true);
    expect(mem.bytes[page * 4096 + 100]).toBe(0);
  });

  it("keeps Linux's layout for a program whose fixed segments sit where the low stack would go", () => {
    const linux = { taskSize: 0xbf000000, stackTop: 0xbf000000, mmapTop: 0xb7000000, stackSize: 8 << 20 };
    const image = (type: number, vaddr: number, memsz: number) => ({ type, programs: [{ type: 1, vaddr, memsz, filesz: 0, offset: 0, flags: 5, align: 0x1000 }] }) as unknown as ElfFile;
    const ET_EXEC = 2, ET_DYN = 3;
    expect(chooseLayout(linux, image(ET_EXEC, 0x10000, 0x5000), null).stackTop).toBe(0x40000000);
    expect(chooseLayout(linux, image(ET_EXEC, 0x3fc00000, 0x1000), null)).toBe(linux);
    // A position-independent program goes at 0x400000: a huge one reaches the low stack.
    expect(chooseLayout(linux, image(ET_DYN, 0, 0x3f000000), null)).toBe(linux);
    // A position-independent interpreter is placed wherever there is room.
    expect(chooseLayout(linux, image(ET_EXEC, 0x10000, 0x5000), image(ET_DYN, 0x3fc00000, 0x1000)).stackTop).toBe(0x40000000);
  });

  it('gives the stack RLIMIT_STACK when that is above 8 MiB, as qemu-user does, moving the mappings down', () => {
    expect(stackSizeFor(0xffffffffffffffffn)).toBe(8 << 20);
    expect(stackSizeFor(1n << 20n)).toBe(8 << 20);
    expect(stackSizeFor(64n << 20n)).toBe(64 << 20);
    expect(stackSizeFor(8n << 30n)).toBe(1 << 30);
    const linux = { taskSize: 0xbf000000, stackTop: 0xbf000000, mmapTop: 0xb7000000, stackSize: 8 << 20 };
    const image = { type: 2, programs: [{ type: 1, vaddr: 0x10000, memsz: 0x5000, filesz: 0, offset: 0, flags: 5, align: 0x1000 }] } as unknown as ElfFile;
    expect(chooseLayout(linux, image, null, 64 << 20)).toEqual({ taskSize: 0xbf000000, stackTop: 0x40000000, mmapTop: 0x40000000 - (80 << 20), stackSize: 64 << 20 });
    expect(chooseLayout(linux, image, null, 1 << 30)).toEqual({ taskSize: 0xbf000000, stackTop: 0xbf000000, mmapTop: 0xbf000000 - (1 << 30) - (16 << 20), stackSize: 1 << 30 });
  });

  // qemu-user's layout (elf/load.ts chooseLayout): the stack ends at 1 GiB, libraries below it;
  // ARM has 3 GB of user space, MIPS 2 GB.
  it.concurrent.each([
    ['armhf', '40000000', true, '00145000-00149000 r--p 00134000'],
    ['mipsel', '40000000', false, '00630000-00634000 rw-p 00220000'],
  ])('%s: the stack ends at 0x%s; ARM has its [vectors] page; segments show their file offsets, the heap its own line', async (arch, stackTop, vectors, segment) => {
    const r = await urunAsync([path.join(BIN_DIR as string, arch, 'busybox'), 'cat', '/proc/self/maps']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^[0-9a-f]{8}-${stackTop} rw-p .* \\[stack\\]$`, 'm'));
    expect(r.stdout.includes('ffff0000-ffff1000 r-xp 00000000 00:00 0          [vectors]')).toBe(vectors);
    expect(r.stdout).toMatch(new RegExp(`^${segment} 00:00 0 +\\S+/busybox$`, 'm'));
    // (qemu-user leaves the heap unnamed.)
    expect(r.stdout).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8} rw-p 00000000 00:00 0 +\[heap\]$/m);
  });
});

describe('the initial stack', () => {
  it('holds the strings as Linux lays them out: argv then envp in order, the file name above, the platform below', () => {
    const mem = new GuestMemory(true);
    const argv = ['prog', 'one', ''], envp = ['A=1', 'B=two'];
    const STACK_TOP = 0xbf000000; // ARM's, above 0x80000000
    const sp = buildStack(mem, { argv, envp, execfn: '/bin/prog', platform: 'v7l', hwcap: 0, hwcap2: 0, interpBase: 0, stackTop: STACK_TOP,
      program: { bias: 0, entry: 0x10000, phdr: 0x10034, brk: 0x20000, lowest: 0x10000 },
      programElf: { phentsize: 32, programs: [] } as unknown as ElfFile });
    const word = (i: number) => mem.view.getUint32(sp + 4 * i, true);
    expect(word(0)).toBe(argv.length);
    const pointers = [...argv.map((_, i) => word(1 + i)), ...envp.map((_, i) => word(2 + argv.length + i))];
    expect(pointers.map((p) => mem.readCString(p))).toEqual([...argv, ...envp]);
    // One area, each string right after the previous one (setproctitle relies on it).
    pointers.slice(1).forEach((p, i) => expect(p).toBe(pointers[i] + Buffer.byteLength([...argv, ...envp][i]) + 1));
    const auxv = readAuxv(mem, sp);
    const aux = (type: number) => auxv[auxv.findIndex((w, i) => i % 2 === 0 && w === type) + 1];
    const last = pointers.at(-1)! + Buffer.byteLength(envp.at(-1)!) + 1;
    expect(aux(AT_EXECFN)).toBe(last);
    expect(mem.readCString(aux(AT_EXECFN))).toBe('/bin/prog');
    expect(aux(AT_EXECFN) + '/bin/prog'.length + 1).toBe(STACK_TOP - 4);
    expect(mem.readCString(aux(AT_PLATFORM))).toBe('v7l');
    expect(aux(AT_PLATFORM) + 4).toBe(pointers[0]);
    expect(auxv.filter((w, i) => i % 2 === 0 && w === AT_BASE_PLATFORM)).toEqual([]);
  });

  it('gives AT_BASE_PLATFORM, the ISA level, when the model has one (MIPS, as Linux 5.9 on and qemu-user)', () => {
    const mem = new GuestMemory(false);
    const sp = buildStack(mem, { argv: ['prog'], envp: [], execfn: 'prog', platform: null, basePlatform: 'mips32r2', hwcap: 0, hwcap2: 0,
      interpBase: 0, stackTop: 0x7fff0000, program: { bias: 0, entry: 0x400000, phdr: 0x400034, brk: 0x410000, lowest: 0x400000 },
      programElf: { phentsize: 32, programs: [] } as unknown as ElfFile });
    const auxv = readAuxv(mem, sp);
    const aux = (type: number) => auxv[auxv.findIndex((w, i) => i % 2 === 0 && w === type) + 1];
    expect(mem.readCString(aux(AT_BASE_PLATFORM))).toBe('mips32r2');
    expect(auxv.filter((w, i) => i % 2 === 0 && w === AT_PLATFORM)).toEqual([]);
  });
});

describe('ELF mutation fuzzing (fixed seed)', () => {
  it('never breaks urun: clean refusals, no internal error, no JS stack, no hang', async () => {
    const r = await fuzzElf({ seed: 11, count: 80, runEvery: 20, timeoutMs: 30_000, dir, parallel: 2 });
    expect(r.failures).toEqual([]);
    expect(r.mutants).toBe(320);
    // The slice exercises both outcomes and real runs of loaded mutants.
    expect(r.refused).toBeGreaterThan(50);
    expect(r.loaded).toBeGreaterThan(50);
    expect(r.ran).toBe(16);
  }, 120_000);
});
