// System V IPC (test/guest/sysvipc.c), against qemu-user (see test/support/process-cases.ts):
// - sysvipc, on every arch (struct layouts, byte order, SHMLBA): shmctl, semctl, msgctl, message
//   types, shmat's address rules;
// - sysvipc-procs, on mips (the ipc(2) multiplexer) and armhf (the direct calls) only, to keep
//   npm test short: segments across fork, exec and partial unmaps, read-only attachments,
//   semaphores as a lock between processes, blocking semop/semtimedop/msgsnd/msgrcv (woken,
//   timed out, EINTR, EIDRM), waits in threads.
import { processCases } from './support/process-cases.js';

processCases(['sysvipc', 'sysvipc-procs']);
