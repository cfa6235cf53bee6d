// The execution history behind gdb's reverse execution (urun -g PORT --reverse). While it
// records, the guest runs one step at a time through the interpreter (stepper.ts) and time
// is counted in steps. Going back is "restore an earlier checkpoint, then replay forward":
//
// - A checkpoint holds the registers at a step and, for every page first written after it
//   (until the next checkpoint), the page's contents and permission as they were at the
//   checkpoint. Restoring checkpoint k from a later point puts back the saved pages of every
//   checkpoint from the current one down to k: memory is then exactly what it was at k.
//   Stores are seen through the stepper's accessors; the kernel's writes through the checks
//   every syscall makes before writing guest memory (GuestMemory.checkRange / checkWrite,
//   and map / unmap / protect for the memory map), patched on the process's memory object.
// - Replay is deterministic except for what comes from outside the guest: a step that
//   enters the kernel (syscall, svc) or reads the cycle counter (rdhwr $2) is logged with the
//   registers after it and the guest memory and permissions the kernel wrote, and replay
//   applies that instead of running it (a write() does not write again); what happens
//   between steps (a signal delivered, a fault's handler entered, a vfork switching context,
//   registers or memory changed by gdb) is logged the same way at the step it precedes.
//
// Costs: a checkpoint every CHECKPOINT_STEPS steps (at most MAX_CHECKPOINTS: past that the
// older half is thinned, so old history costs longer replays, never unbounded memory per
// step), each with one copy of every page written in its interval; plus the logged steps'
// registers and kernel writes. Going back costs restoring the pages of the checkpoints
// passed and replaying up to one interval. Only single-threaded guests: the stub lets gdb go
// when a thread starts. Shared mappings (MAP_SHARED files, SysV segments) are not rewound.
import type { CpuState, GuestCpu } from '../engine/cpu.js';
import type { GuestProcess } from '../engine/process.js';
import { GuestMemory, PAGE_CODE, PAGE_SHIFT, PAGE_SIZE } from '../memory/memory.js';

/** Steps between checkpoints: replaying this many takes a few ms in the interpreter. */
export const CHECKPOINT_STEPS = 50_000;
/** Past this many checkpoints, every other one in the older half is merged into its predecessor. */
const MAX_CHECKPOINTS = 512;
/** Exclusive-monitor state the interpreter keeps outside CpuState (MIPS LL/SC, ARM LDREX/STREX). */
const MONITOR_FIELDS = ['llbit', 'lladdr', 'llvalue', 'exclusive', 'exclValue', 'exclHigh'] as const;

interface SavedPage {
  bytes: Uint8Array;
  perm: number;
}

interface Checkpoint {
  step: number;
  state: CpuState;
  monitor: number[];
  /** Pages first written after this checkpoint, as they were at it. */
  pages: Map<number, SavedPage>;
}

/** What replay applies at a step: the registers and the memory the outside world left. */
interface LoggedChange {
  state: CpuState;
  writes: { addr: number; bytes: Uint8Array }[];
  perms: { first: number; perms: Uint8Array }[];
}

interface StepLog {
  /** Changes made between steps, applied on arriving at the step. */
  before: LoggedChange[];
  /** The step itself when it entered the kernel or read the clock: applied instead of running it. */
  replaced: LoggedChange | null;
}

export class History {
  /** Steps from the start of the recording to where the guest is now. */
  pos = 0;
  /** Steps recorded: pos < end means the guest is in the past, replaying. */
  end = 0;
  private readonly checkpoints: Checkpoint[] = [];
  private readonly log = new Map<number, StepLog>();
  /** The steps that have a log entry, ascending; replay keeps `nextLogged`, the first at or after pos. */
  private readonly loggedSteps: number[] = [];
  private nextLogged = Infinity;
  private cursor = 0;
  /** Guest ranges and page ranges the kernel wrote since the last logged change. */
  private kernelWrites: [number, number][] = [];
  private permWrites: [number, number][] = [];
  /** The registers as the last stepping left them; a change by then is logged (see sync). */
  private leftAt: CpuState | null = null;
  private readonly mem: GuestMemory;
  private readonly cpu: GuestCpu;
  /** Bytes held by saved pages and logged changes (for the cost report). */
  bytesHeld = 0;

  constructor(private readonly proc: GuestProcess) {
    this.mem = proc.mem;
    this.cpu = proc.cpu;
    this.checkpoints.push(this.checkpoint(0));
    this.patchMemory();
  }

  get replaying(): boolean {
    return this.pos < this.end;
  }

  /** What the recording holds and costs, in plain words (gdb's `monitor history`). */
  summary(): string {
    let logged = 0;
    for (const e of this.log.values()) logged += e.before.length + (e.replaced ? 1 : 0);
    const mb = (this.bytesHeld / 2 ** 20).toFixed(1);
    return `urun: history of ${this.end} steps (now at step ${this.pos}): ${this.checkpoints.length} checkpoints, ` +
      `${logged} logged changes (syscalls, signals...), about ${mb} MiB held`;
  }

