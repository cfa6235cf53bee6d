// poll, ppoll, select, pselect6, epoll, eventfd, timerfd and signalfd (test/guest/events.c)
// on every arch against qemu-user (see test/support/process-cases.ts).
import { processCases } from './support/process-cases.js';

processCases(['events']);
