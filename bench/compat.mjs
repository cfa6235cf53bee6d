#!/usr/bin/env node
// Compatibility check: Debian's own programs (coreutils, shells, text tools, interpreters,
// compressors, databases...) run under qemu-user and under urun with the same sysroot, the
// same arguments and the same fresh working directory; every difference in stdout, stderr or
// exit status (or a signal, a hang, an internal error) is reported. Nothing is timed.
//
//   npm run compat                                (= node bench/compat.mjs)
//   node bench/compat.mjs --arch armel --only date,sort -v
//
// The packages come from Debian's archive (apt-get download, dpkg -x) into
// bench/build/compat/<arch> the first time: that needs network access to the archive and
// root to add the foreign architecture to dpkg.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { debianSysroot, run } from './debian.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = join(ROOT, 'bench', 'build', 'compat');
const URUN = join(ROOT, 'bin', 'urun');
const QEMU = { mipsel: 'qemu-mipsel', armhf: 'qemu-arm', armel: 'qemu-arm', mips: 'qemu-mips' };
const TRIPLET = { mipsel: 'mipsel-linux-gnu', armhf: 'arm-linux-gnueabihf', armel: 'arm-linux-gnueabi', mips: 'mips-linux-gnu' };
const GO_ENV = { mipsel: { GOARCH: 'mipsle', GOMIPS: 'hardfloat' }, armhf: { GOARCH: 'arm', GOARM: '7' }, armel: { GOARCH: 'arm', GOARM: '5' },
  mips: { GOARCH: 'mips', GOMIPS: 'hardfloat' } };
const PROBES = join(ROOT, 'bench', 'compat');

/**
 * The probe programs of bench/compat (C and C++, dynamic and static; Go) built into the
 * sysroot's /opt/compat, again whenever a source is newer; a missing compiler skips its probes.
 */
function buildProbes(arch, sysroot) {
  const out = join(sysroot, 'opt', 'compat');
  mkdirSync(out, { recursive: true });
  const stale = (bin, src) => !existsSync(bin) || statSync(bin).mtimeMs < statSync(src).mtimeMs;
  const t = TRIPLET[arch], cc = join(PROBES, 'probe.c'), cxx = join(PROBES, 'probe.cc');
  const sys = join(PROBES, 'probesys.c'), cxx2 = join(PROBES, 'probecc2.cc'), lib = join(PROBES, 'probelib.cc');
  const latomic = arch === 'armhf' ? [] : ['-latomic'];
  const builds = [
    [`${t}-gcc`, cc, 'probe', ['-O2', cc, '-lm']],
    [`${t}-gcc`, cc, 'probe-static', ['-O2', '-static', cc, '-lm']],
    [`${t}-g++`, cxx, 'probecc', ['-O2', '-std=c++17', cxx]],
    [`${t}-g++`, cxx, 'probecc-static', ['-O2', '-std=c++17', '-static', cxx, ...latomic]],
    [`${t}-gcc`, sys, 'probesys', ['-O2', '-w', sys, '-pthread', '-ldl', '-lm']],
    [`${t}-gcc`, sys, 'probesys-static', ['-O2', '-w', '-static', sys, '-pthread', '-ldl', '-lm']],
    [`${t}-g++`, lib, 'libprobethrow.so', ['-O2', '-fPIC', '-shared', lib]],
    [`${t}-g++`, cxx2, 'probecc2', ['-O2', '-std=c++17', cxx2, `-L${out}`, '-l:libprobethrow.so', '-Wl,-rpath,/opt/compat', '-pthread', ...latomic]],
    [`${t}-g++`, cxx2, 'probecc2-static', ['-O2', '-std=c++17', '-static', cxx2, lib, '-pthread', ...latomic]],
  ];
  for (const [compiler, src, name, args] of builds) {
    if (!stale(join(out, name), src)) continue;
    try {
      run(compiler, [...args, '-o', join(out, name)]);
    } catch (e) {
      console.log(`(${name} for ${arch} not built: ${String(e.message).split('\n')[0]})`);
    }
  }
  const goDir = join(PROBES, 'goprobe');
  if (readdirSync(goDir).some((f) => f.endsWith('.go') && stale(join(out, 'goprobe'), join(goDir, f)))) {
    try {
      run('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', join(out, 'goprobe'), '.'], {
        cwd: join(PROBES, 'goprobe'),
        env: { ...process.env, CGO_ENABLED: '0', GOOS: 'linux', GOFLAGS: '-mod=mod', ...GO_ENV[arch] },
      });
    } catch (e) {
      console.log(`(goprobe for ${arch} not built: ${String(e.message).split('\n')[0]})`);
    }
  }
}
const PACKAGES = ['libc-bin', 'coreutils', 'libacl1', 'libattr1', 'libselinux1', 'libpcre2-8-0', 'libgmp10',
  'libssl3', 'bash', 'dash', 'sed', 'grep', 'gawk', 'libmpfr6', 'libsigsegv2', 'libreadline8', 'libtinfo6',
  'perl', 'perl-base', 'libperl5.36', 'perl-modules-5.36:all', 'libgdbm6', 'libgdbm-compat4', 'libdb5.3',
  'libcrypt1', 'python3.11-minimal', 'libpython3.11-minimal', 'libpython3.11-stdlib', 'libexpat1', 'libffi8',
  'libncursesw6', 'libuuid1', 'libnsl2', 'libtirpc3', 'lua5.4', 'liblua5.4-0', 'libstdc++6', 'sqlite3',
  'libsqlite3-0', 'zlib1g', 'bc', 'dc', 'gzip', 'xz-utils', 'liblzma5', 'bzip2', 'libbz2-1.0', 'zstd',
  'libzstd1', 'liblz4-1', 'tar', 'file', 'libmagic1', 'libmagic-mgc', 'diffutils', 'patch', 'findutils',
  'xxd', 'jq', 'libjq1', 'libonig5', 'openssl', 'tzdata:all', 'libmd0', 'libatomic1', 'git', 'make', 'busybox',
  'tcl8.6', 'libtcl8.6', 'ruby3.1', 'libruby3.1', 'libyaml-0-2', 'libedit2', 'libbsd0', 'libncurses6',
  'procps', 'libproc2-0', 'libsystemd0', 'libcap2', 'libgcrypt20', 'libgpg-error0', 'util-linux', 'bsdextrautils',
  'libsmartcols1', 'psmisc', 'ed', 'm4', 'cpio', 'libxml2-utils', 'libxml2', 'libicu72', 'gpg', 'libassuan0',
  'libnpth0', 'rsync', 'libxxhash0', 'libpopt0', 'bsdutils'];

/**
 * Big-endian MIPS has no Debian port since buster: its sysroot is the cross compiler's
 * C library (/usr/mips-linux-gnu) linked into a directory of its own, and it runs only the
 * programs built here (the probes in /opt/compat).
 */
function crossSysroot(dir, arch) {
  mkdirSync(join(dir, 'opt', 'compat'), { recursive: true });
  if (!existsSync(join(dir, 'lib'))) symlinkSync(`/usr/${TRIPLET[arch]}/lib`, join(dir, 'lib'));
  return dir;
}
// A shell or interpreter script written as is: a template literal without its escapes
// (written \${ where the script itself has ${).
const script = (t) => t.raw.join('').replaceAll('\\${', '${');
const BUILT_HERE = /^\/opt\/compat\//;
const GIT_ENV = { GIT_AUTHOR_NAME: 'A U Thor', GIT_AUTHOR_EMAIL: 'author@example.com', GIT_AUTHOR_DATE: '2021-03-04T05:06:07Z',
  GIT_COMMITTER_NAME: 'C O Mitter', GIT_COMMITTER_EMAIL: 'committer@example.com', GIT_COMMITTER_DATE: '2021-03-04T05:06:07Z',
  GIT_CONFIG_NOSYSTEM: '1' };

const { values: opts } = parseArgs({
  options: {
    arch: { type: 'string', default: 'mipsel,armhf,armel,mips' },
    only: { type: 'string' },
    verbose: { type: 'boolean', short: 'v', default: false },
    timeout: { type: 'string', default: '120' },
  },
});

// The working directory every command starts in, laid anew before each run, so that
// both emulators see the same files with the same times at the same path.
// Per architecture and per run, so that several can run at once.
let WORK = '/tmp/urun-compat/work';
const FIXED_TIME = new Date('2021-03-04T05:06:07Z');
function layWorkDir() {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(join(WORK, 'sub', 'deep'), { recursive: true });
  const lines = [];
  let x = 12345;
  for (let i = 0; i < 3000; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    lines.push(`${i},${x % 1000},name${x % 97},${(x >>> 8) % 100000}`);
  }
  const files = {
    'data.csv': lines.join('\n') + '\n',
    'words.txt': 'banana\napple\ncherry\napple\nDate\n10\n9\n-3.5\n1e3\nécole\nzèbre\n',
    'a.txt': 'one\ntwo\nthree\nfour\n',
    'b.txt': 'one\n2\nthree\nfour\nfive\n',
    'j1.txt': '1 alpha\n2 beta\n4 delta\n',
    'j2.txt': '1 A\n3 C\n4 D\n',
    'doc.json': '{"a":[1,2.5,"x",{"b":null}],"n":12345678901234567890,"s":"h\\u00e9llo","t":true}\n',
    'prose.txt': 'The quick brown fox jumps over the lazy dog. '.repeat(12) + '\n\nSecond paragraph here.\n',
    'sub/x.c': 'int main(void) { return 0; }\n',
    'sub/deep/y.sh': '#!/bin/sh\necho hi\n',
    'script.sh': 'echo "$0" "$#"\n',
    'rand.bin': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) & 255)),
  };
  for (const [name, body] of Object.entries(files)) {
    writeFileSync(join(WORK, name), body);
    utimesSync(join(WORK, name), FIXED_TIME, FIXED_TIME);
  }
  for (const d of ['sub/deep', 'sub', '.', '..']) utimesSync(join(WORK, d), FIXED_TIME, FIXED_TIME);
}

