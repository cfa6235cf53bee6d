// /proc/self (and /proc/<own pid>) as the guest must see it: the guest program, its
// arguments, environment, mappings and descriptors, not the Node process running it. The
// files are made on open (a memfd holding the text); links are answered on readlink.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { libc } from '../host/libc.js';
import { stringToBytes } from '../host/bytes.js';
import { hostStatFields } from '../host/proc-stat.js';
import { PAGE_CODE, PAGE_PAST_EOF_R, PAGE_SHARED, PAGE_PAST_EOF_W, PAGE_SHIFT, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, mappedRuns } from '../memory/memory.js';
import type { Kernel } from './kernel.js';
import { E } from './errno.js';
import { MIPS_DEFAULT_MODEL } from '../isa/mips/models.js';
import { ARM_DEFAULT_MODEL } from '../isa/arm/models.js';
import { SIG_DFL, SIG_IGN } from './kernel.js';
import { CTL_LIVE_THREADS } from './threads.js';
import { guestSocketType } from './arch/socket-abi.js';

const SELF = /^\/proc\/(self|thread-self|\d+)(?:\/task\/(\d+))?\/(exe|cmdline|comm|environ|maps|smaps|smaps_rollup|stat|status|auxv|mem|fd\/(\d+)|fdinfo\/(\d+))$/;
const THREAD_SELF = /^\/proc\/thread-self(?=\/|$)/;
const OTHER_MEM = /^\/proc\/\d+(?:\/task\/\d+)?\/mem$/;
const TASK = /^\/proc\/(self|\d+)\/task\/(\d+)(?=\/|$)/;

/** A /proc/self file: its name, the descriptor of fd/N, the thread of task/<tid>/ (else the main thread's). */
function ownEntry(k: Kernel, path: string): { name: string; fd: number; tid: number } | null {
  const m = SELF.exec(path);
  if (!m || (m[1] !== 'self' && m[1] !== 'thread-self' && Number(m[1]) !== k.pid)) return null;
  const tid = m[2] !== undefined ? Number(m[2]) : m[1] === 'thread-self' ? k.callerTid : k.pid;
  if (m[4] !== undefined) return { name: 'fd', fd: Number(m[4]), tid };
  return m[5] !== undefined ? { name: 'fdinfo', fd: Number(m[5]), tid } : { name: m[3], fd: -1, tid };
}

/** The guest's threads, ascending (as /proc/self/task lists them): gettid's answers, not the host's. */
export function guestTids(k: Kernel): number[] {
  return (k.threads?.taskIds ?? k.threads?.threadIds)?.call(k.threads).sort((a, b) => a - b) ?? [k.thread.tid];
}

/**
 * /proc/thread-self is the calling guest thread's /proc/self/task/<tid>. A task directory
 * of a guest thread (whose id the host does not know) is the host main thread's, except
 * for the files urun makes itself, which keep the tid; another tid names nothing.
 */
export function taskPath(k: Kernel, p: string): string {
  p = p.replace(THREAD_SELF, `/proc/${k.pid}/task/${k.callerTid}`);
  const m = TASK.exec(p);
  if (!m || (m[1] !== 'self' && Number(m[1]) !== k.pid)) return p;
  const rest = p.slice(m[0].length);
  if (!guestTids(k).includes(Number(m[2]))) return `/proc/self/task/-1${rest}`;
  return ownEntry(k, p) ? p : `/proc/self/task/${process.pid}${rest}`;
}

/** The guest's name for a /proc directory it opened that stands for a guest thread's, or null. */
export function taskDirName(k: Kernel, guestPath: string): string | null {
  const p = guestPath.replace(THREAD_SELF, `/proc/${k.pid}/task/${k.callerTid}`);
  return TASK.test(p) ? p : null;
}

/** Whether an opened /proc directory is the guest's own task list (listed with guest tids). */
export const isOwnTaskDir = (k: Kernel, p: string): boolean => {
  const m = /^\/proc\/(self|\d+)\/task\/?$/.exec(p);
  return m !== null && (m[1] === 'self' || Number(m[1]) === k.pid);
};

/** Whether a host path names a /proc file urun makes for the guest (its own process's, or the CPU's). */
export function ownProcFile(k: Kernel, path: string): boolean {
  return path === '/proc/cpuinfo' || ownEntry(k, path) !== null;
}

