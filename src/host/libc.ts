// The one boundary where urun calls the host C library directly, through the koffi FFI
// package: what Linux process semantics need and Node has no API for (pipes, dup2, lseek on
// a shared offset, fork by posix_spawn, execve, wait4, process groups, kill with any
// signal). Loaded on first use, so a program that never needs it pays nothing (~10 ms).
// Every function returns the raw result; failures come back as -errno (host numbering).
import { createRequire } from 'node:module';
import { cArgument } from './bytes.js';

interface Koffi {
  load(lib: string): { func(decl: string): (...args: unknown[]) => unknown };
  struct(name: string, fields: Record<string, string>): unknown;
  errno(): number;
}

/** A path for a `const char *` parameter: a string as koffi passes it, bytes NUL-terminated. */
function cstr<T>(p: T): T | Buffer {
  return Buffer.isBuffer(p) ? Buffer.concat([p, Buffer.alloc(1)]) : p;
}

export interface Libc {
  pipe2(flags: number): [number, number] | number;
  dup(fd: number): number;
  dup2(from: number, to: number): number;
  /** fcntl with an integer argument. */
  fcntl(fd: number, cmd: number, arg: number): number;
  lseek(fd: number, offset: number, whence: number): number;
  /** wait4; `status` and the raw 144-byte struct rusage are written into the given arrays. */
  wait4(pid: number, status: Int32Array, options: number, rusage: Buffer): number;
  /**
   * CPU time of urun's reaped children (the guest's, each a host process), in µs: the host's
   * getrusage(RUSAGE_CHILDREN), exact where /proc/self/stat's cutime and cstime count 10 ms
   * ticks (a short child, as hyperfine times them, took 0.0 ms).
   */
  childrenCpuUs(): { user: number; system: number };
  /** waitid; the raw 128-byte host siginfo is written into `info`. */
  waitid(idtype: number, id: number, info: Buffer, options: number): number;
  kill(pid: number, sig: number): number;
  /** rt_sigqueueinfo(2) to another process: host signal, si_code and sival_int (sig 0 only checks it is there). */
  sigqueue(pid: number, sig: number, code: number, value: number): number;
  /** pidfd_open(2): a close-on-exec descriptor that polls readable once the process has exited. */
  pidfdOpen(pid: number): number;
  /** pidfd_send_signal(2) without a siginfo (host signal numbers; 0 only checks the process is there). */
  pidfdSendSignal(fd: number, sig: number): number;
  /** prctl(2) with integer arguments only. */
  prctl(option: number, a2: number, a3: number, a4: number, a5: number): number;
  /** prctl(2) of the options that store an int through their pointer (PR_GET_PDEATHSIG): the int, or -errno. */
  prctlGetInt(option: number): number;
  /** prlimit64(2) on this process: sets a host resource limit (host numbering); 0 or -errno. */
  setHostRlimit(resource: number, soft: bigint, hard: bigint): number;
  /**
   * prlimit64(2) on another process (host numbering): sets its limit to `set` when given, and
   * returns the limit it had, or -errno.
   */
  prlimitOf(pid: number, resource: number, set: [bigint, bigint] | null): [bigint, bigint] | number;
  /** ioprio_get(which, who) or ioprio_set(which, who, prio). */
  ioprio(set: boolean, which: number, who: number, prio: number): number;
  /** The raw getpriority(which, who) (20 - nice, as the kernel returns it) or setpriority(which, who, nice). */
  priority(set: boolean, which: number, who: number, nice: number): number;
  /** sched_rr_get_interval(2) into a host struct timespec. */
  schedRrGetInterval(pid: number, out: Buffer): number;
  /** sched_getattr(pid, out, out.length, 0) into a host struct sched_attr: 0 or -errno. */
  schedGetattr(pid: number, out: Buffer): number;
  /** capset(2): the header and data as the host's (little-endian) structs. */
  capset(header: Buffer, data: Buffer): number;
  unshare(flags: number): number;
  /** setns(2) on a host descriptor. */
  setns(fd: number, nstype: number): number;
  /** acct(2): a host path, or null to stop accounting. */
  acct(path: string | Buffer | null): number;
  /** sethostname(2), or setdomainname(2) when `domain`. */
  setHostName(domain: boolean, name: Buffer): number;
  /** An ioctl whose argument points at one int, which it returns. */
  ioctlInt(fd: number, request: number): number;
  getppid(): number;
  /** _exit(2): ends the process at once, without Node's teardown (see exitNow in engine/signals.ts). */
  exitNow(status: number): never;
  getpgid(pid: number): number;
  setpgid(pid: number, pgid: number): number;
  getsid(pid: number): number;
  setsid(): number;
  /**
   * setuid, setgid, setreuid, setregid, setresuid or setresgid of glibc, which changes every
   * thread of the process (a guest thread is a host thread of this process). An id of -1
   * leaves it as it is. 0 or -errno.
   */
  setIds(call: 'setuid' | 'setgid' | 'setreuid' | 'setregid' | 'setresuid' | 'setresgid', ids: number[]): number;
  /** getresuid or getresgid: [real, effective, saved], or -errno. */
  getResIds(which: 'uid' | 'gid'): [number, number, number] | number;
  /** The supplementary groups, or -errno. */
  getGroups(): number[] | number;
  /** setgroups (glibc's, for every thread): 0 or -errno. */
  setGroups(groups: number[]): number;
  /**
   * posix_spawn: the child gets parent descriptor P at number C for each [C, P] of `fds` and no
   * others; with `ignored`, every signal not in it starts at its default action and those in
   * it ignored. Returns the pid or -errno.
   */
  spawn(path: string, argv: string[], envp: string[], fds: [number, number][], ignored: Set<number> | null,
    opts?: SpawnExtras): number;
  /** A connected pair of close-on-exec SOCK_SEQPACKET Unix sockets. */
  /** A connected pair of Unix sockets (close-on-exec): message-oriented, or a byte stream when `stream`. */
  socketpair(stream?: boolean): [number, number] | number;
  /** Sends one message carrying `data` and the descriptors (SCM_RIGHTS). */
  sendFds(sock: number, data: Buffer, fds: number[]): number;
  /** Receives one such message (blocking); null at end of file. */
  recvFds(sock: number): { data: Buffer; fds: number[] } | null | number;
  chdir(dir: string | Buffer): number;
  /** An anonymous memory file (close-on-exec). */
  memfd(name: string, flags?: number): number;
  /** Replaces the process image; returns only on failure (-errno). */
  execve(path: string, argv: string[], envp: string[]): number;
  /**
   * poll(2) over `fds`, an array of struct pollfd as the host lays it out (int fd, short
   * events, short revents: 8 bytes each, revents filled in); returns the ready count or -errno.
   */
  poll(fds: Buffer, count: number, timeoutMs: number): number;
  // ---- shared memory ----
  /** The host address of a typed array's first byte. */
  addressOf(bytes: Uint8Array): bigint;
  /**
   * mmap(2) at exactly `addr` (MAP_FIXED, over what was there): `fd` -1 for anonymous private
   * zero pages, else a MAP_SHARED mapping of the file at `offset`. Returns 0 or -errno.
   */
  mapFixed(addr: bigint, len: number, prot: number, fd: number, offset: number): number;
  msync(addr: bigint, len: number, flags: number): number;
  /** madvise(2) of host memory: 0 or -errno. */
  madvise(addr: bigint, len: number, advice: number): number;
  /** mincore(2) of host memory into `vec` (a byte per page): 0 or -errno. */
  mincore(addr: bigint, len: number, vec: Uint8Array): number;
  /** FUTEX_WAIT (shared between processes) for at most timeoutMs: 0, or -EAGAIN, -ETIMEDOUT, -EINTR. */
  futexWait(addr: bigint, expect: number, timeoutMs: number): number;
  /** FUTEX_WAKE (shared between processes): how many were woken. */
  futexWake(addr: bigint, count: number): number;
  /**
   * Sets a signal's disposition to default (0) or ignore (1), any of 1..64 (the kernel's own
   * call: glibc's refuses 32 and 33, which it keeps for itself).
   */
  setSignalDisposition(sig: number, handler: 0 | 1): void;
  /**
   * Puts a signal's raw action back (one setSignalDisposition or exchangeSignalAction took)
   * and returns the one it replaces; `null` puts the default in place.
   */
  exchangeSignalAction(sig: number, action: Buffer | null): Buffer;
  /** Sets the calling thread's signal mask (what a program it execs starts with). */
  setSignalMask(blocked: number[]): void;
  /** f's result, called with the host signal sig blocked in this thread. */
  withSignalBlocked<T>(sig: number, f: () => T): T;
  // ---- files ----
  /** fcntl with a pointer argument (struct flock). */
  fcntlPtr(fd: number, cmd: number, arg: Buffer): number;
  flock(fd: number, op: number): number;
  /** lseek with a 64-bit offset kept exact (a directory's d_off cookies use all 63 bits); -errno on failure. */
  lseekExact(fd: number, offset: bigint, whence: number): bigint;
  /** getdents64(2): linux_dirent64 records into `buf`; returns the bytes filled. */
  getdents64(fd: number, buf: Buffer): number;
  /** The host's getcwd syscall (not Node's cached `process.cwd()`): the length with the NUL, or -ENOENT once the directory is removed. */
  getcwd(buf: Buffer): number;
  /** An ioctl whose argument points at a buffer (read and/or written by the kernel). */
  ioctlPtr(fd: number, request: number, arg: Buffer): number;
  /** An ioctl whose argument is a plain integer. */
  ioctlArg(fd: number, request: number, arg: number): number;
  inotifyInit(flags: number): number;
  inotifyAddWatch(fd: number, path: string | Buffer, mask: number): number;
  inotifyRmWatch(fd: number, wd: number): number;
  fallocate(fd: number, mode: number, offset: number, len: number): number;
  /**
   * pread64 or pwrite64 at a position past 2^53, which Node's fs cannot take (it throws for a
   * read and writes at the file's offset instead): the count or -errno.
   */
  pioExact(write: boolean, fd: number, buf: Buffer, pos: bigint): number;
  /** ftruncate64 (a descriptor) or truncate64 (a path) to a length past 2^53: 0 or -errno. */
  truncateExact(on: number | string | Buffer, len: bigint): number;
  /** copy_file_range(2); an offset Buffer (one int64) is used and advanced in place, null uses the file position. */
  copyFileRange(fdIn: number, offIn: Buffer | null, fdOut: number, offOut: Buffer | null, len: number, flags: number): number;
  /** splice(2) and tee(2), offsets as for copyFileRange. */
  splice(fdIn: number, offIn: Buffer | null, fdOut: number, offOut: Buffer | null, len: number, flags: number): number;
  tee(fdIn: number, fdOut: number, len: number, flags: number): number;
  sync(): void;
  syncfs(fd: number): number;
  /** readahead(2): the host fills its page cache (EBADF unless readable, EINVAL unless a regular file). */
  readahead(fd: number, offset: number, count: number): number;
  /** syslog(2) (klogctl): `buf` for the actions that read the log, null for the others. */
  syslog(action: number, buf: Buffer | null, len: number): number;
  /** clock_adjtime(2) with x86-64's struct timex (208 bytes) in `buf`. */
  clockAdjtime(clock: number, buf: Buffer): number;
  /** The CPU time the calling host thread has used, in nanoseconds (CLOCK_THREAD_CPUTIME_ID). */
  threadCpuNs(): bigint;
  /** clock_getres(2) of a host clock, in nanoseconds (-errno when the host has no such clock). */
  clockResNs(clock: number): bigint;
  /** statfs(2) of a path or fstatfs(2) of a descriptor into `buf`: x86-64's struct statfs (120 bytes). */
  statfs(on: string | Buffer | number, buf: Buffer): number;
  fsync(fd: number): number;
  /**
   * The extended-attribute calls (getxattr, setxattr, listxattr, removexattr and their l*
   * and f* forms): `on` is a path or a descriptor; `follow` false for the l* forms.
   */
  xattr(op: XattrOp, on: string | Buffer | number, follow: boolean, name: string, buf: Buffer | null, size: number, flags: number): number;
  fdatasync(fd: number): number;
  /** statx(2): the 256-byte struct statx (host byte order) into `buf`. */
  statx(dirfd: number, path: string | Buffer, flags: number, mask: number, buf: Buffer): number;
  /** utimensat(2); `times` two struct timespec (host layout) or null for now. */
  utimensat(dirfd: number, path: string | Buffer, times: Buffer | null, flags: number): number;
  /** futimens(2): utimensat on the descriptor itself (glibc's utimensat refuses a NULL path). */
  futimens(fd: number, times: Buffer | null): number;
  fchmodat(dirfd: number, path: string | Buffer, mode: number, flags: number): number;
  fchownat(dirfd: number, path: string | Buffer, uid: number, gid: number, flags: number): number;
  /** name_to_handle_at(2) into a host struct file_handle, the mount id into `mountId` (an int); 0 or -errno. */
  nameToHandleAt(dirfd: number, path: string | Buffer, handle: Buffer, mountId: Buffer, flags: number): number;
  /** open_by_handle_at(2) of a host struct file_handle (host open flags): the host descriptor, or -errno. */
  openByHandleAt(mountFd: number, handle: Buffer, flags: number): number;
  linkat(olddir: number, oldPath: string | Buffer, newdir: number, newPath: string | Buffer, flags: number): number;
  /** renameat2(2) (RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_WHITEOUT: the same bits on every arch). */
  renameat2(olddir: number, oldPath: string | Buffer, newdir: number, newPath: string | Buffer, flags: number): number;
  symlinkat(target: string | Buffer, newdir: number, newPath: string | Buffer): number;
  mknodat(dirfd: number, path: string | Buffer, mode: number, dev: bigint): number;
  /** openat(2) with host flags: the kernel's errno for every path error (ENAMETOOLONG, ELOOP...). */
  openat(dirfd: number, path: string, flags: number, mode: number): number;
  // ---- SysV IPC ----
  // The host's own raw system calls (x86-64 numbering and struct layouts: no IPC_64 flag).
  shmget(key: number, size: number, flags: number): number;
  /** shmat at an address the host chooses: the host address, or -errno (a negative number). */
  shmat(shmid: number, flags: number): bigint | number;
  shmctl(shmid: number, cmd: number, buf: Buffer | null): number;
  semget(key: number, nsems: number, flags: number): number;
  /** semop over `nsops` host struct sembufs (6 bytes each). */
  semop(semid: number, sops: Buffer, nsops: number): number;
  /** semctl with the union semun argument as a buffer's address or as a value. */
  semctl(semid: number, num: number, cmd: number, arg: Buffer | number | null): number;
  msgget(key: number, flags: number): number;
  /** msgsnd/msgrcv of a host struct msgbuf (8-byte mtype, then the text). */
  msgsnd(msqid: number, msg: Buffer, size: number, flags: number): number;
  msgrcv(msqid: number, msg: Buffer, size: number, type: number, flags: number): number;
  msgctl(msqid: number, cmd: number, buf: Buffer | null): number;
  // ---- POSIX message queues (the raw calls: the name has no leading '/'; `attr` a host struct mq_attr) ----
  mqOpen(name: Buffer, flags: number, mode: number, attr: Buffer | null): number;
  mqUnlink(name: Buffer): number;
  /** mq_timedsend without a timeout; the message may be a view of guest memory. */
  mqSend(fd: number, msg: Uint8Array, len: number, prio: number): number;
  /** mq_timedreceive without a timeout, the priority into `prio` (4 bytes). */
  mqReceive(fd: number, msg: Uint8Array, len: number, prio: Buffer): number;
  /** mq_notify with a host struct sigevent (64 bytes), or null to unregister. */
  mqNotify(fd: number, sev: Buffer | null): number;
  mqGetsetattr(fd: number, newAttr: Buffer | null, oldAttr: Buffer | null): number;
  /** mremap(old, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, to): moves a mapping; 0 or -errno. */
  moveMapping(from: bigint, len: number, to: bigint): number;
  munmap(addr: bigint, len: number): number;
  // ---- events ----
  /** epoll_create1(EPOLL_CLOEXEC). */
  epollCreate(): number;
  /** epoll_ctl with the event as the host lays it out (packed: u32 events, u64 data). */
  epollCtl(epfd: number, op: number, fd: number, events: number, data: bigint): number;
  /** epoll_wait into `out`, packed 12-byte host events; returns the count or -errno. */
  epollWait(epfd: number, out: Buffer, maxEvents: number, timeoutMs: number): number;
  eventfd(initval: number, flags: number): number;
  timerfdCreate(clock: number, flags: number): number;
  /** timerfd_settime; `value` and `old` are host struct itimerspec (4 x int64: interval, value). */
  timerfdSettime(fd: number, flags: number, value: Buffer, old: Buffer): number;
  timerfdGettime(fd: number, out: Buffer): number;
  // ---- sockets ----
  // Buffers may be views of guest memory: the host reads and writes them in place.
  socket(domain: number, type: number, protocol: number): number;
  socketPair(domain: number, type: number, protocol: number): [number, number] | number;
  bind(fd: number, addr: Uint8Array): number;
  connect(fd: number, addr: Uint8Array): number;
  listen(fd: number, backlog: number): number;
  /** accept4; the peer's address goes into `addr` (its full length is returned as addrLen). */
  accept4(fd: number, addr: Uint8Array, flags: number): { fd: number; addrLen: number } | number;
  /** getsockname / getpeername into `addr`: the address's full length, or -errno. */
  getsockname(fd: number, addr: Uint8Array): number;
  getpeername(fd: number, addr: Uint8Array): number;
  setsockopt(fd: number, level: number, name: number, value: Uint8Array): number;
  /** getsockopt into `value`: the length the host wrote, or -errno. */
  getsockopt(fd: number, level: number, name: number, value: Uint8Array): number;
  shutdown(fd: number, how: number): number;
  /** sendto: one buffer, an optional address (cheaper than sendMessage through the FFI). */
  sendTo(fd: number, data: Uint8Array, name: Uint8Array | null, flags: number): number;
  /** recvfrom into one buffer; the sender's address into `name` when given (its full length as nameLen). */
  receiveFrom(fd: number, data: Uint8Array, name: Uint8Array | null, flags: number): { bytes: number; nameLen: number } | number;
  /** sendmsg from the buffers, with an optional address and host-layout control data. */
  sendMessage(fd: number, iov: Uint8Array[], name: Uint8Array | null, control: Uint8Array | null, flags: number): number;
  /** recvmsg into the buffers: the byte count, the address and control lengths and msg_flags, or -errno. */
  receiveMessage(fd: number, iov: Uint8Array[], name: Uint8Array | null, control: Uint8Array | null, flags: number):
    { bytes: number; nameLen: number; controlLen: number; flags: number } | number;
  /** SIOCGIFCONF into host ifreqs (null: only the length needed): the length filled, or -errno. */
  interfaceConf(fd: number, reqs: Uint8Array | null): number;
}