// The command lines. A case is one program run ({ argv, env, stdin }), or `steps`: runs one
// after another in the same directory, each with its stdin from a file (`in`) and its stdout
// to a file (`out`) if asked, their outputs reported together. Programs are paths inside the
// sysroot. A guest shell here runs builtins only: qemu-user cannot exec a guest program
// without binfmt_misc, so what it would exec would be the host's.
// qemu-user 7.2 does not look in the sysroot for statx's path, which is how perl finds its
// modules: perl then fails under qemu only. Such cases report urun's result alone.
const STATX_PREFIX = 'qemu-user does not apply -L to statx';
const sh = (name, script, extra = {}) => ({ name, argv: ['/bin/bash', '-c', script], ...extra });
const c = (name, ...argv) => ({ name, argv });
const GO_CASES = ['gc', 'sync', 'select', 'preempt', 'context', 'signals', 'sigdie', 'threads', 'profile', 'manythreads',
  'deadlock', 'exit3', 'panic_div', 'net', 'files', 'exec', 'execve', 'sigchld', 'tz', 'misc', 'procfs', 'bigpipe',
  'crypto', 'compress', 'encoding', 'bigmath', 'floats', 'reflect'];
const steps = (name, ...list) => ({ name, steps: list.map((s) => (Array.isArray(s) ? { argv: s } : s)) });
const CASES = [
  c('ls-la', '/bin/ls', '-la', '--time-style=full-iso', 'sub'),
  c('ls-lR', '/bin/ls', '-lnR', '--time-style=+%Y-%m-%d %H:%M', '.'),
  c('ls-sort', '/bin/ls', '-1S', '-r'),
  { name: 'ls-utf8', argv: ['/bin/ls', '-l', '--time-style=long-iso', 'a.txt'], env: { LC_ALL: 'C.UTF-8' } },
  c('sort-n', '/usr/bin/sort', '-n', 'words.txt'),
  c('sort-g', '/usr/bin/sort', '-g', 'words.txt'),
  c('sort-k', '/usr/bin/sort', '-t,', '-k3,3', '-k2,2nr', 'data.csv'),
  { name: 'sort-utf8', argv: ['/usr/bin/sort', 'words.txt'], env: { LC_ALL: 'C.UTF-8' } },
  c('sort-u-h', '/usr/bin/sort', '-u', '-h', 'words.txt'),
  { name: 'date-tz', argv: ['/bin/date', '-d', '2021-07-04 12:00:00 UTC', '+%c|%Z|%z|%s|%j|%U|%a %b'], env: { TZ: 'America/New_York' } },
  { name: 'date-tz2', argv: ['/bin/date', '-d', '@1700000000', '-R'], env: { TZ: 'Europe/Paris' } },
  { name: 'date-tz3', argv: ['/bin/date', '-u', '-d', '2000-02-29 +1 year', '+%F %T %N'] },
  { name: 'date-iso', argv: ['/bin/date', '--iso-8601=ns', '-d', '1999-12-31T23:59:59.123456789+05:30'], env: { TZ: 'Asia/Kolkata' } },
  c('date-r', '/bin/date', '-u', '-r', 'a.txt', '+%s %F'),
  c('stat', '/usr/bin/stat', '-c', '%n %s %a %A %F %h %Y %y', 'a.txt', 'sub', '.'),
  c('stat-f', '/usr/bin/stat', '-f', '-c', '%T %b', '.'),
  c('du', '/usr/bin/du', '-ab', 'sub'),
  c('du-s', '/usr/bin/du', '-sk', '--apparent-size', '.'),
  c('seq', '/usr/bin/seq', '-f', '%.3e', '0.1', '0.37', '2'),
  c('seq-w', '/usr/bin/seq', '-w', '-s,', '8', '3', '20'),
  c('seq-big', '/usr/bin/seq', '18446744073709551610', '18446744073709551616'),
  c('printf', '/usr/bin/printf', '%f %g %e %a %.20Lg %x %o %5.2s|%-8d|%+.3d\\n', '3.14159', '1e-7', '12345.678', '1', '0.1', '255', '8', 'abcdef', '42', '7'),
  c('printf-inf', '/usr/bin/printf', '%f %g %e %d\\n', 'inf', '-nan', '1e308', '-9223372036854775808'),
  c('factor', '/usr/bin/factor', '1234567890123456789', '18446744073709551557', '1208925819614629174706175', '170141183460469231731687303715884105727'),
  c('md5sum', '/usr/bin/md5sum', 'data.csv', 'rand.bin'),
  c('sha256sum', '/usr/bin/sha256sum', 'data.csv', 'rand.bin'),
  c('sha512sum', '/usr/bin/sha512sum', 'rand.bin'),
  c('b2sum', '/usr/bin/b2sum', 'rand.bin'),
  c('cksum', '/usr/bin/cksum', 'rand.bin', 'data.csv'),
  c('sum', '/usr/bin/sum', '-r', 'rand.bin'),
  c('base64', '/usr/bin/base64', 'rand.bin'),
  { name: 'base64-d', argv: ['/usr/bin/base64', '-d'], stdin: 'aGVsbG8gd29ybGQK\n' },
  c('basenc', '/usr/bin/basenc', '--base32hex', 'a.txt'),
  c('od', '/usr/bin/od', '-A', 'x', '-t', 'x1z', '-t', 'f4', '-N', '64', 'rand.bin'),
  c('od-d', '/usr/bin/od', '-t', 'd8', '-t', 'f8', '-N', '48', 'rand.bin'),
  { name: 'tr', argv: ['/usr/bin/tr', 'a-z', 'A-Z'], stdin: 'hello, world\n' },
  { name: 'tr-d', argv: ['/usr/bin/tr', '-cd', '[:alnum:]\\n'], stdin: 'a-b_c d!\n' },
  c('cut', '/usr/bin/cut', '-d,', '-f2,4', 'data.csv'),
  c('join', '/usr/bin/join', '-a1', '-e', 'NONE', '-o', '0,1.2,2.2', 'j1.txt', 'j2.txt'),
  steps('split', ['/usr/bin/split', '-l', '700', '-d', 'data.csv', 'part_'], ['/usr/bin/wc', '-l', 'part_00', 'part_04'], ['/usr/bin/md5sum', 'part_03']),
  steps('csplit', ['/usr/bin/csplit', '-f', 'cs', 'data.csv', '/^1000,/', '{1}'], ['/usr/bin/wc', '-c', 'cs00', 'cs01', 'cs02']),
  c('expr', '/usr/bin/expr', '123456789', '*', '1000', '+', '7', '%', '13'),
  c('expr-re', '/usr/bin/expr', 'abc123def', ':', '[a-z]*\\([0-9]*\\)'),
  c('numfmt', '/usr/bin/numfmt', '--to=iec-i', '--suffix=B', '--format=%.3f', '1', '1024', '123456789', '99999999999'),
  c('numfmt-si', '/usr/bin/numfmt', '--from=si', '1.5K', '2M', '3G'),
  c('tac', '/usr/bin/tac', 'a.txt', 'b.txt'),
  c('shuf', '/usr/bin/shuf', '--random-source=rand.bin', '-n', '20', 'data.csv'),
  c('shuf-i', '/usr/bin/shuf', '--random-source=rand.bin', '-i', '1-30'),
  c('nl', '/usr/bin/nl', '-ba', '-nrz', '-w4', 'b.txt'),
  c('fmt', '/usr/bin/fmt', '-w', '30', 'prose.txt'),
  c('fold', '/usr/bin/fold', '-w', '17', '-s', 'prose.txt'),
  c('wc', '/usr/bin/wc', '-lwcmL', 'data.csv', 'prose.txt', 'words.txt'),
  { name: 'wc-utf8', argv: ['/usr/bin/wc', '-mL', 'words.txt'], env: { LC_ALL: 'C.UTF-8' } },
  steps('dd', ['/bin/dd', 'if=rand.bin', 'of=out.bin', 'bs=100', 'skip=3', 'count=7', 'conv=swab', 'status=noxfer'],
    ['/usr/bin/md5sum', 'out.bin'], ['/bin/dd', 'if=/dev/zero', 'of=sparse', 'bs=1', 'count=1', 'seek=3G', 'status=none'],
    ['/usr/bin/stat', '-c', '%s %b', 'sparse'], ['/usr/bin/du', '-k', 'sparse'], ['/usr/bin/tail', '-c', '2', 'sparse']),
  steps('install', ['/usr/bin/install', '-D', '-m', '0750', 'a.txt', 'p/q/r.txt'], ['/usr/bin/stat', '-c', '%a %s', 'p/q/r.txt'],
    ['/usr/bin/install', '-d', '-m', '700', 'd1'], ['/usr/bin/stat', '-c', '%a', 'd1']),
  steps('mktemp', { argv: ['/bin/mktemp', '-p', '.', 'tmpXXXXXX'], out: 'n1' }, { argv: ['/bin/mktemp', '-d', '-p', '.'], out: 'n2' }, ['/usr/bin/wc', '-c', 'n1', 'n2'], ['/usr/bin/find', '.', '-name', 'tmp.*', '-type', 'd', '-printf', '%m %d\\n']),
  steps('touch-d', ['/bin/touch', '-d', '2020-01-02 03:04:05.678', 'a.txt'], ['/usr/bin/stat', '-c', '%y %Y', 'a.txt'],
    ['/bin/touch', '-h', '-d', '@0', 'sub'], ['/bin/ls', '-ld', '--time-style=+%s', 'sub'], ['/bin/touch', '-r', 'a.txt', 'b.txt'],
    ['/usr/bin/stat', '-c', '%y', 'b.txt']),
  steps('touch-tz', { argv: ['/bin/touch', '-d', '2022-11-06 01:30', 'b.txt'], env: { TZ: 'America/New_York' } }, ['/usr/bin/stat', '-c', '%Y', 'b.txt']),
  steps('ln-readlink', ['/bin/ln', '-s', 'sub/deep', 'lnk'], ['/bin/ln', '-s', 'lnk', 'lnk2'], ['/bin/readlink', 'lnk2'],
    ['/bin/readlink', '-f', 'lnk2/y.sh'], ['/usr/bin/realpath', '--relative-to=sub', 'lnk2'], ['/bin/ln', 'a.txt', 'hard'],
    ['/usr/bin/stat', '-c', '%h %F', 'hard', 'lnk'], ['/bin/ln', '-s', 'lnk', 'lnk'], ['/bin/readlink', '-e', 'nope']),
  steps('chmod', ['/bin/chmod', '0640', 'a.txt'], ['/bin/chmod', 'u+x,g-r,o+w', 'b.txt'], ['/usr/bin/stat', '-c', '%a %A', 'a.txt', 'b.txt'],
    ['/bin/chmod', '-R', 'go-rwx', 'sub'], ['/usr/bin/stat', '-c', '%a', 'sub', 'sub/deep'], ['/bin/chmod', '-v', '4755', 'a.txt']),
  steps('chown', ['/bin/chown', '0:0', 'a.txt'], ['/bin/chown', '12345:54321', 'a.txt'], ['/usr/bin/stat', '-c', '%u %g', 'a.txt'], ['/bin/chgrp', '-h', 'root', 'a.txt']),
  steps('mv-rm', ['/bin/mv', 'a.txt', 'sub/moved'], ['/bin/cp', '-a', 'sub', 'sub2'], ['/bin/rm', '-rv', 'sub'], ['/bin/ls', '-R', 'sub2'], ['/bin/rmdir', 'sub2'], ['/bin/mkdir', '-pv', 'm/n/o']),
  c('id', '/usr/bin/id'),
  c('whoami', '/usr/bin/whoami'),
  c('uname', '/bin/uname', '-sm'),
  c('env', '/usr/bin/env', '-i', 'A=1', 'B=two', '/usr/bin/env'),
  c('nproc', '/usr/bin/nproc'),
  c('timeout', '/usr/bin/timeout', '5', '/bin/echo', 'in time'),
  c('timeout-kill', '/usr/bin/timeout', '-s', 'KILL', '0.3', '/bin/sleep', '5'),
  steps('tee', { argv: ['/usr/bin/tee', 't1', 't2'], stdin: 'tee me\n' }, ['/bin/cat', 't1', 't2']),
  c('comm', '/usr/bin/comm', 'a.txt', 'b.txt'),
  c('paste', '/usr/bin/paste', '-d:', 'a.txt', 'b.txt'),
  c('pr', '/usr/bin/pr', '-2', '-t', '-w', '40', 'b.txt'),
  c('ptx', '/usr/bin/ptx', 'a.txt'),
  steps('truncate', ['/usr/bin/truncate', '-s', '5000000000', 'big'], ['/usr/bin/stat', '-c', '%s', 'big'], ['/usr/bin/truncate', '-s', '-1G', 'big'],
    ['/usr/bin/stat', '-c', '%s', 'big'], ['/usr/bin/tail', '-c', '3', 'big'], ['/usr/bin/du', '-b', 'big']),
  c('df', '/bin/df', '--output=fstype,target', '/'),
  c('pathchk', '/usr/bin/pathchk', '-p', 'a/b/c', 'ok'),
  c('printenv', '/usr/bin/printenv', 'HOME'),
  c('head-tail', '/usr/bin/tail', '-n', '+2995', 'data.csv'),
  c('sleep', '/bin/sleep', '0.2'),
  c('true', '/bin/false'),
  c('test', '/usr/bin/test', '-f', 'a.txt', '-a', '-d', 'sub', '-a', 'a.txt', '-ot', 'b.txt'),
  c('uniq', '/usr/bin/uniq', '-c', 'words.txt'),
  c('expand', '/usr/bin/expand', '-t', '3', 'sub/x.c'),
  c('cat-A', '/bin/cat', '-A', 'words.txt'),
  { name: 'cat-A-utf8', argv: ['/bin/cat', '-v', 'words.txt'], env: { LC_ALL: 'C.UTF-8' } },
  c('missing', '/bin/cat', 'nope', 'a.txt'),
  // bench/compat's own probes (built into the sysroot's /opt/compat)
  c('probe-c', '/opt/compat/probe', 'all', '.'),
  c('probe-c-static', '/opt/compat/probe-static', 'all', '.'),
  c('probe-cc', '/opt/compat/probecc', '.'),
  c('probe-cc-static', '/opt/compat/probecc-static', '.'),
  c('probe-go', '/opt/compat/goprobe', '.'),
  // goprobe's named cases (bench/compat/goprobe/{runtime,system,data}.go); the children they
  // start are /bin/sh, /bin/sleep, /bin/cat (the host's under qemu-user, the sysroot's under urun)
  ...GO_CASES.map((name) => c(`probe-go-${name}`, '/opt/compat/goprobe', name)),
  // shells
  sh('bash-arrays', 'declare -A m=([x]=1 [y]=2); a=(3 1 2); a+=(9); echo ${#a[@]} ${a[@]:1:2} ${!m[@]} $(( (1<<40) + 7 % 3 ** 2 )) $((-7/2)) $((2**63-1)); printf "%05.1f|%-4s|%x|%q\\n" 3.14159 ab 255 "a b"'),
  sh('bash-regex', 'for s in abc123 x9 "" 12-34; do if [[ $s =~ ^([a-z]*)([0-9]+)$ ]]; then echo "$s -> ${BASH_REMATCH[1]}/${BASH_REMATCH[2]}"; else echo "$s no"; fi; done; s="Hello World"; echo ${s,,} ${s^^} ${s/World/There} ${s:3:4} ${#s}'),
  sh('bash-read', 'n=0; while IFS=, read -r a b c d; do (( n += b )); done < data.csv; echo $n; mapfile -t L < a.txt; echo "${L[2]}"; read -r -d "" h <<EOF\nheredoc $n\nEOF\necho ${#h}; echo $(( 3 > 2 ? 10#0777 : 0 )) $(( 16#ff ))'),
  sh('bash-printf-time', 'TZ=UTC printf "%(%Y-%m-%d %H:%M:%S)T\\n" 1234567890; printf -v x "%s-%d" a 5; echo $x; echo $RANDOM >/dev/null; type -t printf; echo ${BASH_VERSINFO[0]}'),
  sh('bash-glob', 'shopt -s globstar nullglob; echo **/*.sh; echo *.tx?; echo [ab].txt; echo nomatch*'),
  sh('bash-errexit', 'set -e; f() { return 3; }; f || echo rc=$?; false; echo never'),
  { name: 'dash', argv: ['/bin/dash', '-c', 'x=5; while [ $x -gt 0 ]; do printf "%d " $x; x=$((x-1)); done; echo; case abc in a*) echo A;; esac; echo ${#x} $((0x10 + 010))'] },
  { name: 'dash-script', argv: ['/bin/dash', 'script.sh', 'p1', 'p2'] },
  // text tools
  c('sed', '/bin/sed', '-E', '-n', 's/^([0-9]+),([0-9]+),(name1[0-9]),.*/\\3:\\2:\\1/p', 'data.csv'),
  c('sed-i', '/bin/sed', '-e', '1~2d', '-e', '$a\\\nlast', 'b.txt'),
  { name: 'sed-utf8', argv: ['/bin/sed', 's/./[&]/g', 'words.txt'], env: { LC_ALL: 'C.UTF-8' } },
  c('grep-E', '/bin/grep', '-E', '-c', '^[0-9]+,(1|2)[0-9]{2},', 'data.csv'),
  c('grep-P', '/bin/grep', '-P', '-o', '(?<=name)\\d{2}(?=,\\d{5}$)', 'data.csv'),
  c('grep-w', '/bin/grep', '-n', '-w', '-i', 'APPLE', 'words.txt'),
  { name: 'grep-utf8', argv: ['/bin/grep', '-P', '^\\p{Ll}+$', 'words.txt'], env: { LC_ALL: 'C.UTF-8' } },
  c('gawk-math', '/usr/bin/gawk', 'BEGIN { printf "%.10f %.6e %g %d %s %.15g %x\\n", atan2(1,1)*4, exp(10), log(2), 2^53+1, sqrt(2), sin(1)+cos(1), 255; print 1e300*1e300, -log(0), int(-3.7), 7%3, -7%3 }'),
  c('gawk-fmt', '/usr/bin/gawk', '-F,', '{ s[$3] += $4; n++ } END { PROCINFO["sorted_in"]="@ind_str_asc"; for (k in s) if (k ~ /name[1-2]$/) printf "%s %d %.3f\\n", k, s[k], s[k]/n }', 'data.csv'),
  { name: 'gawk-time', argv: ['/usr/bin/gawk', 'BEGIN { print strftime("%Y-%m-%d %H:%M:%S %Z %a", 1600000000); print mktime("2021 03 14 01 59 26"); print strftime("%c", 0, 1) }'], env: { TZ: 'America/New_York' } },
  c('gawk-re', '/usr/bin/gawk', '{ if (match($0, /^([a-z])([a-z]+)$/, m)) print m[2] m[1] "ay"; gsub(/[aeiou]/, "<&>"); print toupper($0), length($0) }', 'words.txt'),
  c('gawk-bignum', '/usr/bin/gawk', '-M', 'BEGIN { print 2^200; printf "%.40f\\n", 1/3 }'),
  // perl
  c('perl-basic', '/usr/bin/perl', '-e', 'my %h = map { $_ => length } qw(apple banana kiwi); print join(",", map {"$_=$h{$_}"} sort keys %h), "\\n"; printf "%.15g %e %s %d\\n", 0.1+0.2, 1/7, 2**64, -17/4; print scalar(reverse "hello"), " ", lc("ÀB"), " ", 10/3, "\\n";'),
  c('perl-regex', '/usr/bin/perl', '-ne', 'print "$3-$1\\n" if /^(\\d+),(\\d+),(name(?:1|2)\\d),/ && $2 > 900', 'data.csv'),
  c('perl-pack', '/usr/bin/perl', '-e', 'my $b = pack("NnC a4 d f V q", 0xdeadbeef, 513, 7, "xyz", 3.5, -1.25, 1, -2); print unpack("H*", $b), "\\n"; my @v = unpack("NnC a4 d f V q", $b); print "@v\\n";'),
  { name: 'perl-time', qemuFails: STATX_PREFIX, argv: ['/usr/bin/perl', '-MPOSIX=strftime', '-e', 'print scalar(localtime(1700000000)), "\\n", strftime("%Y-%m-%d %H:%M:%S %Z", localtime(1200000000)), "\\n"; my @t = gmtime(2**31 + 100); print "@t\\n";'], env: { TZ: 'America/New_York' } },
  c('perl-sort', '/usr/bin/perl', '-e', 'my @a = map { ($_ * 7919) % 1000 } 1..50; print join(" ", sort { $a <=> $b } @a), "\\n"; print join(" ", (sort { $b cmp $a } @a)[0..4]), "\\n"; printf "%s\\n", join ",", map { sprintf "%.2f", sqrt } 1..5;'),
  { ...c('perl-modules', '/usr/bin/perl', '-MList::Util=sum,max,shuffle', '-MData::Dumper', '-MDigest::MD5=md5_hex', '-e', '$Data::Dumper::Sortkeys=1; print sum(1..100), " ", max(3,9,2), " ", md5_hex("abc"), "\\n", Dumper({a=>[1,2],b=>"x"});'), qemuFails: STATX_PREFIX },
  c('perl-file', '/usr/bin/perl', '-e', 'opendir my $d, "." or die; my @f = sort grep { !/^\\./ } readdir $d; print "@f\\n"; my @s = stat "a.txt"; print "$s[7] $s[9]\\n"; open my $fh, "<", "data.csv"; my $n = () = <$fh>; print "$n\\n"; print -e "nope" ? "y" : "n", "\\n";'),
  // python
  c('python-basic', '/usr/bin/python3.11', '-c', 'import json, re, math, struct, sys\nd = json.load(open("doc.json")); print(json.dumps(d, sort_keys=True)); print(re.findall(r"name(1\\d),", open("data.csv").read())[:8]); print(math.gamma(4.5), math.lgamma(100), math.fsum([0.1]*10), math.nextafter(1.0, 2), math.fma(2,3,4) if hasattr(math, "fma") else 0); print(struct.pack("<dIh", 1.5, 7, -2).hex(), struct.unpack(">q", b"\\x80" + b"\\0"*7)); print(sys.byteorder, sys.maxsize, sys.float_info.max, 1e16+1.0, repr(0.1), float("nan") != float("nan"))'),
  c('python-stdlib', '/usr/bin/python3.11', '-c', 'import datetime, decimal, hashlib, zlib, fractions, statistics, os, time\nprint(datetime.datetime(2021,3,14,1,59,26) + datetime.timedelta(days=400, seconds=99999)); decimal.getcontext().prec = 50; print(decimal.Decimal(1) / decimal.Decimal(7), decimal.Decimal(2).sqrt()); print(hashlib.sha256(b"abc").hexdigest(), hashlib.md5(b"").hexdigest(), hashlib.sha3_256(b"x").hexdigest()[:16], hashlib.blake2b(b"x").hexdigest()[:16]); z = zlib.compress(open("data.csv","rb").read(), 9); print(len(z), zlib.crc32(z), zlib.adler32(z)); print(fractions.Fraction(3, 14) ** 5, statistics.stdev([1.5, 2.5, 2.5, 2.75, 3.25, 4.75])); os.environ["TZ"] = "Europe/Berlin"; time.tzset(); print(time.strftime("%Y-%m-%d %H:%M:%S %Z %z", time.localtime(1700000000)), time.mktime((2022, 3, 27, 2, 30, 0, 0, 0, -1)))'),
  c('python-sqlite', '/usr/bin/python3.11', '-c', 'import sqlite3\ndb = sqlite3.connect(":memory:"); db.execute("create table t(a integer, b real, c text)"); db.executemany("insert into t values (?,?,?)", [(i, i/3, str(i)*3) for i in range(1000)]); print(db.execute("select count(*), sum(a), avg(b), max(c), total(b*b) from t").fetchone()); print(db.execute("select sqlite_version() is not null, printf(\'%.5f|%e\', 2.0/3, 1e-300)").fetchone())'),
  c('python-files', '/usr/bin/python3.11', '-c', 'import os, pathlib, tempfile, shutil, glob\nprint(sorted(os.listdir("."))); print(sorted(str(p) for p in pathlib.Path(".").rglob("*.*"))); st = os.stat("a.txt"); print(st.st_size, st.st_mtime, oct(st.st_mode)); d = tempfile.mkdtemp(dir="."); shutil.copy("data.csv", d); print(os.path.getsize(os.path.join(d, "data.csv"))); print(os.getcwd(), os.cpu_count() > 0, os.get_terminal_size if False else 0)'),
  // lua, sqlite, bc, dc
  c('lua', '/usr/bin/lua5.4', '-e', 'print(string.format("%.14g %g %5.2f %x %q", math.pi, 2^63, -1/3, 255, "a\\n")); print(math.maxinteger, math.mininteger, 7 // 2, -7 // 2, 7 % -3, 3 / 0, math.tointeger(2^53)); local t = {} for w in io.open("a.txt"):read("a"):gmatch("%a+") do t[#t+1] = w:upper() end table.sort(t) print(table.concat(t, ",")); print(os.time{year=2020, month=2, day=29, hour=12}, os.date("!%Y-%m-%d %H:%M:%S", 1e9)); print(string.pack(">i4d", -2, 0.5):byte(1, -1))'),
  { name: 'sqlite3', argv: ['/usr/bin/sqlite3', ':memory:'], stdin: "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) SELECT count(*), sum(x % 7), avg(x), total(1.0/x) FROM c;\nSELECT printf('%.3f %e %d %s %x', pi(), 1e100, 1<<62, 'str', 255);\nSELECT date('2021-03-14', '+1 month', 'weekday 0'), datetime(1600000000, 'unixepoch'), julianday('2000-01-01'), strftime('%j %W %s', '2022-12-31 23:59:59');\nSELECT round(sqrt(2), 10), pow(2, 0.5), ln(10), exp(1), floor(-2.5), ceil(-2.5), log10(1000), sin(1), atan2(1, 2);\nSELECT hex(zeroblob(3)), upper('abc'), length('école'), instr('hello', 'l'), typeof(1e400), 9223372036854775807 + 1;\nCREATE TABLE t(a, b); INSERT INTO t SELECT value, value * value FROM generate_series(1, 100); SELECT group_concat(a) FROM (SELECT a FROM t WHERE b % 9 = 0 ORDER BY b DESC LIMIT 5);\n" },
  { name: 'sqlite3-file', argv: ['/usr/bin/sqlite3', 'test.db'], stdin: 'PRAGMA journal_mode=WAL; CREATE TABLE x(a INTEGER PRIMARY KEY, b TEXT); INSERT INTO x(b) VALUES (\'a\'),(\'b\'); BEGIN; INSERT INTO x(b) SELECT b || a FROM x; COMMIT; SELECT * FROM x; PRAGMA integrity_check; VACUUM; .mode csv\n.import data.csv d\nSELECT count(*), sum(cast(d.[0] as integer)) FROM d;\n' },
  { name: 'bc', argv: ['/usr/bin/bc', '-l'], stdin: 'scale=60; 4*a(1)\ne(1)\nl(2)\nsqrt(2)\n2^300\nscale=5; 1/7\nobase=16; 255*255\n' },
  { name: 'dc', argv: ['/usr/bin/dc'], stdin: '50k 2v p 3 1000 ^ 1000007 % p 16o 123456789 p\n' },
  // compression and archives
  steps('gzip-rt', { argv: ['/bin/gzip', '-9', '-c', 'data.csv'], out: 'd.gz' }, ['/bin/gzip', '-l', 'd.gz'], ['/bin/gzip', '-dc', 'd.gz'],
    ['/bin/gzip', '-t', 'd.gz'], ['/usr/bin/md5sum', 'd.gz'], ['/bin/gzip', '-d', 'd.gz'], ['/usr/bin/cmp', 'd', 'data.csv']),
  steps('xz-rt', { argv: ['/usr/bin/xz', '-6e', '-c', 'data.csv'], out: 'd.xz' }, ['/usr/bin/xz', '-l', 'd.xz'], { argv: ['/usr/bin/xz', '-dc', 'd.xz'], out: 'd' },
    ['/usr/bin/md5sum', 'd.xz', 'd'], ['/usr/bin/xz', '-T2', '-9', '-k', 'words.txt'], ['/usr/bin/xz', '-lvv', 'words.txt.xz']),
  steps('bzip2-rt', { argv: ['/bin/bzip2', '-c', 'data.csv'], out: 'd.bz2' }, { argv: ['/bin/bzip2', '-dc', 'd.bz2'], out: 'd' },
    ['/usr/bin/md5sum', 'd.bz2', 'd'], ['/bin/bzip2', '-tv', 'd.bz2']),
  steps('zstd-rt', { argv: ['/usr/bin/zstd', '-q', '-19', '-c', 'data.csv'], out: 'd.zst' }, { argv: ['/usr/bin/zstd', '-q', '-dc', 'd.zst'], out: 'd' },
    ['/usr/bin/md5sum', 'd.zst', 'd'], ['/usr/bin/zstd', '-l', 'd.zst'], ['/usr/bin/zstd', '-q', '-T2', '--long', '-3', 'words.txt', '-o', 'w.zst'], ['/usr/bin/md5sum', 'w.zst']),
  steps('tar', ['/bin/tar', '--mtime=@1600000000', '--owner=0', '--group=0', '--numeric-owner', '--sort=name', '-cf', 't.tar', 'a.txt', 'sub'],
    ['/bin/tar', '-tvf', 't.tar'], ['/usr/bin/md5sum', 't.tar'], ['/bin/mkdir', 'x'], ['/bin/tar', '-xf', 't.tar', '-C', 'x'],
    ['/usr/bin/stat', '-c', '%n %Y %s %a', 'x/a.txt', 'x/sub/x.c', 'x/sub/deep']),
  steps('tar-z', ['/bin/tar', '--use-compress-program=/bin/gzip', '-cf', 't.tgz', '--mtime=@0', '--sort=name', 'sub', 'words.txt'], ['/bin/gzip', '-t', 't.tgz']),
  steps('tar-x', ['/bin/tar', '--format=pax', '--sort=name', '-cf', 't.tar', 'sub', 'a.txt'], ['/bin/rm', '-r', 'sub', 'a.txt'],
    ['/bin/tar', '-xvf', 't.tar'], ['/usr/bin/find', 'sub', 'a.txt', '-printf', '%p %T@ %m\\n'], ['/bin/tar', '-df', 't.tar']),
  c('file', '/usr/bin/file', 'a.txt', 'data.csv', 'rand.bin', 'sub', 'sub/deep/y.sh', 'doc.json', '/bin/ls', '/usr/share/zoneinfo/UTC'),
  c('file-mime', '/usr/bin/file', '-i', 'a.txt', 'doc.json', '/bin/ls'),
  // diff, patch, find, xxd, jq, openssl
  c('diff', '/usr/bin/diff', '-u', 'a.txt', 'b.txt'),
  c('cmp', '/usr/bin/cmp', '-l', 'a.txt', 'b.txt'),
  steps('patch', { argv: ['/usr/bin/diff', '-u', 'a.txt', 'b.txt'], out: 'p.diff' }, { argv: ['/usr/bin/patch', 'a.txt'], in: 'p.diff' },
    ['/usr/bin/cmp', 'a.txt', 'b.txt'], { argv: ['/usr/bin/patch', '-R', '-b', 'b.txt'], in: 'p.diff' }, ['/usr/bin/diff', 'a.txt', 'b.txt'], ['/usr/bin/diff', '-q', 'b.txt.orig', 'a.txt']),
  c('find', '/usr/bin/find', '.', '-name', '*.txt', '-printf', '%p %s %m %TY-%Tm-%Td %y\\n'),
  c('find-type', '/usr/bin/find', '.', '-type', 'd', '-o', '-size', '+1k', '-print'),
  c('xxd', '/usr/bin/xxd', '-l', '96', 'rand.bin'),
  c('xxd-i', '/usr/bin/xxd', '-i', 'a.txt'),
  c('jq', '/usr/bin/jq', '-S', '.a[1] * 3, (.n | tostring), .s, [.a[] | type], (now | type), (1e1000), ([3,1,2] | sort)', 'doc.json'),
  c('jq-math', '/usr/bin/jq', '-n', '[pow(2;0.5), log, (10 | log10), (1 | atan * 4), (3.7 | floor), (-0.0), (1/3)]', '--argjson', 'x', '1'),
  c('jq-date', '/usr/bin/jq', '-n', '1600000000 | todate, (gmtime | mktime), ("2015-03-05T23:51:47Z" | fromdate), (0 | strftime("%A %B %d %Y"))'),
  c('openssl-dgst', '/usr/bin/openssl', 'dgst', '-sha256', '-sha1', 'data.csv'),
  c('openssl-sha3', '/usr/bin/openssl', 'dgst', '-sha3-512', 'rand.bin'),
  steps('openssl-enc', ['/usr/bin/openssl', 'enc', '-aes-256-cbc', '-pbkdf2', '-iter', '1000', '-S', '0102030405060708', '-pass', 'pass:secret', '-in', 'data.csv', '-out', 'e.bin'],
    ['/usr/bin/md5sum', 'e.bin'], { argv: ['/usr/bin/openssl', 'enc', '-d', '-aes-256-cbc', '-pbkdf2', '-iter', '1000', '-pass', 'pass:secret', '-in', 'e.bin'], out: 'd' },
    ['/usr/bin/cmp', 'd', 'data.csv'], ['/usr/bin/openssl', 'enc', '-chacha20', '-K', '00'.repeat(32), '-iv', '11'.repeat(16), '-in', 'a.txt', '-a']),
  steps('openssl-rand', { argv: ['/usr/bin/openssl', 'rand', '-hex', '32'], out: 'r' }, ['/usr/bin/wc', '-c', 'r'],
    ['/usr/bin/openssl', 'genpkey', '-algorithm', 'ed25519', '-out', 'k.pem'], { argv: ['/usr/bin/openssl', 'pkey', '-in', 'k.pem', '-noout', '-text_pub'], out: 'pub' },
    ['/usr/bin/wc', '-l', 'k.pem', 'pub']), // random keys: their sizes only
  c('openssl-prime', '/usr/bin/openssl', 'prime', '-checks', '10', '170141183460469231731687303715884105727'),
  c('openssl-version', '/usr/bin/openssl', 'version'),
  c('openssl-speed', '/usr/bin/openssl', 'list', '-digest-algorithms'),
  // Programs that start other programs. Under qemu-user the children are the host's own
  // programs (it cannot exec a guest binary without binfmt_misc), of the same Debian
  // release; under urun they are the sysroot's, run by urun. Fixed dates keep hashes stable.
  { name: 'git', env: GIT_ENV, argv: ['/bin/bash', '-c', script`set -e
git -c init.defaultBranch=main init -q repo; cd repo
printf 'line %s\n' 1 2 3 > f.txt; cp ../data.csv .; mkdir -p src; echo 'int x;' > src/a.c
git add -A; git commit -q -m 'first commit'
sed -i 's/line 2/line two/' f.txt; echo new > g.txt; git rm -q --cached data.csv
git status --porcelain=v1; git status -s -b
git diff --stat; git diff f.txt
git add -A; git commit -q -m 'second' -m 'body text'
git log --format='%H %an <%ae> %ad %s' --date=iso-strict
git log --stat --format=%s -1; git show --format=%T HEAD~1 --stat | head -5
git tag -a v1 -m 'release'; git describe; git branch feature; git checkout -q feature
echo feat >> f.txt; git commit -qam feat; git checkout -q main; git merge -q --no-edit feature; git log --oneline --graph
git rev-parse 'HEAD^{tree}'; git cat-file -p HEAD | head -3; git ls-files -s | head -4; git count-objects | cut -d, -f1
git gc -q; git fsck --no-progress 2>&1 | head -3; git verify-pack -s .git/objects/pack/*.idx | tail -2
git grep -n 'line' -- '*.txt'; git archive --format=tar HEAD | tar -tf - | sort; git stash list; echo done`] },
  sh('make', script`printf '%s\n' 'OBJS := $(patsubst %.txt,out/%.up,$(wildcard *.txt))' '.PHONY: all clean' 'all: out/summary' \
  'out/%.up: %.txt | out' '	@tr a-z A-Z < $< > $@ && echo "made $@"' 'out:' '	mkdir -p $@' 'out/summary: $(OBJS)' \
  '	@cat $^ | wc -l > $@; echo "summary $$(cat $@) from $(words $^) files"; for f in $^; do test -s $$f || exit 1; done' \
  'clean:' '	rm -rf out' > Makefile
make -j2 --no-print-directory -s all 2>&1 | sort; make -q all; echo "up to date $?"; touch -d '2022-01-01' a.txt
make --no-print-directory all | sort; make -n clean; make clean; make -f nope 2>&1; echo status $?
make --no-print-directory -C sub -f /dev/null x 2>&1; echo status $?; printf 'all:\n\t@exit 7\n' > bad.mk; make -s -f bad.mk; echo status $?`),
  sh('bash-procs', script`trap 'echo trapped EXIT' EXIT; trap 'echo got USR1' USR1
sort -t, -k2,2n data.csv | tail -3 | cut -d, -f1,2; echo "pipestatus \${PIPESTATUS[*]}"
x=$( (echo sub; exit 3) ); echo "subshell $? $x"; { sleep 0.2; echo bg1 > bg1; } & { echo bg2 > bg2; } & wait; cat bg1 bg2; echo "waited"
sleep 0.1 & p=$!; wait $p; echo "wait status $?"; (exit 5) & wait $!; echo "bg exit $?"
kill -USR1 $$; diff <(sort a.txt) <(sort b.txt) | head -4; echo "diff via procsub"
while read -r n; do echo "n=$n"; done < <(seq 3); cat <<HERE | tr a-z A-Z
here-doc $((6*7)) $(echo nested)
HERE
coproc C { read -r l; echo "co:$l"; }; echo hi >&"\${C[1]}"; read -r r <&"\${C[0]}"; echo "$r"
f() { local v=1; echo "func $v $#"; return 4; }; f a b || echo "func rc $?"
set -o pipefail; false | true || echo "pipefail $?"; ulimit -n 100; echo "ulimit $(ulimit -n)"
(trap 'echo sub TERM; exit 9' TERM; kill -TERM $BASHPID; echo after) ; echo "sub status $?"
timeout 0.2 sleep 3; echo "timeout $?"; exec 3>fd3.txt; echo to3 >&3; exec 3>&-; cat fd3.txt; type -p ls`),
  sh('shell-pipes', script`tar -cf - a.txt b.txt sub | gzip -6 -n | gzip -d | tar -tvf - --numeric-owner | awk '{print $1, $3, $6}'
tar -cJf t.txz sub data.csv; xz -t t.txz; tar -xOf t.txz data.csv | md5sum
tar --zstd -cf t.tzst data.csv; zstd -t -q t.tzst; tar --zstd -xOf t.tzst | wc -c
bzip2 -c data.csv | bunzip2 | cmp - data.csv && echo bz same
find . -name '*.txt' -exec wc -c {} + | sort; find . -type f -name '*.sh' -exec sh -c 'echo "[$1]"' _ {} \;
seq 1 20 | xargs -P2 -n3 echo | sort | head -3; printf 'a\0b c\0' | xargs -0 -I{} echo "<{}>"
sort -S 64k -T . -t, -k4,4n data.csv | tail -2; seq 200000 | sort -S 100k -T . -rn | head -2
split -n l/4 -d data.csv p_; wc -l p_0*; cat p_0* | cmp - data.csv && echo split-join same
sort a.txt > sa; sort b.txt > sb; comm -3 sa sb; join j1.txt j2.txt
openssl dgst -sha256 -r data.csv; openssl enc -aes-128-ctr -K 00112233445566778899aabbccddeeff -iv 0 -in a.txt | openssl dgst -md5 -r
file -b rand.bin doc.json; mkdir d2; cp -a sub d2/; echo x > d2/sub/new; diff -r sub d2/sub; diff -rq . d2 | head -3; echo "diff-r $?"`),
  sh('shell-jobs', script`for i in 1 2 3; do (sleep 0.$i; echo "job $i" > job$i) & done; wait; cat job1 job2 job3
mkfifo ff; (echo through fifo > ff) & cat ff; wait
exec 4< a.txt; read -r -u 4 l1; read -r -u 4 l2; echo "$l1 $l2"; exec 4<&-
trap 'echo child exited' CHLD; sleep 0.1; wait; trap - CHLD
echo $(( $(wc -l < data.csv) * 2 )); [ "$(printf '%s' "$(cat a.txt)" | wc -l)" = 3 ] && echo subst-strip
x=0; for f in *.txt; do ((x+=$(wc -c < "$f"))); done; echo total $x; env -i FOO=bar /bin/sh -c 'echo $FOO' 2>&1`),
  // python: processes, threads, sockets, signals
  c('python-procs', '/usr/bin/python3.11', '-c', script`import subprocess, sys, os, signal, threading, queue, socket, select, time, multiprocessing as mp
r = subprocess.run(["/usr/bin/python3.11", "-c", "import sys; print(sys.stdin.read().upper()); sys.exit(3)"], input=b"piped", capture_output=True)
print(r.returncode, r.stdout, r.stderr)
print(subprocess.check_output("echo shell $((1+2)) | tr a-z A-Z", shell=True))
p = subprocess.Popen(["/bin/cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE); out, _ = p.communicate(b"x" * 200000); print(len(out), p.wait())
try: subprocess.run(["/bin/sleep", "5"], timeout=0.3)
except subprocess.TimeoutExpired as e: print("timeout", e.cmd)
print(subprocess.call(["/bin/false"]))
try: subprocess.run(["/nonexistent/prog"])
except FileNotFoundError as e: print("FileNotFoundError", e.errno)
pid = os.fork()
if pid == 0: os._exit(7)
print("fork", os.waitpid(pid, 0)[1] >> 8)
rfd, wfd = os.pipe(); pid = os.fork()
if pid == 0:
    os.close(rfd); os.write(wfd, b"from child"); os._exit(0)
os.close(wfd); print(os.read(rfd, 100)); os.waitpid(pid, 0)
q = queue.Queue(); ts = [threading.Thread(target=lambda i=i: q.put(sum(range(i * 10000)))) for i in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]; print(sorted(q.get() for _ in ts))
lock = threading.Lock(); cnt = [0]
def inc():
    for _ in range(5000):
        with lock: cnt[0] += 1
ts = [threading.Thread(target=inc) for _ in range(3)]; [t.start() for t in ts]; [t.join() for t in ts]; print("count", cnt[0])
got = []; signal.signal(signal.SIGUSR1, lambda s, f: got.append(s)); os.kill(os.getpid(), signal.SIGUSR1); time.sleep(0.01); print("signal", got)
signal.signal(signal.SIGALRM, lambda s, f: got.append("alarm")); signal.setitimer(signal.ITIMER_REAL, 0.05); time.sleep(0.5); print(got)
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(); port = srv.getsockname()[1]
def serve():
    c, _ = srv.accept(); d = c.recv(100); c.sendall(d[::-1]); c.close()
t = threading.Thread(target=serve); t.start()
cl = socket.create_connection(("localhost", port)); cl.sendall(b"loopback"); print(cl.recv(100)); t.join(); cl.close()
a, b = socket.socketpair(); b.send(b"x"); print("select", select.select([a], [], [], 1)[0] == [a]); pl = select.poll(); pl.register(a, select.POLLIN); print("poll", pl.poll(1000)[0][1])
u1 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u1.bind(("127.0.0.1", 0)); u2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u2.sendto(b"dgram", u1.getsockname()); print(u1.recvfrom(10)[0])
with mp.Pool(2) as pool: print("pool", pool.map(abs, range(-5, 5)))
pr = mp.Process(target=os._exit, args=(4,)); pr.start(); pr.join(); print("process exit", pr.exitcode)
qq = mp.Queue(); pr = mp.Process(target=qq.put, args=({"k": [1, 2]},)); pr.start(); print(qq.get()); pr.join()
import concurrent.futures as cf
with cf.ThreadPoolExecutor(3) as ex: print(list(ex.map(lambda x: x * x, range(6))))
with cf.ProcessPoolExecutor(2) as ex: print(list(ex.map(pow, [2, 3], [10, 5])))`),
  c('python-modules', '/usr/bin/python3.11', '-c', script`import json, hashlib, zlib, sqlite3, bz2, lzma, binascii, struct, csv, io, textwrap, uuid, random, heapq, itertools, collections, array, ctypes, mmap, tempfile, os, locale, unicodedata, decimal
print(json.dumps({"b": [1.5, None, True], "a": "é\u2603"}, sort_keys=True, ensure_ascii=False)); print(json.loads('{"x": 1e400, "y": -0.0}'))
print(hashlib.sha1(b"x" * 1000).hexdigest(), hashlib.sha512(b"").hexdigest()[:16], hashlib.pbkdf2_hmac("sha256", b"pw", b"salt", 1000).hex()[:16], hashlib.file_digest(open("data.csv", "rb"), "md5").hexdigest())
d = open("data.csv", "rb").read(); print(len(bz2.compress(d)), len(lzma.compress(d)), zlib.crc32(d), binascii.crc_hqx(d, 0), len(zlib.compress(d, 1)))
print(zlib.decompress(zlib.compress(d)) == d, lzma.decompress(lzma.compress(d, format=lzma.FORMAT_ALONE)) == d)
db = sqlite3.connect("t.db"); db.execute("create table t(k text primary key, v blob)"); db.executemany("insert into t values (?, ?)", ((str(i), bytes([i % 256]) * i) for i in range(500))); db.commit()
print(db.execute("select count(*), sum(length(v)), min(k) from t").fetchone()); db.close()
rows = list(csv.reader(io.StringIO(d.decode()[:200]))); print(rows[1], len(rows))
random.seed(42); print(random.random(), random.randint(1, 10**12), random.sample(range(100), 5))
print(heapq.nsmallest(3, [5, 1, 8, 3, 9]), collections.Counter("mississippi").most_common(2), list(itertools.permutations("abc", 2))[:3])
a = array.array("d", [1.5, 2.5]); print(a.tobytes().hex(), array.array("i", [1, -1]).itemsize)
libc = ctypes.CDLL(None); print("ctypes", libc.abs(-5), libc.strlen(b"hello"), ctypes.sizeof(ctypes.c_long), ctypes.sizeof(ctypes.c_void_p))
f = tempfile.TemporaryFile(); f.write(b"\0" * 4096); f.flush(); m = mmap.mmap(f.fileno(), 4096); m[0:5] = b"hello"; m.flush(); f.seek(0); print(f.read(5))
print(uuid.uuid5(uuid.NAMESPACE_DNS, "example.com"), unicodedata.name("é"), "straße".upper(), locale.setlocale(locale.LC_ALL, "C.UTF-8"))
print(textwrap.fill("word " * 30, 40)); print(struct.unpack(">Qd", struct.pack(">Qd", 2**63 + 5, -1e-300)))
print(decimal.Decimal("1.1") + decimal.Decimal("2.2"), float.fromhex("0x1.8p1"), (0.1).hex(), 1e22, 2.5e-308, round(2.675, 2), 10**30 // 7)`),
  { name: 'perl-procs', argv: ['/usr/bin/perl', '-e', script`$| = 1; pipe(my $r, my $w) or die; my $pid = fork();
if ($pid == 0) { close $r; print $w "child speaks\n"; exit 5 }
close $w; print scalar <$r>; waitpid($pid, 0); print "exit ", $? >> 8, "\n";
open(my $fh, "-|", "/bin/echo", "from", "echo") or die; print "read: ", <$fh>; close $fh;
open(my $in, "|-", "/usr/bin/tr a-z A-Z") or die; print $in "to tr\n"; close $in; print "tr status $?\n";
my $out = qx{/bin/sh -c 'echo qx; exit 2'}; print "qx: $out status ", $? >> 8, "\n";
local $SIG{ALRM} = sub { print "alarm\n" }; alarm 1; sleep 2; print "slept\n";
$SIG{USR1} = sub { print "usr1 $_[0]\n" }; kill 'USR1', $$; print "system ", system("/bin/true"), " ", system("exit 3") >> 8, "\n";
my @kids = map { my $p = fork; if (!$p) { exit $_ } $p } 1..3; my %st; for (@kids) { waitpid($_, 0); $st{$? >> 8}++ } print join(",", sort keys %st), "\n";
socketpair(my $s1, my $s2, 1, 1, 0) or die; if (!fork) { close $s1; my $l = <$s2>; print $s2 uc $l; exit 0 }
close $s2; syswrite $s1, "sockpair\n"; print scalar <$s1>; wait; opendir(D, "sub"); print join(" ", sort readdir D), "\n"; printf "%.3f %s\n", 1e21, 0.1 + 0.7`] },
  // other interpreters
  c('lua-coroutines', '/usr/bin/lua5.4', '-e', script`local function gen(n) return coroutine.wrap(function() for i = 1, n do coroutine.yield(i * i) end end) end
local s = 0 for v in gen(100) do s = s + v end print("sum", s)
local co = coroutine.create(function(a, b) local c = coroutine.yield(a + b); local d, e = coroutine.yield(c * 2); return d + e end)
print(coroutine.resume(co, 1, 2)); print(coroutine.resume(co, 10)); print(coroutine.resume(co, 3, 4)); print(coroutine.resume(co), coroutine.status(co))
local ok, err = pcall(function() error({code = 7}) end) print(ok, type(err), err.code)
print(xpcall(function() return nil + 1 end, function(m) return "handled: " .. m:match("attempt.*") end))
local t = setmetatable({}, {__index = function(_, k) return k * 2 end, __call = function(self, x) return x + 1 end}) print(t[21], t(1))
local f = io.popen("echo popen works") print(f:read("a"), f:close())
print(os.execute("exit 3")) print(string.format("%5.1f|%-5d|%s", 2.25, 42, tostring(nil)), #"école", utf8.len("école"), utf8.char(9731))
collectgarbage() print(collectgarbage("count") > 0, string.rep("ab", 3, ","), ("x"):byte(), math.ult(1, -1), 1e15, 2^63, math.floor(-0.0))`),
  { name: 'tclsh', argv: ['/usr/bin/tclsh8.6'], stdin: script`puts [expr {2**100}]; puts [format "%.10f %e %x" [expr {atan(1)*4}] 1e-300 255]
set d [dict create b 2 a 1]; puts [lsort [dict keys $d]]; puts [string map {a A} banana]; puts [clock format 1700000000 -gmt 1 -format "%Y-%m-%d %H:%M:%S %A"]
set f [open data.csv]; set n 0; while {[gets $f line] >= 0} { incr n }; close $f; puts "lines $n"; puts [exec /bin/echo exec works]
puts [regexp -inline {(\d+)-(\d+)} "range 10-20"]; proc fact n { expr {$n < 2 ? 1 : $n * [fact [expr {$n - 1}]]} }; puts [fact 20]
puts [lsort -integer {10 9 100 1}]; puts [string length "école"]; puts [encoding convertto utf-8 "é"] ; catch {error boom} msg; puts "caught $msg"
puts [binary format I 258] ; binary scan [binary format d 1.5] H* hex; puts $hex; puts [file exists sub] ; puts [lsort [glob *.txt]]
` },
  // qemu's ruby cannot find its own library (statx again), so it finds no encodings either.
  { qemuFails: STATX_PREFIX, env: { LC_ALL: 'C.UTF-8' }, ...c('ruby', '/usr/bin/ruby3.1', '--disable-gems', '-e', script`puts [1, 2, 3].map { |x| x ** 10 }.inspect, 2 ** 100, 10.0 / 3, (1..10).each_slice(3).to_a.inspect
h = Hash.new(0); File.read("data.csv").each_line { |l| h[l.split(",")[2]] += 1 }; p h.size, h.max_by { |k, v| [v, k] }
r, w = IO.pipe; pid = fork { r.close; w.puts "child"; exit!(3) }; w.close; puts r.read; Process.wait(pid); p $?.exitstatus
p IO.popen(["/bin/echo", "popen"]).read, system("exit 2"), $?.exitstatus; t = 4.times.map { |i| Thread.new { i * i } }; p t.map(&:value)
q = Queue.new; th = Thread.new { 3.times { |i| q << i }; q << nil }; a = []; while (v = q.pop); a << v; end; th.join; p a
f = Fiber.new { |x| y = Fiber.yield x + 1; y * 2 }; p f.resume(1), f.resume(5); p "straße".upcase, "%08.3f" % Math::PI, 1e100.to_i.to_s.size
begin; raise ArgumentError, "bad"; rescue => e; p e.class, e.message; end; Signal.trap("USR1") { puts "usr1" }; Process.kill("USR1", $$); sleep 0.1
p Time.at(1700000000).utc.strftime("%F %T %a"), "abc".unpack("C*"), [1.5].pack("E").bytes, Rational(3, 4) + 1, Complex(1, 2) * 2`) },
  // busybox applets (each run as busybox itself: the host, which qemu's children are, has none)
  steps('busybox', ...[['seq', '3'], ['sed', '-n', '2p;$p', 'data.csv'], ['sort', '-t,', '-k2n', 'data.csv'], ['md5sum', 'a.txt'],
    ['sha256sum', 'rand.bin'], ['od', '-An', '-tx1', '-N8', 'rand.bin'], ['expr', '7', '*', '6'], ['printf', '%5.2f|%s\\n', '3.14159', 'ok'],
    ['sh', '-c', 'x=3; while [ $x -gt 0 ]; do echo "ash $x"; x=$((x-1)); done; echo $((1<<20)); echo ${#x} $((0x10))'],
    ['grep', '-c', 'name1', 'data.csv'], ['xxd', '-l', '16', 'rand.bin'], ['dc', '-e', '2 64 ^ p'], ['stat', '-c', '%s %a', 'a.txt'],
    ['date', '-u', '-d', '@86400', '+%F %T'], ['wc', '-l', 'data.csv'], ['awk', '-F,', '{ s += $4 } END { print s, NR }', 'data.csv'],
    ['cut', '-d,', '-f2', 'data.csv'], ['tar', '-cf', 't.tar', 'sub'], ['tar', '-tvf', 't.tar'], ['gzip', '-c', 'a.txt']].map((a) => ['/bin/busybox', ...a])),
  // more C programs: the system probe, and how crashes and exits end
  c('probe-sys', '/opt/compat/probesys', 'all'),
  c('probe-sys-static', '/opt/compat/probesys-static', 'all'),
  c('probe-sys-segv', '/opt/compat/probesys', 'segv'),
  c('probe-sys-abort', '/opt/compat/probesys', 'abort'),
  c('probe-sys-kill', '/opt/compat/probesys', 'kill'),
  c('probe-sys-exit', '/opt/compat/probesys-static', 'exit'),
  c('probe-cc-threads', '/opt/compat/probecc2', '.'),
  c('probe-cc-threads-static', '/opt/compat/probecc2-static', '.'),
  // /proc readers, util-linux, psmisc and other tools
  c('ps-self', '/bin/ps', '-o', 'comm=,stat=,nlwp=', '-p', '1'),
  c('pgrep', '/usr/bin/pgrep', '-c', '-x', 'no-such-process'),
  c('free', '/usr/bin/free', '--version'),
  c('getopt', '/usr/bin/getopt', '-o', 'ab:c::', '-l', 'long,arg:', '--', '-a', '-b', 'x', '--long', '--arg=y', '-cz', 'rest'),
  c('flock', '/usr/bin/flock', '-n', 'lockfile', '/bin/echo', 'locked'),
  c('setsid', '/usr/bin/setsid', '-w', '/bin/echo', 'new session'),
  c('rev', '/usr/bin/rev', 'a.txt', 'words.txt'),
  c('column', '/usr/bin/column', '-t', '-s', ' ', 'j1.txt', 'j2.txt'),
  c('column-json', '/usr/bin/column', '-J', '-t', '-s', ',', '-N', 'i,x,name,v', 'b.txt'),
  c('killall-l', '/usr/bin/killall', '-l'),
  c('fuser', '/bin/fuser', 'a.txt'),
  c('prlimit', '/usr/bin/prlimit', '--nofile=100:200', '--core=0', '/usr/bin/prlimit', '--nofile', '--core', '--output=RESOURCE,SOFT,HARD'),
  c('taskset', '/usr/bin/taskset', '-c', '0', '/bin/echo', 'pinned'),
  c('chrt', '/usr/bin/chrt', '-b', '0', '/usr/bin/chrt', '-m'),
  c('ionice', '/usr/bin/ionice', '-c', '3', '/usr/bin/ionice'),
  c('setarch', '/usr/bin/setarch', '-R', '/bin/echo', 'no randomisation'),
  c('hexdump', '/usr/bin/hexdump', '-C', '-n', '80', 'rand.bin'),
  c('namei', '/usr/bin/namei', '-m', 'sub/deep/y.sh'),
  steps('fallocate', ['/usr/bin/fallocate', '-l', '1M', 'fa'], ['/usr/bin/stat', '-c', '%s', 'fa'], ['/usr/bin/fallocate', '-p', '-o', '4096', '-l', '8192', 'fa'],
    ['/usr/bin/fallocate', '-d', 'fa'], ['/usr/bin/stat', '-c', '%s', 'fa']),
  steps('ipc', { argv: ['/usr/bin/ipcmk', '-Q'], out: 'q' }, ['/usr/bin/lsipc', '-g', '--noheadings', '-o', 'RESOURCE']),
  { name: 'script', argv: ['/usr/bin/script', '-q', '-e', '-c', '/bin/echo in a pty; exit 3', '/dev/null'], env: { SHELL: '/bin/sh' } },
  c('pmap', '/usr/bin/pmap', '-q', '1'),
  { name: 'ed', argv: ['/bin/ed', '-s', 'b.txt'], stdin: '2,3d\n$a\nappended\n.\n,s/o/0/g\n,n\nw out.txt\nq\n' },
  { name: 'm4', argv: ['/usr/bin/m4'], stdin: "define(`sq', `eval($1 * $1)')dnl\nsq(12) len(`hello') substr(`abcdef', 2, 3) translit(`abc', `a-c', `A-C')\nifelse(1, 1, yes, no) incr(41) format(`%5.2f|%x', 3.14159, 255)\ninclude(`a.txt')dnl\nesyscmd(`echo from shell')dnl\nsysval\n" },
  steps('cpio', { argv: ['/bin/cpio', '-o', '-H', 'newc', '--reproducible', '-O', 'a.cpio'], stdin: 'a.txt\nsub\nsub/x.c\n' },
    ['/bin/cpio', '-it', '-I', 'a.cpio'], ['/bin/mkdir', 'x'], { argv: ['/bin/cpio', '-id', '-D', 'x', '-I', 'a.cpio'] }, ['/bin/cat', 'x/sub/x.c']),
  { name: 'xmllint', argv: ['/usr/bin/xmllint', '--format', '-'], stdin: '<?xml version="1.0"?><r a="1"><b>t&amp;x</b><c/><!-- c --><d>é</d></r>' },
  { name: 'xmllint-xpath', argv: ['/usr/bin/xmllint', '--xpath', 'sum(//v) div count(//v)', '-'], stdin: '<r><v>1</v><v>2.5</v><v>4</v></r>' },
  // (a home of its own in the working directory: one in $HOME would outlive the first emulator's run)
  steps('gpg', ['/bin/mkdir', '-m', '700', 'g'], ['/usr/bin/gpg', '--homedir', 'g', '--print-md', 'SHA256', 'data.csv'],
    ['/usr/bin/gpg', '--batch', '--homedir', 'g', '--enarmor', '-o', 'a.asc', 'a.txt'],
    ['/usr/bin/gpg', '--batch', '--homedir', 'g', '--dearmor', '-o', 'a.out', 'a.asc'], ['/bin/cat', 'a.out']),
  steps('rsync', ['/usr/bin/rsync', '-a', '-i', 'sub/', 'dst/'], ['/bin/ls', '-lnR', '--time-style=+%s', 'dst'],
    ['/usr/bin/rsync', '-rc', '--delete', '-i', 'a.txt', 'b.txt', 'dst/']),
  { name: 'tcl-events', argv: ['/usr/bin/tclsh8.6'], stdin: script`set n 0; proc tick {} { global n; incr n; if {$n < 5} { after 10 tick } else { set ::done 1 } }; after 10 tick; vwait done; puts "ticks $n"
set p [open "|/bin/cat" r+]; fconfigure $p -buffering line -blocking 0; puts $p "through cat"; fileevent $p readable { set ::line [gets $p] }; vwait line; puts $line; close $p
after 20 { set t ok }; vwait t; puts $t; puts [pid] ne 0; lassign [chan pipe] r w; puts $w hello; flush $w; puts [gets $r]
` },
];

