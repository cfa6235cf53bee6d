// Guest threads beyond the golden cases (those are test/guest/threads.c in the guest suite):
// the shared code log, and what --strace shows of a thread's life.
import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { CodeLog, CODE_LOG_WORDS } from '../src/engine/codelog.js';
import { GuestMemory, PAGE_SIZE } from '../src/memory/memory.js';
import { libc } from '../src/host/libc.js';
import { ROOT, URUN, urunAsync } from './support/urun.js';

describe('code log', () => {
  it('gives a reader the pages published since it last read, in order', () => {
    const shared = new Int32Array(new SharedArrayBuffer(CODE_LOG_WORDS * 4));
    const writer = new CodeLog(shared), reader = new CodeLog(shared);
    const seen: number[] = [];
    let all = 0;
    let at = reader.read(0, (p) => seen.push(p), () => all++);
    expect(seen).toEqual([]);
    for (const page of [0x400, 0x401, 0xfffff, 0]) writer.publish(page);
    at = reader.read(at, (p) => seen.push(p), () => all++);
    expect(seen).toEqual([0x400, 0x401, 0xfffff, 0]);
    expect(at).toBe(4);
    expect(all).toBe(0);
  });

  it('tells a reader that fell more than a ring behind to drop everything', () => {
    const shared = new Int32Array(new SharedArrayBuffer(CODE_LOG_WORDS * 4));
    const log = new CodeLog(shared);
    for (let i = 0; i < CODE_LOG_WORDS + 5; i++) log.publish(i & 0xfffff);
    const seen: number[] = [];
    let all = 0;
    const at = log.read(0, (p) => seen.push(p), () => all++);
    expect(all).toBe(1);
    expect(seen).toEqual([]);
    expect(at).toBe(CODE_LOG_WORDS + 5);
    // Entries from the ring's second lap carry their own generation: read in order.
    log.publish(7);
    log.read(at, (p) => seen.push(p), () => all++);
    expect(seen).toEqual([7]);
  });
});

describe('clearing a page (madvise of a dead thread\'s stack)', () => {
  it('zeroes a page with data and leaves a zero page as it is', () => {
    const mem = new GuestMemory(true);
    mem.map(0x10000, 2 * PAGE_SIZE, 3);
    mem.bytes[0x10000 + PAGE_SIZE - 1] = 7;
    mem.clearPage(0x10);
    mem.clearPage(0x11);
    expect(mem.bytes.subarray(0x10000, 0x10000 + 2 * PAGE_SIZE).every((b) => b === 0)).toBe(true);
  });

  it('discards private pages through the host once the FFI is loaded, read-only ones too (a file mapping\'s are read again by madvise)', () => {
    libc(); // discardPages uses the host's madvise when this thread has the FFI
    const mem = new GuestMemory(true);
    mem.map(0x20000, 4 * PAGE_SIZE, 3);
    mem.map(0x24000, PAGE_SIZE, 1);
    for (let p = 0; p < 5; p++) mem.bytes[0x20000 + p * PAGE_SIZE + 5] = 9;
    mem.discardPages(0x20, 5);
    expect(mem.bytes.subarray(0x20000, 0x25000).every((b) => b === 0)).toBe(true);
    // Discarded pages are still mapped and writable.
    mem.bytes[0x21000] = 3;
    expect(mem.bytes[0x21000]).toBe(3);
  });
});

describe('a SIGEV_THREAD timer', () => {
  // glibc's helper thread sigwaits for the timer's signal, sent to it alone (SIGEV_THREAD_ID):
  // sent to the process, its default action killed it. (qemu-user's mips never runs it.)
  it.concurrent.each(['mips', 'mipsel', 'armhf', 'armel'])('%s: runs its function on another thread', async (arch) => {
    const r = await urunAsync([path.join(ROOT, 'test/fixtures/bin', arch, 'threads'), 'timer_thread']);
    expect(r.stdout).toBe('SIGEV_THREAD timer: value 55, on another thread: yes\n');
    expect(r.status).toBe(0);
  });
});

describe('threads under --strace', () => {
  it.concurrent.each(['mipsel', 'armhf'])('%s: the new thread logs its calls under its own tid', async (arch) => {
    const r = await urunAsync(['--strace', path.join(ROOT, 'test/fixtures/bin', arch, 'threads'), 'create', '1']);
    expect(r.stdout).toBe('created 1 threads, sum 0\n');
    expect(r.status).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => /^\d+ /.test(l));
    // The first clone moves the caller to a Worker: strace shows it returning '?'.
    const clone = /^(\d+) clone\(/.exec(lines.find((l) => / clone\(/.test(l)) ?? '');
    expect(clone).not.toBeNull();
    const pid = clone![1];
    const tids = [...new Set(lines.map((l) => l.split(' ')[0]))];
    expect(tids).toHaveLength(2);
    const childTid = tids.find((t) => t !== pid);
    // The child's own calls (it ends with exit, not exit_group) carry its tid.
    expect(lines).toContain(`${childTid} exit(0) = ?`);
    // Forwarded calls are logged once, by the thread making them.
    expect(lines.filter((l) => l.startsWith(`${pid} exit_group(0)`))).toHaveLength(1);
  });
});

describe('a thread blocked in read', () => {
  it.concurrent.each(['mips', 'armel'])('%s: does not stop the other threads\' syscalls', async (arch) => {
    const child = spawn(process.execPath, [URUN, path.join(ROOT, 'test/fixtures/bin', arch, 'threads'), 'blockread'], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    // The input comes only once the main thread has printed while the reader blocks.
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('waiting for input\n')) resolve();
      });
    });
    child.stdin.end('late\n');
    expect(await done).toBe(0);
    expect(out).toBe('waiting for input\nread: late\n');
  });
});
