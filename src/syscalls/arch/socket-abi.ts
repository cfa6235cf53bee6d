// What differs per arch in the socket interface. ARM uses the generic numbering (the host's,
// x86-64); MIPS swaps SOCK_STREAM and SOCK_DGRAM, has its own SOL_SOCKET and SO_* numbers
// (arch/mips/include/uapi/asm/socket.h) and its own O_NONBLOCK for SOCK_NONBLOCK.
// Address families, MSG_* flags, SCM_* types and the IP/IPv6/TCP/UDP levels agree everywhere.

export interface SocketAbi {
  /** The guest's SOL_SOCKET level. */
  readonly solSocket: number;
  /** Guest socket type (low 4 bits of socket()'s type) → host type; absent: the same number. */
  readonly typeToHost: Record<number, number>;
  /** Guest SOL_SOCKET option number → host (generic) option number; absent: unknown option. */
  readonly optionToHost: Record<number, number>;
}

/** A host socket type in the guest's numbering (typeToHost's inverse). */
export function guestSocketType(abi: SocketAbi, hostType: number): number {
  const types = abi.typeToHost;
  for (const g in types) if (types[g] === hostType) return Number(g);
  return hostType;
}

/** Generic SO_* numbers (asm-generic/socket.h), as the host uses them. */
export const SO = {
  DEBUG: 1, REUSEADDR: 2, TYPE: 3, ERROR: 4, DONTROUTE: 5, BROADCAST: 6, SNDBUF: 7, RCVBUF: 8, KEEPALIVE: 9,
  OOBINLINE: 10, NO_CHECK: 11, PRIORITY: 12, LINGER: 13, BSDCOMPAT: 14, REUSEPORT: 15, PASSCRED: 16,
  PEERCRED: 17, RCVLOWAT: 18, SNDLOWAT: 19, RCVTIMEO_OLD: 20, SNDTIMEO_OLD: 21, BINDTODEVICE: 25,
  TIMESTAMP_OLD: 29, ACCEPTCONN: 30, PEERSEC: 31, SNDBUFFORCE: 32, RCVBUFFORCE: 33, PASSSEC: 34,
  TIMESTAMPNS_OLD: 35, MARK: 36, TIMESTAMPING_OLD: 37, PROTOCOL: 38, DOMAIN: 39, RXQ_OVFL: 40, WIFI_STATUS: 41,
  PEEK_OFF: 42, NOFCS: 43, LOCK_FILTER: 44, SELECT_ERR_QUEUE: 45, BUSY_POLL: 46, MAX_PACING_RATE: 47,
  INCOMING_CPU: 49, INCOMING_NAPI_ID: 56, COOKIE: 57, PEERGROUPS: 59, ZEROCOPY: 60, TXTIME: 61, BINDTOIFINDEX: 62, TIMESTAMP_NEW: 63, TIMESTAMPNS_NEW: 64, TIMESTAMPING_NEW: 65, RCVTIMEO_NEW: 66,
  SNDTIMEO_NEW: 67, PREFER_BUSY_POLL: 69, BUSY_POLL_BUDGET: 70, BUF_LOCK: 72, RESERVE_MEM: 73, TXREHASH: 74,
} as const;

const identity: Record<number, number> = {};
for (const n of Object.values(SO)) identity[n] = n;

export const GENERIC_SOCKET_ABI: SocketAbi = { solSocket: 1, typeToHost: {}, optionToHost: identity };

/** MIPS's SO_* numbers that differ from the generic ones. */
const MIPS_OPTIONS: Record<number, number> = {
  0x0004: SO.REUSEADDR, 0x0008: SO.KEEPALIVE, 0x0010: SO.DONTROUTE, 0x0020: SO.BROADCAST, 0x0080: SO.LINGER,
  0x0100: SO.OOBINLINE, 0x0200: SO.REUSEPORT, 0x1008: SO.TYPE, 0x1007: SO.ERROR, 0x1001: SO.SNDBUF,
  0x1002: SO.RCVBUF, 0x1003: SO.SNDLOWAT, 0x1004: SO.RCVLOWAT, 0x1005: SO.SNDTIMEO_OLD, 0x1006: SO.RCVTIMEO_OLD,
  0x1009: SO.ACCEPTCONN, 0x1028: SO.PROTOCOL, 0x1029: SO.DOMAIN, 17: SO.PASSCRED, 18: SO.PEERCRED,
  30: SO.PEERSEC, 31: SO.SNDBUFFORCE,
};

/** Options MIPS numbers as the generic ABI does: a few low ones, and all from 40 on. */
const MIPS_SAME: number[] = [SO.DEBUG, SO.NO_CHECK, SO.PRIORITY, SO.BSDCOMPAT, SO.BINDTODEVICE, SO.TIMESTAMP_OLD,
  SO.RCVBUFFORCE, SO.PASSSEC, SO.TIMESTAMPNS_OLD, SO.MARK, SO.TIMESTAMPING_OLD, ...Object.values(SO).filter((n) => n >= 40)];

export const MIPS_SOCKET_ABI: SocketAbi = {
  solSocket: 0xffff,
  typeToHost: { 1: 2, 2: 1 }, // SOCK_DGRAM 1, SOCK_STREAM 2
  optionToHost: { ...Object.fromEntries(MIPS_SAME.map((n) => [n, n])), ...MIPS_OPTIONS },
};
