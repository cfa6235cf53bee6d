// Who sent a signal that came from another process. Node's signal listeners get no siginfo,
// so a urun process that signals another one says who it is (its pid and uid, the si_code,
// a sigqueue value) in a small file of the receiver's, its inbox, before the host signal
// goes; the receiver takes the oldest matching record when the signal arrives. A process
// opens its inbox once it listens for host signals (a handler, a signalfd, a blocked signal
// waited for); a signal to a process group leaves a record in each member's inbox (see kill
// in src/syscalls/signals.ts); one from a process that is not urun, or to every process
// (kill -1), has none (si_pid 0).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { wallMs, type SigInfo } from './signals.js';

/** One record: host signal, si_code, sender pid, sender uid, value, (unused), wall-clock ms. */
const RECORD_BYTES = 32;
/** A record older than this when its signal comes is not that signal's (a lost or failed kill). */
const RECORD_LIFE_MS = 10_000;
/** Past this much read, an emptied inbox starts again as a new file. */
const ROTATE_BYTES = 64 * 1024;

export interface Sender { code: number; pid: number; uid: number; value?: number }

const inboxDir = (): string => {
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  return path.join(base, `urun-signals-${process.getuid?.() ?? 0}`);
};
const inboxOf = (pid: number): string => path.join(inboxDir(), String(pid));

interface Inbox { fd: number; at: number; unread: { hostSig: number; sender: Sender; sentAt: number }[] }
let inbox: Inbox | null = null;

/** Opens this process's inbox (once; a stale one a dead process of the same pid left is emptied). */
export function openInbox(): void {
  if (inbox) return;
  try {
    fs.mkdirSync(inboxDir(), { mode: 0o700, recursive: true });
    sweepDeadInboxes();
    inbox = { fd: fs.openSync(inboxOf(process.pid), 'w+', 0o600), at: 0, unread: [] };
    process.on('exit', closeInbox);
  } catch {
    // No inbox: signals from other processes carry no sender.
  }
}

/** Past this many inboxes, opening one removes those of processes gone (killed by a signal urun did not hear, SIGKILL). */
const SWEEP_AT = 64;

function sweepDeadInboxes(): void {
  const names = fs.readdirSync(inboxDir());
  if (names.length < SWEEP_AT) return;
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') fs.rmSync(inboxOf(pid), { force: true });
    }
  }
}

/** At exit (or death by a signal): the inbox goes. */
export function closeInbox(): void {
  if (!inbox) return;
  try {
    fs.unlinkSync(inboxOf(process.pid));
    fs.closeSync(inbox.fd);
  } catch {
    // already gone
  }
  inbox = null;
}

/** Before host signal `hostSig` goes to process `pid`: tells it who sends it, if it has an inbox. */
export function noteSender(pid: number, hostSig: number, sender: Sender): void {
  let fd: number;
  try {
    fd = fs.openSync(inboxOf(pid), fs.constants.O_WRONLY | fs.constants.O_APPEND);
  } catch {
    return; // not a urun process that listens for signals
  }
  const r = Buffer.alloc(RECORD_BYTES);
  r.writeInt32LE(hostSig, 0);
  r.writeInt32LE(sender.code, 4);
  r.writeInt32LE(sender.pid, 8);
  r.writeInt32LE(sender.uid, 12);
  r.writeInt32LE(sender.value ?? 0, 16);
  r.writeInt32LE(sender.value === undefined ? 0 : 1, 20);
  r.writeDoubleLE(wallMs(), 24);
  try {
    fs.writeSync(fd, r); // (one write with O_APPEND: records from several senders never interleave)
  } catch {
    // full: no sender
  } finally {
    fs.closeSync(fd);
  }
}

/** Who sent the host signal `hostSig` that just came (the oldest record of it), if anyone said. */
export function takeSender(hostSig: number): Partial<SigInfo> {
  if (!inbox) return {};
  readNew(inbox);
  const now = wallMs();
  inbox.unread = inbox.unread.filter((u) => now - u.sentAt < RECORD_LIFE_MS);
  const i = inbox.unread.findIndex((u) => u.hostSig === hostSig);
  if (i < 0) return {};
  const { sender } = inbox.unread.splice(i, 1)[0];
  if (inbox.unread.length === 0 && inbox.at >= ROTATE_BYTES) rotate(inbox);
  return { ...sender };
}

function readNew(box: Inbox): void {
  const chunk = Buffer.alloc(4096);
  for (;;) {
    const n = fs.readSync(box.fd, chunk, 0, chunk.length, box.at);
    const whole = n - (n % RECORD_BYTES);
    for (let o = 0; o < whole; o += RECORD_BYTES) {
      const hasValue = chunk.readInt32LE(o + 20) === 1;
      const sender: Sender = { code: chunk.readInt32LE(o + 4), pid: chunk.readInt32LE(o + 8), uid: chunk.readInt32LE(o + 12) };
      if (hasValue) sender.value = chunk.readInt32LE(o + 16);
      box.unread.push({ hostSig: chunk.readInt32LE(o), sender, sentAt: chunk.readDoubleLE(o + 24) });
    }
    box.at += whole;
    if (n < chunk.length) return;
  }
}

/**
 * A new empty file in the inbox's place: senders that opened the old one just before still
 * append there, which one last read collects.
 */
function rotate(box: Inbox): void {
  const name = inboxOf(process.pid);
  try {
    const fresh = fs.openSync(`${name}.new`, 'w+', 0o600);
    fs.renameSync(`${name}.new`, name);
    readNew(box);
    fs.closeSync(box.fd);
    box.fd = fresh;
    box.at = 0;
  } catch {
    // keeps the old file
  }
}
