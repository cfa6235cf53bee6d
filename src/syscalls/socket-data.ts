// The data that crosses the socket calls, converted between the guest's ABI (32-bit, either
// byte order, MIPS or generic numbering) and the host's (x86-64): socket addresses, socket
// option values and ancillary data (cmsg). Ports and IP addresses are in network order
// everywhere and are copied as bytes; what is in host order (sa_family, ints in option
// structs, sockaddr_nl's port and groups) is swapped for a big-endian guest; 64-bit host
// timevals become 32-bit ones. Netlink messages are converted in netlink.ts.
import type { Kernel, OpenFile } from './kernel.js';
import { libc } from '../host/libc.js';
import { E } from './errno.js';
import { SO } from './arch/socket-abi.js';

export const AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16;
/** The families urun carries to host sockets, by number, as --strace names them. */
export const FAMILY_NAMES: Readonly<Record<number, string>> = {
  [AF_UNIX]: 'AF_UNIX', [AF_INET]: 'AF_INET', [AF_INET6]: 'AF_INET6', [AF_NETLINK]: 'AF_NETLINK',
};
export const HOST_SOL_SOCKET = 1;
export const SOL_IP = 0, SOL_TCP = 6, SOL_UDP = 17, SOL_IPV6 = 41, SOL_ICMPV6 = 58, SOL_RAW = 255, SOL_NETLINK = 270;
export const SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;
/** sizeof(struct sockaddr_storage). */
export const SOCKADDR_MAX = 128;
/** Most descriptors one SCM_RIGHTS message carries (SCM_MAX_FD). */
export const SCM_MAX_FD = 253;

// ---- socket addresses ----

/** A guest sockaddr as the host's; an errno for a bad length or address. */
export function readSockaddr(k: Kernel, addr: number, len: number): Uint8Array | number {
  if ((len | 0) < 0 || len > SOCKADDR_MAX) return -E.EINVAL;
  const src = k.mem.slice(addr, len, false);
  if (!src) return -E.EFAULT;
  const out = Uint8Array.from(src);
  if (len >= 2) new DataView(out.buffer).setUint16(0, k.mem.view.getUint16(addr >>> 0, k.mem.littleEndian), true);
  swapHostOrderWords(k, out, out[0] | (out[1] << 8));
  // Every address the guest binds, connects or sends to passes here: --sandbox checks it.
  const denied = k.sandbox?.checkAddress(out, () => process.cwd()) ?? 0;
  return denied < 0 ? denied : out;
}

/**
 * The 32-bit words of a sockaddr that are in host order, unlike the rest, by family and
 * offset: sockaddr_in6's sin6_scope_id, sockaddr_nl's nl_pid and nl_groups.
 */
const HOST_ORDER_WORDS: Readonly<Record<number, readonly number[]>> = { [AF_INET6]: [24], [AF_NETLINK]: [4, 8] };

/** Swaps a sockaddr's host-order words (those wholly inside it) for a big-endian guest. */
function swapHostOrderWords(k: Kernel, sa: Uint8Array, family: number): void {
  if (k.mem.littleEndian) return;
  for (const at of HOST_ORDER_WORDS[family] ?? []) if (at + 4 <= sa.length) flipBytes(sa, at, 4);
}

/** A host sockaddr in the guest's layout (a copy). */
export function sockaddrToGuest(k: Kernel, host: Uint8Array): Uint8Array {
  const out = Uint8Array.from(host);
  if (out.length < 2) return out;
  const family = out[0] | (out[1] << 8);
  new DataView(out.buffer).setUint16(0, family, k.mem.littleEndian);
  swapHostOrderWords(k, out, family);
  return out;
}

/**
 * Stores a host sockaddr (its full length `hostLen`, maybe more than the buffer holds) at a
 * guest (addr, *lenAddr) pair as Linux does: truncated to the guest's length, the full length
 * written back. addr 0: nothing to store.
 */
