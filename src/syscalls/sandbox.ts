// --sandbox: a policy on what an untrusted guest may reach through urun. Every guest path
// passes Kernel.pathArg, which asks this module before the host call: the path is resolved
// here as the host kernel would resolve it (symlinks, "..", /proc magic links, the directory
// of an *at call), and the resolved path is what the host call then uses. Sockets are
// checked where a guest address becomes a host one, and execve where the program is chosen.
// It is a policy in the emulator, not a kernel sandbox: see the README for what it does not cover.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { E } from './errno.js';
import { AF_INET, AF_INET6, AF_UNIX, FAMILY_NAMES } from './socket-data.js';
import type { OpenFlag } from './abi.js';
import type { Kernel } from './kernel.js';
import { hostStatFields } from '../host/proc-stat.js';

/** What the guest may reach (plain data: it travels to forked and exec'd children). */
export interface SandboxPolicy {
  /** Directories (or files) the guest may read: its program, the sysroot and the start directory are added by urun. */
  read: string[];
  /** Directories the guest may create, change and remove files in (and read). */
  write: string[];
  /** AF_INET/AF_INET6 sockets and abstract AF_UNIX addresses. */
  net: boolean;
  /** Running host (non-guest) programs, which run outside the sandbox. */
  exec: boolean;
}

const PRIO_PROCESS = 0;

/**
 * The policy the command line asks for, or null without --sandbox, or what is wrong with it
 * (an --allow-* flag without --sandbox, or a directory that does not exist). Readable by
 * default: the program, the sysroot and the current directory.
 */
export function sandboxPolicy(o: { on: boolean; program: string; sysroot: string | null; read: string[]; write: string[]; net?: boolean; exec?: boolean }): SandboxPolicy | null | string {
  if (!o.on) {
    const stray = o.read.length ? '--allow-read' : o.write.length ? '--allow-write' : o.net ? '--allow-net' : o.exec ? '--allow-exec' : null;
    return stray ? `${stray} applies to a sandboxed program: add --sandbox (or URUN_SANDBOX=1)` : null;
  }
  for (const dir of [...o.read, ...o.write]) if (!fs.existsSync(dir)) return `sandbox: no such file or directory to allow: ${dir}`;
  const read = [o.program, ...(o.sysroot ? [o.sysroot] : []), process.cwd(), ...o.read].map(realRoot);
  return { read: [...new Set(read)], write: [...new Set(o.write.map(realRoot))], net: o.net === true, exec: o.exec === true };
}

/**
 * lookup: metadata only (stat, access, readlink, chdir), also allowed on the directories
 * above an allowed one so that realpath() and getcwd() work; read: contents; write: creating,
 * changing or removing the name or the file.
 */
export type Access = 'lookup' | 'read' | 'write';

/** How a syscall uses its path: the access it needs and whether a final symlink is followed. */
interface PathUse { access: Access; follow: boolean }

/** The kernel's limit on symlinks followed in one lookup. */
const MAX_SYMLINKS = 40;
const AT_SYMLINK_NOFOLLOW = 0x100, AT_SYMLINK_FOLLOW = 0x400, AT_EMPTY_PATH = 0x1000;
const S_IFMT = 0o170000, S_IFCHR = 0o020000, S_IFBLK = 0o060000;

/** Devices and host-wide /proc and /sys files any guest may use: they hold nothing of the user's. */
const READ_ALWAYS = new Set([
  '/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom', '/dev/tty',
  '/proc/cpuinfo', '/proc/meminfo', '/proc/stat', '/proc/uptime', '/proc/loadavg', '/proc/version', '/proc/filesystems',
  '/proc/sys/kernel/ngroups_max', '/proc/sys/kernel/osrelease', '/proc/sys/kernel/ostype', '/proc/sys/kernel/pid_max',
  '/proc/sys/vm/overcommit_memory', '/sys/devices/system/cpu/online', '/sys/devices/system/cpu/possible',
]);
const WRITE_ALWAYS = new Set(['/dev/null', '/dev/zero', '/dev/full', '/dev/tty']);

type Resolved = string | 'stdio' | 'anonymous';

/** Per-call facts the check needs from the dispatcher: the syscall's name and arguments. */
export interface CallContext { name: string; args: number[]; openFlags: Record<OpenFlag, number> }

