// Netlink messages between a guest and the host kernel. The kernel lays out nlmsghdr, the
// family headers (ifinfomsg...) and attribute headers in host byte order, and so does a
// program: for a big-endian guest every such integer is swapped both ways, driven by the
// tables below (message type → family header and attributes; attribute type → payload).
// Addresses, names and anything not in the tables are bytes and stay as they are. On every
// guest the errno a kernel reply carries (NLMSG_ERROR, NLMSG_DONE) becomes the guest's
// number (MIPS numbers some errnos its own way).
//
// Only NETLINK_ROUTE has tables: other protocols' messages are framed the same way, so
// their headers and errors are converted, but their bodies are known only to little-endian
// guests, for which they are the host's bytes, but for one number: NETLINK_SOCK_DIAG
// describes AF_UNIX, AF_NETLINK and AF_PACKET sockets with their socket type, which MIPS
// numbers its own way (SOCK_STREAM 2, SOCK_DGRAM 1). NETLINK_KOBJECT_UEVENT carries text.
import { concatBytes } from '../host/bytes.js';
import { libc } from '../host/libc.js';
import { SO, guestSocketType } from './arch/socket-abi.js';
import type { Kernel, OpenFile } from './kernel.js';
import { AF_INET, AF_INET6, AF_NETLINK, AF_UNIX, HOST_SOL_SOCKET, flipBytes, swapFields } from './socket-data.js';

export const NETLINK_ROUTE = 0, NETLINK_SOCK_DIAG = 4, NETLINK_KOBJECT_UEVENT = 15;

/** How an attribute's payload is converted: its integers, by size. */
type Payload =
  | { int: true } // one integer, whatever its size (u8...u64, NLA_UINT)
  | { each: 2 | 4 | 8 } // an array of integers of that size (also a struct of u32s)
  | { fields: readonly number[] } // a struct: fields as socket-data's Shape
  | { nest: Attrs }; // attributes inside
/** Attribute type → payload; a type not listed is bytes. */
type Attrs = Readonly<Record<number, Payload>>;
/** A message type's family header (fields as socket-data's Shape) and its attributes. */
interface Body { header: readonly number[]; attrs: Attrs }

const INT: Payload = { int: true }, U32S: Payload = { each: 4 }, U64S: Payload = { each: 8 };
const ints = (...types: number[]): Attrs => Object.fromEntries(types.map((t) => [t, INT]));

// linux/if_link.h: IFLA_* and what nests inside them.
const IFLA_INET: Attrs = { 1: U32S }; // IFLA_INET_CONF
// IFLA_INET6_FLAGS, _CONF, _STATS, _CACHEINFO (struct ifla_cacheinfo: u32s), _ICMP6STATS, _RA_MTU
const IFLA_INET6: Attrs = { 1: INT, 2: U32S, 3: U64S, 5: U32S, 6: U64S, 9: INT };
const IFLA: Attrs = {
  // MTU, LINK, MASTER, TXQLEN, WEIGHT, OPERSTATE, LINKMODE, NET_NS_PID, NUM_VF, GROUP, NET_NS_FD,
  // EXT_MASK, PROMISCUITY, NUM_TX/RX_QUEUES, CARRIER, CARRIER_CHANGES, LINK_NETNSID, PROTO_DOWN,
  // GSO_MAX_SEGS/SIZE, EVENT, NEW_NETNSID, IF_NETNSID, CARRIER_UP/DOWN_COUNT, NEW_IFINDEX,
  // MIN/MAX_MTU, GRO_MAX_SIZE, TSO_MAX_SIZE/SEGS, ALLMULTI, GSO/GRO_IPV4_MAX_SIZE
  ...ints(4, 5, 10, 13, 15, 16, 17, 19, 21, 27, 28, 29, 30, 31, 32, 33, 35, 37, 39, 40, 41, 44, 45, 46, 47, 48, 49, 50, 51,
    58, 59, 60, 61, 63, 64),
  7: U32S, // IFLA_STATS: struct rtnl_link_stats
  23: U64S, // IFLA_STATS64: struct rtnl_link_stats64
  14: { fields: [-8, -8, -8, -2, 1, 1] }, // IFLA_MAP: struct rtnl_link_ifmap
  18: { nest: {} }, // IFLA_LINKINFO: KIND and SLAVE_KIND are names; DATA depends on the kind
  26: { nest: { [AF_INET]: { nest: IFLA_INET }, [AF_INET6]: { nest: IFLA_INET6 } } }, // IFLA_AF_SPEC, by family
  43: { nest: ints(1, 3, 4, 5, 6, 7, 8) }, // IFLA_XDP: FD, FLAGS, PROG_IDs, EXPECTED_FD
  52: { nest: {} }, // IFLA_PROP_LIST: alternative names
  55: { nest: ints(1, 2) }, // IFLA_PROTO_DOWN_REASON: MASK, VALUE
};

