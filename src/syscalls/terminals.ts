// Terminal ioctls, carried to the host terminal: struct termios converted between the guest
// arch's layout (MIPS: 23 control characters in other slots, some c_lflag bits moved) and
// the host's, window sizes and process groups in guest byte order, pseudo-terminal set-up.
// Calls that wait for output to drain (tcdrain, TCSADRAIN, TCSAFLUSH) do not block the host
// thread: while output is queued the guest thread sleeps and tries again.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Kernel, OpenFile } from './kernel.js';
import type { TerminalIoctl } from './abi.js';
import { E } from './errno.js';
import { libc } from '../host/libc.js';
import { isNeverWaitingDevice, retryAfter } from './blocking.js';
import { GENERIC_TERMINAL_IOCTLS as HOST } from './arch/arm.js';
import { descriptorPath, hostFile, SIG_DFL, SIG_IGN } from './kernel.js';
import { sigBit } from '../engine/signals.js';

/** The host's (x86-64) struct termios: 4 flag words, c_line, c_cc[19]. */
const HOST_TERMIOS_SIZE = 36, HOST_NCCS = 19, CC_AT = 17;
/** c_lflag's ICANON, and where c_cc keeps VTIME and VMIN, in the host's struct termios. */
const HOST_LFLAG_AT = 12, HOST_ICANON = 2, HOST_VTIME = 5, HOST_VMIN = 6;
/** /dev/ptmx (5:2): a pty's master, which answers TIOCGPGRP for its slave. */
const PTMX_RDEV = 0x502;
const DRAIN_RETRY_MS = 5;

/**
 * isatty(3). Only a character device can be a terminal: anything else is answered without
 * loading node:tty, which loads net and Node's streams, ~10 ms of every start (glibc asks
 * this of stdout in nearly every program, and in CI stdout is a pipe or a file).
 */
