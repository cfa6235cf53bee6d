// System and identity syscalls: uname, sysinfo, user and group ids, limits, prctl, randomness.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { fillRandom } from '../host/random.js';
import { GENERIC_RLIMITS, StructWriter } from './abi.js';
import { E } from './errno.js';
import { Kernel, RLIM_INFINITY, setEnforcedRlimit } from './kernel.js';
import { threadName } from './procfs.js';
import { libc } from '../host/libc.js';
import { R } from './records.js';
import type { SyscallRecord } from './records.js';

/**
 * Changing identity goes to the host's glibc, which changes every thread of urun's process (as
 * a guest's own libc does for its threads): seteuid(1) as root keeps the real and saved ids,
 * so a later seteuid(0) works, as natively.
 */
function setIds(call: 'setuid' | 'setgid' | 'setreuid' | 'setregid' | 'setresuid' | 'setresgid', ids: number[]): number {
  return libc().setIds(call, ids);
}

function getResIds(k: Kernel, which: 'uid' | 'gid', ptrs: number[]): number {
  for (const p of ptrs) if (!k.mem.checkRange(p, 4, true)) return -E.EFAULT;
  const ids = libc().getResIds(which);
  if (typeof ids === 'number') return ids;
  ptrs.forEach((p, i) => k.mem.write32(p, ids[i]));
  return 0;
}

function getGroups(k: Kernel, size: number, list: number): number {
  const groups = libc().getGroups();
  if (typeof groups === 'number') return groups;
  if (size === 0) return groups.length;
  if (size < groups.length) return -E.EINVAL;
  if (!k.mem.checkRange(list, 4 * groups.length, true)) return -E.EFAULT;
  groups.forEach((g, i) => k.mem.write32(list + 4 * i, g));
  return groups.length;
}

function setGroups(k: Kernel, size: number, list: number): number {
  if (size < 0 || size > 65536) return -E.EINVAL;
  if (size > 0 && !k.mem.checkRange(list, 4 * size, false)) return -E.EFAULT;
  return libc().setGroups(Array.from({ length: size }, (_, i) => k.mem.read32(list + 4 * i) >>> 0));
}

function uname(k: Kernel, addr: number): number {
  if (!k.mem.checkRange(addr, 390, true)) return -E.EFAULT;
  const fields = ['Linux', os.hostname(), os.release(), os.version(), k.abi.unameMachine, '(none)'];
  k.mem.bytes.fill(0, addr, addr + 390);
  fields.forEach((s, i) => k.mem.bytes.set(Buffer.from(s).subarray(0, 64), addr + 65 * i));
  return 0;
}

/** A /proc/meminfo row in bytes (0 when missing). */
function meminfo(text: string, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) * 1024 : 0;
}

/** The syslog actions that copy the kernel log into the caller's buffer: READ, READ_ALL, READ_CLEAR. */
const SYSLOG_READS = new Set([2, 3, 4]);
/** syslog (klogctl, what dmesg reads the kernel log with): the host's log and its answers. */
function syslog(k: Kernel, action: number, buf: number, len: number): number {
  if (!SYSLOG_READS.has(action)) return libc().syslog(action, null, len);
  if (len < 0) return -E.EINVAL;
  const room = Math.min(len, 1 << 24);
  if (room > 0 && !k.mem.checkRange(buf, room, true)) return -E.EFAULT;
  const host = Buffer.alloc(room);
  const n = libc().syslog(action, host, room);
  if (n > 0) k.mem.slice(buf, n, true)!.set(host.subarray(0, n));
  return n;
}

/**
 * sysinfo: the host's figures, in the 32-bit struct. As Linux does for 32-bit callers,
 * memory is counted in bytes (mem_unit 1) when RAM plus swap fits in 32 bits, else in
 * pages (mem_unit 4096).
 */
