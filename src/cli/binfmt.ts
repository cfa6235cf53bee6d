// `urun binfmt install|uninstall|status`: registers urun with the kernel's binfmt_misc, so
// that foreign binaries run by their own path (as qemu-user-static does), and shows what is
// registered. urun's entries are named urun-<arch>; entries of other emulators are shown,
// never changed.
//
// Each entry's interpreter is a small generated script (one per arch, in --dir) that runs
// this urun with this Node. It is registered with the P flag, so it gets the program's full
// path, the program's original argv[0], then its arguments, and passes argv[0] on (-0); and
// with F, so the kernel opens the script once at registration (it keeps working in other
// mount namespaces and chroots, as long as Node and urun are at the same paths there).
import * as fs from 'node:fs';
import { writeOut } from './output.js';
import { urunShellLine } from '../host/kept-env.js';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { writeSync } from 'node:fs';
import { findModel, type CpuModel } from '../isa/models.js';
import { MIPS_MODELS } from '../isa/mips/models.js';
import { ARM_MODELS } from '../isa/arm/models.js';

/** Where binfmt_misc is mounted (URUN_BINFMT_MISC moves it, for tests that must not touch the machine's). */
const BINFMT_DIR = process.env.URUN_BINFMT_MISC || '/proc/sys/fs/binfmt_misc';
const DEFAULT_SCRIPT_DIR = '/usr/local/lib/urun/binfmt';
const PREFIX = 'urun-';

/** What selects each arch's ELF files: qemu's magic and mask (ELF32, byte order, e_machine; e_type EXEC or DYN). */
const MAGIC: Record<string, { magic: string; mask: string }> = {
  mips: {
    magic: '\\x7fELF\\x01\\x02\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x08',
    mask: '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff',
  },
  mipsel: {
    magic: '\\x7fELF\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x08\\x00',
    mask: '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff',
  },
  arm: {
    magic: '\\x7fELF\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x28\\x00',
    mask: '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff',
  },
};
const ARCH_NAMES = Object.keys(MAGIC);
const MODELS: Record<string, CpuModel[]> = { mips: MIPS_MODELS, mipsel: MIPS_MODELS, arm: ARM_MODELS };

class BinfmtError extends Error {}