/** The target of a /proc/self link the guest reads, or null when the host's answer is right. */
export function procSelfLink(k: Kernel, path: string): string | null {
  if (path === '/proc/thread-self') return `${k.pid}/task/${k.callerTid}`;
  const e = ownEntry(k, path);
  if (!e) return null;
  if (e.name === 'exe') return k.opts.exePath;
  if (e.name === 'fd') return k.file(e.fd)?.path ?? null;
  return null;
}

/** Opens a /proc/self file: a host descriptor with the guest's view, or null if not one of ours. */
export function openProcSelf(k: Kernel, path: string): number | null {
  // What describes the CPU is the guest's; the rest of /proc and /sys (meminfo, stat,
  // uptime, version, mounts, sys/kernel, the online CPUs...) is the host's, arch-neutral.
  if (path === '/proc/cpuinfo') return memfdWith(cpuinfo(k));
  const net = k.mem.littleEndian ? null : NET_WORDS.exec(path);
  if (net) return memfdWith(inGuestWordOrder(net[1], fs.readFileSync(path, 'latin1')));
  // (typeToHost lists the types a guest numbers its own way: MIPS's 1 and 2; none elsewhere.)
  const typed = k.abi.socket.typeToHost[1] !== undefined ? NET_TYPES.exec(path) : null;
  if (typed) return memfdWith(withGuestSocketTypes(k, typed[1], fs.readFileSync(path, 'latin1')));
  const e = ownEntry(k, path);
  // Another process's memory file is another urun's own memory on the host: refused, as
  // Linux refuses a process that may not trace the other.
  if (!e && OTHER_MEM.test(path)) throw Object.assign(new Error(`${path}: not this process's memory`), { code: 'EACCES' });
  if (!e) return null;
  // A descriptor's link: Kernel.hostPath has already made it the host descriptor's.
  if (e.name === 'fd') return null;
  if (e.name === 'exe') return fs.openSync(k.opts.exePath, 'r');
  if (e.name === 'fdinfo') {
    const text = fdinfo(k, e.fd);
    return text === null ? null : memfdWith(text);
  }
  // (Only a place to keep the file offset: its reads and writes are guestMemoryIo's.)
  if (e.name === 'mem') return libc().memfd('mem');
  return memfdWith(procText(k, e.name, e.tid));
}

/**
 * /proc/self/fdinfo/N of the guest's descriptor N, which Kernel.hostPath has made the host
 * descriptor's path: that file (the position, mount, inode and the kind's own lines are the
 * host kernel's) with the guest's flags, its status flags as F_GETFL gives them and O_CLOEXEC
 * when the descriptor has it, printed as Linux does (octal). null: not a guest descriptor's.
 */
function fdinfo(k: Kernel, hostFd: number): string | null {
  let entry;
  for (const e of k.fds.values()) if (e.file.hostFd === hostFd) { entry = e; break; }
  if (!entry) return null;
  const flags = entry.file.flags | (entry.cloexec ? k.abi.openFlags.O_CLOEXEC : 0);
  const host = fs.readFileSync(`/proc/self/fdinfo/${hostFd}`, 'latin1');
  return host.replace(/^flags:\t[0-7]+$/m, `flags:\t0${flags.toString(8)}`);
}

/** Whether an open file is the guest's /proc/self/mem. */
export const isOwnMemFile = (k: Kernel, path: string): boolean => path.endsWith('/mem') && ownEntry(k, path)?.name === 'mem';

const SEEK_SET = 0, SEEK_CUR = 1;

/**
 * A read or write of /proc/self/mem: the guest's memory at the file offset (`pos`, or the
 * descriptor's own), as far as pages are mapped; a write reaches read-only pages too, as a
 * debugger's does on Linux. Nothing is passed to the host's /proc/self/mem, which is urun's
 * own memory. -EIO when the first byte is not mapped.
 */
export function guestMemoryIo(k: Kernel, hostFd: number, buf: Uint8Array, pos: number | null, write: boolean): number {
  const at = pos ?? Number(libc().lseekExact(hostFd, 0n, SEEK_CUR));
  let done = 0;
  while (done < buf.length && at + done < 2 ** 32) {
    const a = at + done, page = a >>> PAGE_SHIFT;
    if (!k.mem.isMapped(page)) break;
    const n = Math.min(buf.length - done, (page + 1) * PAGE_SIZE - a);
    if (write) {
      if (k.mem.perm[page] & PAGE_CODE) k.mem.onCodeWrite(page);
      k.mem.bytes.set(buf.subarray(done, done + n), a);
    } else {
      buf.set(k.mem.bytes.subarray(a, a + n), done);
    }
    done += n;
  }
  if (done === 0) return -E.EIO;
  if (pos === null) libc().lseekExact(hostFd, BigInt(at + done), SEEK_SET);
  return done;
}

