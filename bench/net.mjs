#!/usr/bin/env node
// Network benchmark: an epoll echo server (bench/src/echo-server.c) built for each guest
// arch runs under urun and under qemu-user (and natively, for reference), one after the
// other in the same run; 50 concurrent loopback clients (Node sockets) send 64-byte requests
// and wait for each echo for a fixed time. Prints requests per second per runner, the
// urun/qemu ratio, and checks that every client got back exactly the bytes it sent.
//
//   npm run bench:net                      (= node bench/net.mjs)
//   node bench/net.mjs --seconds 2 --clients 50 --arch mipsel,armhf
//
// Exits 1 when a server cannot be built or started, or bytes went missing.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILD = join(ROOT, 'bench', 'build', 'net');
const ARCHES = {
  mips: { cc: 'mips-linux-gnu-gcc', qemu: 'qemu-mips' },
  mipsel: { cc: 'mipsel-linux-gnu-gcc', qemu: 'qemu-mipsel' },
  armhf: { cc: 'arm-linux-gnueabihf-gcc', qemu: 'qemu-arm' },
  armel: { cc: 'arm-linux-gnueabi-gcc', qemu: 'qemu-arm' },
};

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    clients: { type: 'string', default: '50' },
    arch: { type: 'string', default: 'mipsel,armhf' },
  },
});
const seconds = Number(opts.seconds);
const clients = Number(opts.clients);

function build(cc, out) {
  const r = spawnSync(cc, ['-static', '-O2', '-o', out, join(ROOT, 'bench/src/echo-server.c')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cc} failed`);
}

/** Starts the server, reads its port, drives the clients; resolves with the numbers. */
async function measure(cmd, args) {
  const server = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    server.on('exit', (code) => reject(new Error(`${cmd} exited with ${code} before listening`)));
  });
  const request = Buffer.alloc(64, 'x');
  let requests = 0, sent = 0, received = 0;
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(Array.from({ length: clients }, () => new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    s.setNoDelay(true);
    let pending = 0;
    const send = () => {
      if (performance.now() >= deadline) return s.end();
      pending = request.length;
      sent += request.length;
      s.write(request);
    };
    s.on('connect', send);
    s.on('data', (d) => {
      received += d.length;
      pending -= d.length;
      if (pending === 0) {
        requests++;
        send();
      }
    });
    s.on('close', resolve);
    s.on('error', reject);
  })));
  const elapsed = (performance.now() - start) / 1000;
  await new Promise((resolve) => {
    const q = net.connect(port, '127.0.0.1', () => q.end('QUIT\n'));
    q.on('close', resolve);
    q.on('error', resolve);
  });
  await new Promise((resolve) => (server.exitCode !== null ? resolve() : server.on('exit', resolve)));
  return { rps: requests / elapsed, sent, received };
}

mkdirSync(BUILD, { recursive: true });
const native = join(BUILD, 'echo-native');
build('cc', native);
let failed = false;
const report = (name, r) => {
  const ok = r.sent === r.received;
  failed ||= !ok;
  console.log(`  ${name.padEnd(8)} ${r.rps.toFixed(0).padStart(8)} requests/s   sent ${r.sent} B, received ${r.received} B${ok ? '' : '  MISMATCH'}`);
  return r;
};
console.log(`echo server, ${clients} clients, ${seconds} s each, 64-byte requests`);
report('native', await measure(native, []));
for (const arch of opts.arch.split(',')) {
  const a = ARCHES[arch];
  const bin = join(BUILD, `echo-${arch}`);
  build(a.cc, bin);
  console.log(arch);
  const q = report('qemu', await measure(a.qemu, [bin]));
  const u = report('urun', await measure(process.execPath, [join(ROOT, 'bin/urun'), bin]));
  console.log(`  urun/qemu ${(u.rps / q.rps).toFixed(2)}× the request rate`);
}
process.exit(failed ? 1 : 0);
