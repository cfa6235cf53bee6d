// Bundles the compiled CLI (dist/cli/main.js and everything it imports, commander and elfy
// included) into one file, dist/urun.mjs, which bin/urun runs. One file instead of ~30
// ES modules saves their resolution and loading at every start (~10 ms of urun's ~60 ms).
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/urun.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // commander and elfy are CommonJS; give their require() calls one in ESM.
  banner: { js: "import { createRequire as urunCreateRequire } from 'node:module'; const require = urunCreateRequire(import.meta.url);" },
  // koffi loads its native library from its own package folder at run time.
  external: ['koffi'],
  logLevel: 'warning',
});
