// --sandbox: test/guest/sandbox.c tries each way out it knows, with a writable (W), a
// readable (R) and a forbidden (S) directory side by side and the current directory
// elsewhere; every attempt must get what is written here, and S must be untouched after.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// @ts-expect-error: plain ESM helper shared with the fixture build script
import { BIN_DIR } from './fixtures/cases.mjs';
import { urunAsync } from './support/urun.js';

const EXPECTED: Record<string, string> = {
  // What the policy allows.
  'read R/r.txt': 'ok', 'write R/r.txt': 'EACCES', 'create W/new.txt': 'ok', 'read W/new.txt': 'ok',
  'mkdir W/d': 'ok', 'rename W/d W/e': 'ok', 'rmdir W/e': 'ok', 'write /dev/null': 'ok',
  'stat parent of W': 'ok', getcwd: 'ok',
  // Plain denials.
  'read S/secret.txt': 'EACCES', 'stat S/secret.txt': 'EACCES', 'read /etc/passwd': 'EACCES', 'create S/new': 'EACCES',
  'mkdir S/d': 'EACCES', 'unlink S/secret.txt': 'EACCES', 'chmod S/secret.txt': 'EACCES', 'truncate S/secret.txt': 'EACCES',
  'utimes S/secret.txt': 'EACCES', 'setxattr S/secret.txt': 'EACCES', 'chdir S': 'EACCES',
  // Escapes through names.
  'read W/../S/secret.txt': 'EACCES', 'read /proc/self/root/S/secret.txt': 'EACCES',
  'symlink W/link -> S/secret.txt': 'ok', 'read W/link': 'EACCES', 'readlink W/link': 'ok',
  'symlink W/dlink -> S/made': 'ok', 'create through W/dlink': 'EACCES', 'unlink W/link': 'ok',
  'symlink W/dir -> S': 'ok', 'read W/dir/secret.txt': 'EACCES', 'link S/secret.txt W/hard': 'EACCES',
  'rename S/secret.txt W/stolen': 'EACCES', 'rename W/new.txt S/planted': 'EACCES', 'open W as a directory': 'ok',
  'openat(W fd, ../S/secret.txt)': 'EACCES', 'read /proc/self/fd/W/../S/secret.txt': 'EACCES',
  'chdir parent of W': 'ok', 'read S/secret.txt from the parent': 'EACCES', 'chdir W': 'ok',
  // Changes through descriptors, devices.
  'fchmod R/r.txt (read-only fd)': 'EACCES', 'futimens R/r.txt': 'EACCES', 'linkat(R fd, "", W/hard2, AT_EMPTY_PATH)': 'EACCES',
  'fchmod W/mine.txt': 'ok', 'mknod W/null (a device)': 'EPERM', 'mkfifo W/fifo': 'ok',
  'pidfd_open self': 'ok', 'setns into its UTS namespace': 'EPERM',
  // Signals: only its own processes.
  'kill(1, 0)': 'EPERM', 'kill(parent, 0)': 'EPERM', 'kill(-1, 0)': 'EPERM', 'kill(self, 0)': 'ok', 'kill(child, 0)': 'ok',
  // Sockets.
  'socket AF_INET': 'EACCES', 'socket AF_INET6': 'EACCES', 'bind W/sock': 'ok', 'bind S/sock': 'EACCES',
  'connect S/sock': 'EACCES', 'bind abstract': 'EACCES',
  // Programs: a forked child and an exec'd guest stay sandboxed; host programs do not run.
  'forked child reads S': 'EACCES', 'exec host /bin/true': 'EACCES', "exec'd guest reads S": 'EACCES',
  "exec'd guest reads /etc/passwd": 'EACCES', 'chdir /': 'ok',
};

/** W, R, S and a current directory under a fresh temporary directory. */
function layout() {
  const top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'urun-sandbox-')));
  const [w, r, s, cwd] = ['w', 'r', 's', 'cwd'].map((d) => path.join(top, d));
  for (const d of [w, r, s, cwd]) fs.mkdirSync(d);
  fs.writeFileSync(path.join(r, 'r.txt'), 'readable\n');
  fs.writeFileSync(path.join(s, 'secret.txt'), 'secret\n');
  return { top, w, r, s, cwd };
}