export class Sandbox {
  private readonly readRoots: string[];
  private readonly writeRoots: string[];
  /** The last denial, for --strace to show beside the failed call. */
  lastDenial: string | null = null;

  constructor(readonly policy: SandboxPolicy, private readonly warnOnce: (kind: string, msg: string) => void) {
    this.writeRoots = policy.write.map(realRoot);
    this.readRoots = [...policy.read.map(realRoot), ...this.writeRoots];
  }

  /**
   * Checks a host path for the syscall running (its name says how it uses the path), and
   * returns the path the host call should use (resolved: a symlink swapped in later changes
   * nothing), or a negative errno. `ownProcEntry`: a /proc/self file urun makes itself.
   */
  checkPath(hostPath: string, call: CallContext, ownProcEntry: boolean): string | number {
    const use = pathUse(call);
    if (ownProcEntry && use.access !== 'write') return hostPath;
    const r = resolve(hostPath, use.follow);
    if (typeof r === 'number') return r;
    if (r === 'stdio') return hostPath;
    if (r !== 'anonymous' && this.allows(r, use.access)) return hostPath.endsWith('/') && !r.endsWith('/') ? r + '/' : r;
    const kind = use.access === 'write' ? 'write' : 'read';
    return this.deny(kind, `${kind === 'write' ? 'writing' : 'reading'} ${r === 'anonymous' ? hostPath : r} (${call.name})`, hostPath);
  }

  /**
   * What a syscall does beyond its paths, checked before it runs (0: go ahead): changes made
   * through a descriptor (fchmod, futimens, AT_EMPTY_PATH; linkat of a descriptor gives its
   * file a new name), device nodes, and signals to processes that are not the guest's.
   */
  checkCall(k: Kernel, name: string, a: number[]): number {
    const emptyPath = (addr: number, flags: number) => (flags & AT_EMPTY_PATH) !== 0 && k.mem.readCBytes(addr, 1)?.length === 0;
    switch (name) {
      case 'fchmod': case 'fchown': case 'fchown32': case 'fsetxattr': case 'fremovexattr':
        return this.checkFdWrite(k, a[0], name);
      case 'utimensat': case 'utimensat_time64':
        return a[1] === 0 || emptyPath(a[1], a[3]) ? this.checkFdWrite(k, a[0] | 0, name) : 0;
      case 'futimesat':
        return a[1] === 0 ? this.checkFdWrite(k, a[0] | 0, name) : 0;
      // The host's names are every program's on it.
      case 'sethostname': case 'setdomainname':
        this.deny('write', `the host's name (${name})`);
        return -E.EPERM;
      case 'fchownat':
        return emptyPath(a[1], a[4]) ? this.checkFdWrite(k, a[0] | 0, name) : 0;
      case 'linkat':
        return emptyPath(a[1], a[4]) ? this.checkFdWrite(k, a[0] | 0, name) : 0;
      case 'mknod': case 'mknodat': {
        const type = a[name === 'mknod' ? 1 : 2] & S_IFMT;
        if (type !== S_IFCHR && type !== S_IFBLK) return 0;
        this.deny('write', `making a device node (${name})`);
        return -E.EPERM;
      }
      case 'kill':
        return this.checkSignalTarget(k, a[0] | 0);
      // Another process's limits may be read; changed only for the guest's own processes.
      case 'prlimit64':
        if (a[2] === 0 || (a[0] | 0) === 0 || (a[0] | 0) === k.pid || isDescendant(a[0] | 0, k.pid)) return 0;
        this.deny('signal', `changing the resource limits of process ${a[0]} (prlimit64)`);
        return -E.EPERM;
      // A file handle names a file by inode, past every path check.
      case 'open_by_handle_at':
        this.deny('read', 'opening a file by handle (open_by_handle_at)');
        return -E.EPERM;
      // The kernel's log is the host's (as /dev/kmsg is outside).
      case 'syslog':
        this.deny('read', 'the kernel log (syslog)');
        return -E.EPERM;
      // Another process's namespaces are outside the sandbox.
      case 'setns':
        this.deny('write', 'joining a namespace (setns)');
        return -E.EPERM;
      // POSIX message queues are the host's, shared with every program on it.
      case 'mq_open': case 'mq_unlink':
        this.deny('ipc', `a host message queue (${name})`);
        return -E.EACCES;
      // Renicing: the guest's own processes (PRIO_PROCESS), or its own group or user as a whole only by `who` 0.
      case 'setpriority':
        if (a[1] === 0) return 0;
        if (a[0] === PRIO_PROCESS && (a[1] === k.pid || isDescendant(a[1], k.pid))) return 0;
        this.deny('signal', `renicing ${['process', 'process group', 'user'][a[0]] ?? 'target'} ${a[1]} (setpriority)`);
        return -E.EPERM;
    }
    return 0;
  }