export function writeSockaddr(k: Kernel, host: Uint8Array, hostLen: number, addr: number, lenAddr: number): number {
  if (addr === 0) return 0;
  if (!k.mem.checkRange(lenAddr, 4, true)) return -E.EFAULT;
  const room = k.mem.view.getInt32(lenAddr >>> 0, k.mem.littleEndian);
  if (room < 0) return -E.EINVAL;
  const n = Math.min(room, hostLen, host.length);
  const dst = k.mem.slice(addr, n, true);
  if (!dst) return -E.EFAULT;
  dst.set(sockaddrToGuest(k, host.subarray(0, Math.min(hostLen, host.length))).subarray(0, n));
  k.mem.view.setInt32(lenAddr >>> 0, hostLen, k.mem.littleEndian);
  return 0;
}

// ---- option values and control data ----

/**
 * How a value is laid out: a list of fields, each a count of raw bytes (positive) or an
 * integer of 2, 4 or 8 bytes in host order (negative); or a 32-bit guest timeval/timespec,
 * 64-bit on the host (`times`: how many of them).
 */
export type Shape = { fields: number[] } | { times: number } | 'raw';

const INT: Shape = { fields: [-4] };
const RAW: Shape = 'raw';
const TIMEVAL: Shape = { times: 1 };

/** Socket options urun passes on, by host level and option; the rest are ENOPROTOOPT. */
const OPTIONS = new Map<string, Shape>();
const opt = (level: number, names: number[], shape: Shape) => names.forEach((n) => OPTIONS.set(`${level}:${n}`, shape));
opt(HOST_SOL_SOCKET, [SO.DEBUG, SO.REUSEADDR, SO.TYPE, SO.ERROR, SO.DONTROUTE, SO.BROADCAST, SO.SNDBUF, SO.RCVBUF,
  SO.KEEPALIVE, SO.OOBINLINE, SO.NO_CHECK, SO.PRIORITY, SO.BSDCOMPAT, SO.REUSEPORT, SO.PASSCRED, SO.RCVLOWAT,
  SO.SNDLOWAT, SO.TIMESTAMP_OLD, SO.ACCEPTCONN, SO.SNDBUFFORCE, SO.RCVBUFFORCE, SO.PASSSEC, SO.TIMESTAMPNS_OLD,
  SO.MARK, SO.PROTOCOL, SO.DOMAIN, SO.RXQ_OVFL, SO.PEEK_OFF, SO.NOFCS, SO.SELECT_ERR_QUEUE, SO.BUSY_POLL,
  SO.INCOMING_CPU, SO.ZEROCOPY, SO.BINDTOIFINDEX, SO.TIMESTAMP_NEW, SO.TIMESTAMPNS_NEW, SO.PREFER_BUSY_POLL,
  SO.BUSY_POLL_BUDGET, SO.BUF_LOCK, SO.RESERVE_MEM, SO.TXREHASH, SO.WIFI_STATUS, SO.LOCK_FILTER, SO.MAX_PACING_RATE,
  SO.INCOMING_NAPI_ID], INT);
