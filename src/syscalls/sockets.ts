// Sockets.
import { E } from './errno.js';
import { R } from './records.js';
import type { SyscallRecord } from './records.js';


export const SOCKETS_SYSCALLS: SyscallRecord[] = [
  R('socket', ['int', 'int', 'int'], () => -E.EAFNOSUPPORT),
];