/** The magic as the kernel lists it in an entry: the bytes in hex. */
const hexOf = (escaped: string) =>
  Buffer.from(escaped.replace(/\\x([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('hex');

export async function binfmtCommand(argv: string[]): Promise<void> {
  const cmd = new Command('urun binfmt')
    .description('register urun with binfmt_misc so that MIPS and ARM programs run by their own path')
    .exitOverride()
    .configureOutput({ writeErr: (s) => writeSync(2, s), writeOut });
  const archOption = ['--arch <list>', `comma-separated: ${ARCH_NAMES.join(',')}`, ARCH_NAMES.join(',')] as const;
  cmd.command('install')
    .description('register urun-<arch> entries (replacing urun\'s own; root only)')
    .option(...archOption)
    .option('-L, --sysroot <dir>', 'root filesystem for dynamic programs (else URUN_SYSROOT / QEMU_LD_PREFIX when they run)')
    .option('--cpu <name>', 'CPU model for the programs (else URUN_CPU when they run)')
    .option('--dir <dir>', 'where to write the interpreter scripts', DEFAULT_SCRIPT_DIR)
    .action((o: { arch: string; sysroot?: string; cpu?: string; dir: string }) => install(archesOf(o.arch), o));
  cmd.command('uninstall')
    .description("remove urun's entries (others are left alone; root only)")
    .option(...archOption)
    .action((o: { arch: string }) => uninstall(archesOf(o.arch)));
  cmd.command('status')
    .description('show every binfmt_misc entry for these arches, urun\'s or another emulator\'s')
    .action(() => status());
  try {
    await cmd.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
    // What the kernel or the filesystem refused (EACCES, EROFS, EINVAL from register, ...).
    const hostError = e instanceof Error && 'code' in e && 'syscall' in e;
    if (e instanceof BinfmtError || hostError) {
      writeSync(2, `urun binfmt: ${(e as Error).message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

function archesOf(list: string): string[] {
  const arches = list.split(',').map((a) => a.trim()).filter(Boolean);
  for (const a of arches) {
    if (!(a in MAGIC)) throw new BinfmtError(`unknown arch '${a}' (urun registers ${ARCH_NAMES.join(', ')}; arm covers armhf and armel)`);
  }
  return arches;
}

/** Checks that entries can be changed here: binfmt_misc mounted and writable by us. */
function checkWritable(): void {
  if (!fs.existsSync(path.join(BINFMT_DIR, 'register'))) {
    throw new BinfmtError(`binfmt_misc is not mounted at ${BINFMT_DIR} (mount -t binfmt_misc binfmt_misc ${BINFMT_DIR})`);
  }
  if (process.getuid?.() !== 0) throw new BinfmtError('changing binfmt_misc entries needs root (run with sudo)');
}

function install(arches: string[], o: { sysroot?: string; cpu?: string; dir: string }): void {
  for (const arch of arches) {
    if (o.cpu && !findModel(MODELS[arch], o.cpu)) {
      throw new BinfmtError(`--cpu ${o.cpu} is not a CPU model for ${arch} (${MODELS[arch].map((m) => m.name).join(', ')}); choose the arches with --arch`);
    }
  }
  checkWritable();
  const bundle = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'urun.cjs');
  const cli = path.resolve(path.dirname(bundle), '..', 'bin', 'urun');
  if (!fs.existsSync(bundle) || !fs.existsSync(cli)) throw new BinfmtError(`cannot find urun's bundle at ${bundle} (run npm run build)`);
  fs.mkdirSync(o.dir, { recursive: true });
  const fixed = [...(o.sysroot ? ['--sysroot', path.resolve(o.sysroot)] : []), ...(o.cpu ? ['--cpu', o.cpu] : [])];
  for (const arch of arches) {
    const script = path.join(path.resolve(o.dir), `${PREFIX}${arch}`);
    if (script.includes(':')) throw new BinfmtError(`${script}: a binfmt_misc interpreter path cannot contain ':'`);
    // binfmt_misc (flag P) passes: the program's full path, its original argv[0], its arguments.
    // urun starts more of itself (fork, exec from a vfork child) as `node <argv[1]> ...`: bin/urun.
    // Written beside and renamed over: an entry with F holds the old script open for execution.
    // As bin/urun: a shell line reads the signals ignored where the program starts (Node resets them).
    fs.writeFileSync(`${script}.new`, '#!/bin/sh\n' +
      `${urunShellLine(process.execPath)}\n` +
      `// Written by \`urun binfmt install\`: binfmt_misc runs this for ${arch} programs.\n` +
      'globalThis.urunHostIgnored = process.env.URUN_HOST_SIGIGN ? BigInt(`0x${process.env.URUN_HOST_SIGIGN}`) : 0n;\n' +
      'delete process.env.URUN_HOST_SIGIGN;\n' +
      "globalThis.urunHostClosed = process.env.URUN_HOST_CLOSED ?? '';\n" +
      'delete process.env.URUN_HOST_CLOSED;\n' +
      'const [program, argv0, ...args] = process.argv.slice(2);\n' +
      `const urun = [...${JSON.stringify(fixed)}, '-0', argv0 ?? program, '--', program, ...args];\n` +
      `process.argv = [process.argv[0], ${JSON.stringify(cli)}, ...urun];\n` +
      `import(${JSON.stringify(`file://${bundle}`)}).then((m) => (m.restoreKeptEnv(), m.main(urun)));\n`,
    { mode: 0o755 });
    fs.renameSync(`${script}.new`, script);
    const entry = path.join(BINFMT_DIR, `${PREFIX}${arch}`);
    if (fs.existsSync(entry)) fs.writeFileSync(entry, '-1');
    const { magic, mask } = MAGIC[arch];
    fs.writeFileSync(path.join(BINFMT_DIR, 'register'), `:${PREFIX}${arch}:M:0:${magic}:${mask}:${script}:PF`);
    const others = entries().filter((e) => !e.name.startsWith(PREFIX) && e.magic === hexOf(magic));
    const note = others.length ? ` (before ${others.map((e) => e.name).join(', ')}, also registered for them)` : '';
    writeOut(`registered ${PREFIX}${arch}: ${script}${note}\n`);
  }
}

function uninstall(arches: string[]): void {
  checkWritable();
  for (const arch of arches) {
    const entry = path.join(BINFMT_DIR, `${PREFIX}${arch}`);
    if (!fs.existsSync(entry)) {
      writeOut(`${PREFIX}${arch}: not registered\n`);
      continue;
    }
    fs.writeFileSync(entry, '-1');
    writeOut(`removed ${PREFIX}${arch}\n`);
  }
}

interface Entry {
  name: string;
  enabled: boolean;
  interpreter: string;
  flags: string;
  magic: string;
}

/** The registered entries, as the kernel lists them. */
function entries(): Entry[] {
  return fs.readdirSync(BINFMT_DIR).filter((n) => n !== 'register' && n !== 'status').flatMap((name) => {
    let text: string;
    try {
      text = fs.readFileSync(path.join(BINFMT_DIR, name), 'utf8');
    } catch {
      return []; // removed meanwhile, or not readable
    }
    const field = (key: string) => text.match(new RegExp(`^${key} ?:? ?(.*)$`, 'm'))?.[1] ?? '';
    return [{ name, enabled: /^enabled$/m.test(text), interpreter: field('interpreter'), flags: field('flags'), magic: field('magic') }];
  });
}

function status(): void {
  if (!fs.existsSync(path.join(BINFMT_DIR, 'status'))) {
    throw new BinfmtError(`binfmt_misc is not mounted at ${BINFMT_DIR}`);
  }
  const state = fs.readFileSync(path.join(BINFMT_DIR, 'status'), 'utf8').trim();
  writeOut(`binfmt_misc: ${state}\n`);
  for (const arch of ARCH_NAMES) {
    const hex = hexOf(MAGIC[arch].magic);
    const mine = entries().filter((e) => e.magic === hex || e.name === `${PREFIX}${arch}`);
    if (mine.length === 0) {
      writeOut(`${arch}: no entry\n`);
      continue;
    }
    for (const e of mine) {
      const who = e.name.startsWith(PREFIX) ? 'urun' : 'other';
      writeOut(`${arch}: ${e.name} (${who}, ${e.enabled ? 'enabled' : 'disabled'}, flags ${e.flags || '-'}): ${e.interpreter}\n`);
    }
  }
}
