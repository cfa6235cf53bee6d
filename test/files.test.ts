// Files as the kernel has them (test/guest/files.c): locks between processes, a seekable
// redirected stdin, errno for path errors, statx, fallocate, copy_file_range, inotify, the
// *at calls and a pseudo-terminal, against qemu-user goldens (test/fixtures/process-cases.json,
// family "files"); busybox seeking its stdin is busybox/seek in test/busybox.test.ts.
//
// What qemu-user gets wrong is checked here against Linux itself: /proc/cpuinfo (qemu shows
// the host's CPU), the processor count, readdir (qemu passes the 64-bit host's ext4
// d_off cookies to 32-bit guests, whose readdir then fails with EOVERFLOW), /proc/self/mem
// (qemu hands the guest its own process's memory file, where guest addresses mean nothing)
// and mremap's MREMAP_DONTUNMAP.
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// @ts-expect-error: plain ESM helper shared with the fixture build script
import { BIN_DIR } from './fixtures/cases.mjs';
import { processCases } from './support/process-cases.js';
import { URUN, urunAsync } from './support/urun.js';

processCases(['files']);

const ARCHES = ['mips', 'mipsel', 'armhf', 'armel'];
const files = (arch: string) => path.join(BIN_DIR as string, arch, 'files');

/** Runs `fn` with a new temporary directory, removed afterwards whatever happens. */
async function inTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function guest(arch: string, args: string[]): Promise<string> {
  const r = await urunAsync([files(arch), ...args], { env: {} });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('descriptors urun\'s parent leaves open', () => {
  it('are the guest\'s at the same numbers (a shell\'s 5>file, 4<file), and Node\'s own are not', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-fds-'));
    const input = path.join(dir, 'in'), output = path.join(dir, 'out');
    fs.writeFileSync(input, 'from fd 4\n');
    const inFd = fs.openSync(input, 'r'), outFd = fs.openSync(output, 'w');
    const busybox = path.join(BIN_DIR as string, 'mipsel', 'busybox');
    // (busybox sh: read from 4, write to 5, then list what is open above 2.)
    const r = spawnSync(process.execPath, [URUN, busybox, 'sh', '-c', 'read line <&4; echo "$line, to fd 5" >&5; ls -l /proc/self/fd'],
      { stdio: ['ignore', 'pipe', 'pipe', 'ignore', inFd, outFd], encoding: 'utf8' });
    fs.closeSync(inFd);
    fs.closeSync(outFd);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(output, 'utf8')).toBe('from fd 4, to fd 5\n');
    // Node's event loop descriptors (epoll, eventfd, its pipes) are not the guest's. (Others
    // the test runner itself inherited may be.)
    expect(r.stdout).toMatch(/ 4 -> .*\/in\n/);
    expect(r.stdout).toMatch(/ 5 -> .*\/out\n/);
    expect(r.stdout).not.toContain('anon_inode');
    // Nor are urun's own: the program file it held open while loading it.
    expect(r.stdout).not.toContain('busybox');
    fs.rmSync(dir, { recursive: true });
  });

  it('are closed for good when a forked child closes one: a host program it then runs does not get it (the spare urun a later fork becomes kept the host\'s own copy of one Node left inheritable)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-fds-'));
    const outFd = fs.openSync(path.join(dir, 'out'), 'w');
    const busybox = path.join(BIN_DIR as string, 'mipsel', 'busybox');
    // Descriptor 40, past a gap: Node marks close-on-exec only those up to the first gap past 15
    // (libuv's uv_disable_stdio_inheritance). The first fork, for /bin/true, starts the spare;
    // the subshell's fork is handed to it.
    const stdio: ('ignore' | 'pipe' | number)[] = ['ignore', 'pipe', 'pipe', ...Array<'ignore'>(37).fill('ignore'), outFd];
    const r = spawnSync(process.execPath, [URUN, busybox, 'sh', '-c', '/bin/true; (exec 40>&-; exec /bin/ls /proc/self/fd); echo parent >&40'],
      { stdio, encoding: 'utf8' });
    fs.closeSync(outFd);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n')).not.toContain('40');
    expect(fs.readFileSync(path.join(dir, 'out'), 'utf8')).toBe('parent\n');
    fs.rmSync(dir, { recursive: true });
  });
});

