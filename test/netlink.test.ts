// Netlink sockets (AF_NETLINK, NETLINK_ROUTE) on every arch: test/guest/netlink.c (glibc's
// getifaddrs, raw link/address/route dumps, errors with extended acknowledgements, socket
// names and options) and Go's net.Interfaces (test/guest/go, case "interfaces"). What they
// print is the host's network, so there are no golden files. The output is checked against
// the host itself (sysfs, /proc/net/route, Node's os.networkInterfaces), against the same C
// program built for the host where a C compiler is installed, and against qemu-user where it
// is installed and right: qemu 7.2 loses big-endian link dumps and extended acknowledgements,
// passes the host's errno numbers to MIPS guests, refuses NETLINK_GENERIC and swaps a
// big-endian SIOCGIFTXQLEN as a short, and says ENOSYS to mii-tool's SIOCGMIIPHY and to
// SIOCETHTOOL (QEMU_WRONG; urun carries SIOCETHTOOL for little-endian guests only).
// The interface ioctls (SIOCGIF*) are here too: they tell older programs the same things.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// @ts-expect-error: plain ESM helper shared with the fixture build script
import { BIN_DIR } from './fixtures/cases.mjs';
import { ROOT, urunAsync } from './support/urun.js';

const ARCHES = ['mips', 'mipsel', 'armhf', 'armel'];
const CASES = ['ifaddrs', 'links', 'links_rw', 'addrs', 'routes', 'sockname', 'errors', 'unsupported', 'ioctls', 'ifioctls', 'ethtool'];
const QEMU: Record<string, string> = { mips: 'qemu-mips', mipsel: 'qemu-mipsel', armhf: 'qemu-arm', armel: 'qemu-arm' };
/** Cases whose output under qemu-user is wrong, by arch (see the top of this file). */
const QEMU_WRONG: Record<string, string[]> = {
  mips: ['links', 'links_rw', 'errors', 'unsupported', 'ioctls', 'ifioctls', 'ethtool', 'go'],
  mipsel: ['errors', 'unsupported', 'ifioctls', 'ethtool'], armhf: ['unsupported', 'ifioctls', 'ethtool'], armel: ['unsupported', 'ifioctls', 'ethtool'],
};
const bigEndian = (arch: string) => arch === 'mips';
const onPath = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/** Each guest run once, whichever references its output is compared with (the suite's time). */
const runs = new Map<string, Promise<{ status: number | null; stdout: string; stderr: string }>>();

async function guest(arch: string, program: string, args: string[]): Promise<string> {
  const key = [arch, program, ...args].join('\0');
  if (!runs.has(key)) runs.set(key, urunAsync([path.join(BIN_DIR as string, arch, program), ...args], { env: {} }));
  const r = await runs.get(key)!;
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  return r.stdout;
}

function qemu(arch: string, program: string, args: string[]): string {
  return execFileSync(QEMU[arch], [path.join(BIN_DIR as string, arch, program), ...args], { encoding: 'utf8', env: {} });
}

// ---- the host's own view ----

interface HostLink { index: number; name: string; type: number; flags: number; mtu: number; txqlen: number; operstate: number; address: string }
const OPERSTATES = ['unknown', 'notpresent', 'down', 'lowerlayerdown', 'testing', 'dormant', 'up'];

function hostLinks(): HostLink[] {
  const read = (name: string, what: string) => fs.readFileSync(`/sys/class/net/${name}/${what}`, 'utf8').trim();
  return fs.readdirSync('/sys/class/net').map((name) => ({
    index: Number(read(name, 'ifindex')), name, type: Number(read(name, 'type')), flags: Number(read(name, 'flags')),
    mtu: Number(read(name, 'mtu')), txqlen: Number(read(name, 'tx_queue_len')),
    operstate: OPERSTATES.indexOf(read(name, 'operstate')), address: read(name, 'address'),
  })).sort((a, b) => a.index - b.index);
}

/** Flags netlink reports beyond sysfs's dev->flags: RUNNING, PROMISC, ALLMULTI, LOWER_UP, DORMANT. */
const LIVE_FLAGS = 0x40 | 0x100 | 0x200 | 0x10000 | 0x20000;