// Cases that start dozens of programs (each one a urun starting afresh): their timeout is
// this many times --timeout.
const MANY_PROGRAMS = { 'git': 10, 'make': 3, 'bash-procs': 3, 'shell-pipes': 4, 'shell-jobs': 2, 'python-procs': 3, 'perl-procs': 2, 'busybox': 3, 'rsync': 2 };

/** Runs a case's steps under one emulator (`prefix`: its command and options) in a fresh
 * working directory: what they printed, step after step, and the last step's status. */
function runCase(prefix, sysroot, k, env, timeoutMs) {
  layWorkDir();
  const all = { stdout: '', stderr: '', status: 0, signal: null, error: undefined };
  for (const s of k.steps ?? [k]) {
    const [prog, ...args] = s.argv;
    const r = spawnSync(prefix[0], [...prefix.slice(1), sysroot + prog, ...args], {
      cwd: WORK, env: { ...env, ...s.env }, maxBuffer: 1 << 26, timeout: timeoutMs, killSignal: 'SIGKILL',
      input: s.in ? readFileSync(join(WORK, s.in)) : (s.stdin ?? ''),
    });
    if (s.out) writeFileSync(join(WORK, s.out), r.stdout ?? '');
    else all.stdout += r.stdout?.toString('latin1') ?? '';
    all.stderr += r.stderr?.toString('latin1') ?? '';
    Object.assign(all, { status: r.status, signal: r.signal, error: r.error?.code });
    if (k.steps) all.stdout += `[${r.status ?? r.signal}]\n`;
  }
  return all;
}

