/**
 * Human-readable renderings of progress, lists and validation reports. Plain text, no colours when the output
 * is not a terminal; never a password (progress and reports carry none).
 */
import type { PreflightReport } from '../../activities/preflight';
import { formatSeconds } from '../../workflows/duration-text';
import { describeEta } from '../../workflows/eta-text';
import { describeCutover, describeLag } from '../../workflows/replication-details';
import type { ValidationReport } from '../../workflows/types';
import type { MigrationListItem } from '../list';
import type { MigrationStatus } from '../progress';

/** Multi-line status of one migration. */
export function renderStatus(status: MigrationStatus, now = Date.now(), uiUrl?: string): string[] {
  const lines = [
    `Migration  ${status.workflowId}`,
    `Status     ${status.status}${status.live ? '' : ' (no worker answered: summary from visibility)'}`,
    `Step       ${status.step}${status.validationPercent !== undefined ? ` (validation ${status.validationPercent}%)` : ''}`,
    `Cluster    ${status.clusterId || '?'} in ${status.region || '?'}${status.cluster ? `: ${status.cluster.status}` : ''}`,
  ];
  const eta = describeEta(status, now);
  if (eta) lines.push(`Restore    ${eta}`);
  for (const [id, observed] of Object.entries(status.instances)) lines.push(`Instance   ${id}: ${observed.status}`);
  lines.push(...renderReplicationLines(status, now));
  const end = status.closedAt ? Date.parse(status.closedAt) : now;
  lines.push(`Elapsed    ${formatElapsed(end - Date.parse(status.startedAt))}`);
  if (status.approval) {
    lines.push(`Approval   ${status.approval.approved ? 'approved' : 'rejected'} by ${status.approval.by}`);
  }
  if (status.validation) {
    const v = status.validation;
    lines.push(`Validation ${v.ok ? 'passed' : 'failed'} (${v.errors} errors, ${v.warnings} warnings, ${v.format})`);
  }
  if (status.retries) lines.push(`Retries    ${status.retries}`);
  if (status.lastError) lines.push(`Last error ${status.lastError}`);
  if (status.cleanup) {
    lines.push(`Cleanup    ${status.cleanup.policy}: removed ${status.cleanup.removed.join(', ') || 'nothing'}`);
  }
  if (uiUrl) lines.push(`Web UI     ${uiUrl}`);
  return lines;
}

/** The replication lines of the status block: the lag, the command that cuts over, the end states, the report. */
function renderReplicationLines(status: MigrationStatus, now: number): string[] {
  const rep = status.replication;
  if (!rep) return [];
  const lines: string[] = [];
  if (rep.lag && !status.cutover) lines.push(`Replica    ${describeLag(rep.lag, now)}`);
  if (status.step === 'awaiting-cutover' || (status.step === 'catching-up' && !rep.cutover)) {
    lines.push(`Cut over   aurora-migrate cutover ${status.workflowId} --by <name> --reason <text>`);
  }
  if (rep.cutover) lines.push(`Cutover    decided by ${rep.cutover.by} (${rep.cutover.trigger}) at ${rep.cutover.at}`);
  if (rep.stopped) lines.push(`Stopped    ${rep.stopped.errno} ${rep.stopped.error}`, `  fix      ${rep.stopped.fix}`);
  if (status.cutover) lines.push(`Report     ${describeCutover(status.cutover)}`);
  else if (rep.ends.target !== 'unknown')
    lines.push(`Ends       source ${rep.ends.source}, cluster ${rep.ends.target}`);
  return lines;
}

/** One line per change, for logs and non-terminal output. */
export function renderStatusLine(status: MigrationStatus, now = Date.now()): string {
  const elapsed = formatElapsed((status.closedAt ? Date.parse(status.closedAt) : now) - Date.parse(status.startedAt));
  const percent = status.validationPercent !== undefined ? ` validation=${status.validationPercent}%` : '';
  const cluster = status.cluster ? ` cluster=${status.cluster.status}` : '';
  const eta = status.eta && status.step === 'waiting-for-cluster' ? ` eta=${status.eta.expectedAt}` : '';
  const lag = status.replication?.lag;
  const behind = lag && !status.cutover ? ` lag=${lag.secondsBehind ?? 'stopped'}s` : '';
  const instances = Object.entries(status.instances)
    .map(([id, o]) => ` ${id}=${o.status}`)
    .join('');
  return `${new Date(now).toISOString()} ${status.status} step=${status.step}${percent}${cluster}${eta}${behind}${instances} elapsed=${elapsed}`;
}

/** `1h 02m 03s`: the whole seconds elapsed. */
export function formatElapsed(ms: number): string {
  return formatSeconds(Math.floor(ms / 1000));
}

/** A table of migrations. */
export function renderList(items: MigrationListItem[]): string[] {
  if (items.length === 0) return ['No migrations match.'];
  const rows = items.map((i) => [i.workflowId, i.status, i.step ?? '', i.clusterId ?? '', i.startedAt]);
  const header = ['ID', 'STATUS', 'STEP', 'CLUSTER', 'STARTED'];
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => (r[col] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, col) => c.padEnd(widths[col] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** A validation report grouped by severity, each finding with its fix. */
export function renderReport(report: ValidationReport): string[] {
  const lines = [
    `Backup     s3://${report.bucket}/${report.prefix} (${report.format}, ${report.objectCount} objects, ${report.totalBytes} bytes)`,
    `Mode       ${report.mode}${report.bytesVerified !== undefined ? `, ${report.bytesVerified} bytes verified` : ''}`,
  ];
  if (report.serverVersion) lines.push(`Server     MySQL ${report.serverVersion}`);
  if (report.toolVersion) lines.push(`Tool       XtraBackup ${report.toolVersion}`);
  if (report.binlog?.file) lines.push(`Binlog     ${report.binlog.file}:${report.binlog.position ?? '?'}`);
  for (const severity of ['error', 'warning', 'info'] as const) {
    const findings = report.findings.filter((f) => f.severity === severity);
    if (findings.length === 0) continue;
    lines.push('', `${severity.toUpperCase()}S (${findings.length})`);
    for (const f of findings) {
      lines.push(`  ${f.code}${f.path ? ` at ${f.path}` : ''}: ${f.message}`, `    fix: ${f.fix}`);
    }
  }
  lines.push('', report.ok ? 'Result: the backup can be restored.' : 'Result: fix the errors above before starting.');
  return lines;
}

/** The pre-flight findings and the exact create requests a migration would send (the password redacted). */
export function renderPreflight(report: PreflightReport): string[] {
  const lines = ['PRE-FLIGHT'];
  for (const f of report.findings) {
    lines.push(`  ${f.severity.toUpperCase()} ${f.code} at ${f.path ?? '-'}: ${f.message}`, `    fix: ${f.fix}`);
  }
  if (report.findings.length === 0) lines.push('  no findings');
  lines.push('', 'RestoreDBClusterFromS3 request:', JSON.stringify(report.requests.restoreCluster, null, 2));
  for (const request of report.requests.createInstances) {
    lines.push('', `CreateDBInstance request (${request.DBInstanceIdentifier}):`, JSON.stringify(request, null, 2));
  }
  lines.push(
    '',
    report.ok ? 'Pre-flight: nothing refuses this migration.' : 'Pre-flight: fix the errors above before starting.',
  );
  return lines;
}