// linux/if_addr.h: IFA_CACHEINFO (struct ifa_cacheinfo: u32s), FLAGS, RT_PRIORITY, TARGET_NETNSID, PROTO.
const IFA: Attrs = { 6: U32S, ...ints(8, 9, 10, 11) };

// linux/rtnetlink.h: RTA_IIF, OIF, PRIORITY, FLOW, TABLE, MARK, PREF, ENCAP_TYPE, EXPIRES, UID,
// TTL_PROPAGATE, IP_PROTO, NH_ID (RTA_SPORT/DPORT are in network order).
const RTA: Attrs = {
  ...ints(3, 4, 6, 11, 15, 16, 20, 21, 23, 25, 26, 27, 30),
  8: { nest: { ...ints(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17) } }, // RTA_METRICS: RTAX_* (16 is a name)
  12: U32S, // RTA_CACHEINFO: struct rta_cacheinfo
  17: U64S, // RTA_MFC_STATS
  18: { fields: [-2] }, // RTA_VIA: struct rtvia, its family
};

// linux/neighbour.h: NDA_CACHEINFO (struct nda_cacheinfo: u32s), PROBES, VLAN, VNI, IFINDEX, MASTER,
// LINK_NETNSID, SRC_VNI, PROTOCOL, NH_ID, FLAGS_EXT, NDM_STATE_MASK, NDM_FLAGS_MASK (NDA_PORT: network order).
const NDA: Attrs = { 3: U32S, ...ints(4, 5, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17) };

// linux/fib_rules.h: FRA_GOTO, PRIORITY, FWMARK, FLOW, SUPPRESS_IFGROUP/PREFIXLEN, TABLE, FWMASK,
// L3MDEV, PROTOCOL, IP_PROTO; UID_RANGE (two u32), SPORT/DPORT_RANGE (two u16).
const FRA: Attrs = { ...ints(4, 6, 10, 11, 13, 14, 15, 16, 19, 21, 22), 20: U32S, 23: { each: 2 }, 24: { each: 2 } };

const IFINFOMSG = [1, 1, -2, -4, -4, -4]; // family, pad, type, index, flags, change
const IFADDRMSG = [1, 1, 1, 1, -4]; // family, prefixlen, flags, scope, index
const RTMSG = [8, -4]; // eight u8 (family ... type), flags; also struct fib_rule_hdr
const NDMSG = [1, 1, -2, -4, -2, 1, 1]; // family, pad1, pad2, ifindex, state, flags, type

/** NETLINK_ROUTE messages by type: RTM_NEW/DEL/GET/SET of links, addresses, routes, neighbours, rules. */
const ROUTE_BODIES = new Map<number, Body>();
const bodies = (first: number, count: number, body: Body) => {
  for (let t = first; t < first + count; t++) ROUTE_BODIES.set(t, body);
};
bodies(16, 4, { header: IFINFOMSG, attrs: IFLA });
bodies(20, 3, { header: IFADDRMSG, attrs: IFA });
bodies(24, 3, { header: RTMSG, attrs: RTA });
bodies(28, 3, { header: NDMSG, attrs: NDA });
bodies(32, 3, { header: RTMSG, attrs: FRA });