// The /proc/net tables that print IPv4 and IPv6 addresses as the hex of 32-bit words in the
// kernel's byte order: a big-endian guest reads them as a big-endian kernel prints them.
const NET_WORDS = /^\/proc\/(?:(?:self|thread-self|\d+)\/)?net\/(route|igmp|(?:tcp|udp|raw|udplite|icmp)6?)$/;
const swapWords = (hex: string) => hex.replace(/[0-9A-F]{8}/g, (w) => w.slice(6) + w.slice(4, 6) + w.slice(2, 4) + w.slice(0, 2));

/** A /proc/net table's text with its address words byte-swapped (route: destination, gateway and mask; igmp: the groups). */
function inGuestWordOrder(table: string, text: string): string {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    if (table === 'route') {
      const f = lines[i].split('\t');
      if (f.length < 8) continue;
      for (const col of [1, 2, 7]) f[col] = swapWords(f[col]);
      lines[i] = f.join('\t');
    } else if (table === 'igmp') {
      // A group's line: its address, then users, timer and reporter.
      lines[i] = lines[i].replace(/^(\t+)([0-9A-F]{8})(?= )/, (_m, tabs: string, group: string) => tabs + swapWords(group));
    } else {
      lines[i] = lines[i].replace(/^(\s*\d+: )([0-9A-F]+)(:[0-9A-F]{4} )([0-9A-F]+)(?=:[0-9A-F]{4} )/,
        (_m, sl: string, local: string, lport: string, remote: string) => sl + swapWords(local) + lport + swapWords(remote));
    }
  }
  return lines.join('\n');
}

// The /proc/net tables with a column of socket types (unix: %04X; packet: %-6u), which MIPS
// numbers its own way (SOCK_STREAM 2, SOCK_DGRAM 1): netstat and ss read them.
const NET_TYPES = /^\/proc\/(?:(?:self|thread-self|\d+)\/)?net\/(unix|packet)$/;

/** A /proc/net/unix or /proc/net/packet table with each socket's type in the guest's numbering. */
function withGuestSocketTypes(k: Kernel, table: string, text: string): string {
  const guest = (host: number) => guestSocketType(k.abi.socket, host);
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    lines[i] = table === 'unix'
      // Num: RefCount Protocol Flags Type St Inode [Path]
      ? lines[i].replace(/^(\S+: \S+ \S+ \S+ )([0-9A-F]{4})(?= )/, (_m, head: string, type: string) =>
        head + guest(parseInt(type, 16)).toString(16).toUpperCase().padStart(4, '0'))
      // sk RefCnt Type Proto ...
      : lines[i].replace(/^(\S+ \S+ +)(\d+)( +)/, (_m, head: string, type: string, gap: string) => {
        const t = String(guest(Number(type)));
        return head + t + ' '.repeat(Math.max(1, gap.length + type.length - t.length));
      });
  }
  return lines.join('\n');
}

function memfdWith(text: Buffer | string): number {
  const fd = libc().memfd('proc');
  const data = typeof text === 'string' ? Buffer.from(text) : text;
  fs.writeSync(fd, data, 0, data.length, 0); // positioned: the reader starts at offset 0
  return fd;
}

/** A thread's name as Linux starts it: the program's file name, cut to 15 bytes. */
export const programName = (k: Kernel): string => (k.comm ?? k.argv[0] ?? k.opts.exePath).split('/').pop()!.slice(0, 15);
/**
 * The name of thread `tid` (prctl PR_SET_NAME, a write to its comm file): in a threaded
 * process, as the thread machinery keeps it (any thread may rename another).
 */
export const threadName = (k: Kernel, tid = k.pid): string =>
  (k.threads?.threadName ? k.threads.threadName(tid) : k.thread.name) ?? programName(k);

/** Renames thread `tid`; false when the process has no such thread. */
function setThreadName(k: Kernel, tid: number, name: string): boolean {
  if (k.threads?.setThreadName) return k.threads.setThreadName(tid, name);
  if (tid !== k.thread.tid) return false;
  k.thread.name = name;
  return true;
}

