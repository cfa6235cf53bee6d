// Bundles the compiled CLI (dist/cli/main.js and everything it imports, commander and elfy
// included) into one file, dist/urun.cjs, which bin/urun runs. One file instead of ~30
// ES modules saves their resolution and loading at every start; CommonJS because bin/urun
// compiles it as a classic script, which is what V8's code cache (vm.Script cachedData)
// works with.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, transform } from 'esbuild';

const outfile = 'dist/urun.cjs';

// Node built-ins that packages require at their top level for what urun never or rarely asks
// of them: commander's child_process (for executable subcommands; it loads net, dgram and the
// streams with it) and elfy's assert (one check while parsing section names). Each is loaded
// at its first use instead of at every start.
const LAZY_FOR_PACKAGES = ['child_process', 'assert'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const filter = new RegExp(`^(node:)?(${LAZY_FOR_PACKAGES.join('|')})$`);
    b.onResolve({ filter }, (args) => (/[\\/]node_modules[\\/]/.test(args.importer)
      ? { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      // A function target, so that a module that is itself a function (assert) can be called.
      contents: `let m; const load = () => (m ??= require('node:${args.path}'));\n` +
        'module.exports = new Proxy(function () {}, { get: (_, k) => load()[k], apply: (_, self, a) => Reflect.apply(load(), self, a) });\n',
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: ['dist/cli/main.js'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // The sources are ES modules that find their files through import.meta.url.
  define: { 'import.meta.url': 'urunModuleUrl' },
  banner: { js: "const urunModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // koffi loads its native library from its own package folder at run time.
  external: ['koffi'],
  plugins: [lazyBuiltins],
  logLevel: 'warning',
});

// esbuild builds a namespace object for every `import * as fs from 'node:fs'`, copying each
// property of the module as a getter: ~1 ms for node:fs, which ~30 modules import, so
// ~40 ms of every urun start (and of every forked child). One namespace per module is
// what ES modules give anyway (namespaces are read-only), so each is built once.
const TO_ESM = 'var __toESM = (mod, isNodeMode, target) => (';
const bundled = readFileSync(outfile, 'utf8');
if (bundled.split(TO_ESM).length !== 2) throw new Error(`bundle.mjs: esbuild's __toESM helper not found once in ${outfile}`);
writeFileSync(outfile, bundled.replace(TO_ESM,
  'var __namespaces = [new WeakMap(), new WeakMap()];\n' +
  'var __toESM = (mod, isNodeMode) => {\n' +
  '  const cache = __namespaces[isNodeMode ? 1 : 0], known = mod != null && cache.get(mod);\n' +
  '  if (known) return known;\n' +
  '  const ns = __toESMOnce(mod, isNodeMode);\n' +
  '  if (mod != null) cache.set(mod, ns);\n' +
  '  return ns;\n' +
  '};\n' +
  'var __toESMOnce = (mod, isNodeMode, target) => ('));

// Without comments and indentation (identifiers kept, so stack traces still name functions):
// every start reads the bundle and hands V8 its source with the code cache, 1.1 MB -> 0.75 MB
// (a static ARM hello 72.7 -> 69.5 ms, warm caches, 20 runs each). ASCII only (esbuild escapes
// the rest), so node makes it a one-byte string.
// The transform drops esbuild's `0 && (module.exports = {...})`, which is how Node's ES module
// loader learns a CommonJS file's export names (binfmt's scripts import the bundle): put back.
const full = readFileSync(outfile, 'utf8');
const names = /\n0 && \(module\.exports = \{([^}]*)\}\);/.exec(full);
if (!names) throw new Error(`bundle.mjs: esbuild's export annotation not found in ${outfile}`);
const minified = await transform(full, { minifyWhitespace: true, charset: 'ascii', loader: 'js', target: 'node20' });
writeFileSync(outfile, `${minified.code}0&&(module.exports={${names[1].replace(/\s/g, '')}});\n`);

// ARM's instruction tables, made once here rather than at every start (src/isa/prebuilt.ts).
// The modules tsc made generate them (only the bundle reads the file).
const { A32_DEFS } = await import('../dist/isa/arm/a32.js');
const { T32_DEFS } = await import('../dist/isa/arm/t32.js');
const { PREBUILT_DEFS_FILE } = await import('../dist/isa/prebuilt.js');
writeFileSync(`dist/${PREBUILT_DEFS_FILE}`, JSON.stringify({ A32: A32_DEFS, T32: T32_DEFS }));

// A start-up code cache per guest architecture (bin/urun), made by a run of each arch's
// hello: a first run, with nothing in the user's cache, then does not compile urun from
// source (~45 ms of CPU). Kept only when the fixtures are there to run; nothing fails without.
const STARTUP = 'dist/startup';
rmSync(STARTUP, { recursive: true, force: true });
const made = mkdtempSync(join(tmpdir(), 'urun-startup-'));
try {
  for (const arch of ['mipsel', 'armhf']) {
    const hello = `test/fixtures/bin/${arch}/hello`;
    if (existsSync(hello)) spawnSync('bin/urun', [hello], { env: { ...process.env, URUN_CACHE_DIR: made }, stdio: 'ignore', timeout: 60_000 });
  }
  const caches = readdirSync(made).filter((f) => f.startsWith('startup-'));
  if (caches.length > 0) mkdirSync(STARTUP);
  for (const f of caches) copyFileSync(join(made, f), join(STARTUP, f));
} finally {
  rmSync(made, { recursive: true, force: true });
}