  /** A change through a descriptor: its file must be where the guest may write (pipes and sockets are its own). */
  private checkFdWrite(k: Kernel, fd: number, call: string): number {
    const f = k.file(fd);
    if (!f || !f.path.startsWith('/')) return 0;
    const r = resolve(f.path, true);
    if (typeof r === 'string' && r !== 'anonymous' && (r === 'stdio' || this.allows(r, 'write'))) return 0;
    return this.deny('write', `writing ${f.path} (${call} on descriptor ${fd})`);
  }

  /**
   * kill(): the guest may signal itself and the processes it started (its descendants, and
   * process groups they lead), not the user's other processes.
   */
  private checkSignalTarget(k: Kernel, pid: number): number {
    if (pid === k.pid) return 0;
    const target = pid > 0 ? pid : pid === 0 ? processGroup(k.pid) : pid < -1 ? -pid : null;
    if (target !== null && isDescendant(target, k.pid)) return 0;
    this.deny('signal', `signalling process ${pid} (kill)`);
    return -E.EPERM;
  }

  /** execve of a program found at `hostPath`: a guest program must be readable, a host one needs --allow-exec. */
  checkExec(hostPath: string, guest: boolean): number {
    if (!guest && !this.policy.exec) return this.deny('exec', `running host program ${hostPath} (execve)`);
    const r = resolve(hostPath, true);
    if (typeof r === 'number') return r;
    return r !== 'anonymous' && r !== 'stdio' && this.allows(r, 'read') ? 0 : this.deny('read', `reading ${hostPath} (execve)`, hostPath);
  }

  /** socket(): only AF_UNIX without --allow-net (AF_NETLINK reaches the host's network configuration). */
  checkSocket(domain: number): number {
    const family = FAMILY_NAMES[domain] ?? `family ${domain}`;
    return this.policy.net || domain === AF_UNIX ? 0 : this.deny('net', `an ${family} socket`);
  }

  /** The network interface ioctls (SIOCGIFADDR...) tell, and may change, the host's interfaces. */
  checkInterfaceIoctl(): number {
    return this.policy.net ? 0 : this.deny('net', 'the host\'s network interfaces (ioctl)');
  }

  /**
   * A socket address the guest connects, binds or sends to (host layout). A path in
   * AF_UNIX is a file: binding creates it and connecting writes to it, so both need write
   * access there; abstract names and Internet addresses need --allow-net.
   */
  checkAddress(sa: Uint8Array, cwd: () => string): number {
    if (sa.length < 2) return 0;
    const family = sa[0] | (sa[1] << 8);
    if (family === AF_UNIX) {
      if (sa.length === 2) return 0; // autobind: an address of the kernel's choosing
      if (sa[2] === 0) return this.policy.net ? 0 : this.deny('net', 'an abstract unix socket name');
      let end = sa.indexOf(0, 2);
      if (end < 0) end = sa.length;
      const p = Buffer.from(sa.subarray(2, end)).toString('utf8');
      const r = resolve(p.startsWith('/') ? p : path.join(cwd(), p), true);
      if (typeof r === 'number') return r;
      return r !== 'anonymous' && r !== 'stdio' && this.allows(r, 'write') ? 0 : this.deny('write', `the unix socket ${p}`, p);
    }
    if (family === AF_INET || family === AF_INET6) return this.policy.net ? 0 : this.deny('net', 'an Internet address');
    return this.policy.net ? 0 : this.deny('net', `an address of family ${family}`);
  }