// linux/netlink.h
const NLMSG_HDRLEN = 16, NLA_HDRLEN = 4;
const NLMSGHDR = [-4, -2, -2, -4, -4]; // len, type, flags, seq, pid
const NLMSG_ERROR = 2, NLMSG_DONE = 3, NLMSG_MIN_TYPE = 0x10;
const NLM_F_CAPPED = 0x100, NLM_F_ACK_TLVS = 0x200;
const NLA_F_NET_BYTEORDER = 0x4000, NLA_TYPE_MASK = 0x3fff;
/** Extended acknowledgements after an error or a dump's end: NLMSGERR_ATTR_OFFS, MISS_TYPE, MISS_NEST. */
const NLMSGERR_ATTRS: Attrs = ints(2, 5, 6);

const align4 = (n: number) => (n + 3) & ~3;

// linux/sock_diag.h: the reply describing one socket, whose family-specific message starts
// with u8 family, u8 type for the families listed (unix_diag_msg, netlink_diag_msg, packet_diag_msg).
const SOCK_DIAG_BY_FAMILY = 20;
const AF_PACKET = 17;
const DIAG_TYPED = new Set([AF_UNIX, AF_NETLINK, AF_PACKET]);

/** What a socket's messages need: NETLINK_ROUTE's tables, the framing only (and NETLINK_SOCK_DIAG's socket types), or nothing. */
type Format = 'route' | 'framed' | 'diag' | null;

/** Each netlink socket's format, found out once per open file (a socket may come from a parent or a message). */
const formats = new WeakMap<OpenFile, Format>();

function hostInt(fd: number, option: number): number | null {
  const v = new Uint8Array(4);
  return libc().getsockopt(fd, HOST_SOL_SOCKET, option, v) === 4 ? new DataView(v.buffer).getInt32(0, true) : null;
}

function formatOf(f: OpenFile): Format {
  let format = formats.get(f);
  if (format === undefined) {
    const isNetlink = f.path.startsWith('socket:') && hostInt(f.hostFd, SO.DOMAIN) === AF_NETLINK;
    const protocol = isNetlink ? hostInt(f.hostFd, SO.PROTOCOL) : null;
    format = protocol === null || protocol === NETLINK_KOBJECT_UEVENT ? null
      : protocol === NETLINK_ROUTE ? 'route' : protocol === NETLINK_SOCK_DIAG ? 'diag' : 'framed';
    formats.set(f, format);
  }
  return format;
}

/** Whether urun can carry a netlink protocol for this guest (a big-endian one needs its tables). */
export function netlinkProtocolSupported(k: Kernel, protocol: number): boolean {
  return k.mem.littleEndian || protocol === NETLINK_ROUTE || protocol === NETLINK_KOBJECT_UEVENT;
}

/**
 * The guest's outgoing message(s) in host layout: the same buffers when nothing changes, else
 * one converted copy (a netlink send is one datagram).
 */
export function netlinkToHost(k: Kernel, f: OpenFile, iov: Uint8Array[]): Uint8Array[] {
  if (k.mem.littleEndian) return iov;
  const format = formatOf(f);
  if (format === null) return iov;
  const bytes = concatBytes(iov);
  convertMessages(k, bytes, format, true);
  return [bytes];
}

/** Converts the `length` bytes just received into the guest's buffers, in place. */
export function netlinkToGuest(k: Kernel, f: OpenFile, iov: Uint8Array[], length: number): void {
  const format = length >= NLMSG_HDRLEN ? formatOf(f) : null;
  if (format === null) return;
  if (iov[0].length >= length) {
    convertMessages(k, iov[0].subarray(0, length), format, false);
    return;
  }
  // Messages across several buffers: converted in one piece, then put back.
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const b of iov) {
    if (at >= length) break;
    bytes.set(b.subarray(0, length - at), at);
    at += b.length;
  }
  convertMessages(k, bytes, format, false);
  at = 0;
  for (const b of iov) {
    if (at >= length) break;
    b.set(bytes.subarray(at, Math.min(length, at + b.length)));
    at += b.length;
  }
}

/**
 * Converts the messages in `bytes` (a datagram, maybe cut short) between host and guest order:
 * `toHost` reads them in the guest's order. A little-endian guest only has its errnos mapped.
 */