export const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;
export const FD_CLOEXEC = 1;
export const HOST_O_NONBLOCK = 0o4000, HOST_O_CLOEXEC = 0o2000000, HOST_O_PATH = 0o10000000;
/** x86-64's O_TMPFILE (its __O_TMPFILE with O_DIRECTORY). */
export const HOST_O_TMPFILE = 0o20200000, HOST_O_ASYNC = 0o20000;

/** More of what posix_spawn can set up. */
export interface SpawnExtras {
  /** Child descriptor numbers to open on /dev/null. */
  devNull?: number[];
  /** The child's process group (0: a new one of its own), set before it runs. */
  pgroup?: number;
  /** The child starts a new session. */
  setsid?: boolean;
  /** Host signals the child starts with blocked (a host program's copy of the guest's mask). */
  blocked?: number[];
  /** The directory the child starts in, when not this process's. */
  cwd?: string;
}

/** A host sigset_t (128 bytes) holding `signals`. */
function sigsetOf(signals: number[]): Buffer {
  const set = Buffer.alloc(128);
  for (const sig of signals) set[(sig - 1) >> 3] |= 1 << ((sig - 1) & 7);
  return set;
}

const SIG_BLOCK = 0, SIG_SETMASK = 2;
const CLOCK_THREAD_CPUTIME_ID = 3;
const POSIX_SPAWN_SETPGROUP = 2, POSIX_SPAWN_SETSIGDEF = 4, POSIX_SPAWN_SETSIGMASK = 8, POSIX_SPAWN_SETSID = 0x80;
const SYS_futex = 202, FUTEX_WAIT = 0, FUTEX_WAKE = 1;
// x86-64 SysV IPC system call numbers.
const SYS_shmget = 29, SYS_shmat = 30, SYS_shmctl = 31, SYS_semget = 64, SYS_semctl = 66;
const SYS_msgget = 68, SYS_msgsnd = 69, SYS_msgrcv = 70, SYS_msgctl = 71, SYS_semop = 65;
const SYS_mq_open = 240, SYS_mq_unlink = 241, SYS_mq_timedsend = 242, SYS_mq_timedreceive = 243, SYS_mq_notify = 244, SYS_mq_getsetattr = 245;
const SYS_rt_sigaction = 13, SYS_rt_sigqueueinfo = 129, SYS_readahead = 187, SYS_prlimit64 = 302, SYS_pidfd_open = 434, SYS_pidfd_send_signal = 424, SYS_prctl = 157, SYS_ioprio_set = 251, SYS_ioprio_get = 252, SYS_getpriority = 140, SYS_setpriority = 141, SYS_syslog = 103;
const SYS_sched_rr_get_interval = 148, SYS_sched_getattr = 315, SYS_capset = 126, SYS_unshare = 272, SYS_setns = 308, SYS_acct = 163, SYS_sethostname = 170, SYS_setdomainname = 171;
/** The host's struct rlimit64. */
function rlimit64(soft: bigint, hard: bigint): Buffer {
  const limits = Buffer.alloc(16);
  limits.writeBigUInt64LE(soft, 0);
  limits.writeBigUInt64LE(hard, 8);
  return limits;
}
const SCM_MAX_FDS = 253;
/** The largest message recvFds receives whole. */
export const FD_MESSAGE_MAX = 1 << 16;
/** Where spawn parks descriptors while it rearranges them. */
const PARK = 900;