/** The host's addresses as "name inet|inet6 address/prefix", from libuv's getifaddrs (interfaces that are up). */
function hostAddresses(): string[] {
  return Object.entries(os.networkInterfaces()).flatMap(([name, list]) =>
    (list ?? []).map((a) => `${name} ${a.family === 'IPv4' ? 'inet' : 'inet6'} ${a.cidr}`));
}

/** The main table's IPv4 routes as the C program prints them (dst/len via gw oif metric), from /proc/net/route. */
function hostRoutes(links: HostLink[]): string[] {
  const ip = (hex: string) => Array.from({ length: 4 }, (_, i) => parseInt(hex.slice(6 - 2 * i, 8 - 2 * i), 16)).join('.');
  const bits = (hex: string) => Number.parseInt(hex, 16).toString(2).split('1').length - 1;
  return fs.readFileSync('/proc/net/route', 'utf8').trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/))
    .map(([iface, dst, gw, , , , metric, mask]) => `${ip(dst)}/${bits(mask)} via ${gw === '00000000' ? '-' : ip(gw)} ` +
      `oif ${links.find((k) => k.name === iface)?.index ?? 0} metric ${metric}`).sort();
}

// ---- the C program ----

/** What the program prints that does not depend on the host's network. */
const FIXED: Record<string, (arch: string) => string> = {
  sockname: () => 'SO_RCVBUF set\nNETLINK_EXT_ACK 1 len 4\nSO_PROTOCOL 0\n' +
    'family 16 len 12 pad 0 pid is getpid yes groups 0x11\nbound by name as asked\n',
  errors: () => 'no such link: NLMSG_ERROR No such device, echoed type 18 seq 7 len 32\n' +
    'getaddr without dump: NLMSG_ERROR Operation not supported, echoed type 22 seq 8 len 24\n' +
    'no such link, capped: NLMSG_ERROR No such device, echoed type 18 seq 9 len 40\n' +
    'strict get: NLMSG_ERROR Invalid argument, echoed type 18 seq 10 len 40, message "Unsupported attribute in get link request"\n' +
    'strict dump: NLMSG_DONE Invalid argument, message "Invalid values in header for link dump request"\n',
  // Other protocols' bodies are converted for no one: a big-endian guest cannot have them.
  unsupported: (arch) => `NETLINK_GENERIC: ${bigEndian(arch) ? 'Protocol not supported' : 'ok'}\n` +
    'NETLINK_KOBJECT_UEVENT: ok\nsocketpair: Operation not supported\n',
  // The program's own sockets, their types in the guest's numbering (MIPS: SOCK_STREAM 2,
  // SOCK_DGRAM 1), as the program built for the host prints them; qemu-user refuses
  // NETLINK_SOCK_DIAG and gives a MIPS guest /proc/net/unix's host numbers.
  diag: (arch) => bigEndian(arch) ? 'NETLINK_SOCK_DIAG: Protocol not supported\n'
    : ['STREAM', 'DGRAM', 'SEQPACKET'].map((t) => `sock_diag: ${t} socket is ${t}\n`).join('') +
      'sock_diag: the SOCK_DGRAM netlink socket is DGRAM\n',
  procunix: () => ['STREAM', 'DGRAM', 'SEQPACKET'].map((t) => `/proc/net/unix: ${t} socket is ${t}\n`).join(''),
};

let native: string | null = null;
beforeAll(() => {
  if (!onPath('cc')) return;
  native = fs.mkdtempSync(path.join(os.tmpdir(), 'urun-netlink-'));
  execFileSync('cc', ['-O2', '-o', path.join(native, 'netlink'), path.join(ROOT, 'test/guest/netlink.c')]);
  return () => fs.rmSync(native!, { recursive: true, force: true });
});

