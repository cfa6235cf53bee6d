// A host process's /proc/<pid>/stat, split where the command name (which may hold spaces
// and parentheses) cannot confuse it.
import * as fs from 'node:fs';

/**
 * The fields of /proc/<pid>/stat from the third (state) on, so field n of proc(5) is at
 * n - 3; null when the process is gone.
 */
export function hostStatFields(pid: number): string[] | null {
  try {
    const line = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    return line.slice(line.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}
