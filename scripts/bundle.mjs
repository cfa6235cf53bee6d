// Bundles the compiled CLI (dist/cli/main.js and everything it imports, commander and elfy
// included) into one file, dist/urun.cjs, which bin/urun runs. One file instead of ~30
// ES modules saves their resolution and loading at every start; CommonJS because bin/urun
// compiles it as a classic script, which is what V8's code cache (vm.Script cachedData)
// works with.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/urun.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // The sources are ES modules that find their files through import.meta.url.
  define: { 'import.meta.url': 'urunModuleUrl' },
  banner: { js: "const urunModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // koffi loads its native library from its own package folder at run time.
  external: ['koffi'],
  logLevel: 'warning',
});
