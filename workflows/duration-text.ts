/** Durations as people read them, in the CLI and in the Web UI's current details (pure: safe in workflows). */

/** `1h 02m 03s`, `4m 05s` or `6s` for a whole number of seconds (callers round as their meaning asks). */
export function formatSeconds(seconds: number): string {
  const total = Math.max(0, seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}h ${pad(m)}m ${pad(s)}s` : m ? `${m}m ${pad(s)}s` : `${s}s`;
}