  private allows(p: string, access: Access): boolean {
    if (access === 'write') return WRITE_ALWAYS.has(p) || this.writeRoots.some((root) => within(p, root));
    if (READ_ALWAYS.has(p) || this.readRoots.some((root) => within(p, root))) return true;
    // Above an allowed directory: its names can be looked up (realpath, getcwd), nothing read.
    return access === 'lookup' && this.readRoots.some((root) => within(root, p));
  }

  /**
   * EACCES, shown in --strace, and reported on stderr the first time for each kind. A path
   * that does not exist withheld nothing: it is not reported (every dynamic program probes
   * for /etc/ld.so.preload), though it is denied all the same (whether it exists is not told).
   */
  private deny(kind: 'read' | 'write' | 'net' | 'exec' | 'signal' | 'ipc', what: string, hostPath?: string): number {
    const how = { read: '--allow-read DIR allows it', write: '--allow-write DIR allows it', net: '--allow-net allows it',
      exec: '--allow-exec allows it', signal: 'only its own processes can be signalled',
      ipc: 'the host\'s message queues are shared with every program' }[kind];
    const doing = { read: 'reading', write: 'writing', net: 'network', exec: 'host program', signal: 'signal', ipc: 'message queue' }[kind];
    this.lastDenial = `sandbox: ${what}`;
    if (hostPath === undefined || fs.existsSync(hostPath)) {
      this.warnOnce(`sandbox-${kind}`, `urun: sandbox: denied ${what}; ${how} (later ${doing} denials are not reported)`);
    }
    return -E.EACCES;
  }
}

/** A host process's parent and process group (from /proc/PID/stat), or null when it is gone. */
function procStat(pid: number): { ppid: number; pgrp: number } | null {
  const f = hostStatFields(pid);
  return f && { ppid: Number(f[4 - 3]), pgrp: Number(f[5 - 3]) };
}

function processGroup(pid: number): number | null {
  return procStat(pid)?.pgrp ?? null;
}

/** Whether `pid` is `ancestor` or was started by it (through any number of generations). */
function isDescendant(pid: number, ancestor: number): boolean {
  for (let p = pid, hops = 0; p > 1 && hops < 1000; hops++) {
    if (p === ancestor) return true;
    const st = procStat(p);
    if (!st) return false;
    p = st.ppid;
  }
  return false;
}

