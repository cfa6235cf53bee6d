// The network interface ioctls on a socket (linux/sockios.h, numbered alike on MIPS and ARM):
// a struct ifreq names an interface (16 bytes) and carries one value in a 16-byte union (a
// 32-bit guest's ifreq is 32 bytes, the host's 40: its union holds a 64-bit struct ifmap).
// SIOCGIFCONF fills an array of them. The value is converted by kind, from one table.
import { libc } from '../host/libc.js';
import { E } from './errno.js';
import type { Kernel, OpenFile } from './kernel.js';
import { flipBytes } from './socket-data.js';

/**
 * How an ifreq's union is read: an int, a short, a sockaddr (host-order family), bytes, a
 * struct ifmap (unsigned long mem_start, mem_end; u16 base_addr; u8 irq, dma, port: 16 bytes
 * on the guest, 24 on the host), or a struct mii_ioctl_data (four u16).
 */
type Value = 'int' | 'short' | 'sockaddr' | 'bytes' | 'map' | 'mii';

const IOCTLS = new Map<number, Value>([
  [0x8910, 'int'], // SIOCGIFNAME: the index in, the name out
  [0x8913, 'short'], [0x8914, 'short'], // SIOCGIFFLAGS, SIOCSIFFLAGS
  [0x8915, 'sockaddr'], [0x8916, 'sockaddr'], // SIOCGIFADDR, SIOCSIFADDR
  [0x8917, 'sockaddr'], [0x8918, 'sockaddr'], // SIOCGIFDSTADDR, SIOCSIFDSTADDR
  [0x8919, 'sockaddr'], [0x891a, 'sockaddr'], // SIOCGIFBRDADDR, SIOCSIFBRDADDR
  [0x891b, 'sockaddr'], [0x891c, 'sockaddr'], // SIOCGIFNETMASK, SIOCSIFNETMASK
  [0x891d, 'int'], [0x891e, 'int'], // SIOCGIFMETRIC, SIOCSIFMETRIC
  [0x8921, 'int'], [0x8922, 'int'], // SIOCGIFMTU, SIOCSIFMTU
  [0x8923, 'bytes'], // SIOCSIFNAME: the new name
  [0x8924, 'sockaddr'], [0x8927, 'sockaddr'], // SIOCSIFHWADDR, SIOCGIFHWADDR (the family is the ARPHRD type)
  [0x8925, 'int'], [0x8926, 'int'], // SIOCGIFENCAP, SIOCSIFENCAP
  [0x8929, 'bytes'], [0x8930, 'bytes'], // SIOCGIFSLAVE, SIOCSIFSLAVE: a name
  [0x8931, 'sockaddr'], [0x8932, 'sockaddr'], // SIOCADDMULTI, SIOCDELMULTI: a link-layer address
  [0x8933, 'int'], // SIOCGIFINDEX
  [0x8934, 'short'], [0x8935, 'short'], // SIOCSIFPFLAGS, SIOCGIFPFLAGS (ifr_flags)
  [0x8937, 'sockaddr'], // SIOCSIFHWBROADCAST
  [0x8942, 'int'], [0x8943, 'int'], // SIOCGIFTXQLEN, SIOCSIFTXQLEN
  [0x8947, 'mii'], [0x8948, 'mii'], [0x8949, 'mii'], // SIOCGMIIPHY, SIOCGMIIREG, SIOCSMIIREG (mii-tool)
  [0x8970, 'map'], [0x8971, 'map'], // SIOCGIFMAP, SIOCSIFMAP
]);
const SIOCGIFCONF = 0x8912;
const NAME = 16, GUEST_IFREQ = 32, HOST_IFREQ = 40;
/** The most ifreqs SIOCGIFCONF fills (a bound on the host buffer). */
const MAX_IFCONF = 4096;

export function isInterfaceIoctl(req: number): boolean {
  return IOCTLS.has(req) || req === SIOCGIFCONF;
}

export const SIOCETHTOOL = 0x8946;

/**
 * Whether urun carries a guest's SIOCETHTOOL (ethtool -i, -S, -d, -e; mii and NIC tools). Its
 * ifreq's union is a pointer (ifr_data) to a struct ethtool_* whose layout is the same on a
 * 32-bit little-endian guest as on the host (u32s, u64s at 8-byte offsets, no pointers), so
 * the host kernel reads and writes it in the guest's memory directly; a big-endian guest's
 * would need each command's fields swapped.
 */
export const ethtoolCarried = (k: Kernel): boolean => k.mem.littleEndian;

