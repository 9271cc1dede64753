/**
 * Catch-up and cutover as people read them: the Web UI's current details and the CLI's status lines. Pure and
 * dependency-free, so the workflow bundle and the CLI share it.
 */
import { formatSeconds } from './duration-text';
import type { CutoverReport, ReplicationLag } from './replication-types';
import type { MigrationProgress } from './types';

/** `lag 12s, 3456 bytes behind, 2 transactions behind, caught up in ~40s`, from one status read. */
export function describeLag(lag: ReplicationLag, now = Date.now()): string {
  const parts = [
    lag.secondsBehind === null
      ? `threads not running (IO ${lag.ioRunning}, SQL ${lag.sqlRunning})`
      : `lag ${formatSeconds(lag.secondsBehind)}`,
  ];
  if (lag.bytesBehind !== undefined) parts.push(`${lag.bytesBehind} bytes behind`);
  if (lag.transactionsBehind !== undefined) parts.push(`${lag.transactionsBehind} transactions behind`);
  if (lag.caughtUpEta) {
    const seconds = Math.round((Date.parse(lag.caughtUpEta) - now) / 1000);
    parts.push(seconds > 0 ? `caught up in ~${formatSeconds(seconds)} (${lag.caughtUpEta})` : 'about caught up');
  }
  return `${parts.join(', ')} (read ${lag.at})`;
}

/** `read-only 2s, final mysql-bin.000003:1234, 5/5 tables equal (checksum), point the application at host:port`. */
export function describeCutover(report: CutoverReport): string {
  const equal = report.verification.filter((v) => v.equal).length;
  const method = report.verification[0]?.method;
  const verified = report.verification.length
    ? `${equal}/${report.verification.length} tables equal (${method})`
    : 'tables not verified (verify: none)';
  const p = report.finalPosition;
  return (
    `read-only for ${(report.readOnlyMs / 1000).toFixed(1)}s, final position ${p.file}:${p.position}, ${verified}; ` +
    `source ${report.ends.source}, cluster ${report.ends.target}; point the application at ${report.endpoint}`
  );
}

/** The Markdown list items of the replication phases (none without a replication section). */
export function renderReplication(state: MigrationProgress, now = Date.now()): string[] {
  const rep = state.replication;
  const lines: string[] = [];
  if (!rep) return lines;
  if (rep.start) {
    const at = rep.start.file ? `${rep.start.file}:${rep.start.position}` : `GTID set ${rep.start.gtidSet ?? '?'}`;
    lines.push(`- replication: ${rep.start.procedure} from ${at} (${rep.start.from})`);
  }
  if (rep.lag && state.step !== 'completed') lines.push(`- replica: ${describeLag(rep.lag, now)}`);
  if (state.step === 'awaiting-cutover' || (state.step === 'catching-up' && !rep.cutover)) {
    lines.push(
      `- to cut over: \`aurora-migrate cutover ${state.workflowId} --by <name> --reason <text>\` ` +
        '(the source becomes read-only until the cluster has executed its last write)',
    );
  }
  if (rep.cutover) {
    const why = rep.cutover.reason ? `: ${rep.cutover.reason}` : '';
    lines.push(`- cutover decided by ${rep.cutover.by} (${rep.cutover.trigger}) at ${rep.cutover.at}${why}`);
  }
  if (rep.freeze && !state.cutover) {
    lines.push(
      `- source frozen at ${rep.freeze.frozenAt}, final position ${rep.freeze.position.file}:${rep.freeze.position.position}`,
    );
  }
  if (rep.stopped)
    lines.push(`- replication stopped (${rep.stopped.errno}): ${rep.stopped.error}; fix: ${rep.stopped.fix}`);
  if (state.cutover) lines.push(`- cutover: ${describeCutover(state.cutover)}`);
  else if (rep.ends.target !== 'unknown') lines.push(`- ends: source ${rep.ends.source}, cluster ${rep.ends.target}`);
  return lines;
}