function results(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.trim().split('\n')) {
    const at = line.lastIndexOf(': ');
    if (at > 0) out[line.slice(0, at)] = line.slice(at + 2);
  }
  // Standard output is the user's to give, whatever it is: the sandbox lets the guest open it
  // again (the host then decides: a socket, as under vitest, cannot be opened by name).
  expect(out['write /dev/stdout']).not.toBe('EACCES');
  delete out['write /dev/stdout'];
  return out;
}

describe.each(['mipsel', 'armhf'])('--sandbox on %s', (arch) => {
  const program = path.join(BIN_DIR as string, arch, 'sandbox');

  it.concurrent('every way out is denied, what is allowed works, and the forbidden directory is untouched', async () => {
    const d = layout();
    try {
      const r = await urunAsync(['--sandbox', '--allow-write', d.w, '--allow-read', d.r, program, d.w, d.r, d.s], { cwd: d.cwd });
      expect(r.status, r.stderr).toBe(0);
      expect(results(r.stdout)).toEqual(EXPECTED);
      expect(r.stdout).toContain('child status 0');
      expect(r.stdout).toContain('vfork child status 0');
      // The vfork child's program ran twice (after fork, after vfork from "/"): both denied.
      expect(r.stdout.match(/^exec'd guest reads \/etc\/passwd: EACCES$/gm)?.length).toBe(2);
      expect(fs.readdirSync(d.s)).toEqual(['secret.txt']);
      expect(fs.readFileSync(path.join(d.s, 'secret.txt'), 'utf8')).toBe('secret\n');
      expect(fs.statSync(path.join(d.s, 'secret.txt')).mode & 0o777).toBe(0o644);
      expect(fs.readdirSync(d.w).sort()).toEqual(['dir', 'dlink', 'fifo', 'mine.txt', 'new.txt', 'sock']);
      // Each kind of denial is reported once on stderr (per process: the forked child reports its own).
      const reports = r.stderr.split('\n').filter((l) => l.startsWith('urun: sandbox: denied'));
      expect(reports.filter((l) => l.includes('later writing denials')).length).toBe(1);
      expect(reports.filter((l) => l.includes('later network denials')).length).toBe(1);
      expect(reports.filter((l) => l.includes('later signal denials')).length).toBe(1);
      expect(reports.some((l) => l.includes(`reading ${d.s}/secret.txt (openat)`))).toBe(true);
      expect(reports.some((l) => l.includes('running host program /bin/true (execve)'))).toBe(true);
    } finally {
      fs.rmSync(d.top, { recursive: true, force: true });
    }
  });

  it.concurrent('the environment twins give the same policy, and --strace shows each denial', async () => {
    const d = layout();
    try {
      const env = { URUN_SANDBOX: '1', URUN_ALLOW_WRITE: d.w, URUN_ALLOW_READ: `${d.r},${d.s}`, URUN_STRACE: '1' };
      const r = await urunAsync([program, d.w, d.r, d.s], { cwd: d.cwd, env });
      expect(r.status, r.stderr).toBe(0);
      const got = results(r.stdout);
      // S is readable now, not writable.
      expect(got['read S/secret.txt']).toBe('ok');
      expect(got['read W/link']).toBe('ok');
      expect(got['unlink S/secret.txt']).toBe('EACCES');
      expect(got['rename S/secret.txt W/stolen']).toBe('EACCES');
      expect(got['socket AF_INET']).toBe('EACCES');
      expect(r.stderr).toMatch(/unlink\("[^"]*\/s\/secret\.txt"\) = -1 EACCES \(Permission denied\) \(sandbox: writing \S+\/s\/secret\.txt \(unlink\)\)/);
      expect(r.stderr).toMatch(/socket\(AF_INET, .*\) = -1 EACCES \(Permission denied\) \(sandbox: an AF_INET socket\)/);
    } finally {
      fs.rmSync(d.top, { recursive: true, force: true });
    }
  });
});

describe('--sandbox options', () => {
  it('--allow-* without --sandbox, or a directory that does not exist, is a one-line error (status 2)', async () => {
    const program = path.join(BIN_DIR as string, 'mipsel', 'sandbox');
    let r = await urunAsync(['--allow-read', '/tmp', program]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('urun: --allow-read applies to a sandboxed program: add --sandbox (or URUN_SANDBOX=1)');
    r = await urunAsync(['--sandbox', '--allow-write', '/no/such/dir', program]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('urun: sandbox: no such file or directory to allow: /no/such/dir');
  });
});
