// System V IPC (test/guest/sysvipc.c): shared memory segments across fork, shmctl, read-only
// attachments, semaphores between processes (locks, SETALL/GETALL, IPC_NOWAIT, semtimedop
// timeouts, wake-ups, EINTR, EIDRM) and message queues (types, MSG_NOERROR, E2BIG, blocking
// sends and receives); on every arch against qemu-user (see test/support/process-cases.ts).
import { processCases } from './support/process-cases.js';

processCases(['sysvipc']);
