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
import { basename, dirname, join } from 'node:path';
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
  'libnpth0', 'rsync', 'libxxhash0', 'libpopt0', 'bsdutils', 'mawk', 'pigz', 'zip', 'unzip', 'lz4', 'lzip', 'lzop',
  'liblzo2-2', 'pbzip2', 'brotli', '7zip', 'squashfs-tools', 'e2fsprogs', 'libext2fs2', 'libcom-err2', 'libss2', 'libblkid1',
  'dosfstools', 'mtools', 'uuid-runtime', 'ncal', 'gettext-base', 'ripgrep', 'fd-find', 'shfmt', 'shellcheck',
  'php8.2-cli', 'php8.2-common', 'php8.2-readline', 'php8.2-opcache', 'libargon2-1', 'libsodium23',
  'units', 'less', 'liblbfgsb-examples', 'liblbfgsb0', 'libblas3', 'liblapack3', 'libgfortran5', 'guile-3.0', 'guile-3.0-libs',
  'libgc1', 'libunistring2', 'ocaml-base', 'ocaml-interp', 'erlang-base', 'nodejs', 'libnode108', 'libuv1', 'libc-ares2',
  'libnghttp2-14', 'libbrotli1', 'node-acorn:all', 'node-cjs-module-lexer:all', 'node-undici:all', 'node-busboy:all',
  'graphicsmagick', 'libgraphicsmagick-q16-3', 'libgomp1', 'libaom3', 'libdav1d6', 'libde265-0', 'libdeflate0', 'libfreetype6', 'libheif1',
  'libhwy1', 'libjbig0', 'libjpeg62-turbo', 'libjxl0.7', 'liblcms2-2', 'liblerc4', 'libpng16-16', 'libtiff6', 'libwebp7', 'libwebpmux3',
  'libwmflite-0.2-7', 'libx11-6', 'libx11-data:all', 'libx265-199', 'libxau6', 'libxcb1', 'libxdmcp6', 'libxext6',
  'libc6-dev', 'linux-libc-dev', 'libcrypt-dev', 'gforth', 'gforth-common:all', 'gforth-lib', 'libltdl7',
  'clisp', 'libffcall1b', 'sensible-utils:all', 'zsh', 'zsh-common:all', 'mksh', 'tcsh', 'luajit', 'libluajit-5.1-2',
  'libluajit-5.1-common:all', 'binutils', 'binutils-common', 'libbinutils', 'libctf0', 'libctf-nobfd0', 'libjansson4', 'strace',
  'iproute2', 'libbpf1', 'libelf1', 'libmnl0', 'libxtables12', 'libcap2-bin', 'groff-base', 'libuchardet0', 'bison', 'flex',
  'gettext', 'datamash', 'libarchive-tools', 'libarchive13', 'libnettle8', 'figlet', 'qrencode', 'libqrencode4', 'nasm',
  'sharutils', 'dos2unix', 'pandoc', 'pandoc-data:all', 'liblua5.3-0', 'graphviz', 'libgvc6', 'libcgraph6', 'libcdt5', 'libpathplan4',
  'libgvpr2', 'liblab-gamut1', 'libgts-0.7-5', 'libgd3', 'libglib2.0-0', 'libmount1', 'libcairo2', 'libpango-1.0-0', 'libpangocairo-1.0-0',
  'libpangoft2-1.0-0', 'libharfbuzz0b', 'libfribidi0', 'libthai0', 'libthai-data:all', 'libdatrie1', 'libgraphite2-3', 'libpixman-1-0',
  'libxcb-render0', 'libxcb-shm0', 'libxrender1', 'libfontconfig1', 'fontconfig-config:all', 'fonts-dejavu-core:all', 'libann0', 'libxpm4',
  'libavif15', 'libgav1-1', 'librav1e0', 'libsvtav1enc1', 'libyuv0', 'libabsl20220623', 'libxaw7', 'libxmu6', 'libxt6', 'libsm6', 'libice6',
  'gnuplot-nox', 'gnuplot-data:all', 'swi-prolog-nox', 'swi-prolog-core', 'swi-prolog-core-packages', 'libtcmalloc-minimal4', 'libossp-uuid16',
  'libnuma1', 'xsltproc', 'libxslt1.1', 'miller', 'age', 'bat', 'libgit2-1.5', 'libhttp-parser2.9', 'libssh2-1', 'libmbedtls14',
  'libmbedx509-1', 'libmbedcrypto7', 'libgssapi-krb5-2', 'libkrb5-3', 'libk5crypto3', 'libkrb5support0', 'libkeyutils1', 'vim-tiny', 'vim-common:all'];

// Packages Debian builds for some architectures only.
const ONLY_ON = { tcc: ['armhf', 'armel'], sbcl: ['armhf', 'armel'] };
// binutils' programs for the native target are a package named after it.
const packagesFor = (arch) => [...PACKAGES, `binutils-${TRIPLET[arch]}`, ...Object.keys(ONLY_ON).filter((p) => ONLY_ON[p].includes(arch))];

/**
 * Big-endian MIPS has no Debian port since buster: its sysroot is the cross compiler's
 * C library (/usr/mips-linux-gnu) linked into a directory of its own, and it runs only the
 * programs built here: the probes in /opt/compat, and Debian's busybox built from its source
 * package with Debian's own configuration (bookworm's `busybox`) as /bin/busybox. A case
 * runs there when every program it starts is in that sysroot.
 */
function crossSysroot(dir, arch) {
  mkdirSync(join(dir, 'opt', 'compat'), { recursive: true });
  if (!existsSync(join(dir, 'lib'))) symlinkSync(`/usr/${TRIPLET[arch]}/lib`, join(dir, 'lib'));
  if (!existsSync(join(dir, 'bin', 'busybox'))) {
    try {
      debianBusybox(join(BUILD, `${arch}-src`), TRIPLET[arch], join(dir, 'bin', 'busybox'));
    } catch (e) {
      console.log(`(busybox for ${arch} not built: ${String(e.message).split('\n')[0]})`);
    }
  }
  return dir;
}
/** Debian's busybox source package (apt-get source: needs a deb-src line), configured as
 * Debian configures its `busybox` package, cross-built into `out`. */
function debianBusybox(src, triplet, out) {
  rmSync(src, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  run('apt-get', ['source', '-q', 'busybox'], { cwd: src });
  const tree = join(src, readdirSync(src).find((f) => /^busybox-[\d.]+$/.test(f)));
  const obj = join(src, 'out');
  mkdirSync(obj);
  writeFileSync(join(obj, '.config'), readFileSync(join(tree, 'debian', 'config', 'pkg', 'deb')));
  const make = (...args) => run('make', [`O=${obj}`, `CROSS_COMPILE=${triplet}-`, ...args], { cwd: tree, input: '' });
  make('oldconfig');
  make('-j2');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, readFileSync(join(obj, 'busybox')), { mode: 0o755 });
  rmSync(src, { recursive: true, force: true });
}
// What update-alternatives would link on an installed system (dpkg -x runs no scripts):
// the reference BLAS and LAPACK, found by the loader in the library directory itself.
// (An LD_LIBRARY_PATH would not do: qemu-user 7.2 does not apply -L to the loader's statx.)
const ALTERNATIVES = ['blas/libblas.so.3', 'lapack/liblapack.so.3'];
function linkAlternatives(sysroot, arch) {
  const libdir = join(sysroot, 'usr', 'lib', TRIPLET[arch]);
  for (const target of ALTERNATIVES) {
    const link = join(libdir, basename(target));
    if (existsSync(join(libdir, target)) && !existsSync(link)) symlinkSync(target, link);
  }
}
// What graphviz's postinst does: dot -c lists its plugins in the config file it then reads
// (under urun: qemu-user would write it outside the sysroot).
function graphvizConfig(sysroot, arch) {
  const dir = join(sysroot, 'usr', 'lib', TRIPLET[arch], 'graphviz');
  if (existsSync(dir) && !existsSync(join(dir, 'config6a'))) run(URUN, ['-L', sysroot, join(sysroot, 'usr', 'bin', 'dot'), '-c']);
}
// A shell or interpreter script written as is: a template literal without its escapes
// (written \${ where the script itself has ${).
const script = (t) => t.raw.join('').replaceAll('\\${', '${');
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
// to a file (`out`) if asked, their outputs reported together; `arches` limits a case to some. Programs are paths inside the
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
/**
 * `kase` as one case per arch (of its `arches`, else all four), not compared with qemu-user on
 * the arches where qemu-user itself gets it wrong (`reasons`: arch -> what qemu does).
 */