opt(HOST_SOL_SOCKET, [SO.TXTIME], { fields: [-4, -4] }); // struct sock_txtime: clockid, flags
opt(HOST_SOL_SOCKET, [SO.LINGER, SO.TIMESTAMPING_OLD, SO.TIMESTAMPING_NEW], { fields: [-4, -4] }); // struct linger, so_timestamping
opt(HOST_SOL_SOCKET, [SO.PEERCRED], { fields: [-4, -4, -4] }); // struct ucred
opt(HOST_SOL_SOCKET, [SO.RCVTIMEO_OLD, SO.SNDTIMEO_OLD], TIMEVAL);
opt(HOST_SOL_SOCKET, [SO.RCVTIMEO_NEW, SO.SNDTIMEO_NEW], { fields: [-8, -8] }); // __kernel_sock_timeval
opt(HOST_SOL_SOCKET, [SO.COOKIE], { fields: [-8] });
opt(HOST_SOL_SOCKET, [SO.BINDTODEVICE, SO.PEERSEC], RAW);
// SO_PEERGROUPS: as many gid_t (u32) as the peer has groups (getsockopt puts them in the guest's byte order)
opt(HOST_SOL_SOCKET, [SO.PEERGROUPS], RAW);
// IP_TOS, IP_TTL, IP_HDRINCL, IP_RECVOPTS, IP_RETOPTS, IP_PKTINFO, IP_MTU_DISCOVER, IP_RECVERR, IP_RECVTTL,
// IP_RECVTOS, IP_MTU, IP_FREEBIND, IP_PASSSEC, IP_TRANSPARENT, IP_RECVORIGDSTADDR, IP_MINTTL, IP_NODEFRAG,
// IP_CHECKSUM, IP_BIND_ADDRESS_NO_PORT, IP_RECVFRAGSIZE, IP_RECVERR_RFC4884, IP_MULTICAST_TTL,
// IP_MULTICAST_LOOP, IP_MULTICAST_ALL
opt(SOL_IP, [1, 2, 3, 6, 7, 8, 10, 11, 12, 13, 14, 15, 18, 19, 20, 21, 22, 23, 24, 25, 26, 33, 34, 49], INT);
opt(SOL_IP, [4], RAW); // IP_OPTIONS
opt(SOL_IP, [32, 35, 36], { fields: [4, 4, -4] }); // IP_MULTICAST_IF, IP_ADD/DROP_MEMBERSHIP: in_addr, ip_mreq(n)
opt(SOL_IP, [37, 38, 39, 40], RAW); // ip_mreq_source: three in_addr
opt(SOL_IP, [50], RAW); // IP_UNICAST_IF: an interface index in network order
// IPV6_ADDRFORM, IPV6_CHECKSUM, IPV6_UNICAST_HOPS, IPV6_MULTICAST_IF/HOPS/LOOP, IPV6_ROUTER_ALERT,
// IPV6_MTU_DISCOVER, IPV6_MTU, IPV6_RECVERR, IPV6_V6ONLY, IPV6_RECVPKTINFO, IPV6_RECVHOPLIMIT,
// IPV6_RECVHOPOPTS, IPV6_RECVRTHDR, IPV6_RECVDSTOPTS, IPV6_RECVPATHMTU, IPV6_DONTFRAG, IPV6_RECVTCLASS,
// IPV6_TCLASS, IPV6_AUTOFLOWLABEL, IPV6_ADDR_PREFERENCES, IPV6_MINHOPCOUNT, IPV6_RECVORIGDSTADDR,
// IPV6_TRANSPARENT, IPV6_UNICAST_IF, IPV6_RECVFRAGSIZE, IPV6_FREEBIND
opt(SOL_IPV6, [1, 7, 16, 17, 18, 19, 22, 23, 24, 25, 26, 49, 51, 53, 56, 58, 60, 62, 66, 67, 70, 72, 73, 74, 75, 76, 77, 78], INT);
opt(SOL_IPV6, [20, 21, 27, 28, 50], { fields: [16, -4] }); // ipv6_mreq, in6_pktinfo
opt(SOL_IPV6, [2, 3, 4, 5, 8], INT); // RFC 2292's IPV6_2292PKTINFO, _HOPOPTS, _DSTOPTS, _RTHDR, _HOPLIMIT (flags)
// TCP_NODELAY, TCP_MAXSEG, TCP_CORK, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_SYNCNT, TCP_LINGER2,
// TCP_DEFER_ACCEPT, TCP_WINDOW_CLAMP, TCP_QUICKACK, TCP_THIN_*, TCP_USER_TIMEOUT, TCP_FASTOPEN,
// TCP_NOTSENT_LOWAT, TCP_FASTOPEN_CONNECT, TCP_FASTOPEN_NO_COOKIE, TCP_INQ, TCP_TX_DELAY
opt(SOL_TCP, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16, 17, 18, 23, 25, 30, 33, 36, 37], INT);
opt(SOL_TCP, [13], RAW); // TCP_CONGESTION: a name
opt(SOL_UDP, [1, 100, 101, 102, 103, 104], INT); // UDP_CORK, UDP_ENCAP, UDP_NO_CHECK6_*, UDP_SEGMENT, UDP_GRO
opt(SOL_ICMPV6, [1], { fields: [-4, -4, -4, -4, -4, -4, -4, -4] }); // ICMP6_FILTER: struct icmp6_filter, eight u32 bitmaps
opt(SOL_RAW, [1, 7], INT); // ICMP_FILTER (a u32 bitmap of ICMP types), IPV6_CHECKSUM
// NETLINK_ADD/DROP_MEMBERSHIP, NETLINK_PKTINFO, NETLINK_BROADCAST_ERROR, NETLINK_NO_ENOBUFS,
// NETLINK_LISTEN_ALL_NSID, NETLINK_CAP_ACK, NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK
opt(SOL_NETLINK, [1, 2, 3, 4, 5, 8, 10, 11, 12], INT);

