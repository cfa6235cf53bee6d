// Every generic Linux syscall record, gathered from its family. An arch's private extras
// (set_thread_area, cacheflush...) are added by the arch layer.
import { FILE_SYSCALLS } from './files.js';
import { MEMORY_SYSCALLS } from './memory.js';
import { TIME_SYSCALLS } from './time.js';
import { SYSTEM_SYSCALLS } from './system.js';
import { EVENTS_SYSCALLS } from './events.js';
import { EVENTFD_SYSCALLS } from './eventfds.js';
import { SOCKETS_SYSCALLS } from './sockets.js';
import { PROCESS_SYSCALLS } from './processes.js';
import { SIGNAL_SYSCALLS } from './signals.js';
import { THREAD_SYSCALLS } from './threads.js';
import { IPC_SYSCALLS } from './ipc.js';
import { MQUEUE_SYSCALLS } from './mqueue.js';
import type { SyscallRecord } from './records.js';

export const GENERIC_SYSCALLS = new Map<string, SyscallRecord>([
  ...FILE_SYSCALLS, ...MEMORY_SYSCALLS, ...TIME_SYSCALLS, ...SYSTEM_SYSCALLS, ...EVENTS_SYSCALLS, ...EVENTFD_SYSCALLS,
  ...SOCKETS_SYSCALLS, ...PROCESS_SYSCALLS, ...SIGNAL_SYSCALLS, ...THREAD_SYSCALLS, ...IPC_SYSCALLS, ...MQUEUE_SYSCALLS,
].map((r) => [r.name, r]));