const qemuFailsOn = (reasons, kase) => (kase.arches ?? ['armhf', 'armel', 'mipsel', 'mips']).map((arch) =>
  ({ ...kase, arches: [arch], ...(reasons[arch] ? { qemuFails: reasons[arch] } : {}) }));
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
  // --- more families: awk, parallel compressors, archivers, filesystem images, CI tools ---
  c('mawk', '/usr/bin/mawk', '-F,', '{ s[$3] += $4; n[$3]++ } END { for (k in s) if (k ~ /^name1[0-3]$/) printf "%s %d %.4f %e %c\\n", k, s[k], s[k] / n[k], s[k] * 1e10, 65 + n[k] % 26 }', 'data.csv'),
  c('mawk-math', '/usr/bin/mawk', 'BEGIN { srand(7); r = rand(); print (r >= 0 && r < 1), srand(9), 2^53 + 1, 1e300 * 1e300, log(-1), int(-3.9), -7 % 3, substr("hello", 2, 3), index("abc", "c"), toupper("xé"), sprintf("%5.1f|%-4d|%x|%o|%i", 3.14159, 42, 255, 8, -2.5); n = split("a1b22c333d", p, /[0-9]+/); print n, p[1] p[4]; s = "aaa"; print gsub(/a/, "&&", s), s, length(s), 017, "0x1A" + 0 }'),
  { name: 'mawk-getline', argv: ['/usr/bin/mawk', '{ print NR ": " $0 > "out.txt"; t = t $1 } END { close("out.txt"); while ((getline l < "out.txt") > 0) print "read", l; print t; "echo from a pipe" | getline x; print x; print "to sort" | "sort"; close("sort"); system("exit 3"); print "done" }'], stdin: 'b 1\na 2\nc 3\n' },
  steps('pigz', { argv: ['/usr/bin/pigz', '-p', '4', '-b', '32', '-n', '-9', '-c', 'data.csv'], out: 'd.gz' }, ['/usr/bin/md5sum', 'd.gz'],
    ['/usr/bin/pigz', '-l', 'd.gz'], { argv: ['/usr/bin/pigz', '-p', '3', '-dc', 'd.gz'], out: 'd' }, ['/usr/bin/cmp', 'd', 'data.csv'],
    ['/usr/bin/pigz', '-p', '2', '--zlib', '-k', 'rand.bin'], ['/usr/bin/md5sum', 'rand.bin.zz'], ['/usr/bin/pigz', '-t', '-v', 'd.gz']),
  steps('pbzip2', { argv: ['/usr/bin/pbzip2', '-p4', '-b1', '-c', 'data.csv'], out: 'd.bz2' }, ['/usr/bin/md5sum', 'd.bz2'],
    { argv: ['/usr/bin/pbzip2', '-p3', '-dc', 'd.bz2'], out: 'd' }, ['/usr/bin/cmp', 'd', 'data.csv'], ['/usr/bin/pbzip2', '-t', 'd.bz2']),
  steps('lz4-lzip-lzop', { argv: ['/usr/bin/lz4', '-9', '-q', '-c', 'data.csv'], out: 'd.lz4' }, ['/usr/bin/md5sum', 'd.lz4'], ['/usr/bin/lz4', '-q', '-t', 'd.lz4'],
    { argv: ['/usr/bin/lz4', '-dc', 'd.lz4'], out: 'd' }, ['/usr/bin/cmp', 'd', 'data.csv'],
    { argv: ['/usr/bin/lzip.lzip', '-c', '-6', 'data.csv'], out: 'd.lz' }, ['/usr/bin/md5sum', 'd.lz'], ['/usr/bin/lzip.lzip', '-tvv', 'd.lz'],
    { argv: ['/usr/bin/lzop', '-c', '-9', '-n', 'data.csv'], out: 'd.lzo' }, ['/usr/bin/lzop', '-t', 'd.lzo'], ['/usr/bin/lzop', '-l', 'd.lzo'],
    { argv: ['/usr/bin/brotli', '-c', '-q', '9', 'data.csv'], out: 'd.br' }, ['/usr/bin/md5sum', 'd.br'], ['/usr/bin/brotli', '-t', 'd.br']),
  steps('7zip', ['/usr/bin/7zz', 'a', '-bd', '-bso0', '-bsp0', '-mmt=3', '-mx=5', 'a.7z', 'data.csv', 'sub', 'words.txt'],
    ['/usr/bin/7zz', 't', '-bd', '-bso0', '-bsp0', 'a.7z'], { argv: ['/usr/bin/7zz', 'x', '-so', 'a.7z', 'data.csv'], out: 'd' }, ['/usr/bin/cmp', 'd', 'data.csv'],
    ['/usr/bin/7zz', 'a', '-bd', '-bso0', '-tzip', '-mmt=2', 'a.zip', 'a.txt', 'b.txt'], ['/usr/bin/7zz', 'x', '-bd', '-bso0', '-ox', 'a.7z'],
    ['/usr/bin/find', 'x', '-printf', '%p %s %TY-%Tm-%Td\\n']),
  steps('zip-unzip', ['/usr/bin/zip', '-q', '-X', '-r', '-9', 'a.zip', 'sub', 'a.txt', 'data.csv'], ['/usr/bin/unzip', '-l', 'a.zip'], ['/usr/bin/unzip', '-t', 'a.zip'],
    ['/usr/bin/unzip', '-p', 'a.zip', 'a.txt'], ['/bin/mkdir', 'x'], ['/usr/bin/unzip', '-q', '-d', 'x', 'a.zip'], ['/usr/bin/cmp', 'x/data.csv', 'data.csv'],
    ['/usr/bin/zipinfo', '-l', 'a.zip', 'sub/x.c'], ['/usr/bin/zip', '-q', '-d', 'a.zip', 'a.txt'], ['/usr/bin/unzip', '-Z1', 'a.zip'], ['/usr/bin/unzip', 'nope.zip']),
  steps('squashfs', ['/usr/bin/mksquashfs', 'sub', 's.img', '-all-root', '-mkfs-time', '0', '-all-time', '0', '-noappend', '-processors', '2', '-no-progress', '-quiet'],
    ['/usr/bin/md5sum', 's.img'], ['/usr/bin/unsquashfs', '-lls', '-n', 's.img'], ['/usr/bin/unsquashfs', '-n', '-d', 'out', 's.img'], ['/bin/cat', 'out/deep/y.sh'],
    ['/usr/bin/mksquashfs', 'data.csv', 'words.txt', 't.img', '-comp', 'xz', '-b', '8K', '-noappend', '-all-time', '0', '-mkfs-time', '0', '-no-progress', '-quiet'],
    ['/usr/bin/unsquashfs', '-s', 't.img']),
  steps('mke2fs', { argv: ['/sbin/mke2fs', '-q', '-F', '-t', 'ext4', '-b', '1024', '-N', '64', '-U', '6e2b1a4e-1b6a-4c0e-9a4f-3f0e7f1f2a10', '-E', 'hash_seed=0f6b1bd6-7d37-4b52-8ab1-5d1d1f0c9e21,root_owner=0:0', '-d', 'sub', 'fs.img', '2M'], env: { E2FSPROGS_FAKE_TIME: '1600000000' } },
    { argv: ['/sbin/dumpe2fs', '-h', 'fs.img'], env: { E2FSPROGS_FAKE_TIME: '1600000000' } }, ['/sbin/e2fsck', '-fn', 'fs.img'],
    { argv: ['/sbin/debugfs', '-R', 'ls -l /deep', 'fs.img'], env: { E2FSPROGS_FAKE_TIME: '1600000000' } }, ['/sbin/debugfs', '-R', 'cat /x.c', 'fs.img'],
    { argv: ['/sbin/debugfs', '-w', '-f', '-', 'fs.img'], stdin: 'mkdir newdir\nwrite a.txt newdir/a.txt\nstat newdir/a.txt\n', env: { E2FSPROGS_FAKE_TIME: '1600000000' } },
    ['/sbin/e2fsck', '-fy', 'fs.img']),
  steps('mkfs-fat', ['/sbin/mkfs.fat', '-C', '-i', '12345678', '-n', 'TESTVOL', '--invariant', 'f.img', '1440'], ['/usr/bin/md5sum', 'f.img'],
    { argv: ['/usr/bin/mcopy', '-m', '-i', 'f.img', 'a.txt', 'data.csv', '::'], env: { MTOOLS_SKIP_CHECK: '1', TZ: 'UTC' } },
    { argv: ['/usr/bin/mmd', '-i', 'f.img', '::dir'], env: { MTOOLS_SKIP_CHECK: '1' } },
    { argv: ['/usr/bin/mdir', '-i', 'f.img', '::'], env: { MTOOLS_SKIP_CHECK: '1', TZ: 'UTC' } },
    { argv: ['/usr/bin/mtype', '-i', 'f.img', '::a.txt'], env: { MTOOLS_SKIP_CHECK: '1' } }, ['/sbin/fsck.fat', '-n', 'f.img']),
  c('uuidgen', '/usr/bin/uuidgen', '--sha1', '--namespace', '@dns', '--name', 'example.com'),
  steps('cal', ['/usr/bin/ncal', '-b', '-h', '2', '2024'], ['/usr/bin/ncal', '-e', '2025'], ['/usr/bin/ncal', '-h', '-j', '9', '1752'], ['/usr/bin/cal', '-h', '-3', '1', '2000']),
  { name: 'envsubst', argv: ['/usr/bin/envsubst', '$USERNAME ${COUNT}'], env: { USERNAME: 'ci-bot', COUNT: '3' }, stdin: 'Hello $USERNAME, ${COUNT} jobs, $UNSET and ${HOME+x}\n' },
  // Rust, Go and Haskell programs from Debian
  steps('ripgrep', ['/usr/bin/rg', '-n', '--sort', 'path', 'name1[0-3],', 'data.csv'], ['/usr/bin/rg', '-c', '--sort', 'path', '-i', 'ONE|echo', '.'],
    ['/usr/bin/rg', '--files', '--sort', 'path'], ['/usr/bin/rg', '-P', '-o', '(?<=name)\\d+(?=,9\\d{4}$)', 'data.csv'], ['/usr/bin/rg', '-j4', '-l', 'x', '.'],
    ['/usr/bin/rg', '-c', 'zzz', 'data.csv'], ['/usr/bin/rg', '-U', '--multiline-dotall', '-o', 'two.three', 'a.txt'], ['/usr/bin/rg', 'nomatch']),
  steps('fd-find', ['/usr/bin/fdfind', '-e', 'txt', '-j', '1', '-x', '/bin/echo', 'found'], ['/usr/bin/fdfind', '-t', 'd', '-H'], ['/usr/bin/fdfind', '-g', '*.sh', '--full-path', '-l', '--time-style', 'nope']),
  { name: 'shfmt', argv: ['/usr/bin/shfmt', '-i', '2', '-ci', '-s', '-'], stdin: 'if [ "$x" = y ];then\necho  $( (  echo a ) );fi\nfor i in 1 2;do case $i in 1) echo one;;*) echo other;;esac;done\nf(){ local v=$1;echo ${v:-d}; }\n' },
  { name: 'shfmt-err', argv: ['/usr/bin/shfmt', '-d', '-'], stdin: 'echo "unclosed\nif then\n' },
  { name: 'shellcheck', argv: ['/usr/bin/shellcheck', '-f', 'gcc', '-s', 'bash', '-'], stdin: '#!/bin/bash\nfor f in $(ls *.txt); do\n  echo $f\n  cd $dir\ndone\n[ $x == 1 ] && echo "$@" || true\nread line\nlocal y=`date`\n' },
  { name: 'shellcheck-json', argv: ['/usr/bin/shellcheck', '-f', 'json1', '-S', 'warning', 'script.sh', 'sub/deep/y.sh'] },
  // PHP (no php.ini: the extensions Debian builds in)
  c('php', '/usr/bin/php8.2', '-n', '-r', script`printf("%.15g %e %s %d %s\n", 0.1 + 0.2, 1/7, PHP_INT_MAX, intdiv(-7, 2), var_export(1e100, true));
$a = [3 => 'c', 1 => 'a', 2 => 'b']; ksort($a); echo json_encode(['a' => $a, 'f' => 1.5, 'u' => "é\u{2603}", 'n' => null], JSON_UNESCAPED_UNICODE), "\n";
var_dump(json_decode('{"x":[1,2.5,"y"],"big":12345678901234567890}', true));
echo md5('abc'), ' ', hash('sha256', 'abc'), ' ', crc32('hello'), ' ', base64_encode(random_bytes(0)), hash('xxh3', 'x'), "\n";
preg_match_all('/name(1\d),(\d+)$/m', file_get_contents('data.csv'), $m); echo count($m[0]), ' ', $m[1][0] ?? '', "\n";
echo preg_replace_callback('/\d+/', fn($x) => $x[0] * 2, 'a1 b22 c333'), ' ', implode(',', preg_split('/[\s,]+/', "x, y  z")), "\n";
date_default_timezone_set('America/New_York'); echo date('Y-m-d H:i:s T N jS', 1700000000), ' ', mktime(12, 0, 0, 3, 14, 2021), ' ', (new DateTime('@86400'))->format(DATE_ATOM), "\n";
mt_srand(42); echo mt_rand(), ' ', mt_rand(1, 100), ' ', serialize([1.5, 'k' => true]), ' ', number_format(1234567.891, 2), ' ', str_pad('7', 3, '0', STR_PAD_LEFT), "\n";
function gen() { for ($i = 0; $i < 3; $i++) { $x = yield $i; if ($x) echo "got $x\n"; } } $g = gen(); foreach ($g as $v) echo "v$v "; echo "\n";
try { throw new RuntimeException('boom', 7); } catch (Exception $e) { echo get_class($e), ' ', $e->getMessage(), ' ', $e->getCode(), "\n"; }
usort($a, fn($x, $y) => strcmp($y, $x)); echo implode('', $a), ' ', array_sum(range(1, 100)), ' ', max([3, 9, 2]), ' ', sprintf('%08.3f|%-5s|%b|%X', M_PI, 'ab', 10, 255), "\n";
echo strlen('école'), ' ', ucfirst('hello'), ' ', str_contains('haystack', 'st') ? 'y' : 'n', ' ', PHP_EOL === "\n" ? 'eol' : '', ' ', PHP_INT_SIZE, ' ', 10 ** 20, ' ', 0.1 + 0.7, ' ', fmod(10, 3), ' ', round(2.5), ' ', floor(-1.5), "\n";`),
  c('php-procs', '/usr/bin/php8.2', '-n', '-r', script`echo shell_exec('echo from shell; exit 3');
exec('/bin/echo exec works', $out, $rc); echo implode('|', $out), " rc=$rc\n";
$p = proc_open(['/bin/cat'], [0 => ['pipe', 'r'], 1 => ['pipe', 'w']], $pipes); fwrite($pipes[0], str_repeat('x', 100000)); fclose($pipes[0]);
echo strlen(stream_get_contents($pipes[1])), ' ', proc_close($p), "\n";
$s = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, 0); fwrite($s[0], "pair\n"); echo fgets($s[1]);
$srv = stream_socket_server('tcp://127.0.0.1:0'); $name = stream_socket_get_name($srv, false); $cl = stream_socket_client("tcp://$name"); $conn = stream_socket_accept($srv);
fwrite($cl, "over tcp\n"); $r = [$conn]; $w = null; $e = null; echo stream_select($r, $w, $e, 1), ' ', fgets($conn);
$f = tmpfile(); fwrite($f, 'tmp'); fseek($f, 0); echo fread($f, 10), ' ', filesize('data.csv'), ' ', implode(',', array_slice(scandir('.'), 0, 5)), ' ', is_dir('sub') ? 'dir' : '', "\n";
mkdir('d1/d2', 0750, true); touch('d1/d2/f', 1600000000); clearstatcache(); echo decoct(fileperms('d1/d2') & 0777), ' ', filemtime('d1/d2/f'), ' ', realpath('sub/deep/../x.c') === getcwd() . '/sub/x.c' ? 'realpath' : 'no', "\n";
echo gethostbyname('localhost'), ' ', getmypid() > 0 ? 'pid' : '', ' ', php_uname('s'), ' ', php_uname('m') !== '' ? 'm' : '', ' ', sys_get_temp_dir(), "\n";
$t = microtime(true); usleep(50000); echo (microtime(true) - $t) >= 0.05 ? 'slept' : 'short', ' ', PHP_OS_FAMILY, "\n"; fwrite(STDERR, "to stderr\n"); exit(4);`),
  // coreutils not run yet
  steps('coreutils-more', ['/usr/bin/stat', '-c', '%s %b %B %o %f %N %h %u %g %U %G %t %T', 'a.txt', 'sub', '/dev/null'],
    ['/usr/bin/stat', '-L', '-c', '%m|%F', '.', '/dev/null'], ['/bin/dd', 'if=a.txt', 'of=u.txt', 'conv=ucase,sync', 'bs=5', 'status=none'], ['/usr/bin/od', '-c', 'u.txt'],
    ['/bin/dd', 'if=rand.bin', 'of=u.txt', 'conv=notrunc', 'bs=1', 'count=3', 'seek=2', 'iflag=skip_bytes', 'skip=100', 'status=noxfer'], ['/usr/bin/od', '-An', '-tx1', 'u.txt'],
    ['/usr/bin/split', '-b', '1000', '-a', '3', '--additional-suffix=.part', 'rand.bin', 'p.'], ['/bin/ls', '-1'],
    ['/usr/bin/split', '-n', 'r/3', 'a.txt', 'rr'], ['/bin/cat', 'rraa', 'rrab', 'rrac'], ['/usr/bin/sha1sum', 'a.txt'], ['/usr/bin/sha224sum', '--tag', 'a.txt'], ['/usr/bin/sha384sum', '-z', 'a.txt'],
    { argv: ['/usr/bin/sha256sum', 'a.txt'], out: 'sums' }, ['/usr/bin/sha256sum', '-c', 'sums'], ['/usr/bin/od', '-t', 'u2', '--endian=big', '-N', '16', 'rand.bin'], ['/usr/bin/od', '-a', '-N', '32', 'rand.bin'],
    ['/usr/bin/numfmt', '--grouping', '--padding=12', '--round=down', '--to=si', '1234567', '999', '-5555'], ['/usr/bin/numfmt', '--invalid=warn', 'x12', '7'],
    ['/usr/bin/tsort', 'j1.txt'], ['/usr/bin/unexpand', '-a', 'prose.txt'], ['/usr/bin/base32', 'a.txt'], ['/usr/bin/basename', '-a', '-s', '.c', 'sub/x.c', '/a/b.c'],
    ['/usr/bin/sort', '-V', 'words.txt'], ['/usr/bin/sort', '-R', '--random-source=rand.bin', 'a.txt'], ['/usr/bin/sort', '--parallel=4', '-S', '200K', '-t,', '-k4,4n', '-k1,1n', '-o', 'sorted', 'data.csv'],
    ['/usr/bin/md5sum', 'sorted'], ['/usr/bin/head', '-c', '-4000', 'data.csv'], ['/usr/bin/tail', '-c', '+4090', 'rand.bin']),
  steps('coreutils-procs', ['/usr/bin/nice'], ['/usr/bin/nice', '-n', '7', '/usr/bin/nice'], ['/usr/bin/nohup', '/bin/sh', '-c', 'kill -HUP $$; echo survived HUP'],
    ['/usr/bin/env', '--list-signal-handling', '/bin/true'], ['/usr/bin/env', '--ignore-signal=INT', '--block-signal=USR1', '--list-signal-handling', '/bin/true'],
    ['/usr/bin/env', '-u', 'HOME', '-C', 'sub', '/bin/pwd'], ['/usr/bin/env', '-S', 'A=1 B=2 /usr/bin/printenv A B'],
    ['/usr/bin/timeout', '--preserve-status', '0.3', '/bin/sleep', '3'], ['/usr/bin/timeout', '-k', '0.5', '4', '/bin/sh', '-c', 'trap "" TERM; sleep 9'],
    ['/usr/bin/timeout', '4', '/bin/sh', '-c', 'trap "echo got TERM; exit 9" TERM; while :; do :; done'],
    ['/usr/bin/stdbuf', '-oL', '-e0', '/bin/echo', 'buffered'], ['/usr/bin/tty'], ['/bin/stty', '-a'], ['/usr/bin/logname'], ['/usr/bin/id', '-Gn'],
    ['/usr/bin/truncate', '-s', '5M', 'sp'], { argv: ['/bin/sh', '-c', 'echo tail >> sp'] }, ['/bin/cp', '--sparse=always', 'sp', 'sp2'], ['/usr/bin/du', '-k', 'sp2'], ['/usr/bin/cmp', 'sp', 'sp2'],
    ['/usr/bin/mkfifo', '-m', '600', 'ff'], ['/usr/bin/stat', '-c', '%F %a', 'ff'], ['/usr/bin/shred', '-n', '0', '-z', 'a.txt'], ['/usr/bin/od', '-c', 'a.txt'],
    ['/bin/ln', '-sr', 'sub/deep/y.sh', 'rel'], ['/bin/readlink', 'rel'], ['/usr/bin/yes', '--version']),
  steps('libc-bin', ['/usr/bin/getconf', 'PAGESIZE'], ['/usr/bin/getconf', 'LONG_BIT'], ['/usr/bin/getconf', 'ARG_MAX'], ['/usr/bin/getconf', 'OPEN_MAX'],
    ['/usr/bin/getconf', 'CLK_TCK'], ['/usr/bin/getconf', 'GNU_LIBC_VERSION'], ['/usr/bin/getconf', 'NAME_MAX', '.'], ['/usr/bin/getconf', 'PIPE_BUF', '.'],
    ['/usr/bin/getconf', 'LINK_MAX', '.'], ['/usr/bin/getconf', '_NPROCESSORS_CONF'],
    { argv: ['/usr/bin/iconv', '-f', 'UTF-8', '-t', 'UTF-16BE', 'words.txt'], out: 'w16' }, ['/usr/bin/od', '-An', '-tx1', '-N', '32', 'w16'],
    ['/usr/bin/iconv', '-f', 'UTF-16BE', '-t', 'ISO-8859-1', 'w16'], ['/usr/bin/iconv', '-f', 'UTF-8', '-t', 'ASCII//TRANSLIT', 'words.txt'], ['/usr/bin/iconv', '-f', 'UTF-8', '-t', 'ASCII', 'words.txt'],
    { argv: ['/usr/bin/locale'], env: { LC_ALL: 'C.UTF-8' } }, { argv: ['/usr/bin/locale', '-k', 'LC_NUMERIC'], env: { LC_ALL: 'C.UTF-8' } },
    ['/usr/bin/zdump', '-v', '-c', '2021,2022', 'Europe/Paris'], ['/usr/bin/getent', 'passwd', 'root'], ['/usr/bin/getent', 'hosts', '127.0.0.1']),
  // findutils, diffutils
  steps('findutils', ['/usr/bin/find', '.', '-newer', 'a.txt', '-o', '-perm', '-u+x', '-printf', '%P\\n'],
    ['/usr/bin/find', '.', '-regextype', 'posix-extended', '-regex', '.*/[a-b]\\.txt', '-printf', '%P %k %n %M %t %Tk %TA\\n'],
    ['/usr/bin/find', '.', '-maxdepth', '1', '-type', 'f', '-size', '-2k', '-execdir', '/bin/echo', '[{}]', ';'],
    ['/usr/bin/find', 'sub', '-depth', '-print0'], ['/usr/bin/find', '-L', '.', '-empty', '-printf', '%p %y %Y\\n'],
    { argv: ['/usr/bin/xargs', '-P', '4', '-n', '1', '/bin/sh', '-c', 'echo "$0"$(( $0 * $0 )) > out$0'], stdin: '1 2 3 4 5 6 7 8\n' }, ['/bin/cat', 'out1', 'out2', 'out3', 'out4', 'out5', 'out6', 'out7', 'out8'],
    { argv: ['/usr/bin/xargs', '-n', '2', '/bin/sh', '-c', 'exit 255'], stdin: 'a b c d\n' },
    { argv: ['/usr/bin/xargs', '/bin/sh', '-c', 'kill -TERM $$'], stdin: 'x\n' },
    { argv: ['/usr/bin/xargs', '-0', '-I', '{}', '/bin/echo', '<{}>'], stdin: 'a b\0c\0' }, { argv: ['/usr/bin/xargs', '-a', 'a.txt', '-d', '\\n', '-r', '/bin/echo'] },
    ['/usr/bin/find', '.', '-name', '*.txt', '-newermt', '2021-03-04 05:06:06', '-delete'], ['/bin/ls']),
  steps('diffutils', ['/usr/bin/diff3', 'a.txt', 'b.txt', 'j1.txt'], ['/usr/bin/diff3', '-m', 'b.txt', 'a.txt', 'b.txt'], ['/usr/bin/diff', '-y', '-W', '50', 'a.txt', 'b.txt'],
    ['/usr/bin/diff', '-e', 'a.txt', 'b.txt'], ['/usr/bin/diff', '--color=always', '-u', 'a.txt', 'b.txt'], ['/usr/bin/diff', '-D', 'NEW', 'a.txt', 'b.txt'],
    ['/usr/bin/diff', '--old-line-format=-%L', '--new-line-format=+%L', '--unchanged-line-format= %L', 'a.txt', 'b.txt'],
    ['/usr/bin/cmp', '-b', '-i', '2:3', 'a.txt', 'b.txt'], ['/usr/bin/sdiff', '-s', '-w', '40', 'a.txt', 'b.txt'], ['/usr/bin/diff', 'a.txt', 'nope']),
  // bash: builtins and features without job control
  sh('bash-features', script`set -E; trap 'echo "ERR line $LINENO rc=$?"' ERR; trap 'echo "EXIT $?"' EXIT
f() { false; echo "in f after false"; }; f; g() { trap 'echo RETURN from g' RETURN; return 2; }; g; echo "g $?"
tr a-z A-Z <<< "here string"; read -r a b <<< "1 2 3"; echo "$a|$b"; x="it's \"q\""; echo "\${x@Q}"; declare -p x
declare -n ref=a; ref=99; echo "$a"; arr=(z y x); declare -p arr; echo {a..e..2} {001..3} {z..x}
shopt -s extglob; for w in foo.c bar.h baz.txt; do case $w in *.@(c|h)) echo "src $w";; !(*.txt)) ;; *) echo "other $w";; esac; done
mkfifo ff; exec 5<>ff; read -t 0.1 -u 5 v; echo "read -t $?"; exec 5>&-
(read -r l < ff; exit 3) & (exit 4) & wait -n; echo "first $?"; echo go > ff; wait -n; echo "second $?"; wait
exec {fd}<a.txt; read -r -u $fd l; echo "fd>=10 $(( fd >= 10 )) $l"; exec {fd}<&-
mapfile -d , -t parts <<< "a,b,c"; echo "\${#parts[@]} \${parts[2]}"; printf '%b|%q|%(%s)T\n' 'tab\there' 'a b' 0
echo $(( 2**63 )) $(( -2**63 / -1 )) $(( 7 % -3 )) $(( 1 << 64 )); let "y = 5 * 3" "z = y++"; echo $y $z
kill -l 15; kill -l | head -2; trap -p EXIT; ulimit -c; ulimit -s; ulimit -n 77; ulimit -n
set -u; (echo "\${nope}"); echo "set -u subshell $?"; set +u; compgen -A function; echo "\${FUNCNAME[*]:-none} $BASH_SUBSHELL $( echo $BASH_SUBSHELL )"
printf -v big '%*s' 5000 ''; echo \${#big}; s=$(printf 'a%.0s' {1..3000}); echo \${#s}; false | true; echo "\${PIPESTATUS[@]}"`),
  sh('bash-signals', script`exec 2> >(sed -E 's/line ([0-9]+): [0-9]+ /line \1: PID /' >&2); trap 'echo "USR1 in the shell"' USR1; kill -USR1 $$; (trap 'echo sub USR2' USR2; kill -USR2 $BASHPID)
trap '' INT; (trap -p INT; kill -INT $BASHPID; echo "ignored INT kept") ; trap - INT
sh -c 'kill -TERM $$'; echo "sh by TERM $?"; sh -c 'kill -KILL $$'; echo "sh by KILL $?"; (kill -SEGV $BASHPID); echo "subshell by SEGV $?"
trap 'echo got ALRM' ALRM; (sleep 0.2; kill -ALRM $$) & wait; echo "after wait $?"
sleep 5 & p=$!; kill $p; wait $p; echo "killed bg $?"; (trap 'exit 7' HUP; kill -HUP $BASHPID; sleep 1); echo "HUP trap $?"
trap 'echo CHLD' CHLD; (exit 0); /bin/true; trap - CHLD; echo done`),
  // python: asyncio, selectors, more of the os and socket modules
  c('python-async', '/usr/bin/python3.11', '-c', script`import asyncio, selectors, socket, os, signal
async def echo_server(r, w):
    d = await r.read(100); w.write(d.upper()); await w.drain(); w.close()
async def main():
    srv = await asyncio.start_server(echo_server, "127.0.0.1", 0); port = srv.sockets[0].getsockname()[1]
    r, w = await asyncio.open_connection("127.0.0.1", port); w.write(b"asyncio tcp"); print(await r.read(100)); w.close(); srv.close(); await srv.wait_closed()
    p = await asyncio.create_subprocess_exec("/bin/cat", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE); out, _ = await p.communicate(b"sub" * 1000); print(len(out), p.returncode)
    p = await asyncio.create_subprocess_shell("echo shell; exit 5", stdout=asyncio.subprocess.PIPE); print(await p.stdout.read(), await p.wait())
    res = await asyncio.gather(*(asyncio.sleep(0.01 * i, result=i) for i in range(5))); print(res)
    try: await asyncio.wait_for(asyncio.sleep(5), 0.1)
    except asyncio.TimeoutError: print("wait_for timeout")
    loop = asyncio.get_running_loop(); ev = asyncio.Event(); loop.add_signal_handler(signal.SIGUSR2, ev.set); os.kill(os.getpid(), signal.SIGUSR2); await ev.wait(); print("signal via loop")
    print(await loop.run_in_executor(None, sum, range(1000)))
    a, b = socket.socketpair(); a.setblocking(False); b.setblocking(False); await loop.sock_sendall(a, b"sockpair"); print(await loop.sock_recv(b, 100))
    q = asyncio.Queue()
    async def prod():
        for i in range(3): await q.put(i)
        await q.put(None)
    asyncio.create_task(prod()); got = []
    while (v := await q.get()) is not None: got.append(v)
    print(got)
asyncio.run(main())
sel = selectors.DefaultSelector(); print(type(sel).__name__); a, b = socket.socketpair(); sel.register(a, selectors.EVENT_READ, "a"); print(sel.select(0)); b.send(b"z")
print([(k.data, m) for k, m in sel.select(1)]); sel.modify(a, selectors.EVENT_WRITE, "w"); print([(k.data, m) for k, m in sel.select(1)]); sel.close()`),
  c('python-os', '/usr/bin/python3.11', '-c', script`import os, socket, signal, fcntl, resource, time, errno, struct, threading, mmap, array
r, w = os.pipe2(os.O_CLOEXEC | os.O_NONBLOCK); print(fcntl.fcntl(r, fcntl.F_GETFD), bool(fcntl.fcntl(w, fcntl.F_GETFL) & os.O_NONBLOCK), fcntl.fcntl(r, 1032))
try: os.read(r, 1)
except BlockingIOError as e: print("EAGAIN", e.errno == errno.EAGAIN)
fd = os.open("data.csv", os.O_RDONLY); out = os.open("copy", os.O_WRONLY | os.O_CREAT, 0o600); print(os.sendfile(out, fd, 10, 1000), os.copy_file_range(fd, out, 500, 0, 100))
os.close(out); print(os.path.getsize("copy"), os.pread(fd, 8, 4), os.preadv(fd, [bytearray(3), bytearray(4)], 100))
w2 = os.open("pw", os.O_RDWR | os.O_CREAT, 0o644); print(os.pwritev(w2, [b"ab", b"cde"], 3), os.pread(w2, 10, 0)); os.ftruncate(w2, 2); print(os.fstat(w2).st_size)
print(os.splice(fd, w, 50, offset_src=0)); print(os.read(r, 100)[:12])
efd = os.eventfd(3, os.EFD_NONBLOCK); os.eventfd_write(efd, 4); print("eventfd", os.eventfd_read(efd))
m = os.memfd_create("mem", os.MFD_CLOEXEC); os.write(m, b"memfd data"); print(os.pread(m, 5, 0), os.readlink(f"/proc/self/fd/{m}"))
st = os.statvfs("."); print(st.f_bsize > 0, st.f_namemax); print(resource.getrlimit(resource.RLIMIT_NOFILE)[0] > 0); resource.setrlimit(resource.RLIMIT_CORE, (0, 0)); print(resource.getrlimit(resource.RLIMIT_CORE))
print(sorted(os.sched_getaffinity(0))[:1], os.getpriority(os.PRIO_PROCESS, 0), os.nice(3), os.getpriority(os.PRIO_PROCESS, 0))
with open("lk", "w") as f:
    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB); fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 0)
    g = open("lk"); print("flock", end=" ")
    try: fcntl.flock(g, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as e: print("busy", e.errno)
for e in os.scandir("sub"): print(e.name, e.is_dir(), e.is_file(), e.is_symlink())
os.utime("a.txt", ns=(1, 1234567891234567891)); print(os.stat("a.txt").st_mtime_ns)
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET); a.send(b"one"); a.send(b"two"); print(b.recv(10), b.recv(10))
a, b = socket.socketpair(); socket.send_fds(a, [b"fds"], [fd]); msg, fds, flags, addr = socket.recv_fds(b, 10, 2); print(msg, len(fds), os.pread(fds[0], 5, 0))
a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192); print(a.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF), a.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE), a.family)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind("\0abstract-urun-s20"); t = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); t.sendto(b"abstract", "\0abstract-urun-s20"); print(s.recvfrom(20))
print(socket.getaddrinfo("127.0.0.1", 80, socket.AF_INET, socket.SOCK_STREAM)[0][4], socket.inet_pton(socket.AF_INET6, "::1").hex(), socket.htons(1), socket.gethostname() != "")
a.settimeout(0.1)
try: a.recv(1)
except TimeoutError: print("socket timeout")
old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1}); os.kill(os.getpid(), signal.SIGUSR1); print(signal.sigpending(), signal.sigwait({signal.SIGUSR1}))
print(signal.sigtimedwait({signal.SIGUSR1}, 0.05)); signal.pthread_sigmask(signal.SIG_SETMASK, old)
rw, ww = socket.socketpair(); rw.setblocking(False); ww.setblocking(False); signal.set_wakeup_fd(ww.fileno()); signal.signal(signal.SIGWINCH, lambda *a: None); os.kill(os.getpid(), signal.SIGWINCH); print("wakeup", rw.recv(10))
print(signal.getitimer(signal.ITIMER_REAL), signal.strsignal(signal.SIGSEGV), signal.valid_signals() >= {signal.SIGRTMIN})
b = threading.Barrier(3); res = []
def worker(i): res.append(b.wait())
ts = [threading.Thread(target=worker, args=(i,)) for i in range(3)]; [t.start() for t in ts]; [t.join() for t in ts]; print(sorted(res))
c = threading.Condition(); print(c.acquire() and c.wait(0.05)); c.release(); tm = threading.Timer(0.05, lambda: print("timer fired")); tm.start(); tm.join()
mm = mmap.mmap(-1, 8192); mm[4096:4100] = b"anon"; pid = os.fork()
if pid == 0: mm[0:5] = b"child"; os._exit(0)
os.waitpid(pid, 0); print(mm[0:5], mm[4096:4100]); sh = mmap.mmap(-1, 4096, flags=mmap.MAP_SHARED); pid = os.fork()
if pid == 0: sh[0:6] = b"shared"; os._exit(0)
os.waitpid(pid, 0); print(sh[0:6]); pid = os.fork()
if pid == 0: os.kill(os.getpid(), signal.SIGABRT)
print(os.waitpid(pid, 0)[1] & 0x7f, os.WCOREDUMP(os.waitpid(os.fork() or pid, 0)[1]) if False else "")
pid = os.posix_spawn("/bin/sh", ["sh", "-c", "exit 6"], {}); print("posix_spawn", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
print(os.waitid(os.P_PID, os.posix_spawnp("true", ["true"], os.environ), os.WEXITED).si_status, os.times().elapsed > 0, time.clock_getres(time.CLOCK_MONOTONIC))`),
  c('python-mp', '/usr/bin/python3.11', '-c', script`import multiprocessing as mp, os, ctypes
def square(x): return x * x
def add(v, lock):
    for _ in range(200):
        with lock: v.value += 1
if __name__ == "__main__":
    ctx = mp.get_context("fork")
    with ctx.Pool(2) as p: print("pool", p.map(square, range(6)))
    v = ctx.Value(ctypes.c_int, 0); lock = ctx.Lock(); ps = [ctx.Process(target=add, args=(v, lock)) for _ in range(3)]
    [p.start() for p in ps]; [p.join() for p in ps]; print("shared value", v.value)
    with mp.Manager() as m: d = m.dict(); l = m.list(); p = mp.Process(target=d.__setitem__, args=("k", 42)); p.start(); p.join(); print("manager", dict(d))
    a, b = mp.Pipe(); p = ctx.Process(target=lambda c: c.send(os.getppid() == os.getpid() or "child"), args=(b,)); p.start(); print(a.recv()); p.join()
    e = ctx.Event(); p = ctx.Process(target=e.set); p.start(); print("event", e.wait(5)); p.join(); s = ctx.Semaphore(0); p = ctx.Process(target=s.release); p.start(); print("sem", s.acquire(timeout=5)); p.join()`),
  c('python-ctypes', '/usr/bin/python3.11', '-c', script`import ctypes, ctypes.util, struct
libc = ctypes.CDLL(None); libm = ctypes.CDLL("libm.so.6")
a = (ctypes.c_int * 8)(5, 3, 8, 1, 9, -2, 7, 0); CMP = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int))
libc.qsort(a, 8, 4, CMP(lambda x, y: x[0] - y[0])); print(list(a))
libm.pow.restype = ctypes.c_double; libm.pow.argtypes = [ctypes.c_double, ctypes.c_double]; print(libm.pow(2.0, 0.5))
libm.frexp.restype = ctypes.c_double; e = ctypes.c_int(); print(libm.frexp(ctypes.c_double(48.0), ctypes.byref(e)), e.value)
libm.ldexpf.restype = ctypes.c_float; libm.ldexpf.argtypes = [ctypes.c_float, ctypes.c_int]; print(libm.ldexpf(1.5, 3))
buf = ctypes.create_string_buffer(200); libc.snprintf(buf, 200, b"%d %s %lld %c %x", 42, b"str", ctypes.c_longlong(-2**40), 65, 255); print(buf.value)
class P(ctypes.Structure): _fields_ = [("x", ctypes.c_double), ("y", ctypes.c_float), ("n", ctypes.c_char), ("q", ctypes.c_longlong)]
print(ctypes.sizeof(P), ctypes.alignment(P), P.q.offset, bytes(P(1.5, 2.5, b"z", 3))[:12].hex())
libm.cabs.restype = ctypes.c_double
class C(ctypes.Structure): _fields_ = [("re", ctypes.c_double), ("im", ctypes.c_double)]
libm.cabs.argtypes = [C]; print(libm.cabs(C(3.0, 4.0)))
SUM = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_double, ctypes.c_float, ctypes.c_int, ctypes.c_longlong, ctypes.c_double)
f = SUM(lambda a, b, c, d, e: a + b + c + d + e); print(f(1.5, 2.25, 3, 2**40, 0.125))
print(ctypes.util.find_library("c") is not None or True, ctypes.c_long.from_buffer_copy(struct.pack("l", -5)).value, ctypes.string_at(ctypes.c_char_p(b"at"), 2))
cb = ctypes.CFUNCTYPE(None, ctypes.c_char_p)(lambda s: print("atexit-like", s)); cb(b"called"); print(ctypes.get_errno(), libc.close(-1), ctypes.get_errno() if False else ctypes.c_int.in_dll(libc, "errno").value if False else "errno-ok")`),
  ...qemuFailsOn({ mipsel: 'qemu-user passes the host\'s SO_ERROR on untranslated (ECONNREFUSED 111, not MIPS\'s 146)' }, c('python-http', '/usr/bin/python3.11', '-c', script`import http.server, threading, urllib.request, json, zoneinfo, datetime, email.message, email.utils, logging, io, contextlib
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        body = json.dumps({"path": self.path}).encode(); self.send_response(200); self.send_header("Content-Type", "application/json"); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def do_POST(self):
        n = int(self.headers["Content-Length"]); d = self.rfile.read(n); self.send_response(201); self.end_headers(); self.wfile.write(d[::-1])
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H); t = threading.Thread(target=srv.serve_forever); t.start(); base = f"http://127.0.0.1:{srv.server_port}"
with urllib.request.urlopen(base + "/a?b=1") as r: print(r.status, r.headers["Content-Type"], json.load(r))
with urllib.request.urlopen(urllib.request.Request(base + "/p", data=b"posted body")) as r: print(r.status, r.read())
try: urllib.request.urlopen("http://127.0.0.1:1/", timeout=2)
except Exception as e: print(type(e).__name__, getattr(e, "reason", e).errno if hasattr(getattr(e, "reason", None), "errno") else "")
srv.shutdown(); t.join(); srv.server_close()
tz = zoneinfo.ZoneInfo("America/New_York"); d = datetime.datetime(2022, 3, 13, 6, 59, tzinfo=datetime.timezone.utc); print(d.astimezone(tz), (d + datetime.timedelta(minutes=2)).astimezone(tz), tz.utcoffset(datetime.datetime(2022, 7, 1)))
m = email.message.EmailMessage(); m["Subject"] = "héllo"; m["Date"] = email.utils.formatdate(0, usegmt=True); m.set_content("body\n"); print(m.as_string().splitlines()[:4])
buf = io.StringIO(); logging.basicConfig(stream=buf, format="%(levelname)s:%(message)s"); logging.warning("warned %d", 3); print(buf.getvalue().strip())
with contextlib.redirect_stdout(io.StringIO()) as s: print("hidden")
print(repr(s.getvalue()))`)),
  // lua: more of the standard library, errors and exit codes
  { name: 'lua-more', argv: ['/usr/bin/lua5.4', '-'], stdin: script`math.randomseed(42); print(math.random(1, 100), math.random(1, 100), math.floor(math.random() * 1e6))
print(string.format("%a %.17g %g %5.3s|%-6i|%+d|%o", 1/3, 0.1, 1e20, "abcdef", 42, 5, 8), math.maxinteger + 1 == math.mininteger, 2^63 == math.maxinteger + 1.0, 1 // 0.0, -1 // 0.0, 0/0 ~= 0/0)
print(string.pack("<i8j", -1, 2):byte(1, -1)); print(string.unpack("<d", string.pack("<d", -0.5)), ("%d"):rep(3, "-"), utf8.codepoint("é€", 1, -1))
local t = {} for i = 1, 10 do t[i] = i * i end print(table.concat(t, " ", 3, 6), #t, select("#", table.unpack(t)), table.move(t, 1, 3, 2)[3])
local name = os.tmpname() local f = assert(io.open(name, "w")) f:write("12 3.5 0x10\nsecond\n") f:close()
f = io.open(name) print(f:read("n", "n", "n")) print(f:read("l"), f:read("l"), f:read("l")) f:close()
print(os.rename(name, name .. ".x"), os.remove(name .. ".x"), select(2, os.remove("nope")), io.open("nope") == nil)
for l in io.lines("a.txt") do io.write(l:sub(1, 1)) end print() print(os.getenv("HOME") ~= nil, os.date("!%c", 0), os.time({year=2038, month=1, day=19, hour=3, min=14, sec=8}) ~= nil, os.difftime(10, 3))
local env = {print = print} local chunk = load("x = 5 print(x) return x * 2", "chunk", "t", env) print(chunk(), env.x, x)
goto skip print("not reached") ::skip:: print(pcall(string.rep), select(2, pcall(error, setmetatable({}, {__tostring = function() return "custom" end}))))
local co = coroutine.wrap(function() error("in coroutine") end) print(pcall(co)) print(string.find("hello world", "o w"), ("x=1, y=2"):gsub("(%w+)=(%w+)", "%2=%1"))
io.stderr:write("to stderr\n") error("fatal at the end")` },
  c('lua-exit', '/usr/bin/lua5.4', '-e', 'io.write("partial") os.exit(3)'),
  // busybox applets not run yet
  steps('busybox-more', ...[['find', '.', '-name', '*.txt', '-type', 'f'], ['sort', '-u', 'words.txt'], ['tr', 'a-z', 'A-Z', 'a.txt'], ['uniq', '-c', 'words.txt'],
    ['head', '-n', '3', 'data.csv'], ['tail', '-n', '2', 'data.csv'], ['sha1sum', 'a.txt'], ['sha512sum', 'a.txt'], ['sha3sum', 'a.txt'], ['base64', 'a.txt'],
    ['cksum', 'data.csv'], ['crc32', 'data.csv'], ['diff', '-u', 'a.txt', 'b.txt'], ['hexdump', '-C', '-n', '32', 'rand.bin'], ['seq', '-w', '-s', ':', '8', '11'],
    ['factor', '1234567890123'], ['bc'], ['cal', '2', '2024'], ['strings', '-n', '6', '/bin/busybox'], ['nl', 'a.txt'], ['comm', 'a.txt', 'b.txt'], ['tac', 'a.txt'],
    ['rev', 'a.txt'], ['dd', 'if=rand.bin', 'bs=64', 'count=1', 'skip=2', 'of=o.bin'], ['md5sum', 'o.bin'], ['truncate', '-s', '1000', 'o.bin'], ['stat', '-c', '%s', 'o.bin'],
    ['realpath', 'sub/deep/../x.c'], ['readlink', '-f', 'sub/./deep'], ['stat', '-f', '-c', '%T', '.'], ['du', '-s', 'sub'], ['basename', 'sub/x.c', '.c'],
    ['dirname', 'sub/x.c'], ['expand', 'sub/x.c'], ['fold', '-w', '20', 'prose.txt'], ['cmp', 'a.txt', 'b.txt'], ['ls', '-ln', '--full-time', 'sub'],
    ['bzip2', '-c', 'a.txt'], ['timeout', '0.2', 'sleep', '3'], ['env', '-i', 'X=1', 'env'], ['printf', '%x %o %e\\n', '255', '8', '12345.678'],
    ['sh', '-c', script`f() { local v=$1; shift; echo "f $v $#"; }; f a b c; set -- x y z; shift; echo "$@" \${#1}; x=abc.tar.gz; echo \${x%%.*} \${x#*.} \${x%.gz}
while getopts ab: o -a -b val; do echo "opt $o \${OPTARG:-}"; done; trap 'echo trapped' EXIT; read a b <<EOF
1 2
EOF
echo "$a+$b=$((a+b))"; (exit 3); echo "sub $?"; case "x1" in x[0-9]) echo matched;; esac; echo $((3**2)) $(( -7 / 2 )) $((0x7fffffff + 1))`]]
    .map((a) => (a[0] === 'bc' ? { argv: ['/bin/busybox', 'bc', '-l'], stdin: 'scale=20; 4*a(1)\n2^100\n' } : ['/bin/busybox', ...a]))),
  // busybox applets whose answers pass through structs and words in the CPU's byte order
  // (stat, statfs, device numbers, /proc/net, CPU masks, SysV IPC limits, od's host-order words):
  // where a big-endian guest differs from a little-endian one
  steps('busybox-words', ...[['stat', '-c', '%s %a %F %h %u %g %X %Y', 'a.txt', 'sub'], ['stat', '-f', '-c', '%T %S %l %c %i', '.'],
    ['stat', '-c', '%F %t:%T', '/dev/null', '/dev/zero'], ['mkfifo', 'ff'], ['mknod', 'nd', 'c', '1', '3'], ['stat', '-c', '%F %a %t:%T', 'ff', 'nd'],
    ['ls', '-ln', '--full-time', 'a.txt', 'sub'], ['route', '-n'], ['taskset', '-p', '1'], ['nproc'], ['ipcs', '-l'], ['chrt', '-p', '1'],
    ['od', '-A', 'd', '-t', 'x2', '-t', 'd4', '-N', '16', 'rand.bin'], ['od', '-t', 'f4', '-t', 'f8', '-N', '16', 'rand.bin'],
    ['hexdump', '-e', '4/4 "%08x " "\\n"', '-n', '32', 'rand.bin'], ['dd', 'if=rand.bin', 'of=sw.bin', 'bs=16', 'count=2', 'conv=swab'], ['md5sum', 'sw.bin'],
    ['ipcalc', '-bnmp', '192.168.1.5/21'], ['hostid'], ['uname', '-sm'], ['sh', '-c', 'ulimit -n; ulimit -s; ulimit -c'], ['sysctl', 'kernel.ostype'],
    ['find', '.', '-type', 'f', '-size', '+1k'], ['cpio', '-o', '-H', 'newc', '-O', 'x.cpio'], ['cpio', '-t', '-v', '-F', 'x.cpio']]
    .map((a) => (a[0] === 'cpio' && a[1] === '-o' ? { argv: ['/bin/busybox', ...a], stdin: 'a.txt\nb.txt\nsub\n' } : ['/bin/busybox', ...a]))),
  // openssl: MACs, KDFs, password hashes and deterministic Ed25519 signatures
  steps('openssl-more', ['/usr/bin/openssl', 'dgst', '-sha384', '-hmac', 'key', 'a.txt'], ['/usr/bin/openssl', 'mac', '-digest', 'SHA256', '-macopt', 'hexkey:00112233', 'HMAC', '-in', 'a.txt'],
    ['/usr/bin/openssl', 'kdf', '-keylen', '32', '-kdfopt', 'digest:SHA256', '-kdfopt', 'pass:password', '-kdfopt', 'salt:salt', '-kdfopt', 'iter:1000', 'PBKDF2'],
    ['/usr/bin/openssl', 'kdf', '-keylen', '16', '-kdfopt', 'digest:SHA256', '-kdfopt', 'key:secret', '-kdfopt', 'salt:salt', '-kdfopt', 'info:label', 'HKDF'],
    ['/usr/bin/openssl', 'passwd', '-6', '-salt', 'saltsalt', 'pw'], ['/usr/bin/openssl', 'passwd', '-5', '-salt', 'abc', 'pw'], ['/usr/bin/openssl', 'passwd', '-apr1', '-salt', 'xyz', 'pw'],
    ['/usr/bin/openssl', 'base64', '-in', 'rand.bin', '-out', 'r.b64'], ['/usr/bin/openssl', 'base64', '-d', '-in', 'r.b64', '-out', 'r.bin'], ['/usr/bin/cmp', 'r.bin', 'rand.bin'],
    ['/usr/bin/openssl', 'dgst', '-ripemd160', '-blake2s256', '-sm3', '-shake256', 'a.txt'], ['/usr/bin/openssl', 'enc', '-aes-128-gcm', '-K', '00'.repeat(16), '-iv', '00'.repeat(12), '-in', 'a.txt'],
    ['/bin/sh', '-c', 'printf "%s\\n" "-----BEGIN PRIVATE KEY-----" "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC" "-----END PRIVATE KEY-----" > k.pem'],
    ['/usr/bin/openssl', 'pkey', '-in', 'k.pem', '-pubout'], ['/usr/bin/openssl', 'pkeyutl', '-sign', '-rawin', '-inkey', 'k.pem', '-in', 'a.txt', '-out', 'sig'], ['/usr/bin/md5sum', 'sig'],
    ['/usr/bin/openssl', 'pkeyutl', '-verify', '-rawin', '-inkey', 'k.pem', '-sigfile', 'sig', '-in', 'a.txt'], ['/usr/bin/openssl', 'req', '-new', '-key', 'k.pem', '-subj', '/CN=urun/O=test', '-out', 'r.csr'],
    ['/usr/bin/openssl', 'req', '-in', 'r.csr', '-noout', '-verify', '-subject'], ['/usr/bin/openssl', 'asn1parse', '-in', 'r.csr'], ['/usr/bin/openssl', 'errstr', '0x80000002'],
    ['/usr/bin/openssl', 'genpkey', '-quiet', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:512', '-out', 'rsa.pem'], ['/usr/bin/openssl', 'dgst', '-sha256', '-sign', 'rsa.pem', '-out', 'rs', 'a.txt'],
    ['/usr/bin/openssl', 'pkey', '-in', 'rsa.pem', '-pubout', '-out', 'rpub.pem'], ['/usr/bin/openssl', 'dgst', '-sha256', '-verify', 'rpub.pem', '-signature', 'rs', 'a.txt'],
    ['/usr/bin/openssl', 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ec.pem'], ['/usr/bin/openssl', 'ec', '-in', 'ec.pem', '-noout', '-check'], ['/usr/bin/openssl', 'enc', '-des3', '-pass', 'pass:x', '-in', 'a.txt', '-S', '0102030405060708']),
  // jq: regexes (oniguruma), formats, streams, errors and exit codes
  steps('jq-more', ['/usr/bin/jq', '-n', '-r', '$x | .a | @csv, @tsv, @sh, @base64, @uri, @html, (tostring | @json)', '--argjson', 'x', '{"a":[1,"a b","<&>"]}'],
    ['/usr/bin/jq', '-c', '[.s | test("h.llo"), ascii_downcase, (splits("l+")), sub("(?<x>l+)"; "[\\(.x)]"; "g")], [.a | paths], [tostream], (.a | map(type) | group_by(.) | map(length))', 'doc.json'],
    { argv: ['/usr/bin/jq', '-s', '-c', 'reduce .[] as $x (0; . + $x) , (map(. * 2) | add), length, (.[0:2] | tojson), ([limit(3; repeat(1))]), (input_line_number)'], stdin: '1 2 3\n4.5\n' },
    { argv: ['/usr/bin/jq', '-c', '--stream', '.'], stdin: '{"a":[1,{"b":2}]}' }, { argv: ['/usr/bin/jq', '--seq', '-c', '.x'], stdin: '{"x":1}{"x":[2]}' },
    { argv: ['/usr/bin/jq', '-e', '.missing'], stdin: '{}' }, { argv: ['/usr/bin/jq', '.a.b'], stdin: '{"a":5}' }, { argv: ['/usr/bin/jq', '.'], stdin: '{"bad": }' },
    ['/usr/bin/jq', '-n', '-c', '[1.1, 1e-5, 100000000000000000000, 3.0, -0, 1e308 * 10, (1 / 3), 0.1 + 0.2, (2 | pow(.; 64)), ("1.5e3" | tonumber), (infinite | tostring), ([nan] | tostring)]'],
    ['/usr/bin/jq', '-n', '--arg', 'v', 'str', '--tab', '{($v): $v, env: ($ENV.HOME | type), now: (now | floor | type), t: ("2015-03-05T23:51:47Z" | strptime("%Y-%m-%dT%H:%M:%SZ") | mktime), d: (1425599507 | strftime("%A, %B %d, %Y %j %U"))}'],
    ['/usr/bin/jq', '-n', '"\\u00e9" | explode, @text, length, utf8bytelength, ("aé" | ascii_downcase), ([.[]?]), ({} | .a.b.c), ("x" | ltrimstr("x")), (["b","a"] | sort | join("-"))'],
    ['/usr/bin/jq', '-n', 'halt_error("stopped\\n")'], ['/usr/bin/jq', '-n', '"x" | error']),
  // make: parallel jobs, a recursive make sharing the jobserver, output synchronisation, failures with -k
  sh('make-parallel', script`mkdir -p lib; printf '%s\n' 'all: a b' 'a b:' '	@echo "lib $@ $(MAKELEVEL)"' > lib/Makefile
printf '%s\n' 'N := 1 2 3 4 5 6 7 8' 'OUT := $(N:%=out/%.txt)' 'SHELL := /bin/bash' '.PHONY: all lib fail' 'all: $(OUT) lib' '	@echo "all: $(words $(OUT)) outputs, sum $$(cat $(OUT) | paste -sd+ | bc)"' \
  'out/%.txt: | out' '	@sleep 0.0$*; echo $$(( $* * $* )) > $@; echo "built $@"' 'out:' '	@mkdir -p $@' 'lib:' '	@$(MAKE) -s -C lib | sort' \
  'VERSION := $(shell echo 1.2.3 | cut -d. -f2)' 'info:' '	@echo "version $(VERSION) $(origin CC) $(flavor OUT) $(notdir $(abspath lib/Makefile))"' \
  'fail: f1 f2 f3' 'f1:' '	@false' 'f2:' '	@echo f2 ran' 'f3:' '	@exit 3' > Makefile
make -j4 -Otarget --no-print-directory all 2>&1 | sort; make info; make -k -j2 -Otarget fail 2>&1 | sort; echo "status \${PIPESTATUS[0]}"
make -j4 --no-print-directory -s all; echo "again $?"; make -q all; echo "q $?"; printf 'x: y\n\techo never\n' > m2.mk; make -f m2.mk 2>&1; echo "missing $?"
printf '.ONESHELL:\nall:\n\t@cd lib\n\tpwd | sed "s|.*/||"\n\tfor i in 1 2; do echo "one $$i"; done\n' > m3.mk; make -s -f m3.mk; printf 'all: t1 t2 t3\nt%%:\n\t@echo "stdin makefile $@"\n' | make -j3 -s -f - | sort`),
  // Fourth sweep: what CI jobs and students run that the cases above do not.
  steps('units', ['/usr/bin/units', '-t', '10 miles', 'km'], ['/usr/bin/units', '-t', '3 ft + 2 in', 'cm'], ['/usr/bin/units', '-t', 'tempF(212)', 'tempC'],
    ['/usr/bin/units', '1|3 cup', 'tbsp'], ['/usr/bin/units', '-t', 'furlongs/fortnight', 'm/s'], ['/usr/bin/units', '-t', 'kg', 'm'], ['/usr/bin/units', '-t', 'sqrt(2 acre)', 'ft']),
  // A pager whose output is not a terminal copies its input.
  steps('less-more', { argv: ['/usr/bin/less'], stdin: 'piped\nthrough less\n' }, ['/usr/bin/less', '-N', 'a.txt', 'b.txt'], ['/bin/more', 'a.txt', 'b.txt'],
    { argv: ['/bin/more'], stdin: 'x\ny\n' }, ['/usr/bin/less', 'nope']),
  // Fortran (libgfortran with the reference BLAS and LAPACK): L-BFGS-B's example drivers. Not the
  // F77 ones (their timer converts an uninitialised stack double, whose IEEE flags gfortran's STOP
  // reports) nor driver3 (it stops at a CPU-time limit).
  steps('fortran-lbfgsb', ['/usr/bin/lbfgsb-examples_driver1_90'], ['/usr/bin/lbfgsb-examples_driver2_90']),
  // qemu-user aborts guile at start-up (it finds its boot files with statx).
  { qemuFails: STATX_PREFIX, ...c('guile', '/usr/bin/guile-3.0', '--no-auto-compile', '-c', script`(use-modules (srfi srfi-1) (ice-9 format))
(display (expt 2 100)) (newline) (format #t "~a ~,3f ~s~%" (fold + 0 (iota 101)) (sqrt 2) (string-upcase "guile"))
(display (map (lambda (x) (* x x)) '(1 2 3))) (newline) (display (exact->inexact 1/3)) (newline)
(call-with-current-continuation (lambda (k) (for-each (lambda (x) (when (> x 2) (k x)) (display x)) '(1 2 3 4)))) (newline)
(define h (make-hash-table)) (hash-set! h 'a 1) (display (hash-ref h 'a)) (newline)`) },
  // OCaml bytecode: ocamlrun running the toplevel (itself bytecode); no stdlib in ocaml-base, so externals by hand.
  { name: 'ocaml', argv: ['/usr/bin/ocamlrun', '/usr/bin/ocaml', '-nopervasives', '-nostdlib', '-noprompt', '-noinit'],
    stdin: 'external ( + ) : int -> int -> int = "%addint";;\nexternal ( - ) : int -> int -> int = "%subint";;\nexternal ( < ) : int -> int -> bool = "%lessthan";;\nexternal ( *. ) : float -> float -> float = "%mulfloat";;\nlet rec fib n = if n < 2 then n else fib (n - 1) + fib (n - 2);;\nlet x = fib 22;;\nlet y = 1.5 *. 2.25;;\nlet s = ("a", [1; 2], Some `B);;\nlet rec loop n acc = if n < 1 then acc else loop (n - 1) (acc + n);;\nlet z = loop 1000000 0;;\nlet bad = undefined;;\n' },
  // Erlang's BEAM (no JIT on 32-bit): qemu-user cannot start it (beam.smp's exec of erl_child_setup is the host's).
  { qemuFails: 'qemu-user runs the host program for a guest exec', env: { BINDIR: '/usr/lib/erlang/erts-13.1.5/bin' },
    ...c('erlang', '/usr/lib/erlang/erts-13.1.5/bin/beam.smp', '--', '-root', '/usr/lib/erlang', '-bindir', '/usr/lib/erlang/erts-13.1.5/bin', '-progname', 'erl', '--', '-home', '/tmp', '-noshell',
      '-eval', 'io:format("~p ~p~n", [lists:sum(lists:seq(1, 100)), math:sqrt(2)]), P = spawn(fun() -> receive {From, N} -> From ! N * 2 end end), P ! {self(), 21}, receive R -> io:format("~p~n", [R]) end, io:format("~s~n", [base64:encode("urun")]), halt(0).') },
  // A JIT (V8): code written, then run, then patched, all the time.
  c('nodejs', '/usr/bin/node', '-e', script`const a = []; for (let i = 0; i < 20000; i++) a.push((i * 7919) % 10007);
a.sort((x, y) => x - y); let h = 0; for (const x of a) h = (Math.imul(h, 31) + x) | 0;
console.log(h, a.length, 2n ** 100n, [1, 2, 3].map((x) => x ** 2).join(','), JSON.stringify({ s: 'é', d: new Date(0).toISOString() }));
console.log(require('crypto').createHash('sha256').update('urun').digest('hex'), require('zlib').gzipSync('x'.repeat(1000)).length, Math.sin(1e6).toFixed(12));
process.exitCode = 4;`),
  // GraphicsMagick (OpenMP threads through libgomp): draw, resize, blur, encode and decode PNG and JPEG.
  { ...steps('graphicsmagick', ['/usr/bin/gm', 'convert', '-size', '48x32', 'gradient:red-blue', '-fill', 'yellow', '-draw', 'circle 24,16 30,20', 'g.png'],
    ['/usr/bin/gm', 'convert', 'g.png', '-resize', '200%', '-blur', '0x1.5', '-rotate', '30', '-quality', '85', 'g.jpg'],
    ['/usr/bin/gm', 'identify', '-format', '%m %w %h %k %#\n', 'g.png', 'g.jpg'], ['/usr/bin/gm', 'convert', 'g.jpg', '-colorspace', 'gray', '-depth', '8', 'g.pgm'],
    ['/usr/bin/md5sum', 'g.pgm'], ['/usr/bin/gm', 'compare', '-metric', 'mse', 'g.png', 'g.png'], ['/usr/bin/gm', 'convert', 'nope.png', 'x.png']),
  env: { OMP_NUM_THREADS: '2' } },
  // Tiny C Compiler: compiles into memory and runs it there (code written, then called).
  { name: 'tcc-run', arches: ONLY_ON.tcc, argv: ['/usr/bin/tcc', '-run', '-', 'arg1', 'arg2'], stdin: script`#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
int main(int argc, char **argv) {
  char *w[] = { "pear", "apple", "fig", argv[1] }; qsort(w, 4, sizeof *w, cmp);
  double x = 1; for (int i = 1; i < 20; i++) x = x / 2 + 1.0 / i;
  long long big = 1; for (int i = 0; i < 40; i++) big *= 3;
  printf("%d %s %s %s %s %.12f %lld %s\n", argc, w[0], w[1], w[2], w[3], x, big, argv[2]);
  return 7;
}
` },
  // Gforth: threaded code built at start-up from copied code fragments.
  c('gforth', '/usr/bin/gforth', '-e', ': fib dup 2 < if exit then dup 1- recurse swap 2 - recurse + ; 25 fib . cr', '-e', '1e 3e f/ f. 2e fsqrt f. cr',
    '-e', 'create buf 10 cells allot : fill-it 10 0 do i i * buf i cells + ! loop ; fill-it buf 9 cells + @ . cr', '-e', 's" hello" type cr 7 (bye)'),
  // Lisp: CLISP's generational GC write-protects pages and catches the faults (libsigsegv); SBCL
  // maps its 40 MB core and collects with its own fault handler.
  // (/usr/bin/clisp execs lisp.run, which qemu-user would take from the host: the runtime itself.)
  c('clisp', '/usr/lib/clisp-2.49.93+/base/lisp.run', '-B', '/usr/lib/clisp-2.49.93+', '-M', '/usr/lib/clisp-2.49.93+/base/lispinit.mem', '-q', '-norc', '-x',
    script`(progn (print (expt 2 100)) (print (reduce #'+ (loop for i below 1000 collect (* i i))))
(let ((l nil)) (dotimes (i 20000) (push (make-array 8 :initial-element i) l)) (print (length l)) (print (aref (car l) 3)))
(print (format nil "~,4F ~R ~:@(~a~)" (sqrt 2d0) 42 "lisp")) (print (handler-case (/ 1 0) (division-by-zero () :caught))) (terpri))`),
  { name: 'sbcl', arches: ONLY_ON.sbcl, argv: ['/usr/bin/sbcl', '--noinform', '--non-interactive', '--no-sysinit', '--no-userinit', '--eval', script`(progn (print (expt 2 100))
(print (let ((h (make-hash-table))) (dotimes (i 100000) (setf (gethash i h) (* i i))) (gethash 999 h)))
(print (length (loop repeat 200000 collect (make-list 4)))) (print (handler-case (car 5) (type-error () :caught))) (terpri) (sb-ext:exit :code 5))`] },
  // SQLite's sorter with worker threads (PRAGMA threads), spilling to temporary files.
  { name: 'sqlite3-threads', argv: ['/usr/bin/sqlite3', 'test.db'], stdin: script`PRAGMA threads=3; PRAGMA cache_size=-64; CREATE TABLE t(a INTEGER, b TEXT);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 40000) INSERT INTO t SELECT (x*7919) % 40009, printf('%08d-%s', (x*104729) % 99991, hex(x)) FROM c;
SELECT count(*), sum(a), min(b), max(b) FROM (SELECT a, b FROM t ORDER BY b DESC, a);
CREATE INDEX ib ON t(b, a); SELECT b FROM t ORDER BY b LIMIT 3 OFFSET 20000; PRAGMA integrity_check;
` },
  // tar: incremental dumps, transforms, sparse files, piping through other programs
  sh('tar-more', script`tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --transform='s|^sub|renamed|' --exclude='*.sh' -cvf t.tar sub a.txt | sort
tar -tvf t.tar; truncate -s 3M sparse; echo end >> sparse; tar -S -cf s.tar sparse; tar -tvf s.tar --numeric-owner | cut -c1-10,30-; rm sparse; tar -xSf s.tar; du -k sparse; tail -c 4 sparse
tar --listed-incremental=snap -cf full.tar sub; echo new > sub/added; tar --listed-incremental=snap -cvf incr.tar sub | sort; tar -tf incr.tar | sort
tar -cf - a.txt b.txt | tar -xOf - b.txt; tar -czf t.tgz sub; tar -tzf t.tgz | sort; tar -cjf t.tbz sub; tar -tjf t.tbz | sort
tar -xf t.tar --to-command='wc -c' 2>&1; tar -xf nope.tar 2>&1; echo "missing $?"; tar -cf - sub | tar -tvf - --numeric-owner | wc -l`),
  // Fifth sweep: in-place editing, coreutils corners, gawk's extensions, more shells, a JIT with
  // an FFI, binutils, statistics, archivers, text formatters, i18n tools, ptrace, netlink.
  steps('sed-inplace', ['/bin/sed', '-i.bak', '-e', 's/o/0/g', 'a.txt'], ['/bin/cat', 'a.txt', 'a.txt.bak'], ['/bin/ln', '-s', 'b.txt', 'lb'],
    ['/bin/sed', '-i', '--follow-symlinks', '-n', '2p;$p', 'lb'], ['/bin/cat', 'b.txt'], ['/usr/bin/stat', '-c', '%F %a', 'lb', 'b.txt'],
    ['/bin/chmod', '640', 'words.txt'], ['/bin/sed', '-i', '-E', 's/^(.)(.*)$/\\2\\1/;1i\\\nfirst', 'words.txt', 'j1.txt'], ['/bin/cat', 'words.txt', 'j1.txt'],
    ['/usr/bin/stat', '-c', '%a %s', 'words.txt'], ['/bin/sed', '-i', 's/x/y/', 'nope', 'j2.txt'], ['/bin/sed', '-s', '-n', '$=', 'a.txt', 'b.txt'], ['/bin/sed', '-z', 's/\\n/,/g', 'a.txt']),
  steps('coreutils-s5', ['/usr/bin/stat', '-c', '%A %h %s %X %Y %.3Y %d %D %r %R', 'a.txt'], ['/usr/bin/stat', '--printf', '%n\\t%s\\n%N\\n', 'sub', 'sub/x.c'],
    ['/bin/ls', '-l', '--time-style=+%Y%m%d', '-h', '--si', '-S', '.'], ['/bin/ls', '-F', '--color=always', '-1', 'sub'],
    ['/bin/ls', '--quoting-style=c', '-Q', '-m', '.'], ['/usr/bin/dircolors', '-b'], { argv: ['/bin/date', '-f', '-', '+%F %T %Z'], stdin: '2021-01-01 10:00\n2021-07-01 10:00\n2021-12-31 23:59:59\n1970-01-01 00:00 UTC\n', env: { TZ: 'Europe/London' } },
    { argv: ['/bin/date', '-d', '2024-02-29 12:00 +1 month -1 day', '+%A %x %X %V %G %u'], env: { TZ: 'Australia/Lord_Howe' } }, { argv: ['/bin/date', '-d', 'TZ="Asia/Tokyo" 2020-06-01 09:00', '-u'] },
    { argv: ['/bin/date', '--debug', '-d', '2022-10-30 02:30'], env: { TZ: 'Europe/Berlin' } }, ['/usr/bin/cksum', '-a', 'sha256', '--base64', 'a.txt'], ['/usr/bin/cksum', '-a', 'blake2b', '-l', '128', 'a.txt'],
    ['/usr/bin/basenc', '--z85', 'rand.bin'], ['/usr/bin/b2sum', '-l', '64', 'data.csv'], ['/usr/bin/sum', '-s', 'data.csv'],
    ['/bin/dd', 'if=data.csv', 'of=dd.out', 'iflag=count_bytes,skip_bytes', 'skip=1000', 'count=333', 'bs=64', 'status=none'], ['/usr/bin/wc', '-c', 'dd.out'],
    ['/bin/dd', 'if=a.txt', 'of=dd.out', 'oflag=append', 'conv=notrunc,fsync', 'status=none'], ['/usr/bin/tail', '-c', '20', 'dd.out'],
    ['/bin/dd', 'if=a.txt', 'of=dd2', 'conv=excl,lcase,unblock', 'cbs=4', 'status=none'], ['/bin/cat', 'dd2'], ['/bin/dd', 'if=a.txt', 'of=dd2', 'conv=excl', 'status=none'],
    ['/usr/bin/truncate', '-r', 'a.txt', '-s', '+3', 'tr1'], ['/usr/bin/stat', '-c', '%s', 'tr1'], ['/bin/cp', '--reflink=auto', '-p', 'a.txt', 'cp1'], ['/bin/cp', '-l', 'a.txt', 'cp2'],
    ['/usr/bin/stat', '-c', '%h %Y', 'a.txt', 'cp1'], ['/bin/mv', '-b', '--suffix=.old', 'b.txt', 'a.txt'], ['/bin/ls', 'a.txt', 'a.txt.old'], ['/usr/bin/install', '-C', '-m', '444', 'a.txt', 'in1'],
    ['/usr/bin/install', '-C', '-m', '444', 'a.txt', 'in1'], ['/usr/bin/stat', '-c', '%a', 'in1'], ['/usr/bin/realpath', '-m', 'sub/../nope/x/..', '-s', 'sub/deep'], ['/usr/bin/realpath', '-e', 'nope/x'],
    ['/usr/bin/du', '--inodes', '-s', 'sub'], ['/usr/bin/seq', '-f', '%08.2f', '-s', ' ', '-5', '2.5', '5'],
    ['/usr/bin/shuf', '-e', '--random-source=data.csv', '-r', '-n', '6', 'a', 'b', 'c'], ['/usr/bin/sort', '-t,', '-k2,2h', '-k1,1nr', '-s', 'b.txt'], ['/usr/bin/sort', '-c', 'data.csv'],
    ['/usr/bin/sort', '-M', '-b'], ['/usr/bin/printf', "%'d %'.2f %i %c %5.1e %#o %#x %%\\n", '1234567', '1234.5', '0x1f', 'xyz', '0.000123', '8', '255'],
    ['/usr/bin/tsort', 'nope'], ['/usr/bin/nproc', '--all'], ['/usr/bin/hostid'], ['/usr/bin/pinky', '-s'], ['/usr/bin/users'], ['/usr/bin/who', '-b']),
  // qemu-user's gawk finds no extension (it looks for them with statx)
  { qemuFails: STATX_PREFIX, ...steps('gawk-ext', ['/usr/bin/gawk', '-l', 'filefuncs', 'BEGIN { stat("a.txt", s); print s["size"], s["type"], s["mode"], s["nlink"], s["mtime"]; stat("sub", d); print d["type"]; print chdir("sub"), ERRNO }'],
    ['/usr/bin/gawk', '-l', 'readdir', '-F/', '{ print $2, $3 }', 'sub'], ['/usr/bin/gawk', '-l', 'fork', 'BEGIN { p = fork(); if (p == 0) { print "child", (PROCINFO["ppid"] > 0); exit 3 } ; r = wait(); print "parent", r == p }'],
    ['/usr/bin/gawk', '-l', 'ordchr', '-l', 'rwarray', 'BEGIN { print ord("A"), chr(0x263a); a["x"] = 1; a["y"]["z"] = "deep"; print writea("arr.bin", a); delete a; print reada("arr.bin", a), a["y"]["z"] }'],
    ['/usr/bin/gawk', '-i', 'inplace', '-v', 'INPLACE_SUFFIX=.bak', '{ print NR ":" toupper($0) }', 'a.txt'], ['/bin/cat', 'a.txt', 'a.txt.bak']) },
  steps('gawk-more',
    ['/usr/bin/gawk', 'BEGIN { print "c\\nb\\na" |& "/usr/bin/sort"; close("/usr/bin/sort", "to"); while (("/usr/bin/sort" |& getline l) > 0) print "co", l; print PROCINFO["FS"], PROCINFO["identifiers"]["strftime"], PROCINFO["platform"] }'],
    ['/usr/bin/gawk', '-M', '-v', 'PREC=200', 'BEGIN { printf "%.50f\\n%d\\n%s\\n", atan2(0, -1), 3^100 % 1000007, 2**0.5 }'],
    ['/usr/bin/gawk', '--sandbox', 'BEGIN { system("echo no") }'], ['/usr/bin/gawk', 'BEGIN { printf "%s %s %s\\n", strftime("%FT%T%z", 0, 1), mktime("2038 01 19 03 14 08", 1), strtonum("0x7fffffff") + 1; print length(sprintf("%1000000s", "")); print substr("école", 2, 3), toupper("ß"), index("日本語", "語") }'],
    ['/usr/bin/gawk', '--lint=fatal', 'BEGIN { x = y + 1 }'], ['/usr/bin/gawk', 'BEGIN { getline l < "nope"; print ERRNO; print 1/0 }']),
  // (zsh finds its directory by walking up with "..": from a directory outside the sysroot that
  // ends at the host's root, which is not the guest's "/" (the sysroot's); given $PWD it need not walk.)
  { name: 'zsh', env: { get PWD() { return WORK; } }, argv: ['/bin/zsh', '-f', '-c', script`zmodload zsh/datetime zsh/mathfunc zsh/stat zsh/system zsh/files
TZ=UTC strftime '%Y-%m-%d %H:%M:%S %a' 1700000000; print $(( sqrt(2.0) )) $(( 1.0 / 3 )) $(( 2 ** 62 )) $(( atan(1.0) * 4 )) $(( int(-3.7) ))
zstat -A st +size a.txt; print size $st; zstat -H h sub; print $h[mode] $h[nlink]; a=(c b a); print \${(o)a} \${(Oa)a} \${#a} \${(j:,:)a} \${(U)a[1]}
s="x,y,z"; print -l \${(s:,:)s}; print -l *.txt(.L-100); print sub/**/*(/); print *(.om[1,2]); typeset -A m; m=(k1 v1 k2 v2); print \${(kv)m}
sysopen -r -u fd data.csv; sysread -i $fd -s 20 buf; print -r -- \${(q)buf}; exec {fd}<&-; syswrite -o 1 "syswrite ok"$'\n'
coproc { read l; print "co:$l" }; print -p hello; read -p r; print $r; print \${\${(%):-%D{%Y}}:+date-ok} $ZSH_VERSION[1] $((16#ff)) $(( [#16] 255 ))
repeat 3 { print -n . }; print; f() { local -a x=($@); print \${#x} }; f 1 2 3; print \${(l:6::0:)\${:-42}} \${(r:6::.:)\${:-ab}}
autoload -U zmv 2>/dev/null; mkdir -p zd; print > zd/f1; zf_mv zd/f1 zd/f2 2>/dev/null || mv zd/f1 zd/f2; print zd/*; float f=2.5; integer i=7; print $((f*i)) $((i/2)) $((i%3))
TRAPUSR1() { print trapped usr1 }; kill -USR1 $$; (exit 4); print "sub $?"; print \${#\${(f)"$(<data.csv)"}}; print -- \${(%):-%n} | wc -c | read n; print ok`] },
  { name: 'mksh', argv: ['/bin/mksh', '-c', script`typeset -i x=2#1011; print $x $((x << 3)) $((-7 / 2)) $((0x7fffffff + 1)); set -A a z y x; print \${#a[*]} \${a[1]}
s=hello; print \${s#h} \${s%lo} \${s:1:3} \${#s} \${s/l/L} \${s//l/L}; typeset -u U=up; typeset -l L=LOW; print $U $L; print -r -- "$(print -n 'a\tb')"
for i in 1 2 3; do (( i % 2 )) && print odd $i; done; function f { typeset v=local; return 3; }; f; print "rc $?"; read -r l1 <a.txt; print $l1
[[ abc == a* ]] && print glob-match; print \${KSH_VERSION%% *}; x=$(print sub; exit 2); print "$x $?"; printf '%5.2f|%x|%s\n' 3.14159 255 ok; time_t=$(( 1 << 31 )); print $time_t
trap 'print trapped' EXIT; print ~+ | wc -c; print \${RANDOM:+random}; ulimit -n; echo -n; print done`] },
  { name: 'tcsh', argv: ['/bin/tcsh', '-f'], stdin: script`set x = 5
@ y = $x * 3 + 1
echo $y
foreach i (a b c)
  echo item $i
end
set l = (one two three)
echo $#l $l[2] $l[$#l]
if ( -f a.txt && -d sub ) echo files-ok
set n = 0
while ( $n < 3 )
  @ n++
end
echo n=$n
printf "%5.2f %s\n" 2.5 tcsh
echo $?
alias ll 'echo alias $1'
ll arg
switch (abc)
case a*:
  echo switched
  breaksw
endsw
set s = "hello world"
echo $s:q
echo $s:u $%s
setenv FOO bar
printenv FOO
echo $cwd:t
exit 3
` },
  c('luajit', '/usr/bin/luajit', '-e', script`local s = 0 for i = 1, 3000000 do s = s + (i % 7) * 3 end print(s, jit.status())
local t = {} for i = 1, 20000 do t[i] = (i * 7919) % 10007 end table.sort(t) print(t[1], t[10000], t[20000])
local function f(x) if x < 2 then return x end return f(x - 1) + f(x - 2) end print(f(25), string.format("%.6f %g %d", math.sin(1e3), 2^53, 0x7fffffff))
local ffi = require("ffi") ffi.cdef[[ int snprintf(char *s, size_t n, const char *fmt, ...); size_t strlen(const char *s); double sqrt(double); typedef struct { int a; double b; } pair; int qsort(void *, size_t, size_t, int (*)(const void *, const void *)); ]]
local buf = ffi.new("char[64]") ffi.C.snprintf(buf, 64, "%d-%s-%.2f", ffi.new("int", 42), "ffi", ffi.new("double", 2.5)) print(ffi.string(buf), ffi.C.strlen("hello"), ffi.C.sqrt(2))
local p = ffi.new("pair[3]") for i = 0, 2 do p[i].a = 3 - i p[i].b = i * 1.5 end print(ffi.sizeof("pair"), p[2].a, p[2].b, ffi.abi("le"), ffi.abi("32bit"))
local a = ffi.new("int[8]", {5, 3, 8, 1, 9, -2, 7, 0}) local cmp = ffi.cast("int (*)(const void *, const void *)", function(x, y) return ffi.cast("const int *", x)[0] - ffi.cast("const int *", y)[0] end)
ffi.C.qsort(a, 8, 4, cmp) cmp:free() local o = {} for i = 0, 7 do o[#o + 1] = a[i] end print(table.concat(o, ","))
local u = 0ULL for i = 1, 70 do u = u * 3 + i end print(u, 2LL^62, bit.tohex(bit.bxor(0xdeadbeef, 0x12345678)), bit.rshift(-1, 28))
local str = {} for i = 1, 1000 do str[#str + 1] = tostring(i * 1.5) end print(#table.concat(str), ("x"):rep(5), select("#", unpack({1, 2, 3})))`),
  // (on copies in the working directory: qemu-user's statx would size the host's /bin/true)
  steps('binutils', { argv: ['/bin/cat', '/bin/true'], out: 'true' }, { argv: ['/bin/cat', '/usr/bin/datamash'], out: 'datamash' }, { argv: ['/bin/cat', '/usr/bin/qrencode'], out: 'qrencode' }, ['/usr/bin/readelf', '-h', 'true'], ['/usr/bin/readelf', '-d', '-W', 'datamash'], ['/usr/bin/size', '-A', 'true'],
    ['/usr/bin/nm', '-D', '--defined-only', 'datamash'], ['/usr/bin/c++filt', '_ZNSt6vectorIiSaIiEE9push_backERKi', '_ZN9__gnu_cxx13new_allocatorIcE8allocateEjPKv'], ['/usr/bin/strings', '-n', '12', '-t', 'x', 'qrencode'],
    ['/usr/bin/ar', 'rcs', 'lib.a', 'a.txt', 'b.txt'], ['/usr/bin/ar', 'tv', 'lib.a'], ['/usr/bin/objcopy', '-I', 'binary', '-O', 'binary', '--pad-to', '64', 'a.txt', 'pad.bin'], ['/usr/bin/od', '-c', 'pad.bin'],
    ['/usr/bin/objdump', '-f', 'true'], ['/usr/bin/objdump', '-d', '--no-show-raw-insn', '-j', '.init', 'true'], ['/usr/bin/readelf', '-n', 'true'], ['/usr/bin/elfedit', '--output-osabi', 'FreeBSD', 'true'], ['/usr/bin/readelf', '-h', 'true']),
  steps('datamash', { argv: ['/usr/bin/datamash', '-t,', '-s', '-g', '3', 'count', '1', 'mean', '4', 'median', '2', 'sstdev', '4', 'q1', '2', 'mode', '2'], in: 'data.csv' },
    { argv: ['/usr/bin/datamash', '-t,', 'sum', '4', 'min', '2', 'max', '2', 'pskew', '4', 'skurt', '2', 'madraw', '4', 'iqr', '2', 'pcov', '2:4', 'spearson', '1:4', 'dpo', '2:4'], in: 'data.csv' },
    { argv: ['/usr/bin/datamash', '-W', 'transpose'], in: 'j1.txt' }, { argv: ['/usr/bin/datamash', '-t,', '--round', '3', 'md5', '3', 'sha1', '3', 'base64', '3', 'rand', '3', 'unique', '1'], in: 'b.txt' },
    { argv: ['/usr/bin/datamash', '-t,', 'mean', '3'], in: 'data.csv' }, ['/usr/bin/datamash', '--version']),
  steps('bsdtar', ['/usr/bin/bsdtar', '--format=ustar', '--uid', '0', '--gid', '0', '-cf', 't.tar', 'a.txt', 'sub'], ['/usr/bin/bsdtar', '-tvf', 't.tar', '--numeric-owner'],
    ['/usr/bin/bsdtar', '-caf', 't.tar.xz', 'data.csv'], ['/usr/bin/bsdtar', '-xOf', 't.tar.xz', 'data.csv'], { argv: ['/usr/bin/bsdtar', '-cf', '-', '--format=zip', 'a.txt', 'words.txt'], out: 't.zip' },
    ['/usr/bin/bsdtar', '-tvf', 't.zip'], ['/usr/bin/bsdtar', '--format=iso9660', '-cf', 'i.iso', 'sub', 'a.txt'], ['/usr/bin/bsdtar', '-tf', 'i.iso'],
    ['/usr/bin/bsdcpio', '--version'], { argv: ['/usr/bin/bsdcpio', '-o', '-H', 'odc', '-O', 'c.cpio'], stdin: 'a.txt\nb.txt\n' }, ['/usr/bin/bsdcpio', '-it', '-F', 'c.cpio'],
    ['/usr/bin/bsdcat', 't.tar.xz'], ['/usr/bin/bsdtar', '-xf', 'nope.tar']),
  // (figlet calls the old stat, not stat64)
  steps('figlet', ['/usr/bin/figlet-figlet', '-w', '60', 'urun 5'], ['/usr/bin/figlet-figlet', '-f', 'standard', '-c', '-w', '40', 'Hi'], ['/usr/bin/figlet-figlet', '-f', 'nope', 'x']),
  steps('qrencode', ['/usr/bin/qrencode', '-t', 'ASCII', '-m', '1', 'https://example.com/urun'],
    ['/usr/bin/qrencode', '-t', 'UTF8', '-l', 'H', 'x'], ['/usr/bin/qrencode', '-o', 'q.png', '-s', '3', 'png output'], ['/usr/bin/md5sum', 'q.png'], ['/usr/bin/qrencode', '-t', 'SVG', '-o', '-', '--rle', 'svg']),
  { ...steps('nasm', ['/bin/sh', '-c', "printf 'section .text\\nglobal _start\\n_start:\\n  mov eax, 60\\n  xor edi, edi\\n  syscall\\nmsg: db \"hello\", 10\\ntimes 8 dq 1.5, 2.5\\n' > x.asm"],
    ['/usr/bin/nasm', '-f', 'elf64', '-o', 'x.o', 'x.asm'], ['/usr/bin/md5sum', 'x.o'], ['/usr/bin/nasm', '-f', 'bin', '-o', 'x.bin', '-l', 'x.lst', 'x.asm'], ['/bin/cat', 'x.lst'], ['/usr/bin/nasm', '-f', 'elf32', 'nope.asm']) },
  steps('sharutils-dos2unix', ['/usr/bin/uuencode', 'rand.bin', 'r'], { argv: ['/usr/bin/uuencode', '-m', 'a.txt', 'a'], out: 'a.uu' }, ['/usr/bin/uudecode', '-o', 'dec', 'a.uu'], ['/usr/bin/cmp', 'dec', 'a.txt'],
    ['/usr/bin/unix2dos', '-n', 'a.txt', 'd.txt'], ['/usr/bin/od', '-c', 'd.txt'], ['/usr/bin/dos2unix', '-i', 'd.txt'], ['/usr/bin/dos2unix', 'd.txt'], ['/usr/bin/cmp', 'd.txt', 'a.txt'], ['/usr/bin/unix2dos', '-ul', 'words.txt']),
  steps('groff', { argv: ['/usr/bin/troff', '-Tutf8', '-man'], stdin: '.TH URUN 1 2024-01-01\n.SH NAME\nurun \\- runs programs\n.SH SYNOPSIS\n.B urun\n[\\fIoptions\\fR] \\fIprogram\\fR\n.SH DESCRIPTION\nA \\fBuser-mode\\fR emulator.\n.TP\n.B \\-L\nThe sysroot.\n.PP\nSee \\(lqquotes\\(rq and \\[u00E9].\n', out: 'u.trf' },
    { argv: ['/usr/bin/grotty', '-c'], in: 'u.trf' }, { argv: ['/usr/bin/troff', '-Tascii', '-ms'], stdin: '.TL\nTitle\n.AU\nAuthor\n.NH\nSection\n.PP\n' + 'Text to fill and justify over several lines. '.repeat(8) + '\n.TS\ntab(:);\nl n.\na:1\nb:22\n.TE\n', out: 'm.trf' },
    { argv: ['/usr/bin/grotty'], in: 'm.trf' }, { argv: ['/usr/bin/preconv', '-e', 'utf-8'], stdin: 'é\n' }, { argv: ['/usr/bin/eqn', '-Tutf8'], stdin: '.EQ\nx sup 2 over y\n.EN\n' }),
  steps('gettext', ['/bin/sh', '-c', "printf 'msgid \"\"\\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\\\nPlural-Forms: nplurals=2; plural=(n != 1);\\\\n\"\\n\\nmsgid \"hello\"\\nmsgstr \"bonjour\"\\n\\nmsgid \"file\"\\nmsgid_plural \"files\"\\nmsgstr[0] \"fichier\"\\nmsgstr[1] \"fichiers\"\\n' > fr.po"],
    ['/usr/bin/msgfmt', '--statistics', '-c', '-o', 'fr.mo', 'fr.po'], ['/usr/bin/md5sum', 'fr.mo'], ['/usr/bin/msgunfmt', 'fr.mo'], ['/usr/bin/msgcat', '--no-wrap', '--sort-output', 'fr.po'],
    ['/usr/bin/xgettext', '-o', '-', '--omit-header', '-L', 'C', 'sub/x.c'], ['/usr/bin/msgfmt', '-o', 'bad.mo', 'nope.po'], { argv: ['/usr/bin/ngettext', 'file', 'files', '3'] }),
  // (bison and flex run m4: under qemu-user the host's, which it may not have)
  { qemuFails: 'qemu-user runs the host program for a guest exec', ...steps('bison-flex', ['/bin/sh', '-c', "printf '%%token X\\n%%%%\\nline: %%empty | line X ;\\n%%%%\\n' > g.y; printf '%%%%\\n[0-9]+ { return 1; }\\n%%%%\\n' > l.l"],
    ['/usr/bin/bison', '--version'], ['/usr/bin/flex', '--version'], ['/usr/bin/bison', '-o', 'g.c', '--report=state', 'g.y'], ['/usr/bin/wc', '-l', 'g.c'], ['/usr/bin/flex', '-o', 'l.c', 'l.l'], ['/usr/bin/wc', '-l', 'l.c']) },
  // (ptrace is not emulated, as in qemu-user: strace's failure names its child's pid, so only -V)
  c('strace', '/usr/bin/strace', '-V'),
  steps('iproute2', ['/bin/ip', '-o', '-4', 'addr', 'show', 'lo'], ['/bin/ip', '-br', 'link', 'show', 'lo'], ['/bin/ip', '-j', 'route', 'show', 'table', 'local', 'dev', 'lo'], ['/bin/ip', 'nope']),
  // Sixth sweep: other runtimes. Haskell (GHC's RTS: timer signals, a huge PROT_NONE reservation, its own allocator).
  // (qemu-user: pandoc finds none of its data files, statx again.)
  { ...steps('pandoc', ['/bin/sh', '-c', "printf '%s\\n' '---' 'title: Doc' '---' '# Head *one*' '' 'Some **strong** text, a [link](http://x.org) and `code`.' '' '- a' '- b' '  1. nested' '' '| x | y |' '|---|--:|' '| 1 | 2.5 |' '' '> quoted' '' '```c' 'int x;' '```' 'Footnote[^1].' '' '[^1]: here.' > d.md"],
    ['/usr/bin/pandoc', '-f', 'markdown', '-t', 'html5', 'd.md'], ['/usr/bin/pandoc', '-s', '-t', 'rst', 'd.md'], ['/usr/bin/pandoc', '-t', 'native', 'd.md'],
    ['/usr/bin/pandoc', '-f', 'markdown', '-t', 'latex', 'd.md'], { argv: ['/usr/bin/pandoc', '-f', 'html', '-t', 'markdown'], stdin: '<p>x <b>y</b></p><ul><li>z</li></ul>' },
    ['/usr/bin/pandoc', 'nope.md'], ['/usr/bin/pandoc', '-t', 'plain', '--columns=30', 'd.md']), qemuFails: STATX_PREFIX },
  // Graph layout (graphviz's plugins come from the config dot -c writes; see graphvizConfig).
  steps('graphviz', ['/bin/sh', '-c', "printf '%s\\n' 'digraph G { rankdir=LR; node [shape=box];' 'a -> b -> c; a -> c [label=\"x\"]; b -> d; d -> a;' 'subgraph cluster_0 { label=\"C\"; e; f; } e -> f -> b; }' > g.dot"],
    ['/usr/bin/dot', '-Tplain', 'g.dot'], ['/usr/bin/dot', '-Tsvg', 'g.dot'], ['/usr/bin/neato', '-Tplain', 'g.dot'], ['/usr/bin/circo', '-Tplain', 'g.dot'],
    ['/usr/bin/gvpr', '-c', 'N[$.degree>2]{color="red"}', 'g.dot'], ['/usr/bin/acyclic', '-v', 'g.dot'], ['/usr/bin/dot', '-Tnope', 'g.dot'], ['/usr/bin/dot', 'nope.dot']),
  // Plotting to a text terminal, and gnuplot's own arithmetic, fitting and tables.
  steps('gnuplot', ['/usr/bin/gnuplot-nox', '-e', 'set term dumb 70 22; set samples 40; plot [-pi:pi] sin(x) title "sin", cos(2*x) with points title "cos"'],
    ['/usr/bin/gnuplot-nox', '-e', 'print 2**40, 1/3., sprintf("%.10g|%x", exp(1), 255), gamma(5.5), besj0(2), norm(1.5), invnorm(0.9), strftime("%Y-%m-%d %H:%M", 1e9), int(-7/2)'],
    ['/usr/bin/gnuplot-nox', '-e', 'set table "t.dat"; set samples 5; plot [0:4] x**2; unset table; stats "t.dat" u 1:2 nooutput; print STATS_sum_y, STATS_mean_x, STATS_correlation'],
    ['/usr/bin/gnuplot-nox', '-e', 'f(x)=a*x+b; a=1; b=1; set fit quiet; set fit logfile "/dev/null"; set datafile separator ","; fit f(x) "data.csv" every ::0::200 u 1:2 via a,b; print sprintf("%.6f %.6f", a, b)'],
    { argv: ['/usr/bin/gnuplot-nox'], stdin: 'set term dumb 40 12\nplot "-" w l notitle\n1 1\n2 4\n3 9\ne\n' }, ['/usr/bin/gnuplot-nox', '-e', 'nosuchcommand']),
  // Prolog (SWI: threads, GMP integers, exceptions, its own signal handling). No autoloading: the
  // library's INDEX.pl is made by the package's postinst, which dpkg -x does not run. On mipsel
  // SWI-Prolog makes misaligned loads that Linux (and urun) fix up, but qemu-user dies of SIGBUS.
  ...qemuFailsOn({ mipsel: 'qemu-user raises SIGBUS for a misaligned load' }, { arches: ['armhf', 'armel', 'mipsel'], ...steps('swi-prolog', ['/usr/bin/swipl', '-q', '-g', 'fail'], ['/usr/bin/swipl', '-q', '-g', 'X is 2**200 mod 1000007, format("~w ~4f ~a~n", [X, pi, abc]), atom_codes(A, "xyz"), writeln(A), halt'],
    ['/usr/bin/swipl', '-q', '-g', 'findall(X-Y, (between(1, 3, X), Y is X*X), L), writeln(L), msort([c,a,b,a], M), writeln(M), length(Q, 3), writeln(Q), halt'],
    ['/usr/bin/swipl', '-q', '-g', 'thread_create(numlist(1, 100000, L), T, []), thread_join(T, S), writeln(S), message_queue_create(Q), thread_create(thread_send_message(Q, hi), T2, []), thread_get_message(Q, M), thread_join(T2, _), writeln(M), halt'],
    ['/usr/bin/swipl', '-q', '-g', 'catch(atom_length(X, _), E, (print_message(error, E), true)), use_module(library(time)), catch(call_with_time_limit(0.2, (repeat, fail)), E2, (writeln(E2))), halt'],
    { argv: ['/usr/bin/swipl', '-q', '-g', 'read_term(user_input, T, []), writeln(got(T)), halt'], stdin: 'foo(bar, [1,2]).\n' }) }),
  // XSLT.
  steps('xsltproc', ['/bin/sh', '-c', "printf '<r><i n=\"3\">c</i><i n=\"1\">a</i><i n=\"2\">b</i></r>' > d.xml; printf '%s' '<xsl:stylesheet version=\"1.0\" xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\"><xsl:output method=\"text\"/><xsl:template match=\"/r\"><xsl:for-each select=\"i\"><xsl:sort select=\"@n\" data-type=\"number\"/><xsl:value-of select=\"concat(@n, \\x27=\\x27, ., \\x27 \\x27)\"/></xsl:for-each><xsl:value-of select=\"sum(i/@n) div 7\"/></xsl:template></xsl:stylesheet>' > s.xsl"],
    ['/usr/bin/xsltproc', 's.xsl', 'd.xml'], ['/usr/bin/xsltproc', '--stringparam', 'p', 'v', 's.xsl', 'nope.xml']),
  // Go (Miller); Rust (bat, syntax highlighting from its embedded assets).
  steps('miller', ['/usr/bin/mlr', '--icsv', '--implicit-csv-header', '--opprint', 'stats1', '-a', 'count,mean,max,p50', '-f', '2,4', '-g', '3', 'then', 'sort', '-nr', '2_count', 'then', 'head', '-n', '5', 'data.csv'],
    ['/usr/bin/mlr', '--icsv', '--implicit-csv-header', '--ojson', 'head', '-n', '3', 'then', 'put', '$5 = $2 * 1.5; $6 = strftime($4, "%Y-%m-%dT%H:%M:%SZ"); $7 = fmtnum($4 / 7, "%.4f")', 'data.csv'],
    ['/usr/bin/mlr', '-n', 'put', 'end { print splitax("a,b,c", ","); print 2 ** 70; print 7 // 2; print sec2gmt(1000000000) }'], ['/usr/bin/mlr', '--icsv', 'cat', 'nope.csv']),
  // age (Go: X25519, ChaCha20-Poly1305, scrypt) with an identity made for this case only.
  steps('age', ['/bin/sh', '-c', "printf 'AGE-SECRET-KEY-1ZDN00XYA7S5U02KQPP92LC7KUWTUWVPAFF283KFJPZNXY0TVCKJSHN2JTX\\n' > key.txt"],
    ['/usr/bin/age-keygen', '-y', 'key.txt'], ['/usr/bin/age', '-r', 'age103mdv3sddeux9s5ac5x7v28vhw8la987wqcgh85m5wxqjr6muf0s80ryw2', '-o', 'x.age', 'data.csv'],
    ['/usr/bin/age', '-d', '-i', 'key.txt', '-o', 'y.csv', 'x.age'], ['/usr/bin/md5sum', 'y.csv', 'data.csv'], ['/usr/bin/age', '-a', '-r', 'age1nope', 'a.txt'],
    ['/usr/bin/age', '-d', '-i', 'key.txt', 'a.txt']),
  steps('bat', ['/usr/bin/batcat', '--color=always', '--style=numbers,grid,header', '--paging=never', '--terminal-width=60', 'sub/x.c'],
    ['/usr/bin/batcat', '--color=always', '-p', '--paging=never', '-l', 'json', 'doc.json'], ['/usr/bin/batcat', '--paging=never', '-A', 'words.txt'],
    ['/usr/bin/batcat', '--list-themes'], ['/usr/bin/batcat', 'nope.txt']),
  // Perl's XS modules: Storable, Time::HiRes (sub-second sleeps, an interval timer), POSIX, a socketpair and a pipe to children.
  { qemuFails: STATX_PREFIX, ...c('perl-xs', '/usr/bin/perl', '-MStorable=freeze,thaw,nstore,retrieve', '-MTime::HiRes=time,sleep,usleep,setitimer,ITIMER_REAL', '-MPOSIX=floor,strtol', '-MIO::Select', '-MSocket', '-e', script`
my $d = thaw(freeze({a=>[1,2,{b=>3}], s=>"x"})); print "$d->{a}[2]{b} $d->{s}\n"; nstore([1..5], "st.bin"); print join(",", @{retrieve("st.bin")}), "\n";
my $t0 = time; sleep(0.05); my $dt = time - $t0; print $dt >= 0.05 ? "slept\n" : "short $dt\n";
my $got = 0; $SIG{ALRM} = sub { $got++ }; setitimer(ITIMER_REAL, 0.02, 0.02); usleep(100000) while $got < 3; setitimer(ITIMER_REAL, 0); print "alarms $got\n";
print floor(-2.5), " ", (strtol("ff", 16))[0], "\n";
socketpair(my $a, my $b, AF_UNIX, SOCK_STREAM, PF_UNSPEC) or die; my $pid = fork(); if (!$pid) { close $a; print $b "from child\n"; exit 7 } close $b;
my $s = IO::Select->new($a); my @r = $s->can_read(5); print scalar(@r), " ", scalar(<$a>); waitpid($pid, 0); print "exit ", $? >> 8, "\n";
pipe(my $r, my $w); if (!fork) { close $r; print $w "x" x 100000; exit 0 } close $w; my $n = 0; $n += length while <$r>; wait; print "pipe $n\n";`) },
  // Vim's Ex mode editing a file.
  steps('vim-tiny', ['/usr/bin/vim.tiny', '-es', '-u', 'NONE', '-i', 'NONE', '-c', '%s/o/0/g', '-c', '2,3d', '-c', '$put =\"added\"', '-c', 'sort', '-c', 'wq', 'a.txt'], ['/bin/cat', 'a.txt'],
    ['/usr/bin/vim.tiny', '-es', '-u', 'NONE', '-i', 'NONE', '-c', 'g/name1/d', '-c', 'let x = line("$") * 2 | call setline(1, string(x))', '-c', 'w! out.csv', '-c', 'q!', 'data.csv'], ['/usr/bin/head', '-2', 'out.csv']),
];

// Cases that start dozens of programs (each one a urun starting afresh): their timeout is
// this many times --timeout.
const MANY_PROGRAMS = { 'coreutils-s5': 3, 'binutils': 2, 'bsdtar': 2, 'gettext': 2, 'groff': 2, 'sed-inplace': 2, 'gawk-ext': 2, 'gawk-more': 2, 'nodejs': 3, 'erlang': 2, 'python-os': 3, 'python-mp': 3, 'python-async': 2, 'python-http': 2, 'python-ctypes': 2, 'coreutils-procs': 2, 'busybox-more': 3, 'busybox-words': 3, 'openssl-more': 2, 'make-parallel': 3, 'tar-more': 3, 'git': 10, 'make': 3, 'bash-procs': 3, 'shell-pipes': 4, 'shell-jobs': 2, 'python-procs': 3, 'perl-procs': 2, 'busybox': 3, 'rsync': 2 };

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
  const sysroot = debian ? debianSysroot(join(BUILD, arch), arch, packagesFor(arch)) : crossSysroot(join(BUILD, arch), arch);
  if (debian) linkAlternatives(sysroot, arch);
  if (debian) graphvizConfig(sysroot, arch);
  buildProbes(arch, sysroot);
  WORK = `/tmp/urun-compat/${arch}-${process.pid}/work`;
  for (const k of CASES) {
    if (wanted && !wanted.has(k.name)) continue;
    if (!debian && !(k.steps ?? [k]).every((s) => existsSync(sysroot + s.argv[0]))) continue;
    if (k.arches && !k.arches.includes(arch)) continue;
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