/**
 * A write to an open comm file of the guest's (pthread_setname_np of another thread writes
 * /proc/self/task/<tid>/comm): the thread takes the first 15 bytes, up to a NUL, as its name
 * and the whole write counts, as in Linux. Null: `path` is not such a file.
 */
export function writeComm(k: Kernel, path: string, data: Uint8Array): number | null {
  const e = ownEntry(k, path);
  if (!e || e.name !== 'comm') return null;
  const name = Buffer.from(data.subarray(0, 15));
  const end = name.indexOf(0);
  return setThreadName(k, e.tid, name.toString('latin1', 0, end < 0 ? name.length : end)) ? data.length : -E.ESRCH;
}
/**
 * /proc/self/cmdline as Linux reads it (get_mm_cmdline): the argument strings as they are now
 * in guest memory, which the program may have rewritten (perl's `$0 = ...`, setproctitle);
 * when it wrote over their last NUL, from their start to the first NUL, running on into the
 * environment's strings for at most a page.
 */
function cmdline(k: Kernel): Buffer {
  const area = k.argArea;
  if (!area) return stringToBytes(k.argv.map((a) => a + '\0').join(''));
  const [start, argEnd, envEnd] = area;
  if (start >= argEnd) return Buffer.alloc(0);
  const args = k.mem.slice(start, argEnd - start, false);
  if (!args) return Buffer.alloc(0);
  if (args[args.length - 1] === 0) return Buffer.from(args);
  const title = k.mem.slice(start, Math.min(Math.max(envEnd, argEnd) - start, 4096), false) ?? args;
  const nul = title.indexOf(0);
  return Buffer.from(nul < 0 ? title : title.subarray(0, nul + 1));
}

const hex16 = (bits: bigint) => bits.toString(16).padStart(16, '0');

function procText(k: Kernel, name: string, tid: number): Buffer | string {
  switch (name) {
    case 'cmdline': return cmdline(k);
    case 'environ': return stringToBytes(k.envp.map((a) => a + '\0').join(''));
    case 'comm': return threadName(k, tid) + '\n';
    case 'maps': return maps(k);
    case 'smaps': return smaps(k);
    case 'smaps_rollup': return smapsRollup(k);
    case 'auxv': return auxv(k);
    case 'stat': {
      // The host's line for this process with the guest's name and thread count in it (the
      // host's count is Node's threads; googletest reads it to warn about fork in threads).
      // Field 23 (vsize) is the guest's own mappings, as /proc/self/maps lists them: the host's
      // is Node's tens of GB, which a 32-bit guest's strtoul saturates to 4 GiB (emacs's
      // process-attributes gave a vsize of 4194303 kB).
      const fields = hostStatFields(k.pid) ?? [];
      fields[20 - 3] = String(liveThreads(k));
      if (fields.length > 23 - 3) fields[23 - 3] = String(mapEntries(k).reduce((n, e) => n + (e.end - e.start), 0));
      return `${tid} (${threadName(k, tid)}) ${fields.join(' ')}`;
    }
    default: return status(k, tid);
  }
}

/** How many threads the guest process has. */
const liveThreads = (k: Kernel): number => (k.threads ? Atomics.load(k.threads.control, CTL_LIVE_THREADS) : 1);

function status(k: Kernel, tid: number): string {
  const host = fs.readFileSync(`/proc/${k.pid}/status`, 'latin1');
  let blocked = 0n, ignored = 0n, caught = 0n;
  for (let sig = 1; sig <= 64; sig++) {
    const bit = 1n << BigInt(sig - 1);
    if (k.signals.mask & bit) blocked |= bit;
    const h = k.sigactions.get(sig)?.handler ?? SIG_DFL;
    if (h === SIG_IGN) ignored |= bit;
    else if (h !== SIG_DFL) caught |= bit;
  }
  const ours: Record<string, string> = {
    Name: threadName(k, tid), Umask: k.umask.toString(8).padStart(4, '0'),
    Threads: String(liveThreads(k)),
    SigBlk: hex16(blocked), SigIgn: hex16(ignored), SigCgt: hex16(caught),
  };
  return host.split('\n').map((line) => {
    const key = line.slice(0, line.indexOf(':'));
    return key in ours ? `${key}:\t${ours[key]}` : line;
  }).join('\n');
}

