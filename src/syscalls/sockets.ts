// Sockets: AF_UNIX, AF_INET, AF_INET6 and AF_NETLINK, carried to host sockets. A guest socket is a host
// socket behind the guest's descriptor table; its state (options, timeouts, pending errors)
// is the host kernel's, shared with forked children as on Linux. Host sockets urun creates
// are non-blocking on the host: urun does every wait itself (blocking.ts), so a thread in a
// Worker waits in its own thread and signals interrupt waits; the guest's O_NONBLOCK lives in
// the file's flags. Sends always carry MSG_NOSIGNAL on the host; a broken connection raises
// the guest's SIGPIPE instead. Netlink messages are converted on the way (netlink.ts).
import * as fs from 'node:fs';
import { libc, F_GETFL, F_SETFL, HOST_O_NONBLOCK, HOST_O_CLOEXEC } from '../host/libc.js';
import { POLLIN, SIGPIPE } from '../engine/signals.js';
import { pollNow, remember, resumed, waitForFds, waitForTransfer, type CallKey } from './blocking.js';
import { E } from './errno.js';
import { descriptorPath, hostFile, type Kernel, type OpenFile } from './kernel.js';
import { R } from './records.js';
import type { SyscallRecord } from './records.js';
import { timespecArg } from './time.js';
import { SO, guestSocketType } from './arch/socket-abi.js';
import { netlinkProtocolSupported, netlinkToGuest, netlinkToHost } from './netlink.js';
import {
  AF_INET, AF_INET6, AF_NETLINK, AF_UNIX, HOST_SOL_SOCKET, SCM_MAX_FD, SCM_RIGHTS, SOCKADDR_MAX, cmsgShape, convert,
  isExtendedErr, TCP_INFO_BE, tcpInfoBitfields,
  optionShape, readSockaddr, shapeSize, sockaddrToGuest, writeSockaddr,
} from './socket-data.js';

const MSG_PEEK = 0x2, MSG_CTRUNC = 0x8, MSG_DONTWAIT = 0x40, MSG_WAITALL = 0x100, MSG_ERRQUEUE = 0x2000;
const MSG_NOSIGNAL = 0x4000, MSG_WAITFORONE = 0x10000, MSG_CMSG_CLOEXEC = 0x40000000;
const HOST_SOCK_STREAM = 1;
const O_RDWR = 2;
/** Guest struct msghdr (32-bit): name, namelen, iov, iovlen, control, controllen, flags. */
const MSGHDR_SIZE = 28;
/** struct mmsghdr: a msghdr and msg_len. */
const MMSGHDR_SIZE = 32;
/** Guest cmsghdr: u32 cmsg_len, int level, int type; data aligned to 4. Host: u64 len, 8-aligned. */
const GUEST_CMSG_HDR = 12, HOST_CMSG_HDR = 16;
const UIO_MAXIOV = 1024;
/** Option values and control data beyond this are refused (ENOBUFS/EINVAL) rather than copied. */
const MAX_VALUE = 1 << 16;

const align4 = (n: number) => (n + 3) & ~3;
// Guest struct words, after the caller checked the range: the kernel copies structs without
// caring for their alignment (GuestMemory.read32 would fault on a misaligned one).
const word = (k: Kernel, at: number) => k.mem.view.getUint32(at >>> 0, k.mem.littleEndian);
const putWord = (k: Kernel, at: number, v: number) => k.mem.view.setUint32(at >>> 0, v >>> 0, k.mem.littleEndian);
const align8 = (n: number) => (n + 7) & ~7;

// ---- descriptors ----

/** A guest descriptor's open file; sockets are checked by the host (ENOTSOCK). */
function fileOf(k: Kernel, fd: number): OpenFile | number {
  return k.file(fd) ?? -E.EBADF;
}

/** Registers a host socket as a guest descriptor (closing it if the table is full). */
function installSocket(k: Kernel, hostFd: number, nonblock: boolean, cloexec: boolean): number {
  let ino = 0;
  try {
    ino = fs.fstatSync(hostFd).ino;
  } catch { /* the path is only for /proc/self/fd */ }
  const file = hostFile(hostFd, `socket:[${ino}]`, null, true, O_RDWR | (nonblock ? k.abi.openFlags.O_NONBLOCK : 0));
  file.mayBlock = true;
  const fd = k.allocFd(file, cloexec);
  if (fd < 0) fs.closeSync(hostFd);
  return fd;
}

/** Splits socket()'s type argument: the host type and flags, or EINVAL for unknown flags. */
function socketType(k: Kernel, type: number): { hostType: number; nonblock: boolean; cloexec: boolean } | number {
  const { O_NONBLOCK, O_CLOEXEC } = k.abi.openFlags;
  if (type & ~(0xf | O_NONBLOCK | O_CLOEXEC)) return -E.EINVAL;
  const base = type & 0xf;
  return { hostType: k.abi.socket.typeToHost[base] ?? base, nonblock: (type & O_NONBLOCK) !== 0, cloexec: (type & O_CLOEXEC) !== 0 };
}

function supportedFamily(domain: number): boolean {
  return domain === AF_UNIX || domain === AF_INET || domain === AF_INET6 || domain === AF_NETLINK;
}