describe.each(ARCHES)('netlink on %s', (arch) => {
  it.concurrent('links: every host interface with its index, name, type, flags, MTU, queue, state and consistent stats', async () => {
    const out = (await guest(arch, 'netlink', ['links'])).trimEnd().split('\n');
    const links = hostLinks();
    expect(out.length).toBe(links.length);
    out.forEach((line, i) => {
      const m = /^(\d+) (\S+) type (\d+) flags 0x([0-9a-f]+) mtu (\d+) txqlen (\d+) operstate (-?\d+) stats (\w+)$/.exec(line);
      expect(m, line).not.toBeNull();
      const [, index, name, type, flags, mtu, txqlen, operstate, stats] = m!;
      const h = links[i];
      expect([Number(index), name, Number(type), Number.parseInt(flags, 16) & ~LIVE_FLAGS, Number(mtu), Number(txqlen), Number(operstate), stats])
        .toEqual([h.index, h.name, h.type, h.flags & ~LIVE_FLAGS, h.mtu, h.txqlen, h.operstate, 'agree']);
    });
  });

  it.concurrent('addrs: every address the host has, on its interface, with a lifetime', async () => {
    const out = (await guest(arch, 'netlink', ['addrs'])).trimEnd().split('\n');
    for (const line of out) expect(line).toMatch(/^\d+ inet6? \S+\/\d+ scope \d+ label \S+ valid (forever|finite)$/);
    const links = hostLinks();
    for (const a of hostAddresses()) {
      const [name, family, cidr] = a.split(' ');
      const index = links.find((l) => l.name === name)!.index;
      expect(out.some((l) => l.startsWith(`${index} ${family} ${cidr} `)), a).toBe(true);
    }
  });

  it.concurrent('ifaddrs: glibc\'s getifaddrs lists every link (index, hardware address, stats) and address', async () => {
    const out = (await guest(arch, 'netlink', ['ifaddrs'])).trimEnd().split('\n');
    for (const l of hostLinks()) {
      const hw = /^[0-9a-f:]+$/.test(l.address) ? l.address : '-';
      const packet = out.filter((x) => x.startsWith(`${l.name} packet `));
      expect(packet, l.name).toHaveLength(1);
      expect(packet[0].startsWith(`${l.name} packet index ${l.index} hw ${hw} flags 0x`) && packet[0].endsWith(' stats ok'), packet[0]).toBe(true);
    }
    for (const a of hostAddresses()) expect(out.some((x) => x.startsWith(`${a} flags `)), a).toBe(true);
  });

  it.concurrent('routes: the main table\'s IPv4 routes, as /proc/net/route has them', async () => {
    const out = (await guest(arch, 'netlink', ['routes'])).trimEnd().split('\n').filter(Boolean);
    expect(out.map((l) => l.replace(/ scope .*/, '')).sort()).toEqual(hostRoutes(hostLinks()));
  });

  it.concurrent('ioctls: SIOCGIFINDEX, FLAGS, MTU, TXQLEN and HWADDR of every interface, SIOCGIFNAME, SIOCGIFCONF', async () => {
    const out = (await guest(arch, 'netlink', ['ioctls'])).trimEnd().split('\n');
    const links = hostLinks();
    for (const l of links) {
      const line = out.find((x) => x.startsWith(`${l.name}: `));
      const m = /^\S+: index ok flags 0x([0-9a-f]+) mtu (\d+) txqlen (\d+) hw type (\d+) (\S+) .* name by index ok$/.exec(line ?? '');
      expect(m, line ?? l.name).not.toBeNull();
      const [, flags, mtu, txqlen, type, hw] = m!;
      expect([Number.parseInt(flags, 16) & ~LIVE_FLAGS, Number(mtu), Number(txqlen), Number(type)]).toEqual([l.flags & ~LIVE_FLAGS, l.mtu, l.txqlen, l.type]);
      if (/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(l.address)) expect(hw).toBe(l.address);
    }
    // SIOCGIFCONF: an entry per IPv4 address (libuv's list leaves out interfaces that are down).
    const entries = out.filter((x) => x.startsWith('  '));
    expect(out[0]).toBe(`SIOCGIFCONF: ${entries.length} entries`);
    for (const a of hostAddresses().filter((x) => x.includes(' inet '))) {
      const [name, , cidr] = a.split(' ');
      expect(entries, a).toContain(`  ${name} ${cidr.split('/')[0]}`);
    }
    expect(out.at(-1)).toBe('SIOCGIFNAME of no interface: No such device');
  });

  it.concurrent('ethtool: SIOCETHTOOL answers for lo, and EFAULT without a buffer', async () => {
    if (bigEndian(arch)) return; // not carried: each command's struct would need its fields swapped
    const out = await guest(arch, 'netlink', ['ethtool']);
    expect(out).toContain('lo: driver: Operation not supported\nlo: link 1\nlo: mask 0, 0 statistics\n');
    expect(out.endsWith('no buffer: Bad address\n'), out).toBe(true);
  });

  it.concurrent.each(Object.keys(FIXED))('%s', async (c) => {
    expect(await guest(arch, 'netlink', [c])).toBe(FIXED[c](arch));
  });

  it.concurrent.each(CASES)('%s: as the program built for the host prints it', async (c) => {
    if (native === null) return; // no C compiler: the checks above stand alone
    if (c === 'ethtool' && bigEndian(arch)) return;
    const expected = c === 'unsupported' ? FIXED.unsupported(arch) : execFileSync(path.join(native, 'netlink'), [c], { encoding: 'utf8' });
    expect(await guest(arch, 'netlink', [c])).toBe(expected);
  });

  it.concurrent.each(CASES.filter((c) => !QEMU_WRONG[arch].includes(c)))('%s: as under qemu-user', async (c) => {
    if (!onPath(QEMU[arch])) return;
    expect(await guest(arch, 'netlink', [c])).toBe(qemu(arch, 'netlink', [c]));
  });
});