/**
 * TCP_INFO (SOL_TCP 11): its bytes are the host's on a little-endian guest. For a big-endian one,
 * struct tcp_info field by field as Linux 6.x has it: eight u8 (two of them bitfields, which
 * tcpInfoToGuest reorders), 24 u32, then u64 and u32 counters; a kernel gives the fields the
 * caller's length holds, so the value is converted however long it is.
 */
export const TCP_INFO_BE: Shape = {
  fields: [8, ...Array<number>(24).fill(-4), -8, -8, -8, -8, -4, -4, -4, -4, -4, -4, -8, -8, -8, -8, -4, -4, -8, -8,
    -4, -4, -4, -4, -4, -4, -2, -2, -4],
};
const TCP_INFO = 11;

export function optionShape(k: Kernel, hostLevel: number, hostName: number): Shape | null {
  if (hostLevel === SOL_TCP && hostName === TCP_INFO) return k.mem.littleEndian ? RAW : TCP_INFO_BE;
  return OPTIONS.get(`${hostLevel}:${hostName}`) ?? null;
}

/** Control messages and their data's layout; others are copied as bytes. */
const CMSG_SHAPES = new Map<string, Shape>([
  [`${HOST_SOL_SOCKET}:${SCM_CREDENTIALS}`, { fields: [-4, -4, -4] }],
  [`${HOST_SOL_SOCKET}:${SO.TIMESTAMP_OLD}`, { times: 1 }],
  [`${HOST_SOL_SOCKET}:${SO.TIMESTAMPNS_OLD}`, { times: 1 }],
  [`${HOST_SOL_SOCKET}:${SO.TIMESTAMPING_OLD}`, { times: 3 }],
  [`${HOST_SOL_SOCKET}:${SO.TIMESTAMP_NEW}`, { fields: [-8, -8] }],
  [`${HOST_SOL_SOCKET}:${SO.TIMESTAMPNS_NEW}`, { fields: [-8, -8] }],
  [`${HOST_SOL_SOCKET}:${SO.TIMESTAMPING_NEW}`, { fields: [-8, -8, -8, -8, -8, -8] }],
  [`${HOST_SOL_SOCKET}:${SO.RXQ_OVFL}`, INT],
  [`${SOL_IP}:2`, INT], // IP_TTL
  [`${SOL_IP}:8`, { fields: [-4, 4, 4] }], // IP_PKTINFO: struct in_pktinfo
  [`${SOL_IP}:11`, { fields: [-4, 1, 1, 1, 1, -4, -4, -2] }], // IP_RECVERR: sock_extended_err + offender's family
  [`${SOL_IP}:20`, { fields: [-2] }], // IP_ORIGDSTADDR: sockaddr_in
  [`${SOL_IPV6}:25`, { fields: [-4, 1, 1, 1, 1, -4, -4, -2] }], // IPV6_RECVERR
  [`${SOL_IPV6}:50`, { fields: [16, -4] }], // IPV6_PKTINFO
  [`${SOL_IPV6}:52`, INT], // IPV6_HOPLIMIT
  [`${SOL_IPV6}:8`, INT], // IPV6_2292HOPLIMIT
  [`${SOL_IPV6}:2`, { fields: [16, -4] }], // IPV6_2292PKTINFO
  [`${SOL_IPV6}:67`, INT], // IPV6_TCLASS
  [`${SOL_IPV6}:74`, { fields: [-2, 2, 4, 16, -4] }], // IPV6_ORIGDSTADDR: sockaddr_in6 (scope id in host order)
  [`${SOL_UDP}:103`, { fields: [-2] }], // UDP_SEGMENT: u16
  [`${SOL_UDP}:104`, INT], // UDP_GRO
  [`${SOL_NETLINK}:3`, INT], // NETLINK_PKTINFO: struct nl_pktinfo, the group
  [`${SOL_NETLINK}:8`, INT], // NETLINK_LISTEN_ALL_NSID: the sender's namespace id
]);

