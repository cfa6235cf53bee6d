// Sysroots made of Debian's own packages for a foreign architecture, for the benchmarks
// that run Debian's programs: apt-get download, then dpkg -x into one directory, once.
// Needs network access to Debian's archive the first time, and root to add the foreign
// architecture to dpkg when it is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Runs a command; its stdout, or an exception naming what failed. */
export function run(cmd, args, o = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...o });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr ?? ''}`);
  return r.stdout;
}

/** `dir`: the packages (and libc6, libgcc-s1) for `arch` unpacked together; a name that
 * already says its architecture (`tzdata:all`) is fetched as written. */
export function debianSysroot(dir, arch, packages) {
  if (existsSync(join(dir, '.complete'))) return dir;
  if (!run('dpkg', ['--print-foreign-architectures']).split('\n').includes(arch)) {
    run('dpkg', ['--add-architecture', arch]);
    run('apt-get', ['update', '-q']);
  }
  const debs = `${dir}-debs`;
  mkdirSync(debs, { recursive: true });
  const all = [...new Set(['libc6', 'libgcc-s1', ...packages])];
  run('apt-get', ['download', '-q', ...all.map((p) => (p.includes(':') ? p : `${p}:${arch}`))], { cwd: debs });
  for (const d of readdirSync(debs)) run('dpkg', ['-x', join(debs, d), dir]);
  writeFileSync(join(dir, '.complete'), '');
  return dir;
}