function socket(k: Kernel, domain: number, type: number, protocol: number): number {
  if (!supportedFamily(domain)) return -E.EAFNOSUPPORT;
  if (domain === AF_NETLINK && !netlinkProtocolSupported(k, protocol)) return -E.EPROTONOSUPPORT;
  const denied = k.sandbox?.checkSocket(domain) ?? 0;
  if (denied < 0) return denied;
  const t = socketType(k, type);
  if (typeof t === 'number') return t;
  const hostFd = libc().socket(domain, t.hostType | HOST_O_NONBLOCK | HOST_O_CLOEXEC, protocol);
  return hostFd < 0 ? hostFd : installSocket(k, hostFd, t.nonblock, t.cloexec);
}

function socketpair(k: Kernel, domain: number, type: number, protocol: number, sv: number): number {
  if (domain !== AF_UNIX) return supportedFamily(domain) ? -E.EOPNOTSUPP : -E.EAFNOSUPPORT;
  const t = socketType(k, type);
  if (typeof t === 'number') return t;
  if (!k.mem.checkRange(sv, 8, true)) return -E.EFAULT;
  const pair = libc().socketPair(domain, t.hostType | HOST_O_NONBLOCK | HOST_O_CLOEXEC, protocol);
  if (typeof pair === 'number') return pair;
  const a = installSocket(k, pair[0], t.nonblock, t.cloexec);
  if (a < 0) {
    fs.closeSync(pair[1]);
    return a;
  }
  const b = installSocket(k, pair[1], t.nonblock, t.cloexec);
  if (b < 0) {
    k.closeFd(a);
    return b;
  }
  putWord(k, sv, a);
  putWord(k, sv + 4, b);
  return 0;
}

// ---- waiting ----

/** Whether a call returns EAGAIN rather than wait (reading the error queue never waits). */
function guestNonblocking(k: Kernel, f: OpenFile, msgFlags = 0): boolean {
  return (f.flags & k.abi.openFlags.O_NONBLOCK) !== 0 || (msgFlags & (MSG_DONTWAIT | MSG_ERRQUEUE)) !== 0;
}

// ---- bind, listen, connect, accept ----

function withAddress(k: Kernel, fd: number, addr: number, len: number, op: (f: OpenFile, sa: Uint8Array) => number): number {
  const f = fileOf(k, fd);
  if (typeof f === 'number') return f;
  const sa = readSockaddr(k, addr, len);
  return typeof sa === 'number' ? sa : op(f, sa);
}

const isSocketFile = (f: OpenFile) => f.path.startsWith('socket:');

function hostIsNonblocking(f: OpenFile): boolean {
  const fl = libc().fcntl(f.hostFd, F_GETFL, 0);
  return fl >= 0 && (fl & HOST_O_NONBLOCK) !== 0;
}

/**
 * Makes a host socket non-blocking before a connect, which must not block the host thread: a
 * socket inherited from another program, or made blocking for a host program, may not be.
 */
function hostNonblocking(f: OpenFile): void {
  if (!isSocketFile(f) || hostIsNonblocking(f)) return;
  const h = libc();
  const fl = h.fcntl(f.hostFd, F_GETFL, 0);
  if (fl >= 0) h.fcntl(f.hostFd, F_SETFL, fl | HOST_O_NONBLOCK);
}

function connect(k: Kernel, fd: number, addr: number, len: number): number {
  return withAddress(k, fd, addr, len, (f, sa) => {
    hostNonblocking(f);
    const r = libc().connect(f.hostFd, sa);
    // In progress (EINPROGRESS, or EALREADY when run again after a wait): a blocking socket waits,
    // then connect() on the host reports the outcome (0, or the error).
    if ((r === -E.EINPROGRESS || r === -E.EALREADY) && !guestNonblocking(k, f)) {
      const end = waitForTransfer(k, f, true, false);
      return end === 'timeout' ? -E.EINPROGRESS : -E.EINTR;
    }
    if (r === -E.EAGAIN && !guestNonblocking(k, f)) {
      // An AF_UNIX listener's backlog is full: Linux waits for room; poll cannot say when.
      for (;;) if (waitForFds(k, [], 5, true) === 'interrupted') return -E.EINTR;
    }
    return r;
  });
}

function accept(k: Kernel, fd: number, addr: number, lenAddr: number, flags: number): number {
  const f = fileOf(k, fd);
  if (typeof f === 'number') return f;
  const { O_NONBLOCK, O_CLOEXEC } = k.abi.openFlags;
  if (flags & ~(O_NONBLOCK | O_CLOEXEC)) return -E.EINVAL;
  if (addr !== 0 && !k.mem.checkRange(lenAddr, 4, true)) return -E.EFAULT;
  const h = libc();
  if (!hostIsNonblocking(f) && !pollNow([{ fd: f.hostFd, events: POLLIN }])[0]) {
    // A listening socket that is blocking on the host (inherited, or made blocking for a host
    // program) is accepted from only once poll says a connection waits.
    const listening = new Uint8Array(4);
    const r = h.getsockopt(f.hostFd, HOST_SOL_SOCKET, SO.ACCEPTCONN, listening);
    if (r < 0) return r;
    if (!listening[0]) return -E.EINVAL;
    if (guestNonblocking(k, f)) return -E.EAGAIN;
    return waitForTransfer(k, f, false, false) === 'timeout' ? -E.EAGAIN : -E.EINTR;
  }
  const sa = new Uint8Array(SOCKADDR_MAX);
  const r = h.accept4(f.hostFd, sa, HOST_O_NONBLOCK | HOST_O_CLOEXEC);
  if (typeof r === 'number') {
    if (r !== -E.EAGAIN || guestNonblocking(k, f)) return r;
    return waitForTransfer(k, f, false, false) === 'timeout' ? -E.EAGAIN : -E.EINTR;
  }
  const w = writeSockaddr(k, sa, r.addrLen, addr, lenAddr);
  if (w < 0) {
    fs.closeSync(r.fd);
    return w;
  }
  return installSocket(k, r.fd, (flags & O_NONBLOCK) !== 0, (flags & O_CLOEXEC) !== 0);
}

