// `urun binfmt`: registered in a user namespace with its own binfmt_misc mount (Linux 6.7+
// allows that unprivileged), foreign programs run by their own path, and entries of other
// emulators are shown and left alone.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, URUN } from './support/urun.js';

const MOUNT = 'mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc';

function inNamespace(script: string, mapRoot = true): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('unshare', ['--user', ...(mapRoot ? ['--map-root-user'] : []), '--mount', 'bash', '--norc', '--noprofile', '-c', script], {
    cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Whether this machine lets us make a user namespace, and that namespace mount its own binfmt_misc (Linux 6.7+). */
const userNamespaces = inNamespace('true', false).status === 0;
const ownBinfmt = userNamespaces && inNamespace(MOUNT).status === 0;

describe('urun binfmt', () => {
  it('refuses, in one line, where binfmt_misc is not mounted', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-binfmt-'));
    try {
      for (const sub of [['install', '--dir', empty], ['uninstall'], ['status']]) {
        const r = spawnSync(process.execPath, [URUN, 'binfmt', ...sub], { encoding: 'utf8', env: { URUN_BINFMT_MISC: empty } });
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(new RegExp(`^urun binfmt: binfmt_misc is not mounted at ${empty}( .*)?\n$`));
      }
      const wrongCpu = spawnSync(process.execPath, [URUN, 'binfmt', 'install', '--cpu', 'arm926'], { encoding: 'utf8', env: { URUN_BINFMT_MISC: empty } });
      expect(wrongCpu.stderr).toBe('urun binfmt: --cpu arm926 is not a CPU model for mips (4Kc, 24Kc, 24Kf, 74Kf); choose the arches with --arch\n');
      expect(wrongCpu.status).toBe(1);
      expect(fs.readdirSync(empty)).toEqual([]);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it.skipIf(!userNamespaces)('refuses, in one line, when not root', () => {
    const fake = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-binfmt-'));
    try {
      fs.writeFileSync(path.join(fake, 'register'), '');
      const r = inNamespace(`URUN_BINFMT_MISC=${fake} ${process.execPath} ${URUN} binfmt install --dir ${fake}/scripts`, false);
      expect(r.stderr).toBe('urun binfmt: changing binfmt_misc entries needs root (run with sudo)\n');
      expect(r.status).toBe(1);
      expect(fs.readFileSync(path.join(fake, 'register'), 'utf8')).toBe('');
    } finally {
      fs.rmSync(fake, { recursive: true, force: true });
    }
  });

  it.skipIf(!ownBinfmt)('foreign programs run by their own path; argv[0] is kept; others\' entries are left alone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-binfmt-'));
    const bin = (arch: string, name: string) => `test/fixtures/bin/${arch}/${name}`;
    try {
      const r = inNamespace([
        `${MOUNT} || exit 9`,
        // Another emulator's entry for MIPS (never run here).
        String.raw`echo ':qemu-mips:M:0:\x7fELF\x01\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x08:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff:/bin/false:' > /proc/sys/fs/binfmt_misc/register`,
        `${process.execPath} ${URUN} binfmt install --dir ${dir}`,
        `${process.execPath} ${URUN} binfmt status`,
        `${bin('mips', 'hello')}; echo "mips $?"`,
        `${bin('armhf', 'hello')}; echo "armhf $?"`,
        // busybox picks its applet by argv[0]: binfmt's P flag and urun's -0 carry it over.
        `(exec -a echo ${bin('armel', 'busybox')} argv0 kept)`,
        // A guest shell runs a guest program itself, and a host shell that runs one through binfmt.
        `${bin('armhf', 'busybox')} sh -c '${bin('mipsel', 'hello')} && /bin/sh -c ${bin('mips', 'cpuprobe')}\\ base'`,
        `/bin/true && echo 'host programs are not captured'`,
        // Options fixed at registration: a MIPS32r1 CPU, which lacks seb.
        `${process.execPath} ${URUN} binfmt install --arch mips --cpu 4Kc --dir ${dir} >/dev/null`,
        `(${bin('mips', 'cpuprobe')} seb; echo "4Kc seb $?") 2>/dev/null`,
        `${process.execPath} ${URUN} binfmt uninstall`,
        `ls /proc/sys/fs/binfmt_misc | grep -v -e register -e status`,
        `${bin('mipsel', 'hello')} 2>/dev/null || echo "after uninstall $?"`,
      ].join('\n'));
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe([
        `registered urun-mips: ${dir}/urun-mips (before qemu-mips, also registered for them)`,
        `registered urun-mipsel: ${dir}/urun-mipsel`,
        `registered urun-arm: ${dir}/urun-arm`,
        'binfmt_misc: enabled',
        `mips: qemu-mips (other, enabled, flags -): /bin/false`,
        `mips: urun-mips (urun, enabled, flags PF): ${dir}/urun-mips`,
        `mipsel: urun-mipsel (urun, enabled, flags PF): ${dir}/urun-mipsel`,
        `arm: urun-arm (urun, enabled, flags PF): ${dir}/urun-arm`,
        'Hello, world!', 'mips 0', 'Hello, world!', 'armhf 0',
        'argv0 kept',
        'Hello, world!', 'ok',
        'host programs are not captured',
        '4Kc seb 132',
        'removed urun-mips', 'removed urun-mipsel', 'removed urun-arm',
        'qemu-mips',
        'after uninstall 126',
        '',
      ].join('\n'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
