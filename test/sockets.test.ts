// Sockets (test/guest/sockets.c) on every arch against qemu-user: TCP and UDP over IPv4 and
// IPv6 loopback, AF_UNIX of each type, SCM_RIGHTS and SCM_CREDENTIALS, options, timeouts,
// SIGPIPE, a thread blocked in accept, a host program on a socket (see test/support/process-cases.ts).
import { processCases } from './support/process-cases.js';

processCases(['sockets']);