function sockName(k: Kernel, fd: number, addr: number, lenAddr: number, peer: boolean): number {
  const f = fileOf(k, fd);
  if (typeof f === 'number') return f;
  if (!k.mem.checkRange(lenAddr, 4, true)) return -E.EFAULT;
  const sa = new Uint8Array(SOCKADDR_MAX);
  const n = peer ? libc().getpeername(f.hostFd, sa) : libc().getsockname(f.hostFd, sa);
  return n < 0 ? n : writeSockaddr(k, sa, n, addr, lenAddr);
}

// ---- options ----

/** Guest (level, option) → host; null for an option urun does not know (ENOPROTOOPT). */
function hostOption(k: Kernel, level: number, name: number): { level: number; name: number } | null {
  const s = k.abi.socket;
  if (level === s.solSocket) {
    const host = s.optionToHost[name];
    return host === undefined ? null : { level: HOST_SOL_SOCKET, name: host };
  }
  if (level === HOST_SOL_SOCKET) return null; // on MIPS, 1 is not SOL_SOCKET
  return { level, name };
}

function setsockopt(k: Kernel, fd: number, level: number, name: number, val: number, len: number): number {
  const f = fileOf(k, fd);
  if (typeof f === 'number') return f;
  const o = hostOption(k, level, name);
  const shape = o && optionShape(k, o.level, o.name);
  if (!o || !shape) return -E.ENOPROTOOPT;
  if ((len | 0) < 0 || len > MAX_VALUE) return -E.EINVAL;
  const guest = k.mem.slice(val, len, false);
  if (!guest) return -E.EFAULT;
  const size = shapeSize(shape, false);
  if (shape !== 'raw' && 'times' in shape && len < size!) return -E.EINVAL;
  return libc().setsockopt(f.hostFd, o.level, o.name, convert(k, shape, guest, true));
}

function getsockopt(k: Kernel, fd: number, level: number, name: number, val: number, lenAddr: number): number {
  const f = fileOf(k, fd);
  if (typeof f === 'number') return f;
  const o = hostOption(k, level, name);
  const shape = o && optionShape(k, o.level, o.name);
  if (!o || !shape) return -E.ENOPROTOOPT;
  if (!k.mem.checkRange(lenAddr, 4, true)) return -E.EFAULT;
  const le = k.mem.littleEndian;
  const room = k.mem.view.getInt32(lenAddr >>> 0, le);
  if (room < 0) return -E.EINVAL;
  const guestSize = shapeSize(shape, false);
  // Shorter than the value: the host answers for that length (a byte for some IP options).
  // struct tcp_info is converted at any length: programs ask for their own version of it.
  const whole = guestSize !== null && room >= guestSize && shape !== TCP_INFO_BE;
  if (shape !== 'raw' && 'times' in shape && !whole) return -E.EINVAL;
  const host = new Uint8Array(whole ? shapeSize(shape, true)! : Math.min(room, MAX_VALUE));
  const n = libc().getsockopt(f.hostFd, o.level, o.name, host);
  if (n === -E.ERANGE && shape === 'raw') {
    // A value longer than the room (SO_PEERGROUPS, SO_PEERSEC): Linux writes the length it
    // needs to *optlen with its ERANGE, which the caller reads to try again with that much.
    const need = libc().getsockopt(f.hostFd, o.level, o.name, new Uint8Array(MAX_VALUE));
    if (need > room) k.mem.view.setInt32(lenAddr >>> 0, need, le);
    return n;
  }
  if (n < 0) return n;
  if (o.level === HOST_SOL_SOCKET && o.name === SO.PEERGROUPS && !le) {
    // gid_t each: the host's little-endian words as the guest's.
    for (let at = 0; at + 4 <= n; at += 4) host.subarray(at, at + 4).reverse();
  }
  let out = whole || shape === TCP_INFO_BE ? convert(k, shape, host.subarray(0, n), false) : host.subarray(0, n);
  if (shape === TCP_INFO_BE) tcpInfoBitfields(out);
  if (whole && o.level === HOST_SOL_SOCKET && (o.name === SO.TYPE || o.name === SO.ERROR)) {
    // Values that are numbers the guest numbers its own way: socket types, errnos.
    const v = new DataView(host.buffer).getInt32(0, true);
    out = new Uint8Array(4);
    new DataView(out.buffer).setInt32(0, o.name === SO.TYPE ? guestSocketType(k.abi.socket, v) : v > 0 ? k.abi.guestErrno(v) : v, le);
  }
  const len = Math.min(room, out.length);
  const dst = k.mem.slice(val, len, true);
  if (!dst) return -E.EFAULT;
  dst.set(out.subarray(0, len));
  k.mem.view.setInt32(lenAddr >>> 0, len, le);
  return 0;
}

// ---- messages ----