describe.each(['mipsel', 'armhf', 'armel'])('descriptors 0-2 closed where urun starts, on %s', (arch) => {
  it('stay closed for the guest (Node opens /dev/null in their place): a write to stdout and a read of stdin fail with EBADF', () => {
    const busybox = path.join(BIN_DIR as string, arch, 'busybox');
    const script = 'echo out; echo "echo=$?" >&2; cat >&2; echo "cat=$?" >&2';
    // Through a shell that closes them, as `prog <&- >&-` does: bin/urun's shell line sees them closed.
    const r = spawnSync('/bin/sh', ['-c', 'exec "$0" "$@" <&- >&-', URUN, busybox, 'sh', '-c', script], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    // (Before, the guest's writes went to Node's /dev/null: echo=0, and cat read an empty stdin: cat=0.)
    expect(r.stderr).toContain('echo=1\n');
    expect(r.stderr).toContain('cat=1\n');
    expect(r.stderr).toContain('Bad file descriptor');
  });
});

describe.each(ARCHES)('timers, on %s', (arch) => {
  it.concurrent('alarm(1) in a loop without system calls, 5 s into the run, ends it about a second later (a wake-up once came as late as the run was old)', async () => {
    const start = performance.now();
    const r = await urunAsync([files(arch), 'alarm_busy'], { env: {} });
    expect(r.status).toBe(142);
    // 5 s of sleep and 1 s of alarm; the wake-up that was late by the time already run ended it after 11 s or more.
    expect((performance.now() - start) / 1000).toBeLessThan(9);
  }, 30_000);
});

describe.each(ARCHES)('bytes that are not UTF-8, on %s', (arch) => {
  it.concurrent('reach the guest as they are: arguments, environment, a directory\'s name (getcwd, /proc/self/cwd), /proc/self/cmdline, and through execve', async () => {
    await inTempDir('urun-raw-', async (dir) => {
      // (Node passes only UTF-8 arguments to a child: the shell makes the bytes.)
      const r = spawnSync('/bin/sh', ['-c', `RAW=$(printf '\\351t\\351') exec "$0" "$1" "$2" raw_bytes "$3" "$(printf 'a\\351')" "$(printf '\\377\\376')" ok`,
        process.execPath, URUN, files(arch), dir], { encoding: 'latin1', env: {} });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe('arg 61e9\narg fffe\narg 6f6b\nenv e974e9\ngetcwd tail 2f64e9\ncwd link tail 2f64e9\ncmdline last 6f6b\n' +
        'arg e9e8\nenv 78ff\n');
    });
  });
});

describe.each(ARCHES)('what qemu-user gets wrong, as native x86 Linux gives it for the same C, on %s', (arch) => {
  it.concurrent('/proc/self/mem reads and writes the guest\'s memory at the file offset, read-only pages too, EIO where nothing is mapped', async () => {
    expect(await guest(arch, ['proc_mem'])).toBe('read 6 SECRET\nread on 4 DATA\npwrite 7: WRITTENxxx\nup to an unmapped page: 6\n' +
      'unmapped: -1 EIO\ninto a read-only page: 2, now XY\n');
  });

  it.concurrent('/proc/self/cmdline is the argument strings as the program has rewritten them ($0 in perl, setproctitle), past their end up to a NUL when it wrote over the last one', async () => {
    // (Past their end only as far as the environment's strings go: here 15 bytes of them.)
    const r = await urunAsync([files(arch), 'cmdline_rewrite', 'abc', 'de'], { env: { PAD: '0123456789' } });
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout;
    const area = Number(/area (\d+)/.exec(out)![1]);
    expect(out).toBe(`renamed ${area + 1}:renamed${'|'.repeat(area + 1 - 7)}\ntitle ${area + 3}:${'x'.repeat(area - 3)}title|\narea ${area}\n`);
  });

  it.concurrent('a 2 GiB mmap length is unsigned: the mapping leaves the stack alone (qemu-user maps it at 0)', async () => {
    expect(await guest(arch, ['mmap_huge'])).toBe('stack clear of it: 1, stack still writable: 7\n');
  });

  it.concurrent('the old calls glibc no longer makes: utimes, futimesat (a NULL path is the descriptor\'s), statfs, getdents, nice (0, not the niceness), the one-word signal calls (SIG_SETMASK keeps the real-time signals)', async () => {
    await inTempDir('urun-old-', async (dir) => {
      expect(await guest(arch, ['old_calls', dir])).toBe('utimes: 0, atime 1000000000.250000000 mtime 1100000000.500000000\n' +
        'utimes, usec 1000000: -1 EINVAL\nfutimesat: 0, mtime 1100000000.000007000\nfutimesat(fd, NULL, NULL): 0, mtime now: 1\n' +
        'statfs: 0, type same, bsize same\nfstatfs: 0, same as statfs: 1\ngetdents: all found 1, d_type right 4 of 4, reclen 4-aligned 1\n' +
        'getdents on a closed fd: -1 EBADF\nnice(2): 0, niceness +2\nsched_rr_get_interval: 0, sane 1\n' +
        'sigaction: 0, handler read back 1, mask 0\nsigprocmask: 0, was 0, pending SIGUSR1 1, handled 0\nunblocked: 0, handled 1\n' +
        'one-word SIG_SETMASK keeps SIGRTMIN+1 blocked: 1\nsigaction(SIGKILL): -1 EINVAL\n');
    });
  });

  it.concurrent('event descriptors as files: no write on a timerfd or signalfd (a blocking timerfd write waited for ever), readv/writev of an eventfd in guest byte order (qemu-user swaps it wrong on mips), a forked child\'s signalfd reads its own signals, packet-mode pipes', async () => {
    expect(await guest(arch, ['event_files'])).toBe('eventfd writev 8, readv 8, counter 0x406\nblocking timerfd write: -1 EINVAL\n' +
      'timerfd write from a bad pointer: -1 EINVAL\nsignalfd write: -1 EINVAL\n' +
      `child's signalfd read: 128, signo ${arch.startsWith('mips') ? 16 : 10}\nparent's signalfd after the child's signal: -1 EAGAIN\n` +
      'packet pipe reads: 3 then 2\n');
  });

  it.concurrent('posix_spawn, system and popen from a second thread and beside one: the vfork child runs in place (a missing program or file to open is ENOENT; qemu-user: 0), its file actions, working directory, umask and signal defaults its own', async () => {
    const inRoot = (who: string) => `${who}: addchdir OK, child in /\n${who}: parent still in /dev: 1\n` +
      `${who}: after a vfork child's umask and chdir: umask 022, in /dev: 1\n`;
    const round = (who: string, n: number) => `${who}: posix_spawnp OK, read ${n}: child says ${who}\n` +
      `${who}: status 5, pipe's read end still open here: 1, SIGUSR1 handler kept: 1\n${who}: missing program: ENOENT\n` +
      `${who}: missing file to open: ENOENT\n${inRoot(who)}${who}: system: 3\n${who}: popen works\n${who}: pclose 0\n`;
    expect(await guest(arch, ['spawn_threaded'])).toBe(inRoot('no thread yet') + round('second thread', 25) + round('first thread', 24));
  });

  it.concurrent('poll and select over more than 1024 descriptors and epoll_wait handing over more than 1024 events in a call, MADV_DONTNEED of a private file mapping reads the file again and of anonymous pages of any protection zeroes them, /proc/self/smaps lists the mappings maps does (qemu-user: the host\'s)', async () => {
    expect(await guest(arch, ['many_fds'])).toBe('socket pairs: 800\npoll over 1600: 1600 ready\nepoll_wait: 1600 events in one call\n' +
      'select on descriptor 1500: 1\npselect with nfds 5000 and no sets: 0\n' +
      'private file page after MADV_DONTNEED: filecontent\nread-only one: f, then FILEcontent\n' +
      'anonymous read-only and PROT_NONE pages after MADV_DONTNEED: 0 0\nsmaps starts as maps: 1, its size in kB: 1\n');
  });

  it.concurrent('socket ioctls: SIOCOUTQ (TIOCOUTQ\'s number), SIOCATMARK around urgent data, SIOCGSTAMP', async () => {
    expect(await guest(arch, ['socket_ioctls'])).toBe('SIOCOUTQ, nothing queued: 0, 0\nat the mark before reading: 0\n' +
      'read 2, then at the mark: 1\nSIOCGSTAMP: 0, within a minute of now: 1\n');
  });

  it.concurrent('SA_NOCLDWAIT leaves no child for wait, death by a real-time signal, alarm() rounding, SA_NOCLDSTOP, ARM\'s get_tls call, a MIPS break\'s SIGTRAP without an address, the mask a thread\'s execve keeps (qemu-user: reaps none, reports signal 36 for 34, gives the break\'s PC, hangs in the execve)', async () => {
    const [usr1, usr2] = arch.startsWith('mips') ? [16, 17] : [10, 12];
    expect(await guest(arch, ['signals_qemu_misses'])).toBe('SA_NOCLDWAIT wait: -1 ECHILD, SIGCHLD came 1\ndeath by SIGRTMIN+2: 1\n' +
      'alarm(0) after a 2.5 s setitimer: 2\nSA_NOCLDSTOP: SIGCHLDs at the stop 0, in all 1, exit 3\n' +
      (arch.startsWith('arm') ? 'ARM get_tls: the thread pointer 1\n' : 'MIPS break: TRAP_BRKPT 1, no address 1\n') +
      `thread before execve: ${usr1} ${usr2}\nafter execve: ${usr1} ${usr2}\n`);
  });

  it.concurrent('more than 32 POSIX timers, up to RLIMIT_SIGPENDING (old urun: 29, qemu-user: 32 in all)', async () => {
    expect(await guest(arch, ['many_timers'])).toBe('timers made: 40, the 41st: 0, its signal: 1\n');
  });

  it.concurrent('a time before 1970 with a fraction of a second from stat64, fstat64, fstatat64: seconds rounded down, tv_nsec positive (old urun: -315575999.-876543211)', async () => {
    const line = 'mtime -315576000.123456789\n';
    await inTempDir('urun-1970-', async (dir) => {
      expect(await guest(arch, ['stat_before_1970', dir])).toBe('utimensat: 0\nstat64: 0, atime -1.500000000 ' + line +
        'fstat64: 0, ' + line + 'fstatat64: 0, ' + line + 'statx: 0, ' + line);
    });
  });

  it.concurrent('EFBIG past the file system\'s largest file, with no RLIMIT_FSIZE, sends no SIGXFSZ (old urun: SIGXFSZ for every EFBIG, so `truncate -s 20T` on ext4 died of it)', async () => {
    await inTempDir('urun-efbig-', async (dir) => {
      expect(await guest(arch, ['efbig_no_signal', dir])).toBe('fallocate past the largest file: -1 EFBIG, SIGXFSZ 0\n' +
        'again, SIGXFSZ at its default: -1 EFBIG\n');
    });
  });

  it.concurrent('utimensat and futimesat with AT_FDCWD and a NULL path fail with EFAULT, as utimes(NULL) does (old urun: EBADF); a descriptor and a NULL path set its times', async () => {
    await inTempDir('urun-times-', async (dir) => {
      expect(await guest(arch, ['times_null_path', dir])).toBe('utimensat(AT_FDCWD, NULL): -1 EFAULT\nfutimesat(AT_FDCWD, NULL): -1 EFAULT\n' +
        'utimes(NULL): -1 EFAULT\nutimensat(fd, NULL): 0 OK, mtime 2000\n');
    });
  });

  it.concurrent('setxattr of a value longer than XATTR_SIZE_MAX (64 KiB) fails with E2BIG (old urun: cut to 64 KiB and passed on, ENOSPC on ext4); getxattr takes a longer buffer', async () => {
    await inTempDir('urun-xattr-', async (dir) => {
      expect(await guest(arch, ['xattr_too_big', dir])).toBe('setxattr of 65537 bytes: -1 E2BIG\nfsetxattr of 70000 bytes: -1 E2BIG\n' +
        'a 100-byte value, read into 70000 bytes: 1\n');
    });
  });

  it.concurrent('fcntl F_GETOWN (glibc makes it with F_GETOWN_EX), F_SETOWN_EX and F_GETOWN_EX, as under qemu-user (old urun: EINVAL for both _EX calls, so every F_GETOWN failed)', async () => {
    expect(await guest(arch, ['owner_ex'])).toBe('F_GETOWN, no owner: 0 OK\nF_SETOWN to itself: 0 OK\nF_GETOWN is its pid: 1\n' +
      'F_GETOWN_EX: 0 OK, F_OWNER_PID 1, its pid 1\nF_SETOWN_EX to its group: 0 OK\nF_GETOWN is minus its group: 1\n' +
      'F_SETOWN_EX, type 7: -1 EINVAL\nF_GETOWN_EX to a bad address: -1 EFAULT\n');
  });

  it.concurrent('sendfile to a file opened O_APPEND is EINVAL and writes nothing, as on Linux and under qemu-user (old urun: appended the data)', async () => {
    await inTempDir('urun-sendfile-', async (dir) => {
      expect(await guest(arch, ['sendfile_append', dir])).toBe('sendfile to O_APPEND: -1 EINVAL, offset 0, size 0\n' +
        'after F_SETFL 0: 4 OK, offset 4, size 4\n');
    });
  });

  it.concurrent('statx with AT_STATX_FORCE_SYNC and AT_STATX_DONT_SYNC together is EINVAL, as on Linux and under qemu-user (old urun: 0 where it answered from Node\'s stat)', async () => {
    expect(await guest(arch, ['statx_sync_type'])).toBe('AT_STATX_FORCE_SYNC: 0 OK\nAT_STATX_DONT_SYNC: 0 OK\nboth: -1 EINVAL\n');
  });

  it.concurrent('setting the clock to a time Linux would not take: EINVAL, before the privilege check (old urun: EPERM)', async () => {
    expect(await guest(arch, ['settime_invalid'])).toBe('clock_settime before 1970: -1 Invalid argument\nclock_settime tv_nsec 1e9: -1 Invalid argument\n' +
      'settimeofday tv_usec 1e6: -1 Invalid argument\nsettimeofday before 1970: -1 Invalid argument\n' +
      'clock_settime64 past TIME_SETTOD_SEC_MAX: -1 Invalid argument\n');
  });

  it.concurrent('clock_getres (the tick for coarse clocks, EINVAL for no clock), sched_getattr (SCHED_BATCH kept), the CPU mask a forked child keeps, /proc/self/fdinfo of the guest\'s own descriptors (qemu-user: the host\'s flag numbers)', async () => {
    expect(await guest(arch, ['sched_fdinfo'])).toBe('coarse clock\'s resolution, a tick of 1-10 ms: 1\nmonotonic clock\'s resolution: 1 ns\n' +
      'clock_getres of clock 99: -1 Invalid argument\nsched_getattr: 0, size 56, policy 0, priority 0\nsched_getattr with size 8192: -1 Invalid argument\n' +
      'SCHED_BATCH: 0, now 3\nsched_getattr policy: 3\nforked child\'s CPUs: 1\nfdinfo pos:\t1\nfdinfo flags: close-on-exec 1, read-only 1\n' +
      'fdinfo of a descriptor it does not have: -1\n');
  });

  it.concurrent('sched_setattr: checked as Linux checks it (struct size, flags, policy, priority, a deadline\'s parameters), a normal policy kept as sched_setscheduler keeps it (was ENOSYS)', async () => {
    expect(await guest(arch, ['sched_setattr'])).toBe(
      'SCHED_IDLE: 0\n' +
      'policy now 5\n' +
      'sched_getattr: policy 5, priority 0, nice is the same 1\n' +
      'SCHED_BATCH, reset on fork: 0\n' +
      'policy now 0x40000003\n' +
      'keep policy and parameters: 0\n' +
      'policy now 0x40000003\n' +
      'size 0 (48), SCHED_OTHER: 0\n' +
      'policy now 0\n' +
      'size 40: -1 E2BIG\n' +
      'size written back: 56\n' +
      'size 80, zeros past 56: 0\n' +
      'size 80, a byte past 56: -1 E2BIG\n' +
      'size written back: 56\n' +
      'SCHED_FIFO at priority 0: -1 EINVAL\n' +
      'SCHED_OTHER at priority 1: -1 EINVAL\n' +
      'policy 4: -1 EINVAL\n' +
      'flag 0x80: -1 EINVAL\n' +
      'SCHED_DEADLINE, runtime 100 ns: -1 EINVAL\n' +
      'utilisation minimum 2000: -1 EINVAL\n' +
      'flags argument 1: -1 EINVAL\n' +
      'pid -1: -1 EINVAL\n' +
      'no struct: -1 EINVAL\n' +
      'policy at the end 0\n');
  });

  it.concurrent('mprotect PROT_GROWSDOWN on the stack changes the whole stack, which pthread_getattr_np still finds whole; EINVAL elsewhere and for PROT_GROWSUP; PROT_SEM accepted (qemu-user: EINVAL)', async () => {
    expect(await guest(arch, ['growsdown'])).toBe('growsdown on the stack: 0\nstack size is the limit: 1\n' +
      'growsdown elsewhere: -1 Invalid argument\ngrowsup: -1 Invalid argument\nPROT_SEM: 0\n');
  });

  it.concurrent('a file mapping\'s pages past the end of the file raise SIGBUS (BUS_ADRERR, at the address; qemu-user gives no address), a shared one\'s until the file reaches them', async () => {
    await inTempDir('urun-eof-', async (dir) => {
      expect(await guest(arch, ['past_eof', dir])).toBe('last byte x, zeros after it in its page 1\n' +
        'read past the end: SIGBUS 1, BUS_ADRERR 1, at the address 1\nwrite past the end: SIGBUS 1, BUS_ADRERR 1\n' +
        'maps: rw all through 1\nafter mprotect: SIGBUS 1, BUS_ADRERR 1\nan offset past the end: SIGBUS 1, BUS_ADRERR 1\n' +
        'shared, read past the end: SIGBUS 1, BUS_ADRERR 1, at the address 1\nshared, write() from past the end: -1 EFAULT\n' +
        'shared, once the file reaches it: signal 0, the file has it 1\nshared, after a truncation: SIGBUS 1; the first page still reads x\n' +
        'shared, in a thread: SIGBUS 1\nshared, in a thread, once a write made the file reach it: signal 0, the file has it 1\n');
    });
  });

  it.concurrent('file names that are not UTF-8 keep their bytes: created, renamed, linked, read back, listed (qemu-user\'s readdir fails on the host\'s 64-bit cookies)', async () => {
    await inTempDir('urun-raw-', async (dir) => {
      expect(await guest(arch, ['raw_names', dir])).toBe('stat: 0, the other name: 0, a UTF-8 lookalike: -1\nrename: 0\nsymlink: 0\n' +
        'readlink: 2 bytes, 74 ff\nmkdir: 0, chdir: 0\ngetcwd ends with 0x80\nreaddir finds the 4 names: 1\nrmdir: 0, unlink: 0 0 0\n');
    });
  });

  it.concurrent('mremap with MREMAP_FIXED and MREMAP_DONTUNMAP (qemu-user crashes on the latter)', async () => {
    expect(await guest(arch, ['mremap_fixed'])).toBe('fixed: at the target 1, +1 pages, moved / second page, grown page 0\nold range unmapped: 1\n' +
      'dontunmap: moved 1, new moved, old now 0\nfixed without maymove: EINVAL\nunmapped old range: EFAULT\n');
  });

  it.concurrent('what Linux refuses in mmap, munmap, mprotect, madvise and mremap; nothing above user space goes (qemu-user unmaps ARM\'s vectors page, and dies)', async () => {
    expect(await guest(arch, ['mm_args'])).toBe('anonymous, neither shared nor private: EINVAL\nanonymous, MAP_SHARED_VALIDATE: EINVAL\n' +
      'a file, MAP_SHARED_VALIDATE: ok\na file, MAP_SHARED_VALIDATE with an unknown flag: EOPNOTSUPP\na file, neither shared nor private: EINVAL\n' +
      'a pipe: ENODEV\na socket, shared: ENODEV\n' +
      'madvise over a hole: ENOMEM\naround the hole: 0 0\nmadvise of the hole: ENOMEM\nmadvise of nothing: ok\n' +
      'MADV_REMOVE of a private mapping: EINVAL\nMADV_REMOVE of a shared one: ok\n' +
      'mremap of a private mapping\'s 0 bytes: EINVAL\nmunmap above user space: EINVAL\nmprotect above user space: ENOMEM\n' +
      'madvise above user space: ENOMEM\nthe vectors page still works: 1\n');
  });

  it.concurrent('RLIMIT_AS bounds every mapping, RLIMIT_DATA the private writable ones and the break, as on Linux (qemu-user enforces neither)', async () => {
    expect(await guest(arch, ['mm_rlimits'])).toBe('RLIMIT_AS 256 MiB: ok\nmap 300 MiB, PROT_NONE: ENOMEM\nmap 100 MiB: ok\n' +
      'another 100 MiB, shared: ok\nanother 100 MiB: ENOMEM\nmalloc 100 MiB: ENOMEM\ngrow the first to 200 MiB (may move): ENOMEM\n' +
      'map over the first, fixed: ok\nmap 100 MiB after unmapping as much: ok\nRLIMIT_DATA 64 MiB: ok\n' +
      'map 100 MiB, private writable: ENOMEM\nmap 100 MiB, read-only: ok\nmap 100 MiB, shared writable: ok\n' +
      'sbrk 100 MiB: ENOMEM\nsbrk 1 MiB: ok\nmalloc 100 MiB: ENOMEM\n');
  });

  it.concurrent('a page mapped executable or writable, not readable, is readable all the same, as on Linux and under qemu-user', async () => {
    expect(await guest(arch, ['mm_implied_read'])).toBe('exec-only: 0, write-only: 5, made exec-only: 42\n');
  });

  it.concurrent('/proc/self/maps marks shared mappings \'s\' and names shared anonymous memory /dev/zero (deleted), as Linux and qemu-user do', async () => {
    expect(await guest(arch, ['maps_shared'])).toBe('shared anonymous: rw-s /dev/zero (deleted)\nits first page made read-only: r--s /dev/zero (deleted)\n' +
      'a file, shared: r--s (a file)\na file, private: r--p (a file)\nprivate anonymous: rw-p \n');
  });

  it.concurrent('/proc/self/stat\'s vsize is the guest\'s own mappings, as on Linux (it was the host process\'s, which a 32-bit strtoul saturates)', async () => {
    expect(await guest(arch, ['stat_vsize'])).toBe('vsize below 1 GiB: yes, grew by 64 MiB: yes\n');
  });
});

/**
 * A sysroot in `real` (under the host's /tmp) holding `file`, /etc/localzone, a symlink whose
 * absolute target /usr/share/zone only the sysroot has, and an /etc where the guest may make files.
 */
function zoneSysroot(real: string): void {
  fs.writeFileSync(path.join(real, 'file'), 'in the host\'s /tmp\n');
  fs.mkdirSync(path.join(real, 'etc'));
  fs.mkdirSync(path.join(real, 'usr', 'share'), { recursive: true });
  fs.writeFileSync(path.join(real, 'usr', 'share', 'zone'), "sysroot's zone\n");
  fs.symlinkSync('/usr/share/zone', path.join(real, 'etc', 'localzone'));
}

describe.each(ARCHES)('what the guest learns about its machine on %s', (arch) => {
  it.concurrent('calls of kernel features Linux can be built without (AIO, io_uring, Landlock, seccomp, eBPF, perf, key rings, cross-memory attach...) and numbers in a hole of the table are ENOSYS with nothing on stderr (was a warning each), as from such a kernel and under qemu-user; protection keys as on a kernel without them (qemu-user: ENOSYS)', async () => {
    const r = await urunAsync([files(arch), 'absent_features'], { env: {} });
    expect(r.status, r.stderr).toBe(0);
    const absent = ['io_setup', 'io_uring_setup', 'landlock_create_ruleset', 'seccomp', 'bpf', 'perf_event_open', 'userfaultfd', 'keyctl',
      'add_key', 'fanotify_init', 'process_vm_readv', 'sysfs', arch.startsWith('mips') ? 'a hole (4447)' : 'a hole (447)'];
    expect(r.stdout).toBe(absent.map((name) => `${name}: -1 ENOSYS\n`).join('') +
      'pkey_alloc: -1 ENOSPC\npkey_alloc with a flag: -1 EINVAL\npkey_free: -1 EINVAL\n' +
      'pkey_mprotect, key -1: 0, key 0: 0, key 1: -1 EINVAL, key 1 for nothing: 0\n');
    expect(r.stderr).toBe('');
  });

  it.concurrent('prctl answers timing (statistical), the THP switch, PR_GET_CHILD_SUBREAPER and PR_GET_TID_ADDRESS as Linux does (were EINVAL; qemu-user: EINVAL for the THP switch and the getters); FP modes are MIPS\'s only', async () => {
    expect(await guest(arch, ['prctl_more'])).toBe('PR_GET_TIMING: 0\nPR_SET_TIMING 0: 0, 1: -1\n' +
      'THP disabled: 0, then 1; enabled: 0, then 0\nPR_GET_CHILD_SUBREAPER: 0, 0\nPR_GET_TID_ADDRESS: 0, set_tid_address\'s: 1\n' +
      `PR_GET_FP_MODE: ${arch.startsWith('mips') ? '0' : '-1 EINVAL'}\n`);
  });

  it.concurrent('setns is the host\'s, as under qemu-user (was ENOSYS with a warning)', async () => {
    expect(await guest(arch, ['setns'])).toBe('no descriptor: -1 EBADF\nits own UTS namespace: joined or EPERM\n' +
      'UTS as a network namespace: -1 EINVAL\na file: -1 EINVAL\n');
  });

  it.concurrent('SO_WIFI_STATUS, SO_LOCK_FILTER, SO_TXTIME (struct sock_txtime, in guest byte order) and SO_INCOMING_NAPI_ID are the host\'s, as natively (were ENOPROTOOPT; qemu-user refuses the sets and cuts SO_TXTIME to 4 bytes)', async () => {
    expect(await guest(arch, ['more_sockopts'])).toBe('SO_WIFI_STATUS: set 0, get 0: 1 (len 4)\nSO_LOCK_FILTER: 0: 0 (len 4)\n' +
      'SO_TXTIME: set 0, get 0: clock 1 flags 2 (len 8)\nSO_INCOMING_NAPI_ID: 0: 0 (len 4)\n');
  });

  it.concurrent('an unknown syscall is ENOSYS; on ARM, one past the private calls is SIGILL (ILL_ILLTRP) as in Linux and qemu-user; a number no Linux knows draws no warning (git-annex\'s syscall(241) on MIPS)', async () => {
    const arm = arch.startsWith('arm');
    const r = await urunAsync([files(arch), 'bad_syscall'], { env: {} });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`syscall 5999: -1 ENOSYS\n${arm ? 'SIGILL, si_code 4' : 'syscall -1: -1 ENOSYS'}\n`);
    expect(r.stderr).toBe('');
  });

  it.concurrent('FIGETBSZ, FIOQSIZE (64-bit; ENOTTY for a pipe) and F_SET_RW_HINT/F_GET_RW_HINT are the host\'s answers (were ENOTTY with a warning, and EINVAL; qemu-user: ENOSYS for FIOQSIZE, EINVAL for the hints)', async () => {
    await inTempDir('urun-blocks-', async (dir) => {
      const r = await urunAsync([files(arch), 'block_size', dir], { env: {} });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe('FIGETBSZ: 0, a power of two from 512: 1\nFIGETBSZ of a pipe: 0, 1\nFIOQSIZE: 0, st_blocks * 512: 1\n' +
        'FIOQSIZE of a pipe: -1 ENOTTY\nF_SET_RW_HINT: 0, F_GET_RW_HINT: 0, 3\nF_SET_RW_HINT 99: -1 EINVAL\n');
      expect(r.stderr).toBe('');
    });
  });

  it.concurrent('RNDGETENTCNT, FS_IOC_GETVERSION and FS_IOC_FSGETXATTR are the host\'s (were ENOTTY with a warning; qemu-user: ENOSYS for FS_IOC_FSGETXATTR)', async () => {
    await inTempDir('urun-ioctls-', async (dir) => {
      const r = await urunAsync([files(arch), 'more_ioctls', dir], { env: {} });
      expect(r.status, r.stderr).toBe(0);
      // (What a directory's file system answers for the inode calls depends on it: both or neither.)
      expect(r.stdout).toMatch(/^RNDGETENTCNT: 0, a count: 1\nFS_IOC_FSGETXATTR answered where FS_IOC_GETFLAGS is: 1\n(  fsx_nextents of a directory: 0, padding zeroed: 1\n)?FS_IOC_GETVERSION: (0|ENOTTY from the file system)\n$/);
      expect(r.stderr).toBe('');
    });
  });

  it.concurrent('F_SETFL clears O_DIRECT (dd oflag=direct\'s last partial block); a tape ioctl on an archive file is a quiet ENOTTY (tar -r), as under qemu-user', async () => {
    await inTempDir('urun-direct-', async (dir) => {
      const r = await urunAsync([files(arch), 'direct_tape', dir], { env: {} });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe('F_GETFL has O_DIRECT: 0, write of 3 bytes: 3\nMTIOCGET on a file: -1 ENOTTY\n');
      expect(r.stderr).toBe('');
    });
  });

  it.concurrent('the Linux console\'s requests (VT_GETSTATE, which nano asks of its terminal) on a pty or a pipe are a quiet ENOTTY, as on Linux', async () => {
    const r = await urunAsync([files(arch), 'console_ioctls'], { env: {} });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('VT_GETSTATE on a pty: -1 ENOTTY\nKDGKBTYPE on a pty: -1 ENOTTY\nKDGETMODE on a pty: -1 ENOTTY\nVT_GETSTATE on a pipe: -1 ENOTTY\n');
    expect(r.stderr).toBe('');
  });

  it.concurrent('FS_IOC_FIEMAP reaches the host file system, the extents in the guest\'s byte order (dpkg and man-db asked it with a warning on stderr: ENOTTY)', async () => {
    await inTempDir('urun-fiemap-', async (dir) => {
      const r = await urunAsync([files(arch), 'fiemap', dir], { env: {} });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      // tmpfs keeps no extent map; ext4, xfs and btrfs do (two blocks with a hole between).
      if (r.stdout !== 'FIEMAP: unsupported\n') {
        expect(r.stdout).toMatch(/^count only: 0 OK, extents \d+, start 0, length all: 1\nmapped: 0, same count: 1\nfirst at 0, physical set: 1\n/);
        expect(r.stdout).toMatch(/\nlast ends at 69632, flagged last: 1\nbytes mapped: 8192\nhuge count: -1 EINVAL\n$/);
      }
    });
  });

  it.concurrent('a pty master\'s packet mode (TIOCPKT, TIOCGPKT: screen) and TIOCSIG reach the host pty, the signal in its numbering, as on Linux (qemu-user: ENOSYS for TIOCGPKT and TIOCSIG)', async () => {
    const r = await urunAsync([files(arch), 'pty_packet'], { env: {} });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('TIOCPKT on: OK\nTIOCGPKT: OK\npacket mode: 1\ndata packet: 3 bytes, status 0, \'ab\'\ntcflush TCIFLUSH: OK\n' +
      'flush packet: 1 bytes, status 0x1\nTIOCSIG on a slave: -1 ENOTTY\nTIOCSIG SIGUSR1, not a terminal\'s signal: -1 EINVAL\n' +
      'child got SIGTSTP\nTIOCSIG SIGTSTP: OK\nchild exit 0\n');
    expect(r.stderr).toBe('');
  });

  it.concurrent('an undefined instruction is SIGILL with the kernel\'s si_code: MIPS\'s force_sig (SI_KERNEL, no address), ARM\'s ILL_ILLOPC at the instruction (qemu-user: ILL_ILLOPN)', async () => {
    expect(await guest(arch, ['illegal_insn'])).toBe(arch.startsWith('mips') ? 'SIGILL: si_code 128, si_addr 0\n' : 'SIGILL: si_code 1, si_addr set\n');
  });

  it.concurrent('sendfile from a pipe is EINVAL, the data left there (Go\'s io.Copy to a TCP connection then reads and writes; urun waited for ever)', async () => {
    expect(await guest(arch, ['sendfile_pipe'])).toBe('sendfile from a pipe: -1 EINVAL, still there: 2\n');
  });

  it.concurrent('writev to a pipe or socket is one write, as Linux\'s (and qemu-user\'s): 1024 bytes in four buffers go into a one-page pipe at once, a non-blocking vector that does not fit is EAGAIN, two buffers to a datagram socket are one datagram (urun wrote buffer by buffer: 256 bytes, the first buffer alone, two datagrams)', async () => {
    expect(await guest(arch, ['writev_gather'])).toBe('pipe size: 4096\nwritev to a pipe: 1024\nread: 1024, same: 1\nwritev again: 1024\n' +
      'writev to a datagram socket: 512\none datagram: 512, same: 1\nthen: -1 EAGAIN\n' +
      'write: 3900\nnon-blocking writev of 200: -1 EAGAIN\nnon-blocking writev of 180: 180\n');
  });

  it.concurrent('set*id go to the host\'s glibc: as root, seteuid(1) keeps the real and saved ids, so seteuid(0) goes back; setgroups sets the groups', async () => {
    // (Not root: every change is refused, the ids stay as they are.)
    const expected = process.geteuid?.() === 0
      ? /^seteuid\(1\): 0 OK, now 0 1 0\nseteuid\(0\): 0 OK, now 0 0 0\nsetgroups: 0 OK, getgroups: 4\n$/
      : /^seteuid\(1\): -1 EPERM, now (\d+) \1 \1\nseteuid\(0\): -1 EPERM, now (\d+) \2 \2\nsetgroups: -1 EPERM, getgroups: \d+\n$/;
    expect(await guest(arch, ['ids'])).toMatch(expected);
  });

  it.concurrent('a root program that forks, gives up root, and forks again: the second child has the ids and groups it gave itself (the spare urun started after the first fork stayed root)', async () => {
    const r = await urunAsync([files(arch), 'drop_root_fork'], { env: {} });
    expect(r.status, r.stderr).toBe(0);
    // (Not root: the ids stay the test runner's.)
    expect(r.stdout).toMatch(process.geteuid?.() === 0 ? /^child uids same as parent's: 1, gids 65534 65534 65534, groups 1 first 65533\n$/
      : /^child uids same as parent's: 1, gids \d+ \d+ \d+, groups \d+ first \d+\n$/);
  });

  it.concurrent('a child urun started as the user a root program became (no spare) says nothing of the root-owned translation cache it cannot write', async () => {
    await inTempDir('urun-cache-', async (dir) => {
      fs.chmodSync(dir, 0o755); // (one the child can look into: a 0700 one it does not try to write)
      const r = await urunAsync([files(arch), 'drop_root_fork'], { env: { URUN_CACHE_DIR: dir, URUN_NO_SPARE: '1' } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
    });
  });

  it.concurrent('a program that forks, sets no_new_privs and the keep-capabilities flag, and forks again: the second child has both (the spare urun started after the first fork had neither)', async () => {
    expect(await guest(arch, ['nnp_fork'])).toBe('set: 0 0\nchild: no_new_privs 1 keepcaps 1\n');
  });

  it.concurrent('ARM: a misaligned VFP transfer, or a NEON one short of its alignment qualifier, is SIGBUS (BUS_ADRALN), as Linux and qemu-user give', async () => {
    expect(await guest(arch, ['vfp_align'])).toBe(arch !== 'armhf' ? '(armhf only)\n'
      : 'vldr d at +2: SIGBUS 1\nvstr s at +1: SIGBUS 1\nvldmia at +2: SIGBUS 1\nvldr d at +4: done\nvld1.64 :64 at +4: SIGBUS 1\n' +
        'vld1.32 at +1: done\nvld1.32 lane :32 at +2: SIGBUS 1\nvld2.32 :128 at +16: done\nvld2.32 :128 at +8: SIGBUS 1\n');
  });

  it.concurrent('the signals ignored where urun starts (nohup\'s SIGHUP, a shell\'s background job) are ignored for the program, though Node resets them', async () => {
    const r = spawnSync('sh', ['-c', `trap "" HUP QUIT; exec "${URUN}" "${files(arch)}" ignored_at_start`], { encoding: 'utf8', timeout: 120_000 });
    // (SIGINT as the test runner has it: a shell cannot reset what it found ignored.)
    expect(r.stdout, r.stderr).toMatch(/^HUP ignored, INT (default|ignored), QUIT ignored\n$/);
  });

  it.concurrent('a program that gives up root exits with nothing of urun\'s on its stderr, though urun can no longer write its cache', async () => {
    await inTempDir('urun-cache-', async (cache) => {
      fs.chmodSync(cache, 0o700);
      const r = await urunAsync([files(arch), 'drop_root'], { env: { URUN_CACHE_DIR: cache } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe('running as another user\n');
      expect(r.stderr).toBe('');
    });
  });

  it.concurrent('/proc/cpuinfo describes the guest CPU, one block per host CPU; sysconf counts the host\'s', async () => {
    const cpus = os.cpus().length;
    expect(cpus).toBe(os.availableParallelism());
    const [count, ...lines] = (await guest(arch, ['nproc'])).split('\n');
    expect(count).toBe(`onln ${cpus} conf ${cpus} nprocs ${cpus} conf ${cpus}`);
    const out = lines.join('\n');
    expect(out).not.toMatch(/vendor_id|GenuineIntel|AuthenticAMD|flags\s*:/);
    expect(out.match(/^processor\s*: \d+$/gm)?.length).toBe(cpus);
    if (arch.startsWith('mips')) {
      // The lines arch/mips/kernel/proc.c prints.
      expect(out).toMatch(/^system type\t\t: MIPS Malta\nprocessor\t\t: 0\ncpu model\t\t: MIPS 24Kf V7\.4  FPU V7\.4\nBogoMIPS\t\t: \d+\.\d\d\n/);
      expect(out).toContain('isa\t\t\t: mips1 mips2 mips32r1 mips32r2\n');
      for (const key of ['ASEs implemented\t:', 'shadow register sets\t: 1', 'kscratch registers\t: 0', 'package\t\t\t: 0',
        'VCED exceptions\t\t: not available', 'VCEI exceptions\t\t: not available']) {
        expect(out.split(key).length - 1, key).toBe(cpus);
      }
      expect(out).toContain(`core\t\t\t: ${cpus - 1}\n`);
    } else {
      // arch/arm/kernel/setup.c: Features are the AT_HWCAP bits urun gives the program.
      // The default model is a Cortex-A15 (part 0xc0f).
      expect(out).toContain('processor\t: 0\nmodel name\t: ARMv7 Processor rev 3 (v7l)\nBogoMIPS\t: 48.00\n' +
        'Features\t: half thumb fastmult vfp edsp neon vfpv3 tls vfpv4 idiva idivt vfpd32 \nCPU implementer\t: 0x41\n' +
        'CPU architecture: 7\nCPU variant\t: 0x0\nCPU part\t: 0xc0f\nCPU revision\t: 3\n\n');
      expect(out).toMatch(/\nHardware\t: .+\nRevision\t: [0-9a-f]{4}\nSerial\t\t: [0-9a-f]{16}\n$/);
    }
  });

  it.concurrent('readdir lists a directory in the kernel\'s order, with its inodes and d_type', async () => {
    await inTempDir('urun-dir-', async (dir) => {
      for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(dir, `file-${(i * 7919) % 1000}`), '');
      fs.mkdirSync(path.join(dir, 'subdir'));
      fs.symlinkSync('file-0', path.join(dir, 'link'));
      const out = (await guest(arch, ['listdir', dir])).trimEnd().split('\n');
      const tail = out.splice(-3);
      expect(tail).toEqual(['end: OK', 'seekdir back: same entry yes', 'after rewinddir: same count']);
      // The host's own order (ls -U lists in getdents order).
      const native = execFileSync('ls', ['-U', '-a', '-1', dir], { encoding: 'utf8' }).trimEnd().split('\n');
      expect(out.map((l) => l.split(' ')[0])).toEqual(native);
      for (const line of out) {
        const [name, ino, type] = line.split(' ');
        const st = fs.lstatSync(path.join(dir, name));
        expect(ino, name).toBe(String(st.ino));
        expect(Number(type), name).toBe(st.isDirectory() ? 4 : st.isSymbolicLink() ? 10 : 8);
      }
    });
  });

  it.concurrent('under -L, getcwd and /proc/self/cwd name a sysroot directory as the guest reached it, not by its host path', async () => {
    // (qemu-user leaves chdir to the host, so it has no such directories: no golden.)
    await inTempDir('urun-root-', async (root) => {
      fs.mkdirSync(path.join(root, 'srv', 'inner'), { recursive: true });
      const above = path.dirname(root);
      const r = await urunAsync(['-L', root, files(arch), 'cwd', '/', '/srv/inner', '..', above, root], { env: {} });
      expect(r.stderr).toBe('');
      const real = fs.realpathSync(above);
      expect(r.stdout).toBe('chdir /: getcwd /, /proc/self/cwd /\n' +
        'chdir /srv/inner: getcwd /srv/inner, /proc/self/cwd /srv/inner\n' +
        'chdir ..: getcwd /srv, /proc/self/cwd /srv\n' +
        // A host directory outside the sysroot keeps its host name; the sysroot itself, reached
        // by its host path (/tmp/... is never looked for in the sysroot), is the guest's root.
        `chdir ${above}: getcwd ${real}, /proc/self/cwd ${real}\n` +
        `chdir ${root}: getcwd /, /proc/self/cwd /\n`);
    });
  });

  it.concurrent('under -L, a name relative to a descriptor of a sysroot directory is looked up as its absolute name would be: /tmp is the host\'s, a sysroot symlink is followed with the sysroot as the root (rsync\'s statx(fd of "/", "tmp") failed)', async () => {
    await inTempDir('urun-root-', async (root) => {
      const real = fs.realpathSync(root);
      zoneSysroot(real);
      const rel = real.slice(1);
      const fromRoot = await urunAsync(['-L', real, files(arch), 'atdir', '/', `${rel}/file`, 'etc/localzone', 'tmp'], { env: {} });
      expect(fromRoot.stderr).toBe('');
      expect(fromRoot.stdout).toBe(`${rel}/file: in the host's /tmp\n` +
        "etc/localzone -> /usr/share/zone\netc/localzone: sysroot's zone\ntmp: a directory\n");
      const fromEtc = await urunAsync(['-L', real, files(arch), 'atdir', '/etc', 'localzone', '../usr/share/zone'], { env: {} });
      expect(fromEtc.stdout).toBe("localzone -> /usr/share/zone\nlocalzone: sysroot's zone\n../usr/share/zone: sysroot's zone\n");
      // A directory outside the sysroot (the host's /tmp) keeps the host's own lookup.
      const outside = await urunAsync(['-L', real, files(arch), 'atdir', '/tmp', `${path.basename(real)}/file`], { env: {} });
      expect(outside.stdout).toBe(`${path.basename(real)}/file: in the host's /tmp\n`);
    });
  });

  it.concurrent('under -L, /tmp, /dev and /proc themselves are the host\'s, as what is under them is, when the sysroot has (empty) ones', async () => {
    await inTempDir('urun-root-', async (root) => {
      for (const d of ['tmp', 'dev', 'proc']) fs.mkdirSync(path.join(root, d));
      const r = await urunAsync(['-L', root, files(arch), 'cwd', '/tmp', '/dev', '/proc'], { env: {} });
      expect(r.stderr).toBe('');
      // (It was the sysroot's empty directory: a file made in the cwd after chdir("/tmp") was
      // not the /tmp/name the guest opened next.)
      expect(r.stdout).toBe('chdir /tmp: getcwd /tmp, /proc/self/cwd /tmp\n' +
        'chdir /dev: getcwd /dev, /proc/self/cwd /dev\n' +
        'chdir /proc: getcwd /proc, /proc/self/cwd /proc\n');
    });
  });
});

describe.each(['mipsel', 'armhf', 'armel'])('busybox sh on %s', (arch) => {
  it.concurrent('/proc/self/fd/N of a file opened by an absolute path through symlinks names the file itself, as Linux does (urun gave the path as opened: valgrind reopened ld.so\'s link with O_NOFOLLOW and got ELOOP)', async () => {
    await inTempDir('urun-fdlink-', async (dir) => {
      const real = fs.realpathSync(dir);
      fs.writeFileSync(path.join(real, 'file'), 'x\n');
      fs.symlinkSync('file', path.join(real, 'link'));
      fs.symlinkSync(real, path.join(real, 'dirlink'));
      const busybox = path.join(BIN_DIR as string, arch, 'busybox');
      const script = `exec 3< ${real}/link 4< ${real}/dirlink/file; readlink /proc/self/fd/3; readlink /proc/self/fd/4`;
      const r = await urunAsync([busybox, 'sh', '-c', script], { env: {} });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(`${real}/file\n`.repeat(2));
    });
  });

  it.concurrent('under -L, a symlink in the sysroot is followed with the sysroot as the root: an absolute or climbing target is the sysroot\'s file', async () => {
    // (/etc/localtime -> /usr/share/zoneinfo/..., /usr/bin/awk -> /etc/alternatives/awk -> /usr/bin/gawk:
    // the host resolved the target, finding nothing, or the host's own file of that name.)
    await inTempDir('urun-root-', async (root) => {
      fs.mkdirSync(path.join(root, 'usr', 'share', 'only-here'), { recursive: true });
      fs.mkdirSync(path.join(root, 'etc'));
      fs.writeFileSync(path.join(root, 'usr', 'share', 'only-here', 'zone'), "sysroot's zone\n");
      fs.symlinkSync('/usr/share/only-here/zone', path.join(root, 'etc', 'localzone'));
      fs.symlinkSync('/etc/localzone', path.join(root, 'etc', 'chain'));
      fs.symlinkSync('../../../../usr/share/only-here/zone', path.join(root, 'etc', 'climb'));
      const busybox = path.join(BIN_DIR as string, arch, 'busybox');
      const cat = await urunAsync(['-L', root, busybox, 'cat', '/etc/localzone', '/etc/chain', '/etc/climb'], { env: {} });
      expect(cat.stderr).toBe('');
      expect(cat.stdout).toBe("sysroot's zone\n".repeat(3));
      // lstat and readlink see the link itself (they failed: the host has no such target).
      const link = await urunAsync(['-L', root, busybox, 'readlink', '/etc/chain'], { env: {} });
      expect(link.stdout).toBe('/etc/localzone\n');
      const real = await urunAsync(['-L', root, busybox, 'readlink', '-f', '/etc/chain'], { env: {} });
      expect(real.stdout).toBe('/usr/share/only-here/zone\n');
    });
  });

  it.concurrent('under -L, a name under a file of the sysroot is ENOTDIR, as under qemu-user (python3 looking for /usr/bin/base64/__init__...so beside its script ended urun: internal error, status 70)', async () => {
    await inTempDir('urun-root-', async (root) => {
      // (A file the host has too: its lookup, where qemu-user's goes for a name the sysroot lacks, fails alike.)
      fs.mkdirSync(path.join(root, 'etc'));
      fs.writeFileSync(path.join(root, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
      const busybox = path.join(BIN_DIR as string, arch, 'busybox');
      const script = 'cat /etc/passwd/x; echo "cat $?"; [ -e /etc/passwd/x ]; echo "test $?"; ls -d /etc/passwd/x/y; echo "ls $?"';
      const r = await urunAsync(['-L', root, busybox, 'sh', '-c', script], { env: {} });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe('cat 1\ntest 1\nls 1\n');
      expect(r.stderr).toBe("cat: can't open '/etc/passwd/x': Not a directory\nls: /etc/passwd/x/y: Not a directory\n");
    });
  });

  it.concurrent('under -L, a relative path from a directory entered through the sysroot is looked up as its absolute name would be: /tmp and a top-level name the sysroot lacks are the host\'s (ncdu -o, which does chdir("/") then readlink("tmp"), said "Error obtaining full path")', async () => {
    await inTempDir('urun-root-', async (root) => {
      const real = fs.realpathSync(root);
      zoneSysroot(real);
      const busybox = path.join(BIN_DIR as string, arch, 'busybox');
      const rel = real.slice(1);
      const top = rel.split('/')[0];
      const script = `cd /; cat ${rel}/file; ls -d sys ${top}; cd /etc; cat localzone; cd /; touch etc/made; cd ${top}; pwd`;
      const r = await urunAsync(['-L', real, busybox, 'sh', '-c', script], { env: {} });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(`in the host's /tmp\nsys\n${top}\nsysroot's zone\n/${top}\n`);
      // A name the sysroot lacks under a directory it has is made there, in the working directory.
      expect(fs.existsSync(path.join(real, 'etc', 'made'))).toBe(true);
    });
  });

  it.concurrent('under -L, a host program the guest runs starts in the guest\'s view of its directory where the host has it (when the guest went there through the sysroot)', async () => {
    // (Debian has no big-endian MIPS busybox.) The sysroot has no /bin/pwd: the host's runs, by fork+exec and by exec in place.
    await inTempDir('urun-root-', async (root) => {
      fs.mkdirSync(path.join(root, 'only-in-sysroot'));
      const busybox = path.join(BIN_DIR as string, arch, 'busybox');
      const script = 'cd /; /bin/pwd; cd /only-in-sysroot; /bin/pwd; cd /; exec /bin/pwd';
      const r = await urunAsync(['-L', root, busybox, 'sh', '-c', script], { env: {} });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(`/\n${fs.realpathSync(root)}/only-in-sysroot\n/\n`);
      // Started in a directory of the sysroot whose name the host has too (usr): a host program
      // starts there, not in the host's /usr, until the guest changes directory through the sysroot.
      fs.mkdirSync(path.join(root, 'usr'));
      const inside = await urunAsync(['-L', root, busybox, 'sh', '-c', '/bin/pwd; cd /usr; /bin/pwd'], { env: {}, cwd: path.join(root, 'usr') });
      expect(inside.stdout).toBe(`${fs.realpathSync(root)}/usr\n/usr\n`);
    });
  });
});