function convertMessages(k: Kernel, bytes: Uint8Array, format: Exclude<Format, null>, toHost: boolean): void {
  const swap = !k.mem.littleEndian;
  const sourceLE = toHost ? k.mem.littleEndian : true;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length;
  for (let at = 0; at + NLMSG_HDRLEN <= end;) {
    const len = view.getUint32(at, sourceLE), type = view.getUint16(at + 4, sourceLE), flags = view.getUint16(at + 6, sourceLE);
    if (swap) swapFields(bytes, at, end, NLMSGHDR);
    if (len < NLMSG_HDRLEN) break;
    const bodyAt = at + NLMSG_HDRLEN, bodyEnd = Math.min(at + len, end);
    if (type === NLMSG_ERROR || type === NLMSG_DONE) {
      convertStatus(k, bytes, view, bodyAt, bodyEnd, type, flags, swap, sourceLE, toHost);
    } else if (format === 'diag' && !toHost && type === SOCK_DIAG_BY_FAMILY && bodyAt + 2 <= bodyEnd) {
      if (DIAG_TYPED.has(bytes[bodyAt])) bytes[bodyAt + 1] = guestSocketType(k.abi.socket, bytes[bodyAt + 1]);
    } else if (swap && format === 'route' && type >= NLMSG_MIN_TYPE) {
      const body = ROUTE_BODIES.get(type);
      if (body) {
        swapFields(bytes, bodyAt, bodyEnd, body.header);
        const headerSize = body.header.reduce((n, f) => n + Math.abs(f), 0);
        convertAttrs(bytes, view, bodyAt + align4(headerSize), bodyEnd, body.attrs, sourceLE);
      }
    }
    at += align4(len);
  }
}

/**
 * NLMSG_ERROR (int error, then the request's nlmsghdr and, unless capped, its body) and
 * NLMSG_DONE (int error): the errno, the echoed header, the extended acknowledgement after them.
 */
function convertStatus(k: Kernel, bytes: Uint8Array, view: DataView, at: number, end: number, type: number,
  flags: number, swap: boolean, sourceLE: boolean, toHost: boolean): void {
  if (at + 4 > end) return;
  const error = view.getInt32(at, sourceLE);
  if (toHost) {
    if (swap) flipBytes(bytes, at, 4);
  } else {
    view.setInt32(at, error < 0 ? -k.abi.guestErrno(-error) : error, k.mem.littleEndian);
  }
  let attrsAt = at + 4;
  if (type === NLMSG_ERROR) {
    if (attrsAt + NLMSG_HDRLEN > end) return;
    const echoedLen = view.getUint32(attrsAt, sourceLE);
    if (swap) swapFields(bytes, attrsAt, end, NLMSGHDR);
    attrsAt += flags & NLM_F_CAPPED ? NLMSG_HDRLEN : align4(echoedLen);
  }
  if (swap && flags & NLM_F_ACK_TLVS) convertAttrs(bytes, view, attrsAt, end, NLMSGERR_ATTRS, sourceLE);
}

/** Attributes from `at` to `end`: their headers, and the payloads `attrs` knows. */
function convertAttrs(bytes: Uint8Array, view: DataView, at: number, end: number, attrs: Attrs, sourceLE: boolean): void {
  while (at + NLA_HDRLEN <= end) {
    const len = view.getUint16(at, sourceLE), rawType = view.getUint16(at + 2, sourceLE);
    flipBytes(bytes, at, 2);
    flipBytes(bytes, at + 2, 2);
    if (len < NLA_HDRLEN) return;
    const payloadAt = at + NLA_HDRLEN, payloadEnd = Math.min(at + len, end);
    const payload = rawType & NLA_F_NET_BYTEORDER ? undefined : attrs[rawType & NLA_TYPE_MASK];
    if (payload) convertPayload(bytes, view, payloadAt, payloadEnd, payload, sourceLE);
    at += align4(len);
  }
}

function convertPayload(bytes: Uint8Array, view: DataView, at: number, end: number, payload: Payload, sourceLE: boolean): void {
  if ('int' in payload) {
    const size = end - at;
    if (size === 2 || size === 4 || size === 8) flipBytes(bytes, at, size);
  } else if ('each' in payload) {
    for (let i = at; i + payload.each <= end; i += payload.each) flipBytes(bytes, i, payload.each);
  } else if ('fields' in payload) {
    swapFields(bytes, at, end, payload.fields);
  } else {
    convertAttrs(bytes, view, at, end, payload.nest, sourceLE);
  }
}