  /** Stops recording: the memory object's methods are its own again. */
  dispose(): void {
    for (const name of PATCHED) delete (this.mem as unknown as Record<string, unknown>)[name];
  }

  // ---- recording ----

  /** A store by the guest step that is running now (the stepper's accessors call this). */
  noteStore(addr: number, size: number): void {
    if (this.pos < this.end) return;
    const first = (addr >>> 0) >>> PAGE_SHIFT;
    const last = ((addr >>> 0) + size - 1) >>> PAGE_SHIFT;
    const pages = this.checkpoints[this.checkpoints.length - 1].pages;
    if (!pages.has(first)) this.savePage(pages, first);
    if (last !== first && last < 2 ** (32 - PAGE_SHIFT) && !pages.has(last)) this.savePage(pages, last);
  }

  /** A write by the kernel (or gdb) to guest memory, about to happen. */
  noteKernelWrite(addr: number, len: number): void {
    if (this.pos < this.end || len <= 0) return;
    this.kernelWrites.push([addr >>> 0, len]);
    this.savePages(addr, len);
  }

  private notePermChange(addr: number, len: number): void {
    if (this.pos < this.end || len <= 0) return;
    this.permWrites.push([(addr >>> 0) >>> PAGE_SHIFT, len >>> PAGE_SHIFT]);
    this.kernelWrites.push([addr >>> 0, len]);
    this.savePages(addr, len);
  }

  private savePages(addr: number, len: number): void {
    const pages = this.checkpoints[this.checkpoints.length - 1].pages;
    const last = Math.min((addr >>> 0) + len - 1, 2 ** 32 - 1);
    for (let p = (addr >>> 0) >>> PAGE_SHIFT; p <= last >>> PAGE_SHIFT; p++) if (!pages.has(p)) this.savePage(pages, p);
  }

