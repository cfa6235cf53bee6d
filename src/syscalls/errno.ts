// Errno values. Syscall handlers return negative *generic* Linux errno values (E.ENOENT);
// the arch ABI renumbers them for guests whose numbering differs (MIPS).
import { GENERIC_ERRNO } from './abi/numbers.generated.js';

export const E = GENERIC_ERRNO as Record<string, number> & {
  EPERM: number; ENOENT: number; ESRCH: number; EINTR: number; EIO: number; EBADF: number;
  EAGAIN: number; ENOMEM: number; EACCES: number; EFAULT: number; EEXIST: number; ENOTDIR: number;
  EISDIR: number; EINVAL: number; EMFILE: number; ENOTTY: number; ESPIPE: number; EPIPE: number;
  ERANGE: number; ENOSYS: number; ENAMETOOLONG: number; ENOTEMPTY: number; ELOOP: number;
  EXDEV: number; ECHILD: number; EOVERFLOW: number; ENODEV: number; ENOTSUP: number; EOPNOTSUPP: number;
  ENOEXEC: number; ETIMEDOUT: number; ENXIO: number; EFBIG: number;
};

const NAMES: Record<number, string> = {};
for (const [name, n] of Object.entries(GENERIC_ERRNO)) if (!(n in NAMES)) NAMES[n] = name;
NAMES[E.EAGAIN] = 'EAGAIN';
NAMES[E.ENOTSUP ?? 95] = 'EOPNOTSUPP';

export const errnoName = (n: number): string => NAMES[n] ?? `E${n}`;

/** Maps a Node.js fs error to a negative generic errno. */
export function hostErrno(e: unknown): number {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && code in GENERIC_ERRNO) return -GENERIC_ERRNO[code];
  if (typeof (e as NodeJS.ErrnoException)?.errno === 'number') return (e as NodeJS.ErrnoException).errno!;
  return -E.EIO;
}

const STRERROR: Record<string, string> = {
  EPERM: 'Operation not permitted', ENOENT: 'No such file or directory', EBADF: 'Bad file descriptor',
  EACCES: 'Permission denied', EEXIST: 'File exists', ENOTDIR: 'Not a directory', EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument', ENOMEM: 'Cannot allocate memory', EFAULT: 'Bad address', ENOSYS: 'Function not implemented',
  ENOTTY: 'Inappropriate ioctl for device', ESPIPE: 'Illegal seek', EAGAIN: 'Resource temporarily unavailable',
  ENOTEMPTY: 'Directory not empty', ERANGE: 'Numerical result out of range', EPIPE: 'Broken pipe',
  ESRCH: 'No such process', EINTR: 'Interrupted system call', ECHILD: 'No child processes',
};
export const strerror = (n: number): string => STRERROR[errnoName(n)] ?? errnoName(n);
