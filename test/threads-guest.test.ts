// Guest threads: C++ std::thread/future/thread_local (test/guest/cxxthreads.cc) and POSIX
// threads (test/guest/pthreads.c); against qemu-user.
import { processCases } from './support/process-cases.js';

processCases(['cxx', 'pthreads']);