function sysinfo(k: Kernel, addr: number): number {
  if (!k.mem.checkRange(addr, 64, true)) return -E.EFAULT;
  let mem = '', loadavg = '';
  try {
    mem = fs.readFileSync('/proc/meminfo', 'utf8');
    loadavg = fs.readFileSync('/proc/loadavg', 'utf8');
  } catch {
    // No /proc: the figures Node gives.
  }
  // MemFree, not os.freemem() (libuv's is MemAvailable, which counts the page cache).
  const ram = [meminfo(mem, 'MemTotal') || os.totalmem(), meminfo(mem, 'MemFree') || os.freemem(), meminfo(mem, 'Shmem'),
    meminfo(mem, 'Buffers')];
  const swap = [meminfo(mem, 'SwapTotal'), meminfo(mem, 'SwapFree')];
  const unit = ram[0] + swap[0] < 2 ** 32 ? 1 : 4096;
  const units = (bytes: number) => Math.min(Math.floor(bytes / unit), 0xffffffff);
  const procs = Number(/\d+\/(\d+)/.exec(loadavg)?.[1] ?? 1);
  const w = new StructWriter(k.mem, addr);
  k.mem.bytes.fill(0, addr, addr + 64);
  w.u32(0, Math.floor(os.uptime()));
  os.loadavg().forEach((l, i) => w.u32(4 + 4 * i, Math.min(Math.round(l * 65536), 0xffffffff)));
  ram.forEach((b, i) => w.u32(16 + 4 * i, units(b)));
  swap.forEach((b, i) => w.u32(32 + 4 * i, units(b)));
  w.u16(40, Math.min(procs, 0xffff)).u32(52, unit);
  return 0;
}

const CAP_SYS_RESOURCE = 24;

/** Whether urun's process (the guest's) has a capability in its effective set now (capset may have changed it). */
function hasCapability(cap: number): boolean {
  try {
    const m = /^CapEff:\s*([0-9a-f]+)/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m !== null && ((BigInt('0x' + m[1]) >> BigInt(cap)) & 1n) === 1n;
  } catch {
    return true;
  }
}

/** The host's ceiling on RLIMIT_NOFILE (fs.nr_open; Linux's default 1 << 20 when it cannot be read). */
function nrOpen(): bigint {
  try {
    return BigInt(fs.readFileSync('/proc/sys/fs/nr_open', 'utf8').trim());
  } catch {
    return 1n << 20n;
  }
}

/**
 * getrlimit/setrlimit/prlimit64 on this process: the host's limits, or what the guest set
 * (kept by the process, not enforced, but for RLIMIT_CPU and RLIMIT_FSIZE, see setEnforcedRlimit, and RLIMIT_AS and RLIMIT_DATA, see Kernel.mayExpand). `is64`: struct rlimit64, else 32-bit words, where
 * anything from the arch's 32-bit RLIM_INFINITY up reads as infinite.
 */
function rlimit(k: Kernel, resource: number, newAddr: number, oldAddr: number, is64: boolean): number {
  const name = k.abi.rlimits.names[resource];
  if (name === undefined) return -E.EINVAL;
  const size = is64 ? 16 : 8;
  if (oldAddr !== 0 && !k.mem.checkRange(oldAddr, size, true)) return -E.EFAULT;
  const old = k.rlimit(name);
  if (newAddr !== 0) {
    if (!k.mem.checkRange(newAddr, size, false)) return -E.EFAULT;
    const [cur, max] = readRlimit(k, newAddr, is64);
    if (cur > max) return -E.EINVAL;
    // As Linux: no open-file limit above fs.nr_open, and no raising a hard limit without CAP_SYS_RESOURCE.
    if (name === 'nofile' && max > nrOpen()) return -E.EPERM;
    if (max > old[1] && !hasCapability(CAP_SYS_RESOURCE)) return -E.EPERM;
    const r = setEnforcedRlimit(name, cur, max);
    if (r < 0) return r;
    k.rlimits.set(name, [cur, max]);
  }
  if (oldAddr !== 0) writeRlimit(k, oldAddr, old, is64);
  return 0;
}

/**
 * A struct rlimit64 (two u64) in guest memory (checked by the caller), or with `is64` false a
 * struct rlimit (two 32-bit words, from the arch's 32-bit RLIM_INFINITY up infinite).
 */
function readRlimit(k: Kernel, addr: number, is64: boolean): [bigint, bigint] {
  const inf32 = BigInt(k.abi.rlimits.infinity32);
  const word = (off: number) => BigInt(k.mem.read32(addr + off) >>> 0);
  const read = (at: number): bigint => {
    if (!is64) return word(at) >= inf32 ? RLIM_INFINITY : word(at);
    const [hi, lo] = k.mem.littleEndian ? [word(at + 4), word(at)] : [word(at), word(at + 4)];
    return (hi << 32n) | lo;
  };
  return [read(0), read(is64 ? 8 : 4)];
}