/** The policy's directories as real paths (one that does not exist stays as given, made absolute). */
function realRoot(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function within(p: string, root: string): boolean {
  return p === root || root === '/' || p.startsWith(root + '/');
}

/**
 * Resolves a host path as the kernel's lookup would: every symlink on the way (the last one
 * only if `followLast`), "." and "..", relative paths against the current directory. A name
 * that does not exist ends the walk (the rest is taken as written: the call fails there, or
 * creates it). `stdio`: the host's own descriptors 0-2 (/dev/stdout and the like), the
 * user's to give; `anonymous`: a magic link to a pipe, socket or other object without a path.
 */
export function resolve(p: string, followLast: boolean): Resolved | number {
  const cwd = p.startsWith('/') ? '' : currentDirectory();
  if (cwd === null) return -E.ENAMETOOLONG;
  let todo = (p.startsWith('/') ? p : `${cwd}/${p}`).split('/');
  let done: string[] = [];
  let links = 0;
  while (todo.length > 0) {
    const c = todo.shift()!;
    if (c === '' || c === '.') continue;
    if (c === '..') {
      done.pop();
      continue;
    }
    const here = `/${[...done, c].join('/')}`;
    const last = todo.every((t) => t === '' || t === '.');
    if (last && here === `/proc/${process.pid}/fd/${c}` && /^[012]$/.test(c)) return 'stdio';
    let st: fs.Stats;
    try {
      st = fs.lstatSync(here);
    } catch {
      // Absent (or not searchable by urun either): the call fails there or creates the last
      // name. ".." under a missing name fails the lookup, as in the kernel.
      if (todo.includes('..')) return -E.ENOENT;
      return `/${[...done, c, ...todo.filter((t) => t !== '' && t !== '.')].join('/')}`;
    }
    if (!st.isSymbolicLink() || (last && !followLast)) {
      done.push(c);
      continue;
    }
    if (++links > MAX_SYMLINKS) return -E.ELOOP;
    let target: string;
    try {
      target = fs.readlinkSync(here);
    } catch {
      return 'anonymous';
    }
    // A /proc magic link to an object with no path: "pipe:[123]", "anon_inode:[eventfd]".
    if (here.startsWith('/proc/') && /^[a-z_]+:/.test(target)) return 'anonymous';
    if (target.startsWith('/')) done = [];
    todo = [...target.split('/'), ...todo];
  }
  return `/${done.join('/')}`;
}

/** The current directory, or null when it is too deep for the host to name. */
function currentDirectory(): string | null {
  try {
    return process.cwd();
  } catch {
    return null;
  }
}

/** The syscalls that take a path, by how they use it (the rest, if any, count as writes). */
const READS = new Set(['statfs64', 'statfs', 'getxattr', 'listxattr', 'inotify_add_watch']);
const LOOKUPS = new Set(['stat64', 'stat', 'access', 'chdir', 'oldstat', 'newstat']);
const LOOKUPS_NOFOLLOW = new Set(['lstat64', 'lstat', 'readlink', 'readlinkat', 'oldlstat']);
const READS_NOFOLLOW = new Set(['lgetxattr', 'llistxattr']);
const WRITES = new Set(['chmod', 'fchmodat', 'chown', 'truncate', 'truncate64', 'setxattr', 'removexattr', 'utime', 'utimes']);
/** Writes that act on the name itself (a final symlink is the object): creating, removing, renaming, linking. */
const WRITES_NOFOLLOW = new Set(['mkdir', 'mkdirat', 'rmdir', 'unlink', 'unlinkat', 'rename', 'renameat', 'renameat2', 'link',
  'symlink', 'symlinkat', 'lchown', 'lsetxattr', 'lremovexattr', 'mknod', 'mknodat']);
/** *at calls whose AT_SYMLINK_NOFOLLOW flag is in this argument. */
const AT_FLAGS_ARG: Record<string, [Access, number]> = {
  fstatat64: ['lookup', 3], newfstatat: ['lookup', 3], statx: ['lookup', 2], faccessat: ['lookup', 3], faccessat2: ['lookup', 3],
  utimensat: ['write', 3], utimensat_time64: ['write', 3], fchownat: ['write', 4],
};

function pathUse(call: CallContext): PathUse {
  // ARM's chown32 and lchown32 are chown and lchown.
  const name = /^l?chown32$/.test(call.name) ? call.name.slice(0, -2) : call.name;
  const a = call.args;
  if (name === 'open' || name === 'openat' || name === 'creat') {
    const o = call.openFlags;
    const flags = name === 'creat' ? o.O_CREAT | o.O_TRUNC | 1 : a[name === 'openat' ? 2 : 1];
    const writes = (flags & 3) !== 0 || (flags & (o.O_CREAT | o.O_TRUNC | o.O_APPEND)) !== 0;
    const exclusive = (flags & o.O_CREAT) !== 0 && (flags & o.O_EXCL) !== 0;
    return { access: writes ? 'write' : 'read', follow: (flags & o.O_NOFOLLOW) === 0 && !exclusive };
  }
  if (name === 'linkat') return { access: 'write', follow: (a[4] & AT_SYMLINK_FOLLOW) !== 0 };
  // A handle names the file as a lookup does (opening it is open_by_handle_at's, which is refused).
  if (name === 'name_to_handle_at') return { access: 'lookup', follow: (a[4] & AT_SYMLINK_FOLLOW) !== 0 };
  const at = AT_FLAGS_ARG[name];
  if (at) return { access: at[0], follow: (a[at[1]] & AT_SYMLINK_NOFOLLOW) === 0 };
  if (LOOKUPS.has(name)) return { access: 'lookup', follow: true };
  if (LOOKUPS_NOFOLLOW.has(name)) return { access: 'lookup', follow: false };
  if (READS.has(name)) return { access: 'read', follow: true };
  if (READS_NOFOLLOW.has(name)) return { access: 'read', follow: false };
  if (WRITES_NOFOLLOW.has(name)) return { access: 'write', follow: false };
  if (WRITES.has(name)) return { access: 'write', follow: true };
  return { access: 'write', follow: true };
}
