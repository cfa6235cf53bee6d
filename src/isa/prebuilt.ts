// ISA tables made at build time. ARM's generators (a32.ts, t32.ts, vfp.ts: ~3,000 defs built
// from templates) cost every ARM start 10 ms of cold code; `npm run build` runs them once and
// writes their defs beside the bundle (scripts/bundle.mjs), and the bundle parses that
// instead. Anywhere else (tsx, the tests' imports of src/) the generators run, and a test
// checks that the file holds what they make.
import * as fs from 'node:fs';
import type { InsnDef } from './table.js';

/** The file's name, beside the bundle. */
export const PREBUILT_DEFS_FILE = 'isa-defs.json';

/** Only the bundle (dist/urun.cjs) reads the file: the dist/ modules tsc makes still generate. */
const file = import.meta.url.endsWith('/urun.cjs') ? new URL(PREBUILT_DEFS_FILE, import.meta.url) : null;
let tables: Record<string, InsnDef[]> | null | undefined;

/** The defs of table `name` as the build made them, or null (the caller generates them). */
export function prebuiltDefs(name: string): InsnDef[] | null {
  if (tables === undefined) {
    tables = null;
    if (file) {
      try {
        tables = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, InsnDef[]>;
      } catch {
        // Missing or damaged: the generators make the same defs.
      }
    }
  }
  return tables?.[name] ?? null;
}
