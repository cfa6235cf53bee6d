// What a process and its forked children ask of each other, over a socket made at fork.
// Linux lets a parent move its child to another process group (setpgid(child, pgid)) until
// the child execs. A forked guest child here is a fresh urun, which the host counts as
// having exec'd already (EACCES): so the parent asks the child, and the child moves itself.
// The child closes its end when it execs (or exits): from then on the parent gets EACCES,
// as on Linux. The child answers whenever it waits (a blocking call, a sleep, the threads'
// server between calls) and when its engine stops; a child computing without a pause does
// not answer in time, and the parent gets EACCES then too.
import * as fs from 'node:fs';
import { libc } from '../host/libc.js';
import { hostStatFields } from '../host/proc-stat.js';
import { E } from '../syscalls/errno.js';
import { POLLIN, wallMs } from './signals.js';

/** How often a forked child that sleeps, or serves its threads, looks for its parent's requests. */
export const KIN_CHECK_MS = 20;
/**
 * How long a parent waits for its child's answer: once the child runs, and while it is still
 * starting. A starting child always ends that wait itself (it says it runs, or it dies and its
 * end closes), so the second bound only guards against a hung host: a loaded machine (CI at
 * load 20 on 2 cores) took over 5 s to start a child.
 */
const ASK_MS = 200, START_MS = 30_000;
/** A request the child finds later than this before its deadline is not carried out (the parent has given up). */
const ANSWER_MARGIN_MS = 50;
const O_NONBLOCK = 0x800, F_GETFL = 3, F_SETFL = 4;

// ---- the parent's side: its forked children that have not exec'd, by pid ----

/** A forked child's socket, and whether it has said it runs the guest (it answers quickly then). */
interface Child { fd: number; started: boolean }
const children = new Map<number, Child>();
let nextSeq = 1;

/** A socket pair for a child about to be forked: [the parent's end, the child's end]. */
export function kinPair(): [number, number] | null {
  const pair = libc().socketpair();
  return typeof pair === 'number' ? null : pair;
}

/** The child forked with this end of a kinPair. */
export function adoptChild(pid: number, parentEnd: number): void {
  children.set(pid, { fd: parentEnd, started: false });
}

/** The child was reaped: its socket goes. */
export function forgetChild(pid: number): void {
  const c = children.get(pid);
  if (c === undefined) return;
  children.delete(pid);
  closeFd(c.fd);
}

/**
 * setpgid(pid, pgid) of a forked child that the host refused (it counts every urun as having
 * exec'd): the child moves itself. Null if `pid` is not such a child; else the result.
 */
export function askChildSetpgid(pid: number, pgid: number): number | null {
  const c = children.get(pid);
  if (c === undefined) return null;
  const h = libc();
  // Has it started? (A child still starting answers as soon as it has.)
  for (let m; (m = receive(c, 0)) !== undefined;) {
    if (m === null) return gone(pid);
    if (m.readInt32LE(0) === 0) c.started = true;
  }
  const seq = nextSeq++;
  const deadline = wallMs() + (c.started ? ASK_MS : START_MS);
  const req = Buffer.alloc(16);
  req.writeInt32LE(seq, 0);
  req.writeInt32LE(pgid, 4);
  req.writeDoubleLE(deadline, 8);
  if (h.sendFds(c.fd, req, []) < 0) return gone(pid);
  for (;;) {
    const m = receive(c, Math.ceil(deadline - wallMs()));
    if (m === undefined) return -E.EACCES; // busy computing: as if it had exec'd
    if (m === null) return gone(pid);
    if (m.readInt32LE(0) === 0) c.started = true;
    // (an answer to an earlier request the parent gave up on is dropped)
    else if (m.readInt32LE(0) === seq) return m.readInt32LE(4);
  }
}

/**
 * Before a signal goes to `pid` (0 or a negative pid: a group, so every such child): waits
 * until the forked children it may reach have said they run, their host-signal listeners
 * set. A Linux child has its parent's handlers the moment fork returns; a urun child that is
 * still starting would meet the host's default action and die of a signal it handles.
 */
