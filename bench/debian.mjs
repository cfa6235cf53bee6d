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
 * already says its architecture (`tzdata:all`) is fetched as written. A package whose .deb is
 * already in `dir-debs` (and unpacked: `dir/.complete` is written after each batch) is not
 * fetched again, so a longer list later fetches only the new ones. */
export function debianSysroot(dir, arch, packages) {
  const debs = `${dir}-debs`;
  const have = new Set(existsSync(join(dir, '.complete')) && existsSync(debs)
    ? readdirSync(debs).map((f) => f.split('_')[0]) : []);
  const missing = [...new Set(['libc6', 'libgcc-s1', ...packages])].filter((p) => !have.has(p.split(':')[0]));
  if (!missing.length) return dir;
  if (!run('dpkg', ['--print-foreign-architectures']).split('\n').includes(arch)) {
    run('dpkg', ['--add-architecture', arch]);
    run('apt-get', ['update', '-q']);
  }
  mkdirSync(debs, { recursive: true });
  const before = new Set(readdirSync(debs));
  run('apt-get', ['download', '-q', ...missing.map((p) => (p.includes(':') ? p : `${p}:${arch}`))], { cwd: debs });
  for (const d of readdirSync(debs)) if (!before.has(d)) run('dpkg', ['-x', join(debs, d), dir]);
  writeFileSync(join(dir, '.complete'), '');
  return dir;
}
