// Shared memory (test/guest/shared.c): MAP_SHARED anonymous and file mappings across fork,
// process-shared mutexes, coherence with read/pwrite, mremap, shm_open; on every arch against
// qemu-user (see test/support/process-cases.ts).
import { processCases } from './support/process-cases.js';

processCases(['shared']);