/** Writes limits as readRlimit reads them (32-bit words saturating at the arch's RLIM_INFINITY). */
function writeRlimit(k: Kernel, addr: number, limits: readonly [bigint, bigint], is64: boolean): void {
  const inf32 = BigInt(k.abi.rlimits.infinity32);
  const w = new StructWriter(k.mem, addr);
  if (is64) w.u64(0, limits[0]).u64(8, limits[1]);
  else w.u32(0, Number(limits[0] > inf32 ? inf32 : limits[0])).u32(4, Number(limits[1] > inf32 ? inf32 : limits[1]));
}

/**
 * prlimit64 on another process (`toybox ulimit -a` reads its parent's): the host's call on
 * that process, the resource in host numbering, the limits as struct rlimit64 both ways.
 */
function otherRlimit(k: Kernel, pid: number, resource: number, newAddr: number, oldAddr: number): number {
  const name = k.abi.rlimits.names[resource];
  if (name === undefined) return -E.EINVAL;
  if (oldAddr !== 0 && !k.mem.checkRange(oldAddr, 16, true)) return -E.EFAULT;
  if (newAddr !== 0 && !k.mem.checkRange(newAddr, 16, false)) return -E.EFAULT;
  const old = libc().prlimitOf(pid, GENERIC_RLIMITS.names.indexOf(name), newAddr !== 0 ? readRlimit(k, newAddr, true) : null);
  if (typeof old === 'number') return old;
  if (oldAddr !== 0) writeRlimit(k, oldAddr, old, true);
  return 0;
}

/**
 * PR_GET_KEEPCAPS, PR_SET_KEEPCAPS, PR_CAPBSET_READ, PR_GET_SECUREBITS, PR_GET_TIMERSLACK,
 * PR_SET_TIMERSLACK, PR_MCE_KILL_GET, PR_SET_NO_NEW_PRIVS, PR_GET_NO_NEW_PRIVS,
 * PR_SET_THP_DISABLE, PR_GET_THP_DISABLE, PR_CAP_AMBIENT, PR_GET_DUMPABLE, PR_SET_DUMPABLE
 * (0 or 1; Kernel carries it to a forked child and execve sets it back to 1, as Linux does).
 */
const HOST_INT_PRCTLS = new Set([3, 4, 7, 8, 23, 27, 29, 30, 34, 38, 39, 41, 42, 47]);

/** Writes a prctl's int answer to the guest's pointer: 0, or EFAULT. */
function putInt(k: Kernel, addr: number, value: number): number {
  if (!k.mem.checkRange(addr, 4, true)) return -E.EFAULT;
  k.mem.write32(addr, value);
  return 0;
}

function prctl(k: Kernel, a: number[]): number {
  switch (a[0]) {
    case 15: { // PR_SET_NAME
      // Up to 15 bytes: a longer name is cut, as Linux does.
      const raw = k.mem.slice(a[1], 16, false);
      if (!raw) return -E.EFAULT;
      const end = raw.indexOf(0);
      k.thread.name = Buffer.from(raw.subarray(0, end < 0 || end > 15 ? 15 : end)).toString('latin1');
      k.threads?.nameChanged?.(k.thread.name);
      return 0;
    }
    case 16: { // PR_GET_NAME
      const out = k.mem.slice(a[1], 16, true);
      if (!out) return -E.EFAULT;
      out.fill(0);
      out.set(Buffer.from(threadName(k, k.thread.tid), 'latin1'));
      return 0;
    }
    // The parent-death signal is the host process's (whose parent is the parent's urun), in
    // host numbering: the host kernel sends it, and it reaches the guest as host signals do.
    case 1: { // PR_SET_PDEATHSIG
      if (a[1] > k.abi.sigsetBytes * 8) return -E.EINVAL;
      return libc().prctl(1, a[1] === 0 ? 0 : k.hostSignal(a[1]), 0, 0, 0);
    }
    case 2: { // PR_GET_PDEATHSIG
      if (!k.mem.checkRange(a[1], 4, true)) return -E.EFAULT;
      const host = libc().prctlGetInt(2);
      if (host < 0) return host;
      k.mem.write32(a[1], host === 0 ? 0 : k.guestSignal(host));
      return 0;
    }
    // FP modes are MIPS's (ARM's kernel has no such prctl).
    case 45: return !k.abi.name.startsWith('mips') ? -E.EINVAL : a[1] === 0 ? 0 : -E.EOPNOTSUPP; // PR_SET_FP_MODE: only FR=0
    case 46: return !k.abi.name.startsWith('mips') ? -E.EINVAL : 0; // PR_GET_FP_MODE: FR=0
    case 13: return 0; // PR_GET_TIMING: PR_TIMING_STATISTICAL, the only timing Linux has
    case 14: return a[1] === 0 ? 0 : -E.EINVAL; // PR_SET_TIMING
    case 37: return putInt(k, a[1], 0); // PR_GET_CHILD_SUBREAPER: never one (PR_SET_CHILD_SUBREAPER is refused)
    case 40: return putInt(k, a[1], k.thread.clearChildTid); // PR_GET_TID_ADDRESS: set_tid_address's
    case 35: return hasCapability(CAP_SYS_RESOURCE) ? -E.EINVAL : -E.EPERM; // PR_SET_MM: not done, but Linux asks for the capability first
    // PR_SET_IO_FLUSHER, PR_GET_IO_FLUSHER: a thread's flag, for a thread with CAP_SYS_RESOURCE.
    case 57:
      if (!hasCapability(CAP_SYS_RESOURCE)) return -E.EPERM;
      if (a[2] || a[3] || a[4] || a[1] > 1) return -E.EINVAL;
      k.thread.ioFlusher = a[1] === 1;
      return 0;
    case 58:
      if (!hasCapability(CAP_SYS_RESOURCE)) return -E.EPERM;
      return a[1] || a[2] || a[3] || a[4] ? -E.EINVAL : k.thread.ioFlusher ? 1 : 0;
    default:
      // The host's answer for process attributes with only integer arguments, as qemu-user
      // passes them on (they are the host process's: every guest thread shares them).
      return HOST_INT_PRCTLS.has(a[0]) ? libc().prctl(a[0], a[1], a[2], a[3], a[4]) : -E.EINVAL;
  }
}

