// The one boundary where urun calls the host C library directly, through the koffi FFI
// package: what Linux process semantics need and Node has no API for (pipes, dup2, lseek on
// a shared offset, fork by posix_spawn, execve, wait4, process groups, kill with any
// signal). Loaded on first use, so a program that never needs it pays nothing (~10 ms).
// Every function returns the raw result; failures come back as -errno (host numbering).
import { createRequire } from 'node:module';

interface Koffi {
  load(lib: string): { func(decl: string): (...args: unknown[]) => unknown };
  struct(name: string, fields: Record<string, string>): unknown;
  errno(): number;
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
  /** waitid; the raw 128-byte host siginfo is written into `info`. */
  waitid(idtype: number, id: number, info: Buffer, options: number): number;
  kill(pid: number, sig: number): number;
  /** An ioctl whose argument points at one int, which it returns. */
  ioctlInt(fd: number, request: number): number;
  getppid(): number;
  getpgid(pid: number): number;
  setpgid(pid: number, pgid: number): number;
  getsid(pid: number): number;
  setsid(): number;
  /**
   * posix_spawn: the child gets parent descriptor P at number C for each [C, P] of `fds` and no
   * others; with `ignored`, every signal not in it starts at its default action and those in
   * it ignored. Returns the pid or -errno.
   */
  spawn(path: string, argv: string[], envp: string[], fds: [number, number][], ignored: Set<number> | null,
    opts?: SpawnExtras): number;
  /** A connected pair of close-on-exec SOCK_SEQPACKET Unix sockets. */
  socketpair(): [number, number] | number;
  /** Sends one message carrying `data` and the descriptors (SCM_RIGHTS). */
  sendFds(sock: number, data: Buffer, fds: number[]): number;
  /** Receives one such message (blocking); null at end of file. */
  recvFds(sock: number): { data: Buffer; fds: number[] } | null | number;
  chdir(dir: string): number;
  /** An anonymous memory file (close-on-exec). */
  memfd(name: string): number;
  /** Replaces the process image; returns only on failure (-errno). */
  execve(path: string, argv: string[], envp: string[]): number;
  /**
   * poll(2) over `fds`, an array of struct pollfd as the host lays it out (int fd, short
   * events, short revents: 8 bytes each, revents filled in); returns the ready count or -errno.
   */
  poll(fds: Buffer, count: number, timeoutMs: number): number;
  /** Sets a signal's disposition to default (0) or ignore (1). */
  setSignalDisposition(sig: number, handler: 0 | 1): void;
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
}

export const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;
export const FD_CLOEXEC = 1;
export const HOST_O_NONBLOCK = 0o4000, HOST_O_CLOEXEC = 0o2000000;

/** More of what posix_spawn can set up. */
export interface SpawnExtras {
  /** Child descriptor numbers to open on /dev/null. */
  devNull?: number[];
}

const POSIX_SPAWN_SETSIGDEF = 4;
const SCM_MAX_FDS = 253;
/** Where spawn parks descriptors while it rearranges them. */
const PARK = 900;

let loaded: Libc | null = null;

export function libc(): Libc {
  return (loaded ??= load());
}