let loaded: Libc | null = null;

/** Host descriptors to make close-on-exec before the next spawn (see the Kernel's descriptors from urun's parent). */
const closeOnExecAtSpawn = new Set<number>();
export function closeOnExecBeforeSpawn(fds: number[]): void {
  for (const fd of fds) closeOnExecAtSpawn.add(fd);
}

export type XattrOp = 'get' | 'set' | 'list' | 'remove';

export function libc(): Libc {
  return (loaded ??= load());
}

/** Whether this thread has loaded the FFI already (its first use costs ~20 ms). */
export function libcLoaded(): boolean {
  return loaded !== null;
}

/**
 * koffi's native module, loaded directly when it is there for this platform (koffi's own
 * entry point also loads its installer's modules: https, zlib, crypto; about 8 ms more).
 */
function loadKoffi(): Koffi {
  const nodeRequire = createRequire(import.meta.url);
  try {
    const native = nodeRequire(`koffi/build/koffi/${process.platform}_${process.arch}/koffi.node`) as Koffi & { version?: string };
    if (native.version === (nodeRequire('koffi/package.json') as { version: string }).version) return native;
  } catch {
    // Another layout (musl, a bundled copy): koffi's entry point finds it.
  }
  return nodeRequire('koffi') as Koffi;
}

