/** Peak memory and CPU time of a Linux process, read from /proc. */
import { readFileSync } from 'node:fs';

/** Resource usage of one process at one moment. */
export interface ProcUsage {
  /** Peak resident set size (VmHWM), in MiB. */
  peakRssMiB: number;
  /** User + system CPU time of all its threads, in seconds. */
  cpuSeconds: number;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every Linux we run on). */
const CLOCK_TICKS = 100;

/** Reads VmHWM and CPU time of `pid` ('self' for this process); undefined once the process is gone. */
export function readProcUsage(pid: number | 'self'): ProcUsage | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1];
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at state; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { peakRssMiB: Number(hwm ?? 0) / 1024, cpuSeconds: ticks / CLOCK_TICKS };
  } catch {
    return undefined;
  }
}