/** Views of guest memory for an iovec array; an errno for a bad array or buffer. */
function guestIovecs(k: Kernel, iov: number, count: number, write: boolean): Uint8Array[] | number {
  if ((count | 0) < 0 || count > UIO_MAXIOV) return -E.EMSGSIZE;
  if (!k.mem.checkRange(iov, 8 * count, false)) return -E.EFAULT;
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const base = word(k, iov + 8 * i), len = word(k, iov + 8 * i + 4);
    if ((len | 0) < 0) return -E.EINVAL;
    if (len === 0) continue;
    const b = k.mem.slice(base, len, write);
    if (!b) return -E.EFAULT;
    out.push(b);
  }
  return out;
}

/** The buffers less their first `skip` bytes. */
function skipBytes(bufs: Uint8Array[], skip: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const b of bufs) {
    if (skip >= b.length) skip -= b.length;
    else {
      out.push(b.subarray(skip));
      skip = 0;
    }
  }
  return out;
}

const total = (bufs: Uint8Array[]) => bufs.reduce((n, b) => n + b.length, 0);

/** Guest control messages (sendmsg) in host layout, guest descriptors as host ones. */
function controlToHost(k: Kernel, addr: number, len: number): Uint8Array | null | number {
  if (len === 0) return null;
  if (len > MAX_VALUE) return -E.ENOBUFS;
  const g = k.mem.slice(addr, len, false);
  if (!g) return -E.EFAULT;
  const gv = new DataView(g.buffer, g.byteOffset, g.byteLength);
  const le = k.mem.littleEndian;
  const parts: Uint8Array[] = [];
  for (let at = 0; at + GUEST_CMSG_HDR <= len;) {
    const cmsgLen = gv.getUint32(at, le), level = gv.getInt32(at + 4, le), type = gv.getInt32(at + 8, le);
    if (cmsgLen < GUEST_CMSG_HDR || cmsgLen > len - at) return -E.EINVAL;
    const data = g.subarray(at + GUEST_CMSG_HDR, at + cmsgLen);
    const hostLevel = level === k.abi.socket.solSocket ? HOST_SOL_SOCKET : level === HOST_SOL_SOCKET ? -1 : level;
    let hostData: Uint8Array;
    if (hostLevel === HOST_SOL_SOCKET && type === SCM_RIGHTS) {
      const n = data.length >> 2;
      if (n === 0 || n > SCM_MAX_FD) return -E.EINVAL;
      hostData = new Uint8Array(4 * n);
      const hv = new DataView(hostData.buffer);
      for (let i = 0; i < n; i++) {
        const f = k.file(new DataView(data.buffer, data.byteOffset).getInt32(4 * i, le));
        if (!f) return -E.EBADF;
        hv.setInt32(4 * i, f.hostFd, true);
      }
    } else {
      hostData = convert(k, cmsgShape(hostLevel, type), data, true);
    }
    const part = new Uint8Array(align8(HOST_CMSG_HDR + hostData.length));
    const pv = new DataView(part.buffer);
    pv.setBigUint64(0, BigInt(HOST_CMSG_HDR + hostData.length), true);
    pv.setInt32(8, hostLevel, true);
    pv.setInt32(12, type, true);
    part.set(hostData, HOST_CMSG_HDR);
    parts.push(part);
    at += align4(cmsgLen);
  }
  const out = new Uint8Array(total(parts));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A flags-translated received file description: sockets are blocking for the guest. */
function receivedFile(k: Kernel, hostFd: number): OpenFile {
  let st: fs.Stats | null = null;
  try {
    st = fs.fstatSync(hostFd);
  } catch { /* closed under us: the guest sees EBADF on use */ }
  const o = k.abi.openFlags;
  let flags = O_RDWR;
  if (st && !st.isSocket()) {
    const host = libc().fcntl(hostFd, F_GETFL, 0);
    flags = host < 0 ? O_RDWR : (host & 3) | (host & HOST_O_NONBLOCK ? o.O_NONBLOCK : 0) | (host & fs.constants.O_APPEND ? o.O_APPEND : 0);
  }
  return hostFile(hostFd, st ? descriptorPath(hostFd, st) : `socket:[0]`, st, true, flags);
}

/**
 * Host control messages (recvmsg) into the guest's buffer as Linux fills it: what does not fit
 * is cut (MSG_CTRUNC), descriptors that do not fit are closed. Returns the length used and
 * whether something was cut.
 */
function controlToGuest(k: Kernel, host: Uint8Array, hostLen: number, addr: number, room: number, cloexec: boolean): { len: number; cut: boolean } {
  const hv = new DataView(host.buffer, host.byteOffset, host.byteLength);
  const le = k.mem.littleEndian;
  let used = 0, cut = false;
  for (let at = 0; at + HOST_CMSG_HDR <= hostLen;) {
    const cmsgLen = Number(hv.getBigUint64(at, true)), level = hv.getInt32(at + 8, true), type = hv.getInt32(at + 12, true);
    if (cmsgLen < HOST_CMSG_HDR || at + cmsgLen > hostLen) break;
    const data = host.subarray(at + HOST_CMSG_HDR, at + cmsgLen);
    at += align8(cmsgLen);
    const left = room - used;
    const guestLevel = level === HOST_SOL_SOCKET ? k.abi.socket.solSocket : level;
    let payload: Uint8Array;
    if (level === HOST_SOL_SOCKET && type === SCM_RIGHTS) {
      const fds: number[] = [];
      for (let i = 0; i + 4 <= data.length; i += 4) fds.push(hv.getInt32(data.byteOffset - host.byteOffset + i, true));
      const fit = Math.max(0, Math.floor((left - GUEST_CMSG_HDR) / 4));
      const guestFds: number[] = [];
      for (const [i, hostFd] of fds.entries()) {
        const fd = i < fit ? k.allocFd(receivedFile(k, hostFd), cloexec) : -1;
        if (fd < 0) {
          fs.closeSync(hostFd);
          cut = true;
        } else guestFds.push(fd);
      }
      if (guestFds.length === 0) continue;
      payload = new Uint8Array(4 * guestFds.length);
      guestFds.forEach((fd, i) => new DataView(payload.buffer).setInt32(4 * i, fd, le));
    } else {
      payload = convert(k, cmsgShape(level, type), data, false);
      if (isExtendedErr(level, type) && payload.length >= 4) {
        // ee_errno: a MIPS kernel reports its own number (ECONNREFUSED 146, EMSGSIZE 97).
        const pv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
        const errno = pv.getUint32(0, le);
        if (errno > 0) pv.setUint32(0, k.abi.guestErrno(errno), le);
      }
    }
    if (left < GUEST_CMSG_HDR) {
      cut = true;
      continue;
    }
    let cmsgGuestLen = GUEST_CMSG_HDR + payload.length;
    if (cmsgGuestLen > left) {
      cut = true;
      cmsgGuestLen = left;
    }
    const dst = k.mem.slice(addr + used, cmsgGuestLen, true);
    if (!dst) break;
    const dv = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
    dv.setUint32(0, cmsgGuestLen, le);
    dv.setInt32(4, guestLevel, le);
    dv.setInt32(8, type, le);
    dst.set(payload.subarray(0, cmsgGuestLen - GUEST_CMSG_HDR), GUEST_CMSG_HDR);
    used += Math.min(align4(cmsgGuestLen), left);
  }
  return { len: used, cut };
}

interface SendArgs { iov: Uint8Array[]; name: Uint8Array | null; control: Uint8Array | null; flags: number }

/**
 * One send (send, sendto, sendmsg, one message of sendmmsg): a blocking socket waits for room
 * and, on a stream, until everything is sent. `key` names the call, for its progress across waits.
 */
function sendOn(k: Kernel, f: OpenFile, s: SendArgs, key: CallKey): number {
  const data = netlinkToHost(k, f, s.iov);
  const want = total(data);
  let done = resumed(k, key);
  const nonblock = guestNonblocking(k, f, s.flags);
  const hostFlags = (s.flags & ~MSG_WAITFORONE) | MSG_DONTWAIT | MSG_NOSIGNAL;
  for (;;) {
    const iov = skipBytes(data, done);
    const control = done === 0 ? s.control : null;
    const r = iov.length <= 1 && !control
      ? libc().sendTo(f.hostFd, iov[0] ?? new Uint8Array(0), s.name, hostFlags)
      : libc().sendMessage(f.hostFd, iov, s.name, control, hostFlags);
    if (r === -E.EAGAIN && !nonblock) {
      remember(k, key, done);
      const end = waitForTransfer(k, f, true, done > 0);
      return done > 0 ? done : end === 'timeout' ? -E.EAGAIN : -E.EINTR;
    }
    if (r < 0) {
      if (r === -E.EPIPE && !(s.flags & MSG_NOSIGNAL)) k.raise(k.guestSignal(SIGPIPE));
      return done > 0 ? done : r;
    }
    done += r;
    if (done >= want || nonblock || r === 0) return done;
  }
}

interface RecvArgs { iov: Uint8Array[]; flags: number; wantName: boolean; controlRoom: number; needFlags: boolean }
interface Received { bytes: number; name: Uint8Array; nameLen: number; control: Uint8Array; controlLen: number; flags: number }

/**
 * One receive: a blocking socket waits for data; MSG_WAITALL on a stream waits until the
 * buffers are full (or end of file, an error, a signal, a timeout). Returns the first piece's
 * address and control data (the rest of a stream has none), or an errno.
 */
function recvOn(k: Kernel, f: OpenFile, a: RecvArgs, key: CallKey): Received | number {
  const want = total(a.iov);
  let done = resumed(k, key);
  const nonblock = guestNonblocking(k, f, a.flags);
  const hostFlags = (a.flags & ~MSG_WAITALL) | MSG_DONTWAIT | MSG_CMSG_CLOEXEC;
  const name = new Uint8Array(a.wantName ? SOCKADDR_MAX : 0);
  // The host's cmsgs are bigger (16-byte headers, 64-bit times): room for what fits the guest's.
  const control = new Uint8Array(a.controlRoom > 0 ? Math.min(2 * a.controlRoom + 64, MAX_VALUE) : 0);
  let first: Received | null = null;
  for (;;) {
    const iov = skipBytes(a.iov, done);
    // recv/recvfrom need no msg_flags nor control data: the cheaper recvfrom does.
    const r = a.needFlags || iov.length > 1 || control.length
      ? libc().receiveMessage(f.hostFd, iov, done === 0 ? name : null, done === 0 ? control : null, hostFlags)
      : receiveFrom(f.hostFd, iov[0] ?? new Uint8Array(0), done === 0 && name.length ? name : null, hostFlags);
    if (r === -E.EAGAIN && !nonblock) {
      remember(k, key, done);
      const end = waitForTransfer(k, f, false, done > 0);
      return done > 0 ? { ...(first ?? emptyReceive()), bytes: done } : end === 'timeout' ? -E.EAGAIN : -E.EINTR;
    }
    if (typeof r === 'number') return done > 0 ? { ...(first ?? emptyReceive()), bytes: done } : r;
    if (done === 0) {
      first = { bytes: 0, name, nameLen: r.nameLen, control, controlLen: r.controlLen, flags: r.flags };
      netlinkToGuest(k, f, iov, Math.min(r.bytes, total(iov)));
    }
    done += r.bytes;
    const waitall = a.flags & MSG_WAITALL && !(a.flags & MSG_PEEK) && !nonblock;
    // Control data (descriptors...) is handed over with the first piece, so a call that carried
    // some does not wait for more (its rerun could not give it back).
    if (!waitall || r.bytes === 0 || done >= want || r.controlLen > 0 || !isStream(f)) {
      return { ...(first ?? emptyReceive()), bytes: done };
    }
  }
}

function receiveFrom(hostFd: number, data: Uint8Array, name: Uint8Array | null, flags: number) {
  const r = libc().receiveFrom(hostFd, data, name, flags);
  return typeof r === 'number' ? r : { bytes: r.bytes, nameLen: r.nameLen, controlLen: 0, flags: 0 };
}

function emptyReceive(): Received {
  return { bytes: 0, name: new Uint8Array(0), nameLen: 0, control: new Uint8Array(0), controlLen: 0, flags: 0 };
}

function isStream(f: OpenFile): boolean {
  const v = new Uint8Array(4);
  return libc().getsockopt(f.hostFd, HOST_SOL_SOCKET, SO.TYPE, v) === 4 && new DataView(v.buffer).getInt32(0, true) === HOST_SOCK_STREAM;
}

function sendto(k: Kernel, a: number[], key: CallKey): number {
  const [fd, buf, len, flags, addr, addrLen] = a;
  const f = fileOf(k, fd);
  if (typeof f === 'number') return f;
  if ((len | 0) < 0) return -E.EINVAL;
  const data = k.mem.slice(buf, len, false);
  if (!data) return -E.EFAULT;
  let name: Uint8Array | null = null;
  if (addr !== 0) {
    const sa = readSockaddr(k, addr, addrLen);
    if (typeof sa === 'number') return sa;
    name = sa;
  }
  return sendOn(k, f, { iov: len ? [data] : [], name, control: null, flags }, key);
}

function recvfrom(k: Kernel, a: number[], key: CallKey): number {
  const [fd, buf, len, flags, addr, lenAddr] = a;
  const f = fileOf(k, fd);
  if (typeof f === 'number') return f;
  if ((len | 0) < 0) return -E.EINVAL;
  const data = k.mem.slice(buf, len, true);
  if (!data) return -E.EFAULT;
  if (addr !== 0 && !k.mem.checkRange(lenAddr, 4, true)) return -E.EFAULT;
  const r = recvOn(k, f, { iov: len ? [data] : [], flags, wantName: addr !== 0, controlRoom: 0, needFlags: false }, key);
  if (typeof r === 'number') return r;
  const w = writeSockaddr(k, r.name, r.nameLen, addr, lenAddr);
  return w < 0 ? w : r.bytes;
}

/** Reads a guest msghdr's fields. */
function readMsghdr(k: Kernel, at: number): number[] | null {
  if (!k.mem.checkRange(at, MSGHDR_SIZE, false)) return null;
  return [0, 4, 8, 12, 16, 20, 24].map((off) => word(k, at + off));
}

function sendmsgAt(k: Kernel, fd: number, msg: number, flags: number, key: CallKey): number {
  const f = fileOf(k, fd);
  if (typeof f === 'number') return f;
  const m = readMsghdr(k, msg);
  if (!m) return -E.EFAULT;
  const [nameAddr, nameLen, iovAddr, iovLen, controlAddr, controlLen] = m;
  const iov = guestIovecs(k, iovAddr, iovLen, false);
  if (typeof iov === 'number') return iov;
  let name: Uint8Array | null = null;
  if (nameAddr !== 0 && nameLen !== 0) {
    const sa = readSockaddr(k, nameAddr, nameLen);
    if (typeof sa === 'number') return sa;
    name = sa;
  }
  const control = controlToHost(k, controlAddr, controlLen);
  if (typeof control === 'number') return control;
  return sendOn(k, f, { iov, name, control, flags }, key);
}

function recvmsgAt(k: Kernel, fd: number, msg: number, flags: number, key: CallKey): number {
  const f = fileOf(k, fd);
  if (typeof f === 'number') return f;
  const m = readMsghdr(k, msg);
  if (!m) return -E.EFAULT;
  if (!k.mem.checkRange(msg, MSGHDR_SIZE, true)) return -E.EFAULT;
  const [nameAddr, nameRoom, iovAddr, iovLen, controlAddr, controlRoom] = m;
  if ((nameRoom | 0) < 0 || (controlRoom | 0) < 0) return -E.EINVAL;
  const iov = guestIovecs(k, iovAddr, iovLen, true);
  if (typeof iov === 'number') return iov;
  if (controlRoom > 0 && !k.mem.checkRange(controlAddr, Math.min(controlRoom, MAX_VALUE), true)) return -E.EFAULT;
  const r = recvOn(k, f, { iov, flags, wantName: nameAddr !== 0, controlRoom: Math.min(controlRoom, MAX_VALUE), needFlags: true }, key);
  if (typeof r === 'number') return r;
  const le = k.mem.littleEndian;
  if (nameAddr !== 0) {
    const n = Math.min(nameRoom, r.nameLen, r.name.length);
    const dst = k.mem.slice(nameAddr, n, true);
    if (!dst) return -E.EFAULT;
    dst.set(sockaddrToGuest(k, r.name.subarray(0, Math.min(r.nameLen, r.name.length))).subarray(0, n));
  }
  const c = controlToGuest(k, r.control, r.controlLen, controlAddr, controlRoom, (flags & MSG_CMSG_CLOEXEC) !== 0);
  if (nameAddr !== 0) putWord(k, msg + 4, r.nameLen);
  putWord(k, msg + 20, c.len);
  // The host echoes the MSG_CMSG_CLOEXEC urun always asks for; Linux echoes the guest's.
  const msgFlags = (r.flags & ~(MSG_CTRUNC | MSG_CMSG_CLOEXEC)) | (flags & MSG_CMSG_CLOEXEC);
  k.mem.view.setInt32((msg + 24) >>> 0, msgFlags | (c.cut || r.flags & MSG_CTRUNC ? MSG_CTRUNC : 0), le);
  return r.bytes;
}

function sendmmsg(k: Kernel, a: number[], key: CallKey): number {
  const [fd, vec, vlen, flags] = a;
  const f = fileOf(k, fd);
  if (typeof f === 'number') return f;
  const count = Math.min(vlen >>> 0, UIO_MAXIOV);
  let sent = resumed(k, () => key() + ':n');
  for (; sent < count; sent++) {
    const at = vec + MMSGHDR_SIZE * sent;
    let r: number;
    try {
      r = sendmsgAt(k, fd, at, flags, () => `${key()}:${sent}`);
    } catch (e) {
      if (sent > 0) remember(k, () => key() + ':n', sent);
      throw e;
    }
    if (r < 0) return sent > 0 ? sent : r;
    if (!k.mem.checkRange(at + 28, 4, true)) return sent > 0 ? sent : -E.EFAULT;
    putWord(k, at + 28, r);
  }
  return sent;
}

function recvmmsg(k: Kernel, a: number[], key: CallKey, time64: boolean): number {
  const [fd, vec, vlen, flags, timeoutAddr] = a;
  const f = fileOf(k, fd);
  if (typeof f === 'number') return f;
  let deadline: number | null = null;
  if (timeoutAddr !== 0) {
    const ns = timespecArg(k, timeoutAddr >>> 0, time64);
    if (typeof ns === 'number') return ns;
    deadline = Date.now() + Number(ns / 1_000_000n);
  }
  const count = Math.min(vlen >>> 0, UIO_MAXIOV);
  let got = resumed(k, () => key() + ':n');
  for (; got < count; got++) {
    const at = vec + MMSGHDR_SIZE * got;
    // After the first message, MSG_WAITFORONE takes only what is there.
    const fl = got > 0 && flags & MSG_WAITFORONE ? flags | MSG_DONTWAIT : flags;
    let r: number;
    try {
      r = recvmsgAt(k, fd, at, fl & ~MSG_WAITFORONE, () => `${key()}:${got}`);
    } catch (e) {
      if (got > 0) remember(k, () => key() + ':n', got);
      throw e;
    }
    if (r < 0) return got > 0 ? got : r;
    if (!k.mem.checkRange(at + 28, 4, true)) return got > 0 ? got : -E.EFAULT;
    putWord(k, at + 28, r);
    // The timeout is looked at after each message, as Linux does.
    if (deadline !== null && Date.now() >= deadline) return got + 1;
  }
  return got;
}

function shutdown(k: Kernel, fd: number, how: number): number {
  const f = fileOf(k, fd);
  if (typeof f === 'number') return f;
  return libc().shutdown(f.hostFd, how);
}

function listen(k: Kernel, fd: number, backlog: number): number {
  const f = fileOf(k, fd);
  if (typeof f === 'number') return f;
  return libc().listen(f.hostFd, backlog);
}

function bind(k: Kernel, fd: number, addr: number, len: number): number {
  return withAddress(k, fd, addr, len, (f, sa) => libc().bind(f.hostFd, sa));
}

// ---- host programs ----

/**
 * Before the guest's descriptors go to a host program (execve or spawn of a non-guest
 * binary): sockets the guest uses as blocking become blocking on the host too, as that
 * program expects. urun itself copes with either mode.
 */
export function socketsBlockingForHostExec(k: Kernel): void {
  const h = libc();
  const { O_NONBLOCK } = k.abi.openFlags;
  for (const { file, cloexec } of k.fds.values()) {
    if (cloexec || file.flags & O_NONBLOCK || !isSocketFile(file)) continue;
    const fl = h.fcntl(file.hostFd, F_GETFL, 0);
    if (fl >= 0 && fl & HOST_O_NONBLOCK) h.fcntl(file.hostFd, F_SETFL, fl & ~HOST_O_NONBLOCK);
  }
}

// ---- records ----

type Handler = (k: Kernel, a: number[]) => number;
const keyOf = (name: string, a: number[]): CallKey => () => `${name}:${a.join(',')}`;

const HANDLERS: Record<string, Handler> = {
  socket: (k, a) => socket(k, a[0], a[1], a[2]),
  bind: (k, a) => bind(k, a[0], a[1], a[2]),
  connect: (k, a) => connect(k, a[0], a[1], a[2]),
  listen: (k, a) => listen(k, a[0], a[1] | 0),
  accept: (k, a) => accept(k, a[0], a[1], a[2], 0),
  getsockname: (k, a) => sockName(k, a[0], a[1], a[2], false),
  getpeername: (k, a) => sockName(k, a[0], a[1], a[2], true),
  socketpair: (k, a) => socketpair(k, a[0], a[1], a[2], a[3]),
  send: (k, a) => sendto(k, [a[0], a[1], a[2], a[3], 0, 0], keyOf('send', a)),
  recv: (k, a) => recvfrom(k, [a[0], a[1], a[2], a[3], 0, 0], keyOf('recv', a)),
  sendto: (k, a) => sendto(k, a, keyOf('sendto', a)),
  recvfrom: (k, a) => recvfrom(k, a, keyOf('recvfrom', a)),
  shutdown: (k, a) => shutdown(k, a[0], a[1]),
  setsockopt: (k, a) => setsockopt(k, a[0], a[1], a[2], a[3], a[4]),
  getsockopt: (k, a) => getsockopt(k, a[0], a[1], a[2], a[3], a[4]),
  sendmsg: (k, a) => sendmsgAt(k, a[0], a[1], a[2], keyOf('sendmsg', a)),
  recvmsg: (k, a) => recvmsgAt(k, a[0], a[1], a[2], keyOf('recvmsg', a)),
  accept4: (k, a) => accept(k, a[0], a[1], a[2], a[3]),
  recvmmsg: (k, a) => recvmmsg(k, a, keyOf('recvmmsg', a), false),
  recvmmsg_time64: (k, a) => recvmmsg(k, a, keyOf('recvmmsg', a), true),
  sendmmsg: (k, a) => sendmmsg(k, a, keyOf('sendmmsg', a)),
};

/** socketcall(call, args): its sub-calls in order (linux/net.h SYS_SOCKET = 1 ...) and their argument counts. */
const SOCKETCALLS: [string, number][] = [
  ['socket', 3], ['bind', 3], ['connect', 3], ['listen', 2], ['accept', 3], ['getsockname', 3], ['getpeername', 3],
  ['socketpair', 4], ['send', 4], ['recv', 4], ['sendto', 6], ['recvfrom', 6], ['shutdown', 2], ['setsockopt', 5],
  ['getsockopt', 5], ['sendmsg', 3], ['recvmsg', 3], ['accept4', 4], ['recvmmsg', 5], ['sendmmsg', 4],
];

function socketcall(k: Kernel, call: number, args: number): number {
  const sub = SOCKETCALLS[call - 1];
  if (call < 1 || !sub) return -E.EINVAL;
  const [name, n] = sub;
  if (!k.mem.checkRange(args, 4 * n, false)) return -E.EFAULT;
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(word(k, args + 4 * i));
  return HANDLERS[name](k, a);
}

export const SOCKETS_SYSCALLS: SyscallRecord[] = [
  R('socket', ['family', 'hex', 'int'], HANDLERS.socket),
  R('socketpair', ['family', 'hex', 'int', 'ptr'], HANDLERS.socketpair),
  R('bind', ['fd', 'ptr', 'uint'], HANDLERS.bind),
  R('connect', ['fd', 'ptr', 'uint'], HANDLERS.connect),
  R('listen', ['fd', 'int'], HANDLERS.listen),
  R('accept', ['fd', 'ptr', 'ptr'], HANDLERS.accept),
  R('accept4', ['fd', 'ptr', 'ptr', 'hex'], HANDLERS.accept4),
  R('getsockname', ['fd', 'ptr', 'ptr'], HANDLERS.getsockname),
  R('getpeername', ['fd', 'ptr', 'ptr'], HANDLERS.getpeername),
  R('setsockopt', ['fd', 'int', 'hex', 'ptr', 'uint'], HANDLERS.setsockopt),
  R('getsockopt', ['fd', 'int', 'hex', 'ptr', 'ptr'], HANDLERS.getsockopt),
  R('shutdown', ['fd', 'how'], HANDLERS.shutdown),
  R('send', ['fd', 'inbuf', 'uint', 'hex'], HANDLERS.send),
  R('recv', ['fd', 'outbuf', 'uint', 'hex'], HANDLERS.recv),
  R('sendto', ['fd', 'inbuf', 'uint', 'hex', 'ptr', 'uint'], HANDLERS.sendto),
  R('recvfrom', ['fd', 'outbuf', 'uint', 'hex', 'ptr', 'ptr'], HANDLERS.recvfrom),
  R('sendmsg', ['fd', 'ptr', 'hex'], HANDLERS.sendmsg),
  R('recvmsg', ['fd', 'ptr', 'hex'], HANDLERS.recvmsg),
  R('sendmmsg', ['fd', 'ptr', 'uint', 'hex'], HANDLERS.sendmmsg),
  R('recvmmsg', ['fd', 'ptr', 'uint', 'hex', 'ptr'], HANDLERS.recvmmsg),
  R('recvmmsg_time64', ['fd', 'ptr', 'uint', 'hex', 'ptr'], HANDLERS.recvmmsg_time64),
  R('socketcall', ['int', 'ptr'], (k, a) => socketcall(k, a[0] | 0, a[1])),
];