export function isTerminal(hostFd: number): boolean {
  try {
    // (Asking node:tty loads node:net with it: /dev/null, which stdio often is, is settled here.)
    const st = fs.fstatSync(hostFd);
    if (!st.isCharacterDevice() || isNeverWaitingDevice(st)) return false;
  } catch {
    return false;
  }
  return (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(hostFd);
}

/** Runs a terminal ioctl, or returns undefined when `req` is not one. */
export function terminalIoctl(k: Kernel, fd: number, f: OpenFile, req: number, arg: number): number | undefined {
  const io = k.abi.terminal.ioctl;
  const name = (Object.keys(io) as TerminalIoctl[]).find((n) => io[n] === req);
  if (name === undefined) return undefined;
  const hostFd = f.hostFd;
  // In the terminal ioctls' list but for every descriptor: close-on-exec.
  if (name === 'FIOCLEX' || name === 'FIONCLEX') {
    k.fds.get(fd)!.cloexec = name === 'FIOCLEX';
    return 0;
  }
  // Also for every descriptor: FIOASYNC, O_ASYNC on or off (nginx's channel socketpairs). The
  // host's answer: ENOTTY where the file has no SIGIO to send (a regular file), as Linux's.
  if (name === 'FIOASYNC') {
    const r = hostIoctl(k, name, hostFd, arg);
    const async = k.abi.openFlags.O_ASYNC;
    if (r === 0) f.flags = k.mem.read32(arg) !== 0 ? f.flags | async : f.flags & ~async;
    return r;
  }
  // TIOCOUTQ is also SIOCOUTQ, a socket's unsent (TCP: unacknowledged) bytes: the host's answer.
  if (name === 'TIOCOUTQ' && f.path.startsWith('socket:')) return hostIoctl(k, name, hostFd, arg);
  // Every terminal ioctl on anything else is ENOTTY: glibc asks this of stdout at every start
  // (isatty), and answering it needs no native call.
  if (!isTerminal(hostFd)) return -E.ENOTTY;
  // From a background process group, tcsetpgrp, tcsetattr, tcflush and tcflow stop the caller
  // with SIGTTOU unless it blocks or ignores that: the host kernel asks it of urun's process,
  // so while the guest blocks or ignores SIGTTOU, the host call runs with it blocked too.
  const ttou = k.guestSignal(HOST_SIGTTOU);
  if (STOPS_IN_BACKGROUND.has(name) && ((k.signals.mask & sigBit(ttou)) !== 0n || k.disposition(ttou).handler === SIG_IGN)) {
    return libc().withSignalBlocked(HOST_SIGTTOU, () => hostIoctl(k, name, hostFd, arg));
  }
  return hostIoctl(k, name, hostFd, arg);
}

const HOST_SIGTTIN = 21, HOST_SIGTTOU = 22;
const STOPS_IN_BACKGROUND: ReadonlySet<TerminalIoctl> = new Set<TerminalIoctl>(['TIOCSPGRP', 'TCSETS', 'TCSETSW', 'TCSETSF', 'TCFLSH', 'TCXONC']);

/**
 * For a terminal in non-canonical mode with VMIN 0, how long a read waits for input, in ms
 * (VTIME tenths of a second; 0: it returns at once), and null for anything else: there poll(2)
 * says readable only once input is there, but the read returns 0 when none came in time.
 */
export function terminalReadLimitMs(f: OpenFile): number | null {
  if (!f.chardev) return null;
  const t = Buffer.alloc(HOST_TERMIOS_SIZE);
  if (libc().ioctlPtr(f.hostFd, HOST.TCGETS, t) < 0) return null;
  if (t.readUInt32LE(HOST_LFLAG_AT) & HOST_ICANON || t[CC_AT + HOST_VMIN] !== 0) return null;
  return t[CC_AT + HOST_VTIME] * 100;
}

/**
 * A read of the controlling terminal from a background process group, which Linux answers
 * at once, input or not (its poll(2) waits for input all the same): EIO when the guest
 * blocks or ignores SIGTTIN; at its default action, 0, the read is done now and the host
 * kernel stops urun's process group (or fails it with EIO, the group orphaned). Null for
 * anything else, and for a guest that handles SIGTTIN, which keeps waiting for input.
 */
export function backgroundTerminalRead(k: Kernel, f: OpenFile): number | null {
  const h = libc(), out = Buffer.alloc(4);
  if (h.ioctlPtr(f.hostFd, HOST.TIOCGPGRP, out) < 0) return null; // (ENOTTY: not our controlling terminal)
  const fg = out.readInt32LE(0);
  if (fg <= 0 || fg === h.getpgid(0)) return null;
  // A pty's master answers for its slave, whoever's controlling terminal that is.
  if (h.ioctlPtr(f.hostFd, HOST.TIOCGSID, out) < 0 || out.readInt32LE(0) !== h.getsid(0)) return null;
  try {
    if (fs.fstatSync(f.hostFd).rdev === PTMX_RDEV) return null;
  } catch {
    return null;
  }
  const ttin = k.guestSignal(HOST_SIGTTIN);
  const handler = k.disposition(ttin).handler;
  if ((k.signals.mask & sigBit(ttin)) !== 0n || handler === SIG_IGN) return -E.EIO;
  return handler === SIG_DFL ? 0 : null;
}

/** A terminal ioctl carried out on the host terminal. */
function hostIoctl(k: Kernel, name: TerminalIoctl, hostFd: number, arg: number): number | undefined {
  const h = libc();
  switch (name) {
    case 'TCGETS': {
      const size = 17 + k.abi.terminal.nccs;
      if (!k.mem.checkRange(arg, size, true)) return -E.EFAULT;
      const t = Buffer.alloc(HOST_TERMIOS_SIZE);
      const r = h.ioctlPtr(hostFd, HOST.TCGETS, t);
      if (r < 0) return r;
      writeGuestTermios(k, arg, t);
      return 0;
    }
    case 'TCSETS': case 'TCSETSW': case 'TCSETSF': {
      const t = readGuestTermios(k, arg);
      if (!t) return -E.EFAULT;
      if (name !== 'TCSETS') {
        const wait = awaitDrained(k, hostFd);
        if (wait !== 0) return wait;
      }
      // Output has drained: TCSETSW is TCSETS now; TCSETSF still flushes pending input.
      return h.ioctlPtr(hostFd, name === 'TCSETSF' ? HOST.TCSETSF : HOST.TCSETS, t);
    }
    case 'TCSBRK': case 'TCSBRKP': {
      // A non-zero argument is tcdrain(); zero sends a break (after draining, too).
      const wait = awaitDrained(k, hostFd);
      if (wait !== 0) return wait;
      return h.ioctlArg(hostFd, HOST[name], arg);
    }
    case 'TIOCGWINSZ': {
      if (!k.mem.checkRange(arg, 8, true)) return -E.EFAULT;
      const ws = Buffer.alloc(8);
      const r = h.ioctlPtr(hostFd, HOST.TIOCGWINSZ, ws);
      if (r < 0) return r;
      for (let i = 0; i < 4; i++) k.mem.view.setUint16((arg + 2 * i) >>> 0, ws.readUInt16LE(2 * i), k.mem.littleEndian);
      return 0;
    }
    case 'TIOCSWINSZ': {
      if (!k.mem.checkRange(arg, 8, false)) return -E.EFAULT;
      const ws = Buffer.alloc(8);
      for (let i = 0; i < 4; i++) ws.writeUInt16LE(k.mem.view.getUint16((arg + 2 * i) >>> 0, k.mem.littleEndian), 2 * i);
      return h.ioctlPtr(hostFd, HOST.TIOCSWINSZ, ws);
    }
    // An int the kernel fills in.
    case 'TIOCGPGRP': case 'TIOCGSID': case 'TIOCOUTQ': case 'TIOCGETD': case 'TIOCGPTN': case 'TIOCGPKT':
      return intOut(k, arg, () => {
        const out = Buffer.alloc(4);
        const r = h.ioctlPtr(hostFd, HOST[name], out);
        return r < 0 ? r : out.readInt32LE(0);
      });
    // An int the kernel reads.
    // (TIOCPKT: a pty master's packet mode, which screen and rlogind-like programs set.)
    case 'TIOCSPGRP': case 'TIOCSETD': case 'TIOCSPTLCK': case 'FIOASYNC': case 'TIOCPKT': {
      if (!k.mem.checkRange(arg, 4, false)) return -E.EFAULT;
      const v = Buffer.alloc(4);
      v.writeInt32LE(k.mem.view.getInt32(arg >>> 0, k.mem.littleEndian), 0);
      return h.ioctlPtr(hostFd, HOST[name], v);
    }
    case 'TIOCSTI': {
      const c = k.mem.slice(arg, 1, false);
      if (!c) return -E.EFAULT;
      return h.ioctlPtr(hostFd, HOST.TIOCSTI, Buffer.from(c));
    }
    // A plain integer argument, or none.
    case 'TCXONC': case 'TCFLSH': case 'TIOCSCTTY': case 'TIOCNOTTY': case 'TIOCEXCL': case 'TIOCNXCL':
      return h.ioctlArg(hostFd, HOST[name], arg);
    case 'TIOCGPTPEER': return openPeer(k, hostFd, arg);
    // A signal to the slave's foreground group, by number: the guest's, in the host's numbering.
    case 'TIOCSIG': return h.ioctlArg(hostFd, HOST.TIOCSIG, k.hostSignal(arg));
  }
  return undefined;
}

function intOut(k: Kernel, addr: number, get: () => number): number {
  addr >>>= 0; // (ioctl's argument comes signed)
  if (!k.mem.checkRange(addr, 4, true)) return -E.EFAULT;
  const v = get();
  if (v < 0) return v;
  k.mem.view.setInt32(addr, v, k.mem.littleEndian);
  return 0;
}

/** 0 once the terminal's output queue is empty; otherwise the thread sleeps and the call runs again. */
function awaitDrained(k: Kernel, hostFd: number): number {
  const out = Buffer.alloc(4);
  if (libc().ioctlPtr(hostFd, HOST.TIOCOUTQ, out) < 0 || out.readInt32LE(0) === 0) return 0;
  return retryAfter(k, DRAIN_RETRY_MS);
}

/** TIOCGPTPEER: opens the pty's other end; the new descriptor enters the guest's table. */
function openPeer(k: Kernel, hostFd: number, guestFlags: number): number {
  const o = k.abi.openFlags;
  const HOST_O_NOCTTY = 0o400, HOST_O_NONBLOCK = 0o4000, HOST_O_CLOEXEC = 0o2000000;
  let flags = (guestFlags & 3) | HOST_O_CLOEXEC;
  if (guestFlags & o.O_NOCTTY) flags |= HOST_O_NOCTTY;
  if (guestFlags & o.O_NONBLOCK) flags |= HOST_O_NONBLOCK;
  const r = libc().ioctlArg(hostFd, HOST.TIOCGPTPEER, flags);
  if (r < 0) return r;
  const fd = k.allocFd(hostFile(r, descriptorPath(r, fs.fstatSync(r)), null, true, guestFlags & ~o.O_CLOEXEC), (guestFlags & o.O_CLOEXEC) !== 0);
  if (fd < 0) fs.closeSync(r);
  return fd;
}

/** The guest's struct termios in the host's layout; null on a bad address. */
function readGuestTermios(k: Kernel, addr: number): Buffer | null {
  addr >>>= 0; // (ioctl's argument comes signed)
  const t = k.abi.terminal;
  if (!k.mem.checkRange(addr, 17 + t.nccs, false)) return null;
  const v = k.mem.view, le = k.mem.littleEndian;
  const host = Buffer.alloc(HOST_TERMIOS_SIZE);
  for (let i = 0; i < 3; i++) host.writeUInt32LE(v.getUint32(addr + 4 * i, le), 4 * i);
  host.writeUInt32LE(moveBits(v.getUint32(addr + 12, le), t.lflagMoved, 0, 1), 12);
  host[16] = k.mem.bytes[addr + 16];
  for (let i = 0; i < HOST_NCCS; i++) {
    const g = t.ccFromHost[i];
    host[CC_AT + i] = g >= 0 ? k.mem.bytes[addr + CC_AT + g] : 0;
  }
  return host;
}

function writeGuestTermios(k: Kernel, addr: number, host: Buffer): void {
  addr >>>= 0;
  const t = k.abi.terminal;
  const v = k.mem.view, le = k.mem.littleEndian;
  k.mem.bytes.fill(0, addr, addr + 17 + t.nccs);
  for (let i = 0; i < 3; i++) v.setUint32(addr + 4 * i, host.readUInt32LE(4 * i), le);
  v.setUint32(addr + 12, moveBits(host.readUInt32LE(12), t.lflagMoved, 1, 0), le);
  k.mem.bytes[addr + 16] = host[16];
  for (let i = 0; i < HOST_NCCS; i++) {
    const g = t.ccFromHost[i];
    if (g >= 0) k.mem.bytes[addr + CC_AT + g] = host[CC_AT + i];
  }
}

/** Renumbers the moved bits of a flag word: from side `from` of each pair to side `to`. */
function moveBits(word: number, moved: readonly (readonly [number, number])[], from: 0 | 1, to: 0 | 1): number {
  let out = word;
  for (const pair of moved) out &= ~pair[from];
  for (const pair of moved) if (word & pair[from]) out |= pair[to];
  return out >>> 0;
}
