// A guest talking TCP to Node's net module over 127.0.0.1: a guest client against a Node echo
// server, and a guest echo server (it prints the port it bound) driven by a Node client.
// Big-endian MIPS and ARM: the two ways sockaddr and options are converted.
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, URUN, urunAsync } from './support/urun.js';

const ARCHES = ['mips', 'armhf'];
const bin = (arch: string) => path.join(ROOT, 'test/fixtures/bin', arch, 'sockets');

/** Sends `text` on a new connection to the port and resolves with everything that comes back. */
function exchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const c = net.connect(port, '127.0.0.1', () => c.end(text));
    c.on('data', (d: Buffer) => chunks.push(d));
    c.on('error', reject);
    c.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

describe.each(ARCHES)('sockets with Node on %s', (arch) => {
  it.concurrent('a guest client talks to a Node server', async () => {
    const server = net.createServer((s) => s.pipe(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const r = await urunAsync([bin(arch), 'client_echo', String(port)], { env: {}, timeoutMs: 30_000 });
      expect(r.stdout, r.stderr).toBe('reply: hello node\nreply: second line\nend: 0\n');
      expect(r.status).toBe(0);
    } finally {
      server.close();
    }
  });

  it.concurrent('a Node client talks to a guest server', async () => {
    const child = spawn(process.execPath, [URUN, bin(arch), 'serve_echo'], { env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    let out = '', err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /^port (\d+)\n/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.on('close', () => reject(new Error(`the guest server ended: ${out} ${err}`)));
      });
      const big = 'x'.repeat(200_000) + '\n';
      expect(await exchange(port, 'hello guest\n')).toBe('hello guest\n');
      expect(await exchange(port, big)).toBe(big);
      expect(await exchange(port, 'quit')).toBe('quit');
      expect(await exited, err).toBe(0);
      expect(out).toMatch(/\nserver done\n$/);
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
  });
});