// ---- Go ----

const GO_FLAGS: [number, string][] = [[0x1, 'up'], [0x2, 'broadcast'], [0x8, 'loopback'], [0x10, 'pointtopoint'], [0x1000, 'multicast']];

// Go's runtime starts several threads: two arches (one per byte order and ISA) keep npm test
// short; the C program above covers the conversions on all four.
describe.each(['mips', 'armhf'])('Go\'s net.Interfaces on %s', (arch) => {
  it.concurrent('lists the host\'s interfaces and addresses', async () => {
    const out = await guest(arch, 'gotest', ['interfaces']);
    const lines = out.trimEnd().split('\n');
    const links = hostLinks();
    const linkLines = lines.filter((l) => /^\d/.test(l));
    expect(linkLines).toEqual(links.map((l) => {
      const flags = GO_FLAGS.filter(([bit]) => l.flags & bit).map(([, n]) => n).join('|') || '0';
      const hw = /[1-9a-f]/.test(l.address) ? l.address : '';
      return `${l.index} ${l.name} mtu ${l.mtu} flags ${flags} hw "${hw}"`;
    }));
    // Each interface's addresses, and all of them together (net.InterfaceAddrs).
    const perInterface = lines.filter((l) => l.startsWith('  addr ')).map((l) => l.slice(7)).sort();
    const all = lines.filter((l) => l.startsWith('all ')).map((l) => l.slice(4)).sort();
    expect(all).toEqual(perInterface);
    for (const a of hostAddresses()) expect(all, a).toContain(a.split(' ')[2]);
    expect(lines.at(-1)).toBe(`lo is index ${links.find((l) => l.name === 'lo')!.index}`);
    if (!QEMU_WRONG[arch].includes('go') && onPath(QEMU[arch])) expect(out).toBe(qemu(arch, 'gotest', ['interfaces']));
  });
});

// ---- busybox ip (Debian's busybox-static: no big-endian MIPS build) ----

const IP_COMMANDS = [['ip', 'addr'], ['ip', 'link'], ['ip', 'route'], ['ip', '-6', 'route'], ['ip', 'rule']];

describe.each(['mipsel', 'armhf', 'armel'])('busybox ip on %s', (arch) => {
  it.concurrent.each(IP_COMMANDS.map((c) => [c.join(' '), c]))('%s', async (_, args) => {
    const out = await guest(arch, 'busybox', args as string[]);
    if (args[1] === 'link') {
      for (const l of hostLinks()) expect(out).toContain(`${l.index}: ${l.name}: `);
    }
    // qemu-user refuses RTM_GETRULE ("write error: Operation not supported").
    if (args[1] === 'rule') expect(out).toContain('from all lookup main');
    else if (onPath(QEMU[arch])) expect(out).toBe(qemu(arch, 'busybox', args as string[]));
  });
});

describe('netlink under --sandbox', () => {
  it.concurrent('AF_NETLINK needs --allow-net', async () => {
    const bin = path.join(BIN_DIR as string, 'mipsel', 'netlink');
    const denied = await urunAsync(['--sandbox', bin, 'links'], { env: {} });
    expect([denied.stdout, denied.status]).toEqual(['socket: Permission denied\n', 1]);
    expect(denied.stderr).toContain('urun: sandbox: denied an AF_NETLINK socket; --allow-net allows it');
    const allowed = await urunAsync(['--sandbox', '--allow-net', bin, 'links'], { env: {} });
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(allowed.stdout.split('\n')).toHaveLength(hostLinks().length + 1);
  });
});