/**
 * The guest's mappings: runs of pages with equal permissions, cut where a named mapping or the
 * heap begins or ends (the heap next to the program's data is a line of its own, as in Linux),
 * named where urun knows the file, with the file offset it was mapped from.
 */
function mapEntries(k: Kernel): { start: number; end: number; rwx: string; line: string }[] {
  const entries: { start: number; end: number; rwx: string; line: string }[] = [];
  const cuts = [...new Set([...k.mappingNames.flatMap((m) => [m.start, m.end]), k.brkStart])].sort((a, b) => a - b);
  for (const [first, count, v] of mappedRuns(k.mem.perm)) {
    const runStart = first * 2 ** PAGE_SHIFT, runEnd = (first + count) * 2 ** PAGE_SHIFT;
    const edges = [runStart, ...cuts.filter((c) => c > runStart && c < runEnd), runEnd];
    // (A page past the end of its file keeps its protection in other bits, see PAGE_PAST_EOF_R.)
    const rwx = `${v & (PROT_READ | PAGE_PAST_EOF_R) ? 'r' : '-'}${v & (PROT_WRITE | PAGE_PAST_EOF_W) ? 'w' : '-'}${v & PROT_EXEC ? 'x' : '-'}${v & PAGE_SHARED ? 's' : 'p'}`;
    for (let i = 0; i + 1 < edges.length; i++) {
      const start = edges[i], end = edges[i + 1];
      const named = k.mappingNames.find((m) => m.start < end && m.end > start);
      // (Shared anonymous memory is a file of the kernel's, named so.)
      const name = named?.name ?? (v & PAGE_SHARED ? '/dev/zero (deleted)' : start < k.brk && end > k.brkStart ? '[heap]' : end === k.layout.stackTop ? '[stack]' : '');
      const offset = named ? (named.offset ?? 0) + Math.max(0, start - named.start) : 0;
      entries.push({ start, end, rwx, line: `${hex8(start)}-${hex8(end)} ${rwx} ${hex8(offset)} 00:00 0${name ? ' '.repeat(10) + name : ''}` });
    }
  }
  return entries;
}

const hex8 = (a: number): string => (a >>> 0).toString(16).padStart(8, '0');
const maps = (k: Kernel): string => mapEntries(k).map((e) => e.line + '\n').join('');

/**
 * /proc/self/smaps: each line of maps with the figures a 32-bit Linux gives. Only the sizes
 * are known (urun does not track which pages were touched or written), so the memory
 * counts are 0, as qemu-user 8 reports them; the host's smaps (Node's 64-bit mappings) is
 * nothing the guest can use (redis sums its Private_Dirty for a fork's copy-on-write).
 */
function smaps(k: Kernel): string {
  return mapEntries(k).map(({ start, end, rwx, line }) => {
    const shared = rwx[3] === 's';
    const flags = [rwx[0] === 'r' ? 'rd' : '', rwx[1] === 'w' ? 'wr' : '', rwx[2] === 'x' ? 'ex' : '', shared ? 'sh' : '', 'mr', 'mw', 'me', shared ? 'ms' : '']
      .filter((f) => f !== '').join(' ');
    return `${line}\n${smapsFigures((end - start) / 1024)}THPeligible:    ${'0'.padStart(8)}\nVmFlags: ${flags} \n`;
  }).join('');
}

/** The memory figures of an smaps entry of `sizeKb` (all but Size and the page sizes 0, see smaps). */
function smapsFigures(sizeKb: number | null): string {
  const kb = (n: number) => `${String(n).padStart(8)} kB\n`;
  const zeros = ['Rss', 'Pss', 'Pss_Dirty', 'Shared_Clean', 'Shared_Dirty', 'Private_Clean', 'Private_Dirty', 'Referenced',
    'Anonymous', 'KSM', 'LazyFree', 'AnonHugePages', 'ShmemPmdMapped', 'FilePmdMapped', 'Shared_Hugetlb', 'Private_Hugetlb',
    'Swap', 'SwapPss', 'Locked'];
  const head = sizeKb === null ? '' : `Size:           ${kb(sizeKb)}KernelPageSize: ${kb(4)}MMUPageSize:    ${kb(4)}`;
  // (smaps_rollup has no KSM, and splits Pss by kind.)
  const names = sizeKb !== null ? zeros : zeros.flatMap((f) => (f === 'KSM' ? [] : f === 'Pss_Dirty' ? [f, 'Pss_Anon', 'Pss_File', 'Pss_Shmem'] : [f]));
  return head + names.map((f) => `${(f + ':').padEnd(16)}${kb(0)}`).join('');
}

