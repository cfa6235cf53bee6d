// fork, wait, pipes, dup, exec, process groups, kill, system/popen, posix_spawn
// (test/guest/procs.c) on every arch against qemu-user (see test/support/process-cases.ts).
import { processCases, processFixturesAreComplete } from './support/process-cases.js';

processFixturesAreComplete();
processCases(['procs']);
