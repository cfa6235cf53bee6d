// Debian's busybox-static running the shell scripts of test/guest/sh (pipelines, subshells,
// background jobs, xargs, timeout, find -exec, traps) against qemu-user.
import { processCases } from './support/process-cases.js';

processCases(['busybox']);