/** /proc/self/smaps_rollup: the span of the mappings, then the summed figures (0, see smaps). */
function smapsRollup(k: Kernel): string {
  const entries = mapEntries(k);
  const first = hex8(entries[0]?.start ?? 0), last = hex8(entries[entries.length - 1]?.end ?? 0);
  return `${first}-${last} ---p 00000000 00:00 0                          [rollup]\n${smapsFigures(null)}`;
}

/** The auxiliary vector the program started with: [type, value] words in guest byte order. */
function auxv(k: Kernel): Buffer {
  const out = Buffer.alloc(4 * k.auxv.length);
  k.auxv.forEach((w, i) => (k.mem.littleEndian ? out.writeUInt32LE(w >>> 0, 4 * i) : out.writeUInt32BE(w >>> 0, 4 * i)));
  return out;
}

const AT_HWCAP = 16;

/** ARM's feature names by AT_HWCAP bit (arch/arm/kernel/setup.c). */
const ARM_HWCAP_NAMES = ['swp', 'half', 'thumb', '26bit', 'fastmult', 'fpa', 'vfp', 'edsp', 'java', 'iwmmxt', 'crunch',
  'thumbee', 'neon', 'vfpv3', 'vfpv3d16', 'tls', 'vfpv4', 'idiva', 'idivt', 'vfpd32', 'lpae', 'evtstrm'];

/**
 * /proc/cpuinfo as the guest arch's kernel prints it, one block per host CPU (so that
 * programs counting "processor" lines see the host's parallelism). The CPU is the model
 * urun emulates (--cpu; a MIPS 24Kf on a Malta board, or an ARM Cortex-A15, by default);
 * ARM's Features are the AT_HWCAP urun gave the program. BogoMIPS are nominal.
 */
function cpuinfo(k: Kernel): string {
  const cpus = Math.max(1, os.cpus().length);
  const info = (k.cpuModel ?? (k.abi.name.startsWith('mips') ? MIPS_DEFAULT_MODEL : ARM_DEFAULT_MODEL)).cpuinfo;
  if (info.kind === 'mips') {
    let out = '';
    for (let n = 0; n < cpus; n++) {
      if (n === 0) out += 'system type\t\t: MIPS Malta\n';
      out += `processor\t\t: ${n}\n` +
        `cpu model\t\t: ${info.model}\n` +
        'BogoMIPS\t\t: 598.01\n' +
        'wait instruction\t: yes\n' +
        'microsecond timers\t: yes\n' +
        'tlb_entries\t\t: 32\n' +
        'extra interrupt vector\t: yes\n' +
        'hardware watchpoint\t: no\n' +
        `isa\t\t\t: ${info.isa}\n` +
        'ASEs implemented\t:\n' +
        'shadow register sets\t: 1\n' +
        'kscratch registers\t: 0\n' +
        'package\t\t\t: 0\n' +
        `core\t\t\t: ${n}\n` +
        'VCED exceptions\t\t: not available\n' +
        'VCEI exceptions\t\t: not available\n\n';
    }
    return out;
  }
  const at = k.auxv.findIndex((w, i) => i % 2 === 0 && w === AT_HWCAP);
  const hwcap = at >= 0 ? k.auxv[at + 1] : 0;
  const features = ARM_HWCAP_NAMES.filter((_, bit) => hwcap & (1 << bit)).map((f) => f + ' ').join('');
  let out = '';
  for (let n = 0; n < cpus; n++) {
    out += `processor\t: ${n}\n` +
      `model name\t: ${info.modelName}\n` +
      'BogoMIPS\t: 48.00\n' +
      `Features\t: ${features}\n` +
      'CPU implementer\t: 0x41\n' +
      `CPU architecture: ${info.architecture}\n` +
      'CPU variant\t: 0x0\n' +
      `CPU part\t: 0x${info.part.toString(16)}\n` +
      `CPU revision\t: ${info.revision}\n\n`;
  }
  return out + 'Hardware\t: Generic DT based system\nRevision\t: 0000\nSerial\t\t: 0000000000000000\n';
}