function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 60);
  return `at byte ${i}:\n    qemu: ${JSON.stringify(a.slice(from, i + 100))}\n    urun: ${JSON.stringify(b.slice(from, i + 100))}`;
}

const wanted = opts.only ? new Set(opts.only.split(',')) : null;
let same = 0, differ = 0;
for (const arch of opts.arch.split(',')) {
  const debian = arch !== 'mips';
  const sysroot = debian ? debianSysroot(join(BUILD, arch), arch, PACKAGES) : crossSysroot(join(BUILD, arch), arch);
  buildProbes(arch, sysroot);
  WORK = `/tmp/urun-compat/${arch}-${process.pid}/work`;
  for (const k of CASES) {
    if (wanted && !wanted.has(k.name)) continue;
    if (!debian && !BUILT_HERE.test(k.argv?.[0] ?? '')) continue;
    const env = { PATH: '/usr/bin:/bin', HOME: dirname(WORK), LANG: 'C', TERM: 'dumb', ...k.env,
      URUN_CACHE_DIR: join(BUILD, 'cache') };
    const q = runCase([QEMU[arch], '-L', sysroot], sysroot, k, env, 60_000);
    const u = runCase([URUN, '-L', sysroot], sysroot, k, env,
      Number(opts.timeout) * 1000 * (MANY_PROGRAMS[k.name] ?? 1));
    if (k.qemuFails) {
      const ok = u.status === 0 && !/internal error/.test(u.stderr);
      (ok ? same++ : differ++);
      if (opts.verbose || !ok) console.log(`${ok ? 'ok  ' : 'FAIL'} ${arch} ${k.name} (not compared: ${k.qemuFails}) status ${u.status ?? u.signal}`);
      continue;
    }
    const problems = [];
    if (u.error === 'ETIMEDOUT' || (u.signal === 'SIGKILL' && q.signal !== 'SIGKILL')) problems.push('urun hung (killed)');
    if (q.status !== u.status || q.signal !== u.signal) problems.push(`exit: qemu ${q.status ?? q.signal}, urun ${u.status ?? u.signal}`);
    if (q.stdout !== u.stdout) problems.push(`stdout ${firstDifference(q.stdout, u.stdout)}`);
    // qemu's own line about a guest's death by signal is not the guest's output.
    q.stderr = q.stderr.replace(/^qemu: uncaught target signal .*\n/m, '');
    if (q.stderr !== u.stderr) problems.push(`stderr ${firstDifference(q.stderr, u.stderr)}`);
    if (/internal error|    at .*\(.*:\d+:\d+\)/.test(u.stderr)) problems.push('urun internal error');
    if (problems.length) {
      differ++;
      console.log(`DIFF ${arch} ${k.name}\n  ${problems.join('\n  ')}`);
    } else {
      same++;
      if (opts.verbose) console.log(`same ${arch} ${k.name}`);
    }
  }
  rmSync(dirname(WORK), { recursive: true, force: true });
}
console.log(`${same} same, ${differ} different`);
process.exitCode = differ ? 1 : 0;