function load(): Libc {
  const koffi = loadKoffi();
  const lib = koffi.load('libc.so.6');
  // Each function is declared to koffi at its first call: a run uses a few of the ~90.
  const fn = (decl: string) => {
    let f: ((...args: unknown[]) => unknown) | null = null;
    return (...args: unknown[]) => (f ??= lib.func(decl))(...args);
  };
  const check = (r: unknown): number => {
    const n = Number(r);
    return n < 0 ? -koffi.errno() : n;
  };
  const pipe2 = fn('int pipe2(_Out_ int *fds, int flags)');
  const dup = fn('int dup(int)');
  const dup2 = fn('int dup2(int, int)');
  const fcntl = fn('int fcntl(int, int, ...)');
  const lseek = fn('int64_t lseek64(int, int64_t, int)');
  const wait4 = fn('int wait4(int, _Out_ int *status, int, void *rusage)');
  const waitid = fn('int waitid(int, int, void *info, int)');
  const getrusage = fn('int getrusage(int, void *usage)');
  const kill = fn('int kill(int, int)');
  const ioctl = fn('int ioctl(int, unsigned long, _Out_ int *)');
  const getppid = fn('int getppid()');
  const exitNow = fn('void _exit(int)');
  const getpgid = fn('int getpgid(int)');
  const setpgid = fn('int setpgid(int, int)');
  const getsid = fn('int getsid(int)');
  const setsid = fn('int setsid()');
  const getgroups = fn('int getgroups(int, void *)');
  const setgroups = fn('int setgroups(size_t, void *)');
  const idCalls = new Map<string, (...args: unknown[]) => unknown>();
  const execve = fn('int execve(const char *, const char **, const char **)');
  const signal = fn('intptr_t signal(int, intptr_t)');
  const sigmask = fn('int pthread_sigmask(int, void *, void *)');
  const faInit = fn('int posix_spawn_file_actions_init(void *)');
  const faDup2 = fn('int posix_spawn_file_actions_adddup2(void *, int, int)');
  const faDestroy = fn('int posix_spawn_file_actions_destroy(void *)');
  const faClose = fn('int posix_spawn_file_actions_addclose(void *, int)');
  const attrInit = fn('int posix_spawnattr_init(void *)');
  const attrSetSigDefault = fn('int posix_spawnattr_setsigdefault(void *, void *)');
  const attrSetSigMask = fn('int posix_spawnattr_setsigmask(void *, void *)');
  const attrSetFlags = fn('int posix_spawnattr_setflags(void *, short)');
  const attrSetPgroup = fn('int posix_spawnattr_setpgroup(void *, int)');
  const memfdCreate = fn('int memfd_create(const char *, unsigned int)');
  const faOpen = fn('int posix_spawn_file_actions_addopen(void *, int, const char *, int, unsigned int)');
  const faChdir = fn('int posix_spawn_file_actions_addchdir_np(void *, const char *)');
  const socketpair = fn('int socketpair(int, int, int, _Out_ int *sv)');
  koffi.struct('urun_iovec', { base: 'void *', len: 'size_t' });
  koffi.struct('urun_msghdr', { name: 'void *', namelen: 'uint32', iov: 'urun_iovec *', iovlen: 'size_t', control: 'void *', controllen: 'size_t', flags: 'int' });
  koffi.struct('urun_ifconf', { len: 'int', buf: 'void *' });
  const sendmsg = fn('long sendmsg(int, const urun_msghdr *, int)');
  const recvmsg = fn('long recvmsg(int, _Inout_ urun_msghdr *, int)');
  const chdir = fn('int chdir(const char *)');
  const poll = fn('int poll(void *, unsigned long, int)');
  // ---- shared memory ----
  const memmove = fn('void *memmove(void *, void *, size_t)');
  const mmap = fn('intptr_t mmap(intptr_t, size_t, int, int, int, int64_t)');
  const msync = fn('int msync(intptr_t, size_t, int)');
  const madvise = fn('int madvise(intptr_t, size_t, int)');
  const mincore = fn('int mincore(intptr_t, size_t, _Out_ uint8_t *)');
  const syscall6 = fn('long syscall(long, intptr_t, long, long, void *, intptr_t, long)');
  const koffiAddress = (koffi as unknown as { address(p: unknown): bigint }).address;
  // ---- SysV IPC ----
  // Every argument register set (a call Linux checks for unused zeros, PR_GET_NO_NEW_PRIVS's
  // fifth, must not see what the host's register happened to hold).
  const sysInts6 = fn('long syscall(long, long, long, long, long, long)');
  const sysInts = (nr: number, a1: number, a2: number, a3: number, a4: number, a5 = 0): unknown => sysInts6(nr, a1, a2, a3, a4, a5);
  const sysShmat = fn('intptr_t syscall(long, long, intptr_t, long)');
  const sysCtl = fn('long syscall(long, long, long, void *)');
  const sysSemctl = fn('long syscall(long, long, long, long, void *)');
  const sysBuf = fn('long syscall(long, long, void *, long, long, long)');
  const sysBuf2 = fn('long syscall(long, long, void *, void *, long, long)');
  const sysPrctlOut = fn('long syscall(long, long, void *)');
  const sysPtrs = fn('long syscall(long, void *, void *)');
  const sysPath = fn('long syscall(long, const char *)');
  const sysBufLen = fn('long syscall(long, void *, long)');
  const sysPrlimit = fn('long syscall(long, long, long, void *, void *)');
  const sysMqName = fn('long syscall(long, void *, long, long, void *)');
  const sysMqBuf = fn('long syscall(long, long, void *, long, void *, void *)');
  const sysMqSend = fn('long syscall(long, long, void *, long, long, void *)');
  const sysMqAttr = fn('long syscall(long, long, void *, void *)');
  const mremap = fn('intptr_t mremap(intptr_t, size_t, size_t, int, intptr_t)');
  const munmap = fn('int munmap(intptr_t, size_t)');
  const posixSpawn = fn('int posix_spawn(_Out_ int *pid, const char *, void *, void *, const char **, const char **)');
  // ---- files ----
  const fcntlP = fn('int fcntl(int, int, ...)');
  const flock = fn('int flock(int, int)');
  const sysGetdents64 = fn('long syscall(long, int, void *, unsigned long)');
  const sysGetcwd = fn('long syscall(long, void *, unsigned long)');
  const ioctlP = fn('int ioctl(int, unsigned long, void *)');
  const ioctlA = fn('int ioctl(int, unsigned long, unsigned long)');
  const inotifyInit1 = fn('int inotify_init1(int)');
  const inotifyAdd = fn('int inotify_add_watch(int, const char *, uint32_t)');
  const inotifyRm = fn('int inotify_rm_watch(int, int)');
  const fallocate = fn('int fallocate64(int, int, int64_t, int64_t)');
  const pread64 = fn('long pread64(int, void *, size_t, int64_t)');
  const pwrite64 = fn('long pwrite64(int, void *, size_t, int64_t)');
  const ftruncate64 = fn('int ftruncate64(int, int64_t)');
  const truncate64 = fn('int truncate64(const char *, int64_t)');
  const copyFileRange = fn('long copy_file_range(int, void *, int, void *, size_t, unsigned int)');
  const splice = fn('long splice(int, void *, int, void *, size_t, unsigned int)');
  const tee = fn('long tee(int, int, size_t, unsigned int)');
  const sync = fn('void sync()');
  const syncfs = fn('int syncfs(int)');
  const fsync = fn('int fsync(int)');
  const statfs = fn('int statfs(const char *, void *)');
  const clockAdjtime = fn('int clock_adjtime(int, void *)');
  const clockGettime = fn('int clock_gettime(int, void *)');
  const clockGetres = fn('int clock_getres(int, void *)');
  const sysSyslog = fn('long syscall(long, long, void *, long)');
  const fstatfs = fn('int fstatfs(int, void *)');
  const xattrCalls = new Map<string, (...args: unknown[]) => unknown>();
  for (const [op, ret, params] of [['get', 'long', 'const char *, void *, size_t'], ['set', 'int', 'const char *, const void *, size_t, int'],
    ['list', 'long', 'void *, size_t'], ['remove', 'int', 'const char *']]) {
    for (const [prefix, target] of [['', 'const char *'], ['l', 'const char *'], ['f', 'int']]) {
      xattrCalls.set(`${prefix}${op}`, fn(`${ret} ${prefix}${op}xattr(${target}, ${params})`));
    }
  }
  const fdatasync = fn('int fdatasync(int)');
  const statx = fn('int statx(int, const char *, int, unsigned int, void *)');
  const utimensat = fn('int utimensat(int, const char *, void *, int)');
  const futimens = fn('int futimens(int, void *)');
  const fchmodat = fn('int fchmodat(int, const char *, unsigned int, int)');
  const fchownat = fn('int fchownat(int, const char *, unsigned int, unsigned int, int)');
  const nameToHandleAt = fn('int name_to_handle_at(int, const char *, void *, void *, int)');
  const openByHandleAt = fn('int open_by_handle_at(int, void *, int)');
  const linkat = fn('int linkat(int, const char *, int, const char *, int)');
  const renameat2 = fn('int renameat2(int, const char *, int, const char *, unsigned int)');
  const symlinkat = fn('int symlinkat(const char *, int, const char *)');
  const mknodat = fn('int mknodat(int, const char *, unsigned int, uint64_t)');
  const openat = fn('int openat(int, const char *, int, ...)');
  const SYS_GETDENTS64 = 217, SYS_GETCWD = 79;
  // ---- events ----
  const epollCreate1 = fn('int epoll_create1(int)');
  const epollCtl = fn('int epoll_ctl(int, int, int, void *)');
  const epollWait = fn('int epoll_wait(int, void *, int, int)');
  const eventfd = fn('int eventfd(unsigned int, int)');
  const timerfdCreate = fn('int timerfd_create(int, int)');
  const timerfdSettime = fn('int timerfd_settime(int, int, void *, void *)');
  const timerfdGettime = fn('int timerfd_gettime(int, void *)');
  return {
    pipe2: (flags) => {
      const fds = [0, 0];
      const r = check(pipe2(fds, flags));
      return r < 0 ? r : [fds[0], fds[1]];
    },
    dup: (fd) => check(dup(fd)),
    dup2: (a, b) => check(dup2(a, b)),
    fcntl: (fd, cmd, arg) => check(fcntl(fd, cmd, 'int', arg)),
    lseek: (fd, off, whence) => check(lseek(fd, off, whence)),
    wait4: (pid, status, options, rusage) => check(wait4(pid, status, options, rusage)),
    childrenCpuUs: () => {
      const usage = Buffer.alloc(144); // struct rusage on x86-64: ru_utime, ru_stime (timeval: 2 x 64 bits) first
      check(getrusage(-1, usage)); // RUSAGE_CHILDREN
      const us = (at: number): number => Number(usage.readBigInt64LE(at)) * 1e6 + Number(usage.readBigInt64LE(at + 8));
      return { user: us(0), system: us(16) };
    },
    waitid: (idtype, id, info, options) => check(waitid(idtype, id, info, options)),
    kill: (pid, sig) => check(kill(pid, sig)),
    pidfdOpen: (pid) => check(sysInts(SYS_pidfd_open, pid, 0, 0, 0)),
    pidfdSendSignal: (fd, sig) => check(sysInts(SYS_pidfd_send_signal, fd, sig, 0, 0)),
    sigqueue: (pid, sig, code, value) => {
      // The host's 128-byte siginfo: signo, errno, code, then the sender's pid and uid and the value.
      const info = Buffer.alloc(128);
      info.writeInt32LE(sig, 0);
      info.writeInt32LE(code, 8);
      info.writeInt32LE(process.pid, 16);
      info.writeUInt32LE(process.getuid?.() ?? 0, 20);
      info.writeInt32LE(value, 24);
      return check(sysCtl(SYS_rt_sigqueueinfo, pid, sig, info));
    },
    prctl: (option, a2, a3, a4, a5) => check(sysInts(SYS_prctl, option, a2, a3, a4, a5)),
    setHostRlimit: (resource, soft, hard) => check(sysPrlimit(SYS_prlimit64, 0, resource, rlimit64(soft, hard), null)),
    prlimitOf: (pid, resource, set) => {
      const old = Buffer.alloc(16);
      const r = check(sysPrlimit(SYS_prlimit64, pid, resource, set && rlimit64(set[0], set[1]), old));
      return r < 0 ? r : [old.readBigUInt64LE(0), old.readBigUInt64LE(8)];
    },
    prctlGetInt: (option) => {
      const out = Buffer.alloc(4);
      const r = check(sysPrctlOut(SYS_prctl, option, out));
      return r < 0 ? r : out.readInt32LE(0);
    },
    ioprio: (set, which, who, prio) => check(sysInts(set ? SYS_ioprio_set : SYS_ioprio_get, which, who, prio, 0)),
    priority: (set, which, who, nice) => check(sysInts(set ? SYS_setpriority : SYS_getpriority, which, who, nice, 0)),
    schedRrGetInterval: (pid, out) => check(sysPrctlOut(SYS_sched_rr_get_interval, pid, out)),
    schedGetattr: (pid, out) => check(sysBuf(SYS_sched_getattr, pid, out, out.length, 0, 0)),
    capset: (header, data) => check(sysPtrs(SYS_capset, header, data)),
    unshare: (flags) => check(sysInts(SYS_unshare, flags, 0, 0, 0)),
    setns: (fd, nstype) => check(sysInts(SYS_setns, fd, nstype, 0, 0)),
    acct: (path) => check(sysPath(SYS_acct, cstr(path))),
    setHostName: (domain, name) => check(sysBufLen(domain ? SYS_setdomainname : SYS_sethostname, name, name.length)),
    ioctlInt: (fd, request) => {
      const out = [0];
      const r = check(ioctl(fd, request, out));
      return r < 0 ? r : out[0];
    },
    getppid: () => check(getppid()),
    exitNow: (status) => {
      exitNow(status);
      throw new Error('_exit returned');
    },
    getpgid: (pid) => check(getpgid(pid)),
    setpgid: (pid, pgid) => check(setpgid(pid, pgid)),
    getsid: (pid) => check(getsid(pid)),
    setsid: () => check(setsid()),
    setIds: (call, ids) => {
      const f = idCalls.get(call) ?? idCalls.set(call, fn(`int ${call}(${ids.map(() => 'uint32_t').join(', ')})`)).get(call)!;
      return check(f(...ids.map((id) => id >>> 0)));
    },
    getResIds: (which) => {
      const out = Buffer.alloc(12);
      const r = check(fn(`int getres${which}(void *, void *, void *)`)(out, out.subarray(4), out.subarray(8)));
      return r < 0 ? r : [out.readUInt32LE(0), out.readUInt32LE(4), out.readUInt32LE(8)];
    },
    getGroups: () => {
      const n = check(getgroups(0, null));
      if (n <= 0) return n < 0 ? n : [];
      const out = Buffer.alloc(4 * n);
      const got = check(getgroups(n, out));
      return got < 0 ? got : Array.from({ length: got }, (_, i) => out.readUInt32LE(4 * i));
    },
    setGroups: (groups) => {
      const list = Buffer.alloc(4 * groups.length + 4);
      groups.forEach((g, i) => list.writeUInt32LE(g >>> 0, 4 * i));
      return check(setgroups(groups.length, list));
    },
    spawn: (path, argv, envp, fds, ignored, extras = {}) => {
      for (const fd of closeOnExecAtSpawn) fcntl(fd, F_SETFD, 'int', FD_CLOEXEC); // (one the guest closed since: EBADF, no matter)
      closeOnExecAtSpawn.clear();
      // glibc's posix_spawn_file_actions_t is 80 bytes and posix_spawnattr_t 336 on x86-64.
      const fa = Buffer.alloc(80);
      faInit(fa);
      if (fds.every(([c, p]) => c === p)) {
        // A dup2 onto the same number clears FD_CLOEXEC (Node marks its fds close-on-exec).
        for (const [c, p] of fds) faDup2(fa, p, c);
      } else {
        // Park each source out of the way first, so that no placement overwrites another's source.
        fds.forEach(([, p], i) => faDup2(fa, p, PARK + i));
        fds.forEach(([c], i) => faDup2(fa, PARK + i, c));
        fds.forEach((_, i) => faClose(fa, PARK + i));
      }
      for (const fd of extras.devNull ?? []) faOpen(fa, fd, '/dev/null', 2, 0);
      if (extras.cwd !== undefined) faChdir(fa, extras.cwd);
      let attr: Buffer | null = null;
      let flags = 0;
      if (ignored) {
        attr = Buffer.alloc(336);
        attrInit(attr);
        const defaults = [];
        for (let sig = 1; sig < 65; sig++) if (!ignored.has(sig)) defaults.push(sig);
        attrSetSigDefault(attr, sigsetOf(defaults));
        flags |= POSIX_SPAWN_SETSIGDEF;
      }
      if (extras.pgroup !== undefined || extras.setsid || extras.blocked?.length) {
        if (!attr) {
          attr = Buffer.alloc(336);
          attrInit(attr);
        }
        if (extras.pgroup !== undefined) {
          attrSetPgroup(attr, extras.pgroup);
          flags |= POSIX_SPAWN_SETPGROUP;
        }
        if (extras.setsid) flags |= POSIX_SPAWN_SETSID;
        if (extras.blocked?.length) {
          attrSetSigMask(attr, sigsetOf(extras.blocked));
          flags |= POSIX_SPAWN_SETSIGMASK;
        }
      }
      if (attr) attrSetFlags(attr, flags);
      // Ignored dispositions are inherited: ignore them here for the moment of the spawn.
      const saved = [...(ignored ?? [])].map((sig) => [sig, signal(sig, 1)] as const);
      const pid = [0];
      const r = Number(posixSpawn(pid, path, fa, attr, [...argv.map(cArgument), null], [...envp.map(cArgument), null]));
      for (const [sig, handler] of saved) signal(sig, handler);
      faDestroy(fa);
      return r === 0 ? pid[0] : -r;
    },
    memfd: (name, flags = 0) => check(memfdCreate(name, flags | 1)),
    socketpair: (stream = false) => {
      const sv = [0, 0];
      const r = check(socketpair(1, (stream ? 1 : 5) | 0x80000, 0, sv)); // AF_UNIX, SOCK_STREAM or SOCK_SEQPACKET | SOCK_CLOEXEC
      return r < 0 ? r : [sv[0], sv[1]];
    },
    sendFds: (sock, data, fds) => {
      if (fds.length > SCM_MAX_FDS) return -7; // E2BIG
      const control = Buffer.alloc(16 + 4 * fds.length);
      control.writeBigUInt64LE(BigInt(control.length), 0);
      control.writeInt32LE(1, 8); // SOL_SOCKET
      control.writeInt32LE(1, 12); // SCM_RIGHTS
      fds.forEach((fd, i) => control.writeInt32LE(fd, 16 + 4 * i));
      const msg = { name: null, namelen: 0, iov: [{ base: data, len: data.length }], iovlen: 1, control, controllen: control.length, flags: 0 };
      return check(sendmsg(sock, msg, 0x4000)); // MSG_NOSIGNAL
    },
    recvFds: (sock) => {
      const data = Buffer.alloc(FD_MESSAGE_MAX);
      const control = Buffer.alloc(16 + 4 * SCM_MAX_FDS);
      const msg = { name: null, namelen: 0, iov: [{ base: data, len: data.length }], iovlen: 1, control, controllen: control.length, flags: 0 };
      const n = check(recvmsg(sock, msg, 0x40000000)); // MSG_CMSG_CLOEXEC
      if (n <= 0) return n === 0 ? null : n;
      const fds: number[] = [];
      const len = Number(control.readBigUInt64LE(0));
      if (msg.controllen >= 16 && control.readInt32LE(12) === 1) for (let at = 16; at < len; at += 4) fds.push(control.readInt32LE(at));
      return { data: data.subarray(0, n), fds };
    },
    chdir: (dir) => check(chdir(cstr(dir))),
    execve: (path, argv, envp) => check(execve(path, [...argv.map(cArgument), null], [...envp.map(cArgument), null])),
    poll: (fds, count, timeoutMs) => check(poll(fds, count, timeoutMs)),
    // ---- shared memory ----
    addressOf: (bytes) => koffiAddress(memmove(bytes, bytes, 0)),
    mapFixed: (addr, len, prot, fd, offset) => {
      const MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20;
      const flags = MAP_FIXED | (fd < 0 ? MAP_PRIVATE | MAP_ANONYMOUS : MAP_SHARED);
      const r = BigInt(mmap(addr, len, prot, flags, fd, offset) as number | bigint);
      return r === -1n ? -koffi.errno() : 0;
    },
    msync: (addr, len, flags) => check(msync(addr, len, flags)),
    madvise: (addr, len, advice) => check(madvise(addr, len, advice)),
    mincore: (addr, len, vec) => check(mincore(addr, len, vec)),
    futexWait: (addr, expect, timeoutMs) => {
      const ts = Buffer.alloc(16);
      ts.writeBigInt64LE(BigInt(Math.floor(timeoutMs / 1000)), 0);
      ts.writeBigInt64LE(BigInt(Math.floor((timeoutMs % 1000) * 1e6)), 8);
      return check(syscall6(SYS_futex, addr, FUTEX_WAIT, expect, ts, 0, 0));
    },
    futexWake: (addr, count) => check(syscall6(SYS_futex, addr, FUTEX_WAKE, count, null, 0, 0)),
    setSignalDisposition: (sig, handler) => {
      // struct kernel_sigaction on x86-64: handler, flags, restorer, an empty mask
      const act = Buffer.alloc(32);
      act.writeBigUInt64LE(BigInt(handler), 0);
      sysBuf(SYS_rt_sigaction, sig, act, 0, 8, 0);
    },
    exchangeSignalAction: (sig, action) => {
      const old = Buffer.alloc(32);
      sysBuf2(SYS_rt_sigaction, sig, action ?? Buffer.alloc(32), old, 8, 0);
      return old;
    },
    setSignalMask: (blocked) => {
      sigmask(SIG_SETMASK, sigsetOf(blocked), null);
    },
    withSignalBlocked: (sig, f) => {
      const old = Buffer.alloc(128);
      sigmask(SIG_BLOCK, sigsetOf([sig]), old);
      try {
        return f();
      } finally {
        sigmask(SIG_SETMASK, old, null);
      }
    },
    // ---- files ----
    fcntlPtr: (fd, cmd, arg) => check(fcntlP(fd, cmd, 'void *', arg)),
    lseekExact: (fd, offset, whence) => {
      const r = BigInt(lseek(fd, offset, whence) as number | bigint);
      return r < 0n ? BigInt(-koffi.errno()) : r;
    },
    flock: (fd, op) => check(flock(fd, op)),
    getdents64: (fd, buf) => check(sysGetdents64(SYS_GETDENTS64, fd, buf, buf.length)),
    getcwd: (buf) => check(sysGetcwd(SYS_GETCWD, buf, buf.length)),
    ioctlPtr: (fd, request, arg) => check(ioctlP(fd, request, arg)),
    ioctlArg: (fd, request, arg) => check(ioctlA(fd, request, arg)),
    inotifyInit: (flags) => check(inotifyInit1(flags)),
    inotifyAddWatch: (fd, path, mask) => check(inotifyAdd(fd, cstr(path), mask)),
    inotifyRmWatch: (fd, wd) => check(inotifyRm(fd, wd)),
    fallocate: (fd, mode, offset, len) => check(fallocate(fd, mode, offset, len)),
    pioExact: (write, fd, buf, pos) => check((write ? pwrite64 : pread64)(fd, buf, buf.length, pos)),
    truncateExact: (on, len) => check(typeof on === 'number' ? ftruncate64(on, len) : truncate64(cstr(on), len)),
    copyFileRange: (fdIn, offIn, fdOut, offOut, len, flags) => check(copyFileRange(fdIn, offIn, fdOut, offOut, len, flags)),
    splice: (fdIn, offIn, fdOut, offOut, len, flags) => check(splice(fdIn, offIn, fdOut, offOut, len, flags)),
    tee: (fdIn, fdOut, len, flags) => check(tee(fdIn, fdOut, len, flags)),
    sync: () => {
      sync();
    },
    syncfs: (fd) => check(syncfs(fd)),
    readahead: (fd, offset, count) => check(sysInts(SYS_readahead, fd, offset, count, 0)),
    syslog: (action, buf, len) => check(sysSyslog(SYS_syslog, action, buf, len)),
    clockAdjtime: (clock, buf) => check(clockAdjtime(clock, buf)),
    threadCpuNs: () => {
      const ts = Buffer.alloc(16);
      clockGettime(CLOCK_THREAD_CPUTIME_ID, ts);
      return ts.readBigInt64LE(0) * 1_000_000_000n + ts.readBigInt64LE(8);
    },
    clockResNs: (clock) => {
      const ts = Buffer.alloc(16);
      const r = check(clockGetres(clock, ts));
      return r < 0 ? BigInt(r) : ts.readBigInt64LE(0) * 1_000_000_000n + ts.readBigInt64LE(8);
    },
    statfs: (on, buf) => check(typeof on === 'number' ? fstatfs(on, buf) : statfs(cstr(on), buf)),
    fsync: (fd) => check(fsync(fd)),
    xattr: (op, on, follow, name, buf, size, flags) => {
      const call = xattrCalls.get(`${typeof on === 'number' ? 'f' : follow ? '' : 'l'}${op}`)!;
      on = cstr(on);
      if (op === 'list') return check(call(on, buf, size));
      if (op === 'remove') return check(call(on, name));
      return check(op === 'get' ? call(on, name, buf, size) : call(on, name, buf, size, flags));
    },
    fdatasync: (fd) => check(fdatasync(fd)),
    statx: (dirfd, path, flags, mask, buf) => check(statx(dirfd, cstr(path), flags, mask, buf)),
    utimensat: (dirfd, path, times, flags) => check(utimensat(dirfd, cstr(path), times, flags)),
    futimens: (fd, times) => check(futimens(fd, times)),
    fchmodat: (dirfd, path, mode, flags) => check(fchmodat(dirfd, cstr(path), mode, flags)),
    fchownat: (dirfd, path, uid, gid, flags) => check(fchownat(dirfd, cstr(path), uid, gid, flags)),
    nameToHandleAt: (dirfd, path, handle, mountId, flags) => check(nameToHandleAt(dirfd, cstr(path), handle, mountId, flags)),
    openByHandleAt: (mountFd, handle, flags) => check(openByHandleAt(mountFd, handle, flags)),
    linkat: (olddir, oldPath, newdir, newPath, flags) => check(linkat(olddir, cstr(oldPath), newdir, cstr(newPath), flags)),
    renameat2: (olddir, oldPath, newdir, newPath, flags) => check(renameat2(olddir, cstr(oldPath), newdir, cstr(newPath), flags)),
    symlinkat: (target, newdir, newPath) => check(symlinkat(cstr(target), newdir, cstr(newPath))),
    mknodat: (dirfd, path, mode, dev) => check(mknodat(dirfd, cstr(path), mode, dev)),
    openat: (dirfd, path, flags, mode) => check(openat(dirfd, path, flags, 'unsigned int', mode)),
    // ---- SysV IPC ----
    shmget: (key, size, flags) => check(sysInts(SYS_shmget, key, size, flags, 0)),
    shmat: (shmid, flags) => {
      const r = BigInt(sysShmat(SYS_shmat, shmid, 0, flags) as number | bigint);
      return r === -1n ? -koffi.errno() : r;
    },
    shmctl: (shmid, cmd, buf) => check(sysCtl(SYS_shmctl, shmid, cmd, buf)),
    semget: (key, nsems, flags) => check(sysInts(SYS_semget, key, nsems, flags, 0)),
    semop: (semid, sops, nsops) => check(sysBuf(SYS_semop, semid, sops, nsops, 0, 0)),
    semctl: (semid, num, cmd, arg) => check(typeof arg === 'number'
      ? sysInts(SYS_semctl, semid, num, cmd, arg) : sysSemctl(SYS_semctl, semid, num, cmd, arg)),
    msgget: (key, flags) => check(sysInts(SYS_msgget, key, flags, 0, 0)),
    msgsnd: (msqid, msg, size, flags) => check(sysBuf(SYS_msgsnd, msqid, msg, size, flags, 0)),
    msgrcv: (msqid, msg, size, type, flags) => check(sysBuf(SYS_msgrcv, msqid, msg, size, type, flags)),
    msgctl: (msqid, cmd, buf) => check(sysCtl(SYS_msgctl, msqid, cmd, buf)),
    mqOpen: (name, flags, mode, attr) => check(sysMqName(SYS_mq_open, Buffer.concat([name, Buffer.alloc(1)]), flags, mode, attr)),
    mqUnlink: (name) => check(sysMqName(SYS_mq_unlink, Buffer.concat([name, Buffer.alloc(1)]), 0, 0, null)),
    mqSend: (fd, msg, len, prio) => check(sysMqSend(SYS_mq_timedsend, fd, msg, len, prio, null)),
    mqReceive: (fd, msg, len, prio) => check(sysMqBuf(SYS_mq_timedreceive, fd, msg, len, prio, null)),
    mqNotify: (fd, sev) => check(sysMqAttr(SYS_mq_notify, fd, sev, null)),
    mqGetsetattr: (fd, newAttr, oldAttr) => check(sysMqAttr(SYS_mq_getsetattr, fd, newAttr, oldAttr)),
    moveMapping: (from, len, to) => {
      const MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;
      const r = BigInt(mremap(from, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, to) as number | bigint);
      return r === -1n ? -koffi.errno() : 0;
    },
    munmap: (addr, len) => check(munmap(addr, len)),
    // ---- events ----
    epollCreate: () => check(epollCreate1(0o2000000)),
    epollCtl: (epfd, op, fd, events, data) => {
      const ev = Buffer.alloc(12);
      ev.writeUInt32LE(events >>> 0, 0);
      ev.writeBigUInt64LE(BigInt.asUintN(64, data), 4);
      return check(epollCtl(epfd, op, fd, op === 2 ? null : ev));
    },
    epollWait: (epfd, out, maxEvents, timeoutMs) => check(epollWait(epfd, out, maxEvents, timeoutMs)),
    eventfd: (initval, flags) => check(eventfd(initval >>> 0, flags)),
    timerfdCreate: (clock, flags) => check(timerfdCreate(clock, flags)),
    timerfdSettime: (fd, flags, value, old) => check(timerfdSettime(fd, flags, value, old)),
    timerfdGettime: (fd, out) => check(timerfdGettime(fd, out)),
    ...socketCalls(fn, check),
  };
}

