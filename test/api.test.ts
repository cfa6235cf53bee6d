// The embedding API as a user of the package has it: `import { run } from 'urun'` (the
// package's own exports, resolved to the built dist/api.js), and what `npm pack` ships.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { ROOT } from './support/urun.js';
import type * as Api from '../src/api.js';

// A variable name, so that the type checker does not need dist/ built; vitest resolves it
// through package.json's "exports", as Node would for a user.
const PACKAGE = 'urun';
const { run } = (await import(PACKAGE)) as typeof Api;

const bin = (arch: string, name: string) => path.join(ROOT, 'test/fixtures/bin', arch, name);

describe("import { run } from 'urun'", () => {
  it('is the built dist/api.js, for vitest and for Node itself', async () => {
    expect((await import(path.join(ROOT, 'dist/api.js'))).run).toBe(run);
    const script = `const { run } = await import('urun'); console.log(import.meta.resolve('urun')); ` +
      `process.stdout.write((await run({ argv: [${JSON.stringify(bin('armel', 'hello'))}] })).stdout);`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(out).toBe(`file://${path.join(ROOT, 'dist/api.js')}\nHello, world!\n`);
  });

  it.concurrent('runs a guest and captures its output; several at once, each with its own environment', async () => {
    const [hello, env1, env2] = await Promise.all([
      run({ argv: [bin('mips', 'hello')] }),
      run({ argv: [bin('armhf', 'suite'), 'env', 'WHO'], env: { WHO: 'one' } }),
      run({ argv: [bin('mipsel', 'suite'), 'env', 'WHO'], env: { WHO: 'two' } }),
    ]);
    expect(hello).toEqual({ exitCode: 0, signal: null, status: 0, stdout: 'Hello, world!\n', stderr: '', timedOut: false });
    expect(env1.stdout).toBe('WHO="one"\n');
    expect(env2.stdout).toBe('WHO="two"\n');
  });

  it.concurrent('stdin from a string, a Buffer or a stream; stdout streamed; --stats figures', async () => {
    const text = 'line one\nline two\n';
    const streamed: Buffer[] = [];
    const sink = new Writable({ write: (b: Buffer, _e, done) => { streamed.push(b); done(); } });
    const [fromString, fromBuffer, fromStream] = await Promise.all([
      run({ argv: [bin('armel', 'suite'), 'cat'], stdin: text, stats: true }),
      run({ argv: [bin('mips', 'suite'), 'cat'], stdin: Buffer.from(text) }),
      run({ argv: [bin('mipsel', 'suite'), 'cat'], stdin: Readable.from([Buffer.from(text)]), stdout: sink }),
    ]);
    expect(fromString.stdout).toBe(text);
    expect(fromString.stats?.instructions).toBeGreaterThan(1000);
    expect(fromString.stats?.guestMips).toBeGreaterThan(0);
    expect(fromString.stderr).not.toContain('urun-stats');
    expect(fromBuffer.stdout).toBe(text);
    expect(fromBuffer.stats).toBeUndefined();
    expect(fromStream.stdout).toBe('');
    expect(Buffer.concat(streamed).toString()).toBe(text);
  });

  it.concurrent('a guest killed by a signal, and a CPU model that lacks an instruction', async () => {
    const [segv, ill] = await Promise.all([
      run({ argv: [bin('armhf', 'suite'), 'segv'], stderr: 'ignore' }),
      run({ argv: [bin('mips', 'cpuprobe'), 'seb'], cpu: '4Kc' }),
    ]);
    expect(segv).toMatchObject({ exitCode: null, signal: 'SIGSEGV', status: 139 });
    expect(ill).toMatchObject({ exitCode: null, signal: 'SIGILL', status: 132 });
    expect(ill.stderr).toMatch(/^urun: illegal instruction 0x7c021420 at 0x[0-9a-f]+\n$/);
  });

  it.concurrent('sandbox options: repeatable directories become one flag each', async () => {
    const top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'urun-api-sandbox-')));
    const [w, r, s] = ['w', 'r', 's'].map((d) => path.join(top, d));
    try {
      for (const d of [w, r, s]) fs.mkdirSync(d);
      fs.writeFileSync(path.join(r, 'r.txt'), 'r\n');
      fs.writeFileSync(path.join(s, 'secret.txt'), 's\n');
      const res = await run({ argv: [bin('mipsel', 'sandbox'), w, r, s], cwd: w, sandbox: true, allowWrite: [w], allowRead: [r, s], stderr: 'ignore' });
      expect(res.status).toBe(0);
      expect(res.stdout).toMatch(/^read R\/r\.txt: ok$/m);
      expect(res.stdout).toMatch(/^read S\/secret\.txt: ok$/m);
      expect(res.stdout).toMatch(/^unlink S\/secret\.txt: EACCES$/m);
    } finally {
      fs.rmSync(top, { recursive: true, force: true });
    }
  });

  it.concurrent('a timeout kills the guest; an AbortSignal ends the run with its reason', async () => {
    const waiting = new PassThrough(); // never ends: cat waits for more
    const controller = new AbortController();
    const aborted = run({ argv: [bin('mipsel', 'suite'), 'cat'], stdin: new PassThrough(), signal: controller.signal });
    const timed = await run({ argv: [bin('mips', 'suite'), 'cat'], stdin: waiting, timeout: 300 });
    expect(timed).toMatchObject({ timedOut: true, signal: 'SIGKILL', status: 137 });
    controller.abort(new Error('enough'));
    await expect(aborted).rejects.toThrow('enough');
  });
});

describe('npm pack', () => {
  it('ships the CLI bundle (with the ARM tables it reads), the API with its types, and nothing else', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path).sort();
    expect(files).toEqual([
      'LICENSE', 'README.md', 'bin/package.json', 'bin/urun', 'dist/api.d.ts', 'dist/api.js', 'dist/cli/options.d.ts', 'dist/cli/options.js',
      'dist/isa-defs.json', 'dist/urun.cjs', 'package.json',
    ]);
  });
});
