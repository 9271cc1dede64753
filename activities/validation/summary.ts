/** Turns a full validation report into the compact summary that progress and results carry. */
import type { ValidationReport, ValidationSummary } from '../../workflows/types';

/** Summarises a report: counts by severity, the findings, versions and binlog coordinates. */
export function summarizeReport(report: ValidationReport): ValidationSummary {
  const summary: ValidationSummary = {
    ok: report.ok,
    mode: report.mode,
    format: report.format,
    objectCount: report.objectCount,
    totalBytes: report.totalBytes,
    errors: report.findings.filter((f) => f.severity === 'error').length,
    warnings: report.findings.filter((f) => f.severity === 'warning').length,
    findings: report.findings,
  };
  if (report.serverVersion !== undefined) summary.serverVersion = report.serverVersion;
  if (report.toolVersion !== undefined) summary.toolVersion = report.toolVersion;
  if (report.binlog !== undefined) summary.binlog = report.binlog;
  return summary;
}
