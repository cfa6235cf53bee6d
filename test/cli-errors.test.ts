// Bad input gets one clear line naming the problem and a proper exit status, never a stack trace.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { urun, ROOT, URUN } from './support/urun.js';

const MIPS_HELLO = path.join(ROOT, 'test/fixtures/bin/mips/hello');
let dir = '';

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
}

/** A copy of the MIPS hello binary with some bytes changed. */
function patched(name: string, edit: (b: Buffer) => Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, edit(Buffer.from(fs.readFileSync(MIPS_HELLO))));
  return p;
}

describe('CLI errors', () => {
  it("urun's own output to a reader that has gone ends quietly with SIGPIPE's status, not a stack trace", () => {
    for (const args of [['--help'], ['disasm', MIPS_HELLO], ['info', MIPS_HELLO]]) {
      const quoted = args.map((a) => `'${a}'`).join(' ');
      // A pipe whose reader has exited (waited for) before urun starts: its first write fails.
      const r = spawnSync('bash', ['-c', `exec 3> >(exit 0); wait $!; '${URUN}' ${quoted} >&3; echo "status $?"`], { encoding: 'utf8' });
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.stdout.trim(), args.join(' ')).toBe('status 141');
    }
  });

  it('missing file', () => {
    const r = urun([path.join(dir, 'nope')]);
    expect(r.status).toBe(127);
    expectOneLine(r.stderr, /^urun: .*nope: no such file$/);
  });

  it('directory', () => {
    const r = urun([dir]);
    expect(r.status).toBe(126);
    expectOneLine(r.stderr, /is a directory/);
  });

  it('not an ELF file', () => {
    const p = path.join(dir, 'script.sh');
    fs.writeFileSync(p, '#!/bin/sh\necho hi\n');
    const r = urun([p]);
    expect(r.status).toBe(126);
    expectOneLine(r.stderr, /script\.sh: not an ELF file$/);
  });

  it('truncated ELF header', () => {
    const r = urun([patched('trunc-header', (b) => b.subarray(0, 30))]);
    expect(r.status).toBe(126);
    expectOneLine(r.stderr, /trunc-header: truncated ELF file/);
  });

  it('truncated segment data', () => {
    const r = urun([patched('trunc-body', (b) => b.subarray(0, 4096))]);
    expect(r.status).toBe(126);
    expectOneLine(r.stderr, /trunc-body: truncated ELF file/);
  });

  it('a native x86-64 program says so', () => {
    const r = urun([process.execPath]);
    expect(r.status).toBe(126);
    expectOneLine(r.stderr, /x86-64 binary: this is a native program for this machine/);
  });

  it('an architecture urun does not run is named', () => {
    // e_machine (big-endian u16 at 18) = 183, AArch64
    const r = urun([patched('aarch64', (b) => (b.writeUInt16BE(183, 18), b))]);
    expect(r.status).toBe(126);
    expectOneLine(r.stderr, /AArch64 binary: AArch64 is not supported yet \(urun runs 32-bit MIPS and ARM; qemu-aarch64 runs AArch64\)$/);
  });

  it('a dynamically linked binary without a sysroot says what -L wants', () => {
    // Turn the first program header into PT_INTERP pointing at a string inside the file.
    const p = patched('dynamic', (b) => {
      const phoff = b.readUInt32BE(28);
      const at = b.length - 16;
      b.write('/lib/ld.so.1\0', at);
      const ph = phoff; // first entry
      b.writeUInt32BE(3, ph); // PT_INTERP
      b.writeUInt32BE(at, ph + 4);
      b.writeUInt32BE(13, ph + 16);
      return b;
    });
    const r = urun([p]);
    expect(r.status).toBe(126);
    expectOneLine(r.stderr, /dynamically linked \(interpreter \/lib\/ld\.so\.1\); give the target's root filesystem with -L DIR/);
  });

  it('a sysroot without the interpreter names the path it looked for', () => {
    const p = path.join(dir, 'dynamic');
    const r = urun(['-L', dir, p]);
    expect(r.status).toBe(127);
    expectOneLine(r.stderr, /interpreter \/lib\/ld\.so\.1 not found under sysroot/);
  });

  it('unknown option is a usage error', () => {
    const r = urun(['--no-such-option', MIPS_HELLO]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
  });

  it('options after the program belong to the guest', () => {
    const r = urun([path.join(ROOT, 'test/fixtures/bin/mips/suite'), 'args', '--strace', '-L']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--strace');
    expect(r.stderr).toBe('');
  });
});

describe('CLI options', () => {
  const suite = path.join(ROOT, 'test/fixtures/bin/mipsel/suite');

  it('--version', () => {
    const r = urun(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`urun ${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version} (Node.js ${process.version})\n`);
  });

  it('-E and -U and their URUN_* twins', () => {
    let r = urun(['-E', 'FOO=bar=baz', '-U', 'PATH', suite, 'env', 'FOO', 'PATH'], { env: { PATH: '/bin' } });
    expect(r.stdout).toMatch(/FOO="bar=baz"/);
    expect(r.stdout).toMatch(/PATH.*\(unset\)/);
    r = urun([suite, 'env', 'FOO', 'PATH'], { env: { PATH: '/bin', URUN_SET_ENV: 'FOO=1', URUN_UNSET_ENV: 'PATH' } });
    expect(r.stdout).toMatch(/FOO="1"/);
    expect(r.stdout).toMatch(/PATH.*\(unset\)/);
  });

  it('--strace shows decoded syscalls from the same records that dispatch them', () => {
    const r = urun(['--strace', suite, 'exit', '3']);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^\d+ write\(1, "exiting with 3\\n", 15\) = 15$/m);
    expect(r.stderr).toMatch(/^\d+ exit_group\(3\) = \?$/m);
    const twin = urun([suite, 'exit', '3'], { env: { URUN_STRACE: '1' } });
    expect(twin.stderr).toMatch(/exit_group\(3\)/);
  });

  it('--stats reports instructions, blocks and guest MIPS', () => {
    const r = urun(['--stats', suite, 'exit', '0']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^urun: \d+ guest instructions, \d+ blocks translated, \d+ invalidated, [\d.]+ ms, [\d.]+ guest MIPS$/m);
  });

  it('/proc/self/exe names the guest program', () => {
    const r = urun(['--strace', suite, 'exit', '0']);
    expect(r.stderr).toMatch(/readlink\("\/proc\/self\/exe", 0x[0-9a-f]+, \d+\) = \d+/);
  });
});