const CAP_VERSION_1 = 0x19980330, CAP_VERSION_2 = 0x20071026, CAP_VERSION_3 = 0x20080522;
const CAP_SETS = ['CapEff', 'CapPrm', 'CapInh'];

/**
 * capget: a guest process is a host process, so its capabilities are the host's (as qemu-user
 * passes them on), read from /proc/<pid>/status. Header {u32 version; s32 pid}; data is one
 * {effective, permitted, inheritable} triple of u32 per 32 capabilities (one for version 1, two
 * after). As Linux: an unknown version is answered with version 3 written back and EINVAL, or 0
 * when the caller passed no data pointer (how libcap asks for the version).
 */
function capget(k: Kernel, header: number, data: number): number {
  const words = capWords(k, header);
  if (words === -E.EINVAL) return data ? words : 0;
  if (words < 0) return words;
  if (!data) return 0;
  const pid = k.mem.read32(header + 4) | 0;
  if (pid < 0) return -E.EINVAL;
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid === 0 || pid === k.pid ? 'self' : pid}/status`, 'utf8');
  } catch {
    return -E.ESRCH;
  }
  if (!k.mem.checkRange(data, 12 * words, true)) return -E.EFAULT;
  CAP_SETS.forEach((name, set) => {
    const bits = BigInt('0x' + (new RegExp(`^${name}:\\s*([0-9a-f]+)`, 'm').exec(status)?.[1] ?? '0'));
    for (let w = 0; w < words; w++) k.mem.write32(data + 12 * w + 4 * set, Number((bits >> BigInt(32 * w)) & 0xffffffffn));
  });
  return 0;
}

/** The capability header's data size in triples (1 or 2); an unknown version gets version 3 written back and -EINVAL. */
function capWords(k: Kernel, header: number): number {
  if (!k.mem.checkRange(header, 8, true)) return -E.EFAULT;
  const version = k.mem.read32(header) >>> 0;
  if (version === CAP_VERSION_1) return 1;
  if (version === CAP_VERSION_2 || version === CAP_VERSION_3) return 2;
  k.mem.write32(header, CAP_VERSION_3);
  return -E.EINVAL;
}

/**
 * capset: the host's, on urun's process (the guest's), as qemu-user passes it on; header and
 * data as capget reads them, converted to the host's byte order. Only the caller's own
 * capabilities can be set (pid 0 or its own), as on Linux.
 */
function capset(k: Kernel, header: number, data: number): number {
  const words = capWords(k, header);
  if (words < 0) return words;
  const version = k.mem.read32(header) >>> 0;
  const pid = k.mem.read32(header + 4) | 0;
  if (pid !== 0 && pid !== k.pid && pid !== k.thread.tid) return -E.EPERM;
  if (!k.mem.checkRange(data, 12 * words, false)) return -E.EFAULT;
  const h = Buffer.alloc(8), d = Buffer.alloc(12 * words);
  h.writeUInt32LE(version, 0);
  for (let i = 0; i < 3 * words; i++) d.writeUInt32LE(k.mem.read32(data + 4 * i) >>> 0, 4 * i);
  return libc().capset(h, d);
}

/** The old nice(inc): the process's niceness moved by inc (clamped as Linux does); 0 or -errno. */
function nice(inc: number): number {
  const raw = libc().priority(false, PRIO_PROCESS, 0, 0);
  if (raw < 0) return raw;
  const target = Math.max(-20, Math.min(19, 20 - raw + Math.max(-40, Math.min(40, inc))));
  const r = libc().priority(true, PRIO_PROCESS, 0, target);
  // setpriority's EACCES (a lower niceness without the privilege) is nice's EPERM.
  return r === -E.EACCES ? -E.EPERM : Math.min(r, 0);
}
const PRIO_PROCESS = 0;

/** sethostname / setdomainname: the host's (a guest process is a host process), as qemu-user passes them on. */
function setHostName(k: Kernel, domain: boolean, addr: number, len: number): number {
  if (len > 64) return -E.EINVAL;
  const name = k.mem.slice(addr, len, false);
  return name ? libc().setHostName(domain, Buffer.from(name)) : -E.EFAULT;
}

const GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;

/**
 * Calls of kernel features Linux can be built without, as urun's kernel is: they answer
 * ENOSYS, as such a kernel does (and qemu-user), without urun's warning for a call it lacks,
 * since programs probe for them and carry on without: Linux AIO (CONFIG_AIO), io_uring,
 * Landlock and seccomp sandboxes (prctl's PR_GET_SECCOMP is EINVAL to match), eBPF, perf
 * events, userfaultfd, key rings (CONFIG_KEYS), fanotify, cross-memory attach
 * (process_vm_readv: MPI libraries try it), sysfs(2), uselib, modules, kexec, and the
 * profiling dcookies Linux 6.8 removed.
 */
const ABSENT_FEATURES = [
  'io_setup', 'io_destroy', 'io_submit', 'io_cancel', 'io_getevents', 'io_pgetevents', 'io_pgetevents_time64',
  'io_uring_setup', 'io_uring_enter', 'io_uring_register',
  'landlock_create_ruleset', 'landlock_add_rule', 'landlock_restrict_self', 'seccomp',
  'bpf', 'perf_event_open', 'userfaultfd', 'add_key', 'request_key', 'keyctl', 'fanotify_init', 'fanotify_mark',
  'process_vm_readv', 'process_vm_writev', 'sysfs', 'uselib',
  'init_module', 'finit_module', 'delete_module', 'kexec_load', 'kexec_file_load', 'lookup_dcookie',
];

export const SYSTEM_SYSCALLS: SyscallRecord[] = [
  R('capget', ['ptr', 'ptr'], (k, a) => capget(k, a[0], a[1])),
  R('capset', ['ptr', 'ptr'], (k, a) => capset(k, a[0], a[1])),
  R('nice', ['int'], (_k, a) => nice(a[0] | 0)),
  R('sethostname', ['inbuf', 'uint'], (k, a) => setHostName(k, false, a[0], a[1])),
  R('setdomainname', ['inbuf', 'uint'], (k, a) => setHostName(k, true, a[0], a[1])),
  // The host's namespaces: urun's process is the guest's (CLONE_* are the same numbers).
  R('unshare', ['hex'], (_k, a) => libc().unshare(a[0])),
  // Joining the namespace of a /proc/PID/ns/ descriptor: the host process does (as qemu-user
  // passes it on), with the host's checks (CAP_SYS_ADMIN; a mount or user namespace refuses a
  // multi-threaded process, as urun's is: EINVAL).
  R('setns', ['fd', 'hex'], (k, a) => {
    const f = k.file(a[0]);
    return f ? libc().setns(f.hostFd, a[1]) : -E.EBADF;
  }),
  R('acct', ['path'], (k, a) => {
    if (a[0] === 0) return libc().acct(null);
    const p = k.pathArg(a[0]);
    return typeof p === 'number' ? p : libc().acct(p);
  }),
  R('uname', ['ptr'], (k, a) => uname(k, a[0])),
  R('getuid', [], () => process.getuid?.() ?? 0),
  R('geteuid', [], () => process.geteuid?.() ?? 0),
  R('getgid', [], () => process.getgid?.() ?? 0),
  R('getegid', [], () => process.getegid?.() ?? 0),
  R('getresuid', ['ptr', 'ptr', 'ptr'], (k, a) => getResIds(k, 'uid', a.slice(0, 3))),
  R('getresgid', ['ptr', 'ptr', 'ptr'], (k, a) => getResIds(k, 'gid', a.slice(0, 3))),
  R('getgroups', ['int', 'ptr'], (k, a) => getGroups(k, a[0] | 0, a[1])),
  R('setuid', ['int'], (k, a) => setIds('setuid', [a[0]])),
  R('setgid', ['int'], (k, a) => setIds('setgid', [a[0]])),
  R('setreuid', ['int', 'int'], (k, a) => setIds('setreuid', a.slice(0, 2))),
  R('setregid', ['int', 'int'], (k, a) => setIds('setregid', a.slice(0, 2))),
  R('setresuid', ['int', 'int', 'int'], (k, a) => setIds('setresuid', a.slice(0, 3))),
  R('setresgid', ['int', 'int', 'int'], (k, a) => setIds('setresgid', a.slice(0, 3))),
  R('setfsuid', ['int'], () => process.geteuid?.() ?? 0),
  R('setfsgid', ['int'], () => process.getegid?.() ?? 0),
  R('setgroups', ['int', 'ptr'], (k, a) => setGroups(k, a[0] | 0, a[1])),
  R('rseq', ['ptr', 'uint', 'int', 'hex'], () => -E.ENOSYS),
  ...ABSENT_FEATURES.map((name) => R(name, [], () => -E.ENOSYS)),
  R('getrandom', ['outbuf', 'uint', 'hex'], (k, a) => {
    // As Linux: flags other than GRND_NONBLOCK, GRND_RANDOM and GRND_INSECURE, or GRND_INSECURE
    // with GRND_RANDOM, are EINVAL, before the buffer is looked at.
    const flags = a[2] >>> 0;
    if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) || (flags & (GRND_RANDOM | GRND_INSECURE)) === (GRND_RANDOM | GRND_INSECURE)) return -E.EINVAL;
    const out = k.mem.slice(a[0], a[1], true);
    if (!out) return -E.EFAULT;
    fillRandom(out);
    return a[1];
  }),
  R('sysinfo', ['ptr'], (k, a) => sysinfo(k, a[0])),
  R('syslog', ['int', 'ptr', 'int'], (k, a) => syslog(k, a[0], a[1], a[2] | 0)),
  // 0xffffffff asks without changing; the previous value is the answer either way.
  R('personality', ['hex'], (k, a) => {
    const old = k.personality;
    if (a[0] >>> 0 !== 0xffffffff) k.personality = a[0] >>> 0;
    return old;
  }),
  // The host's I/O priority, as qemu-user passes these on: every guest process is a host process.
  R('ioprio_get', ['int', 'int'], (_k, a) => libc().ioprio(false, a[0], a[1], 0)),
  R('ioprio_set', ['int', 'int', 'hex'], (_k, a) => libc().ioprio(true, a[0], a[1], a[2])),
  // Niceness is the host's: a guest process is a host process (nice(1) and what it runs).
  R('getpriority', ['int', 'int'], (_k, a) => libc().priority(false, a[0], a[1], 0)),
  R('setpriority', ['int', 'int', 'int'], (_k, a) => libc().priority(true, a[0], a[1], a[2])),
  R('prlimit64', ['int', 'int', 'ptr', 'ptr'], (k, a) => (a[0] === 0 || a[0] === k.pid ? rlimit(k, a[1], a[2], a[3], true) : otherRlimit(k, a[0], a[1], a[2], a[3]))),
  R('getrlimit', ['int', 'ptr'], (k, a) => rlimit(k, a[0], 0, a[1], false)),
  R('ugetrlimit', ['int', 'ptr'], (k, a) => rlimit(k, a[0], 0, a[1], false)),
  R('setrlimit', ['int', 'ptr'], (k, a) => rlimit(k, a[0], a[1], 0, false)),
  R('umask', ['mode'], (k, a) => {
    const old = k.umask;
    k.umask = a[0] & 0o777;
    return old;
  }),
  R('getcpu', ['ptr', 'ptr', 'ptr'], (k, a) => {
    if (a[0]) k.mem.write32(a[0], 0);
    if (a[1]) k.mem.write32(a[1], 0);
    return 0;
  }),
  R('prctl', ['int', 'hex', 'hex', 'hex', 'hex'], (k, a) => prctl(k, a)),
];