function load(): Libc {
  const koffi = createRequire(import.meta.url)('koffi') as Koffi;
  const lib = koffi.load('libc.so.6');
  const fn = (decl: string) => lib.func(decl);
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
  const kill = fn('int kill(int, int)');
  const ioctl = fn('int ioctl(int, unsigned long, _Out_ int *)');
  const getppid = fn('int getppid()');
  const getpgid = fn('int getpgid(int)');
  const setpgid = fn('int setpgid(int, int)');
  const getsid = fn('int getsid(int)');
  const setsid = fn('int setsid()');
  const execve = fn('int execve(const char *, const char **, const char **)');
  const signal = fn('intptr_t signal(int, intptr_t)');
  const faInit = fn('int posix_spawn_file_actions_init(void *)');
  const faDup2 = fn('int posix_spawn_file_actions_adddup2(void *, int, int)');
  const faDestroy = fn('int posix_spawn_file_actions_destroy(void *)');
  const faClose = fn('int posix_spawn_file_actions_addclose(void *, int)');
  const attrInit = fn('int posix_spawnattr_init(void *)');
  const attrSetSigDefault = fn('int posix_spawnattr_setsigdefault(void *, void *)');
  const attrSetFlags = fn('int posix_spawnattr_setflags(void *, short)');
  const memfdCreate = fn('int memfd_create(const char *, unsigned int)');
  const faOpen = fn('int posix_spawn_file_actions_addopen(void *, int, const char *, int, unsigned int)');
  const socketpair = fn('int socketpair(int, int, int, _Out_ int *sv)');
  koffi.struct('urun_iovec', { base: 'void *', len: 'size_t' });
  koffi.struct('urun_msghdr', { name: 'void *', namelen: 'uint32', iov: 'urun_iovec *', iovlen: 'size_t', control: 'void *', controllen: 'size_t', flags: 'int' });
  const sendmsg = fn('long sendmsg(int, const urun_msghdr *, int)');
  const recvmsg = fn('long recvmsg(int, _Inout_ urun_msghdr *, int)');
  const chdir = fn('int chdir(const char *)');
  const poll = fn('int poll(void *, unsigned long, int)');
  const posixSpawn = fn('int posix_spawn(_Out_ int *pid, const char *, void *, void *, const char **, const char **)');
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
    waitid: (idtype, id, info, options) => check(waitid(idtype, id, info, options)),
    kill: (pid, sig) => check(kill(pid, sig)),
    ioctlInt: (fd, request) => {
      const out = [0];
      const r = check(ioctl(fd, request, out));
      return r < 0 ? r : out[0];
    },
    getppid: () => check(getppid()),
    getpgid: (pid) => check(getpgid(pid)),
    setpgid: (pid, pgid) => check(setpgid(pid, pgid)),
    getsid: (pid) => check(getsid(pid)),
    setsid: () => check(setsid()),
    spawn: (path, argv, envp, fds, ignored, extras = {}) => {
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
      let attr: Buffer | null = null;
      let flags = 0;
      if (ignored) {
        attr = Buffer.alloc(336);
        attrInit(attr);
        const defaults = Buffer.alloc(128);
        for (let sig = 1; sig < 65; sig++) {
          if (!ignored.has(sig)) defaults[(sig - 1) >> 3] |= 1 << ((sig - 1) & 7);
        }
        attrSetSigDefault(attr, defaults);
        flags |= POSIX_SPAWN_SETSIGDEF;
      }
      if (attr) attrSetFlags(attr, flags);
      // Ignored dispositions are inherited: ignore them here for the moment of the spawn.
      const saved = [...(ignored ?? [])].map((sig) => [sig, signal(sig, 1)] as const);
      const pid = [0];
      const r = Number(posixSpawn(pid, path, fa, attr, [...argv, null], [...envp, null]));
      for (const [sig, handler] of saved) signal(sig, handler);
      faDestroy(fa);
      return r === 0 ? pid[0] : -r;
    },
    memfd: (name) => check(memfdCreate(name, 1)),
    socketpair: () => {
      const sv = [0, 0];
      const r = check(socketpair(1, 5 | 0x80000, 0, sv)); // AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC
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
      const data = Buffer.alloc(1 << 16);
      const control = Buffer.alloc(16 + 4 * SCM_MAX_FDS);
      const msg = { name: null, namelen: 0, iov: [{ base: data, len: data.length }], iovlen: 1, control, controllen: control.length, flags: 0 };
      const n = check(recvmsg(sock, msg, 0x40000000)); // MSG_CMSG_CLOEXEC
      if (n <= 0) return n === 0 ? null : n;
      const fds: number[] = [];
      const len = Number(control.readBigUInt64LE(0));
      if (msg.controllen >= 16 && control.readInt32LE(12) === 1) for (let at = 16; at < len; at += 4) fds.push(control.readInt32LE(at));
      return { data: data.subarray(0, n), fds };
    },
    chdir: (dir) => check(chdir(dir)),
    execve: (path, argv, envp) => check(execve(path, [...argv, null], [...envp, null])),
    poll: (fds, count, timeoutMs) => check(poll(fds, count, timeoutMs)),
    setSignalDisposition: (sig, handler) => {
      signal(sig, handler);
    },
    ...socketCalls(fn, check),
  };
}

// ---- sockets ----
type Binder = (decl: string) => (...args: unknown[]) => unknown;
type SocketCalls = Pick<Libc, 'socket' | 'socketPair' | 'bind' | 'connect' | 'listen' | 'accept4' | 'getsockname' |
  'getpeername' | 'setsockopt' | 'getsockopt' | 'shutdown' | 'sendTo' | 'receiveFrom' | 'sendMessage' | 'receiveMessage'>;

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
  };
}
