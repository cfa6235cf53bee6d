// Generated functions (the interpreter's handlers) kept between runs with V8's code cache.
// A run builds each handler it needs from its template (InsnTable), one `new Function` each;
// at exit, when it needed handlers the cache did not have, it writes all of them (the
// cached ones and its own) as one script with V8's code cache for it. The next run
// deserialises that script instead of generating and compiling the handlers again.
//
// Source and code cache travel in one file (written to a temporary name, then renamed), as
// V8 checks cached data against its source only by length.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { hashName } from './hash.js';
import { fileURLToPath } from 'node:url';

let cacheDir: string | null = null;
const sets: FunctionSet[] = [];

/** Where urun keeps its caches; null: keep nothing (function sets still work, uncached). */
export function setScriptCacheDir(dir: string | null): void {
  cacheDir = dir;
}

let fingerprint: string | null = null;

/** Identifies this build of urun: cached code from another build is never used. */
export function buildFingerprint(): string {
  if (fingerprint === null) {
    try {
      const st = fs.statSync(fileURLToPath(import.meta.url));
      fingerprint = hashName(`${st.size}:${st.mtimeMs}:${process.version}`).slice(0, 16);
    } catch {
      fingerprint = 'unknown';
    }
  }
  return fingerprint;
}

interface Stored {
  /** Each function's key (a def's index) and source, in the order of the script's array. */
  keys: number[];
  sources: string[];
}

/**
 * A set of functions over one environment, each built from its source on first use, or
 * taken from the script a previous run cached. `prelude` (run once per instance, over the
 * parameter `env`) declares what the functions use.
 */
export class FunctionSet {
  private stored: Stored = { keys: [], sources: [] };
  private cached: ((env: Record<string, unknown>) => unknown[]) | null = null;
  private readonly added = new Map<number, string>();

  constructor(private readonly name: string, private readonly prelude: string) {
    const file = this.file();
    if (file) this.load(file);
    sets.push(this);
  }

  /** The functions for one environment: `get(key, source)` returns the function with that key. */
  instantiate(env: Record<string, unknown>): (key: number, source: () => string) => unknown {
    const have = new Map<number, unknown>();
    if (this.cached) {
      const fns = this.cached(env);
      this.stored.keys.forEach((k, i) => have.set(k, fns[i]));
    }
    return (key, source) => {
      let fn = have.get(key);
      if (fn === undefined) {
        const src = source();
        fn = new Function('env', `${this.prelude}\nreturn ${src};`)(env);
        have.set(key, fn);
        this.adopt(key, src);
        onBuilt?.(this.name, this.prelude, key, src);
      }
      return fn;
    };
  }

  /** A function built from `src` for `key` (here, or in a guest thread's Worker): written at exit if the cache lacks it. */
  adopt(key: number, src: string): void {
    if (!this.stored.keys.includes(key)) this.added.set(key, src);
  }

  private file(): string | null {
    return cacheDir ? path.join(cacheDir, buildFingerprint(), `${this.name}.fns`) : null;
  }

  private scriptSource(s: Stored): string {
    // Parenthesised functions are compiled at once, so the code cache holds them all.
    return `(function (env) {\n${this.prelude}\nreturn [\n${s.sources.map((f) => `(${f})`).join(',\n')}\n];\n})`;
  }

  private load(file: string): void {
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch {
      return;
    }
    try {
      const len = data.readUInt32LE(0);
      const stored = JSON.parse(data.subarray(4, 4 + len).toString('utf8')) as Stored;
      const script = new vm.Script(this.scriptSource(stored), { filename: `urun:${this.name}`, cachedData: data.subarray(4 + len) });
      this.cached = script.runInThisContext() as (env: Record<string, unknown>) => unknown[];
      this.stored = stored;
    } catch {
      // A damaged file: the functions are built again and the file rewritten at exit.
      this.cached = null;
    }
  }

  /** Writes the set, with what this run added, when it added anything. */
  flush(): void {
    const file = this.file();
    if (!file || this.added.size === 0) return;
    const merged: Stored = { keys: [...this.stored.keys], sources: [...this.stored.sources] };
    for (const [k, src] of this.added) {
      merged.keys.push(k);
      merged.sources.push(src);
    }
    this.added.clear();
    try {
      const script = new vm.Script(this.scriptSource(merged), { filename: `urun:${this.name}` });
      const json = Buffer.from(JSON.stringify(merged), 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32LE(json.length);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(`${file}.${process.pid}`, Buffer.concat([len, json, script.createCachedData()]));
      fs.renameSync(`${file}.${process.pid}`, file);
      this.stored = merged;
    } catch {
      // Nothing cached this time.
    }
  }
}

const named = new Map<string, FunctionSet>();

/**
 * Where a guest thread's Worker sends each function it had to build: only the main thread
 * writes the cache at exit, and a Go program's main thread may never run guest code itself.
 */
let onBuilt: ((set: string, prelude: string, key: number, src: string) => void) | null = null;
export function reportBuiltFunctions(to: typeof onBuilt): void {
  onBuilt = to;
}

/** The function set of this name (one per process). */
export function functionSet(name: string, prelude: string): FunctionSet {
  let set = named.get(name);
  if (!set) named.set(name, (set = new FunctionSet(name, prelude)));
  return set;
}

/** Writes every function set that grew in this run. */
export function flushScriptCaches(): void {
  for (const s of sets) s.flush();
}