// ---- sockets ----
type Binder = (decl: string) => (...args: unknown[]) => unknown;
type SocketCalls = Pick<Libc, 'socket' | 'socketPair' | 'bind' | 'connect' | 'listen' | 'accept4' | 'getsockname' |
  'getpeername' | 'setsockopt' | 'getsockopt' | 'shutdown' | 'sendTo' | 'receiveFrom' | 'sendMessage' | 'receiveMessage' |
  'interfaceConf'>;

function socketCalls(fn: Binder, check: (r: unknown) => number): SocketCalls {
  const socket = fn('int socket(int, int, int)');
  const socketpair = fn('int socketpair(int, int, int, _Out_ int *sv)');
  const bind = fn('int bind(int, void *, uint32_t)');
  const connect = fn('int connect(int, void *, uint32_t)');
  const listen = fn('int listen(int, int)');
  // Lengths travel through a Uint32Array passed as a plain pointer: cheaper than koffi's _Inout_ arrays.
  const accept4 = fn('int accept4(int, void *, void *, int)');
  const getsockname = fn('int getsockname(int, void *, void *)');
  const getpeername = fn('int getpeername(int, void *, void *)');
  const setsockopt = fn('int setsockopt(int, int, int, void *, uint32_t)');
  const getsockopt = fn('int getsockopt(int, int, int, void *, void *)');
  const sendto = fn('long sendto(int, void *, size_t, int, void *, uint32_t)');
  const recvfrom = fn('long recvfrom(int, void *, size_t, int, void *, void *)');
  const length = new Uint32Array(1);
  const shutdown = fn('int shutdown(int, int)');
  // urun_iovec and urun_msghdr are declared by load() (descriptor passing between urun processes).
  const sendmsg = fn('long sendmsg(int, const urun_msghdr *, int)');
  const recvmsg = fn('long recvmsg(int, _Inout_ urun_msghdr *, int)');
  const ioctlIfconf = fn('int ioctl(int, unsigned long, _Inout_ urun_ifconf *)');
  const SIOCGIFCONF = 0x8912;
  const header = (iov: Uint8Array[], name: Uint8Array | null, control: Uint8Array | null) => ({
    name, namelen: name?.length ?? 0, iov: iov.map((b) => ({ base: b, len: b.length })), iovlen: iov.length,
    control: control?.length ? control : null, controllen: control?.length ?? 0, flags: 0,
  });
  const nameCall = (f: (...args: unknown[]) => unknown) => (fd: number, addr: Uint8Array) => {
    length[0] = addr.length;
    const r = check(f(fd, addr, length));
    return r < 0 ? r : length[0];
  };
  return {
    socket: (domain, type, protocol) => check(socket(domain, type, protocol)),
    socketPair: (domain, type, protocol) => {
      const sv = [0, 0];
      const r = check(socketpair(domain, type, protocol, sv));
      return r < 0 ? r : [sv[0], sv[1]];
    },
    bind: (fd, addr) => check(bind(fd, addr, addr.length)),
    connect: (fd, addr) => check(connect(fd, addr, addr.length)),
    listen: (fd, backlog) => check(listen(fd, backlog)),
    accept4: (fd, addr, flags) => {
      length[0] = addr.length;
      const r = check(accept4(fd, addr, length, flags));
      return r < 0 ? r : { fd: r, addrLen: length[0] };
    },
    getsockname: nameCall(getsockname),
    getpeername: nameCall(getpeername),
    setsockopt: (fd, level, name, value) => check(setsockopt(fd, level, name, value, value.length)),
    getsockopt: (fd, level, name, value) => {
      length[0] = value.length;
      const r = check(getsockopt(fd, level, name, value, length));
      return r < 0 ? r : length[0];
    },
    shutdown: (fd, how) => check(shutdown(fd, how)),
    sendTo: (fd, data, name, flags) => check(sendto(fd, data, data.length, flags, name, name?.length ?? 0)),
    receiveFrom: (fd, data, name, flags) => {
      length[0] = name?.length ?? 0;
      const r = check(recvfrom(fd, data, data.length, flags, name, name ? length : null));
      return r < 0 ? r : { bytes: r, nameLen: name ? length[0] : 0 };
    },
    sendMessage: (fd, iov, name, control, flags) => check(sendmsg(fd, header(iov, name, control), flags)),
    receiveMessage: (fd, iov, name, control, flags) => {
      const msg = header(iov, name, control);
      const r = check(recvmsg(fd, msg, flags));
      return r < 0 ? r : { bytes: r, nameLen: msg.namelen, controlLen: msg.controllen, flags: msg.flags };
    },
    interfaceConf: (fd, reqs) => {
      const conf = { len: reqs?.length ?? 0, buf: reqs };
      const r = check(ioctlIfconf(fd, SIOCGIFCONF, conf));
      return r < 0 ? r : conf.len;
    },
  };
}