export function awaitChildrenStarted(pid: number): void {
  for (const [cpid, c] of children) {
    if (c.started || (pid > 0 && pid !== cpid)) continue;
    // A child stopped while it started (SIGSTOP right after fork) goes no further until it is
    // continued: the SIGCONT that continues it must not wait for it (it did, START_MS long).
    for (const deadline = wallMs() + START_MS; !c.started && !stopped(cpid);) {
      const m = receive(c, Math.min(STOPPED_CHECK_MS, Math.ceil(deadline - wallMs())));
      if (m === undefined && wallMs() < deadline) continue;
      if (m === undefined) break;
      if (m === null) {
        forgetChild(cpid);
        break;
      }
      // (an answer to a setpgid request the parent gave up on is dropped)
      if (m.readInt32LE(0) === 0) c.started = true;
    }
  }
}

/** How often a wait for a starting child looks whether it has been stopped. */
const STOPPED_CHECK_MS = 50;

/** Whether host process `pid` is stopped (its /proc stat state T, or t for a tracer's stop). */
function stopped(pid: number): boolean {
  const state = hostStatFields(pid)?.[0];
  return state === 'T' || state === 't';
}

/** The child's next message (null: it has exec'd or exited), waiting at most `ms`: undefined if none came. */
function receive(c: Child, ms: number): Buffer | null | undefined {
  const h = libc();
  const pfd = Buffer.alloc(8);
  pfd.writeInt32LE(c.fd, 0);
  pfd.writeInt16LE(POLLIN, 4);
  if (h.poll(pfd, 1, Math.max(0, ms)) <= 0) return undefined;
  const m = h.recvFds(c.fd);
  return m === null || typeof m === 'number' ? null : m.data;
}

/** The child has exec'd or exited (its end is closed): EACCES, as Linux says after an exec. */
function gone(pid: number): number {
  forgetChild(pid);
  return -E.EACCES;
}

// ---- the child's side: its socket to the parent, until it execs ----

let parentFd = -1;

/**
 * In a forked child about to run the guest: the socket to its parent (non-blocking: any
 * thread may answer). It answers what the parent asked while it started, then says it runs.
 */
export function setParentChannel(fd: number): void {
  const h = libc();
  h.fcntl(fd, 2, 1); // F_SETFD FD_CLOEXEC: a host program this process becomes does not keep it
  h.fcntl(fd, F_SETFL, h.fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
  parentFd = fd;
  answerParent();
  h.sendFds(fd, Buffer.alloc(8), []); // (sequence number 0: "started")
}

/** The socket to the parent, for a wait to watch; -1 when there is none. */
export function parentChannel(): number {
  return parentFd;
}

/** At exec: the parent can no longer move this process (it gets EACCES, as on Linux). */
export function closeParentChannel(): void {
  if (parentFd < 0) return;
  closeFd(parentFd);
  parentFd = -1;
}

/** Carries out what the parent asked, if it asked anything (never waits). */
export function answerParent(): void {
  if (parentFd < 0) return;
  const h = libc();
  const pfd = Buffer.alloc(8);
  pfd.writeInt32LE(parentFd, 0);
  pfd.writeInt16LE(POLLIN, 4);
  if (h.poll(pfd, 1, 0) <= 0) return; // (the cheap question first: this runs between any two of the threads' calls)
  for (;;) {
    const m = h.recvFds(parentFd);
    if (typeof m === 'number') return; // EAGAIN: nothing (more) asked
    if (m === null) {
      closeParentChannel(); // the parent is gone
      return;
    }
    if (m.data.length < 16) continue;
    const seq = m.data.readInt32LE(0);
    const late = wallMs() > m.data.readDoubleLE(8) - ANSWER_MARGIN_MS;
    const r = late ? -E.EACCES : h.setpgid(0, m.data.readInt32LE(4));
    const reply = Buffer.alloc(8);
    reply.writeInt32LE(seq, 0);
    reply.writeInt32LE(r, 4);
    h.sendFds(parentFd, reply, []);
  }
}

function closeFd(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed
  }
}