/** SIOCETHTOOL: the guest's ifreq with ifr_data as the host address of the guest's buffer. */
export function ethtoolIoctl(k: Kernel, f: OpenFile, arg: number): number {
  const guest = k.mem.slice(arg, GUEST_IFREQ, false);
  if (!guest) return -E.EFAULT;
  const data = new DataView(guest.buffer, guest.byteOffset, GUEST_IFREQ).getUint32(NAME, true);
  // Every command starts with its u32 number, which the kernel reads and most answers rewrite.
  if (!k.mem.checkRange(data, 4, true)) return -E.EFAULT;
  const host = Buffer.alloc(HOST_IFREQ);
  host.set(guest.subarray(0, NAME));
  host.writeBigUInt64LE(k.mem.hostAddress(data), NAME);
  return libc().ioctlPtr(f.hostFd, SIOCETHTOOL, host);
}

/** Moves the union's value between the guest's and the host's layout, in place. */
function convertValue(k: Kernel, value: Value, union: Uint8Array, toHost: boolean): void {
  if (value === 'map') return convertMap(k, union, toHost);
  if (k.mem.littleEndian) return;
  if (value === 'int') flipBytes(union, 0, 4);
  else if (value === 'short' || value === 'sockaddr') flipBytes(union, 0, 2);
  else if (value === 'mii') for (let i = 0; i < 8; i += 2) flipBytes(union, i, 2);
}

function convertMap(k: Kernel, union: Uint8Array, toHost: boolean): void {
  const v = new DataView(union.buffer, union.byteOffset, 24);
  const le = k.mem.littleEndian;
  if (toHost) {
    const start = v.getUint32(0, le), end = v.getUint32(4, le), base = v.getUint16(8, le), bytes = union.slice(10, 13);
    v.setBigUint64(0, BigInt(start), true);
    v.setBigUint64(8, BigInt(end), true);
    v.setUint16(16, base, true);
    union.set(bytes, 18);
  } else {
    const start = Number(v.getBigUint64(0, true) & 0xffffffffn), end = Number(v.getBigUint64(8, true) & 0xffffffffn);
    const base = v.getUint16(16, true), bytes = union.slice(18, 21);
    v.setUint32(0, start, le);
    v.setUint32(4, end, le);
    v.setUint16(8, base, le);
    union.set(bytes, 10);
    union.fill(0, 13, 16);
  }
}

/** An interface ioctl on a host socket; an errno when `f` is not one (the host says ENOTTY or ENOTSOCK). */
export function interfaceIoctl(k: Kernel, f: OpenFile, req: number, arg: number): number {
  if (req === SIOCGIFCONF) return ifconf(k, f, arg);
  const value = IOCTLS.get(req)!;
  const guest = k.mem.slice(arg, GUEST_IFREQ, true);
  if (!guest) return -E.EFAULT;
  const host = Buffer.alloc(HOST_IFREQ);
  host.set(guest);
  convertValue(k, value, host.subarray(NAME), true);
  const r = libc().ioctlPtr(f.hostFd, req, host);
  if (r < 0) return r;
  convertValue(k, value, host.subarray(NAME), false);
  guest.set(host.subarray(0, GUEST_IFREQ));
  return r;
}

/** SIOCGIFCONF: struct ifconf { int len; struct ifreq *buf } (a null buf asks for the length needed). */
function ifconf(k: Kernel, f: OpenFile, arg: number): number {
  if (!k.mem.checkRange(arg, 8, true)) return -E.EFAULT;
  const le = k.mem.littleEndian;
  const room = k.mem.view.getInt32(arg >>> 0, le), buf = k.mem.view.getUint32((arg + 4) >>> 0, le);
  if (room < 0) return -E.EINVAL;
  const hostReqs = Buffer.alloc(buf === 0 ? 0 : Math.min(Math.floor(room / GUEST_IFREQ), MAX_IFCONF) * HOST_IFREQ);
  const len = libc().interfaceConf(f.hostFd, buf === 0 ? null : hostReqs);
  if (len < 0) return len;
  const n = Math.floor(len / HOST_IFREQ);
  if (buf !== 0) {
    const out = k.mem.slice(buf, n * GUEST_IFREQ, true);
    if (!out) return -E.EFAULT;
    for (let i = 0; i < n; i++) {
      const entry = hostReqs.subarray(i * HOST_IFREQ, i * HOST_IFREQ + GUEST_IFREQ);
      convertValue(k, 'sockaddr', entry.subarray(NAME), false);
      out.set(entry, i * GUEST_IFREQ);
    }
  }
  k.mem.view.setInt32(arg >>> 0, n * GUEST_IFREQ, le);
  return 0;
}