  private savePage(pages: Map<number, SavedPage>, page: number): void {
    pages.set(page, { bytes: this.mem.bytes.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE), perm: this.mem.perm[page] });
    this.bytesHeld += PAGE_SIZE;
  }

  /**
   * Before stepping on from where the guest stopped: logs what changed since the last step
   * (registers, memory written by the kernel or gdb), to be applied on arriving here.
   */
  sync(): void {
    if (this.pos < this.end) return;
    const s = this.cpu.saveState();
    if (this.leftAt !== null && this.kernelWrites.length === 0 && sameState(this.leftAt, s)) return;
    this.entry(this.pos).before.push(this.change(s));
  }

  /** The guest stops stepping (a stop, an exception, a visit to the event loop). */
  leave(): void {
    if (this.pos < this.end) return;
    this.leftAt = this.cpu.saveState();
  }

  /** Before a live step: kernel writes noted from here on belong to it. */
  beginStep(): void {
    if (this.kernelWrites.length !== 0) this.kernelWrites = [];
    if (this.permWrites.length !== 0) this.permWrites = [];
  }

  /** After a live step ran; `logged`: it entered the kernel or read the clock. */
  endStep(logged: boolean): void {
    if (logged) this.entry(this.pos).replaced = this.change(this.cpu.saveState());
    this.pos = ++this.end;
    if (this.pos - this.checkpoints[this.checkpoints.length - 1].step >= CHECKPOINT_STEPS) {
      this.checkpoints.push(this.checkpoint(this.pos));
      if (this.checkpoints.length > MAX_CHECKPOINTS) this.thin();
    }
  }

  private change(state: CpuState): LoggedChange {
    const { bytes, perm } = this.mem;
    const writes = this.kernelWrites.map(([addr, len]) => ({ addr, bytes: bytes.slice(addr, addr + len) }));
    const perms = this.permWrites.map(([first, count]) => ({ first, perms: perm.slice(first, first + count) }));
    this.kernelWrites = [];
    this.permWrites = [];
    this.bytesHeld += 400 + writes.reduce((n, w) => n + w.bytes.length, 0) + perms.reduce((n, p) => n + p.perms.length, 0);
    return { state, writes, perms };
  }

  private entry(step: number): StepLog {
    let e = this.log.get(step);
    if (!e) {
      this.log.set(step, (e = { before: [], replaced: null }));
      // Recording only adds at the end of the history.
      this.loggedSteps.push(step);
    }
    return e;
  }

  /** Finds the first logged step at or after pos (after a rewind). */
  private seekLogged(): void {
    const steps = this.loggedSteps;
    let lo = 0, hi = steps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (steps[mid] < this.pos) lo = mid + 1;
      else hi = mid;
    }
    this.cursor = lo;
    this.nextLogged = lo < steps.length ? steps[lo] : Infinity;
  }

  private checkpoint(step: number): Checkpoint {
    const c = this.cpu as unknown as Record<string, number>;
    this.bytesHeld += 400;
    return { step, state: this.cpu.saveState(), monitor: MONITOR_FIELDS.map((f) => c[f] ?? 0), pages: new Map() };
  }

  /**
   * Merges every other checkpoint of the older half into the one before it: the pages it
   * saved that its predecessor did not are as they were at the predecessor too.
   */
  private thin(): void {
    const cps = this.checkpoints;
    const keep: Checkpoint[] = [cps[0]];
    const half = cps.length >> 1;
    for (let i = 1; i < cps.length; i++) {
      const c = cps[i];
      if (i < half && i % 2 === 1) {
        const prev = keep[keep.length - 1];
        for (const [page, saved] of c.pages) {
          if (prev.pages.has(page)) this.bytesHeld -= PAGE_SIZE;
          else prev.pages.set(page, saved);
        }
        continue;
      }
      keep.push(c);
    }
    cps.length = 0;
    cps.push(...keep);
  }

  // ---- travelling ----

  /** Goes back to the latest checkpoint at or before `step` (then replay moves on from there). */
  rewind(step: number): void {
    const cps = this.checkpoints;
    let k = cps.length - 1;
    while (cps[k].step > step) k--;
    let cur = cps.length - 1;
    while (cps[cur].step > this.pos) cur--;
    const { bytes, perm } = this.mem;
    const codePages = new Set<number>();
    for (let i = cur; i >= k; i--) {
      for (const [page, saved] of cps[i].pages) {
        bytes.set(saved.bytes, page * PAGE_SIZE);
        if (perm[page] & PAGE_CODE) codePages.add(page);
        perm[page] = (saved.perm & ~PAGE_CODE) | (perm[page] & PAGE_CODE);
      }
    }
    for (const page of codePages) this.proc.engine.invalidatePage(page);
    const c = cps[k];
    this.cpu.loadState(c.state);
    const fields = this.cpu as unknown as Record<string, number>;
    MONITOR_FIELDS.forEach((f, i) => {
      if (f in fields) fields[f] = c.monitor[i];
    });
    this.pos = c.step;
    this.seekLogged();
    this.arrive();
  }

  /** Whether the step at pos is replaced by a logged change (see replayLogged). */
  loggedHere(): boolean {
    return this.pos === this.nextLogged && this.log.get(this.pos)!.replaced !== null;
  }

  /** Replays the logged step at pos; returns the guest ranges it wrote. */
  replayLogged(): { addr: number; bytes: Uint8Array }[] {
    const c = this.log.get(this.pos)!.replaced!;
    this.apply(c);
    return c.writes;
  }

  /** The step at pos was replayed: on to the next, applying what came before it. */
  advance(): void {
    this.pos++;
    if (this.pos < this.nextLogged) return;
    if (this.pos > this.nextLogged) {
      this.cursor++;
      this.nextLogged = this.cursor < this.loggedSteps.length ? this.loggedSteps[this.cursor] : Infinity;
    }
    this.arrive();
  }

  private arrive(): void {
    if (this.pos !== this.nextLogged) return;
    for (const c of this.log.get(this.pos)!.before) this.apply(c);
  }

  private apply(c: LoggedChange): void {
    const { bytes, perm } = this.mem;
    for (const p of c.perms) {
      for (let i = 0; i < p.perms.length; i++) perm[p.first + i] = (p.perms[i] & ~PAGE_CODE) | (perm[p.first + i] & PAGE_CODE);
    }
    for (const w of c.writes) {
      bytes.set(w.bytes, w.addr);
      this.proc.engine.invalidateRange(w.addr, w.bytes.length);
    }
    this.cpu.loadState(c.state);
  }

  // ---- the kernel's writes ----

  private patchMemory(): void {
    const mem = this.mem;
    const proto = GuestMemory.prototype;
    const patched: Partial<Record<(typeof PATCHED)[number], unknown>> = {
      checkWrite: (a: number) => {
        this.noteKernelWrite(a, 1);
        proto.checkWrite.call(mem, a);
      },
      checkRange: (a: number, len: number, write: boolean) => {
        if (write) this.noteKernelWrite(a, len);
        return proto.checkRange.call(mem, a, len, write);
      },
      clearPage: (page: number) => {
        this.noteKernelWrite(page * PAGE_SIZE, PAGE_SIZE);
        proto.clearPage.call(mem, page);
      },
      map: (a: number, len: number, prot: number) => {
        this.notePermChange(a, len);
        proto.map.call(mem, a, len, prot);
      },
      unmap: (a: number, len: number) => {
        this.notePermChange(a, len);
        proto.unmap.call(mem, a, len);
      },
      protect: (a: number, len: number, prot: number) => {
        this.notePermChange(a, len);
        return proto.protect.call(mem, a, len, prot);
      },
    };
    Object.assign(mem, patched);
  }
}

const PATCHED = ['checkWrite', 'checkRange', 'clearPage', 'map', 'unmap', 'protect'] as const;

function sameState(a: CpuState, b: CpuState): boolean {
  if (a.pc !== b.pc || a.fpControl !== b.fpControl || a.fpMode !== b.fpMode || a.tls !== b.tls) return false;
  for (let i = 0; i < a.R.length; i++) if (a.R[i] !== b.R[i]) return false;
  for (let i = 0; i < a.fpu.length; i++) if (a.fpu[i] !== b.fpu[i]) return false;
  return true;
}
