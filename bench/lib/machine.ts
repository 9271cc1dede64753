/** The machine and the versions the figures come from, for the head of RESULTS.md. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { temporalBinary, versitygwBinary } from '../../scripts/stack/binaries';

/** Name → value lines describing this machine. */
export function describeMachine(): Array<[string, string]> {
  const cpuinfo = safe(() => readFileSync('/proc/cpuinfo', 'utf8'));
  const meminfo = safe(() => readFileSync('/proc/meminfo', 'utf8'));
  const memKiB = Number(/MemTotal:\s+(\d+)/.exec(meminfo)?.[1] ?? NaN);
  const versitygw = versitygwBinary();
  return [
    ['CPUs (nproc)', String(availableParallelism())],
    ['CPU model', /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? 'unknown'],
    ['Memory', `${(memKiB / 1024 / 1024).toFixed(1)} GiB`],
    ['Kernel', safe(() => readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim())],
    ['Node.js', process.version],
    ['Temporal CLI', firstLine(() => execFileSync(temporalBinary(), ['--version'], { encoding: 'utf8' }))],
    ['versitygw', versitygw ? firstLine(() => execFileSync(versitygw, ['--version'], { encoding: 'utf8' })) : 'absent'],
  ];
}

function firstLine(run: () => string): string {
  return (
    safe(run)
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? 'unknown'
  );
}

function safe(run: () => string): string {
  try {
    return run();
  } catch {
    return '';
  }
}
