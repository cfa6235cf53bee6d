// A static Go program (test/guest/go): goroutines, timers, signal.Notify, recovered
// panics, os/exec of itself; against qemu-user.
import { processCases } from './support/process-cases.js';

processCases(['go']);