/** IP_RECVERR and IPV6_RECVERR: a struct sock_extended_err, whose ee_errno is in the kernel's numbering (MIPS has its own). */
export const isExtendedErr = (hostLevel: number, type: number): boolean =>
  (hostLevel === SOL_IP && type === 11) || (hostLevel === SOL_IPV6 && type === 25);

export function cmsgShape(hostLevel: number, type: number): Shape {
  return CMSG_SHAPES.get(`${hostLevel}:${type}`) ?? RAW;
}

/** Converts a value from guest to host layout (toHost) or back; fields past the data's end stay as they are. */
export function convert(k: Kernel, shape: Shape, data: Uint8Array, toHost: boolean): Uint8Array {
  if (shape === 'raw') return Uint8Array.from(data);
  if ('times' in shape) {
    // struct timeval/timespec: {s32, s32} on the guest, {s64, s64} on the host.
    const [gs, hs] = [8, 16];
    const out = new Uint8Array(shape.times * (toHost ? hs : gs));
    const src = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const dst = new DataView(out.buffer);
    const le = k.mem.littleEndian;
    for (let i = 0; i < shape.times; i++) {
      if (toHost) {
        if (gs * i + gs > data.length) break;
        dst.setBigInt64(hs * i, BigInt(src.getInt32(gs * i, le)), true);
        dst.setBigInt64(hs * i + 8, BigInt(src.getInt32(gs * i + 4, le)), true);
      } else {
        if (hs * i + hs > data.length) break;
        dst.setInt32(gs * i, Number(src.getBigInt64(hs * i, true)), le);
        dst.setInt32(gs * i + 4, Number(src.getBigInt64(hs * i + 8, true)), le);
      }
    }
    return out;
  }
  const out = Uint8Array.from(data);
  if (!k.mem.littleEndian) swapFields(out, 0, out.length, shape.fields);
  return out;
}

/**
 * Reverses, in place, the integers of a struct laid out as `fields` (a Shape's fields) that
 * starts at `at`; fields reaching past `end` stay as they are.
 */
export function swapFields(bytes: Uint8Array, at: number, end: number, fields: readonly number[]): void {
  for (const f of fields) {
    const size = Math.abs(f);
    if (at + size > end) break;
    if (f < 0) flipBytes(bytes, at, size);
    at += size;
  }
}

/** Reverses `size` bytes at `at` in place (one integer's byte order). */
export function flipBytes(bytes: Uint8Array, at: number, size: number): void {
  for (let i = at, j = at + size - 1; i < j; i++, j--) {
    const t = bytes[i];
    bytes[i] = bytes[j];
    bytes[j] = t;
  }
}

/**
 * struct tcp_info's two bitfield bytes for a big-endian guest, whose compiler fills a byte from its
 * top bit: tcpi_snd_wscale:4 and tcpi_rcv_wscale:4 (byte 6) trade places, and byte 7's
 * tcpi_delivery_rate_app_limited:1 and tcpi_fastopen_client_fail:2 move to bits 7 and 6-5.
 */
export function tcpInfoBitfields(out: Uint8Array): void {
  if (out.length > 6) out[6] = ((out[6] & 0x0f) << 4) | (out[6] >> 4);
  if (out.length > 7) out[7] = ((out[7] & 1) << 7) | (((out[7] >> 1) & 3) << 5);
}

/** The size of a value in the guest's (or host's) layout; null for raw bytes. */
export function shapeSize(shape: Shape, host: boolean): number | null {
  if (shape === 'raw') return null;
  if ('times' in shape) return shape.times * (host ? 16 : 8);
  return shape.fields.reduce((n, f) => n + Math.abs(f), 0);
}

/** The socket's SO_RCVTIMEO (or SO_SNDTIMEO) in ms, null for none or not a socket: the host keeps it. */
export function socketTimeoutMs(f: OpenFile, write: boolean): number | null {
  if (!f.path.startsWith('socket:')) return null;
  const tv = new Uint8Array(16);
  const r = libc().getsockopt(f.hostFd, HOST_SOL_SOCKET, write ? SO.SNDTIMEO_OLD : SO.RCVTIMEO_OLD, tv);
  if (r < 16) return null;
  const v = new DataView(tv.buffer);
  const ms = Number(v.getBigInt64(0, true)) * 1000 + Math.ceil(Number(v.getBigInt64(8, true)) / 1000);
  return ms > 0 ? ms : null;
}
